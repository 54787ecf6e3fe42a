# The reviewer UI on a remote queue, unchanged: it decides through the
# server; when the server stops mid-review the decision on the draft in
# hand goes to the outbox and the status bar counts it as unsent; after a
# restart `signoff sync` delivers it, once.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
export SIGNOFF_HTTP_TIMEOUT=5
serve_setup 3
# The tests wait for the draft on screen before the key (as tests/e2e do).
sql "$Q" "UPDATE workflows SET min_seen_ms = 0"
serve_start || { notok "serve starts"; exit 1; }
export SIGNOFF_TOKEN_FILE="$T/token.alice"
# The local name (SIGNOFF_REVIEWER, else the login) is not who the server
# records: the status bar shows the token's reviewer.
ui_start 100 30 SIGNOFF_REVIEWER=mallory "$SO" review --queue "$URL"
check "UI lists the remote queue" ui_wait "D-0002" 15
ui_keys Enter
check "UI opens the first draft" ui_wait "Answer 0 per policy" 10
check_contains "status bar: who the server says I am" "@alice" "$(ui_screen)"
check_not_contains "status bar: not the local name" "@mallory" "$(ui_screen)"
ui_keys a
check "approve moves on to the next draft" ui_wait "Answer 1 per policy" 10
check_eq "the approval is recorded by the server as alice" "alice|approve" \
    "$(sql "$Q" "select reviewer||'|'||action from decisions where draft='D-0000'")"

serve_stop
ui_keys a
check "server away: the UI says unsent 1" ui_wait "unsent 1" 20
ui_keys L
check "server away: the message says where the decision is" \
    ui_wait "approve D-0001: kept in the outbox, sent when the server answers" 10
ui_keys q
check_eq "server away: nothing recorded yet" 0 \
    "$(sql "$Q" "select count(*) from decisions where draft='D-0001'")"
check_eq "server away: the decision waits in the outbox" 1 \
    "$(sql "$XDG_STATE_HOME/signoff/outbox.db" "select count(*) from outbox where draft_id='D-0001'")"
serve_start || { notok "serve restarts"; exit 1; }
check "server back: the UI drains its outbox in the background" ui_wait "unsent 0" 45
check_eq "the decision landed once" 1 "$(sql "$Q" "select count(*) from decisions where draft='D-0001'")"
ui_keys q q q
so sync --queue "$URL"
check_eq "a second sync sends nothing" "sent 0 decisions, 0 waiting" "$OUT"
check_eq "still once" 1 "$(sql "$Q" "select count(*) from decisions where draft='D-0001'")"
serve_stop
