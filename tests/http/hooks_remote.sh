#!/bin/bash
# Hooks through a server (issue 18): signoff hook add/list/enable/disable/
# replay/log --queue URL speak to the supervisor-only /v1/hooks routes. A
# new secret is printed once by the CLI that made it; no reply, CLI output
# or server log line ever holds a secret afterwards. The routes answer
# 401/403/404/405 from the request head before any body is read, cap
# bodies like the others (413), and refuse allow_private unless the server
# was started with --allow-private-hooks; a token limited to workflows may
# not use them. A hook added remotely delivers
# signed webhooks (the receiver verifies them), and its log, disable,
# enable, replay and test (the server sends the ping) work through it.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
export SIGNOFF_WEBHOOK_BACKOFF_MS=200 SIGNOFF_WEBHOOK_TIMEOUT_MS=1500
serve_setup 0
serve_token sue2 supervisor
printf 'whsec_%s\n' "$(head -c 32 /dev/urandom | base64)" >"$T/secret"
chmod 600 "$T/secret"
SECRET=$(cat "$T/secret")
SEEN=$T/seen # every reply body and CLI output, searched for secrets at the end
: >"$SEEN"
keep() { printf '%s\n%s\n' "$OUT" "$ERR" >>"$SEEN"; }
sup() { SIGNOFF_TOKEN_FILE="$T/token.sup" so "$@" --queue "$URL"; keep; }
api_kept() { api "$@"; printf '%s\n' "$BODY" >>"$SEEN"; }
serve_start || { notok "serve starts"; exit 1; }
"$SO" workflow set wh --queue "$Q" --owner sue2 >/dev/null # hooks need their workflow

# roles and routes, from the head: a 1 MB body declared and never sent is
# answered at once (the server never waits for a body it will not read)
head_only() { # head_only METHOD PATH TOKEN: the status of a head alone
    python3 - "$SERVE_PORT" "$1" "$2" "$3" <<'PY'
import socket, sys
port, method, path, tok = sys.argv[1:5]
s = socket.create_connection(("127.0.0.1", int(port)), timeout=10)
auth = "Authorization: Bearer %s\r\n" % tok if tok else ""
s.sendall(("%s %s HTTP/1.1\r\nHost: x\r\n%sContent-Type: application/json\r\n"
           "Content-Length: 1000000\r\n\r\n" % (method, path, auth)).encode())
print(s.recv(4096).split(b" ")[1].decode())
PY
}
check_eq "POST /v1/hooks without a token: 401 before the body" 401 \
    "$(head_only POST /v1/hooks "")"
check_eq "POST /v1/hooks with a reviewer's token: 403 before the body" 403 \
    "$(head_only POST /v1/hooks "$TOK_ALICE")"
check_eq "POST /v1/hooks by a producer: 403 before the body" 403 \
    "$(head_only POST /v1/hooks "$TOK_PROD")"
check_eq "PUT /v1/hooks: 405 before the body" 405 "$(head_only PUT /v1/hooks "$TOK_SUP")"
check_eq "POST /v1/hooks/1/nothing: 404 before the body" 404 \
    "$(head_only POST /v1/hooks/1/nothing "$TOK_SUP")"
api_kept GET /v1/hooks "$TOK_ALICE"
check_eq "GET /v1/hooks by a reviewer: 403" 403 "$CODE"
check_contains "403: the role is named, and the role the route takes" \
    "this token's role may not use this route: GET /v1/hooks takes a supervisor token, this one is a reviewer's" "$BODY"
"$SO" token create --queue "$Q" --reviewer sol --role supervisor --workflow wh \
    >"$T/scoped" 2>/dev/null
api_kept GET /v1/hooks "$(cat "$T/scoped")"
check_eq "GET /v1/hooks by a supervisor limited to workflows: 403" 403 "$CODE"
check_contains "... naming the limit" "this token is limited to workflows wh" "$BODY"
check_contains "... and that the route reaches every workflow" \
    "this route reaches every workflow: it needs a token not limited to workflows" "$BODY"
