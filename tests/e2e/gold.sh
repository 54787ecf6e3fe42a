#!/bin/bash
# Gold checks in the reviewer UI (issue 15, part 4): gold drafts mixed into
# the queue look like every other draft on the queue and draft screens (the
# row's columns, nothing saying gold); a reviewer decides one like any
# other; the monitor shows a supervisor the range of the workflow's
# reviewers' gold accuracy and who is below the bar, and shows a reviewer
# nothing of it. 80x24 (and the monitor at 200x50), local and remote.
. "$(dirname "$0")/ui.inc"

newq q # on PostgreSQL too (tests/pg/ui_gold.sh)
export SIGNOFF_QUEUE="$Q" SIGNOFF_REVIEWER=alice
joined() { qsql "$1" | paste -sd' '; } # rows on one line (either backend)
so workflow set support --owner sue --gold 50% --gold-bar 90% --min-seen 0
# Gold drafts written like the producer's: the same shape, ids and words.
gold() { printf '{"draft":%s,"expected":"%s"%s}\n' "$(jd "$1" "$2" "$3")" "$4" "${5:+,\"reasons\":$5}"; }
{
    gold D-7 "Seventh refund question" "Refunds take 90 days." reject '["factual"]'
    gold D-8 "Eighth refund question" "Refunds take 30 days." approve
} >"$T/gold.jsonl"
SIGNOFF_ROLE=supervisor so gold add "$T/gold.jsonl"
check_eq "two gold drafts in the pool" "0 gold: 2 added to the pool" "$RC $OUT"
for i in 1 2 3 4; do jd "D-$i" "Refund question $i" "Refunds take 30 days."; done | enq
check_eq "mixed in after every second draft" "D-1 D-2 D-7 D-3 D-4 D-8" \
    "$(joined "SELECT id FROM drafts ORDER BY priority DESC, created_at, rid")"

review 80x24
check "the queue opens" ui_wait "Refund question 1"
check "the gold draft is listed" ui_wait "Seventh refund question"
S=$(ui_screen)
check_not_contains "the queue screen: no word of gold" "gold" "$(tr 'A-Z' 'a-z' <<<"$S")"
row() { grep -E "^.{0,3}$1 " <<<"$S" | sed -e "s/$1 /ID /" -e 's/  *[A-Z][a-z]* refund question.*//' -e 's/Refund question [0-9]//'; }
check_eq "a gold draft's row has the columns of any other" "$(row D-3)" "$(row D-7)"
ui_screen >"$T/queue.txt"
ui_keys j j Enter
check "the gold draft opens" ui_wait "Refunds take 90 days."
check_not_contains "the draft screen: no word of gold" "gold" "$(ui_screen | tr 'A-Z' 'a-z')"
ui_keys a
check "approved like any other" ui_wait_gone "Refunds take 90 days."
check_eq "alice's answer recorded, and wrong" "D-7|alice|approve|0" \
    "$(qsql "SELECT draft_id, reviewer, action, correct FROM gold_answers")"
ui_keys q; ui_keys q; exited >/dev/null; ui_stop

# A reviewer's monitor says nothing of gold.
review 80x24 --monitor
check "the reviewer's monitor opens" ui_wait "LAST 30 DAYS"
check_not_contains "a reviewer sees no gold figures" "gold" "$(ui_screen)"
ui_stop

# A supervisor's: the range of the reviewers' gold accuracy and who is
# below the bar (alice, 0 of 1: upper 79.3% < 90%).
for size in 80x24 200x50; do
    SIGNOFF_REVIEWER=sue SIGNOFF_ROLE=supervisor review "$size" --monitor
    check "$size: the supervisor's monitor opens" ui_wait "LAST 30 DAYS"
    check "$size: the gold line" ui_wait \
        "gold: reviewers 0.0%..0.0% over 1 checks; below the bar: alice"
    wide=$(ui_screen | python3 -c 'import sys; print("".join(l for l in sys.stdin if len(l.rstrip("\n")) > int(sys.argv[1])), end="")' "${size%x*}")
    check_eq "$size: nothing wider than the terminal" "" "$wide"
    ui_screen >"$T/monitor.$size.txt"
    ui_stop
done
