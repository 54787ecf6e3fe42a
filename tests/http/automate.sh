#!/bin/bash
# The automation policy through `signoff serve` (issue 15): the owner sets
# it over HTTP (a supervisor who is not the owner is refused); drafts a
# producer posts are routed by the server's store: automatic approvals are
# events of the feed with reviewer auto, the sample goes to reviewers blind
# (a sampled draft's reply has the keys of any other); /metrics shows the
# phase. Settings and a switch in one POST are one change: a resume by a
# supervisor who is not the owner leaves the settings and the chain as
# they were.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
serve_setup 0
serve_token dana supervisor
SIGNOFF_REVIEWER=dana run "$SO" workflow set refunds --owner dana --queue "$Q"
serve_start || { notok "serve starts"; exit 1; }
export SIGNOFF_QUEUE="$URL"

as sup workflow set refunds --automate-from 0.8 --force --reason r
check_eq "a supervisor who is not the owner: refused" 1 "$RC"
check_contains "names the owner" "only its owner dana sets the automation policy" "$ERR"
as dana.supervisor workflow set refunds --automate-from 0.8
check_eq "no readiness: refused over HTTP too" 1 "$RC"
check_contains "with the readiness figure" "not ready to automate from 0.80" "$ERR"
as dana.supervisor workflow set refunds --automate-from 0.8 --sample 25% --force \
    --reason "pilot" --always-review 'risk: high'
check_eq "owner, forced with a reason: set" 0 "$RC"
check_contains "the reply shows the phase" "phase:          automate" "$OUT"
check_eq "recorded with its reason, by the token's reviewer" "1|pilot|dana" \
    "$(sql "$Q" "SELECT forced, reason, by FROM policy_events")"
sql "$Q" "UPDATE workflows SET sample_seed = 'http-seed'"

python3 - "$T" <<'PY'
import json, sys
with open(sys.argv[1] + "/p.jsonl", "w") as f:
    for i in range(40):
        f.write(json.dumps({"id": "r%02d" % i, "workflow": "refunds", "body": "refund %d" % i,
                            "confidence": 0.9, "title": "Refund %d" % i}) + "\n")
    f.write(json.dumps({"id": "risky", "workflow": "refunds", "body": "risky",
                        "confidence": 0.99, "metadata": {"risk": "high"}}) + "\n")
