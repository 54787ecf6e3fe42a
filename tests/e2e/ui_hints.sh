#!/bin/bash
# The title line of each screen names the keys that matter there, m, n,
# Tab, v and | included where the screen takes them, at 80 columns too
# (short names: "a:ok Tab:pane m:mon"; full names where there is room),
# whole hints only and never wider than the terminal (issue 19 item 13).
. "$(dirname "$0")/ui.inc"
title() { ui_screen | head -1; }
# title_has SIZE SCREEN TEXT...: each "key:name" on the title line, and the
# line no wider than the terminal.
title_has() {
    local size=$1 what=$2 h line
    shift 2
    line=$(title)
    for h in "$@"; do
        check_contains "$size: $what hints: $h" "$h" "$line"
    done
    check "$size: $what title line fits ${size%x*} columns" \
        test "$(printf "%s\n" "$line" | maxwidth)" -le "${size%x*}"
}
title_is() { title | grep -qF -- "$1"; }
for size in $SIZES; do
    newq "hints-$size"; three
    review "$size"
    ui_wait "First refund question"
    if [ "${size%x*}" -ge 110 ]; then
        title_has "$size" queue "signoff: queue" "q:quit" "Enter:open" "l:limit" \
            "u:undo" "m:monitor" "H:my-decisions" "?:help"
    else
        title_has "$size" queue " queue " "q:quit" "Enter:open" "l:limit" \
            "u:undo" "m:mon" "H:mine" "?:help"
    fi
    ui_keys Enter; ui_wait "Refunds take 30 days"
    if [ "${size%x*}" -ge 130 ]; then
        title_has "$size" draft "signoff: draft" "q:quit" "a:approve" "e:edit" \
            "r:reject" "x:escalate" "s:skip" "u:undo" "n:cite" "Tab:pane" \
            "v:reviews" "|:pipe" "m:monitor" "?:help"
    else
        title_has "$size" draft "a:ok" "e:edit" "r:rej" "x:esc" "s:skip" \
            "u:undo" "n:cite" "Tab:pane" "v:revs" "|:pipe" "m:mon" "?:help"
    fi
    ui_keys '?'
    check "$size: help opens in the view" wait_for 10 title_is "j:down"
    title_has "$size" view "q:quit" "j:down" "k:up" "Space:" "g:top" "G:bottom" "m:mon"
    ui_keys q; ui_wait "Refunds take 30 days"
    ui_keys m
    check "$size: the monitor opens" wait_for 10 title_is "monitor q:quit"
    title_has "$size" monitor "q:quit" "j:down" "k:up" "?:help" "H:"
    ui_stop
done
