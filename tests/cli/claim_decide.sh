#!/bin/bash
# signoff claim and decide: output formats, exit 5 when empty, the decide
# rules (reason list, body file), refusals that write nothing (claimed by
# another reviewer, already decided, unknown id), idempotent --request-id,
# and an expired lease that another reviewer takes over.
. "$(dirname "$0")/../lib.sh"
test_queue q || exit 0
export SIGNOFF_QUEUE=$Q SIGNOFF_NOW_MS=1795000000000
so init
for i in 1 2 3 4 5 6; do
    printf '{"id":"D-%d","workflow":"w","title":"Draft %d","body":"body %d"}\n' $i $i $i
done >"$T/in.jsonl"
printf '{"id":"O-1","workflow":"other","title":"Other","body":"other body"}\n' >>"$T/in.jsonl"
so enqueue "$T/in.jsonl"
# the decisions, not the admin records (seq 1 and 2: workflows w and other,
# made by the enqueue)
decisions() { sql "$SIGNOFF_QUEUE" "SELECT count(*) FROM decisions WHERE kind <> 'admin'"; }

so claim
check_eq "claim: text" "0 claimed D-1 (w) until 2026-11-18T11:16:40Z
Draft 1" "$RC $OUT"
so claim --format id --workflow other
check_eq "claim --format id --workflow" "0 O-1" "$RC $OUT"
SIGNOFF_REVIEWER=bob so claim --format json --lease 60
check_eq "claim --format json --lease 60" \
    '0 {"id":"D-2","workflow":"w","title":"Draft 2","body":"body 2","priority":0,"status":"claimed","created_at":1795000000000,"claimed_by":"bob","lease_until":1795000060000,"lease_token":1,"attempts":1,"reviews_needed":1,"reviews_done":0}' \
    "$RC $OUT"
so claim --workflow othr
check_eq "claim: a workflow the queue does not have: exit 1 (not 5), named" \
    "1 signoff: othr: no such workflow" "$RC $ERR"

# Usage errors: exit 2, nothing claimed or written.
usage() { # NAME EXPECTED-FIRST-LINE ARGS...
    local name=$1 want=$2; shift 2
    so decide "$@"
    check_eq "$name" "2 $want" "$RC ${ERR%%$'\n'*}"
}
usage "edit needs a body file" "signoff decide: edit needs --body-file FILE (or - for standard input)" D-3 edit
usage "reject needs a reason" "signoff decide: reject needs --reason CODE" D-3 reject
usage "approve takes no reason" "signoff decide: --reason is for reject and escalate" D-3 approve --reason tone
usage "a body file is only for edit" "signoff decide: --body-file is only for edit" D-3 approve --body-file x
usage "an unknown action" "signoff decide: 'frob' is not an action (approve, edit, reject or escalate)" D-3 frob
usage "revert is not a decide action" "signoff decide: 'revert' is not an action (approve, edit, reject or escalate)" D-3 revert
usage "no action" "signoff decide: expected ID and an action" D-3
usage "a bad request id" "signoff decide: --request-id: 1 to 64 letters, digits, - or _" \
    D-3 approve --request-id 'bad id'
usage "a bad --shown-at" "signoff decide: --shown-at: expected milliseconds, not 'soon'" \
    D-3 approve --shown-at soon
check_eq "usage errors: nothing written" 0 "$(decisions)"
check_eq "usage errors: nothing claimed" "pending" \
    "$(sql "$SIGNOFF_QUEUE" "SELECT status FROM drafts WHERE id = 'D-3'")"

# Reason codes are the queue's (tests/cli/reasons.sh): an unknown one is
# refused by the store, after the claim, which is released.
so decide D-3 reject --reason nope
check_eq "reject with an unknown reason" \
    "1 signoff: D-3: reason: 'nope' is not a reason code of workflow w (factual, unsupported, tone, policy, incomplete, other)" \
    "$RC $ERR"
check_eq "... the draft is released" pending \
    "$(sql "$SIGNOFF_QUEUE" "SELECT status FROM drafts WHERE id = 'D-3'")"
"$SO" workflow set w --reasons 'legal=Needs legal review' >/dev/null
so decide D-3 reject --reason legal --request-id rj-1
check_eq "reject with one of the workflow's own codes" 0 "$RC"
"$SO" workflow set w --reasons default >/dev/null

# Refusals: one message, exit 1, nothing written.
so decide D-2 approve
check_eq "claimed by another reviewer" "1 signoff: D-2: claimed by bob until 2026-11-18T11:07:40Z" "$RC $ERR"
so decide NOPE approve
check_eq "unknown id" "1 signoff: NOPE: no such draft" "$RC $ERR"
so decide D-3 approve
check_eq "already decided" "1 signoff: D-3: already decided: reject" "$RC $ERR"
check_eq "refusals: only the one reject is recorded" 1 "$(decisions)"

