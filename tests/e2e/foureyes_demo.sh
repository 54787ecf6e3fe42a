#!/bin/bash
# The four-eyes walk on the demo queue: refund-approvals needs two reviews.
# alice and bob review the same refund in two tmux servers (bob's screen
# shows nothing of alice's review), they disagree, a supervisor opens the
# reviews view and resolves it, and the monitor shows the pair's agreement.
. "$(dirname "$0")/ui.inc"
demo_queue demo
# Keys act as soon as the draft is drawn (the test waits for it on screen).
"$SO" workflow set refund-approvals --min-seen 0 --queue "$Q" >/dev/null
check_eq "demo: the waiting refunds need two reviews" 2 \
    "$(sql "$Q" "SELECT min(reviews_needed) FROM drafts WHERE workflow = 'refund-approvals' AND status = 'pending'")"
FIRST=$(sql "$Q" "SELECT id FROM drafts WHERE workflow = 'refund-approvals' AND status = 'pending' ORDER BY priority DESC, created_at, rid LIMIT 1")
SOCK_A="so$$a" SOCK_B="so$$b" SOCK_S="so$$s"
as_alice() { local TMUX_SOCK=$SOCK_A; "$@"; }
as_bob() { local TMUX_SOCK=$SOCK_B; "$@"; }
as_sue() { local TMUX_SOCK=$SOCK_S; "$@"; }

SIGNOFF_REVIEWER=alice as_alice review 200x50 --workflow refund-approvals
as_alice ui_wait "$FIRST"; as_alice ui_keys Enter
as_alice ui_wait "$FIRST  refund-approvals" >/dev/null
as_alice ui_keys a
check "alice approves $FIRST: review recorded" \
    as_alice ui_wait "approve $FIRST: review recorded"

SIGNOFF_REVIEWER=bob as_bob review 200x50 --workflow refund-approvals
as_bob ui_wait "$FIRST"; as_bob ui_keys Enter
check "bob opens the refund alice reviewed" \
    as_bob ui_wait_gone "approve $FIRST"
# The claim lands after the screen changes (a round trip later on a
# remote queue): wait for the row, then read it.
holder() { sql "$Q" "SELECT claimed_by FROM drafts WHERE id = '$FIRST'"; }
bob_holds() { [ "$(holder)" = bob ]; }
wait_for 15 bob_holds
check_eq "bob holds $FIRST" "bob" "$(holder)"
check_not_contains "blind: bob's screen has no trace of alice" "alice" \
    "$(as_bob ui_screen)"
as_bob ui_keys r
as_bob ui_wait "Reject: why?"
as_bob ui_keys Enter
as_bob ui_wait "Note (optional"
as_bob ui_keys Enter
check "bob rejects: reviews disagree, sent to resolve" \
    as_bob ui_wait "reject $FIRST: reviews disagree: sent to resolve"
as_alice ui_keys q q; as_bob ui_keys q q
as_alice exited >/dev/null; as_bob exited >/dev/null
as_alice ui_stop; as_bob ui_stop

SIGNOFF_ROLE=supervisor SIGNOFF_REVIEWER=omar as_sue review 200x50 --workflow refund-approvals
as_sue ui_wait "$FIRST"; as_sue ui_keys Enter
# Keys typed before the draft is drawn are dropped: wait for it.
as_sue ui_wait "$FIRST  refund-approvals" >/dev/null
as_sue ui_keys v
check "supervisor: the reviews view" \
    as_sue ui_wait "the reviews disagree; your decision is final"
S=$(as_sue ui_screen)
check_contains "reviews view: alice approved" "alice                 approve" "$S"
check_contains "reviews view: bob rejected" "bob                   reject" "$S"
as_sue ui_keys q
as_sue ui_wait_gone "your decision is final"
as_sue ui_keys a
check "supervisor resolves: final" as_sue ui_wait "approve $FIRST: resolved, final"
as_sue ui_keys m
as_sue ui_wait "support-replies"
as_sue ui_keys j
check "monitor: agreement of refund-approvals" \
    as_sue ui_wait "alice+bob                     1   0.0%     0.000"
check_contains "monitor: the resolution sided with the AI (with the demo's three)" \
    "resolved 4, 3 with the AI" "$(as_sue ui_screen)"
as_sue ui_keys q q q
check_eq "supervisor quits" "__EXITED__ rc=0" "$(as_sue exited)"
as_sue ui_stop
