#!/bin/bash
# bench/pg.sh BUILD: the PostgreSQL rows of `make bench` (bench/README.md):
# claim+decide per second and p99 through struct queue_ops at 1, 8 and 32
# reviewer processes, each beside pgbench running the same SQL
# (bench/pg_claim_decide.sql) with as many clients in the same run; then
# two `signoff serve` instances on one database against one. A throwaway
# cluster with the durable settings (fsync on, synchronous_commit on; not
# the tests' fast ones). PG_BENCH_S sets the seconds per figure (5),
# PG_BENCH_N the drafts (200000); last, enqueue with an automation policy
# against plain enqueue (PG_BENCH_ENQ_N drafts, 20000); PG_BENCH_ONLY=enqueue
# runs that row alone.
set -u
build=${1:-build-bench}
top=$(cd "$(dirname "$0")/.." && pwd)
S=${PG_BENCH_S:-5}
N=${PG_BENCH_N:-200000}
. "$top/tests/pg_cluster.sh"
bin=$(pg_bindir) || { echo "| PostgreSQL rows | n/a: PostgreSQL is not installed |"; exit 0; }
# the durable settings: start a cluster, then turn the tests' shortcuts off
pg_cluster_start || exit 1
trap pg_cluster_stop EXIT
_pg_as_owner "$bin/pg_ctl" -D "$SIGNOFF_PG_DIR/data" -w -l "$SIGNOFF_PG_DIR/data/log" \
    -o "-c listen_addresses='' -c unix_socket_directories='$SIGNOFF_PG_HOST' -c fsync=on -c full_page_writes=on -c synchronous_commit=on -c max_connections=200 -c shared_buffers=128MB" \
    restart >/dev/null 2>&1 || { echo "pg.sh: restart failed"; exit 1; }
export PGOPTIONS='-c client_min_messages=warning'
psql() { "$bin/psql" -X -q -A -t -h "$SIGNOFF_PG_HOST" -U so "$@"; }
q() { echo "postgresql:///$1?host=$SIGNOFF_PG_HOST&user=so"; }

# fresh DB: a queue of N drafts (made by SQL: enqueue is not what is timed)
fresh() {
    psql -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
    "$build/signoff" init --queue "$(q "$1")" >/dev/null
    psql -d "$1" -c "INSERT INTO workflows(name, created_at) VALUES ('w', 0);
        INSERT INTO drafts(id, workflow, body, content_sha, created_at)
        SELECT 'b-' || i, 'w', 'Answer ' || i || ' per policy.', md5(i::text), i
        FROM generate_series(1, $N) i" -c "VACUUM ANALYZE" >/dev/null
}

# pgbench_row CLIENTS: rate and p99 of the floor script
pgbench_row() {
    fresh pgb
    local dir
    dir=$(mktemp -d)
    (cd "$dir" && "$bin/pgbench" -n -M prepared -h "$SIGNOFF_PG_HOST" -U so -c "$1" -j 2 -T "$S" \
        -l -f "$top/bench/pg_claim_decide.sql" pgb >"$dir/out" 2>&1)
    local tps p99
    tps=$(awk '/^tps = / {printf "%.0f", $3}' "$dir/out")
    p99=$(cat "$dir"/pgbench_log.* 2>/dev/null | awk '{print $3 / 1000}' | sort -n |
        awk '{a[NR] = $1} END {if (NR) printf "%.3f", a[int(NR * 0.99)]}')
    rm -rf "$dir"
    echo "pgbench: ${tps}/s p99 ${p99} ms"
}

# signoff_row WORKERS [SPEC]: bench_queue's line, rate and p99
signoff_row() {
    local out
    out=$("$build/bench/bench_queue" "${2:-$(q sob)}" "$S" "$1" 2>/dev/null | tail -1)
    echo "$(echo "$out" | sed -n 's/.*rate=\([0-9]*\).*p99=\([0-9.]*\) .*busy=\([0-9]*\).*/\1\/s p99 \2 ms, busy \3/p')"
}

