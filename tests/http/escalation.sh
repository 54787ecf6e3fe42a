#!/bin/bash
# Escalation through `signoff serve` (issue 19 item 6): an escalated draft
# is open work for supervisors, not an outcome. A reviewer's token cannot
# claim or decide it (403), the supervisor's token finds it in the listing
# (status escalated, escalated=1) and gives the final decision, which is
# the producer-facing outcome; the escalation is counted apart.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
"$SO" init --queue "$Q" >/dev/null
serve_setup 3
serve_start || { notok "serve starts"; exit 1; }
export SIGNOFF_QUEUE="$URL"

as alice decide D-0000 escalate --reason policy --note "ask legal"
check_eq "escalate through the server" \
    "0 escalated: open for a supervisor's final decision" "$RC ${OUT#*$'\n'}"
check_eq "the draft is open, not decided" "escalated||" \
    "$(sql "$Q" "SELECT status, final_action, decided_at FROM drafts WHERE id = 'D-0000'")"
as bob decide D-0000 approve
check_eq "a reviewer's token cannot decide it" 1 "$RC"
check_contains "the reason is named" "escalated; a supervisor decides it" "$ERR"
as bob claim --format id
check_eq "a reviewer's claim skips it" "0 D-0001" "$RC $OUT"
api GET "/v1/drafts?status=open&escalated=1" "$TOK_SUP"
check_eq "the supervisor's inbox: the escalated draft" \
    "200 D-0000 escalated True" \
    "$CODE $(printf '%s' "$BODY" | python3 -c 'import json,sys; r=json.load(sys.stdin)["drafts"]; print(len(r) == 1 and r[0]["id"], r[0]["status"], r[0]["escalated"])')"
api GET "/v1/drafts?status=escalated" "$TOK_BOB"
check_eq "status=escalated is a listing filter" \
    "200 1" "$CODE $(printf '%s' "$BODY" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["drafts"]))')"
as sup decide D-0000 escalate
check_eq "escalating it again is refused" 1 "$RC"
check_contains "already escalated" "already escalated" "$ERR"
as sup decide D-0000 reject --reason factual
check_eq "the supervisor's token gives the final decision" \
    "0 resolved: final reject" "$RC ${OUT#*$'\n'}"
check_eq "final outcome: the supervisor's decision" "decided|reject" \
    "$(sql "$Q" "SELECT status, final_action FROM drafts WHERE id = 'D-0000'")"
check_eq "chain: the escalation, then the final decision" \
    "review:escalate:alice|resolve:reject:sue" \
    "$(sql "$Q" "SELECT kind || ':' || action || ':' || reviewer FROM decisions WHERE draft = 'D-0000' ORDER BY seq" | paste -sd'|')"
check_eq "rollup: escalation apart (alice), the outcome under sue" \
    "alice|0|1 sue|1|0" \
    "$(sql "$Q" "SELECT reviewer, sum(rejected), sum(escalated) FROM rollup GROUP BY reviewer ORDER BY reviewer" | tr '\n' ' ' | sed 's/ $//')"
serve_stop
