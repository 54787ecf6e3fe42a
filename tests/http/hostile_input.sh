# Hostile requests against a real `signoff serve` (issue 17): integers out
# of range in the query or the body are 400 naming the parameter, never
# undefined behaviour (finding 4); control characters from a request
# never reach the log (finding 5a); a too-long request_id is 400 invalid
# (finding 10); ambiguous framing (also a header name with a space before
# its colon, a folded line) and a NUL (as %00 or the byte) or a raw space
# in the target are 400, and ids with
# '/' or '%' are unambiguous in every route (finding 12).
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
serve_setup 3
serve_start || { notok "serve starts"; exit 1; }

# raw BYTES: send the bytes (printf escapes) as they are to the server, print
# the status line of the answer.
raw() {
    python3 - "$SERVE_PORT" "$1" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
s.sendall(sys.argv[2].encode("utf-8", "surrogateescape")
          .decode("unicode_escape").encode("latin-1"))
data = b""
try:
    while b"\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
except OSError:
    pass
print(data.split(b"\r\n")[0].decode("latin-1") if data else "no answer")
PY
}

# Finding 4: integers from the query.
big=9223372036854775807
for q in "until=$big" "since=$big" "since=9007199254740992" "until=-1" "fold=99"; do
    api GET "/v1/stats?$q" "$TOK_PROD"
    check_eq "stats?$q: 400" 400 "$CODE"
    check_contains "stats?$q: names ${q%%=*}" "\"message\":\"${q%%=*}: " "$BODY"
done
api GET "/v1/agreement?until=$big" "$TOK_ALICE"
check_eq "agreement?until=2^63-1: 400" 400 "$CODE"
check_contains "agreement: names until" '"message":"until: ' "$BODY"
api GET "/v1/stats?since=2000&until=1000" "$TOK_ALICE"
check_eq "stats with since after until: 400" 400 "$CODE"
check_contains "since after until: says so" '"message":"since: after until"' "$BODY"
api GET "/v1/stats?until=9007199254740991" "$TOK_ALICE"
check_eq "stats?until=2^53-1 (the largest): 200" 200 "$CODE"
api GET "/v1/drafts?limit=$big" "$TOK_ALICE"
check_eq "list?limit=2^63-1: 400" 400 "$CODE"
check_contains "list: names limit" '"message":"limit: ' "$BODY"

api GET "/v1/drafts?limit=1" "$TOK_ALICE"
next=$(printf %s "$BODY" | jq -r .next)
api GET "/v1/drafts?limit=1&after=$next" "$TOK_ALICE"
check_eq "list: the cursor it gave works" 200 "$CODE"
for cur in "k1:0:99999999999999999999:1" "k1:9999999999:0:1" "k1:0:0:-1" "k1:0:0:1:2" "k1:0:0"; do
    api GET "/v1/drafts?after=$cur" "$TOK_ALICE"
    check_eq "list after=$cur (out of range or malformed): 400 naming after" \
        '400 after: not a list cursor (the "next" of a page)' "$CODE $(printf %s "$BODY" | jq -r .error.message)"
done

# Integers from the body.
api POST /v1/claim "$TOK_ALICE" '{"lease_s":1e300}'
check_eq "claim lease_s 1e300: 400" 400 "$CODE"
check_contains "claim: names lease_s" 'lease_s' "$BODY"
api POST /v1/claim "$TOK_ALICE" '{"draft_id":"D-0000"}'
LT=$(printf %s "$BODY" | jq -r .draft.lease_token)
api POST /v1/drafts/D-0000/renew "$TOK_ALICE" '{"lease_token":9223372036854775807}'
check_eq "renew with lease_token 2^63-1: 400" 400 "$CODE"
check_contains "renew: names lease_token" 'lease_token' "$BODY"
api POST /v1/drafts/D-0000/decision "$TOK_ALICE" \
    '{"request_id":"rq-big","action":"approve","active_ms":9223372036854775807}'
check_eq "decision with active_ms 2^63-1: 400" 400 "$CODE"
check_contains "decision: names active_ms" 'active_ms' "$BODY"

# Integers of a workflow's settings are meaningful for their field: the
# ranges of workflow set (a window of 2^53-1 ms was taken, and printed
# back rounded as 9.00719925474099e+15).
for pair in 'window_ms 9007199254740991' 'window_ms 1' \
    'applied_within_ms 9007199254740991' 'min_decisions 2147483647'; do
    set -- $pair
    api POST /v1/workflows/support "$TOK_SUP" "{\"$1\":$2}"
    check_eq "workflow $1 $2: 400 naming it" "400 $1" \
        "$CODE $(printf %s "$BODY" | jq -r .error.message | cut -d: -f1)"
