#!/bin/bash
# ? shows the help generated from the key table, remapped keys included;
# q returns to where it was.
. "$(dirname "$0")/ui.inc"
for size in $SIZES; do
    newq "help-$size"; three
    review "$size"
    ui_wait "First refund question"
    ui_keys '?'
    check "$size: help screen" ui_wait "Keys (remap with"
    S=$(ui_screen)
    check "$size: approve listed with its key" grep -qE "^  a +approve +approve the draft as it is" <<<"$S"
    check "$size: arrows listed" grep -qE "^  j, <Down> +down" <<<"$S"
    ui_keys G
    limit_shown() { ui_screen | grep -qE "^  l +limit +limit the queue"; }
    check "$size: limit listed at the bottom" wait_for 10 limit_shown
    ui_keys q
    check "$size: q leaves help" ui_wait "First refund question"
    ui_stop
done
# bind lines in the config remap keys, and the help says so.
mkdir -p "$XDG_CONFIG_HOME/signoff"
printf 'bind y approve\nbind a none\nbind <F5> reject\n' >"$XDG_CONFIG_HOME/signoff/config"
newq help-bind; three
review 80x24
ui_wait "First refund question"
ui_keys '?'
ui_wait "Keys (remap with"
check "help shows the new binding" grep -qE "^  y +approve" <<<"$(ui_screen)"
check "help shows F5" grep -qE "^  F5, r +reject|^  r, F5 +reject" <<<"$(ui_screen)"
ui_keys q; ui_wait "First refund question"; ui_keys Enter; ui_wait "Refunds take 30 days"
check_contains "title hint follows the binding" "y:approve" "$(ui_screen)"
ui_keys a
# Keys are read in order: once ? has opened help, a was handled.
ui_keys '?'
ui_wait "Keys (remap with" >/dev/null
check_eq "unbound a does nothing" "" "$(decisions D-1)"
ui_keys q
ui_wait "Refunds take 30 days" >/dev/null
ui_keys y
check "y approves" ui_wait "Shipping is free"
check_eq "approved with the remapped key" "approve||" "$(decisions D-1)"
ui_stop
printf 'bind a frobnicate\n' >"$XDG_CONFIG_HOME/signoff/config"
review 80x24
check "bad bind line is reported" ui_wait "unknown action"
check_eq "and the UI does not start" "__EXITED__ rc=1" "$(exited)"
ui_stop

# The man page's key table lists every action of the key table (stale docs
# fail here).
for name in $(grep -o 'X(KA_[A-Z_]*, "[^"]*"' "$TOP/include/signoff/keys.h" | sed 's/.*"\(.*\)"/\1/'); do
    man_name=$(printf '%s' "$name" | sed 's/-/\\\\-/g')
    check "man page lists action $name" grep -q "	$man_name	" "$TOP/man/signoff.1"
done
