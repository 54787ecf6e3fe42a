#!/bin/bash
# Another process holds the queue's write lock (issue 17, finding 13; on
# PostgreSQL too, tests/pg/http_locked.sh):
# /healthz and reads are answered at once, never after the lock; a write
# that cannot get the lock within 1 s is answered 503 with Retry-After, and
# succeeds once the lock is gone.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
serve_setup 5
serve_start || { notok "serve starts"; exit 1; }
AUTH="Authorization: Bearer $TOK_ALICE"
# timed METHOD PATH [BODY]: "CODE SECONDS" (curl gives up after 20 s).
timed() {
    local args=(-s -o "$T/.timed" -D "$T/.headers" --max-time 20
                -w '%{http_code} %{time_total}' -H "$AUTH" -X "$1")
    [ -n "${3-}" ] && args+=(--data-binary "$3")
    curl "${args[@]}" "$URL$2"
}
# within "CODE SECONDS" CODE LIMIT: that code, in under LIMIT seconds? (A
# read that waited for the lock would get 503 after the 1 s write wait, so
# 200 proves it did not; the time is bounded loosely for a loaded machine.)
within() { awk -v c="$2" -v l="$3" '{ exit !($1 == c && $2 < l) }' <<<"$1"; }

# The lock holder, in a write transaction held until told to end (at most
# 60 s): an sqlite3 shell on a file; on PostgreSQL (tests/pg/http_locked.sh)
# a psql session holding the tables a write takes in EXCLUSIVE mode, which
# reads (ACCESS SHARE) pass and every write and claim waits for.
mkfifo "$T/sql"
if [ "$(test_backend)" = pg ]; then
    pg_psql "$PGDB" <"$T/sql" >"$T/locker.out" 2>&1 &
else
    sqlite3 "$Q" <"$T/sql" >"$T/locker.out" 2>&1 &
fi
lpid=$!
on_exit "kill $lpid 2>/dev/null"
exec 7>"$T/sql"
# locked: does another session hold the write lock?
if [ "$(test_backend)" = pg ]; then
    printf 'BEGIN;\nLOCK TABLE drafts, decisions, chain_head IN EXCLUSIVE MODE;\nSELECT 1;\n' >&7
    locked() {
        [ "$(pg_psql "$PGDB" -c "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'chain_head' AND l.mode = 'ExclusiveLock' AND l.granted")" = 1 ]
    }
else
    printf '.timeout 10000\nBEGIN IMMEDIATE;\nUPDATE drafts SET priority = priority;\n' >&7
    locked() {
        [ "$(sqlite3 -cmd '.timeout 0' "$Q" 'BEGIN IMMEDIATE;' 2>&1)" != "" ]
    }
fi
i=0
until locked || [ $i -ge 100 ]; do
    sleep 0.1; i=$((i + 1))
done
check "another process holds the write lock" locked

r=$(curl -s -o /dev/null --max-time 20 -w '%{http_code} %{time_total}' "$URL/healthz")
check "locked: /healthz at once ($r)" within "$r" 200 3
for p in "/v1/drafts" "/v1/count" "/v1/drafts/D-0001" "/v1/stats" "/v1/workflows" "/v1/me" "/metrics"; do
    r=$(timed GET "$p")
    check "locked: GET $p answered at once ($r)" within "$r" 200 3
done
r=$(timed POST /v1/claim '{}')
check "locked: a claim gets 503 within about 1 s ($r)" within "$r" 503 3
check_contains "the 503 carries Retry-After" "Retry-After: 1" "$(tr -d '\r' <"$T/.headers")"
check_contains "the 503 is busy" '"code":"busy"' "$(cat "$T/.timed")"
r=$(curl -s -o /dev/null --max-time 20 -w '%{http_code} %{time_total}' "$URL/healthz")
check "locked, after the refused write: /healthz at once ($r)" within "$r" 200 3

# Writes waiting for the lock hold no thread that serves others: with 8
# claims waiting (two for each of the 4 threads), /healthz and a read
# still answer well inside the 1 s those claims wait.
: >"$T/claims"
cpids=""
for i in 1 2 3 4 5 6 7 8; do
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 20 -H "$AUTH" -d '{}' \
        "$URL/v1/claim" >>"$T/claims" &
    cpids="$cpids $!"
done
# (until the 8 are connected to the server, at most 1 s)
i=0
until [ "$(ss -Htn state established "( sport = :$SERVE_PORT )" 2>/dev/null | wc -l)" -ge 8 ] ||
      [ $i -ge 100 ]; do
    sleep 0.01; i=$((i + 1))
done
for k in 1 2 3 4; do
    r=$(curl -s -o /dev/null --max-time 20 -w '%{http_code} %{time_total}' "$URL/healthz")
    check "8 writes waiting for the lock: /healthz answered at once ($k: $r)" within "$r" 200 0.7
done
r=$(timed GET /v1/count)
check "8 writes waiting for the lock: a read answered at once ($r)" within "$r" 200 0.7
wait $cpids
check_eq "the 8 waiting writes: each 503 after its second" "503 503 503 503 503 503 503 503" \
    "$(sort "$T/claims" | tr '\n' ' ' | sed 's/ $//')"

printf 'ROLLBACK;\n.quit\n' >&7
exec 7>&-
wait "$lpid"
r=$(timed POST /v1/claim '{}')
check "lock released: the claim succeeds ($r)" within "$r" 200 5
serve_stop
check_eq "serve exits 0" 0 "$SRC"
