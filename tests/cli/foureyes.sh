#!/bin/bash
# Four-eyes review through the CLI: workflow settings, two and three
# reviewers (agree, disagree, edit), the same reviewer never twice on one
# draft (claim, decide, after an undo of someone else's), blind `show`,
# the resolve step (supervisor only, or a reviewer who gave none of the
# reviews), undo of a review, the rollup counting final outcomes only, the
# agreement tables and `stats --by pair`.
. "$(dirname "$0")/../lib.sh"
test_queue q || exit 0
export SIGNOFF_QUEUE=$Q SIGNOFF_NOW_MS=1795000000000
so init
so workflow set refunds --reviews 2 --reveal after
check_contains "workflow set: reviews 2" "reviews:        2" "$OUT"
check_contains "workflow set: reveal after" "reveal:         after" "$OUT"
check_contains "workflow set: resolver defaults to supervisor" \
    "resolver:       supervisor" "$OUT"
so workflow set refunds --reveal sometimes
check_eq "workflow set --reveal: bad value is a usage error" 2 "$RC"
so workflow set trio --reviews 3 --resolver reviewer
check_contains "workflow set --resolver reviewer" "resolver:       reviewer" "$OUT"
for i in 1 2 3 4 5; do
    printf '{"id":"R-%d","workflow":"refunds","title":"Refund %d","body":"refund of 20 EUR to customer %d"}\n' $i $i $i
done >"$T/in.jsonl"
for i in 1 2; do
    printf '{"id":"T-%d","workflow":"trio","title":"Clause %d","body":"clause %d"}\n' $i $i $i
done >>"$T/in.jsonl"
so enqueue "$T/in.jsonl"
as() { local who=$1; shift; SIGNOFF_REVIEWER=$who so "$@"; }
sup() { local who=$1; shift; SIGNOFF_ROLE=supervisor SIGNOFF_REVIEWER=$who so "$@"; }

# Agree: two approvals make the draft final.
as alice decide R-1 approve
check_eq "first review: recorded, draft back to pending" \
    "review 1 of 2 recorded" "${OUT#*$'\n'}"
check_eq "first review: draft pending with one review" "pending|1|" \
    "$(sql "$SIGNOFF_QUEUE" "SELECT status, reviews_done, coalesce(final_action, '') FROM drafts WHERE id = 'R-1'")"
as alice decide R-1 approve
check_eq "same reviewer cannot give the second review" \
    "1 signoff: R-1: you already reviewed this draft; the next review is another reviewer's" \
    "$RC $ERR"
as alice claim --workflow refunds --format id
check_eq "claim skips the draft I reviewed" "0 R-2" "$RC $OUT"
as bob show R-1
check_contains "blind: show tells how many reviews" "reviews:    1 of 2" "$OUT"
check_not_contains "blind: bob does not see alice's review" "alice" "$OUT"
as bob decide R-1 approve
check_eq "second approval: agreed, final" "agreed: final approve" \
    "${OUT#*$'\n'}"
as bob show R-1
check_contains "reveal after: once final bob sees alice's review" "alice" "$OUT"

# Disagree: approve + reject goes to resolve.
as alice decide R-2 approve >/dev/null
as bob decide R-2 reject --reason factual
check_eq "approve + reject: disagreed, sent to resolve" \
    "disagreed: sent to resolve" "${OUT#*$'\n'}"
so list --workflow refunds
check_contains "list shows the resolve step" \
    "resolve          [review 2/2] Refund 2" "$OUT"
check_contains "list shows reviews done of needed" \
    "pending          [review 0/2] Refund 3" "$OUT"
as carol claim --workflow refunds --format id
check_eq "a reviewer claims past the resolve draft" "0 R-3" "$RC $OUT"
as carol decide R-2 approve
check_eq "resolve: a reviewer may not (resolver = supervisor)" \
    "1 signoff: R-2: the reviews disagree; a supervisor resolves it" "$RC $ERR"
sup alice decide R-2 approve
check_eq "resolve: not even a supervisor who reviewed it" \
    "1 signoff: R-2: you already reviewed this draft; the next review is another reviewer's" \
    "$RC $ERR"
