#!/bin/bash
# The automation's error rate (issue 15): people's override rate on the
# sampled eligible drafts, with its Wilson interval and sample size beside
# the automatic approvals (workflow show, stats --by phase); auto-pause
# trips on that sampled rate with the workflow's minimum sample, even while
# the human rate over all drafts stays under the threshold.
. "$(dirname "$0")/../lib.sh"

test_queue q || exit 0
export SIGNOFF_QUEUE=$Q
export SIGNOFF_REVIEWER=dana
so init
so workflow set refunds --owner dana --threshold 0.2 --min-decisions 5 --auto-pause on --min-seen 0
so workflow set refunds --automate-from 0.5 --sample 50% --force --reason "pilot"
qsql "UPDATE workflows SET sample_seed = 'rate-seed'"
python3 - "$T" <<'PY'
import json, sys
with open(sys.argv[1] + "/d.jsonl", "w") as f:
    for i in range(20):
        f.write(json.dumps({"id": "low%02d" % i, "workflow": "refunds", "body": "low %d" % i, "confidence": 0.3}) + "\n")
    for i in range(40):
        f.write(json.dumps({"id": "hi%02d" % i, "workflow": "refunds", "body": "high %d" % i, "confidence": 0.9}) + "\n")
PY
so enqueue "$T/d.jsonl"
sampled=$(qsql "SELECT id FROM drafts WHERE route = 2 ORDER BY id" | paste -sd' ')
nauto=$(qsql "SELECT count(*) FROM drafts WHERE route = 1")
set -- $sampled
check "at least six drafts sampled" test $# -ge 6
for i in $(seq 0 19); do "$SO" decide "$(printf 'low%02d' "$i")" approve >/dev/null || echo "decide low$i failed"; done
for id in $1 $2 $3 $4; do "$SO" decide "$id" approve >/dev/null || echo "decide $id failed"; done
so workflow show refunds
check_contains "show: auto, sampled, override with its interval" "measured:       auto $nauto, sampled 4, override 0.0% [0.0%, 49.0%]" "$OUT"
so stats --by phase
check_contains "stats --by phase: the same figures" "automate       $nauto        4     0.0%  [0.0%, 49.0%]" "$OUT"
so stats --by phase --format json
check_eq "stats --by phase json" "automate $nauto 4 0" \
    "$(python3 -c 'import json,sys; o=json.load(sys.stdin); j=o["groups"][0]; assert o["by"] == "phase"; print(j["phase"], j["auto"], j["sampled"], j["sampled_overrides"])' <<<"$OUT")"
"$SO" decide "$5" reject --reason factual >/dev/null
so workflow show refunds
check_eq "1 of 5 sampled overridden (20%): not over, still on" 0 "$RC"
"$SO" decide "$6" reject --reason factual >/dev/null
so workflow show refunds
check_eq "2 of 6 sampled overridden (33%) > 20%: paused" 4 "$RC"
check_contains "the reason names the sampled rate" "auto-pause: sampled override rate 0.33 over threshold 0.20 (2 of 6 sampled drafts)" "$OUT"
check_contains "while the human rate is under the threshold" "phase:          augment" "$OUT"
so stats --by workflow --format json
echo "$OUT" >"$T/stats.json"
check_eq "the human override rate over all drafts stays under 20%" "2 26" \
    "$(python3 -c 'import json,sys; g=json.load(sys.stdin); g=(g.get("groups") or g.get("rows") or g)[0]; print(g.get("overrides", g.get("edited", 0) + g.get("rejected", 0)), g["decided"])' <"$T/stats.json")"
printf '{"id":"after","workflow":"refunds","body":"after","confidence":0.99}\n' | so enqueue -
check_eq "the next eligible draft goes to people" "pending" "$(qsql "SELECT status FROM drafts WHERE id = 'after'")"
