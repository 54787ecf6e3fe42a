#!/bin/bash
# auto-pause: a workflow set to auto-pause is paused by the first decision
# that pushes it over threshold (with at least min-decisions decided),
# recorded with that reason, exactly once: later decisions over threshold
# do not pause it again.
. "$(dirname "$0")/../lib.sh"

test_queue q || exit 0
export SIGNOFF_QUEUE="$Q"
T0=1795514400000 # 2026-11-24T10:00:00Z
export SIGNOFF_NOW_MS=$T0
so init
for i in 1 2 3 4 5 6; do
    printf '{"id":"s%s","workflow":"summaries","body":"summary %s"}\n' "$i" "$i"
done >"$T/in.jsonl"
so enqueue "$T/in.jsonl"
so workflow set summaries --threshold 0.5 --min-decisions 3 --auto-pause on --owner dana
check_eq "set auto-pause" 0 "$RC"

d() { SIGNOFF_NOW_MS=$1 run "$SO" decide "$2" "$3" ${4:+--reason "$4"}; }
d $((T0 + 1000)) s1 approve
d $((T0 + 2000)) s2 reject factual
so workflow show summaries
check_eq "1 of 2: below min-decisions, still on" 0 "$RC"
d $((T0 + 3000)) s3 approve
so workflow show summaries
check_eq "1 of 3 = 33%: under threshold, still on" 0 "$RC"
d $((T0 + 4000)) s4 reject factual
so workflow show summaries
check_eq "2 of 4 = 50%: not over, still on" 0 "$RC"
d $((T0 + 5000)) s5 reject factual
check_eq "the decision that crosses is recorded" 0 "$RC"
so workflow show summaries
check_eq "3 of 5 = 60% > 50%: paused" 4 "$RC"
check_contains "paused at that decision" "since:        2026-11-24T10:00:05Z" "$OUT"
check_contains "reason names the threshold" "threshold" "$OUT"
d $((T0 + 6000)) s6 reject factual
so workflow show summaries
check_eq "still paused" 4 "$RC"
check_contains "not paused again by the next decision" "since:        2026-11-24T10:00:05Z" "$OUT"
check_eq "one pause event recorded" 1 "$(sql "$Q" "SELECT count(*) FROM workflow_events WHERE workflow = 'summaries' AND paused = 1")"
