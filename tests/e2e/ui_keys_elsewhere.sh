#!/bin/bash
# A key that does nothing on this screen says so and drops what was typed
# after it: on a draft, "l~w contract-clauses ~c<0.6" and Enter (a limit
# typed on the wrong screen) says where l works and decides nothing (its
# "r" used to open the reject menu, "6" pick a reason and Enter save it). A
# menu or prompt never takes keys typed before it was drawn: "r2" leaves
# the reject menu open with nothing picked. A key bound to nothing says so.
. "$(dirname "$0")/ui.inc"
for size in $SIZES; do
    newq "elsewhere-$size"; three
    review "$size"
    ui_wait "First refund question"; ui_keys Enter
    check "$size: draft open" ui_wait "Refunds take 30 days"
    ui_wait "lease " >/dev/null
    ui_keys -l $'l~w contract-clauses ~c<0.6\r'
    check "$size: l says where it works" ui_wait "l: limit works on the queue screen"
    S=$(ui_screen)
    check_contains "$size: and that what was typed after it was dropped" \
        "keys typed after it dropped" "$S"
    check_not_contains "$size: no reject menu" "Reject: why?" "$S"
    check_not_contains "$size: no note prompt" "Note (optional" "$S"
    check_contains "$size: still on the draft" "Refunds take 30 days" "$S"
    check_eq "$size: nothing recorded" "" "$(decisions D-1)"
    check_eq "$size: D-1 still claimed" "claimed" "$(status D-1)"
    ui_keys r 2
    check "$size: r opens the reject menu" ui_wait "Reject: why?"
    check "$size: the 2 typed before it was drawn picked nothing" ui_wait "Pick one:"
    check_not_contains "$size: no note prompt after r2" "Note (optional" "$(ui_screen)"
    ui_keys Escape
    check "$size: Esc closes the menu" ui_wait_gone "Reject: why?"
    check_eq "$size: still nothing recorded" "" "$(decisions D-1)"
    ui_keys Z
    check "$size: an unbound key says so" ui_wait "Z: not a key; ? lists the keys"
    ui_keys q
    check "$size: back on the queue" ui_wait "Second shipping question"
    ui_keys a
    check "$size: a on the queue says where it works" ui_wait "a: approve works on the draft screen"
    check_not_contains "$size: nothing typed after it, nothing said dropped" \
        "typed after it" "$(ui_screen)"
    ui_keys Enter
    ui_wait "Refunds take 30 days" >/dev/null
    ui_wait "lease " >/dev/null
    ui_keys Enter
    check "$size: a key that works elsewhere: every such screen named" \
        ui_wait "<Enter>: open works on the queue, monitor and my decisions screens"
    ui_keys q
    ui_wait "Second shipping question" >/dev/null
    check_eq "$size: and decides nothing" "0" "$(sql "$Q" "SELECT count(*) FROM decisions WHERE kind <> 'admin'")"
    ui_keys q; exited >/dev/null; ui_stop
done