check_not_contains "... without asking for a workflow that cannot help" "?workflow=" "$BODY"
api_kept DELETE /v1/hooks/1/log "$TOK_SUP"
check_eq "DELETE /v1/hooks/1/log: 405" 405 "$CODE"
head -c $((9 * 1024 * 1024)) /dev/zero | tr '\0' 'x' >"$T/big"
CODE=$(curl -s -o "$T/.api" -w '%{http_code}' -H "Authorization: Bearer $TOK_SUP" \
    --data-binary @"$T/big" "$URL/v1/hooks")
check_eq "POST /v1/hooks with a 9 MiB body: 413" 413 "$CODE"
SIGNOFF_TOKEN_FILE="$T/token.alice" so hook list --queue "$URL"
check_eq "hook list with a reviewer's token: refused, exit 1" 1 "$RC"
check_contains "... naming why" "this token's role may not use this route" "$ERR"

api_kept POST /v1/hooks "$TOK_SUP" "{\"workflow\":\"nope\",\"url\":\"https://a.example/x\",\"secret\":\"$SECRET\"}"
check_eq "a hook for a workflow the queue does not have: 400" 400 "$CODE"
check_contains "... naming the workflow" '"message":"workflow: nope: no such workflow' "$BODY"
check_eq "... and no hook added" 0 "$(qsql "SELECT count(*) FROM hooks")"

# a secret made by the CLI: printed once, alone on stdout
SIGNOFF_TOKEN_FILE="$T/token.sup" so hook add --workflow wh \
    --url "https://hooks.example.com/in" --queue "$URL" # the one place it shows
check_eq "hook add without --secret-file: exit 0" 0 "$RC"
check "... prints a new whsec_ secret alone on stdout" \
    python3 -c 'import base64, sys; s = sys.argv[1]
sys.exit(0 if s.startswith("whsec_") and len(base64.b64decode(s[6:])) == 32 else 1)' "$OUT"
NEW=$OUT
check_contains "... says it is shown only now" \
    "hook 1 added for workflow wh; its secret below is shown only now" "$ERR"
check_eq "the queue holds that secret" "$NEW" "$(qsql "SELECT secret FROM hooks WHERE id = 1")"
sup hook add --workflow wh --url "http://127.0.0.1:9/x" --secret-file "$T/secret" --allow-private
check_eq "allow_private over HTTP without --allow-private-hooks: exit 1" 1 "$RC"
check_contains "... refused naming allow_private" \
    "allow_private: this server does not let hooks reach private or loopback addresses" "$ERR"
check_eq "... and no hook added" 1 "$(qsql "SELECT count(*) FROM hooks")"
# a literal private address without allow_private: refused when added
# (the CLI before it asks, the server for a direct request)
sup hook add --workflow wh --url "http://10.0.0.5/x" --secret-file "$T/secret"
check_contains "remote hook add of a private literal: refused, naming the URL and the option" \
    "signoff hook: url: http://10.0.0.5/x: 10.0.0.5 is a loopback, private or link-local address, where a hook reaches only with --allow-private" "$ERR"
api_kept POST /v1/hooks "$TOK_SUP" "{\"workflow\":\"wh\",\"url\":\"http://[::1]:9/x\",\"secret\":\"$SECRET\"}"
check_eq "POST /v1/hooks to a loopback literal: 400 naming the URL and allow_private" \
    '400 {"error":{"code":"invalid","message":"url: http://[::1]:9/x: [::1] is a loopback, private or link-local address, where a hook reaches only with allow_private"}}' \
    "$CODE $BODY"
