#!/bin/bash
# My decisions (H): today's and the last days' decisions of mine, newest
# first (another reviewer's are not there); Enter reopens one, an edit as its
# word diff; u undoes my latest decision (the draft comes back to me) and
# explains when another row is selected; an undone decision is marked.
. "$(dirname "$0")/ui.inc"

for size in $SIZES; do
    newq "mine-$size"
    for i in 1 2 3 4; do
        jd "H-$i" "Question $i" "We refund ${i}0 EUR within 5 days." $((10 - i))
    done | enq
    printf 'We refund 99 EUR within 2 days.' >"$T/edit.txt"
    SIGNOFF_REVIEWER=alice "$SO" decide H-1 approve --queue "$Q" >/dev/null
    SIGNOFF_REVIEWER=alice "$SO" decide H-2 edit --body-file "$T/edit.txt" --queue "$Q" >/dev/null
    SIGNOFF_REVIEWER=alice "$SO" decide H-3 reject --reason tone --note "too curt" --queue "$Q" >/dev/null
    SIGNOFF_REVIEWER=bob "$SO" decide H-4 approve --queue "$Q" >/dev/null
    # An action record (applied) is no decision of mine: not counted.
    SIGNOFF_REVIEWER=alice "$SO" applied H-1 --ref T-1 --queue "$Q" >/dev/null

    review "$size"
    check "$size: queue shown" ui_wait "mine today 3"
    ui_keys H
    check "$size: the view opens" ui_wait "My decisions: 3 today, 3 in 7 days"
    S=$(ui_screen)
    check_contains "$size: newest first, the latest marked" \
        'H-3              reject tone  (u undoes)  "too curt"' "$S"
    check_eq "$size: three rows, newest first" "H-3 H-2 H-1" \
        "$(grep -oE '^today [0-9:]+  H-[0-9]' <<<"$S" | awk '{printf "%s%s", s, $3; s=" "}')"
    check_not_contains "$size: bob's decision is not mine" "H-4" "$S"
    ui_keys j Enter
    check "$size: Enter reopens H-2" ui_wait "H-2: my decision"
    S=$(ui_screen)
    check_contains "$size: the edit as its diff" \
        "We refund [-20-]{+99+} EUR within [-5-]{+2+} days." "$S"
    check_contains "$size: and what it is now" "Now: decided, final edit" "$S"
    ui_keys q
    check "$size: back on the list" ui_wait "My decisions: 3 today"
    ui_keys u
    check "$size: u on an older row explains" \
        ui_wait "undo: only your latest decision (H-3) can be undone"
    check_eq "$size: nothing undone" "decided" "$(status H-3)"
    ui_keys k u
    check "$size: u on the latest undoes it" ui_wait "undone: H-3 is back for review"
    check "$size: its draft is open again" ui_wait "We refund 30 EUR within 5 days."
    check_eq "$size: claimed by me again" "claimed|alice" \
        "$(sql "$Q" "SELECT status||'|'||claimed_by FROM drafts WHERE id='H-3'")"
    ui_keys H
    check "$size: the undone decision is marked" ui_wait "reject tone  UNDONE"
    check "$size: two stand today, the undone one apart" \
        ui_wait "My decisions: 2 today, 2 in 7 days, 1 undone"
    check_contains "$size: H-2 is now the latest" "H-2              edit  (u undoes)" "$(ui_screen)"
    ui_keys q
    check "$size: q goes back to the draft" ui_wait "We refund 30 EUR within 5 days."
    ui_keys q q
    check_eq "$size: clean exit" "__EXITED__ rc=0" "$(exited)"
    ui_stop
done
