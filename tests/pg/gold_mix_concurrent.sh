#!/bin/bash
# Gold checks on PostgreSQL with producers enqueueing at once (signoff-
# queue(5), GOLD CHECKS, On PostgreSQL): four processes enqueue 40 drafts
# into one workflow mixing gold in at 10%, one draft a transaction; the
# share toward the next gold draft moves under the workflow's row lock, so
# every draft is counted once: exactly 4 gold drafts join the queue, each
# once, in pool order, and the share is back at 0.
. "$(dirname "$0")/../lib.sh"
pg_queue goldmix || exit 0
Q=$PGQ
so init --queue "$Q"
so workflow set w --gold 10% --queue "$Q"
check_eq "workflow set --gold on PostgreSQL" 0 "$RC"
for i in 1 2 3 4 5 6; do
    printf '{"draft":{"id":"G-%s","workflow":"w","body":"known %s"},"expected":"approve"}\n' "$i" "$i"
done >"$T/gold.jsonl"
SIGNOFF_ROLE=supervisor so gold add "$T/gold.jsonl" --queue "$Q"
check_eq "six gold drafts in the pool" "0 gold: 6 added to the pool" "$RC $OUT"
producer() { # producer N: ten enqueues of one draft each
    local i
    for i in 0 1 2 3 4 5 6 7 8 9; do
        printf '{"id":"P%s-%s","workflow":"w","body":"draft %s %s"}\n' "$1" "$i" "$1" "$i" |
            "$SO" enqueue --queue "$Q" - >/dev/null 2>>"$T/enq.err" || echo "P$1-$i" >>"$T/failed"
    done
}
for n in 1 2 3 4; do producer "$n" & done
wait
check_eq "every enqueue succeeded" "" "$(cat "$T/failed" 2>/dev/null)"
check_eq "40 drafts and exactly 4 gold drafts in the queue" "44 4" \
    "$(psq "SELECT count(*), count(*) FILTER (WHERE id LIKE 'G-%') FROM drafts" | tr '|' ' ')"
check_eq "the first four of the pool released, each once" "G-1 G-2 G-3 G-4" \
    "$(psq "SELECT draft_id FROM gold WHERE released_at IS NOT NULL ORDER BY id" | paste -sd' ')"
check_eq "two still in the pool, the share back at 0" "2 0" \
    "$(psq "SELECT (SELECT count(*) FROM gold WHERE released_at IS NULL), gold_due FROM workflows WHERE name = 'w'" | tr '|' ' ')"
