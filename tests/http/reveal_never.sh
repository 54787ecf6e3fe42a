#!/bin/bash
# Blind review with `reveal = never` through `signoff serve`: read with curl
# and with the signoff client, the first review's action and edited body
# never reach the second reviewer: not in the claim, the draft, the list,
# the decisions route or `show`, not in the decide reply, not after the
# draft is final. A supervisor's token sees no review while the draft is
# still being reviewed (a supervisor may give the next review), and every
# review once the reviews are in (resolve step, or final); a supervisor
# who gave one of the reviews is a reviewer of that draft.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
"$SO" init --queue "$Q" >/dev/null
"$SO" workflow set support --reviews 2 --reveal never --queue "$Q" >/dev/null
serve_setup 4
serve_start || { notok "serve starts"; exit 1; }
export SIGNOFF_QUEUE="$URL"
SECRET="Refund approved by exception, wording SECRET-7731."
printf '%s\n' "$SECRET" >"$T/edit.txt"

# D-0000: alice edits, so whatever bob does the draft goes to resolve.
as alice decide D-0000 edit --body-file "$T/edit.txt" --note "alice-note-4471"
check_eq "alice's edit is the first review" "0 review 1 of 2 recorded" \
    "$RC ${OUT#*$'\n'}"

# nothing of alice's review reaches bob: claim, draft, list, decisions
api POST /v1/claim "$TOK_BOB" '{"workflow":"support"}'
check_contains "bob's claim gets D-0000" '"id":"D-0000"' "$CODE $BODY"
LEASE=$(printf '%s' "$BODY" | sed -n 's/.*"lease_token":\([0-9]*\).*/\1/p')
check_contains "bob's claim: the AI's body, not alice's edit" \
    '"body":"Answer 0 per policy [1]."' "$BODY"
for needle in SECRET-7731 alice-note-4471 alice '"edit"' last_action; do
    check_not_contains "claim reply: no $needle" "$needle" "$BODY"
done
api GET /v1/drafts/D-0000 "$TOK_BOB"
check_eq "GET draft as bob: 200" 200 "$CODE"
for needle in SECRET-7731 alice-note-4471 alice '"edit"' last_action; do
    check_not_contains "GET draft as bob: no $needle" "$needle" "$BODY"
done
api GET "/v1/drafts?status=open" "$TOK_BOB"
check_contains "list as bob: D-0000 with one review of two" \
    '"id":"D-0000"' "$BODY"
check_not_contains "list as bob: no trace of alice" alice "$BODY"
check_not_contains "list as bob: no edited body" SECRET-7731 "$BODY"
api GET /v1/drafts/D-0000/decisions "$TOK_BOB"
check_eq "decisions as bob: none" '200 {"decisions":[]}' "$CODE $BODY"
as bob show D-0000
check_eq "bob's show: exit 0" 0 "$RC"
check_contains "bob's show: reviews 1 of 2" "reviews:    1 of 2" "$OUT"
for needle in SECRET-7731 alice-note-4471 alice edit; do
    check_not_contains "bob's show: no $needle" "$needle" "$OUT"
done
as bob show D-0000 --format json
for needle in SECRET-7731 alice '"edit"'; do
    check_not_contains "bob's show --format json: no $needle" "$needle" "$OUT"
done

# a supervisor reading while the draft is in review sees no review either
api GET /v1/drafts/D-0000/decisions "$TOK_SUP"
check_eq "decisions as the supervisor, in review: none" \
    '200 {"decisions":[]}' "$CODE $BODY"
as sup show D-0000
for needle in SECRET-7731 alice-note-4471 alice; do
    check_not_contains "supervisor's show, in review: no $needle" "$needle" "$OUT"
done

# bob approves: reveal never, so the reply does not say whether they agreed
api POST /v1/drafts/D-0000/decision "$TOK_BOB" \
    "{\"request_id\":\"bob-r0\",\"action\":\"approve\",\"lease_token\":$LEASE}"
check_contains "bob's review: 201" "201" "$CODE"
check_contains "decide reply: resolve, agreement not told" \
    '"draft_status":"resolve","review_agreed":-1' "$BODY"
for needle in SECRET-7731 alice '"edit"'; do
    check_not_contains "decide reply: no $needle" "$needle" "$BODY"
done
api GET /v1/drafts/D-0000/decisions "$TOK_BOB"
check_contains "after his review bob sees his own" '"reviewer":"bob"' "$BODY"
check_not_contains "after his review bob still sees no alice" alice "$BODY"
check_not_contains "after his review bob sees no edited body" SECRET-7731 "$BODY"

# the reviews are in: the supervisor sees both, resolves; still blind after
api GET /v1/drafts/D-0000/decisions "$TOK_SUP"
check_contains "resolve step: the supervisor sees alice's edit" SECRET-7731 "$BODY"
check_contains "resolve step: the supervisor sees bob's review" '"reviewer":"bob"' "$BODY"
as sup decide D-0000 approve
check_eq "the supervisor resolves" "0 resolved: final approve" "$RC ${OUT#*$'\n'}"
api GET /v1/drafts/D-0000/decisions "$TOK_BOB"
check_contains "final: bob sees his review" '"reviewer":"bob"' "$BODY"
check_not_contains "final, reveal never: bob does not see alice's review" alice "$BODY"
check_not_contains "final, reveal never: bob does not see the edit" SECRET-7731 "$BODY"
check_not_contains "final, reveal never: bob does not see the resolution" '"reviewer":"sue"' "$BODY"
as alice show D-0000
check_not_contains "final, reveal never: alice does not see bob's review" bob "$OUT"
check_contains "final, reveal never: alice sees her edit" SECRET-7731 "$OUT"
api GET /v1/drafts/D-0000/decisions "$TOK_SUP"
check_contains "final: the supervisor sees every review" \
    '"reviewer":"alice"' "$BODY"

# D-0001: two rejects agree and make the draft final; neither learns the other's
as alice decide D-0001 reject --reason factual --note "alice-why-9034"
as bob decide D-0001 reject --reason tone
check_eq "second reject: final, agreement not told" "0 final reject" \
    "$RC ${OUT#*$'\n'}"
as bob show D-0001
check_not_contains "agreed and final: bob sees no alice" alice "$OUT"
check_not_contains "agreed and final: bob sees no alice's note" alice-why-9034 "$OUT"
check_not_contains "agreed and final: bob sees no alice's reason" factual "$OUT"
api GET /v1/drafts/D-0001/decisions "$TOK_ALICE"
check_not_contains "agreed and final: alice's token gets no bob" bob "$BODY"
check_contains "agreed and final: alice's token gets hers" alice-why-9034 "$BODY"

# D-0002: the supervisor gives the second review: blind like any reviewer
as alice decide D-0002 edit --body-file "$T/edit.txt"
api POST /v1/claim "$TOK_SUP" '{"workflow":"support"}'
check_contains "the supervisor claims D-0002 for review" '"id":"D-0002"' "$BODY"
check_not_contains "the supervisor's claim: no edited body" SECRET-7731 "$BODY"
api GET /v1/drafts/D-0002/decisions "$TOK_SUP"
check_eq "reviewing supervisor: no other review" '200 {"decisions":[]}' \
    "$CODE $BODY"
as sup decide D-0002 reject --reason policy
check_eq "the supervisor's review: to resolve" "0 reviews differ: sent to resolve" \
    "$RC ${OUT#*$'\n'}"
as sup show D-0002
check_not_contains "a supervisor who reviewed sees no other review" SECRET-7731 "$OUT"
check_not_contains "a supervisor who reviewed sees no alice" alice "$OUT"
serve_stop
