#!/bin/bash
# stats and workflow over the HTTP backend give what the local queue gives:
# the same JSON report, the same --check answer, the kill switch flipped by
# a supervisor (recorded as the token's reviewer) and refused to a reviewer.
. "$(dirname "$0")/../lib.sh"

test_queue q || exit 0
NOW=1795514400000 # 2026-11-24T10:00:00Z
export SIGNOFF_NOW_MS=$((NOW - 3600000))
run "$SO" init --queue "$Q"
for i in 1 2 3 4 5; do
    printf '{"id":"r%s","workflow":"refunds","model":"m1","confidence":0.9,"body":"ok %s"}\n' "$i" "$i"
done >"$T/in.jsonl"
run "$SO" enqueue --queue "$Q" "$T/in.jsonl"
check_eq "enqueue" 0 "$RC"
run "$SO" workflow set refunds --queue "$Q" --threshold 0.3 --min-decisions 4 --owner omar
export SIGNOFF_NOW_MS=$NOW
for i in 1 2; do run "$SO" decide --queue "$Q" r$i approve; done
for i in 3 4; do run "$SO" decide --queue "$Q" r$i reject --reason policy; done
check_eq "decisions recorded" 0 "$RC"

printf 'sup-token-0123456789abcdef carol supervisor\nrev-token-0123456789abcdef bob reviewer\n' >"$T/tokens"
chmod 600 "$T/tokens"
printf 'sup-token-0123456789abcdef\n' >"$T/sup.tok"
printf 'rev-token-0123456789abcdef\n' >"$T/rev.tok"
chmod 600 "$T/sup.tok" "$T/rev.tok"
PORT=$(free_port)
"$SO" serve --queue "$Q" --tokens "$T/tokens" --listen "127.0.0.1:$PORT" >"$T/serve.log" 2>&1 &
SERVER=$!
on_exit "kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null"
URL="http://127.0.0.1:$PORT"
for _ in $(seq 50); do
    SIGNOFF_TOKEN_FILE="$T/sup.tok" run "$SO" workflow list --queue "$URL"
    [ "$RC" = 0 ] && break
    sleep 0.1
done
check_eq "server answers" 0 "$RC"

run "$SO" stats --queue "$Q" --since 7d --format json
LOCAL=$OUT
SIGNOFF_TOKEN_FILE="$T/sup.tok" run "$SO" stats --queue "$URL" --since 7d --format json
check_eq "remote stats: exit 0" 0 "$RC"
check_eq "remote JSON report is the local one" "$LOCAL" "$OUT"
check_contains "2 of 4 overridden" '"decided":4' "$OUT"

for by in pair phase; do
    run "$SO" stats --queue "$Q" --by "$by" --format json
    LOCAL=$OUT
    SIGNOFF_TOKEN_FILE="$T/sup.tok" run "$SO" stats --queue "$URL" --by "$by" --format json
    check_eq "remote --by $by: the local JSON" "0 $LOCAL" "$RC $OUT"
done

SIGNOFF_TOKEN_FILE="$T/sup.tok" run "$SO" stats --queue "$URL" --check
check_eq "remote --check: exit 3 (50% > 30%)" 3 "$RC"
check_contains "remote --check names refunds" "refunds: override rate 50.0% > threshold 30.0%" "$OUT"

SIGNOFF_TOKEN_FILE="$T/rev.tok" run "$SO" workflow pause refunds --reason drift --queue "$URL"
check_eq "a reviewer cannot pause" 1 "$RC"
SIGNOFF_TOKEN_FILE="$T/sup.tok" run "$SO" workflow pause refunds --reason drift --queue "$URL"
check_eq "a supervisor pauses" 0 "$RC"
check_contains "recorded as the token's reviewer" "paused by carol" "$OUT"
run "$SO" workflow show refunds --queue "$Q"
check_eq "the local queue sees it paused" 4 "$RC"
check_contains "with the reason" "reason:       drift" "$OUT"
SIGNOFF_TOKEN_FILE="$T/rev.tok" run "$SO" workflow show refunds --queue "$URL"
check_eq "producers' scripts ask over HTTP too: exit 4" 4 "$RC"
