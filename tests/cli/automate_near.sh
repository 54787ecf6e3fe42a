#!/bin/bash
# The readiness of the bands next to a policy's (issue 15: "what would
# happen if the band moved by 0.05"): counted from the outcomes at the
# exact band, not from the rollup's 0.1 bands. 10 rejects at 0.62 and 30
# approvals at 0.9: from 0.65 nothing was overridden (upper 11.4%, ready),
# from 0.55 the rejects count (10 of 40, not ready). A 0.1 band would put
# 0.62 into the band of 0.65 and call both not ready.
. "$(dirname "$0")/../lib.sh"

test_queue q || exit 0
export SIGNOFF_QUEUE=$Q
export SIGNOFF_REVIEWER=dana
so init
so workflow set refunds --owner dana --threshold 0.2 --min-decisions 10
for i in $(seq 1 10); do
    printf '{"id":"m%s","workflow":"refunds","body":"mid %s","confidence":0.62}\n' "$i" "$i"
done >"$T/hist.jsonl"
for i in $(seq 1 30); do
    printf '{"id":"h%s","workflow":"refunds","body":"high %s","confidence":0.9}\n' "$i" "$i"
done >>"$T/hist.jsonl"
so enqueue "$T/hist.jsonl"
for i in $(seq 1 10); do "$SO" decide "m$i" reject --reason factual >/dev/null || echo "decide m$i failed"; done
for i in $(seq 1 30); do "$SO" decide "h$i" approve >/dev/null || echo "decide h$i failed"; done
so workflow set refunds --automate-from 0.6 --force --reason "try it"
check_eq "policy from 0.60 (forced)" 0 "$RC"
so workflow show refunds
check_contains "show: the bands 0.05 either side, exact" \
    "near bands:     0.55: upper 40.2% of 40, not ready; 0.65: upper 11.4% of 30, ready" "$OUT"
so workflow set refunds --automate-from 0.98 --force --reason "edge"
so workflow show refunds
check_contains "show: the band above is clamped to 1" \
    "near bands:     0.93: upper - of 0, not ready; 1.00: upper - of 0, not ready" "$OUT"