check_eq "... and no hook added" 1 "$(qsql "SELECT count(*) FROM hooks")"
api_kept POST /v1/hooks "$TOK_SUP" '{"workflow":"wh","url":"https://a.example/x","secret":"whsec_c2hvcnQ="}'
check_eq "a secret that is not one: 400" 400 "$CODE"
check_contains "... naming the field, not the value" '"message":"secret: not a whsec_ secret' "$BODY"
check_not_contains "... never quoting it" "c2hvcnQ" "$BODY"
api_kept POST /v1/hooks "$TOK_SUP" "{\"workflow\":\"wh\",\"url\":\"ftp://a.example/x\",\"secret\":\"$SECRET\"}"
check_eq "an ftp URL: 400" 400 "$CODE"
check_contains "... naming url" '"message":"url: an http:// or https:// URL' "$BODY"
api_kept POST /v1/hooks "$TOK_SUP" "{\"workflow\":\"wh\",\"url\":\"https://bot:pw1234@a.example/x?k=v@w\",\"secret\":\"$SECRET\"}"
check_eq "a URL with a user and password: 400" 400 "$CODE"
check_contains "... naming url, not quoting it" '"message":"url: no user or password before' "$BODY"
check_not_contains "... never the password" "pw1234" "$BODY"
api_kept POST /v1/hooks "$TOK_SUP" "{\"workflow\":\"wh\",\"url\":\"https://a.example/x\",\"secret\":\"$SECRET\",\"events\":\"some\"}"
check_eq "unknown events: 400" 400 "$CODE"
api_kept POST /v1/hooks "$TOK_SUP" "{\"url\":\"https://a.example/x\",\"secret\":\"$SECRET\"}"
check_eq "no workflow: 400" 400 "$CODE"
api_kept GET /v1/hooks/99/log "$TOK_SUP"
check_eq "the log of no hook: 404" 404 "$CODE"
check_contains "... naming it" '"message":"hook 99: no such hook"' "$BODY"
api_kept POST /v1/hooks/x/enable "$TOK_SUP" '{}'
check_eq "enable hook x: 404" 404 "$CODE"
api_kept POST /v1/hooks "$TOK_SUP" "{\"workflow\":\"wh\",\"url\":\"https://a.example/x\",\"secret\":\"$SECRET\",\"max_fails\":3}"
check_eq "hook add: an unknown key is refused, naming it" \
    '400 max_fails: unknown key (expected one of: workflow, url, secret, events, max_failures, retry_for_ms, allow_private)' \
    "$CODE $(jq -r .error.message <<<"$BODY")"
api_kept POST /v1/hooks/1/disable "$TOK_SUP" '{"reason":"x"}'
check_eq "hook disable takes no body members" \
    '400 reason: unknown key (this body takes no members)' "$CODE $(jq -r .error.message <<<"$BODY")"
check_eq "... and neither changed anything" "1|1" \
    "$(qsql "SELECT count(*), sum(enabled) FROM hooks")"
api_kept POST /v1/hooks/1/replay "$TOK_SUP" '{"from":1,"to":2}'
check_eq "hook replay: an unknown key is refused" \
    '400 to: unknown key (expected one of: from)' "$CODE $(jq -r .error.message <<<"$BODY")"
api_kept POST /v1/hooks/1/replay "$TOK_SUP" '{"from":-1}'
check_eq "replay from -1: 400" 400 "$CODE"
api_kept GET /v1/hooks "$TOK_SUP"
check_eq "GET /v1/hooks: 200" 200 "$CODE"
check_contains "... lists hook 1" '"id":1,"workflow":"wh","url":"https://hooks.example.com/in"' "$BODY"
check_not_contains "... never with its secret" '"secret"' "$BODY"
serve_stop

# a server that allows private hooks: deliveries through a hook added remotely
LOG=$T/received.jsonl
: >"$LOG"
printf 'ok\n' >"$T/mode"
RECEIVER_PORT=0 python3 "$TOP/tests/http/webhook_receiver.py" \
    "$T/secret" "$LOG" "$T/port" "$T/mode" &
RPID=$!
on_exit "kill $RPID 2>/dev/null"
wait_for 10 test -s "$T/port" || { notok "the receiver starts"; exit 1; }
RPORT=$(cat "$T/port")
serve_start --allow-private-hooks || { notok "serve restarts"; exit 1; }
sup hook add --workflow wh --url "http://127.0.0.1:$RPORT/r" --secret-file "$T/secret" \
    --events all --allow-private --max-failures 5 --retry-for 1h
check_eq "hook add --secret-file through the server" "0 hook 2 added for workflow wh" "$RC $OUT"
sup hook list
check_contains "hook list through the server: both" \
    "2    wh               all      enabled         0         0     0  http://127.0.0.1:$RPORT/r" "$OUT"
