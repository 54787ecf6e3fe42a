#!/bin/bash
# The monitor's gold line names who is below the bar with whole names only:
# at 80 columns the ones that do not fit are counted ("+3 more"), never a
# name cut mid-word (where not even one fits, how many: "5 below the
# bar"); at 200 columns all five show. Five reviewers each
# approve a gold draft whose expected outcome is reject (0 of 1 each:
# upper 79.3% < the bar of 90%).
. "$(dirname "$0")/ui.inc"
test_queue q || exit 0
export SIGNOFF_QUEUE="$Q" SIGNOFF_REVIEWER=sue
so init
so workflow set support --owner sue --gold 50% --gold-bar 90% --min-seen 0
NAMES="alexandra-k bartholomew christopher dominique-r evangeline"
i=0
for n in $NAMES; do
    i=$((i + 1))
    printf '{"draft":%s,"expected":"reject","reasons":["factual"]}\n' \
        "$(jd "G-$i" "Gold question $i" "Refunds take 90 days.")"
done >"$T/gold.jsonl"
SIGNOFF_ROLE=supervisor so gold add "$T/gold.jsonl"
check_eq "five gold drafts in the pool" "0 gold: 5 added to the pool" "$RC $OUT"
for i in $(seq 10); do jd "D-$i" "Refund question $i" "Refunds take 30 days."; done | enq
i=0
for n in $NAMES; do
    i=$((i + 1))
    SIGNOFF_REVIEWER=$n run "$SO" decide "G-$i" approve
done
check_eq "each approved a gold reject" 5 "$(qsql "SELECT count(*) FROM gold_answers WHERE correct = 0")"
for size in $SIZES; do
    SIGNOFF_ROLE=supervisor review "$size" --monitor
    check "$size: the monitor opens" ui_wait "gold: reviewers"
    LINE=$(ui_screen | grep -o "gold: reviewers.*")
    check_not_contains "$size: no name cut" "…" "$LINE"
    if [ "${size%x*}" -ge 120 ]; then
        check_eq "$size: all five" \
            "gold: reviewers 0.0%..0.0% over 5 checks; below the bar: alexandra-k, bartholomew, christopher, dominique-r, evangeline" \
            "$LINE"
    else
        check "$size: whole names, the rest counted, or how many" \
            grep -qE '^gold: reviewers 0\.0%\.\.0\.0% over 5 checks; (below the bar: alexandra-k(, [a-z-]+)*, \+[1-4] more|5 below the bar)$' <<<"$LINE"
    fi
    ui_stop
done
