#!/bin/bash
# Reject: r opens the reason menu (the queue's default reasons, or the
# workflow's own), a note is typed, the decision carries the reason code
# and the note.
. "$(dirname "$0")/ui.inc"
for size in $SIZES; do
    newq "reject-$size"; three
    review "$size"
    ui_wait "First refund question"; ui_keys Enter
    check "$size: draft open" ui_wait "Refunds take 30 days"
    ui_keys r
    check "$size: reason menu" ui_wait "Reject: why?"
    S=$(ui_screen)
    check_contains "$size: default reason listed" "Factual error" "$S"
    check_contains "$size: other reason listed" "Claim not supported by the sources" "$S"
    # The redraws between keys (the lease countdown, every second on a
    # draft) keep the menu: it used to vanish after a second, leaving
    # only "Pick one" with nothing to pick from.
    check "$size: the menu stays through the redraws" \
        eval '! ui_wait_gone "Reject: why?" 3'
    ui_keys j j Enter
    check "$size: note asked" ui_wait "Note (optional"
    ui_keys "wrong tone for a refund" Enter
    check "$size: next draft after reject" ui_wait "Shipping is free"
    check_contains "$size: message" "reject D-1" "$(ui_screen)"
    check_eq "$size: reason and note stored" "reject|tone|wrong tone for a refund" "$(decisions D-1)"
    ui_keys r
    ui_wait "Reject: why?"
    ui_keys Escape
    check "$size: Esc cancels the menu" ui_wait_gone "Reject: why?"
    check_eq "$size: cancelled reject records nothing" "" "$(decisions D-2)"
    ui_keys q q
    exited >/dev/null
    ui_stop
done
# The menu lists the draft's workflow's reason codes as the queue keeps
# them (issue 17, finding 5): a workflow's own list replaces the default.
newq reject-own; three
"$SO" workflow set support --queue "$Q" \
    --reasons 'legal=Needs legal review,dup=Duplicate' >/dev/null
review 80x24
ui_wait "First refund question"; ui_keys Enter; ui_wait "Refunds take 30 days"
ui_keys r
check "the workflow's own reasons in the menu" ui_wait "Needs legal review"
check_not_contains "default reasons replaced" "Factual error" "$(ui_screen)"
ui_keys 2
ui_wait "Note (optional"; ui_keys Enter
ui_wait "Shipping is free"
check_eq "the workflow's reason code, empty note" "reject|dup|" "$(decisions D-1)"
