#!/bin/bash
# The reviewer UI's per-workflow guards: --min-seen (how long a draft is on
# screen before a decision key acts) and --confirm-flagged (approving a
# draft with grounding flags asks first): their defaults, set, shown in
# text and JSON, and out-of-range values refused before anything changes.
. "$(dirname "$0")/../lib.sh"

test_queue q || exit 0
export SIGNOFF_QUEUE="$Q"
so init
printf '{"id":"g1","workflow":"support","body":"b"}\n' | "$SO" enqueue - >/dev/null 2>&1
so workflow show support
check_contains "default min seen 1 s" "min seen:       1000ms" "$OUT"
check_contains "default confirm flagged on" "confirm flags:  on" "$OUT"
so workflow set support --min-seen 400ms --confirm-flagged off
check_eq "set exits 0" 0 "$RC"
so workflow show support --format json
check_eq "json min_seen_ms" 400 "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["min_seen_ms"])' <<<"$OUT")"
check_eq "json confirm_flagged" False "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["confirm_flagged"])' <<<"$OUT")"
check_eq "stored" "400|0" "$(sql "$SIGNOFF_QUEUE" "SELECT min_seen_ms||'|'||confirm_flagged FROM workflows WHERE name='support'")"
so workflow set support --min-seen 61s
check_eq "61s refused as usage" 2 "$RC"
check_contains "says the range" "--min-seen: expected a duration up to 60s" "$ERR"
so workflow set support --confirm-flagged maybe
check_eq "bad on/off refused" 2 "$RC"
check_eq "nothing changed" "400|0" "$(sql "$SIGNOFF_QUEUE" "SELECT min_seen_ms||'|'||confirm_flagged FROM workflows WHERE name='support'")"
so workflow set support --min-seen 0
check_eq "0 allowed" "0" "$(sql "$SIGNOFF_QUEUE" "SELECT min_seen_ms FROM workflows WHERE name='support'")"