done
api POST /v1/workflows/support "$TOK_SUP" '{"window_ms":31622400000,"applied_within_ms":1}'
check_eq "workflow window_ms 366d and applied_within_ms 1: 200" 200 "$CODE"

# A request_id of 65 bytes is invalid (400), not too large (413).
rid=$(printf 'r%.0s' $(seq 65))
api POST /v1/drafts/D-0000/decision "$TOK_ALICE" \
    "{\"request_id\":\"$rid\",\"action\":\"approve\",\"lease_token\":$LT}"
check_eq "decision with a 65-byte request_id: 400 invalid" \
    '400 {"error":{"code":"invalid","message":"request_id: longer than 64 bytes"}}' "$CODE $BODY"
api POST /v1/undo "$TOK_ALICE" "{\"request_id\":\"$rid\"}"
check_eq "undo with a 65-byte request_id: 400 invalid" 400 "$CODE"
api POST /v1/drafts/D-0000/decision "$TOK_ALICE" \
    "{\"request_id\":\"r\\u001b]0;x\\u0007\",\"action\":\"approve\",\"lease_token\":$LT}"
check_eq "decision with ESC and BEL in its request_id: 400 naming it" \
    '400 {"error":{"code":"invalid","message":"request_id: control character U+001B at byte 1"}}' "$CODE $BODY"
api POST /v1/undo "$TOK_ALICE" '{"request_id":"undo\u202e"}'
check_eq "undo with a bidi control in its request_id: 400 naming it" \
    '400 {"error":{"code":"invalid","message":"request_id: bidi control U+202E at byte 4"}}' "$CODE $BODY"
rid=$(printf 'r%.0s' $(seq 64))
api POST /v1/drafts/D-0000/decision "$TOK_ALICE" \
    "{\"request_id\":\"$rid\",\"action\":\"approve\",\"lease_token\":$LT}"
check_eq "decision with a 64-byte request_id: 201" 201 "$CODE"

# Finding 8: times a client reports are bounded by the claim.
api POST /v1/claim "$TOK_ALICE" '{"draft_id":"D-0001"}'
LT=$(printf %s "$BODY" | jq -r .draft.lease_token)
api POST /v1/drafts/D-0001/decision "$TOK_ALICE" \
    "{\"request_id\":\"rq-times\",\"action\":\"approve\",\"lease_token\":$LT,\"active_ms\":9007199254740991,\"shown_at\":9007199254740991}"
check_eq "decision with active_ms and shown_at of 2^53-1: 201" 201 "$CODE"
check_eq "active time at most the time since the claim, shown_at within it" "1 1" \
    "$(sql "$Q" "SELECT CASE WHEN active_ms <= decided_at - (SELECT claimed_at FROM drafts WHERE id = 'D-0001') THEN 1 ELSE 0 END, CASE WHEN shown_at BETWEEN (SELECT claimed_at FROM drafts WHERE id = 'D-0001') AND decided_at THEN 1 ELSE 0 END FROM decisions WHERE request_id = 'rq-times'" | tr '|' ' ')"
check_eq "the stored active_ms is small" 1 "$(sql "$Q" "SELECT CASE WHEN active_ms < 60000 THEN 1 ELSE 0 END FROM decisions WHERE request_id = 'rq-times'")"