sup sue show R-2
check_contains "supervisor sees alice's review" "alice" "$OUT"
check_contains "supervisor sees bob's review" "bob" "$OUT"
sup sue decide R-2 approve
check_eq "supervisor resolves: final" "resolved: final approve" "${OUT#*$'\n'}"

# Edit: approve + edit goes to resolve even though nobody rejected.
printf 'refund of 25 EUR to customer 4\n' >"$T/edit.txt"
as alice decide R-4 approve >/dev/null
printf '{"id":"R-4","workflow":"refunds","title":"Refund 4","body":"refund of 99 EUR"}\n' >"$T/r4.jsonl"
so enqueue --replace "$T/r4.jsonl"
check_contains "a reviewed draft cannot be replaced" \
    "already under review: only a pending draft can be replaced" "$OUT$ERR"
as bob decide R-4 edit --body-file "$T/edit.txt"
check_eq "approve + edit: sent to resolve" "disagreed: sent to resolve" \
    "${OUT#*$'\n'}"

# A second pair of reviewers on refunds.
as carol decide R-5 approve >/dev/null
as dave decide R-5 approve >/dev/null

# Three reviewers, resolver = reviewer.
as a1 decide T-1 approve >/dev/null
as a2 decide T-1 approve
check_eq "3 reviews: second of three recorded" "review 2 of 3 recorded" \
    "${OUT#*$'\n'}"
as a3 decide T-1 approve
check_eq "3 reviews: three approvals are final" "agreed: final approve" \
    "${OUT#*$'\n'}"
as a1 decide T-2 approve >/dev/null
as a2 decide T-2 approve >/dev/null
as a3 decide T-2 reject --reason tone
check_eq "3 reviews: one reject sends it to resolve" \
    "disagreed: sent to resolve" "${OUT#*$'\n'}"
as a2 decide T-2 approve
check_eq "resolver = reviewer: not one of its reviewers" 1 "$RC"
as a4 decide T-2 reject --reason tone
check_eq "resolver = reviewer: a fresh reviewer resolves" \
    "resolved: final reject" "${OUT#*$'\n'}"

# The override rate counts final outcomes once; the chain keeps every review.
check_eq "rollup: one row per final outcome (R-1 R-2 R-5 T-1 T-2)" \
    "refunds|bob|1|0
refunds|dave|1|0
refunds|sue|1|0
trio|a3|1|0
trio|a4|0|1" \
    "$(sql "$SIGNOFF_QUEUE" "SELECT workflow, reviewer, sum(approved), sum(rejected) FROM rollup GROUP BY 1, 2 HAVING sum(approved + rejected) > 0 ORDER BY 1, 2")"
check_eq "chain: every review and resolution is a record" 16 \
    "$(sql "$SIGNOFF_QUEUE" "SELECT count(*) FROM decisions WHERE kind <> 'admin'")"
so verify
check_eq "verify: the chain holds" 0 "$RC"

# Agreement: refunds pairs alice+bob (approve/approve, approve/reject,
# approve/edit) and carol+dave (approve/approve); trio a1 a2 a3 x 2 drafts.
so stats --by pair --since 30d
check_contains "stats --by pair: refunds over all pairs" \
    "refunds           (all pairs)                       4   50.0%  0.000      1         1" "$OUT"
check_contains "stats --by pair: alice+bob" \
    "refunds           alice+bob                         3   33.3%  0.000      -         -" "$OUT"
check_contains "stats --by pair: carol+dave: kappa undefined" \
    "refunds           carol+dave                        1  100.0%  undefined  -         -" "$OUT"
check_contains "stats --by pair: trio resolved against the AI" \
    "trio              (all pairs)                       6   66.7%  0.000      1         0" "$OUT"
so stats --by pair --since 30d --format json
check_contains "stats --by pair --format json: kappa null when undefined" \
    '"reviewer_a":"carol","reviewer_b":"dave","shared":1,"agreement":1,"kappa":null' "$OUT"
