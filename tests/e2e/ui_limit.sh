#!/bin/bash
# l limits the queue with mutt patterns (~w ~m ~c<N ~g ~e words,
# combinable); after a decision the next draft comes from the limit.
. "$(dirname "$0")/ui.inc"
newq limit
{
    jd S-1 "Support low" "Low confidence reply [1]." 9 "[]" support
    jd S-2 "Support high" "A fine reply." 8 "[]" support
    jd R-1 "Refund ask" "Refund granted." 7 "[]" refunds
    jd R-2 "Refund big" "Refund of a big amount." 6 "[]" refunds
} | enq
sql "$Q" "UPDATE drafts SET confidence = 0.9 WHERE id IN ('S-2', 'R-2')"
# limit [PATTERN]: l, and once the prompt is drawn (it drops keys typed
# before) a new pattern.
limit() { ui_keys l; ui_wait "Limit to:" >/dev/null; ui_keys C-u "$@" Enter; }
for size in $SIZES; do
    review "$size"
    ui_wait "Support low"
    ui_keys l
    check "$size: limit prompt" ui_wait "Limit to:"
    ui_keys "~w refunds" Enter
    check "$size: limited to refunds" ui_wait_gone "Support low"
    S=$(ui_screen)
    check_contains "$size: refund shown" "Refund ask" "$S"
    check_contains "$size: limit in the status bar" "[limit: ~w refunds]" "$S"
    check "$size: pending counts the limit" ui_wait "pending 2"
    limit "~c<0.6 ~w refunds"
    check "$size: confidence and workflow combined" ui_wait_gone "Refund big"
    check_contains "$size: low-confidence refund stays" "Refund ask" "$(ui_screen)"
    limit "~g"
    check "$size: ~g shows the grounding-flagged draft" ui_wait "Support low"
    check_not_contains "$size: ~g hides unflagged" "Support high" "$(ui_screen)"
    limit "big amount"
    check "$size: words match the body" ui_wait "Refund big"
    check_not_contains "$size: words hide others" "Refund ask" "$(ui_screen)"
    limit "~x"
    check "$size: bad pattern explained" ui_wait "unknown pattern ~x"
    limit
    check "$size: empty limit shows everything" ui_wait "Support high"
    ui_keys q; exited >/dev/null; ui_stop
done
# The next draft after a decision honours the limit.
review 80x24
ui_wait "Support low"
limit "~w refunds"
ui_wait_gone "Support low"
ui_keys Enter
check "first refund opens" ui_wait "Refund granted."
ui_keys a
check "next draft is the other refund, not a support one" ui_wait "Refund of a big amount."
ui_keys a
check "limit exhausted: back to the queue" ui_wait "nothing more to review"
check_eq "support drafts untouched" "pending pending" \
    "$(echo $(sql "$Q" "SELECT status FROM drafts WHERE workflow='support' ORDER BY id"))"
ui_keys q q; exited >/dev/null; ui_stop

# --workflow starts with the limit ~w.
review 80x24 --workflow support
check "--workflow limits from the start" ui_wait "[limit: ~w support]"
check_not_contains "--workflow hides other workflows" "Refund" "$(ui_screen)"
