#!/bin/bash
# The server applies the same entry rule for names and notes as the CLI
# (names.h; issue 17, findings 5 and 14): a decision's reason or note with
# ESC, BEL, U+202E or invalid UTF-8 is 400 naming the field, a workflow
# named with ESC/BEL through the URL path is 400 and never created (so
# /metrics cannot emit it), an enqueued draft with a bidi control in its
# workflow is refused on its line, and a tokens file that names a reviewer
# with a control character stops the server at start.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
serve_setup 3
serve_start || { notok "serve starts"; exit 1; }

api POST /v1/claim "$TOK_ALICE" '{}'
check_eq "alice claims a draft" 200 "$CODE"
lt=$(printf %s "$BODY" | python3 -c 'import json,sys; print(json.load(sys.stdin)["draft"]["lease_token"])')
id=$(printf %s "$BODY" | python3 -c 'import json,sys; print(json.load(sys.stdin)["draft"]["id"])')
decide_body() { # REASON-JSON NOTE-JSON
    printf '{"request_id":"rq-%s","action":"reject","reason":%s,"note":%s,"lease_token":%s}' \
        "$RANDOM$RANDOM" "$1" "$2" "$lt"
}
api POST "/v1/drafts/$id/decision" "$TOK_ALICE" "$(decide_body '"fact\u001b]0;x\u0007"' null)"
check_eq "a reason with ESC/BEL: 400" 400 "$CODE"
check_contains "... naming the reason" "reason: control character U+001B at byte 4" "$BODY"
api POST "/v1/drafts/$id/decision" "$TOK_ALICE" "$(decide_body '"Evil \u202e Reason"' null)"
check_eq "a reason with U+202E: 400" 400 "$CODE"
check_contains "... naming it" "reason: bidi control U+202E at byte 5" "$BODY"
api POST "/v1/drafts/$id/decision" "$TOK_ALICE" "$(decide_body '"factual"' '"osc \u001b]52;c;eA==\u0007"')"
check_eq "a note with an OSC 52: 400" 400 "$CODE"
check_contains "... naming the note" "note: control character U+001B at byte 4" "$BODY"
api POST "/v1/drafts/$id/decision" "$TOK_ALICE" "$(decide_body '"factual"' '""')"
check_eq "an empty note: 400 (leave it out for none)" 400 "$CODE"
check_contains "... naming the note" "note: empty" "$BODY"
check_eq "nothing was recorded" 0 "$(sql "$Q" "SELECT count(*) FROM decisions WHERE kind <> 'admin'")"
api POST "/v1/drafts/$id/decision" "$TOK_ALICE" "$(decide_body '"factual"' '"line one\nline\ttwo"')"
check_eq "a note with a newline and a tab: 201" 201 "$CODE"

api POST "/v1/workflows/evil%1B%5D0%3Bpwned%07" "$TOK_SUP" '{"owner":"ops"}'
check_eq "a workflow named with ESC/BEL in the URL path: 400" 400 "$CODE"
check_contains "... naming the workflow" "workflow: control character U+001B at byte 4" "$BODY"
api POST "/v1/workflows/support" "$TOK_SUP" '{"owner":"o\u202eps"}'
check_eq "an owner with U+202E: 400" 400 "$CODE"
check_contains "... naming the owner" "owner: bidi control U+202E at byte 1" "$BODY"
check_eq "no workflow was created" "support" "$(sql "$Q" 'SELECT name FROM workflows ORDER BY name')"
api GET /metrics "$TOK_BOB"
check_not_contains "/metrics has no ESC" $'\e' "$BODY"

api POST /v1/drafts "$TOK_PROD" '{"id":"E-1","workflow":"ev\u202eil","body":"x"}'
check_contains "enqueue: a workflow with U+202E is refused on its line" \
    "workflow: bidi control U+202E at byte 2" "$BODY"
check_eq "... and not stored" 0 "$(sql "$Q" "SELECT count(*) FROM drafts WHERE id = 'E-1'")"
serve_stop

cp "$TOKENS" "$T/tokens.good"
printf 'evil-token-0123456789abcdef0 ev\033]0;x\007il reviewer\n' >>"$TOKENS"
run "$SO" serve --queue "$Q" --tokens "$TOKENS" --listen 127.0.0.1:0
check_eq "a tokens file naming a reviewer with ESC/BEL: serve refuses to start" 1 "$RC"
check_contains "... naming the line and the field" \
    "tokens:5: reviewer: control character U+001B at byte 2" "$ERR"
