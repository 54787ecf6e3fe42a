#!/bin/bash
# Type-ahead never decides an unseen draft: keys typed before a draft is
# drawn are dropped when it is drawn, and the message line counts them
# ("Enter a a" opens D-1 and decides nothing; "a a" on D-1 approves D-1
# only, the second a was typed before D-2 was on screen). A decision key
# needs the draft on screen for the workflow's --min-seen: under it the UI
# says "look first" and records nothing. Every decision the UI records was
# on screen (shown_at set, some active time).
. "$(dirname "$0")/ui.inc"
for size in $SIZES; do
    newq "typeahead-$size"; three
    review "$size"
    ui_wait "First refund question"
    ui_keys Enter a a
    check "$size: Enter a a opens D-1" ui_wait "Refunds take 30 days"
    check "$size: and says the two a were dropped" \
        ui_wait "2 keys typed before D-1 was shown dropped"
    ui_wait "lease " >/dev/null
    check_eq "$size: and decides nothing" "0" "$(sql "$Q" "SELECT count(*) FROM decisions WHERE kind <> 'admin'")"
    check_eq "$size: D-1 still claimed" "claimed" "$(status D-1)"
    ui_keys a a
    check "$size: a a approves D-1 and opens D-2" ui_wait "Shipping is free over 50 EUR"
    check "$size: the message says which" ui_wait "approve D-1"
    check "$size: and that the second a was dropped" \
        ui_wait "approve D-1; 1 key typed ahead dropped"
    check_eq "$size: D-1 approved" "approve||" "$(decisions D-1)"
    check_eq "$size: the second a did not touch D-2" "" "$(decisions D-2)"
    check_eq "$size: D-2 is open, claimed" "claimed" "$(status D-2)"
    check_eq "$size: the decision was seen (shown_at set, active time)" "1" \
        "$(sql "$Q" "SELECT CASE WHEN shown_at > 0 AND active_ms > 0 THEN 1 ELSE 0 END FROM decisions WHERE draft='D-1'")"
    ui_keys q q; exited >/dev/null; ui_stop
done

# The minimum time on screen, per workflow: 60 s for "slow".
newq typeahead-minseen
{
    jd S-1 "Slow look needed" "Read this carefully [1]." 2 "[]" slow
    jd S-2 "Second slow one" "Also slow." 1 "[]" slow
} | enq
run "$SO" workflow set slow --min-seen 60s --queue "$Q"
check_eq "workflow set --min-seen 60s" 0 "$RC"
review 80x24
ui_wait "Slow look needed"; ui_keys Enter
check "the draft opens" ui_wait "Read this carefully"
ui_keys a
check "a under the minimum: look first" ui_wait "look first:"
S=$(ui_screen)
check_contains "says how long it was on screen and what is needed" "approve needs 60.0 s" "$S"
check_eq "nothing recorded" "" "$(decisions S-1)"
check_eq "still claimed by me" "claimed" "$(status S-1)"
ui_keys r
check "r under the minimum: look first, no menu" ui_wait "reject needs 60.0 s"
check_not_contains "no reject menu" "Reject: why?" "$(ui_screen)"
ui_keys q q; exited >/dev/null; ui_stop
