#!/bin/bash
# Two `signoff serve` instances on one PostgreSQL database deliver one
# hook's webhooks (issue 18 on issue 14): each server runs a deliverer,
# and the claim (FOR UPDATE SKIP LOCKED, a lease on the database's clock)
# gives every delivery to one of them. 30 drafts are decided and their
# producer's action recorded (two records a draft, 60 events, all due at
# once) and the receiver answers each after 50 ms: every event arrives exactly once,
# signed right, per draft in seq order, and the two deliverers sent at
# the same time (two arrivals closer than one reply's 50 ms).
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
pg_queue whtwo || exit 0
Q=$PGQ
N=30

serve_setup 0
printf 'whsec_%s\n' "$(head -c 32 /dev/urandom | base64)" >"$T/secret"
chmod 600 "$T/secret"
LOG=$T/received.jsonl
: >"$LOG"
printf 'delay\n' >"$T/mode"
python3 "$TOP/tests/http/webhook_receiver.py" "$T/secret" "$LOG" "$T/port" "$T/mode" &
RPID=$!
on_exit "kill $RPID 2>/dev/null"
wait_for 10 test -s "$T/port" || { notok "the receiver starts"; exit 1; }
"$SO" workflow set wh --owner sue --queue "$Q" >/dev/null # a hook needs its workflow
so hook add --workflow wh --url "http://127.0.0.1:$(cat "$T/port")/h" \
    --secret-file "$T/secret" --events all --allow-private --queue "$Q"
check_eq "hook add on the database" "0 hook 1 added for workflow wh" "$RC $OUT"

serve_start || { notok "server A starts"; exit 1; }
SPID_A=$SPID
SERVE_PORT=0 SERVE_LOG=$T/serve_b.log serve_start || { notok "server B starts"; exit 1; }

# the hook is held while the records are made, so that 60 deliveries are
# due at once when it is enabled again and both deliverers race for them
"$SO" hook disable 1 --queue "$Q" >/dev/null
for i in $(seq 1 $N); do
    printf '{"id":"W-%02d","workflow":"wh","body":"reply %d"}\n' "$i" "$i"
done | "$SO" enqueue --queue "$Q" - 2>/dev/null
for i in $(seq -w 1 $N); do
    "$SO" decide "W-$i" approve --queue "$Q" --reviewer alice >/dev/null
    "$SO" applied "W-$i" --ref "ticket $i" --queue "$Q" --reviewer pat >/dev/null
done
check_eq "60 records (beside the hook's admin records), 60 delivery rows" "60 60" \
    "$(psq "SELECT (SELECT count(*) FROM decisions WHERE kind <> 'admin'), (SELECT count(*) FROM deliveries)" | tr '|' ' ')"
done_all() { [ "$(psq "SELECT count(*) FROM deliveries WHERE state = 'delivered'")" = 60 ]; }
so hook enable 1 --queue "$Q"
check_eq "hook enable" "0 hook 1 enabled" "$RC $OUT"
check "both servers deliver all 60" wait_for 60 done_all
check "each event arrived exactly once, signed right, per draft in order" python3 -c '
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
ids = [r["headers"]["webhook-id"] for r in recs]
if len(ids) != 60 or len(set(ids)) != 60:
    sys.exit("%d arrivals, %d distinct" % (len(ids), len(set(ids))))
if not all(r["verified"] for r in recs):
    sys.exit("a signature did not verify")
last = {}
for r in recs:
    e = json.loads(r["body"])["data"]
    if e["seq"] < last.get(e["draft_id"], 0):
        sys.exit("out of order: %s seq %d" % (e["draft_id"], e["seq"]))
    last[e["draft_id"]] = e["seq"]' "$LOG"
check "the two servers delivered at the same time" python3 -c '
import json, sys
at = sorted(json.loads(l)["at"] for l in open(sys.argv[1]))
sys.exit(0 if any(b - a < 0.045 for a, b in zip(at, at[1:])) else 1)' "$LOG"
check_eq "one attempt per delivery" "60 60" \
    "$(psq "SELECT count(*), count(DISTINCT delivery) FROM delivery_attempts" | tr '|' ' ')"
serve_stop
SPID=$SPID_A serve_stop