# Idempotency: the same request id returns the first result.
printf 'the new body\n' >"$T/body.txt"
so decide D-1 edit --body-file "$T/body.txt" --request-id e-1 --note "tightened"
check_eq "edit of a draft I claimed: recorded" 0 "$RC"
case "$OUT" in "recorded edit of D-1: seq 4, hash "*) ok "edit: prints seq and hash" ;;
    *) notok "edit: prints seq and hash"; echo "    got: $OUT" ;; esac
first=$OUT
so decide D-1 edit --body-file "$T/body.txt" --request-id e-1 --note "tightened"
check_eq "the same request id again: exit 0" 0 "$RC"
check_eq "the same request id again: the first result" "already recorded: ${first#recorded }" "$OUT"
so decide D-1 edit --body-file "$T/body.txt" --request-id e-1 --note "tightened" --format json
check_eq "the same request id, JSON: replayed" \
    "edit 4 True decided" \
    "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["action"], d["seq"], d["replayed"], d["status"])')"
so decide D-1 edit --body-file "$T/body.txt" --request-id e-1
check_eq "the same request id with other content (no note): a conflict, exit 1" 1 "$RC"
check_contains "other content: says the id was used for a different decision" \
    "request_id e-1 already used for a different decision" "$ERR"
check_eq "idempotency: still two decisions" 2 "$(decisions)"
check_eq "edit: the final body is stored" "the new body
|tightened" "$(sql "$SIGNOFF_QUEUE" "SELECT final_body, note FROM decisions WHERE seq = 4")"

# An edit to an empty (or blank) text is refused, as in the UI: a draft
# cannot go out empty. Nothing is written.
printf ' \n\n' >"$T/blank.txt"
run "$SO" decide D-4 edit --body-file - <"$T/blank.txt"
check_eq "an empty edit: refused, saying why" \
    "1 signoff: D-4: edit: the edited text is empty (a draft cannot go out empty; reject it instead)" "$RC $ERR"
check_eq "an empty edit: nothing recorded, the draft still pending" "0 pending" \
    "$(qsql "SELECT count(*) FROM decisions WHERE draft = 'D-4'") $(qsql "SELECT status FROM drafts WHERE id = 'D-4'")"
# Edit from stdin; an edit that changes nothing is an approve.
printf 'body 4' >"$T/same.txt"
run "$SO" decide D-4 edit --body-file - <"$T/same.txt"
check_contains "an unchanged edit is recorded as approve" \
    "recorded approve of D-4: seq 5, hash " "$OUT"
check_contains "an unchanged edit says so" "(the edit changed nothing)" "$OUT"

# D-5 claimed 20 s earlier, shown 10 s earlier: its times are within the
# claim and kept as given.
SIGNOFF_NOW_MS=1794999980000 so claim --format id
check_eq "claim D-5 20 s earlier" "0 D-5" "$RC $OUT"
so decide D-5 escalate --reason policy --note "ask legal" --shown-at 1794999990000
check_eq "escalate with a reason" 0 "$RC"
check_eq "escalate: reason, note and active time stored" "escalate|policy|ask legal|10000|1794999990000" \
    "$(sql "$SIGNOFF_QUEUE" "SELECT action, reason, note, active_ms, shown_at FROM decisions WHERE draft = 'D-5'")"

# An expired lease: alice takes over bob's draft after his 60 s lease.
SIGNOFF_NOW_MS=1795000061000 so decide D-2 approve --request-id late-1
check_eq "after the lease ran out another reviewer may decide" 0 "$RC"
check_eq "the decision is alice's" "alice|approve" \
    "$(sql "$SIGNOFF_QUEUE" "SELECT reviewer, action FROM decisions WHERE draft = 'D-2'")"

SIGNOFF_NOW_MS=1794999999000 so claim --format id
so decide D-6 approve --active-ms 4500 --format json
check_eq "decide --format json" "D-6 approve False decided 64" \
    "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["id"], d["action"], d["replayed"], d["status"], len(d["hash"]))')"
check_eq "every draft decided once" "D-1|1 D-2|1 D-3|1 D-4|1 D-5|1 D-6|1" \
    "$(sql "$SIGNOFF_QUEUE" "SELECT draft || '|' || count(*) FROM decisions WHERE kind <> 'admin' GROUP BY draft ORDER BY draft" | tr '\n' ' ' | sed 's/ $//')"
check_eq "times beyond the claim are clamped: active time at most since the claim" \
    "1000|1795000000000" "$(sql "$SIGNOFF_QUEUE" "SELECT active_ms, shown_at FROM decisions WHERE draft = 'D-6'")"
so verify
check_eq "the audit chain holds" 0 "$RC"

# A workflow the queue has, with nothing to claim: exit 5 (its admin
# record comes last, after the seq numbers checked above).
"$SO" workflow set other --owner olga >/dev/null
so claim --workflow other
check_eq "claim: nothing left in a workflow: exit 5" \
    "5 signoff: claim: nothing to claim in other" "$RC $ERR"
check_eq "claim: nothing on stdout when empty" "" "$OUT"
