#!/bin/bash
# Tags and a supervisor's bulk actions: t tags rows (marked *), ; offers
# release, escalate and reassign for the tagged drafts and nothing else (no
# bulk approve or reject: every approval is one human look). A release takes
# a draft from the reviewer holding it (whose claim can no longer decide);
# a reassignment holds drafts for the named reviewer; an escalation records
# one note on each. A plain reviewer's ; says it is for supervisors.
. "$(dirname "$0")/ui.inc"

for size in $SIZES; do
    newq "bulk-$size"
    for i in 1 2 3 4 5 6; do jd "B-$i" "Bulk question $i" "Answer $i." $((10 - i)); done | enq
    check_eq "$size: bob holds B-1" "B-1" \
        "$(SIGNOFF_REVIEWER=bob "$SO" claim --queue "$Q" --format id)"
    token=$(sql "$Q" "SELECT lease_token FROM drafts WHERE id='B-1'")

    SIGNOFF_ROLE=supervisor SIGNOFF_REVIEWER=sue review "$size"
    check "$size: queue shown" ui_wait "Bulk question 5"
    ui_keys t t
    check "$size: two tagged" ui_wait "2 tagged (; acts on them)"
    S=$(ui_screen)
    check_contains "$size: B-1 marked (claimed, tagged)" "C*B-1" "$S"
    check_contains "$size: B-2 marked" "*B-2" "$S"
    ui_keys '\;'
    check "$size: the bulk menu" ui_wait "Tagged drafts (no bulk approve: one look each)"
    S=$(ui_screen)
    check_contains "$size: release offered" "1 Release the 2 tagged (back to the queue)" "$S"
    check_contains "$size: escalate offered" "2 Escalate the 2 tagged (one note)" "$S"
    check_contains "$size: reassign offered" "3 Reassign the 2 tagged to a reviewer" "$S"
    check_not_contains "$size: no fourth item" "│ 4 " "$S"
    ui_keys 1
    check "$size: released" ui_wait "released 2 tagged drafts"
    check_eq "$size: B-1 and B-2 pending, nobody's" "pending| pending|" \
        "$(sql "$Q" "SELECT status||'|'||coalesce(claimed_by,'') FROM drafts WHERE id IN ('B-1','B-2') ORDER BY id" | tr '\n' ' ' | sed 's/ $//')"
    check "$size: bob's claim token is fenced (his decision would fail)" \
        test "$(sql "$Q" "SELECT lease_token FROM drafts WHERE id='B-1'")" -gt "$token"

    # A menu drops keys typed before it is drawn: wait for it.
    ui_keys t t t '\;'
    ui_wait "Tagged drafts (no bulk approve" >/dev/null
    ui_keys 3
    check "$size: asks for the reviewer" ui_wait "Reassign to reviewer:"
    ui_keys -l alice
    ui_keys Enter
    check "$size: reassigned" ui_wait "reassigned 3 tagged drafts to alice"
    check_eq "$size: B-3..B-5 held for alice" "alice alice alice" \
        "$(sql "$Q" "SELECT claimed_by FROM drafts WHERE id IN ('B-3','B-4','B-5') AND status='claimed' ORDER BY id" | tr '\n' ' ' | sed 's/ $//')"
    SIGNOFF_REVIEWER=alice run "$SO" decide B-4 approve --queue "$Q"
    check_eq "$size: alice decides a draft held for her" 0 "$RC"

    ui_keys g t t '\;'
    ui_wait "Tagged drafts (no bulk approve" >/dev/null
    ui_keys 2
    check "$size: asks for one note" ui_wait "Escalate: note for all of them:"
    ui_keys -l "needs legal"
    ui_keys Enter
    check "$size: escalated" ui_wait "escalated 2 tagged drafts"
    check_eq "$size: each with the note, by sue" \
        "B-1|escalate|sue|needs legal B-2|escalate|sue|needs legal" \
        "$(sql "$Q" "SELECT draft||'|'||action||'|'||reviewer||'|'||note FROM decisions WHERE action='escalate' ORDER BY draft" | tr '\n' ' ' | sed 's/ $//')"
    ui_keys q
    check_eq "$size: clean exit" "__EXITED__ rc=0" "$(exited)"
    ui_stop

    SIGNOFF_REVIEWER=bob review "$size"
    check "$size: bob's queue: what he can act on" ui_wait "Bulk question 6"
    ui_keys t
    check "$size: a reviewer's tag says ; is for supervisors" \
        ui_wait "1 tagged (; acts on them: supervisors only)"
    ui_keys '\;'
    check "$size: a reviewer's ; is refused" \
        ui_wait "bulk: release, escalate and reassign are for supervisors; 1 tagged"
    ui_keys q
    check_eq "$size: bob exits" "__EXITED__ rc=0" "$(exited)"
    ui_stop
done
