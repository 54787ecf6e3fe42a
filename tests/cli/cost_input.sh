#!/bin/bash
# What a producer reports of a draft (cost with currency, tokens,
# latency_ms) and a workflow's cost and SLA settings, on either store
# (tests/pg/cost_input.sh runs it on PostgreSQL): bad fields refused naming
# the line and the field, good ones stored and shown back, a cost in
# another currency than the workflow's refused, the settings shown with an
# admin record, the oldest open draft and the drafts past the SLA counted.
. "$(dirname "$0")/../lib.sh"
test_queue q || exit 0
export SIGNOFF_QUEUE=$Q SIGNOFF_REVIEWER=ana
so init
cat >"$T/in.jsonl" <<'JSON'
{"id":"a","workflow":"wf","model":"m1","body":"yes","cost":{"amount":0.0042,"currency":"USD"},"tokens":1200,"latency_ms":900}
{"id":"x1","workflow":"wf","body":"x","cost":{"amount":-1,"currency":"USD"}}
{"id":"x2","workflow":"wf","body":"x","tokens":"12"}
{"id":"x3","workflow":"wf","body":"x","latency_ms":1.5}
{"id":"x4","workflow":"wf","body":"x","cost":{"amount":1,"currency":"EUR"}}
{"id":"b","workflow":"wf","body":"no cost"}
JSON
so enqueue "$T/in.jsonl"
check_eq "bad lines: exit 1" 1 "$RC"
check_contains "line 2: cost.amount" "in.jsonl:2: cost.amount:" "$ERR"
check_contains "line 3: tokens" "in.jsonl:3: tokens: expected an integer" "$ERR"
check_contains "line 4: latency_ms" "in.jsonl:4: latency_ms: expected an integer" "$ERR"
check_contains "line 5: the workflow's currency" "in.jsonl:5: cost.currency: EUR, but workflow wf counts cost in USD" "$ERR"
check_eq "the good lines landed" "a b" "$(qsql "SELECT id FROM drafts ORDER BY id" | tr '\n' ' ' | sed 's/ $//')"
check_eq "stored as millionths" "4200|USD|1200|900" "$(qsql "SELECT cost_micros, currency, tokens, latency_ms FROM drafts WHERE id = 'a'")"
so show a --format json
check_eq "show: the figures back" "0.0042 USD 1200 900" \
    "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["cost"]["amount"], d["cost"]["currency"], d["tokens"], d["latency_ms"])')"
so show b --format json
check_eq "a draft without them has none" "False False False" \
    "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("cost" in d, "tokens" in d, "latency_ms" in d)')"
so workflow set wf --currency EUR --hourly-rate 42.5 --sla 1h --sla-alert 25%
check_eq "workflow set the cost settings" 0 "$RC"
check_contains "an admin record with the changes" '"currency":{"from":"USD","to":"EUR"}' \
    "$(qsql "SELECT note FROM decisions WHERE kind = 'admin' ORDER BY seq DESC LIMIT 1")"
printf '{"id":"c","workflow":"wf","body":"euros","cost":{"amount":1,"currency":"EUR"}}\n' | so enqueue -
check_eq "now EUR is the workflow's: accepted" 0 "$RC"
qsql "UPDATE drafts SET created_at = created_at - 7200000 WHERE id = 'b'" >/dev/null
so workflow show wf --format json
check_eq "show: currency, rate, SLA, alert, one open past it" "EUR 42.5 3600000 0.25 1" \
    "$(printf '%s' "$OUT" | python3 -c 'import json,sys; w=json.load(sys.stdin); print(w["currency"], w["hourly_rate"], w["sla_ms"], w["sla_alert"], w["sla_open_past"])')"
check "show: the oldest open draft is b's 2h" python3 -c "import json,sys; w=json.loads(sys.argv[1]); sys.exit(not 7200000 <= w['oldest_pending_ms'] < 7260000)" "$OUT"
so list --status open --format json
check_eq "list: b past its SLA (the oldest, first)" "b:past a: c:" \
    "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(" ".join(r["id"] + ":" + r.get("sla", "") for r in json.load(sys.stdin)))')"
# The table's FLAG S (past the SLA) is explained where a user looks for it.
so list --status open
check_eq "list table: b flagged S" "S" "$(printf '%s\n' "$OUT" | awk '$1 == "b" {print $6}')"
so list --help
check_contains "list --help explains FLAG S and s" "S: open past
its workflow's SLA, s: nearing it" "$OUT"
