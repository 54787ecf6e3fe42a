#!/bin/bash
# The PostgreSQL store through the CLI on a real PostgreSQL: init creates
# the schema (versioned; a newer one and a database that is not a queue
# are refused), enqueue, list, show, claim (priority order, leases on the
# database's clock, a live claim of another reviewer refused), decide
# (idempotent by request id, answering only the reviewer who made it),
# the chain linked under one head, the kill switch, and specs refused with
# a sentence (a password in the spec, an unsupported setting), and a role
# that may only read verifies and exports; verify checks the database
# with amcheck first, and a copy with a damaged page fails.
. "$(dirname "$0")/../lib.sh"
pg_queue queue || exit 0
Q=$PGQ

so init --queue "$Q"
check_eq "init: exit 0" 0 "$RC"
check_contains "init: created" "created queue $Q" "$OUT"
PGV=$(sed -n 's/^#define PG_SCHEMA_VERSION \([0-9]*\).*/\1/p' "$TOP/include/signoff/store/pg/schema.h")
check_eq "schema version $PGV (PG_SCHEMA_VERSION)" "$PGV" "$(psq "SELECT value FROM so_meta WHERE key = 'schema_version'")"
so init --queue "$Q"
check_eq "init again: nothing to do, said so" "0 queue $Q already exists" "$RC $OUT"

cat >"$T/d.jsonl" <<'J'
{"id":"d-1","workflow":"w","body":"the first draft","citations":[{"n":1,"title":"T","uri":"https://x","excerpt":"ex"}]}
{"id":"d-2","workflow":"w","body":"urgent draft","priority":5}
{"id":"d-3","workflow":"other","body":"third","confidence":0.4}
J
so enqueue --queue "$Q" "$T/d.jsonl"
check_eq "enqueue: exit 0" 0 "$RC"
check_contains "enqueue: 3 drafts" "enqueued 3 drafts" "$OUT$ERR"
so enqueue --queue "$Q" "$T/d.jsonl"
check_contains "enqueue again: unchanged" "0 drafts, 3 unchanged" "$OUT$ERR"
printf '{"id":"d-1","workflow":"w","body":"other text"}\n' >"$T/x.jsonl"
so enqueue --queue "$Q" "$T/x.jsonl"
check_contains "same id, other content: refused" "already queued with other content" "$ERR$OUT"

so list --queue "$Q"
check_contains "list: d-2 first (priority)" "d-2" "$(printf '%s\n' "$OUT" | sed -n 2p)"
check_eq "list: 3 rows" 4 "$(printf '%s\n' "$OUT" | wc -l)"
so list --queue "$Q" --workflow other --format json
check_contains "list --workflow: d-3" '"id":"d-3"' "$(printf %s "$OUT" | tr -d ' ')"
so show --queue "$Q" d-1
check_contains "show: body" "the first draft" "$OUT"
check_contains "show: citation" "https://x" "$OUT"

so claim --queue "$Q" --format id
check_eq "claim: the priority draft" "0 d-2" "$RC $OUT"
until_db=$(psq "SELECT lease_until - (extract(epoch from clock_timestamp()) * 1000)::bigint FROM drafts WHERE id = 'd-2'")
check "lease on the database clock: ~600 s left" test "$until_db" -gt 590000 -a "$until_db" -le 600000
so claim --queue "$Q" --reviewer bob d-2 2>/dev/null
run "$SO" decide --queue "$Q" --reviewer bob d-2 approve
check_eq "another reviewer's live claim: lease error (exit 4?)" 1 "$([ "$RC" != 0 ] && echo 1)"
check_contains "another reviewer's live claim: who and until" "claimed by alice until" "$ERR"