printf '| %-46s | %-30s | %-30s |\n' "figure (PostgreSQL $("$bin/postgres" --version | awk '{print $3}'), fsync on)" signoff "floor (same run)"
printf '| %-46s | %-30s | %-30s |\n' "----" "----" "----"
# PG_BENCH_ONLY=enqueue: the enqueue row alone (run it several times for
# the median on a shared machine)
if [ "${PG_BENCH_ONLY:-}" != enqueue ]; then
    for w in 1 8 32; do
        fresh sob
        a=$(signoff_row "$w")
        b=$(pgbench_row "$w")
        printf '| %-46s | %-30s | %-30s |\n' "claim+decide, $w reviewers" "$a" "$b"
    done

    # two servers on one database against one, 16 reviewers through HTTP
    tok=$(mktemp -d)
    printf 'bench-token-0123456789abcdef bench reviewer\n' >"$tok/tokens"
    printf 'bench-token-0123456789abcdef\n' >"$tok/token"
    chmod 600 "$tok/tokens" "$tok/token"
    serve() { # LOG: start a server in the background (pid in $!)
        "$build/signoff" serve --queue "$(q sob)" --tokens "$tok/tokens" --listen 127.0.0.1:0 \
            --threads 8 2>"$1" &
    }
    url_of() { # LOG: the URL the server said it listens on
        local i=0
        while ! grep -q 'listening on' "$1" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
        sed -n 's/^signoff: listening on \(http:[^ ]*\)$/\1/p' "$1" | head -1
    }
    rate() { sed -n 's/.*rate=\([0-9]*\).*p99=\([0-9.]*\) .*/\1 \2/p'; }
    fresh sob
    serve "$tok/a.log"; p1=$!
    u1=$(url_of "$tok/a.log")
    export SIGNOFF_TOKEN_FILE=$tok/token
    one=$("$build/bench/bench_queue" "$u1" "$S" 16 2>/dev/null | tail -1 | rate |
        awk '{printf "%d/s p99 %.3f ms", $1, $2}')
    kill "$p1"
    wait "$p1" 2>/dev/null
    fresh sob
    serve "$tok/a2.log"; p1=$!
    serve "$tok/b.log"; p2=$!
    u1=$(url_of "$tok/a2.log")
    u2=$(url_of "$tok/b.log")
    two=$( ("$build/bench/bench_queue" "$u1" "$S" 8 2>/dev/null | tail -1 &
        "$build/bench/bench_queue" "$u2" "$S" 8 2>/dev/null | tail -1; wait) | rate |
        awk '{r += $1; if ($2 > p) p = $2} END {printf "%d/s p99 %.3f ms", r, p}')
    kill "$p1" "$p2" 2>/dev/null
    wait "$p1" "$p2" 2>/dev/null
    rm -rf "$tok"
    printf '| %-46s | %-30s | %-30s |\n' "16 reviewers over HTTP: two servers, one DB" "$two" "one server: $one"
    # closing the loop (issue 18) on a database: bench/loop.py's figures (the
    # feed woken by LISTEN/NOTIFY; decision to webhook; deliveries/s) with
    # PG_BENCH_LOOP_N due deliveries (300)
    psql -d postgres -c "DROP DATABASE IF EXISTS sol" -c "CREATE DATABASE sol" >/dev/null
    loop=$(python3 "$top/bench/loop.py" "$build/signoff" "${PG_BENCH_LOOP_N:-300}" "$(q sol)")
    lf() { echo "$loop" | sed -n "s/^$1 .*$2=\([0-9.]*\).*/\1/p"; }
    printf '| %-46s | %-30s | %-30s |\n' "feed wake-up after a commit (other process)" "p50 $(lf feed p50) p99 $(lf feed p99) ms" ""
    printf '| %-46s | %-30s | %-30s |\n' "decision to webhook received, loopback" "p50 $(lf hook p50) p99 $(lf hook p99) ms" ""
    printf '| %-46s | %-30s | %-30s |\n' "webhook deliveries/s, one deliverer" "$(lf rate deliveries)/s" "receiver alone: $(lf rate floor)/s"
fi
# enqueue with an automation policy (issue 15 on issue 14, row 1b of a
# file): PG_BENCH_ENQ_N drafts (20000) in three workflows into a fresh
# database, plain and with every workflow automating from 0.5 with a 5%
# sample (~47.5% decided at enqueue), best of three runs each
EN=${PG_BENCH_ENQ_N:-20000}
enq_file=$(mktemp)
awk -v n="$EN" 'BEGIN { for (i = 0; i < n; i++)
    printf "{\"id\":\"E-%07d\",\"workflow\":\"w%d\",\"confidence\":%.2f,\"body\":\"Reply %d per policy [1].\"}\n",
        i, i % 3, (i % 100) / 100.0, i }' >"$enq_file"
enq_once() { # POLICY(0/1): ms to enqueue the file into a fresh database
    psql -d postgres -c "DROP DATABASE IF EXISTS soe" -c "CREATE DATABASE soe" >/dev/null
    "$build/signoff" init --queue "$(q soe)" >/dev/null
    for wf in w0 w1 w2; do
        SIGNOFF_REVIEWER=bench "$build/signoff" workflow set "$wf" --queue "$(q soe)" --owner bench >/dev/null
        [ "$1" = 1 ] && SIGNOFF_REVIEWER=bench "$build/signoff" workflow set "$wf" --queue "$(q soe)" \
            --automate-from 0.5 --sample 5% --force --reason bench >/dev/null
    done
    local t0 t1
    t0=$(date +%s%N)
    "$build/signoff" enqueue --queue "$(q soe)" "$enq_file" >/dev/null 2>&1
    t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000000))
}
best() { sort -n | head -1; }
plain_ms=$(for i in 1 2 3; do enq_once 0; done | best)
auto_ms=$(for i in 1 2 3; do enq_once 1; done | best)
auto_n=$(psql -d soe -c "SELECT count(*) FROM drafts WHERE route = 1")
rm -f "$enq_file"
plain_rate=$(awk -v n="$EN" -v t="$plain_ms" 'BEGIN { printf "%.0f", n / (t / 1000) }')
auto_rate=$(awk -v n="$EN" -v t="$auto_ms" 'BEGIN { printf "%.0f", n / (t / 1000) }')
pct=$(awk -v a="$auto_rate" -v b="$plain_rate" 'BEGIN { printf "%.0f", 100 * a / b }')
printf '| %-46s | %-30s | %-30s |\n' "enqueue $EN, policy on ($auto_n decided)" "$auto_rate drafts/s ($pct%)" "plain enqueue: $plain_rate/s"
echo "# $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), ${S}s per figure, $N drafts"
