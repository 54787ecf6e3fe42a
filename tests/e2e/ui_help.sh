#!/bin/bash
# ? shows the help generated from the key table, remapped keys included,
# per screen: the keys of the screen it was opened from, then the other
# screens' keys with where they work, then the keys of prompts, menus and
# the edit and flagged-approve questions; it fits 80 columns (the
# page-down row's keys on a line of their own). The title hints name m on
# the queue and n, Tab, v, | and m on a draft (from 120 columns; at 80 what
# fits; tests/e2e/ui_hints.sh checks 80 columns). q returns to where it was.
. "$(dirname "$0")/ui.inc"
# help_find REGEX: page through the queue screen's help from the top until
# a line matches (each page waited for: g, then Space until the last page,
# which Space does not change).
help_find() {
    local prev="" i
    ui_keys g
    ui_wait 'On the queue screen' || return 1
    for i in 1 2 3 4 5 6 7 8; do
        page_changed() { S=$(ui_screen); [ "$S" != "$prev" ]; }
        wait_for 2 page_changed
        grep -qE -- "$1" <<<"$S" && return 0
        [ "$S" = "$prev" ] && return 1
        prev=$S
        ui_keys Space
    done
    return 1
}
for size in $SIZES; do
    newq "help-$size"; three
    review "$size"
    ui_wait "First refund question"
    check_contains "$size: queue hints: m" "m:mon" "$(ui_screen | head -1)"
    ui_keys '?'
    check "$size: help screen" ui_wait "Keys of the queue screen, then the others"
    S=$(ui_screen)
    check_contains "$size: the queue screen's keys first" "On the queue screen" "$S"
    check "$size: limit listed as the queue's" grep -qE "^  l +limit +limit the queue" <<<"$S"
    check "$size: arrows listed" grep -qE "^  j, <Down> +down" <<<"$S"
    check "$size: no help line wider than 80 columns" \
        test "$(ui_screen | sed -n "2,$((${size#*x} - 2))p" | maxwidth)" -le 80
    # The page-down row: its keys on a line of their own, the rest aligned
    # under the name column (it used to run over 80 columns and wrap "next
    # page" to column 0).
    check "$size: page-down keys alone on their line" grep -qE '^  <Space>, <PageDown>, \^F$' <<<"$S"
    check "$size: and its name and help aligned below" grep -qE '^ {19}page-down +next page$' <<<"$S"
    ui_keys G
    check "$size: the bottom: limit patterns" ui_wait "Limit patterns (l, on the queue screen)"
    S=$(ui_screen)
    check_contains "$size: the queue's flags explained" "Queue flags" "$S"
    check_contains "$size: R among them" "R reviews disagree" "$S"
    check "$size: edit-confirm keys (y)" grep -qE "^  y +save +record the edit" <<<"$S"
    check "$size: edit-confirm keys (e)" grep -qE "^  e +edit again" <<<"$S"
    check "$size: edit-confirm keys (c)" grep -qE "^  c, <Esc> +cancel +drop the edit" <<<"$S"
    check "$size: flagged-approve keys" grep -qE "^  y +approve +approve it as it is" <<<"$S"
    check "$size: approve listed as the draft's" help_find "^  a +approve +draft: approve the draft as it is"
    check "$size: Enter on the monitor" help_find "pause or resume the selected workflow.s"
    # H works on every screen (app.c): its line says what it does.
    check "$size: H described (my decisions)" \
        help_find "^  H +my-decisions +my decisions: today and the last 7 days"
    check "$size: prompt editing keys" help_find "^  \^U +clear +clear what is typed"
    check "$size: prompt cancel keys" help_find "^  <Esc>, \^G +cancel"
    ui_keys q
    check "$size: q leaves help" ui_wait "First refund question"
    ui_keys Enter; ui_wait "Refunds take 30 days"
    T1=$(ui_screen | head -1)
    check_contains "$size: draft hints: help" "?:help" "$T1"
    if [ "${size%x*}" -ge 120 ]; then
        for h in "n:cite" "Tab:pane" "v:reviews" "|:pipe" "m:monitor"; do
            check_contains "$size: draft hints: $h" "$h" "$T1"
        done
    fi
    ui_keys '?'
    check "$size: help on the draft" ui_wait "Keys of the draft screen, then the others"
    S=$(ui_screen)
    check "$size: approve is the draft's own" grep -qE "^  a +approve +approve the draft as it is" <<<"$S"
    check "$size: q on the draft releases" grep -qE "^  q +quit +back to the queue \(releases the draft\)" <<<"$S"
    ui_keys q; ui_wait "Refunds take 30 days"
    ui_stop
done
# bind lines in the config remap keys, and the help says so.
mkdir -p "$XDG_CONFIG_HOME/signoff"
printf 'bind y approve\nbind a none\nbind <F5> reject\n' >"$XDG_CONFIG_HOME/signoff/config"
newq help-bind; three
review 80x24
ui_wait "First refund question"
ui_keys Enter; ui_wait "Refunds take 30 days"; ui_keys '?'
ui_wait "Keys of the draft screen"
check "help shows the new binding" grep -qE "^  y +approve" <<<"$(ui_screen)"
check "help shows F5" grep -qE "^  F5, r +reject|^  r, F5 +reject" <<<"$(ui_screen)"
ui_keys q; ui_wait "Refunds take 30 days"
check_contains "title hint follows the binding" "y:ok" "$(ui_screen)"
ui_keys a
check "unbound a says so" ui_wait "a: not a key; ? lists the keys"
check_eq "unbound a does nothing" "" "$(decisions D-1)"
ui_keys y
check "y approves" ui_wait "Shipping is free"
check_eq "approved with the remapped key" "approve||" "$(decisions D-1)"
ui_stop
printf '# keys\nbind a frobnicate\n' >"$XDG_CONFIG_HOME/signoff/config"
review 80x24
check "bad bind line is reported" ui_wait "unknown action"
S=$(ui_screen | tr -d '\n ') # read without line ends
check_contains "... naming its file and line" \
    "signoff/config:2:bindafrobnicate:unknownaction" "$S"
check_contains "... and where the actions are (the UI is not there to help)" \
    "anactionnameoftheKeystableinsignoff(1)" "$S"
check_eq "and the UI does not start" "__EXITED__ rc=1" "$(exited)"
ui_stop

# The man page's key table lists every action of the key table (stale docs
# fail here).
for name in $(grep -o 'X(KA_[A-Z_]*, "[^"]*"' "$TOP/include/signoff/keys.h" | sed 's/.*"\(.*\)"/\1/'); do
    man_name=$(printf '%s' "$name" | sed 's/-/\\\\-/g')
    check "man page lists action $name" grep -q "	$man_name	" "$TOP/man/signoff.1"
done
