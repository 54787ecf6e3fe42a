#!/bin/bash
# Resolve by adopting a review: the queue flags a draft whose reviews
# disagree R; on it a supervisor presses A, picks a review from the menu
# (reviewer, action, words changed, reason, note) and it is recorded as the
# final decision:
# the same action, reason and edited text, with a note naming whose it was;
# nothing to re-edit. On a draft not in resolve A only says what it is for.
. "$(dirname "$0")/ui.inc"

for size in $SIZES; do
    newq "adopt-$size"
    "$SO" workflow set refunds --reviews 2 --queue "$Q" >/dev/null
    {
        jd F-1 "Refund of 40 EUR" "We refund 40 EUR within 5 days." 2 "[]" refunds
        jd F-2 "Refund of 15 EUR" "We refund 15 EUR to your card." 1 "[]" refunds
        jd P-1 "Plain question" "A plain answer." 0 "[]" support
    } | enq
    printf 'We refund 45 EUR within 5 days.\n' >"$T/alice.txt"
    printf 'We refund 40 EUR within 3 days.\n' >"$T/bob.txt"
    SIGNOFF_REVIEWER=alice "$SO" decide F-1 edit --body-file "$T/alice.txt" --queue "$Q" >/dev/null
    SIGNOFF_REVIEWER=bob "$SO" decide F-1 edit --body-file "$T/bob.txt" --queue "$Q" >/dev/null
    SIGNOFF_REVIEWER=alice "$SO" decide F-2 reject --reason tone --note "too curt" --queue "$Q" >/dev/null
    SIGNOFF_REVIEWER=bob "$SO" decide F-2 approve --queue "$Q" >/dev/null
    check_eq "$size: both drafts in resolve" "resolve resolve" "$(status F-1) $(status F-2)"

    SIGNOFF_ROLE=supervisor SIGNOFF_REVIEWER=sue review "$size"
    check "$size: queue shown" ui_wait "Refund of 40 EUR"
    S=$(ui_screen)
    check_contains "$size: a draft in resolve is flagged R" " R  F-1" "$S"
    check_contains "$size: a plain one is not" "    P-1" "$S"
    ui_keys Enter
    check "$size: sue opens F-1" ui_wait "We refund 40 EUR within 5 days."
    ui_keys A
    check "$size: the menu of reviews" ui_wait "Adopt which review as the final decision?"
    S=$(ui_screen)
    check_contains "$size: alice's edit listed" "alice: edit, 2 words changed" "$S"
    check_contains "$size: bob's edit listed" "bob: edit, 2 words changed" "$S"
    ui_keys 2
    check "$size: bob's version is final" ui_wait "edit F-1: resolved, final"
    check_eq "$size: the resolution is bob's text" \
        "edit|sue|resolve|We refund 40 EUR within 3 days.|adopted from bob" \
        "$(sql "$Q" "SELECT action||'|'||reviewer||'|'||kind||'|'||trim(final_body, '"$'\n'"')||'|'||note FROM decisions WHERE draft='F-1' ORDER BY seq DESC LIMIT 1")"
    check_eq "$size: F-1 decided" "decided" "$(status F-1)"
    check "$size: sue gets F-2 next" ui_wait "We refund 15 EUR to your card."
    ui_keys A
    check "$size: F-2's reviews" ui_wait "alice: reject (tone) \"too curt\""
    ui_keys 1
    check "$size: alice's reject is final" ui_wait "reject F-2: resolved, final"
    check_eq "$size: with her reason and note" \
        "reject|tone|adopted from alice: too curt" \
        "$(sql "$Q" "SELECT action||'|'||reason||'|'||note FROM decisions WHERE draft='F-2' AND kind='resolve'")"
    check "$size: the plain draft next" ui_wait "A plain answer."
    ui_keys A
    check "$size: A on a draft not in resolve says what it is for" \
        ui_wait "adopt: only for a draft whose reviews disagree"
    check_eq "$size: nothing recorded for it" "" "$(decisions P-1)"
    ui_keys q
    check_eq "$size: clean exit" "__EXITED__ rc=0" "$(ui_keys q; exited)"
    ui_stop
done
