# The queue's API tokens (signoff token) against real servers: create, use,
# expiry, revocation seen at once by a second server on the same queue,
# rotation with its overlap, workflow scopes on every kind of route, the
# secret stored nowhere (only its hash), weak --tokens file lines refused,
# failed authentications slowed down per address, the access log's address
# and token id, and the auth failure counters of /metrics.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
serve_setup 3
make_drafts 2 billing B >"$T/billing.jsonl"
"$SO" enqueue --queue "$Q" "$T/billing.jsonl" >/dev/null 2>&1

# create prints the secret alone on stdout, once.
so token create --queue "$Q" --reviewer carol --role reviewer --note "carol's laptop"
check_eq "create: exit 0" 0 "$RC"
TOK_C=$OUT
check "create: the secret is so_ and 64 hex digits" grep -Eqx 'so_[0-9a-f]{64}' <<<"$TOK_C"
check_contains "create: says the secret is shown only now" "shown only now" "$ERR"
ID_C=$(sed -n 's/^signoff: token \(tk_[0-9a-f]*\) for carol.*/\1/p' <<<"$ERR")
check "create: names the token id" grep -Eqx 'tk_[0-9a-f]{12}' <<<"$ID_C"
so token create --queue "$Q" --reviewer sam --role reviewer --workflow support
TOK_S=$OUT
so token create --queue "$Q" --reviewer pia --role producer --workflow support --expires never
TOK_P=$OUT
so token create --queue "$Q" --reviewer carol --role boss
check_eq "create: an unknown role is a usage error" 2 "$RC"
so token create --queue "$Q" --role reviewer
check_eq "create: --reviewer is required" 2 "$RC"

# Hash-only storage: the secret is nowhere in the queue file or its WAL.
found=0
if [ "$(test_backend)" = pg ]; then # the cluster's files, written out
    psq CHECKPOINT
    grep -rqa -e "$TOK_C" -e "${TOK_C#so_}" "$SIGNOFF_PG_DIR/data" && found=1
else
    for f in "$Q" "$Q-wal" "$Q-shm"; do
        [ -f "$f" ] && grep -qa -e "$TOK_C" -e "${TOK_C#so_}" "$f" && found=1
    done
fi
check_eq "the secret is nowhere on disk (queue, -wal, -shm; the cluster's files)" 0 "$found"
check_eq "its SHA-256 is what is stored" \
    "$(printf %s "$TOK_C" | sha256sum | cut -c1-64)" \
    "$(sql "$Q" "SELECT hash FROM tokens WHERE id = '$ID_C'")"
so token list --queue "$Q"
check_not_contains "list never shows a secret" "so_" "$OUT"
check_contains "list: id, reviewer, role, state" "$ID_C carol        reviewer   active" "$OUT"
check_contains "list: the note" "carol's laptop" "$OUT"

# A first server with the file tokens; a second on the same queue with none.
serve_start || { notok "serve starts"; exit 1; }
URL1=$URL
api GET /v1/me "$TOK_C"
check_eq "a queue token works" '200 {"reviewer":"carol","role":"reviewer","decided_today":0}' "$CODE $BODY"
api GET /v1/me "$TOK_ALICE"
check_eq "the --tokens file keeps working beside it" 200 "$CODE"
check_contains "the access log: client address and token id" "GET /v1/me 200 " "$(cat "$SERVE_LOG")"
check_contains "the access log line ends with address and id" "carol 127.0.0.1 $ID_C" "$(cat "$SERVE_LOG")"
check_not_contains "the access log never holds the secret" "${TOK_C#so_}" "$(cat "$SERVE_LOG")"
check_eq "last used and the client address recorded" "1|127.0.0.1" \
    "$(sql "$Q" "SELECT CASE WHEN last_used_at > 0 THEN 1 ELSE 0 END, last_addr FROM tokens WHERE id = '$ID_C'")"

LOG1=$SERVE_LOG SPID1=$SPID
SERVE_LOG="$T/serve2.log" SERVE_PORT=0
: >"$T/empty.tokens"
"$SO" serve --queue "$Q" --listen 127.0.0.1:0 2>"$SERVE_LOG" &
SPID2=$!
on_exit "kill -9 $SPID2 2>/dev/null"
wait_for 10 grep -q 'listening on' "$SERVE_LOG" || notok "a second server starts without --tokens"
URL2=$(sed -n 's/^signoff: listening on \(http:[^ ]*\)$/\1/p' "$SERVE_LOG")
check_not_contains "a server over a queue with tokens says nothing of them" \
    "no tokens" "$(cat "$SERVE_LOG")"
