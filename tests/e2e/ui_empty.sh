#!/bin/bash
# An empty queue says so and quits cleanly; the last decision of a queue
# goes back to the queue screen saying nothing is left.
. "$(dirname "$0")/ui.inc"
for size in $SIZES; do
    newq "empty-$size"
    review "$size"
    check "$size: empty queue message" ui_wait "No drafts to review. The queue is empty."
    check "$size: zero pending" ui_wait "pending 0"
    ui_keys Enter a
    # a says where it works and drops what was typed after it: wait until
    # it has been read before typing q.
    check "$size: a says where it works" ui_wait "a: approve works on the draft screen"
    check_contains "$size: keys on an empty queue are harmless" "The queue is empty" "$(ui_screen)"
    ui_keys H
    ui_wait "No decisions of yours in these days." >/dev/null
    ui_keys u
    check "$size: u with no decision at all: nothing to undo" ui_wait "undo: nothing to undo"
    ui_keys q
    ui_wait "The queue is empty" >/dev/null
    ui_keys q
    check_eq "$size: q quits" "__EXITED__ rc=0" "$(exited)"
    ui_stop
done
newq last
jd L-1 "Only one" "The only draft." | enq
review 80x24
ui_wait "Only one"; ui_keys Enter; ui_wait "The only draft."
ui_keys a
check "after the last draft: back to the queue" ui_wait "nothing more to review"
check_contains "queue screen shows it is empty" "No drafts to review" "$(ui_screen)"
check_eq "last draft decided" "decided" "$(status L-1)"
ui_keys u
check "u on the queue screen undoes the last decision" ui_wait "undone: L-1 is back for review"
check_contains "and reopens the draft" "The only draft." "$(ui_screen)"
check_eq "draft mine again" "claimed" "$(status L-1)"
