#!/bin/bash
# signoff copy round-trips the demo queue: a queue file (signoff demo) to a
# PostgreSQL database and back to a new file. The chain head is the same on
# all three and verify holds on each; export writes the same records from
# the file and the database; every table both stores keep (drafts,
# citations, decisions, workflows, reasons, outcomes, ...) is row for row
# the same in the file that came back; nothing is left behind (gold checks
# too); the rollup's cost and latency figures and histograms travel
# both ways. A non-empty target is refused and left as it was; the ids the
# database hands out after a copy follow the copied ones.
. "$(dirname "$0")/../lib.sh"
pg_queue copy || exit 0
PQ=$PGQ
DEMO=$T/demo.db
BACK=$T/back.db
"$SO" demo --queue "$DEMO" --no-ui --seed 11 >/dev/null 2>&1
check "the demo queue is written" test -s "$DEMO"
# Gold checks (signoff-queue(5), GOLD CHECKS) travel too: a pool with one
# draft mixed in and answered, one still in the pool.
printf '{"draft":{"id":"G-%s","workflow":"gold-checked","body":"known %s"},"expected":"approve"}\n' 1 1 2 2 >"$T/gold.jsonl"
SIGNOFF_ROLE=supervisor "$SO" gold add --queue "$DEMO" "$T/gold.jsonl" >/dev/null 2>&1
"$SO" workflow set gold-checked --queue "$DEMO" --gold 50% --gold-bar 70% >/dev/null 2>&1
printf '{"id":"N-%s","workflow":"gold-checked","body":"new %s"}\n' 1 1 2 2 >"$T/n.jsonl"
"$SO" enqueue --queue "$DEMO" "$T/n.jsonl" >/dev/null 2>&1
SIGNOFF_REVIEWER=bob "$SO" decide --queue "$DEMO" G-1 reject --reason factual >/dev/null 2>&1
check_eq "the demo queue has gold: one answered, one in the pool" "G-1|1|0 G-2|0|" \
    "$(sql "$DEMO" "SELECT g.draft_id, g.released_at IS NOT NULL, a.correct FROM gold g
                     LEFT JOIN gold_answers a ON a.draft_id = g.draft_id ORDER BY g.id" | paste -sd' ')"
head_of() { "$SO" verify --queue "$1" 2>&1 | sed -n 's/.*audit chain ok: .* head \([0-9a-f]*\)$/\1/p'; }
demo_head=$(head_of "$DEMO")
check "the demo's chain holds" test -n "$demo_head"

so copy --from "$DEMO" --to "$PQ"
check_eq "to PostgreSQL: exit 0" 0 "$RC"
ndrafts=$(sql "$DEMO" 'SELECT count(*) FROM drafts')
ndec=$(sql "$DEMO" 'SELECT count(*) FROM decisions')
check_contains "to PostgreSQL: what was copied" \
    "copied $DEMO to $PQ: $ndrafts drafts, $ndec decisions, 5 workflows" "$OUT"
check_contains "to PostgreSQL: the chain head it carried" "chain head seq $ndec, $demo_head" "$OUT"
check_eq "to PostgreSQL: nothing left behind (gold too has its place)" "" "$ERR"
check_eq "to PostgreSQL: the rollup's counts, its shards summed" \
    "$(sql "$DEMO" 'SELECT sum(approved), sum(edited), sum(rejected), sum(escalated), sum(active_ms_sum) FROM rollup')" \
    "$(psq 'SELECT sum(approved), sum(edited), sum(rejected), sum(escalated), sum(active_ms_sum) FROM rollup')"
COSTS='sum(ai_cost), sum(ai_cost_n), sum(tokens), sum(gen_ms), sum(human_ms), sum(human_cost), sum(sla_n), sum(sla_missed), sum(acted)'
check "the demo has task figures to carry" test "$(sql "$DEMO" 'SELECT sum(human_cost) > 0 AND sum(sla_n) > 0 FROM rollup')" = 1
check_eq "to PostgreSQL: the rollup's task figures (cost, SLA, acted), its shards summed" \
    "$(sql "$DEMO" "SELECT $COSTS FROM rollup")" "$(psq "SELECT $COSTS FROM rollup")"
HISTS="SELECT metric, count(*), sum(count) FROM rollup_hist GROUP BY metric ORDER BY metric"
check_eq "to PostgreSQL: every histogram, times to decision and action too" \
    "$(sql "$DEMO" "$HISTS")" "$(psq "$HISTS")"
check "to PostgreSQL: no rollup column or histogram left behind" \
    eval '! grep -q "rollup" <<<"$ERR"'
file_stats=$("$SO" stats --queue "$DEMO" --by model --format json 2>&1)
check_contains "stats on the file: a cost per task" '"total_per_task":' "$file_stats"
check_eq "stats on PostgreSQL: the cost per task and percentiles as on the file" \
    "$file_stats" "$("$SO" stats --queue "$PQ" --by model --format json 2>&1)"