sup hook list --format json
check "hook list --format json: the hooks, their settings" python3 -c '
import json, sys
h = json.loads(sys.argv[1])["hooks"]
sys.exit(0 if [x["id"] for x in h] == [1, 2] and h[1]["allow_private"] and
         h[1]["max_failures"] == 5 and h[1]["retry_for_ms"] == 3600000 and
         all("secret" not in x for x in h) else 1)' "$OUT"
sup hook disable 1
check_eq "hook disable through the server" "0 hook 1 disabled" "$RC $OUT"
check_eq "... in the queue" 0 "$(qsql "SELECT enabled FROM hooks WHERE id = 1")"
printf '%s\n' '{"id":"H-0","workflow":"wh","body":"a reply"}' |
    "$SO" enqueue --queue "$Q" - 2>/dev/null
SIGNOFF_TOKEN_FILE="$T/token.alice" "$SO" decide H-0 approve --queue "$URL" >/dev/null
received() { grep -c '"path": *"/r"' "$LOG"; }
check "the hook added through the server delivers" wait_for 20 eval 'test "$(received)" -ge 1'
check "every delivery verified against the secret" python3 -c '
import json, sys
sys.exit(0 if all(json.loads(l)["verified"] for l in open(sys.argv[1])) else 1)' "$LOG"
check "hook log through the server: the delivered attempt" wait_for 20 eval \
    'sup hook log 2; case $OUT in *" H-0 delivered HTTP 204 "*) true ;; *) false ;; esac'
api_kept GET "/v1/hooks/2/log?limit=1" "$TOK_SUP"
check_contains "GET /v1/hooks/2/log: the attempt as JSON" '"draft_id":"H-0","at":' "$BODY"
sup hook replay 2 --from 1
check_eq "hook replay through the server" "0 hook 2: 1 events queued again from seq 1" "$RC $OUT"
check "the replayed event arrives again" wait_for 20 eval 'test "$(received)" -ge 2'
sup hook disable 2
sup hook enable 2
check_eq "hook enable through the server" "0 hook 2 enabled" "$RC $OUT"
N0=$(received)
sup hook test 2
check_contains "hook test through the server: the server sends the ping" \
    "hook 2: delivered: HTTP 204 in " "$RC $OUT"
check_eq "... exit 0" 0 "$RC"
check "... the receiver got a signoff.test, verified" python3 -c '
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])][-1]
sys.exit(0 if r["verified"] and json.loads(r["body"])["type"] == "signoff.test" else 1)' "$LOG"
check_eq "... one ping" $((N0 + 1)) "$(received)"
api_kept POST /v1/hooks/2/test "$TOK_ALICE" '{}'
check_eq "POST /v1/hooks/2/test by a reviewer: 403" 403 "$CODE"
api_kept POST /v1/hooks/9/test "$TOK_SUP" '{}'
check_eq "POST /v1/hooks/9/test: 404" 404 "$CODE"
printf 'fail\n' >"$T/mode"
api_kept POST /v1/hooks/2/test "$TOK_SUP" '{}'
check_contains "a failing receiver: 200, not delivered, its status" \
    '200 {"hook":2,"delivered":false,"status":500,' "$CODE $BODY"
printf 'ok\n' >"$T/mode"
SIGNOFF_TOKEN_FILE="$T/token.sue2.supervisor" so hook list --queue "$URL"
check_eq "a queue-file supervisor token from the tokens file also may" 0 "$RC"
keep
serve_stop

check_not_contains "no reply or CLI output holds the file's secret" "${SECRET#whsec_}" "$(cat "$SEEN")"
check_not_contains "no reply or CLI output holds the made secret" "${NEW#whsec_}" "$(cat "$SEEN")"
check_not_contains "the server's log never holds the file's secret" "${SECRET#whsec_}" "$(cat "$SERVE_LOG")"
check_not_contains "the server's log never holds the made secret" "${NEW#whsec_}" "$(cat "$SERVE_LOG")"