so decide --queue "$Q" --request-id rq-1 d-2 approve
check_eq "decide: exit 0" 0 "$RC"
check_contains "decide: seq 3 (1 and 2: the workflows the enqueue made)" "seq 3," "$OUT"
hash1=${OUT##* }
so decide --queue "$Q" --request-id rq-1 d-2 approve
check_eq "decide retried: the first reply" "0 already recorded: approve of d-2: seq 3, hash $hash1" "$RC $OUT"
run "$SO" decide --queue "$Q" --reviewer bob --request-id rq-1 d-2 approve
check_contains "the request id of another reviewer: conflict, nothing told" "already used by another reviewer" "$ERR"
check_not_contains "the request id of another reviewer: no hash" "$hash1" "$OUT$ERR"
so decide --queue "$Q" --request-id rq-1 d-2 reject --reason tone
check_contains "same request id, other decision: conflict" "already used for a different decision" "$ERR"
check_eq "one decision recorded" "1" "$(psq "SELECT count(*) FROM decisions WHERE kind <> 'admin'")"

printf 'the first draft, edited\n' >"$T/e.txt"
so decide --queue "$Q" d-1 edit --body-file "$T/e.txt"
check_contains "edit: seq 4" "recorded edit of d-1: seq 4" "$OUT"
so decide --queue "$Q" --reviewer bob d-3 reject --reason tone
check_contains "reject by bob: seq 5" "seq 5" "$OUT"
check_eq "the chain links: each prev_hash is the hash before" "0" \
    "$(psq "SELECT count(*) FROM decisions d JOIN decisions e ON e.seq = d.seq + 1 WHERE e.prev_hash <> d.hash")"
check_eq "the head is the last record" "5" \
    "$(psq "SELECT h.seq FROM chain_head h JOIN decisions d ON d.hash = h.hash")"
check_eq "the first record starts at genesis" "0000000000000000000000000000000000000000000000000000000000000000" \
    "$(psq "SELECT prev_hash FROM decisions WHERE seq = 1")"
so list --queue "$Q" --status decided
check_eq "all three decided" 4 "$(printf '%s\n' "$OUT" | wc -l)"
so claim --queue "$Q"
check_eq "nothing left: exit 5" 5 "$RC"

# verify and export page through the chain; the hashes are those of
# audit.c, checked again by the independent verifier of docs/audit.md
so verify --queue "$Q"
check_eq "verify: the chain holds" "0 $Q: audit chain ok: 5 decisions (seq 1..5), head $(psq 'SELECT hash FROM chain_head')" "$RC $OUT"
so export --queue "$Q" --output "$T/e.jsonl"
check_eq "export: 5 records (2 admin, 3 decisions)" "0 exported 5 decisions to $T/e.jsonl" "$RC $ERR"
so verify --export "$T/e.jsonl"
check_eq "verify --export of the PostgreSQL export" 0 "$RC"
run python3 "$TOP/docs/examples/verify_export.py" "$T/e.jsonl"
check_eq "the independent verifier agrees" 0 "$RC"
so export --queue "$Q" --format csv --output "$T/e.csv"
run python3 "$TOP/docs/examples/verify_export.py" "$T/e.csv"
check_eq "the independent verifier: CSV too" 0 "$RC"
# An auditor whose role may only read the tables (issue 17, finding 9):
# verify and export need no write, no schema change, no session table.
aud="aud_$PGDB"
psq "CREATE ROLE $aud LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO $aud" >/dev/null
AQ="postgresql:///$PGDB?host=$SIGNOFF_PG_HOST&user=$aud"
so verify --queue "$AQ"
check_eq "a read-only role: verify" "0 $AQ: audit chain ok: 5 decisions (seq 1..5), head $(psq 'SELECT hash FROM chain_head')" "$RC $OUT"
so export --queue "$AQ" --output "$T/ro.jsonl"
check_eq "a read-only role: export, the same records" "0 $(grep -c . "$T/e.jsonl")" "$RC $(grep -c . "$T/ro.jsonl")"
so decide --queue "$AQ" --reviewer aud d-9 approve
check_eq "a read-only role cannot write" 1 "$RC"
# verify checks the database before the chain (issue 17, finding 7):
# PostgreSQL's amcheck on every table and B-tree index, or says why not.
so verify --queue "$Q"
check_eq "no amcheck: verify says the database was not checked, and why" \
    "0 signoff verify: $Q: database not checked: the amcheck extension is not installed in this database (CREATE EXTENSION amcheck)" \
    "$RC $ERR"
psq "CREATE EXTENSION amcheck" >/dev/null
so verify --queue "$Q"
check_eq "amcheck: the database, then the chain" "0 $Q: database ok (amcheck)" "$RC ${OUT%%$'\n'*}"
so verify --queue "$Q" --full
check_eq "--full: every row in each index too" "0 $Q: database ok (amcheck, heapallindexed)" "$RC ${OUT%%$'\n'*}"
so verify --queue "$AQ"
check_contains "a role that may not run amcheck: not checked, and why" \
    "database not checked: permission denied for function" "$ERR"
check_contains "... the chain still checked" "audit chain ok: 5 decisions" "$OUT"
psq "REASSIGN OWNED BY $aud TO $SIGNOFF_PG_USER; DROP OWNED BY $aud; DROP ROLE $aud" >/dev/null
# A copy whose drafts table has a page overwritten (the chain lives in
# decisions, intact): file-copied so no page of it is in shared memory.
bad="${PGDB}_bad"
pg_psql postgres -c "CHECKPOINT" -c "CREATE DATABASE $bad TEMPLATE $PGDB STRATEGY FILE_COPY" >/dev/null
f="$(pg_psql "$bad" -c "SHOW data_directory")/$(pg_psql "$bad" -c "SELECT pg_relation_filepath('drafts')")"
python3 -c 'import sys; f = open(sys.argv[1], "r+b"); f.write(b"\xa5" * 24)' "$f"
BQ="postgresql:///$bad?host=$SIGNOFF_PG_HOST&user=$SIGNOFF_PG_USER"
so verify --queue "$BQ"
check_eq "a damaged copy fails verify" 1 "$RC"
check_contains "... saying the database is damaged" \
    "$BQ: the database is damaged (amcheck: invalid page in block 0 of relation" "$ERR"
check_not_contains "... not that the chain is ok" "audit chain ok" "$OUT"
pg_psql postgres -c "DROP DATABASE $bad" >/dev/null
psq "UPDATE decisions SET note = 'changed' WHERE seq = 4" >/dev/null
so verify --queue "$Q"
check_contains "a changed record: caught" "decision 4 (draft d-1): hash does not match" "$ERR"
check_eq "a changed record: exit 1" 1 "$RC"
psq "UPDATE decisions SET note = NULL WHERE seq = 4" >/dev/null
so verify --queue "$Q" --quiet
check_eq "restored: holds again" "0 " "$RC $OUT"

# leases: an expired claim is claimable again with the next fencing token
printf '{"id":"l-1","workflow":"w","body":"lease"}\n' | "$SO" enqueue --queue "$Q" - >/dev/null 2>&1
so claim --queue "$Q" --format json
tok=$(printf %s "$OUT" | jq -r '.lease_token // .draft.lease_token')
psq "UPDATE drafts SET lease_until = 1 WHERE id = 'l-1'" >/dev/null
so claim --queue "$Q" --reviewer bob --format json
tok2=$(printf %s "$OUT" | jq -r '.lease_token // .draft.lease_token')
check_eq "expired lease: taken by bob, next token" "$((tok + 1))" "$tok2"
so decide --queue "$Q" l-1 approve
check_contains "alice's old claim is lost to bob's" "l-1: claimed by bob until" "$ERR"
check_eq "alice's old claim: nothing recorded" "0" "$(psq "SELECT count(*) FROM decisions WHERE draft = 'l-1'")"

# escalation: a step of its own, for a supervisor; undo takes a decision
# back (only the latest live one, never from under another's claim)
printf '{"id":"e-1","workflow":"w","body":"escalate me"}\n{"id":"u-1","workflow":"w","body":"undo me"}\n' |
    "$SO" enqueue --queue "$Q" - >/dev/null 2>&1
so decide --queue "$Q" e-1 escalate --reason policy
check_contains "escalate: recorded" "recorded escalate of e-1" "$OUT"
check_eq "escalated: waits for a supervisor" "escalated|" "$(psq "SELECT status, claimed_by FROM drafts WHERE id = 'e-1'")"
so decide --queue "$Q" --reviewer bob e-1 approve
check_contains "a reviewer cannot take an escalated draft" "e-1: escalated; a supervisor decides it" "$ERR"
so decide --queue "$Q" --reviewer sue --role supervisor e-1 escalate
check_contains "escalating again: refused" "already escalated" "$ERR"
so decide --queue "$Q" --reviewer sue --role supervisor e-1 reject --reason policy
check_contains "the supervisor's final decision" "recorded reject of e-1" "$OUT"
check_eq "kind resolve, draft decided" "resolve|decided" \
    "$(psq "SELECT d.kind, r.status FROM decisions d JOIN drafts r ON r.id = d.draft WHERE d.draft = 'e-1' AND d.action = 'reject'")"
so decide --queue "$Q" --reviewer dan u-1 approve
so list --queue "$Q" --status decided --format json
check_contains "u-1 decided" '"u-1"' "$OUT"
# signoff has no undo command: the UI's u goes through queue_ops.undo,
# driven here by the UI itself
ui_start 80 24 env SIGNOFF_REVIEWER=dan "$SO" review --queue "$Q"
ui_wait "@dan" 15 || notok "the UI starts on PostgreSQL"
ui_keys u
if ui_wait "u-1" 10; then ok "undo in the UI: the draft comes back"; else notok "undo in the UI: the draft comes back"; ui_screen; fi
check_eq "undo: a revert record, the draft claimed by dan again" "revert|claimed|dan" \
    "$(psq "SELECT d.action, r.status, r.claimed_by FROM decisions d JOIN drafts r ON r.id = d.draft WHERE d.draft = 'u-1' ORDER BY d.seq DESC LIMIT 1")"
ui_keys H
ui_wait "UNDONE" 10 && ok "my decisions (H): the undone one marked" || { notok "my decisions (H): the undone one marked"; ui_screen; }
ui_stop
so verify --queue "$Q" --quiet
check_eq "the chain holds with escalations and a revert" 0 "$RC"

# a row lock held past the busy timeout is "queue busy", as a locked file
printf '{"id":"b-1","workflow":"w","body":"busy"}\n' | "$SO" enqueue --queue "$Q" - >/dev/null 2>&1
pg_psql "$PGDB" -c "BEGIN; SELECT 1 FROM drafts WHERE id = 'b-1' FOR UPDATE; SELECT pg_sleep(4); COMMIT" >/dev/null 2>&1 &
locker=$!
locked() { [ "$(psq "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE a.query LIKE '%pg_sleep(4)%' AND l.mode = 'RowShareLock'")" -gt 0 ]; }
wait_for 10 locked || notok "the lock is taken"
t0=$(date +%s%N)
SIGNOFF_BUSY_TIMEOUT_MS=300 so decide --queue "$Q" b-1 approve
t1=$(date +%s%N)
check_contains "a row locked past the busy timeout: queue busy" "queue busy: locked by another process past the busy timeout (300 ms)" "$ERR"
check "it waited about the busy timeout, not the lock's 4 s" test $(( (t1 - t0) / 1000000 )) -lt 3000
check_eq "nothing recorded" "0" "$(psq "SELECT count(*) FROM decisions WHERE draft = 'b-1'")"
wait "$locker"

# the kill switch: a supervisor's, with a reason both ways
so workflow pause w --queue "$Q" --reason "bad outputs"
check_contains "pause by a reviewer: refused" "supervisor" "$ERR"
SIGNOFF_ROLE=supervisor so workflow pause w --queue "$Q" --reason "bad outputs"
check_eq "pause: exit 0" 0 "$RC"
check_eq "paused with reason and who" "1|bad outputs|alice" \
    "$(psq "SELECT paused, automation_reason, automation_by FROM workflows WHERE name = 'w'")"
SIGNOFF_ROLE=supervisor so workflow resume w --queue "$Q" --reason "fixed"
check_contains "resume needs an owner" "has no owner" "$ERR"
so workflow set w --queue "$Q" --owner alice
SIGNOFF_ROLE=supervisor so workflow resume w --queue "$Q" --reason "fixed"
check_eq "resume with an owner" "0 0" "$RC $(psq "SELECT paused FROM workflows WHERE name = 'w'")"
check_eq "both switches in the workflow's history" "1|bad outputs 0|fixed" \
    "$(psq "SELECT paused, reason FROM workflow_events WHERE workflow = 'w' ORDER BY id" | tr '\n' ' ' | sed 's/ $//')"

# webhooks are there (tests/pg/two_servers_webhooks.sh): none yet
so hook list --queue "$Q"
check_eq "webhooks: hook list answers, none yet" \
    "0 ID   WORKFLOW         EVENTS   STATE     PENDING DELIVERED  DEAD  URL" "$RC $OUT"

# reason codes are the queue's (schema v3), as on SQLite
so workflow show w --queue "$Q" --format json
check_contains "the default set" '"reasons":[{"code":"factual","label":"Factual error"}' "$OUT"
printf '{"id":"r-1","workflow":"legalwf","body":"a clause"}\n' >"$T/r.jsonl"
so enqueue --queue "$Q" "$T/r.jsonl"
so workflow set legalwf --queue "$Q" --reasons 'privilege=Privileged content'
check_contains "workflow set --reasons: the own list" "privilege     Privileged content" "$OUT"
so decide --queue "$Q" r-1 reject --reason tone
check_contains "a code not in the workflow's list: refused" \
    "r-1: reason: 'tone' is not a reason code of workflow legalwf (privilege)" "$ERR"
so decide --queue "$Q" r-1 reject --reason privilege
check_eq "the workflow's own code: recorded" 0 "$RC"

# specs
so list --queue "postgresql://so:secret@/$PGDB?host=$SIGNOFF_PG_HOST"
check_contains "a password in the spec: refused" "put it in PGPASSFILE or a service file" "$ERR"
check_not_contains "a password in the spec: never printed" "secret" "$ERR"
cat >"$T/pg_service.conf" <<S
[soq]
host=$SIGNOFF_PG_HOST
user=$SIGNOFF_PG_USER
dbname=$PGDB
S
PGSERVICEFILE="$T/pg_service.conf" so list --queue service=soq --status decided
check_contains "service=NAME: the same queue" "d-3" "$OUT"
so list --queue "postgresql:///so_nothere_$$?host=$SIGNOFF_PG_HOST&user=so"
check_contains "a missing database: cannot connect, said once" "cannot connect" "$ERR"

# a newer schema, and a database that is not a queue
pg_psql postgres -c "CREATE DATABASE ${PGDB}_new TEMPLATE so_template" >/dev/null
NQ="postgresql:///${PGDB}_new?host=$SIGNOFF_PG_HOST&user=so"
so init --queue "$NQ"
pg_psql "${PGDB}_new" -c "UPDATE so_meta SET value = '99' WHERE key = 'schema_version'" >/dev/null
so list --queue "$NQ"
check_contains "a newer schema: refused" "created by a newer signoff (schema 99; this one reads up to $PGV)" "$ERR"
pg_psql "${PGDB}_new" -c "DROP TABLE so_meta CASCADE" >/dev/null
so init --queue "$NQ"
check_contains "other tables, no so_meta: not a signoff queue" "not a signoff queue" "$ERR"
