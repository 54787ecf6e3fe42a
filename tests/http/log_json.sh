#!/bin/bash
# signoff serve --log-format json: one JSON object per line (Python's json
# module reads every line), the same fields as the text line (time, method,
# path, status, ms, reviewer; null before authentication), a hostile
# method and path escaped by JSON (no ESC or BEL in the log), never a
# token; a bad --log-format is a usage error.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/serve.inc"
serve_setup 2
run "$SO" serve --queue "$Q" --tokens "$TOKENS" --log-format xml
check_eq "--log-format xml: usage error" 2 "$RC"
serve_start --log-format json || exit 1
api GET /v1/me "$TOK_ALICE"
api GET /v1/me ""
check_eq "no token: 401" 401 "$CODE"
api POST /v1/claim "$TOK_ALICE" '{"draft_id":"D-0000"}'
python3 - "$SERVE_PORT" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
s.sendall(b"\x1b]52;c;eA==\x07 /v1/x\x1b[2J\x9by HTTP/1.1\r\nHost: x\r\n"
          b"Connection: close\r\n\r\n")
while s.recv(4096):
    pass
PY
serve_stop
check_eq "the server stopped cleanly" 0 "$SRC"
run python3 - "$SERVE_LOG" <<'PY'
import json, sys
lines = [l for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
objs = [json.loads(l) for l in lines]  # raises on any line that is not JSON
req = [o for o in objs if "method" in o]
print(len(lines) == len(objs), len(req))
me = [o for o in req if o["path"] == "/v1/me"]
print(sorted(me[0]), me[0]["status"], me[0]["reviewer"], me[1]["status"], me[1]["reviewer"])
print("number" if type(me[0]["ms"]) in (int, float) else type(me[0]["ms"]).__name__,
      me[0]["time"][:2], me[0]["time"][-1])
bad = [o for o in req if o["path"].startswith("/v1/x")]
print(bad[0]["method"] if bad else "-", bad[0]["path"] if bad else "-")
PY
check_eq "every line of the log is one JSON object (4 requests)" "True 4" \
    "$(printf '%s\n' "$OUT" | sed -n 1p)"
check_eq "the text line's fields: method path status ms reviewer addr token time" \
    "['addr', 'method', 'ms', 'path', 'reviewer', 'status', 'time', 'token'] 200 alice 401 None" \
    "$(printf '%s\n' "$OUT" | sed -n 2p)"
check_eq "ms a number, time ISO 8601 UTC" "number 20 Z" \
    "$(printf '%s\n' "$OUT" | sed -n 3p)"
check_eq "a hostile method and path kept as text, escaped by JSON" \
    $'\033]52;c;eA==\007 /v1/x\033[2J\ufffdy' "$(printf '%s\n' "$OUT" | sed -n 4p)"
check_eq "no ESC or BEL in the log file" 0 "$(tr -cd '\033\007' <"$SERVE_LOG" | wc -c)"
check_not_contains "never a token" "token-0123" "$(cat "$SERVE_LOG")"
check_contains "the listening line is a JSON message too" "\"msg\":\"signoff: listening on http" \
    "$(cat "$SERVE_LOG")"