URL=$URL2
api GET /v1/me "$TOK_C"
check_eq "the second server (no --tokens) knows the queue token" 200 "$CODE"
so token revoke --queue "$Q" "$ID_C"
check_eq "revoke: exit 0" "0 $ID_C: revoked" "$RC $OUT"
api GET /v1/me "$TOK_C"
check_eq "revoked: the second server refuses it at once" \
    "401 {\"error\":{\"code\":\"unauthorized\",\"message\":\"token $ID_C was revoked\"}}" "$CODE $BODY"
URL=$URL1
api GET /v1/me "$TOK_C"
check_eq "revoked: the first server too, no restart" 401 "$CODE"
so token revoke --queue "$Q" "$ID_C"
check_eq "revoke twice: says so" 1 "$RC"
check_contains "revoke twice: already revoked" "already revoked" "$ERR"

# Expiry (the expiry moved into the past, as time would).
ID_S=$(sql "$Q" "SELECT id FROM tokens WHERE reviewer = 'sam'")
api GET /v1/me "$TOK_S"
check_eq "before its expiry: 200" 200 "$CODE"
sql "$Q" "UPDATE tokens SET expires_at = 1000 WHERE id = '$ID_S'"
api GET /v1/me "$TOK_S"
check_eq "after its expiry: 401 expired" "401 token $ID_S has expired" \
    "$CODE $(jq -r .error.message <<<"$BODY")"
sql "$Q" "UPDATE tokens SET expires_at = 0 WHERE id = '$ID_S'"

# Rotation: a new secret; the old one works for the overlap, then not.
so token rotate --queue "$Q" "$ID_S" --overlap 1h
check_eq "rotate: exit 0" 0 "$RC"
TOK_S2=$OUT
check "rotate: a new secret" test "$TOK_S2" != "$TOK_S"
api GET /v1/me "$TOK_S2"
check_eq "rotate: the new secret works" 200 "$CODE"
api GET /v1/me "$TOK_S"
check_eq "rotate: the old one still works within the overlap" 200 "$CODE"
sql "$Q" "UPDATE tokens SET prev_until = 1000 WHERE id = '$ID_S'"
api GET /v1/me "$TOK_S"
check_eq "rotate: the old one is refused after the overlap" \
    "401 token $ID_S was rotated: use its new secret" "$CODE $(jq -r .error.message <<<"$BODY")"
api GET /v1/me "$TOK_S2"
check_eq "rotate: the new one still works" 200 "$CODE"

# Scope: sam may touch support and nothing else, on every kind of route.
api GET /v1/drafts/D-0000 "$TOK_S2"
check_eq "scope: a support draft" 200 "$CODE"
api GET /v1/drafts/B-0000 "$TOK_S2"
check_eq "scope: a billing draft is refused" 403 "$CODE"
check_contains "scope: the refusal names the scope" "limited to workflows support" "$BODY"
api GET "/v1/drafts?workflow=support" "$TOK_S2"
check_eq "scope: listing support" 200 "$CODE"
api GET "/v1/drafts" "$TOK_S2"
check_eq "scope: listing every workflow is refused" 403 "$CODE"
api GET "/v1/drafts?workflow=billing" "$TOK_S2"
check_eq "scope: listing billing is refused" 403 "$CODE"
api POST /v1/claim "$TOK_S2" '{"workflow":"billing"}'
check_eq "scope: claiming in billing is refused" 403 "$CODE"
api POST /v1/claim "$TOK_S2" '{}'
check_eq "scope: claiming anywhere is refused" 403 "$CODE"
api POST /v1/claim "$TOK_S2" '{"workflow":"support"}'
check_eq "scope: claiming in support" 200 "$CODE"
api POST /v1/drafts/B-0001/decision "$TOK_S2" '{"request_id":"r1","action":"approve"}'
check_eq "scope: deciding a billing draft is refused" 403 "$CODE"
api GET /v1/workflows "$TOK_S2"
check_eq "scope: the list of every workflow is refused" 403 "$CODE"
api GET /v1/workflows/billing "$TOK_S2"
check_eq "scope: another workflow's settings are refused" 403 "$CODE"
api GET /metrics "$TOK_S2"
check_eq "scope: /metrics (every workflow) is refused" 403 "$CODE"
api POST /v1/drafts "$TOK_P" "$(make_drafts 1 billing X)"
check_eq "scope: a producer may not enqueue into billing" 403 "$CODE"
check_eq "scope: and nothing was added" 0 "$(sql "$Q" "SELECT count(*) FROM drafts WHERE id LIKE 'X-%'")"
api POST /v1/drafts "$TOK_P" "$(make_drafts 1 support Y)"
check_eq "scope: it may enqueue into support" 200 "$CODE"

