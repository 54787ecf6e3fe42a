#!/bin/bash
# Gold checks through `signoff serve` (issue 15, part 4): a producer's
# drafts sent over HTTP get the gold drafts mixed in by the server's store;
# every reply a reviewer gets (claim, draft, listing, workflow, stats,
# /metrics) is the same for a gold draft as for any other and carries no
# gold figure; a supervisor's token gets the gold figures; the feed never
# carries a gold decision; an undo through the server takes the answer back.
# On PostgreSQL too (tests/pg/http_gold.sh).
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
serve_setup 0
joined() { qsql "$1" | paste -sd' '; } # rows on one line (either backend)
SIGNOFF_REVIEWER=sue run "$SO" workflow set support --owner sue --gold 50% --queue "$Q"
{
    printf '{"draft":{"id":"G-0001","workflow":"support","model":"m-1","confidence":0.5,"title":"Draft 91","input":"question 91","body":"Answer 91 per policy [1].","citations":[{"n":1,"title":"Policy","uri":"https://kb/p","excerpt":"refunds within 30 days","quote":"30 days"}]},"expected":"approve"}\n'
    printf '{"draft":{"id":"G-0002","workflow":"support","model":"m-1","confidence":0.5,"title":"Draft 92","input":"question 92","body":"Answer 92 per policy [1].","citations":[{"n":1,"title":"Policy","uri":"https://kb/p","excerpt":"refunds within 30 days","quote":"30 days"}]},"expected":"reject","reasons":["factual"]}\n'
} >"$T/gold.jsonl"
SIGNOFF_ROLE=supervisor SIGNOFF_REVIEWER=sue run "$SO" gold add "$T/gold.jsonl" --queue "$Q"
check_eq "gold added on the queue file" "0 gold: 2 added to the pool" "$RC $OUT"
serve_start || { notok "serve starts"; exit 1; }
export SIGNOFF_QUEUE="$URL"

as sup gold add "$T/gold.jsonl"
check_eq "gold add through a server: refused, saying where it is done" \
    "1 signoff: gold add: gold drafts are added on a local queue (a file or a PostgreSQL database; the http backend keeps none)" \
    "$RC $ERR"

make_drafts 4 >"$T/d.jsonl"
as prod enqueue "$T/d.jsonl"
check_eq "the producer enqueues through the server" 0 "$RC"
check_eq "the server's store mixed the gold in" "D-0000 D-0001 G-0001 D-0002 D-0003 G-0002" \
    "$(joined "SELECT id FROM drafts ORDER BY priority DESC, created_at, rid")"

keys() { python3 -c 'import json,sys; d=json.load(sys.stdin); d=d.get("draft", d); print(sorted(d))'; }
api GET /v1/drafts/G-0002 "$TOK_ALICE"
check_eq "a gold draft: 200" 200 "$CODE"
gold_keys=$(keys <<<"$BODY")
check_not_contains "its reply says nothing of gold" "gold" "$BODY"
api GET /v1/drafts/D-0003 "$TOK_ALICE"
check_eq "the same keys as any draft" "$(keys <<<"$BODY")" "$gold_keys"
api GET "/v1/drafts?status=pending" "$TOK_ALICE"
check_not_contains "the listing says nothing of gold" "gold" "$BODY"
claim_keys() { # claim_keys ID: the keys of alice's claim of ID, released again
    api POST /v1/claim "$TOK_ALICE" "{\"draft_id\":\"$1\"}"
    [ "$CODE" = 200 ] || echo "claim $1: $CODE $BODY"
    keys <<<"$BODY"
    local lt
    lt=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["draft"]["lease_token"])' <<<"$BODY")
    api POST "/v1/drafts/$1/release" "$TOK_ALICE" "{\"lease_token\":$lt}"
}
check_eq "a gold draft is claimed like any other, the same keys" \
    "$(claim_keys D-0003)" "$(claim_keys G-0001)"

as alice decide G-0001 reject --reason tone
as alice decide G-0002 reject --reason factual
as alice decide D-0000 approve
as bob decide D-0001 approve
check_eq "decided through the server" 0 "$RC"
check_eq "alice's gold answers: one wrong, one right" "G-0001|alice|0
G-0002|alice|1" "$(qsql "SELECT draft_id, reviewer, correct FROM gold_answers ORDER BY seq")"

api GET "/v1/events?after=0" "$TOK_PROD"
check_not_contains "the feed carries no gold decision" "G-000" "$BODY"
check_contains "the feed carries the others" '"draft_id":"D-0000"' "$BODY"

api GET /v1/stats "$TOK_ALICE"
check_eq "stats for a reviewer: no gold figures" "[]" \
    "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["gold"])' <<<"$BODY")"
api GET /v1/stats "$TOK_SUP"
check_eq "stats for a supervisor: the gold answers" "support alice 2 1" \
    "$(python3 -c 'import json,sys; g=json.load(sys.stdin)["gold"][0]; print(g["workflow"], g["reviewer"], g["decided"], g["correct"])' <<<"$BODY")"
as sup stats --by reviewer
check_contains "stats --by reviewer through the server: alice's gold accuracy" \
    "50.0% [9.5%, 90.5%] of 2" "$(grep '^alice' <<<"$OUT")"
as alice stats --by reviewer
check_not_contains "a reviewer's stats show no gold accuracy" "of 2" "$OUT"
api GET /v1/workflows/support "$TOK_ALICE"
check_eq "a reviewer's workflow reply: no pool counts" "50 0 0" \
    "$(python3 -c 'import json,sys; w=json.load(sys.stdin); print(w["gold_pct"], w["gold_pool"], w["gold_released"])' <<<"$BODY")"
api GET /v1/workflows/support "$TOK_SUP"
check_eq "a supervisor's: the pool used up, two mixed in" "0 2" \
    "$(python3 -c 'import json,sys; w=json.load(sys.stdin); print(w["gold_pool"], w["gold_released"])' <<<"$BODY")"
api GET /metrics "$TOK_SUP"
check_contains "/metrics: gold answers per reviewer" \
    'signoff_gold_decided{workflow="support",reviewer="alice"} 2' "$BODY"
check_contains "/metrics: the flag" \
    'signoff_gold_flagged{workflow="support",reviewer="alice"} 0' "$BODY"
printf '%s\n' "$BODY" >"$T/metrics.txt"
if command -v promtool >/dev/null; then
    check_eq "promtool: no problems" "" "$(promtool check metrics <"$T/metrics.txt" 2>&1)"
fi
api GET /metrics "$TOK_ALICE"
check_not_contains "/metrics for a reviewer: no gold answers" 'signoff_gold_decided{' "$BODY"

# alice undoes her last decision (D-0000), then her gold answer on G-0002.
api POST /v1/undo "$TOK_ALICE" '{"request_id":"undo-1"}'
api POST /v1/undo "$TOK_ALICE" '{"request_id":"undo-2"}'
check_eq "undo of a gold decision: 200" 200 "$CODE"
check_eq "the undo took the gold answer back" "G-0001|0" \
    "$(qsql "SELECT draft_id, correct FROM gold_answers ORDER BY seq")"
check_eq "the gold draft is open again" "claimed" "$(qsql "SELECT status FROM drafts WHERE id = 'G-0002'")"
