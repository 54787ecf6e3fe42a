#!/bin/bash
# Reason codes are the queue's (issue 17, finding 5): kept in the queue
# (schema v11), a default set and a workflow's own list; workflow show
# lists them, decide refuses a code that is not the draft's workflow's
# (naming the list), workflow set --reasons replaces or resets the list,
# and a `reason` line in the config is reported and skipped.
. "$(dirname "$0")/../lib.sh"
test_queue q || exit 0
export SIGNOFF_QUEUE=$Q
so init
printf '%s\n' '{"id":"R-1","workflow":"support","body":"a"}' \
    '{"id":"R-2","workflow":"support","body":"b"}' \
    '{"id":"L-1","workflow":"legal","body":"c"}' >"$T/d.jsonl"
so enqueue "$T/d.jsonl"
so workflow show support --format json
check_eq "a workflow takes the queue's default set" \
    "factual,unsupported,tone,policy,incomplete,other False" \
    "$(printf %s "$OUT" | python3 -c 'import json,sys; w=json.load(sys.stdin); print(",".join(r["code"] for r in w["reasons"]), w["reasons_own"])')"
so decide R-1 reject --reason 'Evil Reason With Spaces'
check_eq "a reason that is no code of the workflow is refused" 1 "$RC"
check_contains "... naming the draft and the list" \
    "R-1: reason: 'Evil Reason With Spaces' is not a reason code of workflow support (factual, unsupported, tone, policy, incomplete, other)" "$ERR"
check_eq "... nothing recorded, the draft released" "0|pending" \
    "$(sql "$SIGNOFF_QUEUE" "SELECT (SELECT count(*) FROM decisions WHERE kind <> 'admin'), status FROM drafts WHERE id = 'R-1'")"

so workflow set legal --reasons 'privilege=Privileged content,jurisdiction=Wrong jurisdiction'
check_eq "workflow set --reasons" 0 "$RC"
check_contains "show lists the workflow's own codes" "reasons:        (the workflow's own)
  privilege     Privileged content
  jurisdiction  Wrong jurisdiction" "$OUT"
so decide L-1 reject --reason factual
check_contains "a default code is not one of legal's" "is not a reason code of workflow legal (privilege, jurisdiction)" "$ERR"
so decide L-1 escalate --reason jurisdiction
check_eq "an escalation with one of legal's codes" 0 "$RC"
so decide R-2 reject --reason tone
check_eq "support keeps the default set" 0 "$RC"
so workflow set legal --reasons default
check_contains "--reasons default: back to the queue's default set" "(the queue's default set)" "$OUT"
so workflow set legal --reasons 'Bad Code=x'
check_eq "a bad code: usage error" 2 "$RC"
check_contains "... saying why" "--reasons: item 1: reason code: 1 to 64 of a-z, 0-9, _ and -" "$ERR"
so workflow set legal --reasons $'ok=La\e[2Jbel'
check_contains "a label with ESC: refused" "reason label: control character U+001B" "$ERR"
so stats --by workflow --format json
check_contains "stats count the reason codes used" '"tone"' "$OUT"

mkdir -p "$XDG_CONFIG_HOME/signoff"
printf 'reason legal "Needs legal review"\n' >"$XDG_CONFIG_HOME/signoff/config"
so workflow show support
check_contains "a config reason line is reported and skipped" \
    "config:1: reason: reason codes are kept in the queue now (signoff workflow set W --reasons); line ignored" "$ERR"
