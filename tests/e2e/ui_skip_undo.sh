#!/bin/bash
# Skip releases the draft and moves on (it is not offered again); undo
# reverts my last decision and brings the draft back to me.
. "$(dirname "$0")/ui.inc"
for size in $SIZES; do
    newq "skip-$size"; three
    review "$size"
    ui_wait "First refund question"; ui_keys Enter; ui_wait "Refunds take 30 days"
    ui_keys s
    check "$size: skip opens the next draft" ui_wait "Shipping is free"
    check_contains "$size: skip message" "skipped D-1" "$(ui_screen)"
    check_eq "$size: skipped draft released" "pending|" \
        "$(sql "$Q" "SELECT status||'|'||coalesce(claimed_by,'') FROM drafts WHERE id='D-1'")"
    check_eq "$size: skip records nothing" "" "$(decisions D-1)"
    ui_keys a
    check "$size: approve D-2" ui_wait "warranty lasts"
    ui_keys u
    check "$size: undo brings D-2 back" ui_wait "Shipping is free"
    check_contains "$size: undo message" "undone: D-2 is back" "$(ui_screen)"
    check_eq "$size: revert appended" "approve||
revert||" "$(decisions D-2)"
    check_eq "$size: draft mine again" "claimed|alice" \
        "$(sql "$Q" "SELECT status||'|'||claimed_by FROM drafts WHERE id='D-2'")"
    check_eq "$size: D-3 released by undo" "pending" "$(status D-3)"
    ui_keys x
    check "$size: escalate asks why first" ui_wait "Escalate: why?"
    ui_keys 4
    check "$size: then a note" ui_wait "Escalate: note"
    ui_keys "check with finance" Enter
    check "$size: next after escalate" ui_wait "warranty lasts"
    check_eq "$size: escalation stored with its reason" "approve||
revert||
escalate|policy|check with finance" "$(decisions D-2)"
    ui_keys q q; check_eq "$size: exit" "__EXITED__ rc=0" "$(exited)"; ui_stop
done