# Weak tokens in a --tokens file are refused at start, never quoted.
printf 'aaaaaaaaaaaaaaaa weak reviewer\n' >"$T/weak.tokens"; chmod 600 "$T/weak.tokens"
so serve --queue "$Q" --tokens "$T/weak.tokens" --listen 127.0.0.1:0
check_eq "a weak file token: serve refuses to start" 1 "$RC"
check_contains "a weak file token: the line is named" "weak.tokens:1: token too weak" "$ERR"
check_not_contains "a weak file token: never quoted" "aaaaaaaa" "$ERR"
printf 'abababababababababab weak reviewer\n' >"$T/weak.tokens"
so serve --queue "$Q" --tokens "$T/weak.tokens" --listen 127.0.0.1:0
check_eq "a repeated pattern is refused too" 1 "$RC"

# Failed authentications from one address are slowed down: after 5, the
# address is refused unread (429, Retry-After) for a while, even with a
# good token; nothing is held while it waits.
URL=$URL2
api GET /v1/me "$TOK_S2"
check_eq "a good token starts the count again" 200 "$CODE"
codes=""
for i in 1 2 3 4 5 6; do
    codes="$codes $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer so_$(printf '%064d' $i)" "$URL/v1/me")"
done
check_eq "six wrong tokens: five 401, then 429" " 401 401 401 401 401 401" "$codes"
got=$(curl -s -D - -o /dev/null -H "Authorization: Bearer $TOK_S2" "$URL/v1/me" | tr -d '\r')
check_contains "then even a good token: 429 at once" "HTTP/1.1 429" "$got"
check_contains "with Retry-After" "Retry-After: 1" "$got"
wait_for 10 sh -c "test \"\$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer $TOK_S2' '$URL/v1/me')\" = 200" \
    && ok "after the wait the good token works again" || notok "after the wait the good token works again"
curl -s -H "Authorization: Bearer $TOK_ALICE" "$URL1/metrics" >"$T/m1"
curl -s -H "Authorization: Bearer $TOK_S" "$URL2/metrics" >/dev/null
SERVE_LOG=$LOG1
check_contains "/metrics counts auth failures" "signoff_auth_failures_total " "$(cat "$T/m1")"
check "/metrics: the first server saw some" grep -Eq '^signoff_auth_failures_total [1-9]' "$T/m1"
if command -v promtool >/dev/null; then
    run promtool check metrics <"$T/m1"
    check_eq "promtool accepts /metrics" 0 "$RC"
fi
kill -TERM "$SPID2"; wait "$SPID2" 2>/dev/null
serve_stop

# A server with no token at all (no --tokens, none in the queue) says so
# when it starts, and what makes one: it would refuse every request.
"$SO" init --queue "$T/none.db" >/dev/null
"$SO" serve --queue "$T/none.db" --listen 127.0.0.1:0 2>"$T/none.log" &
SPID3=$!
on_exit "kill -9 $SPID3 2>/dev/null"
check "a server without tokens says so" wait_for 10 grep -q 'no tokens' "$T/none.log"
check_contains "... and what makes one" \
    "signoff: no tokens: every request but /healthz is refused (401) until 'signoff token create --reviewer NAME --role ROLE' makes one on this queue, or --tokens names a file" \
    "$(cat "$T/none.log")"
kill -TERM "$SPID3"; wait "$SPID3" 2>/dev/null
