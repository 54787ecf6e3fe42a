#!/bin/bash
# The reviewer UI on a remote queue while the server is down (issue 19 item
# 8): the queue screen shows the truth (unreachable since HH:MM, the last
# list kept and marked stale, never "the queue is empty"), R retries at
# once, the list comes back by itself when the server does, and the status
# bar names the token's reviewer, not the local login.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
export SIGNOFF_HTTP_TIMEOUT=5
serve_setup 3
serve_start || { notok "serve starts"; exit 1; }
export SIGNOFF_TOKEN_FILE="$T/token.alice"
SIGNOFF_REVIEWER=localbob ui_start 100 30 "$SO" review --queue "$URL"
check "UI lists the remote queue" ui_wait "D-0002" 15
check "the status bar names the token's reviewer" ui_wait "@alice"
check_not_contains "not the local name" "@localbob" "$(ui_screen)"
serve_stop
ui_keys R
check "server down: says so, with the time" ui_wait "queue unreachable since " 20
S=$(ui_screen)
check_contains "the last list stays, marked stale" "(stale)" "$S"
check_contains "its rows are still shown" "D-0002" "$S"
check_not_contains "never 'the queue is empty'" "The queue is empty" "$S"
serve_start || { notok "serve restarts"; exit 1; }
check "server back: the list reloads by itself" \
    ui_wait "the queue answers again: list reloaded" 30
check "the stale mark is gone" ui_wait_gone "(stale)" 10
ui_keys q
check_eq "clean exit" "__EXITED__ rc=0" "$(ui_wait "__EXITED__" 10 && ui_screen | grep -o '__EXITED__ rc=[0-9]*')"
serve_stop
