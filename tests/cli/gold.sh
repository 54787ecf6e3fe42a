#!/bin/bash
# Gold checks (issue 15, part 4): `gold add` fills a workflow's pool of
# known-answer drafts (a supervisor's, each line checked and named when
# bad); the workflow mixes one into the human queue after every 100/P
# drafts routed to people, indistinguishable from the others in list and
# show; people's decisions on them stay in the audit chain (marked in the
# export) but never reach the feed, webhooks, override rates, reject
# reasons or auto-pause; stats --by reviewer shows each reviewer's gold
# accuracy with its Wilson interval and flags who is below the bar (the
# undo of a gold answer: tests/http/gold.sh).
. "$(dirname "$0")/../lib.sh"

# On PostgreSQL too (tests/pg/cli_gold.sh: SIGNOFF_TEST_BACKEND=pg).
test_queue q || exit 0
export SIGNOFF_QUEUE="$Q"
joined() { qsql "$1" | paste -sd' '; } # rows on one line
so init
so workflow set support --owner sue --threshold 0.2 --min-decisions 1 \
    --auto-pause on --gold 50% --gold-bar 80%
check_eq "workflow set --gold --gold-bar" 0 "$RC"
check_contains "show: the gold settings" \
    "gold:           50% of drafts to people, bar 80.0%, 0 in the pool, 0 mixed in" "$OUT"
so workflow set support --gold 60%
check_eq "the gold rate is at most 50%" "1 signoff: support: gold: not in 0..50%" "$RC $ERR"

g() { # g ID TITLE BODY EXPECTED [REASONS_JSON]
    printf '{"draft":{"id":"%s","workflow":"support","model":"m1","confidence":0.7,"title":"%s","body":"%s"},"expected":"%s"%s}\n' \
        "$1" "$2" "$3" "$4" "${5:+,\"reasons\":$5}"
}
{
    g T-4711 "Refund question" "Refunds take 30 days." approve
    g T-4712 "Shipping question" "Shipping is always free." reject '["factual","unsupported"]'
    g T-4713 "Warranty question" "The warranty lasts 2 years." approve
    g T-4714 "Return question" "Returns are free." reject '["factual"]'
    printf '{"draft":{"id":"T-9","workflow":"support","body":"x"},"expected":"maybe"}\n'
    g T-10 "t" "b" approve '["factual"]'
    g T-11 "t" "b" reject '["nonsense"]'
    printf 'not json\n'
} >"$T/gold.jsonl"
so gold add "$T/gold.jsonl"
check_eq "a reviewer may not add gold" \
    "1 signoff: gold add: only a supervisor adds gold drafts (alice is a reviewer here)" \
    "$RC $(grep -v '^/' <<<"$ERR")"
SIGNOFF_ROLE=supervisor so gold add "$T/gold.jsonl"
check_eq "bad lines: exit 1" 1 "$RC"
check_eq "each bad line named with why" "$T/gold.jsonl:5: expected: approve, edit, reject or escalate, not 'maybe'
$T/gold.jsonl:6: reasons: only an expected reject has reasons
$T/gold.jsonl:8: json: malformed JSON at byte 0
$T/gold.jsonl:7: T-11: reason: 'nonsense' is not a reason code of workflow support (factual, unsupported, tone, policy, incomplete, other)" "$ERR"
check_contains "the good ones added" "gold: 4 added to the pool" "$OUT"
SIGNOFF_ROLE=supervisor so gold add "$T/gold.jsonl"
check_contains "added twice: refused by id" "gold.jsonl:1: draft.id: T-4711 is already a draft or a gold draft" "$ERR"
check_eq "the pool" "4|0" "$(qsql "SELECT count(*), count(released_at) FROM gold")"
check_eq "nothing in the queue yet" 0 "$(qsql "SELECT count(*) FROM drafts")"
# A gold draft that names a new workflow creates it, and the creation is
# an admin record in the chain (workflow.create by the supervisor, naming
# the draft), as enqueue's is; a refused line creates nothing.
{
    printf '{"draft":{"id":"G-1","workflow":"refunds","body":"known"},"expected":"approve"}\n'
    printf '{"draft":{"id":"G-2","workflow":"claims","body":"x"},"expected":"reject","reasons":["nonsense"]}\n'
} >"$T/gold-new.jsonl"
SIGNOFF_ROLE=supervisor SIGNOFF_REVIEWER=sue so gold add "$T/gold-new.jsonl"
check_eq "gold add into a new workflow: the good line added" \
    "1 gold: 1 added to the pool" "$RC $OUT"
check_eq "the workflow gold add made has its admin record" \
    'workflow/refunds|sue|admin|workflow.create|{"by":"gold","draft":"G-1"}' \
    "$(qsql "SELECT draft, reviewer, kind, reason, note FROM decisions WHERE draft IN ('workflow/refunds', 'workflow/claims')")"
check_eq "a refused gold line creates no workflow" "refunds" \
    "$(joined "SELECT name FROM workflows WHERE name IN ('refunds', 'claims')")"

# 8 drafts to people: one gold draft after every 2nd (50%), in pool order.
for i in 1 2 3 4 5 6 7 8; do
    printf '{"id":"D-%s","workflow":"support","model":"m1","confidence":0.7,"title":"Question %s","body":"Answer %s."}\n' "$i" "$i" "$i"
done >"$T/d.jsonl"
so enqueue "$T/d.jsonl"
check_contains "the producer's drafts only are counted" "enqueued 8 drafts" "$ERR"
check_eq "mixed in after every second draft, in claim order" \
    "D-1 D-2 T-4711 D-3 D-4 T-4712 D-5 D-6 T-4713 D-7 D-8 T-4714" \
    "$(joined "SELECT id FROM drafts ORDER BY priority DESC, created_at, rid")"
