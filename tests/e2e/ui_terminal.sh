#!/bin/bash
# Terminal hygiene: NO_COLOR, TERM=vt100 and 8-colour terminals work,
# themes load with --theme (an unknown one is an error), and q, Ctrl-C and
# SIGTERM all restore the terminal and release the claim.
. "$(dirname "$0")/ui.inc"
newq term; three
for t in vt100 xterm screen; do
    UI_TERM=$t review 80x24
    check "TERM=$t: queue drawn" ui_wait "First refund question"
    ui_keys Enter
    check "TERM=$t: draft drawn" ui_wait "Refunds take 30 days [1]."
    ui_keys s
    check "TERM=$t: keys work" ui_wait "skipped D-1"
    ui_keys q q
    check_eq "TERM=$t: exit" "__EXITED__ rc=0" "$(exited)"
    ui_stop
done
# TERM=dumb (an editor's shell) cannot move the cursor: a clear error,
# not every screen written onto one line.
UI_TERM=dumb review 80x24
check "TERM=dumb: refused, saying why" ui_wait "cannot use terminal type dumb: it cannot move"
check_eq "TERM=dumb: the UI does not start" "__EXITED__ rc=1" "$(exited)"
check_eq "TERM=dumb: nothing claimed" "pending" "$(status D-1)"
ui_stop
NO_COLOR=1 review 200x50
check "NO_COLOR: drawn" ui_wait "First refund question"
ui_keys q; exited >/dev/null; ui_stop
for theme in light high-contrast mono default; do
    review 80x24 --theme "$theme"
    check "theme $theme loads" ui_wait "First refund question"
    ui_keys q; exited >/dev/null; ui_stop
done
review 80x24 --theme nosuch
check "unknown theme is an error" ui_wait "theme nosuch: no nosuch.theme"
check_contains "... naming the themes that ship (read without line ends)" \
    "(signoffshipsdefault,light,high-contrastandmono)" "$(ui_screen | tr -d '\n ')"
check_eq "and the UI does not start" "__EXITED__ rc=1" "$(exited)"
ui_stop
mkdir -p "$XDG_CONFIG_HOME/signoff/themes"
printf 'draft.marker = red default bold\n' >"$XDG_CONFIG_HOME/signoff/themes/mine.theme"
review 80x24 --theme mine
check "own theme from XDG_CONFIG_HOME" ui_wait "First refund question"
ui_keys q; exited >/dev/null; ui_stop

# Ctrl-C and SIGTERM: clean exit, terminal restored, claim released.
review 80x24
ui_wait "First refund question"; ui_keys Enter; ui_wait "Refunds take 30 days"
check_eq "claimed while open" "claimed" "$(status D-1)"
ui_keys C-c
check_eq "Ctrl-C exits cleanly" "__EXITED__ rc=0" "$(exited)"
check_eq "Ctrl-C released the claim" "pending" "$(status D-1)"
ui_stop
review 80x24
ui_wait "First refund question"; ui_keys Enter; ui_wait "Refunds take 30 days"
pid=$(pgrep -n -f "review --queue $(printf '%s' "$UI_QUEUE" | sed 's/[][\\.*^$?+(){}|]/\\&/g')")
kill -TERM "$pid"
check_eq "SIGTERM exits cleanly" "__EXITED__ rc=0" "$(exited)"
check_eq "SIGTERM released the claim" "pending" "$(status D-1)"
check "terminal restored (shell prompt line visible, no alternate screen)" \
    grep -q "__EXITED__" <<<"$(ui_screen)"
ui_stop
review 80x24
ui_wait "First refund question"; ui_keys Enter; ui_wait "Refunds take 30 days"
ui_keys r; ui_wait "Reject: why?"
ui_keys C-c
check_eq "Ctrl-C inside a menu exits too" "__EXITED__ rc=0" "$(exited)"
check_eq "and nothing was recorded" "" "$(decisions D-1)"
ui_stop

# Without a terminal the UI refuses to start (it never draws into a pipe).
so review --queue "$Q" </dev/null
check_eq "no terminal: exit 1" 1 "$RC"
check_eq "no terminal: says why" "signoff: review: the reviewer UI needs a terminal" "$ERR"
so review --help
check_eq "--help exits 0" 0 "$RC"
check_contains "--help names the keys" "approve (a), edit (e)" "$OUT"
so review --bogus
check_eq "unknown option: usage error" 2 "$RC"
