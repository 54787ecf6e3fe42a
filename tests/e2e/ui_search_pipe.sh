#!/bin/bash
# / searches inside the draft and scrolls to the match; | pipes the draft
# to a shell command and shows its output (sanitized) and exit status.
. "$(dirname "$0")/ui.inc"
lines=$(for i in $(seq 1 60); do printf 'Line %s of the draft.\\n' "$i"; done)
for size in $SIZES; do
    newq "search-$size"
    jd L-1 "Long draft" "${lines}NEEDLE is here at the end [1]." 1 \
        "[$(cite 1 'Src' 'needle source' 'needle')]" | enq
    review "$size"
    ui_wait "Long draft"; ui_keys Enter
    check "$size: draft open" ui_wait "Line 1 of the draft."
    check_not_contains "$size: the end is below the fold" "NEEDLE is here" "$(ui_screen)"
    ui_keys /
    check "$size: search prompt" ui_wait "Search:"
    ui_keys needle Enter
    check "$size: search scrolls to the match (case-insensitive)" ui_wait "NEEDLE is here at the end"
    ui_keys /
    ui_wait "Search:"; ui_keys nothing-like-this Enter
    check "$size: no match is said" ui_wait "not found: nothing-like-this"
    ui_keys '|'
    check "$size: pipe prompt" ui_wait "Pipe the draft to:"
    ui_keys "grep -c draft; printf '\\033]0;x\\007'; exit 3" Enter
    check "$size: pipe output shown" ui_wait "(exit 3; q returns to the draft)"
    S=$(ui_screen)
    check "$size: command read the draft on stdin" grep -qx "60" <<<"$S"
    check_contains "$size: its escape sequences are inert" "^[]0;x^G" "$S"
    ui_keys q
    check "$size: back to the draft" ui_wait "NEEDLE is here"
    check_eq "$size: draft still claimed after pipe" "claimed" "$(status L-1)"
    ui_keys a
    check "$size: decided after pipe" ui_wait "nothing more to review"
    ui_keys q; exited >/dev/null; ui_stop
done
