#!/bin/bash
# The queue screen pages through the queue with the list cursor (200 rows a
# page): rows past the first page appear as the selection moves down, and G
# reaches the last draft.
. "$(dirname "$0")/ui.inc"
newq paging
for i in $(seq 1 450); do
    printf '{"id":"P-%03d","workflow":"support","title":"Paged draft %03d","body":"b","priority":%d}\n' "$i" "$i" $((1000 - i))
done | enq
check_eq "450 drafts" 450 "$(sql "$Q" "SELECT count(*) FROM drafts")"
for size in $SIZES; do
    review "$size"
    check "$size: first page drawn" ui_wait "Paged draft 001"
    ui_keys G
    check "$size: G reaches the last draft, three pages down" ui_wait "Paged draft 450"
    ui_keys g
    check "$size: g back to the top" ui_wait "Paged draft 001"
    for k in $(seq 1 12); do ui_keys Space; done
    check "$size: paging moves the view" ui_wait_gone "Paged draft 001"
    # Twelve pages are drawn one after another: wait for the last ones.
    past_200() { ui_screen | grep -qE "Paged draft 2[2-9][0-9]|Paged draft [34][0-9][0-9]"; }
    check "$size: page by page past the first 200 rows" wait_for 15 past_200
    ui_keys q; exited >/dev/null; ui_stop
done
