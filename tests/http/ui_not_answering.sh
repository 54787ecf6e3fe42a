#!/bin/bash
# The reviewer UI on a remote queue whose server takes the connection but
# never answers (a hung server, a proxy that holds the line): a key waits a
# few seconds at most, never the 30 s a command-line call waits. A decision
# goes to the outbox (as when the server is down) and the message line says
# the server is not answering; a server that sends a byte and then one a
# minute (under curl's low-speed limit) is the same. When the real server
# is back the decision is sent once.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
# The commands' timeout stays 30 s; the UI's own deadline is what is tested.
export SIGNOFF_HTTP_TIMEOUT=30
serve_setup 3
# A decision key acts as soon as the draft is drawn (the tests wait for it).
sql "$Q" "UPDATE workflows SET min_seen_ms = 0"
serve_start || { notok "serve starts"; exit 1; }
PORT=$SERVE_PORT
export SIGNOFF_TOKEN_FILE="$T/token.alice"

# silent [--trickle]: a server on $PORT that never answers, in $LPID.
silent() {
    rm -f "$T/ready"
    python3 "$TOP/tests/http/silent_server.py" "$PORT" "$T/ready" "$@" &
    LPID=$!
    on_exit "kill $LPID 2>/dev/null"
    wait_for 20 test -s "$T/ready"
}
# decide_timed: 'a' on the open draft; $MS the time until the outbox holds
# $1 decisions on the status bar.
decide_timed() {
    local t0
    t0=$(date +%s%N)
    ui_keys a
    ui_wait "unsent $1" 40
    MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}

ui_start 100 30 "$SO" review --queue "$URL"
check "UI lists the remote queue" ui_wait "D-0002" 15
ui_keys Enter
check "a draft opens while the server answers" ui_wait " per policy [1]." 15
serve_stop
check "a server that never answers listens on the port" silent --log "$T/conns"
decide_timed 1
# The UI's deadline is 4 s for the whole call; it was 10 s (the 30 s
# timeout's low-speed limit) and then as long again for the next claim.
if [ "$MS" -lt 9000 ]; then ok "never answered: the decision is in the outbox in $MS ms"
else notok "never answered: the decision is in the outbox in a few seconds: it took $MS ms (want under 9000)"; fi
check "the message line says the server is not answering" \
    ui_wait "the server is not answering" 10
check "no next draft: back on the queue" ui_wait "signoff: queue" 20
# Keys stay responsive while the UI tries again in the background (it held
# them 4 s per list retry every few seconds): a background try gives up
# after 1.5 s, and while the server stays silent the next waits 5 s, then
# 10 s, doubling up to a minute. The silent server logs each connection.
opens() { grep -c '^open' "$T/conns"; }
closes() { grep -c '^closed' "$T/conns"; }
opened_since() { test "$(opens)" -gt "$1"; } # another connection after $1
all_closed() { test "$(closes)" -ge "$(opens)"; }
ms_now() { python3 -c 'import time; print(int(time.monotonic() * 1000))'; }
held_last() { grep '^closed' "$T/conns" | tail -1 | cut -d' ' -f3; }
n=$(opens)
check "a background try while the server is silent" wait_for 30 opened_since "$n"
t0=$(date +%s%N)
ui_keys l # the limit prompt: drawn without the network
check "a key during a background try is answered" ui_wait "Limit to:" 10
MS=$(( ($(date +%s%N) - t0) / 1000000 ))
if [ "$MS" -lt 3000 ]; then ok "a key during a background try: answered in $MS ms"
else notok "a key during a background try: answered in under 3 s: it took $MS ms"; fi
ui_keys Escape
check "the background try ends" wait_for 10 all_closed
held=$(held_last)
if [ "$held" -lt 3000 ]; then ok "a background try gives up in $held ms"
else notok "a background try gives up in under 3 s: $held ms"; fi
for want in 4500 9500; do # the pause after a try: 5 s, then 10 s
    c=$(ms_now) n=$(opens)
    check "the next background try comes" wait_for 30 opened_since "$n"
    gap=$(( $(grep '^open' "$T/conns" | tail -1 | cut -d' ' -f2) - c ))
    if [ "$gap" -ge "$want" ]; then ok "backoff: the next try $gap ms later (at least $want)"
    else notok "backoff: the next try at least $want ms later: $gap ms"; fi
    check "... and ends" wait_for 10 all_closed
done
kill "$LPID"; wait "$LPID" 2>/dev/null || true
serve_start || { notok "serve restarts"; exit 1; }
check "server back: the waiting decision is sent" \
    ui_wait "sent 1 waiting decision" 40
check_eq "one decision recorded" "1" "$(sql "$Q" "SELECT count(*) FROM decisions WHERE kind <> 'admin'")"
ui_keys q
check_eq "clean exit" "__EXITED__ rc=0" "$(ui_wait "__EXITED__" 10 && ui_screen | grep -o '__EXITED__ rc=[0-9]*')"
serve_stop
ui_stop() { tm kill-server 2>/dev/null || true; TMUX_SOCK="${TMUX_SOCK}b"; }
ui_stop

# A byte at once and then one a minute: the UI opening the queue gives up
# within its deadline, saying so (it was 10 s: the low-speed limit of 30 s).
check "a server that sends a byte a minute listens on the port" silent --trickle
t0=$(date +%s%N)
ui_start 100 30 "$SO" review --queue "$URL"
check "a byte a minute: the UI says the server is not answering" \
    ui_wait "not answering" 30
MS=$(( ($(date +%s%N) - t0) / 1000000 ))
if [ "$MS" -lt 8000 ]; then ok "a byte a minute: said in $MS ms"
else notok "a byte a minute: said in a few seconds: it took $MS ms (want under 8000)"; fi
kill "$LPID"; wait "$LPID" 2>/dev/null || true
