#!/bin/bash
# The reviewer UI on a remote queue while the server is down (issue 19 item
# 8): the queue screen shows the truth (unreachable since HH:MM, the last
# list kept and marked stale, never "the queue is empty"; the status bar
# says "unreachable since HH:MM" on every screen, not "pending ?"), R
# retries at once, the list comes back by itself when the server does, and
# the status bar names the token's reviewer, not the local login. A
# decision made while down goes to the outbox at once (the UI never sleeps
# on retries) and the stale line counts it; the monitor says the server is
# unreachable and that its figures are stale. A reject while down has its
# reasons menu (read when the draft opened) and goes to the outbox too.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
export SIGNOFF_HTTP_TIMEOUT=5
serve_setup 3
# A decision key acts as soon as the draft is drawn: the checks wait for it,
# and a stop of the server can take under the default second.
sql "$Q" "UPDATE workflows SET min_seen_ms = 0"
serve_start || { notok "serve starts"; exit 1; }
export SIGNOFF_TOKEN_FILE="$T/token.alice"
SIGNOFF_REVIEWER=localbob ui_start 100 30 "$SO" review --queue "$URL"
check "UI lists the remote queue" ui_wait "D-0002" 15
check "the status bar names the token's reviewer" ui_wait "@alice"
check_not_contains "not the local name" "@localbob" "$(ui_screen)"
ui_keys Enter
check "a draft opens while the server is up" ui_wait " per policy [1]." 15
ui_keys m
check "the monitor opens while the server is up" ui_wait "WORKFLOW" 15
serve_stop
check "monitor, server down: says so" ui_wait "figures are from " 40
check "with since when, figures marked stale" \
    grep -q "queue unreachable since [0-9:]* UTC: figures are from [0-9:]* (stale)" <<<"$(ui_screen)"
ui_keys q
check "the draft is back on screen" ui_wait " per policy [1]." 20
# The status bar says it too, on every screen: not "pending ?".
check "the status bar: unreachable since when" ui_wait "  unreachable since " 20
check "in place of the counts it cannot ask" \
    grep -qE '  unreachable since [0-9]{2}:[0-9]{2}  unsent 0' <<<"$(ui_screen)"
check_not_contains "no 'pending ?'" "pending ?" "$(ui_screen)"
t0=$(date +%s%N)
ui_keys a
check "a decision while down goes to the outbox" ui_wait "unsent 1" 20
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
# At once: one attempt, no retry sleeps in the input loop (it took ~8 s
# when each call retried a refused connection with backoff; 2.6 s at the
# least).
if [ "$ms" -lt 2000 ]; then ok "the decision is in the outbox at once ($ms ms): the UI never waits on retries"
else notok "the decision is in the outbox at once: it took $ms ms (want under 2000)"; fi
check "the draft decided, the UI is back on the queue" \
    ui_wait "signoff: queue" 20
ui_keys R
check "server down: says so, with the time" ui_wait "queue unreachable since " 20
# 100 columns hold no more than the short words (the long line is 107).
check "the stale line counts the decision waiting" \
    ui_wait "UTC: 1 waiting; list from" 20
S=$(ui_screen)
check_contains "the last list stays, marked stale" "(stale)" "$S"
check_contains "its rows are still shown" "D-0002" "$S"
check_not_contains "never 'the queue is empty'" "The queue is empty" "$S"
# At 80 columns the stale line says the same in short words, whole: the
# "(stale)" mark and the key are not what is cut off.
ui_resize 80 24
check "80 columns: the stale line in short words" \
    ui_wait "queue unreachable since " 20
LINE=$(ui_screen | grep "queue unreachable since")
check_contains "80 columns: the stale line keeps its mark and key" \
    "(stale); R: retry" "$LINE"
check "80 columns: the stale line fits, not cut (${#LINE} characters)" \
    test "${#LINE}" -le 80 -a "${LINE%…*}" = "$LINE"
ui_resize 100 30
serve_start || { notok "serve restarts"; exit 1; }
check "server back: the waiting decision is sent" \
    ui_wait "sent 1 waiting decision" 30
check "the list reloads by itself: the stale mark is gone" \
    ui_wait_gone "(stale)" 10
check "the status bar has its counts again" ui_wait_gone "unreachable since" 10
# A reject while down: its menu is the workflow's reasons as read when the
# draft opened, and the decision goes to the outbox like an approval.
check "the decided draft has left the list" ui_wait_gone "D-0000" 10
# (no minimum time on screen: the reject below comes as soon as it may)
SIGNOFF_REVIEWER=sue SIGNOFF_ROLE=supervisor run "$SO" workflow set support \
    --min-seen 0 --queue "$Q"
check_eq "support: no minimum time on screen" 0 "$RC"
ui_keys Enter
check "another draft opens while the server is up" ui_wait " per policy [1]." 15
serve_stop
ui_keys r
check "reject, server down: the reasons menu still opens" ui_wait "Reject: why?" 15
ui_keys Enter
check "... then the note" ui_wait "Note (optional" 10
ui_keys Enter
check "the reject goes to the outbox" ui_wait "unsent 1" 20
serve_start || { notok "serve restarts"; exit 1; }
check "server back: the reject is sent" ui_wait "sent 1 waiting decision" 30
check_eq "the reject is recorded, with its reason" "1" \
    "$(sql "$Q" "SELECT count(*) FROM decisions WHERE action = 'reject' AND reason IS NOT NULL")"
# Leaving the UI with a decision still in the outbox says so on the
# terminal: it is not recorded until it reaches the server.
check "the rejected draft has left the list" ui_wait_gone "unsent 1" 10
ui_keys Enter
check "the last draft opens while the server is up" ui_wait " per policy [1]." 15
serve_stop
ui_keys a
check "its approval goes to the outbox" ui_wait "unsent 1" 20
check "back on the queue" ui_wait "signoff: queue" 20
ui_keys q
check_eq "clean exit" "__EXITED__ rc=0" "$(ui_wait "__EXITED__" 10 && ui_screen | grep -o '__EXITED__ rc=[0-9]*')"
check_contains "on leaving: the decision in the outbox is named, and what sends it" \
    "signoff: review: 1 decision still in the outbox, not yet recorded (the server did not answer); signoff sync sends it" \
    "$(ui_screen | tr -d '\n')"
