# POST /v1/drafts/{id}/reassign: a supervisor's release of another's claim
# (the holder's token fenced) and reassignment; 403 for a reviewer, 404 for
# an unknown draft, 409 for a decided one; an escalated draft stays
# escalated; /v1/me names the role.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
serve_setup 3
serve_start || { notok "serve starts"; exit 1; }

api POST /v1/claim "$TOK_ALICE" '{"draft_id":"D-0000"}'
check_eq "alice claims D-0000" 200 "$CODE"
api POST /v1/drafts/D-0000/reassign "$TOK_BOB" '{}'
check_eq "a reviewer may not reassign: 403" 403 "$CODE"
api POST /v1/drafts/D-0000/reassign "$TOK_SUP" '{}'
check_eq "a supervisor releases alice's claim: 204" 204 "$CODE"
check_eq "D-0000 pending, nobody's" "pending|" \
    "$(sql "$Q" "SELECT status||'|'||coalesce(claimed_by,'') FROM drafts WHERE id='D-0000'")"
api POST /v1/drafts/D-0000/decision "$TOK_ALICE" '{"request_id":"ra-1","action":"approve","lease_token":1}'
check_eq "alice's old claim cannot decide: 409" 409 "$CODE"
check_contains "lease lost" "lease_lost" "$BODY"
api POST /v1/drafts/D-0001/reassign "$TOK_SUP" '{"to":"bob","lease_s":3600}'
check_eq "reassign to bob: 204" 204 "$CODE"
check_eq "held for bob for an hour" "claimed|bob|1" \
    "$(sql "$Q" "SELECT status||'|'||claimed_by||'|'||CASE WHEN lease_until - $(date +%s)000 BETWEEN 3500000 AND 3601000 THEN 1 ELSE 0 END FROM drafts WHERE id='D-0001'")"
api POST /v1/claim "$TOK_BOB" '{"draft_id":"D-0001"}'
check_eq "bob opens it by id" 200 "$CODE"
api POST /v1/drafts/D-0009/reassign "$TOK_SUP" '{}'
check_eq "unknown draft: 404" 404 "$CODE"
api POST /v1/drafts/D-0001/reassign "$TOK_SUP" '{"to":7}'
check_eq "to of the wrong type: 400" 400 "$CODE"
# An escalated draft released by a supervisor stays escalated (the step
# is not lost with the claim), as a release by its holder leaves it.
api POST /v1/claim "$TOK_ALICE" '{"draft_id":"D-0002"}'
api POST /v1/drafts/D-0002/decision "$TOK_ALICE" '{"request_id":"ra-esc","action":"escalate","reason":"policy"}'
check_eq "alice escalates D-0002" 201 "$CODE"
api POST /v1/claim "$TOK_SUP" '{"draft_id":"D-0002"}'
api POST /v1/drafts/D-0002/reassign "$TOK_SUP" '{}'
check_eq "the supervisor releases it: 204" 204 "$CODE"
check_eq "D-0002 still escalated, nobody's" "escalated|" \
    "$(sql "$Q" "SELECT status||'|'||coalesce(claimed_by,'') FROM drafts WHERE id='D-0002'")"
api GET /v1/me "$TOK_SUP"
check_contains "/v1/me names the role" '"role":"supervisor"' "$BODY"
serve_stop
