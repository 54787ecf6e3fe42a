#!/bin/bash
# workflow list/show/set/pause/resume: settings, the kill switch with who,
# when and why, show exiting 4 when paused, resume refused without an owner.
. "$(dirname "$0")/../lib.sh"

test_queue q || exit 0
export SIGNOFF_QUEUE="$Q"
export SIGNOFF_NOW_MS=1795514400000 # 2026-11-24T10:00:00Z
so init
printf '{"id":"r1","workflow":"refunds","body":"refund ok"}\n' >"$T/in.jsonl"
so enqueue "$T/in.jsonl"
check_eq "enqueue" 0 "$RC"

so workflow show nope
check_eq "unknown workflow: exit 1" 1 "$RC"
check_eq "unknown workflow: says so, naming it once" "signoff: nope: no such workflow" "$ERR"

so workflow set refunds --threshold 15% --window 14d --min-decisions 40 --reviews 2 --auto-pause on
check_eq "set: exit 0" 0 "$RC"
so workflow show refunds
check_eq "show: exit 0 while on" 0 "$RC"
check_contains "show: threshold" "threshold:      15.0%" "$OUT"
check_contains "show: window" "window:         14d" "$OUT"
check_contains "show: min decisions" "min decisions:  40" "$OUT"
check_contains "show: reviews" "reviews:        2" "$OUT"
check_contains "show: auto-pause" "auto-pause:     on" "$OUT"
check_contains "show: no owner" "owner:          (none)" "$OUT"
check_contains "show: pending" "pending:        1" "$OUT"

so workflow set refunds
check_eq "set with nothing to change: usage" 2 "$RC"
so workflow set refunds --threshold 1.5
check_eq "threshold out of range: usage" 2 "$RC"
so workflow set refunds --auto-pause maybe
check_eq "auto-pause on|off only: usage" 2 "$RC"
so workflow set refunds --window 999999d
check_eq "a window over 366d: usage naming the range" \
    "2 signoff workflow: --window: expected a duration from 1m to 366d like 7d (units ms, s, m, h, d, w), not '999999d'" \
    "$RC ${ERR%%$'\n'*}"
so workflow set refunds --applied-within 400d
check_eq "applied-within over 366d: usage" 2 "$RC"
check_contains "... naming it" "--applied-within: expected a duration like 30s (at most 366d)" "$ERR"
so workflow show refunds
check_contains "refused settings changed nothing" "window:         14d" "$OUT"

so workflow pause refunds
check_eq "pause needs a reason" 2 "$RC"
SIGNOFF_REVIEWER=carol run "$SO" workflow pause refunds --reason "wrong refund amounts"
check_eq "a reviewer may not pause" "1 signoff: refunds: only a supervisor may pause automation of refunds (carol is a reviewer here)" "$RC $ERR"
SIGNOFF_ROLE=supervisor so workflow resume refunds
check_eq "resume needs a reason too" "2 signoff workflow: resume refunds: --reason is required" "$RC ${ERR%%$'\n'*}"
SIGNOFF_ROLE=supervisor SIGNOFF_REVIEWER=carol run "$SO" workflow pause refunds --reason "wrong refund amounts"
check_eq "pause: exit 0" 0 "$RC"
check_contains "pause: who" "refunds: automation paused by carol" "$OUT"
so workflow show refunds
check_eq "show of a paused workflow exits 4" 4 "$RC"
check_contains "show: paused" "automation:     paused" "$OUT"
check_contains "show: by whom" "by:           carol" "$OUT"
check_contains "show: when" "since:        2026-11-24T10:00:00Z" "$OUT"
check_contains "show: why" "reason:       wrong refund amounts" "$OUT"
so workflow show refunds --format json
check_eq "show json exits 4 too" 4 "$RC"
check_eq "show json parses" "paused carol wrong refund amounts" "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["automation"], d["automation_by"], d["automation_reason"])')"

SIGNOFF_ROLE=supervisor so workflow resume refunds --reason "looks fine"
check_eq "resume without an owner is refused" 1 "$RC"
check_contains "resume refusal says why" "has no owner" "$ERR"
so workflow show refunds
check_eq "still paused after the refusal" 4 "$RC"

so workflow set refunds --owner dana
SIGNOFF_ROLE=supervisor SIGNOFF_REVIEWER=carol run "$SO" workflow resume refunds --reason "fixed the prompt"
check_eq "a supervisor who is not the owner may not resume" \
    "1 signoff: refunds: only its owner dana may resume automation of refunds, not carol" "$RC $ERR"
so workflow show refunds
check_eq "still paused after the supervisor's resume" 4 "$RC"
SIGNOFF_ROLE=supervisor SIGNOFF_NOW_MS=1795518000000 SIGNOFF_REVIEWER=dana run "$SO" workflow resume refunds --reason "fixed the prompt"
check_eq "resume with an owner" 0 "$RC"
so workflow show refunds
check_eq "show exits 0 once resumed" 0 "$RC"
check_contains "show: resumed by" "by:           dana" "$OUT"
check_contains "show: resumed at" "since:        2026-11-24T11:00:00Z" "$OUT"

