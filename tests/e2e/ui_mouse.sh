#!/bin/bash
# The mouse: a click on a queue row selects it, a click on the selected row
# opens it; the wheel moves the queue's selection and scrolls a draft; the
# UI turns the terminal's mouse reporting on (tmux's pane flags say so) and
# `mouse = off` in the config leaves it off (the terminal then sends no
# clicks). Events are the SGR reports xterm and tmux send (ESC [ < b;x;y M).
. "$(dirname "$0")/ui.inc"

# mouse_send SEQ: the bytes in one write, as a terminal sends a report
# (send-keys may write key by key, and an ESC alone for longer than the
# UI's ESC delay would be a key of its own).
mouse_send() { tm set-buffer -b mouse "$1" && tm paste-buffer -d -b mouse -t ui; }
# click X Y / wheel up|down X Y: one mouse event at column X, row Y (1-based).
click() { mouse_send $'\e'"[<0;$1;$2M"$'\e'"[<0;$1;$2m"; }
wheel() { local b=64; [ "$1" = down ] && b=65; mouse_send $'\e'"[<$b;$2;$3M"; }
# mouse_flags: "standard sgr" reporting flags of the pane (1 = on).
mouse_flags() { tm display-message -p -t ui '#{mouse_standard_flag} #{mouse_sgr_flag}'; }
flags_on() { [ "$(mouse_flags)" = "1 1" ]; }
# claimed N: N drafts are claimed.
claimed() { [ "$(sql "$Q" "SELECT count(*) FROM drafts WHERE status='claimed'")" = "$1" ]; }

for size in $SIZES; do
    newq "mouse-$size"; three
    review "$size"
    check "$size: queue screen lists the drafts" ui_wait "Third warranty question"
    check "$size: the UI asks for mouse reports" wait_for 10 flags_on
    # Screen row 1 is the title, 2 the column header, 3.. the drafts.
    click 20 4
    ui_keys Enter
    check "$size: a click selected the second row (Enter opens it)" \
        ui_wait "Shipping is free"
    ui_keys q
    check "$size: back on the queue" ui_wait_gone "Shipping is free"
    click 20 5
    click 20 5
    check "$size: a click on the selected row opens it" \
        ui_wait "two year warranty"
    ui_keys q
    ui_wait_gone "two year warranty"
    check "$size: leaving released the claim" wait_for 10 claimed 0
    # Both clicks in one write, as a loaded machine delivers them (the UI
    # reads them in one go): the second still opens the row. It was lost,
    # and the q that followed quit the UI.
    click 20 3
    check "$size: a click selected the first row" ui_wait "row 1 of 3"
    mouse_send $'\e[<0;20;4M\e[<0;20;4m\e[<0;20;4M\e[<0;20;4m'
    check "$size: two clicks read together open the row" \
        ui_wait "Shipping is free"
    ui_keys q
    ui_wait_gone "Shipping is free"
    check "$size: leaving released that claim" wait_for 10 claimed 0
    # One click on another row: then help and back (keys are read in
    # order, so the click was handled by then): nothing was opened.
    click 20 3
    ui_keys '?'
    check "$size: help after the click" ui_wait "this help"
    ui_keys q
    check "$size: back on the queue after help" ui_wait_gone "this help"
    check "$size: a click on another row opens nothing" claimed 0
    ui_keys Enter
    check "$size: Enter then opens the clicked first row" \
        ui_wait "Refunds take 30 days"
    ui_keys q
    ui_wait_gone "Refunds take 30 days"
    ui_keys q
    check_eq "$size: clean exit" "__EXITED__ rc=0" "$(exited)"
    ui_stop
done

# The wheel: 30 drafts; two turns down (3 rows each) select the 7th.
newq wheel
for i in $(seq -w 1 30); do
    jd "W-$i" "Wheel row $i" "Body of wheel row $i." $((100 - 10#$i))
done | enq
review 80x24
check "wheel: queue shown" ui_wait "Wheel row 01"
wheel down 20 5
wheel down 20 5
ui_keys Enter
check "wheel: two turns down select the 7th draft" ui_wait "Body of wheel row 07"
ui_keys q
ui_wait_gone "Body of wheel row 07"
wheel up 20 5
ui_keys Enter
check "wheel: a turn up selects the 4th" ui_wait "Body of wheel row 04"
ui_keys q
ui_wait_gone "Body of wheel row 04"
ui_stop

# A long draft scrolls with the wheel.
newq long
body=""
for i in $(seq 1 60); do body="$body Line $i of the long answer.\\n"; done
jd L-1 "Long answer" "$body" | enq
review 80x24
ui_wait "Long answer"; ui_keys Enter
check "long: the draft opens at its top" ui_wait "Line 1 of the long answer."
check "long: line 40 is below" ui_wait_gone "Line 40 of the long"
# Ten turns of three lines: the body starts at line 31.
for i in 1 2 3 4 5 6 7 8 9 10; do wheel down 20 10; done
check "long: the wheel scrolled the body" ui_wait "Line 35 of the long answer."
check "long: its first lines went up" ui_wait_gone "Line 1 of the long answer."
ui_keys q
ui_stop

# mouse = off: no reporting asked for, and a click does nothing.
mkdir -p "$XDG_CONFIG_HOME/signoff"
printf 'mouse = off\n' >"$XDG_CONFIG_HOME/signoff/config"
newq off; three
review 80x24
check "off: queue shown" ui_wait "Third warranty question"
# The terminal sends no reports then (tmux keeps clicks for itself).
check_eq "off: the terminal's mouse reporting stays off" "0 0" "$(mouse_flags)"
ui_keys q
check_eq "off: clean exit" "__EXITED__ rc=0" "$(exited)"
ui_stop
rm -f "$XDG_CONFIG_HOME/signoff/config"
