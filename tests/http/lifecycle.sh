# The server's life: a client that never finishes its body is cut off by
# --timeout while other requests are still answered; SIGTERM stops taking
# connections, lets the request in flight finish, and exits 0.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
serve_setup 3
# An option out of range is named with its range (it said "bad option or
# value"), before anything listens.
so serve --queue "$Q" --timeout 9223372036854775807
check_eq "serve --timeout 2^63-1: usage error naming it" \
    "2 signoff serve: --timeout: seconds from 1 to 3600, not '9223372036854775807'" "$RC ${ERR%%$'\n'*}"
so serve --queue "$Q" --threads 0
check_eq "serve --threads 0: usage error naming it" \
    "2 signoff serve: --threads: a whole number from 1 to 256, not '0'" "$RC ${ERR%%$'\n'*}"
serve_start --timeout 2 --threads 2 || { notok "serve starts"; exit 1; }

python3 "$TOP/tests/http/slow_client.py" "$SERVE_PORT" "$TOK_ALICE" stall "$T/ready1" >"$T/stall.out" &
SLOW=$!
i=0; while [ ! -e "$T/ready1" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
api GET /healthz ""
check_eq "a stalled client does not block others" 200 "$CODE"
api POST /v1/claim "$TOK_BOB" '{}'
check_eq "claims still answered while a client stalls" 200 "$CODE"
wait $SLOW
secs=$(sed -n 's/^closed after \([0-9.]*\) s.*/\1/p' "$T/stall.out")
check "the stalled connection is closed by the timeout ($(cat "$T/stall.out"))" \
    python3 -c "import sys; sys.exit(0 if 1.5 <= float('${secs:-0}') < 15 else 1)"

python3 "$TOP/tests/http/slow_client.py" "$SERVE_PORT" "$TOK_ALICE" late "$T/ready2" >"$T/late.out" &
LATE=$!
i=0; while [ ! -e "$T/ready2" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
sleep 0.2
kill -TERM "$SPID"
# The signal is handled a moment later (later still under load): poll.
refused() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$URL/healthz")" = 000 ]; }
check "after SIGTERM: new connections refused" wait_for 20 refused
wait $LATE
check_eq "after SIGTERM: the request in flight is answered" "HTTP/1.1 200 OK" "$(cat "$T/late.out")"
wait "$SPID"
check_eq "after SIGTERM: exit 0" 0 "$?"
check_contains "after SIGTERM: says it stops" "stopping" "$(cat "$SERVE_LOG")"
check_eq "the late claim landed" 1 "$(sql "$Q" "select count(*) from drafts where claimed_by='alice'")"
