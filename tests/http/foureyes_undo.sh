#!/bin/bash
# Four-eyes cannot be bypassed through undo (issue 17, finding 3), through
# `signoff serve`: alice rejects, bob approves, the draft goes to resolve,
# the supervisor claims it; bob's POST /v1/undo is refused (before and
# after the supervisor's claim), the supervisor's decision lands and is
# final. An undo never takes a lease someone else holds; a first review
# stays undoable while nobody holds the draft.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
"$SO" init --queue "$Q" >/dev/null
"$SO" workflow set support --reviews 2 --resolver supervisor --queue "$Q" >/dev/null
serve_setup 3
serve_start || { notok "serve starts"; exit 1; }
export SIGNOFF_QUEUE="$URL"

as alice decide D-0000 reject --reason factual
check_eq "alice's review" 0 "$RC"
as bob decide D-0000 approve --format json
check_contains "bob's review: the draft goes to resolve" '"status":"resolve"' "$OUT"
api POST /v1/undo "$TOK_BOB" '{"request_id":"rq-bob-undo-1"}'
check_eq "bob's undo in resolve: 409" 409 "$CODE"
check_contains "the reason: the reviews are complete" \
    "the reviews are complete and the draft awaits its resolution" "$BODY"
as sup claim --format id
check_eq "the supervisor claims the resolve step" "0 D-0000" "$RC $OUT"
api POST /v1/undo "$TOK_BOB" '{"request_id":"rq-bob-undo-2"}'
check_eq "bob's undo while the supervisor holds it: 409" 409 "$CODE"
check_contains "bob's undo does not take the supervisor's claim" \
    "claimed by sue" "$BODY"
check_eq "the draft is still the supervisor's, in resolve" "resolve|sue|0" \
    "$(sql "$Q" "SELECT status, claimed_by, (SELECT count(*) FROM decisions WHERE action = 'revert') FROM drafts WHERE id = 'D-0000'")"
as bob decide D-0000 reject --reason factual
check_eq "bob cannot decide it" 1 "$RC"
as sup decide D-0000 approve
check_eq "the supervisor's resolution lands" "0 resolved: final approve" \
    "$RC ${OUT#*$'\n'}"
check_eq "chain: two reviews and the resolution, no revert" "review:reject|review:approve|resolve:approve" \
    "$(sql "$Q" "SELECT kind || ':' || action FROM decisions WHERE draft = 'D-0000' ORDER BY seq" | paste -sd'|')"
api POST /v1/undo "$TOK_BOB" '{"request_id":"rq-bob-undo-3"}'
check_eq "bob's undo after the resolution: 409" 409 "$CODE"

# A first review: undoable while nobody holds the draft, not while bob does.
as alice decide D-0001 approve
check_eq "alice's first review of D-0001" 0 "$RC"
as bob claim --format id
check_eq "bob claims D-0001 for the second review" "0 D-0001" "$RC $OUT"
api POST /v1/undo "$TOK_ALICE" '{"request_id":"rq-alice-undo-1"}'
check_eq "alice's undo while bob holds D-0001: 409" "409" "$CODE"
check_contains "the holder is named" "D-0001: undo: claimed by bob" "$BODY"
check_eq "D-0001 stays bob's" "claimed|bob" \
    "$(sql "$Q" "SELECT status, claimed_by FROM drafts WHERE id = 'D-0001'")"
as alice decide D-0002 approve
api POST /v1/undo "$TOK_ALICE" '{"request_id":"rq-alice-undo-2"}'
check_eq "alice's undo of her first review of D-0002: 200" 200 "$CODE"
check_contains "D-0002 is hers again" '"id":"D-0002"' "$BODY"
serve_stop
