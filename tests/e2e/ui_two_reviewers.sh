#!/bin/bash
# Two reviewers on one queue never see the same draft: each approve claims
# the next draft nobody else holds.
. "$(dirname "$0")/ui.inc"
newq two
for i in 1 2 3 4 5 6; do jd "T-$i" "Ticket $i" "Body of ticket $i." $((10 - i)); done | enq
TMUX_SOCK_A="so$$a"; TMUX_SOCK_B="so$$b"
on_exit "tmux -L $TMUX_SOCK_A kill-server 2>/dev/null; tmux -L $TMUX_SOCK_B kill-server 2>/dev/null"
TMUX_SOCK=$TMUX_SOCK_A SIGNOFF_REVIEWER=alice review 80x24
TMUX_SOCK=$TMUX_SOCK_A ui_wait "Ticket 1"; TMUX_SOCK=$TMUX_SOCK_A ui_keys Enter
TMUX_SOCK=$TMUX_SOCK_A ui_wait "Body of ticket 1."
TMUX_SOCK=$TMUX_SOCK_B SIGNOFF_REVIEWER=bob review 200x50
TMUX_SOCK=$TMUX_SOCK_B ui_wait "Ticket 1"
S=$(TMUX_SOCK=$TMUX_SOCK_B ui_screen)
check "bob sees T-1 flagged as claimed" grep -qE "^  C +T-1" <<<"$S"
TMUX_SOCK=$TMUX_SOCK_B ui_keys Enter
check "bob cannot open alice's draft" env TMUX_SOCK=$TMUX_SOCK_B bash -c ". '$TOP/tests/lib.sh'; TMUX_SOCK=$TMUX_SOCK_B; ui_wait 'cannot open T-1'"
TMUX_SOCK=$TMUX_SOCK_B ui_keys j Enter
check "bob opens T-2" env bash -c ". '$TOP/tests/lib.sh'; TMUX_SOCK=$TMUX_SOCK_B; ui_wait 'Body of ticket 2.'"

for round in 1 2; do
    TMUX_SOCK=$TMUX_SOCK_A ui_keys a
    sleep 0.5
    TMUX_SOCK=$TMUX_SOCK_B ui_keys a
    sleep 0.5
done
A=$(sql "$Q" "SELECT group_concat(draft) FROM (SELECT draft FROM decisions WHERE reviewer='alice' ORDER BY seq)")
B=$(sql "$Q" "SELECT group_concat(draft) FROM (SELECT draft FROM decisions WHERE reviewer='bob' ORDER BY seq)")
check_eq "alice decided two drafts" 2 "$(sql "$Q" "SELECT count(*) FROM decisions WHERE reviewer='alice'")"
check_eq "bob decided two drafts" 2 "$(sql "$Q" "SELECT count(*) FROM decisions WHERE reviewer='bob'")"
check_eq "no draft decided twice" 0 "$(sql "$Q" "SELECT count(*) FROM (SELECT draft FROM decisions GROUP BY draft HAVING count(*) > 1)")"
check_eq "claims held by two different people on two different drafts" "2|2" \
    "$(sql "$Q" "SELECT count(DISTINCT claimed_by)||'|'||count(*) FROM drafts WHERE status='claimed'")"
echo "# alice decided $A; bob decided $B"
TMUX_SOCK=$TMUX_SOCK_A ui_keys q q
TMUX_SOCK=$TMUX_SOCK_B ui_keys q q
sleep 0.5
check_eq "both quit: every claim released" 0 "$(sql "$Q" "SELECT count(*) FROM drafts WHERE status='claimed'")"
