#!/bin/bash
# hook log is bounded (issue 18): each attempt a deliverer records drops
# the attempts of its hook past the newest 1000 (WEBHOOK_LOG_KEEP,
# signoff-queue(5)), so delivery_attempts cannot grow without end. The
# old attempts are put in with SQL; one real attempt (signoff deliver
# --once to a closed loopback port) makes the cut.
. "$(dirname "$0")/../lib.sh"
test_queue q || exit 0
export SIGNOFF_QUEUE="$Q"
"$SO" init >/dev/null
"$SO" workflow set w --owner ana >/dev/null     # a hook needs its workflow
"$SO" workflow set other --owner ana >/dev/null
printf 'whsec_%s\n' "$(head -c 32 /dev/urandom | base64)" >"$T/secret"
chmod 600 "$T/secret"
"$SO" hook add --workflow w --url "http://127.0.0.1:$(free_port)/x" \
    --secret-file "$T/secret" --allow-private >/dev/null
"$SO" hook add --workflow other --url "http://127.0.0.1:1/y" \
    --secret-file "$T/secret" --allow-private >/dev/null
qsql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1
    FROM n WHERE i < 1005) INSERT INTO delivery_attempts(delivery, hook, seq,
    draft, at, status, ms, state, error) SELECT 0, h, 0, 'old-' || i, i, 500,
    1, 'pending', NULL FROM n, (SELECT 1 AS h UNION ALL SELECT 2) AS hs"
printf '%s\n' '{"id":"a1","workflow":"w","body":"first"}' | "$SO" enqueue - 2>/dev/null
"$SO" decide a1 approve >/dev/null
so deliver --once
check_eq "deliver --once: one attempt, refused by the closed port" 0 "$RC"
check_eq "hook 1 keeps its newest 1000 attempts" 1000 \
    "$(qsql "SELECT count(*) FROM delivery_attempts WHERE hook = 1")"
check_eq "the oldest six went, the newest stayed" "old-7|a1" \
    "$(qsql "SELECT min(draft) FILTER (WHERE draft LIKE 'old-%' AND
        length(draft) = 5), (SELECT draft FROM delivery_attempts WHERE hook = 1
        ORDER BY id DESC LIMIT 1) FROM delivery_attempts WHERE hook = 1")"
check_eq "another hook's attempts are left alone" 1005 \
    "$(qsql "SELECT count(*) FROM delivery_attempts WHERE hook = 2")"
so hook log 1 --limit 1
check_contains "hook log shows the real attempt first (seq 5: after the admin records of w, other and the hooks), no reply and why" "seq 5 a1 pending no reply " "$OUT"
check_contains "... the connect error it recorded" "Couldn't connect to server" "$OUT"
check_not_contains "... not an HTTP status that never came" "HTTP 0" "$OUT"
# hook test with nothing listening: says there was no reply and why,
# not "HTTP 0 in 0 ms".
so hook test 1
check_eq "hook test, nothing listening: exit 1" 1 "$RC"
check_contains "hook test, nothing listening: no reply and the connect error" \
    "hook 1: failed: no reply: Failed to connect to 127.0.0.1 port" "$OUT"
check "... and the time it took" eval '[[ $OUT == *" (after "[0-9]*" ms)" ]]'
check_not_contains "... not HTTP 0" "HTTP 0" "$OUT"
# An id the queue has no hook for is an error, as over HTTP, not an
# empty log.
so hook log 99
check_eq "hook log of an unknown hook: exit 1" 1 "$RC"
check_eq "hook log of an unknown hook: says so" "signoff: hook: hook 99: no such hook" "$ERR"
