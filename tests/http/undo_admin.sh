#!/bin/bash
# The undo after an admin action: a supervisor who decided a draft, then
# paused a workflow, undoes the decision (an admin record is no one's
# decision: never undone, never counted in decided_today).
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
serve_setup 2
SIGNOFF_REVIEWER=sue run "$SO" workflow set support --owner sue --queue "$Q"
serve_start || { notok "serve starts"; exit 1; }
api POST /v1/claim "$TOK_SUP" '{}'
id=$(jq -r .draft.id <<<"$BODY")
tok=$(jq -r .draft.lease_token <<<"$BODY")
api POST "/v1/drafts/$id/decision" "$TOK_SUP" "{\"request_id\":\"d-1\",\"action\":\"approve\",\"lease_token\":$tok}"
check_eq "sue decides" 201 "$CODE"
api POST /v1/workflows/support "$TOK_SUP" '{"automation":"paused","reason":"checking"}'
check_eq "sue pauses the workflow (an admin record)" 200 "$CODE"
api GET /v1/me "$TOK_SUP"
check_eq "decided today: the decision, not the admin record" 1 "$(jq -r .decided_today <<<"$BODY")"
api POST /v1/undo "$TOK_SUP" '{"request_id":"u-1"}'
check_eq "undo takes back the decision, not the pause" "200 $id" "$CODE $(jq -r .draft.id <<<"$BODY")"
serve_stop
