#!/bin/bash
# Webhooks (issue 18): a receiver (Python http.server, tests/http/
# webhook_receiver.py) verifies every Standard Webhooks signature as it
# comes, and the reference library (npm standardwebhooks) verifies them all
# again at the end; a loopback URL is refused unless the hook allows it;
# kill -9 of the server mid-delivery loses nothing (every event delivered
# at least once, in order per draft); the receiver down, then back: backoff
# and catch-up; a hook failing N times in a row is disabled and alerted
# (stats --check, /metrics); hook replay sends the same webhook-id again;
# two deliverers on one queue never send one attempt twice; hostile
# receivers (redirect, garbage, huge reply, slow drip); the secret is never
# printed. All loopback, every wait a condition with a deadline.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
export SIGNOFF_WEBHOOK_BACKOFF_MS=200 SIGNOFF_WEBHOOK_TIMEOUT_MS=1500
VERIFY_LIB=$TOP/build/tools/node_modules/standardwebhooks
serve_setup 0
"$SO" workflow set wh --reviews 2 --owner sue --queue "$Q" >/dev/null
printf 'whsec_%s\n' "$(head -c 32 /dev/urandom | base64)" >"$T/secret"
chmod 600 "$T/secret"
SECRET=$(cat "$T/secret")
LOG=$T/received.jsonl
: >"$LOG"
receiver_start() {
    rm -f "$T/port"
    RECEIVER_PORT=${RPORT:-0} python3 "$TOP/tests/http/webhook_receiver.py" \
        "$T/secret" "$LOG" "$T/port" "$T/mode" &
    RPID=$!
    on_exit "kill $RPID 2>/dev/null"
    wait_for 10 test -s "$T/port" && RPORT=$(cat "$T/port")
}
mode() { printf '%s\n' "$1" >"$T/mode"; }
received() { python3 -c 'import json,sys
print(sum(1 for l in open(sys.argv[1]) if json.loads(l)["path"] == sys.argv[2]))' "$LOG" "$1"; }
at_least() { test "$(received "$1")" -ge "$2"; }
state_count() { qsql "SELECT count(*) FROM deliveries WHERE hook = $1 AND state = '$2'"; }
all_delivered() { test "$(state_count "$1" pending)" = 0 && test "$(state_count "$1" delivered)" -gt 0; }
decide_both() { # decide_both ID...: alice approves, bob approves (final)
    local id
    for id in "$@"; do
        "$SO" decide "$id" approve --queue "$Q" --reviewer alice >/dev/null
        "$SO" decide "$id" approve --queue "$Q" --reviewer bob >/dev/null
    done
}
mode ok
receiver_start || { notok "the receiver starts"; exit 1; }

# hooks: A without --allow-private (a name that resolves to loopback:
# refused when a delivery connects; a loopback literal is refused when
# added, tests/cli/admin_hooks.sh), B with it, every record; C to a closed
# port, disabled after 3 failures
so hook add --workflow wh --url "http://localhost:$RPORT/a" --secret-file "$T/secret" --queue "$Q"
check_eq "hook add A" "0 hook 1 added for workflow wh" "$RC $OUT"
so hook add --workflow wh --url "http://127.0.0.1:$RPORT/b" --secret-file "$T/secret" \
    --events all --allow-private --queue "$Q"
check_eq "hook add B" "0 hook 2 added for workflow wh" "$RC $OUT"
CLOSED=$(free_port)
so hook add --workflow wh --url "http://127.0.0.1:$CLOSED/c" --secret-file "$T/secret" \
    --allow-private --max-failures 3 --queue "$Q"
check_eq "hook add C" "0 hook 3 added for workflow wh" "$RC $OUT"
printf 'not-a-secret\n' >"$T/bad"
so hook add --workflow wh --url "http://127.0.0.1:1/x" --secret-file "$T/bad" --queue "$Q"
check_eq "a secret that is not whsec_: refused" 2 "$RC"
so hook add --workflow wh --url "ftp://127.0.0.1/x" --secret-file "$T/secret" --queue "$Q"
check_eq "an ftp URL: refused" 2 "$RC"
so hook list --queue "$Q"
check_not_contains "hook list never prints the secret" "${SECRET#whsec_}" "$OUT"

printf '%s\n' '{"id":"W-0","workflow":"wh","body":"first reply"}' \
    '{"id":"W-1","workflow":"wh","body":"second reply"}' |
    "$SO" enqueue --queue "$Q" - 2>/dev/null
serve_start || { notok "serve starts"; exit 1; }
decide_both W-0 W-1
check "B gets the four records" wait_for 20 at_least /b 4
check "C is disabled after three failures in a row" \
    wait_for 20 eval 'test "$(qsql "SELECT enabled FROM hooks WHERE id = 3")" = 0'
check_eq "A (loopback, not allowed) got nothing" 0 "$(received /a)"
so hook log 1 --queue "$Q"
check_contains "A's log: the loopback address refused" \
    "a private or loopback address: refused" "$OUT"
so stats --check --queue "$Q"
check_eq "stats --check: exit 3 for the disabled hook" 3 "$RC"
check_contains "stats --check names it" \
    "wh: 1 webhook disabled after failing too many times in a row" "$OUT"
api GET /metrics "$TOK_SUP"
check_contains "metrics: the disabled hook" 'signoff_webhooks_disabled{workflow="wh"} 1' "$BODY"
so hook list --queue "$Q"
check_contains "hook list: C failing" "3    wh               outcome  failing" "$OUT"
so hook enable 3 --queue "$Q"
check_eq "hook enable" "0 hook 3 enabled" "$RC $OUT"
so hook disable 3 --queue "$Q"
so stats --check --queue "$Q"
check_eq "disabled by hand: no alert" 0 "$RC"

# kill -9 of the server mid-delivery: nothing lost, in order per draft
mode delay
for i in $(seq 0 14); do
    printf '{"id":"K-%d","workflow":"wh","body":"reply %d"}\n' "$i" "$i"
done | "$SO" enqueue --queue "$Q" - 2>/dev/null
decide_both $(seq -f 'K-%g' 0 14)
check "deliveries under way" wait_for 20 at_least /b 8
serve_kill
serve_start || { notok "serve restarts"; exit 1; }
check "after kill -9 and a restart, every delivery of B is done" \
    wait_for 60 all_delivered 2
check "every event reached B at least once, in order per draft" python3 -c '
import json, sys
got, order = set(), {}
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["path"] != "/b": continue
    e = json.loads(r["body"])["data"]
    got.add(e["seq"])
    seen = order.setdefault(e["draft_id"], [])
    if seen and e["seq"] < seen[-1] and e["seq"] not in seen: sys.exit("order")
    seen.append(e["seq"])
want = {int(x) for x in sys.argv[2].split()}
sys.exit(0 if want <= got else "missing %s" % sorted(want - got))' \
    "$LOG" "$(qsql "SELECT seq FROM decisions WHERE kind <> 'admin'")"
check "every delivery the receiver got was signed right" python3 -c '
import json, sys
sys.exit(0 if all(json.loads(l)["verified"] for l in open(sys.argv[1])) else 1)' "$LOG"

# the receiver down, then back: retried with backoff, then caught up
kill "$RPID"; wait "$RPID" 2>/dev/null
printf '%s\n' '{"id":"D-0","workflow":"wh","body":"while down"}' |
    "$SO" enqueue --queue "$Q" - 2>/dev/null
decide_both D-0
check "while the receiver is down, B's delivery is retried" \
    wait_for 20 eval 'test "$(qsql "SELECT max(attempts) FROM deliveries WHERE hook = 2 AND draft = '"'D-0'"'")" -ge 2'
receiver_start || notok "the receiver restarts"
check "the receiver back: B catches up" wait_for 30 all_delivered 2
check_eq "B is still enabled" 1 "$(qsql "SELECT enabled FROM hooks WHERE id = 2")"

# hook replay: the same events again, with the same webhook-id
N0=$(received /b)
so hook replay 2 --from 1 --queue "$Q"
check_contains "hook replay queues the events again" "events queued again from seq 1" "$OUT"
check "replayed deliveries arrive" wait_for 30 at_least /b $((N0 + 4))
check "a replayed event has the webhook-id of its first delivery" python3 -c '
import json, sys
ids = {}
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["path"] != "/b": continue
    seq = json.loads(r["body"])["data"]["seq"]
    ids.setdefault(seq, set()).add(r["headers"]["webhook-id"])
sys.exit(0 if ids and all(len(v) == 1 for v in ids.values()) else 1)' "$LOG"
check "replay catches up" wait_for 60 all_delivered 2
serve_stop

# two deliverers on one queue never send one attempt twice at once
: >"$LOG"
mode delay
for i in $(seq 0 9); do
    printf '{"id":"L-%d","workflow":"wh","body":"reply %d"}\n' "$i" "$i"
done | "$SO" enqueue --queue "$Q" - 2>/dev/null
decide_both $(seq -f 'L-%g' 0 9)
"$SO" deliver --queue "$Q" 2>"$T/d1.err" & D1=$!
"$SO" deliver --queue "$Q" 2>"$T/d2.err" & D2=$!
on_exit "kill $D1 $D2 2>/dev/null"
check "two deliverers: all delivered" wait_for 60 all_delivered 2
kill "$D1" "$D2"; wait "$D1" "$D2" 2>/dev/null
check "two deliverers: no webhook-id sent twice" python3 -c '
import json, sys
ids = [json.loads(l)["headers"]["webhook-id"] for l in open(sys.argv[1])
       if json.loads(l)["path"] == "/b"]
sys.exit(0 if len(ids) == 20 and len(set(ids)) == 20 else "%d %d" % (len(ids), len(set(ids))))' "$LOG"

# hostile receivers, through hook test (a signed ping, sent at once)
mode redirect
so hook test 2 --queue "$Q"
check_contains "a redirect is not followed: a failure" "HTTP 302: a redirect (not followed)" "$RC $OUT"
mode garbage
so hook test 2 --queue "$Q"
check_contains "a garbage status line: a failure, no HTTP reply" "hook 2: failed: no reply: " "$OUT"
check_not_contains "... not HTTP 0" "HTTP 0" "$OUT"
mode huge
so hook test 2 --queue "$Q"
check_contains "a 10 MB reply: read no further than the cap" "reply over 65536 bytes: cut off" "$OUT"
mode slow
so hook test 2 --queue "$Q"
check_contains "a reply that drips: cut at the timeout, a failure, no reply" "hook 2: failed: no reply: " "$OUT"
check_contains "... the timeout said" "timed out" "$OUT"
check_eq "the slow one took no longer than the timeout (exit 1)" 1 "$RC"
mode ok
so hook test 2 --queue "$Q"
check_contains "hook test: delivered" "hook 2: delivered: HTTP 204" "$OUT"

# the reference library verifies everything the receiver got
if [ -d "$VERIFY_LIB" ]; then
    run env STANDARDWEBHOOKS="$VERIFY_LIB" node "$TOP/tests/http/webhook_verify.js" "$T/secret" "$LOG"
    check_contains "npm standardwebhooks verifies every delivery" "ok " "$RC $OUT"
else
    notok "npm standardwebhooks is installed in build/tools (make deps)"
fi
check_not_contains "the server's log never has the secret" "${SECRET#whsec_}" "$(cat "$SERVE_LOG")"
