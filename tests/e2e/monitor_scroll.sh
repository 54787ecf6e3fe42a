#!/bin/bash
# The monitor at 80x24 (issue 19 item 12): nothing is dropped silently: the
# tables scroll (Space, -, g, G) and the last line says what is below; one
# window (the last 30 days) for the top row and the tables, labelled; the
# sparkline is scaled to the data and the threshold (a 10-30% workflow does
# not draw flat), and the daily chart (>= 110 columns) has date labels.
. "$(dirname "$0")/ui.inc"
test_queue q || exit 0
export SIGNOFF_QUEUE="$Q"
NOW=$(( $(date +%s) * 1000 ))
DAY=86400000
so init
so workflow set support --threshold 0.2 --min-decisions 5 --window 24h --owner dana
# Ten reviewers, ten decisions each, five and fifteen days ago: 20% and 60%
# overridden (40% over 30 days); nothing in the last day (the workflow's
# own alert window, which the top row used to count instead).
n=0
for r in 0 1 2 3 4 5 6 7 8 9; do
    for i in 0 1 2 3 4 5 6 7 8 9; do
        n=$((n + 1))
        printf '{"id":"S-%d","workflow":"support","model":"m1","confidence":0.%d5,"body":"text %d"}\n' "$n" "$i" "$n"
    done
done >"$T/in.jsonl"
SIGNOFF_NOW_MS=$((NOW - 20 * DAY)) so enqueue "$T/in.jsonl"
n=0
for r in 0 1 2 3 4 5 6 7 8 9; do
    for i in 0 1 2 3 4 5 6 7 8 9; do
        n=$((n + 1))
        ago=$(( i < 5 ? 5 : 15 ))
        act=approve
        if [ "$ago" = 5 ] && [ "$i" = 0 ]; then act="reject --reason factual"; fi
        if [ "$ago" = 15 ] && [ "$i" -ge 7 ]; then act="reject --reason factual"; fi
        SIGNOFF_NOW_MS=$((NOW - ago * DAY)) SIGNOFF_REVIEWER="rev$r" \
            "$SO" decide "S-$n" $act >/dev/null 2>&1 || echo "not ok - decide S-$n"
    done
done
review 80x24 --monitor
check "80x24: the monitor opens" ui_wait "LAST 30 DAYS"
check "80x24: what is below is said" ui_wait "more below:"
S=$(ui_screen)
check_contains "80x24: the top row counts the same 30 days as the tables" \
    "support      40.0%  20.0%   100 dana" "$S"
check_contains "80x24: the sparkline reaches full height at the highest day" "█" "$S"
check_contains "80x24: a 20% day is not drawn flat" "▃" "$S"
check_not_contains "80x24: the model table is below the screen" "MODEL" "$S"
ui_keys Space
check "80x24: Space scrolls the tables" ui_wait "MODEL"
ui_keys G
check "80x24: G reaches the end" ui_wait "End of the tables"
S=$(ui_screen)
check_contains "80x24: the last table's last row is on screen" "m1 " "$S"
ui_keys g
check "80x24: g goes back up" ui_wait "more below:"
ui_resize 200 50
ui_keys C-l
check "200x50: the labelled window" ui_wait "All figures: last 30 days"
TODAY=$(date -u +%m-%d)
check "200x50: the daily chart has date labels" ui_wait "$TODAY"
ui_keys q q; exited >/dev/null; ui_stop
