#!/bin/bash
# Queue errors are shown, never fatal: when another process takes the lease
# away, approve says "not saved: ..." on the message line, records nothing,
# and the UI keeps running.
. "$(dirname "$0")/ui.inc"
for size in $SIZES; do
    newq "errors-$size"; three
    review "$size"
    ui_wait "First refund question"; ui_keys Enter; ui_wait "Refunds take 30 days"
    # Someone else's claim: a newer fencing token, another reviewer.
    sql "$Q" "UPDATE drafts SET lease_token = lease_token + 1, claimed_by = 'mallory' WHERE id = 'D-1'"
    ui_keys a
    check "$size: the failure is shown" ui_wait "not saved:"
    check_contains "$size: the draft stays on screen" "Refunds take 30 days [1]." "$(ui_screen)"
    check_eq "$size: nothing recorded" "" "$(decisions D-1)"
    check_eq "$size: mallory keeps her claim" "mallory" \
        "$(sql "$Q" "SELECT claimed_by FROM drafts WHERE id='D-1'")"
    ui_keys q
    check "$size: back to the queue" ui_wait "Second shipping question"
    check "$size: mallory's draft is counted apart" ui_wait "$(waiting 1)"
    ui_keys Enter
    check "$size: still works: next draft opens" ui_wait "Shipping is free"
    ui_keys a
    check "$size: and decides" ui_wait "approve D-2"
    ui_keys q q
    check_eq "$size: clean exit" "__EXITED__ rc=0" "$(exited)"
    ui_stop
done
