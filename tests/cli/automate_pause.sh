#!/bin/bash
# The kill switch on automation (issue 15): a pause stops automatic
# decisions at once and pulls the automatic outcomes still inside the
# release delay back into human review: a revert record by the person who
# paused, naming the pause; the outcome retracted, never in the feed; the
# draft pending for people. Outcomes already released stay (the producer
# may have acted); the chain verifies.
. "$(dirname "$0")/../lib.sh"

test_queue q || exit 0
export SIGNOFF_QUEUE=$Q
export SIGNOFF_REVIEWER=dana
T0=1795514400000 # 2026-11-24T10:00:00Z
export SIGNOFF_NOW_MS=$T0
so init
so workflow set refunds --owner dana
so workflow set refunds --automate-from 0.5 --sample 0% --force --reason "pilot"
check_eq "policy set" 0 "$RC"
mk() { # PREFIX N: N drafts at confidence 0.9
    for i in $(seq 1 "$2"); do
        printf '{"id":"%s%s","workflow":"refunds","body":"refund %s","confidence":0.9}\n' "$1" "$i" "$i"
    done >"$T/$1.jsonl"
    so enqueue "$T/$1.jsonl"
}
mk early 3 # released at once (release-after 0)
so workflow set refunds --release-after 1h
SIGNOFF_NOW_MS=$((T0 + 1000)) mk held 4 # held for an hour
check_eq "all seven decided automatically" 7 \
    "$(qsql "SELECT count(*) FROM drafts WHERE status = 'decided' AND route = 1")"
SIGNOFF_NOW_MS=$((T0 + 2000)) run "$SO" events --format jsonl --limit 100
check_eq "the feed: the three released, the held ones wait" "early1 early2 early3" \
    "$(python3 -c 'import json,sys; print(" ".join(json.loads(l)["draft_id"] for l in sys.stdin if json.loads(l).get("outcome")))' <<<"$OUT")"

# Pause mid-stream, inside the release delay of the held four.
SIGNOFF_NOW_MS=$((T0 + 60000)) SIGNOFF_ROLE=supervisor run "$SO" workflow pause refunds --reason "wrong amounts"
check_eq "paused" 0 "$RC"
check_eq "the held four are open again for people, the released stay" \
    "early1:decided:1 early2:decided:1 early3:decided:1 held1:pending:3 held2:pending:3 held3:pending:3 held4:pending:3" \
    "$(qsql "SELECT id || ':' || status || ':' || route FROM drafts ORDER BY id" | paste -sd' ')"
check_eq "each pull-back is a revert by the person who paused, naming the pause" \
    "4|dana|pulled back into review by the pause: wrong amounts" \
    "$(qsql "SELECT count(*), reviewer, note FROM decisions WHERE action = 'revert' GROUP BY reviewer, note")"
check_eq "their outcomes are retracted" 4 \
    "$(qsql "SELECT count(*) FROM outcomes WHERE reverted_at IS NOT NULL")"
so verify
check_eq "the chain verifies" 0 "$RC"
SIGNOFF_NOW_MS=$((T0 + 7200000)) run "$SO" events --format jsonl --limit 100
check_eq "after the delay the feed still has only the released three" "early1 early2 early3" \
    "$(python3 -c 'import json,sys; print(" ".join(json.loads(l)["draft_id"] for l in sys.stdin if json.loads(l).get("outcome")))' <<<"$OUT")"
check_eq "the held ones are retracted events" "held1 held2 held3 held4" \
    "$(python3 -c 'import json,sys; print(" ".join(json.loads(l)["draft_id"] for l in sys.stdin if json.loads(l).get("retracted")))' <<<"$OUT")"

# The next enqueue goes to people; a person decides a pulled-back draft.
SIGNOFF_NOW_MS=$((T0 + 70000)) mk after 2
check_eq "after the pause: no automatic decision" "0" \
    "$(qsql "SELECT count(*) FROM drafts WHERE id LIKE 'after%' AND status = 'decided'")"
SIGNOFF_NOW_MS=$((T0 + 80000)) SIGNOFF_REVIEWER=bob run "$SO" decide held1 reject --reason factual
check_eq "a pulled-back draft is decided by a person" 0 "$RC"
so verify
check_eq "the chain still verifies" 0 "$RC"
