#!/bin/bash
# Eight processes loop `signoff claim` + `signoff decide` on one queue of
# 2,000 drafts until it is empty: every draft is decided exactly once and no
# decision is lost. One worker is SIGKILLed mid-run and another process dies
# holding a claim: their drafts are reclaimed after their short lease.
# On PostgreSQL (tests/pg/concurrency.sh) the same test runs with 500
# drafts, as the ASan pass runs with fewer.
. "$(dirname "$0")/../lib.sh"
test_queue q || exit 0
export SIGNOFF_QUEUE=$Q
unset SIGNOFF_NOW_MS
# Every claim and decide is a process start (~40 shared libraries): under
# ASan that costs about four times more CPU (0.15 s), and the sanitizer
# checks the same code paths on every draft, so its run uses 150 drafts.
# Decisions commit at durability=normal: the test is about claims and
# leases between processes, not about fsync (test_store_concurrency does
# the same).
default_n=2000
[ "$(test_backend)" = pg ] && default_n=500
[ "${SIGNOFF_MODE:-plain}" = asan ] && default_n=150
N=${SIGNOFF_CONCURRENCY_DRAFTS:-$default_n}
export SIGNOFF_DURABILITY=normal
so init
python3 -c "
for i in range($N):
    print('{\"id\":\"c-%04d\",\"workflow\":\"w\",\"body\":\"draft %d\"}' % (i, i))" >"$T/in.jsonl"
so enqueue "$T/in.jsonl"
check_eq "$N drafts enqueued" "0 $N" "$RC $(qsql 'SELECT count(*) FROM drafts')"

# Workers poll while others write: wait for the lock rather than fail.
open_drafts() {
    qsql "SELECT count(*) FROM drafts WHERE status != 'decided'"
}

# worker NAME LEASE: claim and approve until nothing is open any more. The
# claimed id goes through a file: no subshell per claim.
worker() {
    local me=$1 lease=$2 n=0 id rc
    while :; do
        "$SO" claim --format id --lease "$lease" --reviewer "$me" >"$T/$me.id" 2>>"$T/$me.err"
        rc=$?
        id=""
        read -r id <"$T/$me.id"
        if [ "$rc" = 5 ]; then
            [ "$(open_drafts)" = 0 ] && return 0
            sleep 0.2
            continue
        fi
        if [ "$rc" != 0 ]; then
            echo "claim: exit $rc" >>"$T/$me.fail"
            continue
        fi
        "$SO" decide "$id" approve --reviewer "$me" --request-id "$me-$n" \
            >/dev/null 2>>"$T/$me.err" || echo "decide $id: exit $?" >>"$T/$me.fail"
        n=$((n + 1))
    done
}

start=$(date +%s)
# A process that claims a draft and dies before deciding it.
( "$SO" claim --format id --lease 2 --reviewer victim >"$T/victim.id"; sleep 60 ) &
victim=$!
pids=""
for w in 1 2 3 4 5 6 7; do
    worker "w$w" 30 &
    pids="$pids $!"
done
worker killed 2 &
doomed=$!
# Kill once the victim holds its claim (process starts are slow under ASan).
# The doomed worker is killed once it has claimed too.
both_claimed() { [ -s "$T/victim.id" ] && [ -s "$T/killed.id" ]; }
wait_for 60 both_claimed
{
    kill -9 "$victim" $(ps -o pid= --ppid "$victim")
    kill -9 "$doomed" $(ps -o pid= --ppid "$doomed")
    wait "$victim" "$doomed"
} 2>/dev/null
# shellcheck disable=SC2086
wait $pids
elapsed=$(( $(date +%s) - start ))

check_eq "the queue is empty" 0 "$(open_drafts)"
check_eq "every draft decided exactly once" "$N $N $N" \
    "$(qsql "SELECT count(*), count(DISTINCT draft), (SELECT count(*) FROM drafts WHERE status = 'decided') FROM decisions WHERE kind <> 'admin'" | tr '|' ' ')"
check_eq "no draft has two decisions" "" \
    "$(qsql 'SELECT draft FROM decisions GROUP BY draft HAVING count(*) > 1')"
check_eq "no live worker saw a failed claim or decide" "" "$(cat "$T"/w*.fail 2>/dev/null)"
vid=$(cat "$T/victim.id")
check "the dead process had claimed a draft" test -n "$vid"
check_eq "its draft was reclaimed and decided by a live worker" "1" \
    "$(qsql "SELECT count(*) FROM decisions WHERE draft = '$vid' AND reviewer LIKE 'w%'")"
check_eq "the victim decided nothing" 0 "$(qsql "SELECT count(*) FROM decisions WHERE reviewer = 'victim'")"
check_eq "the work was shared" 7 "$(qsql "SELECT count(DISTINCT reviewer) FROM decisions WHERE reviewer LIKE 'w%'")"
check_eq "the rollup counts each approval once" "$N" \
    "$(qsql "SELECT sum(approved) FROM rollup")"
if [ "$(test_backend)" = pg ]; then
    # No hot row: each connection adds to its own shard of a counter key.
    check "the counters were written to several shards" \
        test "$(qsql "SELECT count(DISTINCT shard) FROM rollup")" -gt 1
fi
so verify --quiet
check_eq "the audit chain holds after the kills" 0 "$RC"
echo "# $N drafts, 8 workers (one killed): ${elapsed}s; load: $(cut -d" " -f1-3 /proc/loadavg)"
