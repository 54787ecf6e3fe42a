#!/bin/bash
# A request_id answers only to the reviewer who made it, and only with the
# same content (issue 17, finding 10; issue 18): another reviewer posting
# it on a four-eyes draft under review gets a conflict that says nothing of
# the stored decision (a blind review stays blind); the same reviewer with
# different content gets 409, not the old result as if recorded.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
"$SO" init --queue "$Q" >/dev/null
"$SO" workflow set support --reviews 2 --queue "$Q" >/dev/null
serve_setup 3
serve_start || { notok "serve starts"; exit 1; }

api POST /v1/claim "$TOK_ALICE" '{"draft_id":"D-0000"}'
DEC='{"request_id":"rq-alice-1","action":"reject","reason":"factual","note":"wrong date"}'
api POST /v1/drafts/D-0000/decision "$TOK_ALICE" "$DEC"
check_eq "alice's review: 201" 201 "$CODE"

# Bob, the second reviewer, replays alice's request id.
api POST /v1/claim "$TOK_BOB" '{"draft_id":"D-0000"}'
check_eq "bob claims the draft for the second review" 200 "$CODE"
api POST /v1/drafts/D-0000/decision "$TOK_BOB" '{"request_id":"rq-alice-1","action":"approve"}'
check_eq "bob with alice's request_id: 409 conflict" \
    '409 conflict' "$CODE $(printf %s "$BODY" | jq -r .error.code)"
check_not_contains "the conflict does not show alice's action" "reject" "$BODY"
check_not_contains "the conflict has no decision fields" '"action"' "$BODY"
check_contains "the conflict says the id is someone else's" "already used by another reviewer" "$BODY"
api POST /v1/drafts/D-0000/decision "$TOK_BOB" "$DEC"
check_eq "bob with alice's exact body: 409 as well" 409 "$CODE"
check_not_contains "still nothing of alice's review" "reject" "$(printf %s "$BODY" | jq -r .error.message)"
check_eq "nothing recorded for bob" 0 "$(sql "$Q" "select count(*) from decisions where reviewer='bob'")"
api POST /v1/undo "$TOK_BOB" '{"request_id":"rq-alice-1"}'
check_eq "bob undo with alice's request_id: 409" 409 "$CODE"
check_not_contains "undo conflict shows no draft" '"draft"' "$BODY"

# Alice's own retry is a replay; other content under the same id is not.
api POST /v1/drafts/D-0000/decision "$TOK_ALICE" "$DEC"
check_eq "alice's retry: 200 replayed" "200 true reject" \
    "$CODE $(printf %s "$BODY" | jq -r '"\(.replayed) \(.action)"')"
api POST /v1/drafts/D-0000/decision "$TOK_ALICE" \
    '{"request_id":"rq-alice-1","action":"approve"}'
check_eq "alice, same id, another action: 409 conflict" \
    '409 conflict' "$CODE $(printf %s "$BODY" | jq -r .error.code)"
check_contains "says the id was used for a different decision" "different decision" "$BODY"
api POST /v1/drafts/D-0000/decision "$TOK_ALICE" \
    '{"request_id":"rq-alice-1","action":"reject","reason":"tone","note":"wrong date"}'
check_eq "alice, same id, another reason: 409" 409 "$CODE"
api POST /v1/drafts/D-0000/decision "$TOK_ALICE" \
    '{"request_id":"rq-alice-1","action":"reject","reason":"factual","note":"other"}'
check_eq "alice, same id, another note: 409" 409 "$CODE"
check_eq "still one decision on D-0000" 1 "$(sql "$Q" "select count(*) from decisions where draft='D-0000'")"

# Bob's own review goes on with a fresh id.
api POST /v1/drafts/D-0000/decision "$TOK_BOB" '{"request_id":"rq-bob-1","action":"reject","reason":"factual"}'
check_eq "bob's own review: 201" 201 "$CODE"
serve_stop
check_eq "serve exits 0" 0 "$SRC"
