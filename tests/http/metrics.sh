#!/bin/bash
# /metrics: promtool check metrics finds nothing (also with workflow names
# stored before names were checked, written here straight into the file);
# counters never go down: a reject then its undo leaves
# signoff_decisions_total where it was and counts the undo in
# signoff_undos_total, while the current outcome (signoff_decided_drafts)
# goes back, and with it the task's reviewing cost (signoff_cost_per_task);
# no NaN or -1 for a workflow with nothing decided.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/serve.inc"
serve_setup 3
# a workflow name with a terminal escape, a quote, a backslash and a line
# feed, as an older version could have stored it
ch() { if [ "$(test_backend)" = pg ]; then echo "chr($1)"; else echo "char($1)"; fi; }
sql "$Q" "INSERT INTO workflows(name, created_at) VALUES ('evil' || $(ch 27) || ']0;x' || $(ch 7) || '\"\\' || $(ch 10) || 'end', 0)"
serve_start || exit 1

scrape() { # NAME: GET /metrics into $BODY, and promtool's verdict on it
    api GET /metrics "$TOK_ALICE"
    check_eq "$1: 200" 200 "$CODE"
    printf '%s\n' "$BODY" >"$T/metrics.txt"
    local out
    out=$(promtool check metrics <"$T/metrics.txt" 2>&1)
    check_eq "$1: promtool check metrics: no findings" "0 " "$? $out"
}
value() { # METRIC{LABELS}: its value in $BODY
    printf '%s\n' "$BODY" | awk -v k="$1" '$1 == k {print $2}'
}
secs() { # REQUEST_ID: the active time its decision recorded (the server
    # bounds what a client says), in seconds as /metrics writes them
    awk '{print $1 / 1000}' <<<"$(qsql "SELECT active_ms FROM decisions WHERE request_id = '$1'")"
}
scrape "before any decision"
check_eq "no override ratio while nothing is decided (no NaN, no -1)" "" \
    "$(printf '%s\n' "$BODY" | grep -E '^signoff_override_ratio\{workflow="support"\}|NaN| -1$')"
check_eq "no ESC or BEL in /metrics" 0 "$(tr -cd '\033\007' <"$T/metrics.txt" | wc -c)"
check_contains "hostile workflow name escaped by the exposition format" \
    'workflow="evil<U+001B>]0;x<U+0007>\"\\\nend"' "$BODY"
check_eq "no SLA, no SLA series (no sentinel 0)" "" \
    "$(printf '%s\n' "$BODY" | grep '^signoff_sla_[a-z_]*{workflow="support"}')"

R='signoff_decisions_total{workflow="support",action="reject"}'
H='signoff_cost_per_task{workflow="support",kind="human",currency="USD"}'
run "$SO" workflow set support --hourly-rate 3600 --owner dana --sla 4h --queue "$Q"
check_eq "workflow set --hourly-rate 3600 (1 USD a second) --sla 4h" 0 "$RC"
U='signoff_undos_total{workflow="support"}'
G='signoff_decided_drafts{workflow="support",action="reject"}'
api POST /v1/claim "$TOK_ALICE" '{"draft_id":"D-0000"}'
api POST /v1/drafts/D-0000/decision "$TOK_ALICE" '{"request_id":"m-1","action":"reject","reason":"factual","active_ms":2000}'
check_eq "reject: 201" 201 "$CODE"
scrape "after a reject"
check_eq "after a reject: counter 1, undos 0, outcome 1" "1 0 1" \
    "$(value "$R") $(value "$U") $(value "$G")"
check_eq "after a reject: its review time at 1 USD a second per task" \
    "$(secs m-1)" "$(value "$H")"
api POST /v1/undo "$TOK_ALICE" '{"request_id":"m-2"}'
check_eq "undo: 200" 200 "$CODE"
scrape "after its undo"
check_eq "after the undo: counter still 1, undos 1, outcome 0" "1 1 0" \
    "$(value "$R") $(value "$U") $(value "$G")"
check_eq "after the undo: no task, no cost per task" "" "$(value "$H")"
api POST /v1/drafts/D-0000/decision "$TOK_ALICE" '{"request_id":"m-3","action":"reject","reason":"factual","active_ms":4000}'
scrape "after a second reject"
check_eq "after a second reject: counter 2, undos 1, outcome 1" "2 1 1" \
    "$(value "$R") $(value "$U") $(value "$G")"
check_eq "after a second reject: only its own review time counts (the undone one is taken back)" \
    "$(secs m-3)" "$(value "$H")"
check_contains "counters typed counter" "# TYPE signoff_undos_total counter" "$BODY"
check_eq "with an SLA: the SLA, its alert share, the open drafts past it" \
    "14400 0.1 0" "$(value 'signoff_sla_seconds{workflow="support"}') $(value 'signoff_sla_alert_ratio{workflow="support"}') $(value 'signoff_sla_open_past_drafts{workflow="support"}')"
# docs/protocol.md names every family /metrics has (its table of families)
check_eq "docs/protocol.md names every /metrics family" "" \
    "$(for f in $(printf '%s\n' "$BODY" | awk '$1 == "#" && $2 == "TYPE" {print $3}'); do
        grep -q -- "\`$f\`" "$TOP/docs/protocol.md" || printf '%s ' "$f"; done)"
check_contains "threshold per workflow" \
    'signoff_override_threshold_ratio{workflow="support"} 0.2' "$BODY"
serve_stop
