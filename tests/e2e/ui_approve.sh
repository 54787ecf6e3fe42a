#!/bin/bash
# Approve: open the first draft from the queue, approve it with a, the next
# draft opens; the decision is in the queue with its timing.
. "$(dirname "$0")/ui.inc"
for size in $SIZES; do
    newq "approve-$size"; three
    review "$size"
    check "$size: queue screen lists the drafts" ui_wait "First refund question"
    # The counts follow the list (the screen is drawn before the counting,
    # which on a remote queue is a round trip): wait for them.
    check "$size: status bar shows pending" ui_wait "pending 3"
    check "$size: status bar shows my count" ui_wait "today 0 "
    ui_keys Enter
    check "$size: draft screen opens" ui_wait "Refunds take 30 days"
    S=$(ui_screen)
    check_contains "$size: header names the draft" "D-1  support  m-test  conf 0.42" "$S"
    check_contains "$size: citation shown" "[1] Refund policy" "$S"
    # 10:00 on PostgreSQL: its clock stamps the lease a moment after ours
    check "$size: lease shown" grep -qE 'lease (9:[0-5][0-9]|10:00)' <<<"$S"
    ui_keys a
    check "$size: next draft opens after approve" ui_wait "Shipping is free"
    S=$(ui_screen)
    check_contains "$size: message says approved" "approve D-1" "$S"
    check "$size: my count updated" ui_wait "today 1 "
    check_eq "$size: decision recorded" "approve||" "$(decisions D-1)"
    check_eq "$size: draft decided" "decided" "$(status D-1)"
    check_eq "$size: next draft claimed by alice" "claimed|alice" \
        "$(sql "$Q" "SELECT status||'|'||claimed_by FROM drafts WHERE id='D-2'")"
    check_eq "$size: shown_at recorded" "1" \
        "$(sql "$Q" "SELECT CASE WHEN shown_at > 0 AND active_ms >= 0 THEN 1 ELSE 0 END FROM decisions WHERE draft='D-1'")"
    ui_keys q
    # The title is on the draft screen too: wait for the draft to go (the
    # release is answered before the queue screen is drawn).
    check "$size: q leaves the draft" ui_wait_gone "Shipping is free"
    check "$size: q goes back to the queue" ui_wait "Second shipping question"
    check_eq "$size: leaving releases the claim" "pending" "$(status D-2)"
    ui_keys q
    check_eq "$size: clean exit" "__EXITED__ rc=0" "$(exited)"
    ui_stop
done

# Active time: the time on the draft is recorded (a gap between keys counts
# up to 60 s), with the moment it was first shown.
newq active; three
review 80x24
ui_wait "First refund question"; ui_keys Enter; ui_wait "Refunds take 30 days"
sleep 1.2
ui_keys j
sleep 0.5
ui_keys a
ui_wait "Shipping is free"
check_eq "active time counts the seconds on the draft" 1 \
    "$(sql "$Q" "SELECT CASE WHEN active_ms BETWEEN 1500 AND 60000 THEN 1 ELSE 0 END FROM decisions WHERE draft='D-1'")"
check_eq "shown_at is before decided_at" 1 \
    "$(sql "$Q" "SELECT CASE WHEN shown_at <= decided_at AND decided_at - shown_at < 60000 THEN 1 ELSE 0 END FROM decisions WHERE draft='D-1'")"
