#!/bin/bash
# Per-workflow guidelines: set with `workflow set W --guidelines-file F`,
# stored in the queue, shown by w in the citations' pane beside the draft
# (w again: the citations); they stay on for the next draft; a workflow
# without guidelines says how to set them; control bytes in them are shown
# as tokens, never sent to the terminal.
. "$(dirname "$0")/ui.inc"

for size in $SIZES; do
    newq "guide-$size"; three
    jd O-1 "Other workflow question" "No guidelines here." 0 "[]" other | enq
    printf 'Refunds: check the amount against the order.\nNever promise a date.\nEscape \033[2J here.\n' >"$T/guide.txt"
    check "$size: guidelines set" so workflow set support --queue "$Q" \
        --guidelines-file "$T/guide.txt"
    review "$size"
    check "$size: queue shown" ui_wait "First refund question"
    ui_keys Enter
    check "$size: draft opens" ui_wait "Refunds take 30 days"
    ui_keys w
    check "$size: w shows the guidelines" \
        ui_wait "Refunds: check the amount against the order."
    S=$(ui_screen)
    check_contains "$size: the pane names the workflow" "Guidelines: support" "$S"
    check_contains "$size: every line of them" "Never promise a date." "$S"
    check_contains "$size: an escape byte is shown as a token" "Escape ^[[2J here." "$S"
    check_not_contains "$size: the citations are not shown" "[1] Refund policy" "$S"
    ui_keys w
    check "$size: w again shows the citations" ui_wait "[1] Refund policy"
    check "$size: the guidelines are gone" ui_wait_gone "Never promise a date."
    ui_keys w
    ui_wait "Never promise a date."
    ui_keys a
    check "$size: the next draft opens" ui_wait "Shipping is free"
    check "$size: the guidelines stay on for it" ui_wait "Never promise a date."
    ui_keys a; ui_wait "The warranty lasts two years"; ui_keys a
    check "$size: the other workflow's draft" ui_wait "No guidelines here."
    check "$size: no guidelines: how to set them" \
        ui_wait "(no guidelines for other: a supervisor sets them with"
    ui_keys q
    check_eq "$size: clean exit" "__EXITED__ rc=0" "$(ui_keys q; exited)"
    ui_stop
done