so workflow list
check_eq "list: exit 0" 0 "$RC"
check_contains "list: header" "WORKFLOW" "$OUT"
check_contains "list: the row" "refunds" "$OUT"
check_contains "list: owner" "dana" "$OUT"
so workflow list --format json
check_eq "list json parses" "refunds dana 0.15 14d" "$(printf '%s' "$OUT" | python3 -c 'import json,sys; w=json.load(sys.stdin)[0]; print(w["name"], w["owner"], w["threshold"], w["window"])')"
so workflow frobnicate refunds
check_eq "unknown subcommand: usage" 2 "$RC"

# four-eyes settings: shown once a workflow needs more than one review
so workflow set refunds --reveal never --resolver reviewer
check_eq "set reveal/resolver" 0 "$RC"
check_contains "show: reveal" "reveal:         never" "$OUT"
check_contains "show: resolver" "resolver:       reviewer" "$OUT"
so workflow set refunds --reveal sometimes
check_eq "reveal after|never only: usage" 2 "$RC"
# --role, as its --help says (and as decide, claim and review take it):
# it was an unknown option.
SIGNOFF_REVIEWER=sue run "$SO" workflow pause refunds --role supervisor --reason "role on the line"
check_eq "--role supervisor pauses" "0" "$RC"
so workflow show refunds
check_eq "paused by --role" 4 "$RC"
SIGNOFF_REVIEWER=carol run "$SO" workflow resume refunds --role reviewer --reason "no"
check_eq "--role reviewer may not resume" "1" "$RC"

# Changing the owner (issue 15): the owner hands a workflow over; another
# supervisor takes it over only with a reason, recorded as a takeover that
# pauses its automation, so the owner-only policy and resume have teeth.
dana() { SIGNOFF_ROLE=supervisor SIGNOFF_REVIEWER=dana run "$SO" "$@"; }
carol() { SIGNOFF_ROLE=supervisor SIGNOFF_REVIEWER=carol run "$SO" "$@"; }
chain() { qsql "SELECT count(*) || ' ' || max(seq) || ' ' || (SELECT hash FROM decisions ORDER BY seq DESC LIMIT 1) FROM decisions"; }
dana workflow set refunds --automate-from 0.8 --force --reason pilot
check_eq "the owner sets a policy" 0 "$RC"
dana workflow resume refunds --reason "pilot starts"
so workflow show refunds
check_contains "refunds is in automate phase" "phase:          automate" "$OUT"
head0=$(chain)
carol workflow set refunds --owner carol --threshold 30%
check_eq "a supervisor who is not the owner changes the owner: refused, naming the owner and how" \
    "1 signoff: refunds: workflow refunds: its owner is dana; only dana hands it over, or give --reason to take it over (recorded; pauses its automation)" \
    "$RC $ERR"
so workflow show refunds
check_contains "... the owner is as it was" "owner:          dana" "$OUT"
check_contains "... and the rest of the set too" "threshold:      15.0%" "$OUT"
check_contains "... still in automate phase" "phase:          automate" "$OUT"
check_eq "... and the audit chain has no new record" "$head0" "$(chain)"
carol workflow set refunds --automate-from off
check_eq "... so the policy stays the owner's" 1 "$RC"
seq0=$(qsql "SELECT max(seq) FROM decisions")
carol workflow set refunds --owner carol --reason "dana is on leave"
check_eq "a takeover with a reason: exit 0" 0 "$RC"
check_contains "... carol owns it" "owner:          carol" "$OUT"
check_contains "... its automation is paused" "phase:          augment" "$OUT"
check_contains "... with the takeover's reason" "reason:       dana is on leave" "$OUT"
check_eq "... recorded as a takeover naming both owners and the reason, then the pause, by carol" \
    'workflow.takeover carol {"changes":{"owner":{"from":"dana","to":"carol"}},"reason":"dana is on leave"}
workflow.pause carol {"changes":{"automation":{"from":"on","to":"paused"}},"reason":"dana is on leave"}' \
    "$(qsql "SELECT reason || ' ' || reviewer || ' ' || note FROM decisions WHERE seq > $seq0 ORDER BY seq")"
dana workflow resume refunds --reason "back"
check_eq "the former owner may not resume it" 1 "$RC"
carol workflow resume refunds --reason "checked the pilot"
check_eq "the new owner resumes it with their own reason" 0 "$RC"
seq0=$(qsql "SELECT max(seq) FROM decisions")
carol workflow set refunds --owner dana
check_eq "the owner hands it over without a reason" 0 "$RC"
check_contains "... dana owns it" "owner:          dana" "$OUT"
check_contains "... and its automation runs on" "phase:          automate" "$OUT"
check_eq "... recorded as a workflow.set" \
    'workflow.set carol {"changes":{"owner":{"from":"carol","to":"dana"}}}' \
    "$(qsql "SELECT reason || ' ' || reviewer || ' ' || note FROM decisions WHERE seq > $seq0 ORDER BY seq")"
so workflow set refunds --owner ""
check_eq "clearing the owner is a change of owner too" 1 "$RC"
so verify
check_eq "the chain verifies" 0 "$RC"
