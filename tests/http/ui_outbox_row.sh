#!/bin/bash
# A draft decided while the server is down (its decision waits in the
# outbox) is marked on the stale queue list, "(decided: in the outbox)", so
# the reviewer does not pick it again; Enter on it opens nothing and records
# nothing: the server gets one decision when it is back, and the list then
# no longer holds the draft. At 80x24 and 200x50.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
export SIGNOFF_HTTP_TIMEOUT=5
serve_setup 3
export SIGNOFF_TOKEN_FILE="$T/token.alice"
# lease_now: the lease countdown on the status bar.
lease_now() { ui_screen | grep -o 'lease [0-9]*:[0-9]*' | tail -1; }
lease_not() { [ "$(lease_now)" != "$1" ]; }
# a_second_on_screen: the countdown ticked twice, so the draft has been on
# screen over a second: with the server down the UI cannot ask the
# workflow's minimum and keeps the default (1 s) before a decision key.
a_second_on_screen() {
    local l
    l=$(lease_now) && wait_for 5 lease_not "$l" &&
        l=$(lease_now) && wait_for 5 lease_not "$l"
}
# no_row ID: no queue row holds ID.
no_row() { ! ui_screen | grep -qE "^.{4}$1 "; }
n=0
for size in 80x24 200x50; do
    serve_start || { notok "$size: serve starts"; exit 1; }
    TMUX_SOCK="so$$s$n"; n=$((n + 1))
    ui_start "${size%x*}" "${size#*x}" "$SO" review --queue "$URL"
    check "$size: UI lists the remote queue" ui_wait "D-0002" 15
    # The first row is the one Enter opens.
    ID=$(ui_screen | grep -o 'D-000[0-9]' | head -1)
    ui_keys Enter
    check "$size: $ID opens while the server is up" ui_wait "$ID" 15
    check "$size: its body is shown" ui_wait " per policy [1]." 15
    serve_stop
    check "$size: the draft was on screen a second" a_second_on_screen
    ui_keys a
    check "$size: the decision goes to the outbox" ui_wait "unsent 1" 20
    check "$size: back on the stale list" ui_wait "(stale)" 20
    ROW=$(ui_screen | grep -F "$ID")
    check_contains "$size: $ID is marked on the stale list" \
        "(decided: in the outbox)" "$ROW"
    OTHER=$(ui_screen | grep -F "D-000" | grep -vF "$ID" | head -1)
    check_not_contains "$size: the other rows are not" "in the outbox" "$OTHER"
    # Select it (the top row) and press Enter: nothing opens.
    ui_keys g Enter
    check "$size: Enter on it says it is decided" \
        ui_wait "cannot open $ID: decided; the decision waits in the outbox" 20
    check_eq "$size: still one decision waiting" "1" \
        "$(ui_screen | grep -o 'unsent [0-9]*' | head -1 | grep -o '[0-9]*')"
    serve_start || { notok "$size: serve restarts"; exit 1; }
    check "$size: server back: the list reloads" \
        ui_wait "the queue answers again" 30
    check "$size: the decision was sent" ui_wait "unsent 0" 10
    # Sent before the list is asked again: the list that comes back with
    # the message never holds it (it did, claimed, when the list came first).
    check "$size: the list it comes back with is without $ID" no_row "$ID"
    check_eq "$size: one decision recorded on $ID" "1" \
        "$(sql "$Q" "SELECT count(*) FROM decisions WHERE draft = '$ID'")"
    ui_keys q
    check "$size: clean exit" ui_wait "__EXITED__ rc=0" 10
    tm kill-server 2>/dev/null
    serve_stop
done
