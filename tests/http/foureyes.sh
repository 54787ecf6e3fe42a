#!/bin/bash
# Four-eyes review through `signoff serve`: the token decides who reviews
# and in which role; one reviewer never gives two reviews of a draft; the
# second reviewer's `show` has no trace of the first review; disagreement
# goes to resolve, which only the supervisor's token may settle; the
# decide reply carries the review counts (protocol v1, added fields).
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
"$SO" init --queue "$Q" >/dev/null
"$SO" workflow set support --reviews 2 --queue "$Q" >/dev/null
serve_setup 3
printf 'carol-token-0123456789abcde carol reviewer\n' >>"$TOKENS"
printf 'carol-token-0123456789abcde\n' >"$T/token.carol"
chmod 600 "$T/token.carol"
serve_start || { notok "serve starts"; exit 1; }
export SIGNOFF_QUEUE="$URL"

as alice decide D-0000 approve
check_eq "first review through the server" "0 review 1 of 2 recorded" \
    "$RC ${OUT#*$'\n'}"
as alice decide D-0000 approve
check_eq "the same token cannot give the second review" 1 "$RC"
check_contains "the reason is named" "you already reviewed this draft" "$ERR"
as alice claim --format id
check_eq "claim skips the draft alice reviewed" "0 D-0001" "$RC $OUT"
as bob show D-0000
check_contains "bob's show: one review of two" "reviews:    1 of 2" "$OUT"
check_not_contains "blind: bob sees no trace of alice's review" "alice" "$OUT"
api GET /v1/drafts/D-0000/decisions "$TOK_BOB"
check_eq "blind: the decisions route gives bob none" '200 {"decisions":[]}' \
    "$CODE $BODY"
as bob decide D-0000 reject --reason factual --format json
check_contains "decide reply: review counts" \
    '"status":"resolve","reviews_done":2,"reviews_needed":2,"review_agreed":0' \
    "$OUT"
as bob decide D-0000 approve
check_contains "bob cannot resolve his own disagreement" \
    "you already reviewed this draft" "$ERR"
as carol decide D-0000 approve
check_eq "a fresh reviewer's token cannot resolve" 1 "$RC"
check_contains "resolve: the supervisor does it" "a supervisor resolves it" \
    "$ERR"
as sup show D-0000
check_contains "supervisor's show: alice's review" "alice" "$OUT"
check_contains "supervisor's show: bob's review" "bob" "$OUT"
as sup decide D-0000 approve
check_eq "the supervisor's token resolves" "0 resolved: final approve" \
    "$RC ${OUT#*$'\n'}"
check_eq "rollup: the final outcome once, under the resolver" "sue|1|0" \
    "$(sql "$Q" "SELECT reviewer, sum(approved), sum(rejected) FROM rollup GROUP BY reviewer ORDER BY reviewer")"
check_eq "agreement cell: alice approve, bob reject" "alice|bob|approve|reject|1" \
    "$(sql "$Q" "SELECT reviewer_a, reviewer_b, action_a, action_b, sum(n) FROM agreement GROUP BY 1, 2, 3, 4")"
check_eq "chain: both reviews and the resolution" "review|review|resolve" \
    "$(sql "$Q" "SELECT kind FROM decisions WHERE draft = 'D-0000' ORDER BY seq" | paste -sd'|')"
as sup stats --by pair --since 30d
check_contains "stats --by pair through the server: the pair" \
    "support           alice+bob                         1    0.0%  0.000      -         -" "$OUT"
check_contains "stats --by pair through the server: resolutions" \
    "support           (all pairs)                       1    0.0%  0.000      1         1" "$OUT"
as sup stats --by pair --since 30d --format json
REMOTE=$OUT
run "$SO" stats --queue "$Q" --by pair --since 30d --format json
check_eq "stats --by pair: the server's JSON is the local queue's (same kappas)" "$OUT" "$REMOTE"
api GET /v1/agreement "$TOK_BOB"
check_eq "GET /v1/agreement: cells and resolutions" \
    '200 {"cells":[{"workflow":"support","reviewer_a":"alice","reviewer_b":"bob","action_a":"approve","action_b":"reject","n":1}],"resolves":[{"workflow":"support","resolved":1,"sided_ai":1}]}' \
    "$CODE $BODY"
serve_stop
