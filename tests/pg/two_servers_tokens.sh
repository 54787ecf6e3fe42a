#!/bin/bash
# Two `signoff serve` instances on one PostgreSQL database and the queue's
# API tokens (issue 16 on issue 14): a token works on both; revoked (by
# `signoff token revoke` on the database) it is refused by both at the very
# next request, no restart; a rotation's new secret works on both at once,
# the old one within its overlap. A burst of requests with one token spread
# over both servers is answered every time (the last-use note never makes
# the token's row one they queue on).
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
pg_queue tktwo || exit 0
Q=$PGQ
serve_setup 2

so token create --queue "$Q" --reviewer carol --role reviewer
TOK_C=$OUT
ID_C=$(sed -n 's/^signoff: token \(tk_[0-9a-f]*\) for carol.*/\1/p' <<<"$ERR")
so token create --queue "$Q" --reviewer sam --role reviewer --workflow support
TOK_S=$OUT
ID_S=$(sed -n 's/^signoff: token \(tk_[0-9a-f]*\) for sam.*/\1/p' <<<"$ERR")
check "two tokens made" test -n "$ID_C" -a -n "$ID_S"

serve_start || { notok "server A starts"; exit 1; }
URL_A=$URL SPID_A=$SPID
SERVE_PORT=0 SERVE_LOG=$T/serve_b.log serve_start || { notok "server B starts"; exit 1; }
URL_B=$URL

both() { # TOKEN: the /v1/me status codes of A and B
    local a b
    a=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" "$URL_A/v1/me")
    b=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" "$URL_B/v1/me")
    echo "$a $b"
}
check_eq "the token works on both servers" "200 200" "$(both "$TOK_C")"
check_eq "its use noted once, with the address" "1|127.0.0.1" \
    "$(psq "SELECT CASE WHEN last_used_at > 0 THEN 1 ELSE 0 END, last_addr FROM tokens WHERE id = '$ID_C'")"

# A burst: 200 requests, 8 at a time, half to each server.
for i in $(seq 1 100); do echo "$URL_A/v1/me"; echo "$URL_B/v1/me"; done |
    xargs -P 8 -n 1 curl -s -o /dev/null -w '%{http_code}\n' \
        -H "Authorization: Bearer $TOK_C" >"$T/burst"
check_eq "a burst over both servers: every request answered 200" "200 200" \
    "$(sort "$T/burst" | uniq -c | awk '{print $2, $1}')"

so token revoke --queue "$Q" "$ID_C"
check_eq "revoked on the database" "0 $ID_C: revoked" "$RC $OUT"
check_eq "refused at once by both servers, no restart" "401 401" "$(both "$TOK_C")"
api GET /v1/me "$TOK_C"
check_eq "the refusal names the revocation" "401 token $ID_C was revoked" \
    "$CODE $(jq -r .error.message <<<"$BODY")"

so token rotate --queue "$Q" "$ID_S" --overlap 1h
TOK_S2=$OUT
check_eq "rotated: the new secret works on both at once" "200 200" "$(both "$TOK_S2")"
check_eq "the old one within its overlap, on both" "200 200" "$(both "$TOK_S")"
psq "UPDATE tokens SET prev_until = 1000 WHERE id = '$ID_S'" >/dev/null
check_eq "after the overlap the old one is refused by both" "401 401" "$(both "$TOK_S")"
serve_stop
kill -TERM "$SPID_A" 2>/dev/null; wait "$SPID_A" 2>/dev/null
