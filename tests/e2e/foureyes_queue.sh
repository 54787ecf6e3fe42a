#!/bin/bash
# Four-eyes in the queue (issue 19 item 5): my queue shows what I can act
# on. Drafts I already reviewed and drafts waiting for a supervisor are
# not rows I could open; they are counted apart ("waiting on others: N").
# The draft header says which review this is ("review 1 of 2").
. "$(dirname "$0")/ui.inc"
newq foureyes_queue
"$SO" workflow set refunds --reviews 2 --queue "$Q" >/dev/null
for i in 01 02 03 04 05 06 07 08 09 10; do
    jd "F-$i" "Refund number $i" "We refund $i EUR." "$((20 - 10#$i))" "[]" refunds
done | enq
# alice reviewed F-01..F-07; F-08 is escalated (for a supervisor).
for i in 01 02 03 04 05 06 07; do
    SIGNOFF_REVIEWER=alice "$SO" decide "F-$i" approve --queue "$Q" >/dev/null
done
SIGNOFF_REVIEWER=bob "$SO" decide F-08 escalate --note "over my limit" --queue "$Q" >/dev/null

for size in $SIZES; do
    SIGNOFF_REVIEWER=alice review "$size"
    check "$size: alice's queue opens on a draft she can act on" ui_wait "Refund number 09"
    check "$size: the rest is counted apart" ui_wait "$(waiting 8)"
    S=$(ui_screen)
    check_contains "$size: pending counts what alice can act on" "pending 2" "$S"
    for i in 01 02 03 04 05 06 07 08; do
        check_not_contains "$size: F-$i is not a row for alice" "F-$i" "$S"
    done
    check_contains "$size: F-10 is a row" "F-10" "$S"
    ui_keys Enter
    check "$size: the header says review 1 of 2" ui_wait "F-09  refunds  review 1 of 2"
    ui_keys q q
    check_eq "$size: alice quits" "__EXITED__ rc=0" "$(exited)"
    ui_stop

    SIGNOFF_REVIEWER=bob review "$size"
    check "$size: bob's queue lists the drafts alice reviewed" ui_wait "Refund number 01"
    ui_keys Enter
    check "$size: bob gives review 2 of 2" ui_wait "F-01  refunds  review 2 of 2"
    ui_keys q q
    exited >/dev/null
    ui_stop
done
