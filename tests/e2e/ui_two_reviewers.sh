#!/bin/bash
# Two reviewers on one queue never see the same draft: a draft alice holds
# is not a row in bob's queue (it is counted as waiting on others), and
# each decision claims the next draft nobody else holds.
. "$(dirname "$0")/ui.inc"
newq two
for i in 1 2 3 4 5 6; do jd "T-$i" "Ticket $i" "Body of ticket $i." $((10 - i)); done | enq
SOCK_A="so$$a" SOCK_B="so$$b"
# as_alice / as_bob CMD...: run a tmux helper against that reviewer's UI.
as_alice() { local TMUX_SOCK=$SOCK_A; "$@"; }
as_bob() { local TMUX_SOCK=$SOCK_B; "$@"; }
SIGNOFF_REVIEWER=alice as_alice review 80x24
as_alice ui_wait "Ticket 1"; as_alice ui_keys Enter
check "alice opens T-1" as_alice ui_wait "Body of ticket 1."
SIGNOFF_REVIEWER=bob as_bob review 200x50
as_bob ui_wait "Ticket 2"
check "bob: alice's draft is counted apart" as_bob ui_wait "$(waiting 1)"
check_not_contains "bob: alice's draft is not a row he could open" "T-1" \
    "$(as_bob ui_screen)"
as_bob ui_keys Enter
check "bob opens T-2" as_bob ui_wait "Body of ticket 2."
# decided WHO N: WHO's decisions have reached N (a message on screen may
# still be the last round's).
decided() { [ "$(sql "$Q" "SELECT count(*) FROM decisions WHERE kind <> 'admin' AND reviewer='$1'")" -ge "$2" ]; }
for round in 1 2; do
    as_alice ui_keys a
    wait_for 15 decided alice $round
    as_bob ui_keys a
    wait_for 15 decided bob $round
done
check_eq "alice decided two drafts" 2 "$(sql "$Q" "SELECT count(*) FROM decisions WHERE kind <> 'admin' AND reviewer='alice'")"
check_eq "bob decided two drafts" 2 "$(sql "$Q" "SELECT count(*) FROM decisions WHERE kind <> 'admin' AND reviewer='bob'")"
check_eq "no draft decided twice" 0 "$(sql "$Q" "SELECT count(*) FROM (SELECT draft FROM decisions GROUP BY draft HAVING count(*) > 1) AS twice")"
check_eq "the two open drafts are held by two different people" "2|2" \
    "$(sql "$Q" "SELECT count(DISTINCT claimed_by)||'|'||count(*) FROM drafts WHERE status='claimed'")"
as_alice ui_keys q q
as_bob ui_keys q q
check_eq "alice quits" "__EXITED__ rc=0" "$(as_alice exited)"
check_eq "bob quits" "__EXITED__ rc=0" "$(as_bob exited)"
check_eq "every claim released" 0 "$(sql "$Q" "SELECT count(*) FROM drafts WHERE status='claimed'")"
as_alice ui_stop; as_bob ui_stop
