#!/bin/bash
# signoff verify and export on a real queue file: a clean chain verifies, and
# each kind of tampering done with the sqlite3 shell (a changed note, a
# flipped action, a deleted record in the middle and at the end, two records
# swapped, a forged record) makes verify exit 1 naming the first bad record.
# Exports verify without the database, and a tampered export fails. On
# PostgreSQL (tests/pg/cli_verify.sh) the tampering is done with psql on a
# copy of the database. Record 1 is the admin record of the workflow the
# first draft created; the decisions are records 2..7.
. "$(dirname "$0")/../lib.sh"
test_queue q || exit 0
export SIGNOFF_QUEUE=$Q
so init
for i in 1 2 3 4 5 6 7 8; do
    printf '{"id":"T-%d","workflow":"support","body":"Refund allowed [1] for case %d."}\n' "$i" "$i"
done >"$T/drafts.jsonl"
SIGNOFF_NOW_MS=1764000000000 so enqueue "$T/drafts.jsonl"
check_eq "enqueue 8 drafts" 0 "$RC"
# Decisions 1..3 on 2025-11-24, 4..6 on 2025-11-26 (for export --since).
for i in 1 2 3 4 5 6; do
    if [ $i -le 3 ]; then export SIGNOFF_NOW_MS=1764000000000; else export SIGNOFF_NOW_MS=1764170000000; fi
    case $((i % 3)) in
    0) so decide "T-$i" approve ;;
    1) so decide "T-$i" reject --reason factual --note "note $i" ;;
    2) echo "Edited body $i" >"$T/body"; so decide "T-$i" edit --body-file "$T/body" ;;
    esac
    [ "$RC" = 0 ] || notok "decide T-$i: $ERR"
done

so verify
check_eq "a clean chain verifies" 0 "$RC"
check_contains "verify says how many" "audit chain ok: 7 decisions (seq 1..7), head " "$OUT"
head=$(sql "$SIGNOFF_QUEUE" "SELECT hash FROM decisions WHERE seq = 7")
check_contains "verify prints the head hash" "$head" "$OUT"
so verify --quiet
check_eq "verify --quiet prints nothing" "0:" "$RC:$OUT"

so export --output "$T/all.jsonl"
check_eq "export --output" 0 "$RC"
check_eq "export writes a header and seven records" 8 "$(wc -l <"$T/all.jsonl")"
so verify --export "$T/all.jsonl"
check_eq "the export verifies on its own" 0 "$RC"
so export --format csv --output "$T/all.csv"
so verify --export "$T/all.csv"
check_eq "the csv export verifies on its own" 0 "$RC"
unset SIGNOFF_NOW_MS
so export --since 2025-11-25 --output "$T/since.jsonl"
check_eq "export --since a date" 0 "$RC"
check_eq "holds the header and decisions 5..7" "4 5 7" \
    "$(wc -l <"$T/since.jsonl") $(sed -n '2p;$p' "$T/since.jsonl" | grep -o '"seq":[0-9]*' | cut -d: -f2 | tr '\n' ' ' | sed 's/ $//')"
so verify --export "$T/since.jsonl"
check_eq "a partial export verifies from its first record on" 0 "$RC"
sed 's/"action":"approve"/"action":"reject"/' "$T/since.jsonl" >"$T/since-bad.jsonl"
run "$SO" verify --export "$T/since-bad.jsonl"
check_contains "and a change in it is named" "decision 7 (draft T-6): hash does not match" "$ERR"
so export --since yesterday
check_eq "export --since garbage is a usage error" 2 "$RC"
so export --format xml
check_eq "export --format xml is a usage error" 2 "$RC"

# tamper NAME SQL EXPECTED: on a copy of the queue, run SQL, expect verify
# to fail with EXPECTED in its message.
tamper() {
    local tq=$T/t.db
    if [ "$(test_backend)" = pg ]; then
        pg_psql postgres -c "CREATE DATABASE ${PGDB}_t TEMPLATE $PGDB" >/dev/null
        tq="postgresql:///${PGDB}_t?host=$SIGNOFF_PG_HOST&user=$SIGNOFF_PG_USER"
    else
        cp "$SIGNOFF_QUEUE" "$tq"
    fi
    sql "$tq" "$2" >/dev/null
    run "$SO" verify --queue "$tq"
    check_eq "$1: verify exits 1" 1 "$RC"
    check_contains "$1: names the record" "$3" "$ERR"
    if [ "$(test_backend)" = pg ]; then
        pg_psql postgres -c "DROP DATABASE ${PGDB}_t" >/dev/null
    else
        rm -f "$T/t.db" "$T/t.db-wal" "$T/t.db-shm"
    fi
}
[ "$(test_backend)" = pg ] || sql "$SIGNOFF_QUEUE" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
tamper "changed note" "UPDATE decisions SET note = 'nothing to see' WHERE seq = 5" \
    "decision 5 (draft T-4): hash does not match: record changed"
tamper "flipped action" "UPDATE decisions SET action = 'approve' WHERE seq = 2" \
    "decision 2 (draft T-1): hash does not match: record changed"
tamper "changed final body" "UPDATE decisions SET final_body = 'Other text' WHERE seq = 3" \
    "decision 3 (draft T-2): final body does not match its hash: record changed"
tamper "deleted record" "DELETE FROM decisions WHERE seq = 4" \
    "decision 5 (draft T-4): decision 4 before it is missing: record removed"
tamper "deleted last record" "DELETE FROM decisions WHERE seq = 7" \
    "decision 7 (the chain head) is missing; the last record is decision 6: records removed"
tamper "deleted first record" "DELETE FROM decisions WHERE seq = 1" \
    "decision 2 (draft T-1): decision 1 before it is missing: record removed"
tamper "swapped records" "UPDATE decisions SET seq = 100 WHERE seq = 3;
    UPDATE decisions SET seq = 3 WHERE seq = 4; UPDATE decisions SET seq = 4 WHERE seq = 100" \
    "decision 3 (draft T-3): out of order (it follows the next record): records reordered"
move_head="UPDATE meta SET value = '6' WHERE key = 'chain_seq'"
[ "$(test_backend)" = pg ] && move_head="UPDATE chain_head SET seq = 6"
tamper "moved chain head" "$move_head" \
    "the chain head (decision 6) does not match the last record (decision 7)"

# An export edited by hand fails on its own.
sed 's/"note 4"/"note 5"/' "$T/all.jsonl" >"$T/bad.jsonl"
run "$SO" verify --export "$T/bad.jsonl"
check_eq "a tampered export fails" 1 "$RC"
check_contains "and names the record" "decision 5 (draft T-4): hash does not match: record changed" "$ERR"
head -n 7 "$T/all.jsonl" >"$T/short.jsonl"
run "$SO" verify --export "$T/short.jsonl"
check_contains "a truncated export names the lost head" "decision 7 (the chain head) is missing" "$ERR"
printf 'not an export\n' >"$T/junk"
run "$SO" verify --export "$T/junk"
check_eq "junk is refused, the path once" 1:"signoff: $T/junk:1: neither a JSON Lines nor a CSV audit export" "$RC:$ERR"
run "$SO" verify --export "$T/missing"
check_eq "a missing export is one clear error" 1 "$RC"
run "$SO" verify --queue "$T/none.db"
check_contains "a missing queue is one clear error" "no such queue file" "$ERR"