so verify --queue "$PQ"
check_eq "verify on PostgreSQL: the same head" \
    "0 $PQ: audit chain ok: $ndec decisions (seq 1..$ndec), head $demo_head" "$RC $OUT"
check_eq "PostgreSQL holds every draft" "$ndrafts" "$(psq 'SELECT count(*) FROM drafts')"
"$SO" export --queue "$DEMO" --output "$T/demo.jsonl" 2>/dev/null
"$SO" export --queue "$PQ" --output "$T/pg.jsonl" 2>/dev/null
check_eq "export: the file and the database write the same $ndec records" \
    "$(tail -n +2 "$T/demo.jsonl" | md5sum)" "$(tail -n +2 "$T/pg.jsonl" | md5sum)"
check_eq "export: the same head in the header" "$(head -1 "$T/demo.jsonl" | jq -r .head_hash)" \
    "$(head -1 "$T/pg.jsonl" | jq -r .head_hash)"
check_eq "PostgreSQL holds the gold pool and answers" "G-1|1|0 G-2|0|" \
    "$(psq "SELECT g.draft_id, (g.released_at IS NOT NULL)::int, a.correct FROM gold g
            LEFT JOIN gold_answers a ON a.draft_id = g.draft_id ORDER BY g.id" | paste -sd' ')"
so workflow show gold-checked --queue "$PQ"
check_contains "PostgreSQL: the workflow's gold settings came along" \
    "50% of drafts to people, bar 70.0%, 1 in the pool, 1 mixed in" "$OUT"
id=$(sql "$DEMO" "SELECT draft FROM decisions WHERE action = 'edit' ORDER BY seq LIMIT 1")
check_eq "show of an edited draft: the same on both" "$("$SO" show --queue "$DEMO" "$id" 2>&1)" \
    "$("$SO" show --queue "$PQ" "$id" 2>&1)"

so copy --from "$PQ" --to "$BACK"
check_eq "back to a file: exit 0" 0 "$RC"
check_contains "back to a file: the same head" "chain head seq $ndec, $demo_head" "$OUT"
check_eq "back to a file: nothing left behind" "" "$ERR"
so verify --queue "$BACK"
check_contains "verify on the file that came back: the same head" \
    "audit chain ok: $ndec decisions (seq 1..$ndec), head $demo_head" "$OUT"
# Every column both stores keep (the file's others were named above).
for t in workflows reasons workflow_events policy_events drafts citations decisions outcomes tokens hooks \
         rollup rollup_hist rollup_reasons agreement resolutions gold gold_answers; do
    cols=$(psq "SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = '$t'")
    cols=$(printf '%s\n' "$cols" | tr ',' '\n' | tr -d ' ' | grep -vx shard | while read -r c; do
        [ -n "$(sql "$DEMO" "SELECT name FROM pragma_table_info('$t') WHERE name = '$c'")" ] && echo "$c"
    done | paste -sd ',')
    check_eq "$t: row for row the same after the round trip ($(sql "$DEMO" "SELECT count(*) FROM $t") rows; $cols)" \
        "$(sql "$DEMO" "SELECT $cols FROM $t ORDER BY 1, 2" | md5sum)" \
        "$(sql "$BACK" "SELECT $cols FROM $t ORDER BY 1, 2" | md5sum)"
done
check_eq "the draft counts the file keeps itself are rebuilt" \
    "$(sql "$DEMO" 'SELECT * FROM draft_counts WHERE n > 0 ORDER BY 1, 2')" \
    "$(sql "$BACK" 'SELECT * FROM draft_counts WHERE n > 0 ORDER BY 1, 2')"

# A target that holds anything is refused, and left as it was.
so copy --from "$DEMO" --to "$PQ"
check_eq "a non-empty target: exit 1" 1 "$RC"
check_contains "a non-empty target: said so" "not empty ($ndrafts drafts, $ndec decisions): copy into a new queue" "$ERR"
check_eq "a non-empty target: left as it was" "$ndrafts $ndec" \
    "$(psq 'SELECT count(*) FROM drafts') $(psq 'SELECT count(*) FROM decisions')"
check_eq "the source was only read" "$demo_head" "$(head_of "$DEMO")"
# The ids the database hands out next follow the copied ones.
printf '{"id":"after-copy","workflow":"support-replies","body":"new"}\n' >"$T/new.jsonl"
pg_queue copy2 || exit 0
so copy --from "$DEMO" --to "$PGQ"
so enqueue --queue "$PGQ" "$T/new.jsonl"
check_eq "a draft enqueued after the copy gets a new id" 0 "$RC"
check_eq "its row id follows the copied ones" "$((ndrafts + 1))" \
    "$(pg_psql "$PGDB" -c "SELECT rid FROM drafts WHERE id = 'after-copy'")"
