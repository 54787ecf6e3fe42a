#!/bin/bash
# Progress (issue 19 item 10): the status bar says where I am ("row 1 of 5"
# on the queue, "2 of 5" on a draft: this session's decisions and what is
# left), the time worked this session and decisions per hour, and that the
# pending count is under a limit; a draft longer than its pane says which
# lines are shown, how far in (a percentage) and that more is below.
. "$(dirname "$0")/ui.inc"
newq progress
long=""
for i in $(seq 1 60); do long="${long}Line $i of the long answer.\\n"; done
{
    jd P-1 "Long answer" "${long}The end." 9
    for i in 2 3 4 5; do jd "P-$i" "Short answer $i" "Short body $i." $((9 - i)); done
} | enq
"$SO" workflow set support --min-seen 0 --queue "$Q" >/dev/null
for size in $SIZES; do
    sql "$Q" "UPDATE drafts SET status = 'pending', claimed_by = NULL, lease_until = 0; DELETE FROM decisions" >/dev/null 2>&1
    review "$size"
    ui_wait "Long answer"
    check "$size: the queue says which row of how many" ui_wait "row 1 of 5"
    ui_keys j
    check "$size: the row follows the selection" ui_wait "row 2 of 5"
    ui_keys k Enter
    check "$size: the draft says where I am in the queue" ui_wait " 1 of 5 "
    check "$size: a long draft says more is below" ui_wait "more below"
    S=$(ui_screen)
    check_contains "$size: which lines of how many" "lines 1-" "$S"
    # At 80 columns the time worked gives way to the counts and the lease.
    [ "$size" = 80x24 ] ||
        check_contains "$size: the time worked this session" "worked 0:00" "$S"
    ui_keys G
    check "$size: at the end: 100% and no more below" ui_wait "of 61, 100%  (end)"
    ui_keys a
    check "$size: after a decision: 2 of 5" ui_wait " 2 of 5 "
    ui_keys u
    check "$size: after undoing it: 1 of 5 again" ui_wait " 1 of 5 "
    check_contains "$size: the undone draft is back" "Long answer" "$(ui_screen)"
    ui_keys a
    ui_wait " 2 of 5 " >/dev/null
    ui_keys q
    ui_wait "row 1 of 4" >/dev/null
    ui_keys l
    ui_wait "Limit to:"
    ui_keys "Short" Enter
    check "$size: the pending count says a limit is on" ui_wait "pending 4 in limit"
    # A long limit is cut in the status bar before where I am gives way.
    ui_keys l
    ui_wait "Limit to:"
    ui_keys C-u "~w support Short answer" Enter
    check "$size: a long limit: still in limit" ui_wait "pending 4 in limit"
    check "$size: a long limit: still where I am" ui_wait "row 1 of 4"
    ui_keys q; exited >/dev/null; ui_stop
done
