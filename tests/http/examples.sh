#!/bin/bash
# The producers of docs/examples/ run against a real `signoff serve` (issue
# 18): each sends drafts, waits for their outcomes on the feed from a
# stored cursor, acts on each (approve: the draft body, edit: the edited
# text, reject: the reason) and records applied; restarted, it resumes from
# its cursor with no duplicate. The webhook receiver verifies signatures,
# refuses a forged delivery and handles a replayed event once. The
# documentation of how to integrate.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
EX="$TOP/docs/examples"
serve_setup 1
serve_start || { notok "serve starts"; exit 1; }
export SIGNOFF_QUEUE="$URL"
drafts() { # drafts PREFIX FROM TO: helpdesk drafts PREFIX-FROM..TO
    local i
    for i in $(seq "$2" "$3"); do
        printf '{"id":"%s-%d","workflow":"helpdesk","title":"Ticket %d","body":"Reply %d: we refund within 30 days."}\n' \
            "$1" "$i" "$i" "$i"
    done
}
decide3() { # decide3 PREFIX: approve -0, edit -1, reject -2
    printf 'Reply 1, reworded by a human.\n' >"$T/edit.txt"
    as alice decide "$1-0" approve >/dev/null
    as alice decide "$1-1" edit --body-file "$T/edit.txt" >/dev/null
    as alice decide "$1-2" reject --reason policy >/dev/null
}
applied_of() { sql "$Q" "SELECT count(*) FROM decisions WHERE action = 'applied' AND draft LIKE '$1-%'"; }
gone() { ! kill -0 "$1" 2>/dev/null; }
queued() { test "$(sql "$Q" "SELECT count(*) FROM drafts WHERE id LIKE '$1'")" = "$2"; }

# --- Python (standard library only) ----------------------------------------
drafts P 0 2 >"$T/p.jsonl"
python3 "$EX/producer.py" --server "$URL" --token-file "$T/token.prod" \
    --state "$T/py" --enqueue "$T/p.jsonl" --handle 3 >"$T/py.out" 2>&1 &
PY=$!
on_exit "kill $PY 2>/dev/null"
check "python: the drafts are queued" \
    wait_for 20 queued 'P-%' 3
decide3 P
check "python: handles three outcomes and stops" wait_for 60 gone "$PY"
wait "$PY"
check_eq "python: exit 0" "0 " "$? $(cat "$T/py.out")"
check_eq "python: what it sent" \
    '["P-0", "approve", "Reply 0: we refund within 30 days.", null]|["P-1", "edit", "Reply 1, reworded by a human.\n", null]|["P-2", "reject", null, "policy"]' \
    "$(python3 -c 'import json, sys
print("|".join(json.dumps([e["draft"], e["action"], e["text"], e["reason"]])
               for e in map(json.loads, open(sys.argv[1]))))' "$T/py/sent.jsonl")"
check_eq "python: three action records" 3 "$(applied_of P)"
# restarted: resumes from its cursor
drafts P 3 3 >"$T/p2.jsonl"
python3 "$EX/producer.py" --server "$URL" --token-file "$T/token.prod" \
    --state "$T/py" --enqueue "$T/p2.jsonl" --handle 1 >"$T/py.out" 2>&1 &
PY=$!
check "python (again): the draft is queued" \
    wait_for 20 queued P-3 1
as alice decide P-3 approve >/dev/null
check "python (again): handles one more and stops" wait_for 60 gone "$PY"
check_eq "python (again): no outcome acted on twice" 4 "$(wc -l <"$T/py/sent.jsonl")"
check_eq "python (again): four action records" 4 "$(applied_of P)"

# --- shell + curl + jq -------------------------------------------------------
sql "$Q" "SELECT seq || ' ' || hash FROM decisions ORDER BY seq DESC LIMIT 1" \
    >"$T/sh.cursor"
mkdir -p "$T/sh" && mv "$T/sh.cursor" "$T/sh/cursor"
drafts S 0 2 >"$T/s.jsonl"
bash "$EX/producer.sh" "$URL" "$T/token.prod" "$T/sh" "$T/s.jsonl" 3 \
    >"$T/sh.out" 2>&1 &
SH=$!
on_exit "kill $SH 2>/dev/null"
check "shell: the drafts are queued" \
    wait_for 20 queued 'S-%' 3
decide3 S
check "shell: handles three outcomes and stops" wait_for 60 gone "$SH"
wait "$SH"
check_eq "shell: exit 0" "0 " "$? $(cat "$T/sh.out")"
check_eq "shell: sent the approved body" "Reply 0: we refund within 30 days." \
    "$(cat "$T/sh/sent/S-0.txt")"
check_eq "shell: sent the edited text" "Reply 1, reworded by a human." \
    "$(cat "$T/sh/sent/S-1.txt")"
check_eq "shell: noted the reject" "rejected: policy" "$(cat "$T/sh/sent/S-2.txt")"
check_eq "shell: three action records" 3 "$(applied_of S)"
check_eq "shell: acted on nothing of the python producer's" 0 \
    "$(ls "$T/sh/sent" | grep -c '^P-')"
run "$SO" verify --queue "$Q"
check_eq "the chain with the action records verifies" 0 "$RC"

# --- the webhook receiver (Python, standard library) -------------------------
printf 'whsec_%s\n' "$(head -c 32 /dev/urandom | base64)" >"$T/whsec"
chmod 600 "$T/whsec"
python3 "$EX/receiver.py" --secret-file "$T/whsec" --port 0 \
    --port-file "$T/rport" --out "$T/handled.jsonl" 2>"$T/recv.err" &
RECV=$!
on_exit "kill $RECV 2>/dev/null"
check "receiver: listening" wait_for 10 test -s "$T/rport"
"$SO" hook add --workflow helpdesk --queue "$Q" --secret-file "$T/whsec" \
    --url "http://127.0.0.1:$(cat "$T/rport")/signoff" --allow-private >/dev/null
drafts W 0 2 | "$SO" enqueue --queue "$Q" - 2>/dev/null
decide3 W
handled() { test "$(grep -c '"draft": "W-' "$T/handled.jsonl" 2>/dev/null)" = "$1"; }
check "receiver: three outcomes handled" wait_for 30 handled 3
check_contains "receiver: the approved body to send" \
    '"draft": "W-0", "todo": {"send": "Reply 0: we refund within 30 days."}' "$(cat "$T/handled.jsonl")"
check_contains "receiver: the reject to close" \
    '"draft": "W-2", "todo": {"close": "policy"}' "$(cat "$T/handled.jsonl")"
curl -s -o /dev/null -w '%{http_code}' -H 'webhook-id: msg_forged' -H 'webhook-timestamp: 1' \
    -H 'webhook-signature: v1,Zm9yZ2Vk' -d '{}' "http://127.0.0.1:$(cat "$T/rport")/signoff" >"$T/forged"
check_eq "receiver: a forged delivery is refused" 401 "$(cat "$T/forged")"
"$SO" hook replay 1 --from 1 --queue "$Q" >/dev/null
check "receiver: the replay is delivered" \
    wait_for 30 eval 'test "$(sql "$Q" "SELECT count(*) FROM deliveries WHERE state = '"'pending'"'")" = 0'
check "receiver: replayed events are not handled twice" handled 3
check_eq "receiver: no webhook-id handled twice" "" \
    "$(python3 -c 'import json,sys,collections
c = collections.Counter(json.loads(l)["webhook_id"] for l in open(sys.argv[1]))
print(" ".join(k for k, v in c.items() if v > 1))' "$T/handled.jsonl")"
serve_stop
