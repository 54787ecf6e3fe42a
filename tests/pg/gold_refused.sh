#!/bin/bash
# Gold checks are not yet on the PostgreSQL store (signoff-queue(5), GOLD
# CHECKS): `gold add` and `workflow set --gold` refuse a PostgreSQL queue
# with a sentence (a usage error, as every setting this store lacks) and
# store nothing.
. "$(dirname "$0")/../lib.sh"
pg_queue gold || exit 0
Q=$PGQ
so init --queue "$Q"
printf '{"draft":{"id":"G-1","workflow":"w","body":"b"},"expected":"approve"}\n' >"$T/gold.jsonl"
SIGNOFF_ROLE=supervisor so gold add "$T/gold.jsonl" --queue "$Q"
check_eq "gold add on PostgreSQL: refused, saying why" \
    "1 signoff: gold add: gold drafts are added on a local SQLite queue (the postgresql backend keeps none yet)" \
    "$RC $ERR"
check_eq "nothing enqueued" 0 "$(psq "SELECT count(*) FROM drafts")"
so workflow set w --gold 5% --queue "$Q"
check_eq "workflow set --gold on PostgreSQL: refused" \
    "2 signoff: w: w: gold checks are not yet supported on PostgreSQL queues" "$RC $ERR"
