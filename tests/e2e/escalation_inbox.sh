#!/bin/bash
# Escalation leads somewhere (issue 19 item 6). A reviewer's escalation
# sends the draft to the supervisors' inbox: it leaves the reviewer's
# queue (counted as waiting on others), it is not final, and a supervisor
# opens it from the inbox (E) with the escalating reviewer's reason and
# note in view and gives the final decision, which is the draft's outcome;
# x on it is refused at once, before any question.
. "$(dirname "$0")/ui.inc"
for size in $SIZES; do
    newq "inbox-$size"; three
    SIGNOFF_REVIEWER=alice review "$size"
    ui_wait "First refund question"; ui_keys Enter; ui_wait "Refunds take 30 days"
    ui_keys x
    check "$size: x asks why (the workflow's reasons)" ui_wait "Escalate: why?"
    check_contains "$size: the reasons listed" "Against policy" "$(ui_screen)"
    ui_keys 4
    ui_wait "Escalate: note"
    ui_keys "ESC-NOTE: legal must look" Enter
    check "$size: the escalation goes to the supervisors' inbox" \
        ui_wait "escalate D-1: sent to the supervisors' inbox"
    check_eq "$size: the reason code recorded" "escalate|policy" \
        "$(sql "$Q" "SELECT action||'|'||reason FROM decisions WHERE draft='D-1'")"
    check_eq "$size: escalated, not final" "escalated||" \
        "$(sql "$Q" "SELECT status||'|'||coalesce(final_action,'')||'|'||coalesce(CAST(decided_at AS TEXT),'') FROM drafts WHERE id='D-1'")"
    ui_keys q
    check "$size: alice's queue counts it apart" ui_wait "$(waiting 1)"
    check_not_contains "$size: D-1 is not a row for alice" "D-1" \
        "$(ui_screen | grep -v "escalate D-1: sent")"
    ui_keys E
    check "$size: a reviewer's inbox is empty, and says why" \
        ui_wait "Waiting on others: 1"
    ui_keys q; exited >/dev/null; ui_stop

    SIGNOFF_ROLE=supervisor SIGNOFF_REVIEWER=sue review "$size"
    ui_wait "First refund question"
    ui_keys E
    check "$size: the supervisor's inbox is labelled" ui_wait "[inbox"
    check "$size: the inbox's count says what it counts" ui_wait "pending 1 in inbox"
    S=$(ui_screen)
    check_not_contains "$size: not a limit's count" "in limit" "$S"
    check_contains "$size: the inbox lists the escalated draft" "D-1" "$S"
    check_not_contains "$size: only escalated drafts" "D-2" "$S"
    ui_keys Enter
    check "$size: the supervisor sees who escalated and why" \
        ui_wait "Escalated by alice"
    S=$(ui_screen)
    check_contains "$size: with the reviewer's reason" \
        "reason: Against policy (policy)" "$S"
    check_contains "$size: with the reviewer's note" "ESC-NOTE: legal must look" "$S"
    check_contains "$size: the header says the decision is final" \
        "escalated: your decision is final" "$S"
    # x again is refused at once, with what to do instead (the store's
    # rule, asked of the draft held): no reason or note asked for first.
    ui_keys x
    check "$size: x on an escalated draft is refused at once" \
        ui_wait "escalate: D-1: already escalated; give the final decision"
    S=$(ui_screen)
    check_not_contains "$size: no question before the refusal" "Escalate: why?" "$S"
    check_not_contains "$size: the lease is kept" "lease lost" "$S"
    check_eq "$size: nothing recorded by x" 1 \
        "$(sql "$Q" "SELECT count(*) FROM decisions WHERE draft='D-1'")"
    ui_keys a
    check "$size: the supervisor's decision is final" \
        ui_wait "approve D-1: resolved, final"
    check_eq "$size: the outcome is the supervisor's approve" "decided|approve" \
        "$(sql "$Q" "SELECT status||'|'||final_action FROM drafts WHERE id='D-1'")"
    check_eq "$size: chain: alice's escalation, sue's final decision" \
        "alice|review|escalate sue|resolve|approve" \
        "$(sql "$Q" "SELECT reviewer||'|'||kind||'|'||action FROM decisions WHERE draft='D-1' ORDER BY seq" | tr '\n' ' ' | sed 's/ $//')"
    ui_keys q q; exited >/dev/null; ui_stop
done
