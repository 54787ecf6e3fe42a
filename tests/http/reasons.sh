#!/bin/bash
# Reason codes through the server are the queue's (issue 17, finding 5):
# GET /v1/workflows/W carries the workflow's codes, a supervisor sets them
# with POST /v1/workflows/W {"reasons":[...]}, and a decision whose reason
# is not one of the draft's workflow's codes is 400 naming it; the remote
# CLI and UI read the same list.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
serve_setup 3
serve_start || { notok "serve starts"; exit 1; }
export SIGNOFF_QUEUE="$URL"

api GET /v1/workflows/support "$TOK_BOB"
check_contains "GET /v1/workflows/support: the default set" \
    '"reasons":[{"code":"factual","label":"Factual error"},{"code":"unsupported"' "$BODY"
check_contains "... marked as the default" '"reasons_own":false' "$BODY"

api POST /v1/claim "$TOK_ALICE" '{}'
lt=$(printf %s "$BODY" | python3 -c 'import json,sys; print(json.load(sys.stdin)["draft"]["lease_token"])')
id=$(printf %s "$BODY" | python3 -c 'import json,sys; print(json.load(sys.stdin)["draft"]["id"])')
api POST "/v1/drafts/$id/decision" "$TOK_ALICE" \
    "{\"request_id\":\"rq-r1\",\"action\":\"reject\",\"reason\":\"Evil Reason With Spaces\",\"lease_token\":$lt}"
check_eq "a reason that is not one of the workflow's codes: 400" 400 "$CODE"
check_contains "... naming it and the list" \
    "reason: 'Evil Reason With Spaces' is not a reason code of workflow support (factual, unsupported, tone, policy, incomplete, other)" "$BODY"

api POST /v1/workflows/support "$TOK_BOB" '{"reasons":[{"code":"legal","label":"Legal"}]}'
check_eq "a reviewer cannot set the codes" 403 "$CODE"
api POST /v1/workflows/support "$TOK_SUP" '{"reasons":[{"code":"Bad Code","label":"x"}]}'
check_eq "a bad code: 400" 400 "$CODE"
check_contains "... naming the item" "reasons[0]: reason code: 1 to 64 of a-z, 0-9, _ and -" "$BODY"
api POST /v1/workflows/support "$TOK_SUP" '{"reasons":[{"code":"legal","label":"Needs legal review"}]}'
check_eq "the supervisor sets support's own codes" 200 "$CODE"
check_contains "... returned" '"reasons":[{"code":"legal","label":"Needs legal review"}],"reasons_own":true' "$BODY"
api POST "/v1/drafts/$id/decision" "$TOK_ALICE" \
    "{\"request_id\":\"rq-r2\",\"action\":\"reject\",\"reason\":\"factual\",\"lease_token\":$lt}"
check_eq "a default code is no longer support's: 400" 400 "$CODE"
api POST "/v1/drafts/$id/decision" "$TOK_ALICE" \
    "{\"request_id\":\"rq-r3\",\"action\":\"reject\",\"reason\":\"legal\",\"lease_token\":$lt}"
check_eq "support's own code: 201" 201 "$CODE"

as alice workflow show support
check_contains "the remote CLI shows the same list" "reasons:        (the workflow's own)
  legal         Needs legal review" "$OUT"
as alice decide D-0001 reject --reason tone
check_eq "the remote CLI: a code not in the list is refused" 1 "$RC"
check_contains "... by the server, naming the list" "is not a reason code of workflow support (legal)" "$ERR"
as sup workflow set support --reasons default
check_contains "the remote CLI resets to the default set" "(the queue's default set)" "$OUT"
as alice decide D-0001 reject --reason tone
check_eq "... and a default code works again" 0 "$RC"
serve_stop
