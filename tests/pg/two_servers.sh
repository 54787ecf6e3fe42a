#!/bin/bash
# Two `signoff serve` instances on one PostgreSQL database, as behind a load
# balancer: eight reviewer processes (six keep-alive HTTP workers and two
# loops of the signoff client) spread across both servers claim and approve
# 400 drafts; one server is killed (kill -9) mid-run and the other carries
# on. Every draft is decided exactly once, no request id twice, and the
# chain, appended by both servers, verifies in one line.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
pg_queue two || exit 0
Q=$PGQ
N=${SIGNOFF_CONC_DRAFTS:-400}
[ "${SIGNOFF_MODE:-plain}" = asan ] && N=150

serve_setup "$N"
check_eq "$N drafts enqueued" "$N" "$(psq 'SELECT count(*) FROM drafts')"
serve_start --threads 4 || { notok "server A starts"; exit 1; }
URL_A=$URL SPID_A=$SPID
SERVE_PORT=0 SERVE_LOG=$T/serve_b.log serve_start --threads 4 || { notok "server B starts"; exit 1; }
URL_B=$URL SPID_B=$SPID
check "two servers on two ports" test "$URL_A" != "$URL_B"

cli_worker() { # WHO URL OUT: claim/decide with the signoff client until empty
    local who=$1 url=$2 out=$3 id end=$((SECONDS + 300))
    : >"$out"
    while [ $SECONDS -lt $end ]; do
        id=$(SIGNOFF_TOKEN_FILE="$T/token.$who" "$SO" claim --queue "$url" --lease 3 --format id 2>/dev/null)
        case $? in
        0) SIGNOFF_TOKEN_FILE="$T/token.$who" "$SO" decide --queue "$url" "$id" approve >>"$out" 2>&1 ;;
        5) [ "$(psq "SELECT count(*) FROM drafts WHERE status <> 'decided'")" = 0 ] && break; sleep 0.2 ;;
        *) sleep 0.1 ;;
        esac
    done
}
WPIDS=""
for i in 1 2 3; do
    python3 "$TOP/tests/http/worker.py" "$URL_A" "$TOK_ALICE" "$T/a$i.out" & WPIDS="$WPIDS $!"
    python3 "$TOP/tests/http/worker.py" "$URL_B" "$TOK_BOB" "$T/b$i.out" & WPIDS="$WPIDS $!"
done
cli_worker alice "$URL_B" "$T/c1.out" & WPIDS="$WPIDS $!"
cli_worker bob "$URL_B" "$T/c2.out" & WPIDS="$WPIDS $!"

decided() { psq 'SELECT count(*) FROM decisions'; }
third() { [ "$(decided)" -ge $((N / 3)) ]; }
wait_for 120 third
kill -9 "$SPID_A" 2>/dev/null
wait "$SPID_A" 2>/dev/null
at_kill=$(decided)
check "server A killed mid-run ($at_kill of $N decided)" test "$at_kill" -lt "$N"
# A's workers carry on through B (the load balancer's job, here a restart
# of A on its port would do as well): restart A so they find it again.
SERVE_PORT=${URL_A##*:} SERVE_LOG=$T/serve_a2.log serve_start --threads 4 || notok "server A restarts"
# shellcheck disable=SC2086
wait $WPIDS

check_eq "every draft decided exactly once" "$N $N 0" \
    "$(psq "SELECT count(*), count(DISTINCT draft), (SELECT count(*) FROM drafts WHERE status <> 'decided') FROM decisions WHERE kind <> 'admin'" | tr '|' ' ')"
check_eq "no request id twice" "" "$(psq 'SELECT request_id FROM decisions GROUP BY request_id HAVING count(*) > 1')"
check "both servers' reviewers decided" test "$(psq "SELECT count(DISTINCT reviewer) FROM decisions WHERE kind <> 'admin'")" = 2
check "the signoff clients took part" test "$(cat "$T/c1.out" "$T/c2.out" | grep -c '^recorded')" -gt 0
so verify --queue "$Q"
check_eq "one chain from both servers verifies" \
    "0 $Q: audit chain ok: $((N + 1)) decisions (seq 1..$((N + 1))), head $(psq 'SELECT hash FROM chain_head')" "$RC $OUT"
check_eq "the head is the newest record (after the workflow's admin record)" "$((N + 1))" "$(psq 'SELECT seq FROM chain_head')"
serve_stop
kill -TERM "$SPID_B" 2>/dev/null
