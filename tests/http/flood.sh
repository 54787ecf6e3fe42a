# Hostile clients that try to exhaust a real `signoff serve` (issue 17,
# findings 1 and 2), all on 127.0.0.1 and bounded in count and time:
# unauthenticated clients sending large bodies (refused from the headers,
# before any body is read; the server's memory stays bounded), the bodies
# in memory capped across connections (503), a slowloris flood of 1,100
# connections that never finish their request head (/healthz and a
# reviewer keep being served; the head has a total deadline that trickling
# bytes does not extend; limits are logged).
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
serve_setup 3
FLOOD="python3 $TOP/tests/http/flood.py"

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$SPID/status"; }
# wait_file PATH SECONDS: until PATH exists.
wait_file() {
    local i=0
    while [ ! -e "$1" ] && [ $i -lt $(($2 * 20)) ]; do sleep 0.05; i=$((i + 1)); done
    [ -e "$1" ]
}
# healthz: "CODE SECONDS" of one GET /healthz (at most 5 s).
healthz() { curl -s -o /dev/null --max-time 5 -w '%{http_code} %{time_total}' "$URL/healthz"; }
# fast "CODE SECONDS": 200 within LIMIT seconds?
fast() { awk -v l="$2" '{ exit !($1 == 200 && $2 < l) }' <<<"$1"; }

serve_start --timeout 3 || { notok "serve starts"; exit 1; }

# Finding 1: 40 clients without a token, each sending just under 8 MiB to
# POST /v1/claim and holding the last byte.
rss0=$(rss_kb)
$FLOOD bodies "$SERVE_PORT" 40 - $((8 * 1024 * 1024 - 2)) "$T/ready.bodies" 2 >"$T/bodies.out" &
fpid=$!
wait_file "$T/ready.bodies" 150 || notok "the body flood finished sending"
rss1=$(rss_kb)
wait "$fpid"
# Each is answered 401 from its headers (the client may miss the reply: the
# server closes without reading the body, which can reset the connection),
# or cut by the limit of 32 connections per address; none is read.
check_eq "40 large bodies without a token: no reply but 401" "" \
    "$(tr ' ' '\n' <"$T/bodies.out" | grep -v -e '^401:' -e '^none:')"
n401=$(grep -c 'POST /v1/claim 401 ' "$SERVE_LOG")
if [ "$n401" -ge 32 ]; then ok "40 large bodies without a token: $n401 answered 401 from the headers, the rest cut"
else notok "40 large bodies without a token: $n401 answered 401 from the headers (want 32 or more)"; fi
grow=$(( (rss1 - rss0) / 1024 ))
if [ "$grow" -lt 48 ]; then ok "server memory stays bounded under 40 x 8 MiB unauthenticated bodies (+$grow MB)"
else notok "server memory stays bounded under 40 x 8 MiB unauthenticated bodies (+$grow MB)"; fi
api POST /v1/claim "" '{}'
check_eq "no token, small body: 401 (decided from the headers)" 401 "$CODE"
api POST /v1/nope "" '{}'
check_eq "unknown route with a body: 404 before the body" 404 "$CODE"
api GET /v1/claim "$TOK_ALICE"
check_eq "wrong method: 405 before the body" 405 "$CODE"

# The bodies held in memory across connections are capped: 30 reviewers'
# bodies of 7 MiB (210 MiB) get 503 busy past 64 MiB, not 210 MiB of RSS.
rss0=$(rss_kb)
$FLOOD bodies "$SERVE_PORT" 30 "$TOK_ALICE" $((7 * 1024 * 1024)) "$T/ready.auth" 2 >"$T/auth.out" &
fpid=$!
wait_file "$T/ready.auth" 150 || notok "the authenticated body flood finished sending"
rss1=$(rss_kb)
wait "$fpid"
# (Counted in the access log: a client still sending the body it was
# refused for may see the connection reset before it reads the 503.)
n503=$(grep -c 'POST /v1/claim 503 ' "$SERVE_LOG")
if [ "$n503" -ge 1 ]; then ok "bodies over the memory cap: $n503 answered 503 busy"
else notok "bodies over the memory cap: none answered 503 ($(cat "$T/auth.out"))"; fi
check_eq "bodies over the memory cap: no other reply seen" "" \
    "$(tr ' ' '\n' <"$T/auth.out" | grep -v -e '^503:' -e '^none:')"
