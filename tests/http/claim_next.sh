# One round trip per decision: a decision with "claim_next" also claims
# the next draft and counts what is left (docs/protocol.md); without it the
# reply is as before; a refused decision claims nothing; claim_next with a
# draft_id is refused and records nothing.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
serve_setup 3
serve_start || { notok "serve starts"; exit 1; }

# jq_ EXPR: evaluate a Python expression over the reply as j.
jq_() { python3 -c "import json,sys; j=json.load(sys.stdin); print($1)" <<<"$BODY"; }

api POST /v1/claim "$TOK_ALICE" '{"draft_id":"D-0000"}'
check_eq "alice claims D-0000" 200 "$CODE"
api POST /v1/drafts/D-0000/decision "$TOK_ALICE" \
    '{"request_id":"cn-1","action":"approve","lease_token":1,"claim_next":{"workflow":"support"}}'
check_eq "decision with claim_next: 201" 201 "$CODE"
check_eq "the decision is in the reply" "approve decided" "$(jq_ 'j["action"], j["draft_status"]' | tr '\n' ' ' | sed 's/ $//')"
check_eq "next: the next draft, claimed" "ok D-0001" "$(jq_ 'j["next"]["status"], j["next"]["draft"]["id"]' | tr '\n' ' ' | sed 's/ $//')"
check_eq "next: the counts" "2 1" "$(jq_ 'j["next"]["pending"], j["next"]["decided_today"]' | tr '\n' ' ' | sed 's/ $//')"
check_eq "D-0001 is claimed by alice" "claimed|alice" \
    "$(sql "$Q" "SELECT status||'|'||claimed_by FROM drafts WHERE id='D-0001'")"
tok=$(sql "$Q" "SELECT lease_token FROM drafts WHERE id='D-0001'")
check_eq "the reply carries the claim's lease token" "$tok" "$(jq_ 'j["next"]["draft"]["lease_token"]')"

api POST /v1/drafts/D-0001/decision "$TOK_ALICE" \
    "{\"request_id\":\"cn-2\",\"action\":\"approve\",\"lease_token\":$tok}"
check_eq "decision without claim_next: 201" 201 "$CODE"
check_eq "no next without claim_next" "False" "$(jq_ '"next" in j')"
check_eq "nothing else claimed" 0 \
    "$(sql "$Q" "SELECT count(*) FROM drafts WHERE status='claimed'")"

api POST /v1/drafts/D-0002/decision "$TOK_ALICE" \
    '{"request_id":"cn-3","action":"approve","claim_next":{}}'
check_eq "a refused decision (not claimed): 409" 409 "$CODE"
check_eq "a refused decision claims nothing" 0 \
    "$(sql "$Q" "SELECT count(*) FROM drafts WHERE status='claimed'")"

api POST /v1/claim "$TOK_ALICE" '{"draft_id":"D-0002"}'
api POST /v1/drafts/D-0002/decision "$TOK_ALICE" \
    '{"request_id":"cn-4","action":"approve","claim_next":{"draft_id":"D-0001"}}'
check_eq "claim_next with a draft_id: 400" 400 "$CODE"
check_contains "the error names the field" "claim_next.draft_id" "$BODY"
check_eq "and nothing was recorded" 0 \
    "$(sql "$Q" "SELECT count(*) FROM decisions WHERE draft='D-0002'")"
api POST /v1/drafts/D-0002/decision "$TOK_ALICE" \
    '{"request_id":"cn-5","action":"approve","claim_next":{}}'
check_eq "the last decision: next is empty" "empty 0 3" \
    "$(jq_ 'j["next"]["status"], j["next"]["pending"], j["next"]["decided_today"]' | tr '\n' ' ' | sed 's/ $//')"
api POST /v1/drafts/D-0002/decision "$TOK_ALICE" \
    '{"request_id":"cn-5","action":"approve","claim_next":{"workflow":7}}'
check_eq "claim_next.workflow of the wrong type: 400" 400 "$CODE"
serve_stop
