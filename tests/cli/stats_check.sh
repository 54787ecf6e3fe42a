#!/bin/bash
# stats --check: exit 3 naming each workflow whose override rate over its own
# window exceeds its threshold with at least min-decisions decided; 0
# otherwise. support: 2 of 4 overridden today (50%); calm: 0 of 4.
. "$(dirname "$0")/../lib.sh"

test_queue q || exit 0
export SIGNOFF_QUEUE="$Q"
NOW=1795514400000 # 2026-11-24T10:00:00Z
export SIGNOFF_NOW_MS=$((NOW - 3600000))
so init
for w in support calm; do
    for i in 1 2 3 4; do
        printf '{"id":"%s-%s","workflow":"%s","body":"text %s"}\n' "$w" "$i" "$w" "$i"
    done
done >"$T/in.jsonl"
so enqueue "$T/in.jsonl"
check_eq "enqueue" 0 "$RC"
so workflow set support --threshold 0.4 --min-decisions 4 --window 7d
so workflow set calm --threshold 0.1 --min-decisions 4 --window 24h
export SIGNOFF_NOW_MS=$NOW
for i in 1 2; do run "$SO" decide support-$i approve; done
run "$SO" decide support-3 reject --reason factual
run "$SO" decide support-4 reject --reason tone
for i in 1 2 3 4; do run "$SO" decide calm-$i approve; done
check_eq "decisions recorded" 0 "$RC"

so stats --check
check_eq "over threshold: exit 3" 3 "$RC"
check_contains "names the workflow" "support: override rate 50.0% > threshold 40.0% (2 of 4 decided since 2026-11-18)" "$OUT"
check_not_contains "calm is not named" "calm" "$OUT"

so stats --check --format json
check_eq "json check: exit 3" 3 "$RC"
check_eq "json check: over list" "['support']" "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["over"])')"

so workflow set support --min-decisions 5
so stats --check
check_eq "below min-decisions: exit 0" 0 "$RC"
check_eq "below min-decisions: silent" "" "$OUT"

so workflow set support --min-decisions 4 --threshold 0.5
so stats --check
check_eq "rate equal to threshold is not over: exit 0" 0 "$RC"

so workflow set support --threshold 0.45
so stats --check --workflow calm
check_eq "--workflow limits the check" 0 "$RC"

# Its own window (7d = 7 UTC days): seven days later the decisions left support's 7d window.
SIGNOFF_NOW_MS=$((NOW + 7 * 86400000)) run "$SO" stats --check
check_eq "outside its window: exit 0" 0 "$RC"
