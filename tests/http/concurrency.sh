# Concurrency through the server: 8 client processes (6 keep-alive HTTP
# workers, 2 loops of the signoff client) claim and approve until 2,000
# drafts (500 under ASan; fewer on PostgreSQL) are done, and the server is
# killed (kill -9) a third of the way and restarted: every draft is decided
# exactly once, the signoff clients' outbox drains with `signoff sync`, the
# audit chain verifies.
# The server runs with --synchronous normal: a kill -9 is a process crash,
# which WAL with synchronous=NORMAL survives; fsync per decision would only
# make the run slower on a loaded machine.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
# Under ASan 500 drafts: the same requests, a quarter of the volume. On
# PostgreSQL (tests/pg/http_concurrency.sh) 400, 150 under ASan: the same
# races, within the pg pass's budget (tests/pg/two_servers.sh spreads them
# across two servers on one database).
default_n=2000
[ "${SIGNOFF_MODE:-plain}" = asan ] && default_n=500
if [ "$(test_backend)" = pg ]; then
    default_n=400
    [ "${SIGNOFF_MODE:-plain}" = asan ] && default_n=150
fi
N=${SIGNOFF_CONC_DRAFTS:-$default_n}

# cli_worker WHO OUT: claim/decide with the signoff client until empty.
cli_worker() {
    local who=$1 out=$2 id end=$((SECONDS + 300))
    : >"$out"
    while [ $SECONDS -lt $end ]; do
        id=$(SIGNOFF_TOKEN_FILE="$T/token.$who" "$SO" claim --queue "$URL" --lease 3 --format id 2>/dev/null)
        case $? in
        0) SIGNOFF_TOKEN_FILE="$T/token.$who" "$SO" decide --queue "$URL" "$id" approve \
               >>"$out" 2>&1 ;;
        5) [ "$(curl -s -H "Authorization: Bearer $TOK_ALICE" "$URL/v1/count?status=open")" = '{"count":0}' ] &&
               break; sleep 0.2 ;;
        *) sleep 0.1 ;;
        esac
    done
}

# run_all: start the 8 workers in the background; pids in $WPIDS.
run_all() {
    WPIDS=""
    for i in 1 2 3 4 5 6; do
        python3 "$TOP/tests/http/worker.py" "$URL" "$TOK_ALICE" "$T/w$i.out" &
        WPIDS="$WPIDS $!"
    done
    cli_worker alice "$T/c1.out" & WPIDS="$WPIDS $!"
    cli_worker bob "$T/c2.out" & WPIDS="$WPIDS $!"
}

exactly_once() {
    check_eq "$1: $N decisions" "$N" "$(sql "$Q" "select count(*) from decisions where kind <> 'admin'")"
    check_eq "$1: $N distinct drafts decided" "$N" "$(sql "$Q" "select count(distinct draft) from decisions where kind <> 'admin'")"
    check_eq "$1: nothing left open" 0 "$(sql "$Q" "select count(*) from drafts where status!='decided'")"
    check_eq "$1: no request_id twice" 0 \
        "$(sql "$Q" "select count(*) from (select request_id from decisions group by request_id having count(*)>1) as twice")"
}

serve_setup "$N"
serve_start --threads 4 --synchronous normal || { notok "serve starts"; exit 1; }
t0=$(date +%s.%N)
run_all
i=0
while [ "$(sql "$Q" "select count(*) from decisions" 2>/dev/null || echo 0)" -lt $((N / 3)) ] && [ $i -lt 1200 ]; do
    sleep 0.1; i=$((i + 1))
done
serve_kill
done_at_kill=$(sql "$Q" "select count(*) from decisions")
check "kill -9 came mid-run ($done_at_kill of $N decided)" [ "$done_at_kill" -lt "$N" ]
sleep 0.5
serve_start --threads 4 --synchronous normal || { notok "serve restarts"; exit 1; }
wait $WPIDS
secs=$(python3 -c "print(round($(date +%s.%N) - $t0, 1))")
echo "# $N drafts by 8 processes in $secs s, server killed once"
for who in alice bob; do SIGNOFF_TOKEN_FILE="$T/token.$who" "$SO" sync --queue "$URL" >/dev/null 2>&1; done
exactly_once "8 processes, server killed and restarted"
check "CLI workers took part" [ "$(cat "$T/c1.out" "$T/c2.out" | grep -c '^recorded')" -gt 0 ]
SIGNOFF_TOKEN_FILE="$T/token.alice" so sync --queue "$URL"
check_contains "outbox drained" ", 0 waiting" "$OUT"
so verify --queue "$Q"
check_eq "audit chain intact after the kill" 0 "$RC"
serve_stop