# Finding 5a: control characters in the method, the path and headers,
# without a token, never reach the log as they are.
raw '\x1b]52;c;ZXZpbA==\x07 /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >/dev/null
raw '\x1b]0;pwned\x07 / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >/dev/null
raw 'GET /\x1b[2J\x9b31m%1b%9b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >/dev/null
raw 'GET /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: \x1b[2J\r\nConnection: close\r\n\r\n' >/dev/null
api GET /healthz ""
check_contains "log: the OSC 52 method is escaped" '\x1b]52;c;ZXZpbA==\x07 /healthz' "$(cat "$SERVE_LOG")"
check_contains "log: CSI and a raw 0x9b in the path are escaped" '/\x1b[2J\x9b31m' "$(cat "$SERVE_LOG")"
ctl=$(python3 -c '
import sys
data = open(sys.argv[1], "rb").read()
print(sum(1 for b in data if (b < 0x20 and b != 0x0a) or b >= 0x7f))' "$SERVE_LOG")
check_eq "log: no control byte (C0, DEL, C1 or any byte over 0x7e) at all" 0 "$ctl"
# Finding 12: framing a proxy could read differently is refused.
st=$(raw 'POST /v1/claim HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer '"$TOK_ALICE"'\r\nContent-Length: 2\r\nContent-Length: 20\r\n\r\n{}')
check_eq "two different Content-Length headers: 400" "HTTP/1.1 400 Bad Request" "$st"
st=$(raw 'POST /v1/claim HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer '"$TOK_ALICE"'\r\nContent-Length: 7\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n')
check_eq "Content-Length with Transfer-Encoding: chunked: 400" "HTTP/1.1 400 Bad Request" "$st"
check_contains "framing refusal is logged with its 400" "POST /v1/claim 400 " "$(cat "$SERVE_LOG")"
st=$(raw 'POST /v1/claim HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer '"$TOK_ALICE"'\r\nContent-Length : 20\r\nConnection: close\r\n\r\n{}')
check_eq "a space before a header's colon (Content-Length : 20): 400" "HTTP/1.1 400 Bad Request" "$st"
st=$(raw 'POST /v1/claim HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer '"$TOK_ALICE"'\r\nContent-Length: 2\r\n Content-Length: 30\r\nConnection: close\r\n\r\n{}')
check_eq "a folded header line after Content-Length: 400" "HTTP/1.1 400 Bad Request" "$st"
st=$(raw 'GET /v1/drafts/D-0001\x00garbage HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer '"$TOK_ALICE"'\r\nConnection: close\r\n\r\n')
check_eq "a raw NUL byte in the path: 400, not D-0001" "HTTP/1.1 400 Bad Request" "$st"
st=$(raw 'GET /v1/drafts/D-0001 x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer '"$TOK_ALICE"'\r\nConnection: close\r\n\r\n')
check_eq "a raw space in the path: 400" "HTTP/1.1 400 Bad Request" "$st"
st=$(raw 'GET /v1/drafts/D-0001?x=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer '"$TOK_ALICE"'\r\nConnection: close\r\n\r\n')
check_eq "the same request well formed: 200" "HTTP/1.1 200 OK" "$st"
api GET "/v1/drafts/D-0001%00garbage" "$TOK_ALICE"
check_eq "a NUL (%00) in the path: 400, not D-0001" 400 "$CODE"
check_contains "NUL in the path: says so" '"message":"path: a NUL byte (%00)' "$BODY"
api GET "/v1/drafts?workflow=support%00x" "$TOK_ALICE"
check_eq "a NUL (%00) in the query: 400" 400 "$CODE"

# Ids holding '/' and '%' travel percent-encoded and never change the route.
printf '%s\n' \
    '{"id":"A/decisions","workflow":"support","title":"slash","input":"q","body":"b"}' \
    '{"id":"A","workflow":"support","title":"plain","input":"q","body":"b"}' \
    '{"id":"50%off/renew","workflow":"support","title":"percent","input":"q","body":"b"}' \
    >"$T/odd.jsonl"
api POST /v1/drafts "$TOK_PROD" "$(cat "$T/odd.jsonl")"
check_contains "enqueue ids with / and %" '"added":3' "$BODY"
api GET "/v1/drafts/A%2Fdecisions" "$TOK_ALICE"
check_eq "GET /v1/drafts/A%2Fdecisions: the draft A/decisions" "200 A/decisions" "$CODE $(printf %s "$BODY" | jq -r .draft.id)"
api GET "/v1/drafts/A/decisions" "$TOK_ALICE"
check_eq "GET /v1/drafts/A/decisions: the decisions of A" '200 {"decisions":[]}' "$CODE $BODY"
api GET "/v1/drafts/50%25off%2Frenew" "$TOK_ALICE"
check_eq "GET /v1/drafts/50%25off%2Frenew: the draft 50%off/renew" "200 50%off/renew" "$CODE $(printf %s "$BODY" | jq -r .draft.id)"
api POST "/v1/drafts/50%25off%2Frenew/renew" "$TOK_ALICE" '{}'
check_eq "renew of 50%off/renew routes to renew (409: not claimed)" 409 "$CODE"
api GET "/v1/drafts/A/b" "$TOK_ALICE"
check_eq "an unencoded / in an id is another path: 404" 404 "$CODE"
SIGNOFF_TOKEN_FILE="$T/token.alice" so show --queue "$URL" "A/decisions" --format json
check_eq "the client encodes ids: show A/decisions" "0 A/decisions" "$RC $(printf %s "$OUT" | jq -r .id 2>/dev/null)"

serve_stop
check_eq "serve exits 0" 0 "$SRC"