grow=$(( (rss1 - rss0) / 1024 ))
if [ "$grow" -lt 180 ]; then ok "memory of 30 x 7 MiB authenticated bodies stays under the cap (+$grow MB)"
else notok "memory of 30 x 7 MiB authenticated bodies stays under the cap (+$grow MB)"; fi
check_contains "the memory cap is logged" "limit: request bodies in memory would pass" "$(cat "$SERVE_LOG")"
api GET /v1/me "$TOK_ALICE"
check_eq "served again once the bodies are gone" 200 "$CODE"

# Nor can clients without a token fill that cap through /healthz, the one
# route that needs none: 16 bodies of 4 MiB (the whole 64 MiB) held there
# starved every reviewer's write (503 busy). A route that takes no body
# refuses one from its headers.
$FLOOD bodies "$SERVE_PORT" 16 - $((4 * 1024 * 1024 - 1)) "$T/ready.hz" 2 GET /healthz >"$T/hz.out" &
fpid=$!
wait_file "$T/ready.hz" 150 || notok "the /healthz body flood finished sending"
api POST /v1/claim "$TOK_ALICE" '{}'
check_eq "16 x 4 MiB bodies held on GET /healthz: a reviewer's claim is served" 200 "$CODE"
wait "$fpid"
check_eq "... each of those answered 400 from its headers" "" \
    "$(tr ' ' '\n' <"$T/hz.out" | grep -v -e '^400:' -e '^none:')"
check_contains "... a route that takes no body says so" "GET /healthz 400 " "$(cat "$SERVE_LOG")"

# Finding 2: the request head has a total deadline (--timeout 3), not one
# that each byte restarts.
out=$($FLOOD trickle "$SERVE_PORT" 12)
secs=$(sed -n 's/^closed after \([0-9.]*\) s$/\1/p' <<<"$out")
if [ -n "$secs" ] && awk -v s="$secs" 'BEGIN { exit !(s >= 2.5 && s < 6) }'; then
    ok "a head sent one byte every 0.25 s is cut at its 3 s deadline ($out)"
else
    notok "a head sent one byte every 0.25 s is cut at its 3 s deadline ($out)"
fi
check_contains "the head deadline is logged" "limit: 127.0.0.1 sent no complete request head within 3000 ms" "$(cat "$SERVE_LOG")"

# Slowloris: 1,100 connections that never finish their head, for 8 s.
$FLOOD slowloris "$SERVE_PORT" 1100 8 "$T/ready.slow" >"$T/slow.out" &
fpid=$!
wait_file "$T/ready.slow" 60 || notok "the slowloris flood is open"
h1=$(healthz)
check "during 1,100 slow connections: /healthz answers within 2 s ($h1)" fast "$h1" 2
api GET /v1/me "$TOK_ALICE"
check_eq "during 1,100 slow connections: a reviewer is served" 200 "$CODE"
h2=$(healthz)
check "during 1,100 slow connections: /healthz again within 2 s ($h2)" fast "$h2" 2
wait "$fpid"
check_eq "the flood's connections were all cut (limits, then the deadline)" "0 open" "$(cat "$T/slow.out")"
check_contains "the per-address limit is logged" "limit: 127.0.0.1 has 32 connections" "$(cat "$SERVE_LOG")"
nlog=$(grep -c -e ' httpd: ' -e ' limit: ' "$SERVE_LOG")
if [ "$nlog" -lt 60 ]; then ok "the floods leave a short log: $nlog httpd/limit lines (at most one a second per kind)"
else notok "the floods leave a short log: $nlog httpd/limit lines (at most one a second per kind)"; fi
h3=$(healthz)
check "after the flood: /healthz within 2 s ($h3)" fast "$h3" 2
serve_stop
check_eq "serve exits 0 after the floods" 0 "$SRC"