so workflow show support
check_contains "show: the pool used up" "0 in the pool, 4 mixed in" "$OUT"
so list --format json
check_not_contains "list says nothing of gold" "gold" "$OUT"
keys() { python3 -c 'import json,sys; print(sorted(json.load(sys.stdin)))'; }
so show T-4712 --format json
gold_keys=$(keys <<<"$OUT")
check_not_contains "show of a gold draft says nothing of gold" "gold" "$OUT"
so show D-1 --format json
check_eq "a gold draft has the keys of any other draft" "$(keys <<<"$OUT")" "$gold_keys"

printf 'whsec_%s\n' "$(head -c 32 /dev/urandom | base64)" >"$T/secret"
chmod 600 "$T/secret"
"$SO" hook add --workflow support --url "http://127.0.0.1:1/x" \
    --secret-file "$T/secret" --allow-private >/dev/null || echo "# hook add failed"
# bob: 1 of 4 gold right; ann: 2 of 2 (one reject with an accepted reason).
dec() { SIGNOFF_REVIEWER=$1 run "$SO" decide "${@:2}"; [ "$RC" = 0 ] || echo "decide ${*:2}: $ERR"; }
dec bob D-1 approve
dec bob T-4711 reject --reason tone
dec bob T-4712 approve
dec bob T-4713 approve
dec bob T-4714 reject --reason tone
dec ann D-2 approve
check_eq "gold answers recorded, right or wrong" "T-4711|bob|reject|0
T-4712|bob|approve|0
T-4713|bob|approve|1
T-4714|bob|reject|0" \
    "$(qsql "SELECT draft_id, reviewer, action, correct FROM gold_answers ORDER BY seq")"
so workflow show support
check_eq "bob's rejects of gold drafts did not trip auto-pause" 0 "$RC"
check_eq "webhooks: the people's decisions queued, none on a gold draft" "D-1 D-2" \
    "$(joined "SELECT draft FROM deliveries ORDER BY seq")"
check_eq "no outcome for a gold draft" 0 \
    "$(qsql "SELECT count(*) FROM outcomes WHERE draft LIKE 'T-%'")"
so events
check_not_contains "the feed has no gold decision" "T-47" "$OUT"
check_contains "the feed has the others" "D-1 support bob outcome=approve" "$OUT"
so stats --by workflow
check_contains "override rates count people's work only (2 decided, 0 overridden)" \
    "support         2     2     0    0    0      0.0%" "$OUT"
check_not_contains "reject reasons leave gold out" "tone" "$OUT"
# The readiness figure counts people's outcomes only: 2 decisions, none
# overridden (with bob's gold answers it would be 2 overrides in 6).
SIGNOFF_REVIEWER=sue so workflow set support --automate-from 0.5
check_contains "readiness leaves gold out (0 of 2 overridden)" \
    "override rate 0.0%, upper bound 65.8% >= threshold 20.0% over 2 decisions" "$ERR"

so stats --by reviewer
check_contains "stats: bob's gold accuracy with its Wilson interval" \
    "25.0% [4.6%, 69.9%] of 4" "$OUT"
check_contains "stats: bob below the bar (upper 69.9% < 80%)" "below the gold bar" "$(grep '^bob' <<<"$OUT")"
check_contains "stats: ann has none yet" "-" "$(grep '^ann' <<<"$OUT")"
check_not_contains "stats: ann not flagged" "below the gold bar" "$(grep '^ann' <<<"$OUT")"
so stats --by reviewer --format json
check_eq "json: bob's gold figures" "4 1 0.25 0.0456 0.6994 True" "$(python3 -c '
import json, sys
g = [x for x in json.load(sys.stdin)["groups"] if x["key"] == "bob"][0]
print(g["gold_decided"], g["gold_correct"], g["gold_accuracy"], round(g["gold_ci95_low"], 4), round(g["gold_ci95_high"], 4), g["gold_flagged"])' <<<"$OUT")"
so stats --by reviewer --format prometheus
check_contains "prometheus: the accuracy" 'signoff_gold_accuracy_ratio{reviewer="bob"} 0.25' "$OUT"
check_contains "prometheus: the flag" 'signoff_gold_flagged{reviewer="bob"} 1' "$OUT"
if command -v promtool >/dev/null; then
    check_eq "promtool: no problems" "" "$(promtool check metrics <<<"$OUT" 2>&1)"
fi

so export --output "$T/x.jsonl"
check_eq "export marks the gold decisions, and only them" "T-4711 T-4712 T-4713 T-4714" \
    "$(python3 -c '
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])][1:]
print(" ".join(r["draft"] for r in recs if r.get("gold") is True))' "$T/x.jsonl")"
run python3 "$TOP/docs/examples/verify_export.py" "$T/x.jsonl"
check_eq "the shipped verifier checks an export with gold marks" 0 "$RC"
so export --format csv --output "$T/x.csv"
check_eq "the CSV export marks the same gold decisions (column gold)" "T-4711 T-4712 T-4713 T-4714" \
    "$(python3 -c '
import csv, sys
print(" ".join(r["draft"] for r in csv.DictReader(open(sys.argv[1], newline="")) if r["gold"] == "true"))' "$T/x.csv")"
run python3 "$TOP/docs/examples/verify_export.py" "$T/x.csv"
check_eq "the shipped verifier checks a CSV export with the gold column" 0 "$RC"
so verify
check_eq "verify: the chain with gold decisions is whole" 0 "$RC"
