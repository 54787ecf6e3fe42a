#!/bin/bash
# JSON hostility (DESIGN.md 7b) at the two network edges: the server refuses
# hostile request bodies (depth 2000, duplicate and case-variant keys,
# \u0000, 2^53+1, trailing garbage) with 400 and a JSON error, recording
# nothing; the client refuses the same shapes in a server's reply with a
# clear error and records nothing as done. (enqueue: tests/cli/hostile.sh.)
. "$(dirname "$0")/../lib.sh"
unset SIGNOFF_NOW_MS
test_queue q || exit 0
"$SO" init --queue "$Q" >/dev/null
printf '{"id":"J-1","workflow":"json","body":"b"}\n{"id":"J-2","workflow":"json","body":"b"}\n' |
    "$SO" enqueue --queue "$Q" - >/dev/null
printf 'tok-json-0123456789abcdef rev reviewer\ntok-prod-0123456789abcdef pat producer\n' >"$T/tokens"
chmod 600 "$T/tokens"
"$SO" serve --queue "$Q" --tokens "$T/tokens" --listen 127.0.0.1:0 2>"$T/serve.log" &
spid=$!
on_exit "kill -KILL $spid 2>/dev/null"
url=""
for _ in $(seq 1 200); do
    url=$(sed -n 's/^signoff: listening on \(http:[^ ]*\)$/\1/p' "$T/serve.log" | head -1)
    [ -n "$url" ] && break
    sleep 0.05
done
check "the server starts" test -n "$url"

# post TOKEN PATH BODY_FILE: -> $CODE, body in $T/resp
post() {
    CODE=$(curl -s -o "$T/resp" -w '%{http_code}' -X POST -H "Authorization: Bearer $1" \
        -H 'Content-Type: application/json' --data-binary "@$3" "$url$2")
}
RID='"request_id":"6f1c0d1e-0000-4000-8000-000000000001"'
python3 - "$T" "$RID" <<'EOF'
import sys
t, rid = sys.argv[1], sys.argv[2]
cases = {
    "depth2000": '{%s,"action":"approve","x":%s%s}' % (rid, "[" * 2000, "]" * 2000),
    "dupkey": '{%s,"action":"reject","action":"approve"}' % rid,
    "casekey": '{%s,"action":"reject","Action":"approve","reason":"factual"}' % rid,
    "nul": '{%s,"action":"reject","reason":"factual","note":"a\\u0000b"}' % rid,
    "bignum": '{%s,"action":"approve","shown_at":9007199254740993}' % rid,
    "trailing": '{%s,"action":"approve"} garbage' % rid,
}
for name, body in cases.items():
    open("%s/req.%s" % (t, name), "w").write(body)
EOF
echo tok-json-0123456789abcdef >"$T/tok"
chmod 600 "$T/tok"
run env SIGNOFF_TOKEN_FILE="$T/tok" XDG_STATE_HOME="$T/state" "$SO" claim --queue "$url" --format id
check_eq "the reviewer claims J-1 through the server" 0:J-1 "$RC:$OUT"
for c in depth2000 dupkey casekey nul bignum trailing; do
    post tok-json-0123456789abcdef /v1/drafts/J-1/decision "$T/req.$c"
    check_eq "server: $c decision body refused with 400" 400 "$CODE"
    check_contains "server: $c answer is a JSON error" '{"error":{"code":"' "$(cat "$T/resp")"
done
check_eq "server: nothing was recorded" 0 "$(sql "$Q" "SELECT count(*) FROM decisions WHERE kind <> 'admin'")"
printf '{"id":"J-9","workflow":"json","body":"b","Body":"evil"}\n' >"$T/enq.case"
post tok-prod-0123456789abcdef /v1/drafts "$T/enq.case"
check_contains "server: a case-variant key in an enqueued line is refused" '"code":"invalid"' "$(cat "$T/resp")"
check_eq "server: the draft was not added" 0 "$(sql "$Q" "SELECT count(*) FROM drafts WHERE id = 'J-9'")"
kill -TERM "$spid"
wait "$spid" 2>/dev/null

# --- the client against a server answering hostile JSON ----------------
python3 - "$T" <<'EOF' &
import http.server, socketserver, sys
t = sys.argv[1]
ME = b'{"reviewer":"rev","role":"reviewer","decided_today":0}'
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def answer(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n: self.rfile.read(n)
        body = ME if self.path.startswith("/v1/me") else open(t + "/reply").read().encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_GET = do_POST = answer
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
s = S(("127.0.0.1", 0), H)
open(t + "/fport", "w").write(str(s.server_address[1]))
s.serve_forever()
EOF
fpid=$!
on_exit "kill $fpid 2>/dev/null"
for _ in $(seq 1 100); do [ -s "$T/fport" ] && break; sleep 0.05; done
furl=http://127.0.0.1:$(cat "$T/fport")
draft='"id":"J-1","workflow":"json","body":"b","status":"claimed","lease_until":1,"lease_token":1'
python3 - "$T" "$draft" <<'EOF'
import sys
t, d = sys.argv[1], sys.argv[2]
w = lambda inner: '{"draft":{%s}}' % inner
cases = {
    "depth2000": w('%s,"metadata":%s%s' % (d, "[" * 2000, "]" * 2000)),
    "dupkey": w('%s,"id":"J-2"' % d),
    "casekey": '{"draft":{%s},"Draft":{%s}}' % (d, d),
    "nul": w('%s,"title":"a\\u0000b"' % d),
    "bignum": w('%s,"priority":9007199254740993' % d),
    "trailing": w(d) + ' garbage',
}
for name, body in cases.items():
    open("%s/reply.%s" % (t, name), "w").write(body)
EOF
# The control: the same reply without the hostility is taken.
printf '{"draft":{%s}}' "$draft" >"$T/reply"
run env SIGNOFF_TOKEN_FILE="$T/tok" XDG_STATE_HOME="$T/state" SIGNOFF_HTTP_TIMEOUT=5 \
    "$SO" claim --queue "$furl" --format id
check_eq "client: a well-formed reply is taken" 0:J-1 "$RC:$OUT"
for c in depth2000 dupkey casekey nul bignum trailing; do
    cp "$T/reply.$c" "$T/reply"
    run env SIGNOFF_TOKEN_FILE="$T/tok" XDG_STATE_HOME="$T/state" SIGNOFF_HTTP_TIMEOUT=5 \
        "$SO" claim --queue "$furl" --format id
    check_eq "client: a $c reply is refused (exit 1, nothing claimed)" 1: "$RC:$OUT"
    check_contains "client: $c gives one clear message" "signoff: " "$ERR"
done