PY
as prod enqueue "$T/p.jsonl"
check_eq "the producer enqueues through the server" 0 "$RC"
want=$(python3 -c '
import hashlib
print(sum(1 for i in range(40) if int(hashlib.sha256(("http-seed\nr%02d" % i).encode()).hexdigest()[:16], 16) % 10000 < 2500))')
check_eq "sampled as the seed says" "$want" "$(sql "$Q" "SELECT count(*) FROM drafts WHERE route = 2")"
check_eq "the rest approved automatically" "$((40 - want))" \
    "$(sql "$Q" "SELECT count(*) FROM drafts WHERE route = 1 AND status = 'decided'")"
check_eq "risk: high stays with humans" "pending|0" "$(sql "$Q" "SELECT status, route FROM drafts WHERE id = 'risky'")"

api GET "/v1/events?after=0&limit=100" "$TOK_PROD"
check_eq "feed: 200" 200 "$CODE"
check_eq "feed: the automatic approvals, by auto, with the policy" "$((40 - want)) auto policy 1: automate from 0.80, sample 25%" \
    "$(python3 -c '
import json, sys
ev = [e for e in json.load(sys.stdin)["events"] if e.get("outcome")]
print(len(ev), " ".join(sorted({e["reviewer"] for e in ev})), ev[0]["note"])' <<<"$BODY")"

sampled=$(sql "$Q" "SELECT id FROM drafts WHERE route = 2 ORDER BY id LIMIT 1")
api GET "/v1/drafts/$sampled" "$TOK_ALICE"
check_eq "a sampled draft: 200" 200 "$CODE"
keys_s=$(python3 -c 'import json,sys; print(sorted(json.load(sys.stdin)))' <<<"$BODY")
check_not_contains "its reply says nothing of sampling" "sampl" "$BODY"
check_not_contains "nor of a route" "route" "$BODY"
api GET "/v1/drafts/risky" "$TOK_ALICE"
check_eq "the same keys as a draft routed to humans" "$(python3 -c 'import json,sys; print(sorted(json.load(sys.stdin)))' <<<"$BODY")" "$keys_s"
api GET "/v1/drafts?status=open" "$TOK_ALICE"
check_not_contains "the listing says nothing of sampling" "sampl" "$BODY"

api GET /metrics "$TOK_SUP"
check_contains "/metrics: the phase" 'signoff_workflow_automate{workflow="refunds"} 1' "$BODY"
check_contains "/metrics: the automatic approvals" "signoff_automate_decided{workflow=\"refunds\"} $((40 - want))" "$BODY"
check_contains "/metrics: the sample size (none decided yet)" 'signoff_automate_sampled{workflow="refunds"} 0' "$BODY"
check_contains "/metrics: the measured errors" 'signoff_automate_sampled_overridden{workflow="refunds"} 0' "$BODY"
printf '%s\n' "$BODY" >"$T/metrics.txt"
if command -v promtool >/dev/null; then
    out=$(promtool check metrics <"$T/metrics.txt" 2>&1)
    check_eq "promtool: no problems" "" "$out"
fi
as sup workflow show refunds
remote_near=$(grep '^near bands:' <<<"$OUT")
SIGNOFF_REVIEWER=dana run "$SO" workflow show refunds --queue "$Q"
check_eq "the readiness of the neighbouring bands over HTTP is the local one" \
    "$(grep '^near bands:' <<<"$OUT")" "$remote_near"
check_contains "and names the bands 0.05 either side" "0.75: upper" "$remote_near"
as sup workflow pause refunds --reason "stop"
api GET /metrics "$TOK_SUP"
check_contains "/metrics: paused is augment" 'signoff_workflow_automate{workflow="refunds"} 0' "$BODY"

# Settings and the switch in one body are one change (docs/protocol.md): a
# resume by a supervisor who is not the owner is refused and leaves the
# settings, the switch and the audit chain as they were; the owner's body
# is taken whole, a workflow.set record then a workflow.resume record.
chain_head() { sql "$Q" "SELECT count(*) || ' ' || max(seq) || ' ' || (SELECT hash FROM decisions ORDER BY seq DESC LIMIT 1) FROM decisions"; }
wf_state() { jq -r '"\(.threshold) \(.min_decisions) \(.automation) \(.automation_reason) \(.automation_by)"' <<<"$BODY"; }
api GET /v1/workflows/refunds "$TOK_SUP"
state=$(wf_state)
check_contains "refunds is paused by sue before" " paused stop sue" "$state"
head0=$(chain_head)
api POST /v1/workflows/refunds "$TOK_SUP" '{"threshold":0.42,"min_decisions":7,"automation":"on","reason":"back"}'
check_eq "settings with a resume by a supervisor who is not the owner: 403 naming the owner" \
    "403 only its owner dana may resume automation of refunds, not sue" \
    "$CODE $(jq -r .error.message <<<"$BODY")"
api GET /v1/workflows/refunds "$TOK_SUP"
check_eq "... the settings and the switch are as they were (no half-written change)" \
    "$state" "$(wf_state)"
check_eq "... and the audit chain has no new record" "$head0" "$(chain_head)"
seq0=$(sql "$Q" "SELECT max(seq) FROM decisions")
api POST /v1/workflows/refunds "dana-supervisor-token-0123456789abcdef" \
    '{"threshold":0.42,"min_decisions":7,"automation":"on","reason":"back"}'
check_eq "the owner's same body: 200, settings and switch both" \
    "200 0.42 7 on back dana" "$CODE $(wf_state)"
check_eq "... recorded as workflow.set then workflow.resume" \
    "workflow.set workflow.resume" \
    "$(sql "$Q" "SELECT reason FROM decisions WHERE seq > $seq0 ORDER BY seq" | paste -sd' ')"
run "$SO" verify --queue "$Q"
check_eq "the chain verifies" 0 "$RC"

# Changing the owner over HTTP (issue 15): a supervisor who is not the
# owner is refused without a "reason" and nothing changes; with one (the
# CLI's --reason through the server) it is a takeover, recorded, that
# pauses the automation; the owner hands it over without a reason.
api GET /v1/workflows/refunds "$TOK_SUP"
check_contains "refunds is on again, dana's" '"owner":"dana"' "$BODY"
state=$(wf_state)
head0=$(chain_head)
api POST /v1/workflows/refunds "$TOK_SUP" '{"owner":"sue","threshold":0.3}'
check_eq "an owner change by a supervisor who is not the owner, no reason: 403 naming the owner" \
    "403 workflow refunds: its owner is dana; only dana hands it over, or give --reason to take it over (recorded; pauses its automation)" \
    "$CODE $(jq -r .error.message <<<"$BODY")"
api GET /v1/workflows/refunds "$TOK_SUP"
check_eq "... the owner, the settings and the switch are as they were" \
    "dana $state" "$(jq -r .owner <<<"$BODY") $(wf_state)"
check_eq "... and the audit chain has no new record" "$head0" "$(chain_head)"
api POST /v1/workflows/refunds "$TOK_SUP" '{"owner":"sue","reason":"dana is away","automation":"on"}'
check_eq "a takeover beside a switch: 409" 409 "$CODE"
check_eq "... nothing written" "$head0" "$(chain_head)"
seq0=$(sql "$Q" "SELECT max(seq) FROM decisions")
as sup workflow set refunds --owner sue --reason "dana is away"
check_eq "the CLI's takeover with --reason through the server: exit 0" 0 "$RC"
api GET /v1/workflows/refunds "$TOK_SUP"
check_eq "... sue owns it, its automation paused by sue with the reason" \
    "sue paused dana is away sue" \
    "$(jq -r '"\(.owner) \(.automation) \(.automation_reason) \(.automation_by)"' <<<"$BODY")"
check_eq "... recorded as workflow.takeover (from dana to sue, the reason) then workflow.pause" \
    'workflow.takeover sue {"changes":{"owner":{"from":"dana","to":"sue"}},"reason":"dana is away"}
workflow.pause sue {"changes":{"automation":{"from":"on","to":"paused"}},"reason":"dana is away"}' \
    "$(sql "$Q" "SELECT reason || ' ' || reviewer || ' ' || note FROM decisions WHERE seq > $seq0 ORDER BY seq")"
api POST /v1/workflows/refunds "dana-supervisor-token-0123456789abcdef" '{"automation":"on","reason":"mine"}'
check_eq "the former owner may not resume it" 403 "$CODE"
seq0=$(sql "$Q" "SELECT max(seq) FROM decisions")
api POST /v1/workflows/refunds "$TOK_SUP" '{"owner":"dana"}'
check_eq "the owner's handover without a reason: 200" "200 dana" "$CODE $(jq -r .owner <<<"$BODY")"
check_eq "... recorded as a workflow.set" "workflow.set" \
    "$(sql "$Q" "SELECT reason FROM decisions WHERE seq > $seq0")"
run "$SO" verify --queue "$Q"
check_eq "the chain verifies after the takeover" 0 "$RC"
