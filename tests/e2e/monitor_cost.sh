#!/bin/bash
# The monitor shows cost and time per task (issue 16 part 4), at 80x24 (the
# first lines of the details, which scroll) and 200x50 (under the
# workflows). Hand counts, the clock pinned at T0 + 12h: workflow support at
# 60 USD an hour with an SLA of 1h; C-1 (m1, 0.25 USD) approved at T0+20m
# after 30 seconds of review (0.50 USD) and acted on at T0+11h, C-2 (m2,
# 0.75 USD) rejected at T0+2h without review time (late), C-3 open since T0
# (past the SLA). Per task: AI (0.25 + 0.75) / 2 = 0.5000, human 0.50 / 2 =
# 0.2500, total 0.7500 USD; 1 open past the SLA, 2 of 3 late = 66.7%, over
# the default alert (10%). Models: m1 0.7500 per task, m2 0.7500. The cost
# line with the time to action takes 81 columns with its indent: at 80 it
# keeps the medians, whole.
. "$(dirname "$0")/ui.inc"
T0=1795514400000
M=60000
newq monitor-cost
export SIGNOFF_NOW_MS=$T0
{
    printf '{"id":"C-1","workflow":"support","model":"m1","priority":2,"title":"Refund","body":"Yes.","cost":{"amount":0.25,"currency":"USD"}}\n'
    printf '{"id":"C-2","workflow":"support","model":"m2","priority":1,"title":"Shipping","body":"No.","cost":{"amount":0.75,"currency":"USD"}}\n'
    printf '{"id":"C-3","workflow":"support","model":"m2","title":"Warranty","body":"Maybe."}\n'
} | enq
run "$SO" workflow set support --hourly-rate 60 --sla 1h --owner dana --queue "$Q"
check_eq "workflow set --hourly-rate --sla" 0 "$RC"
SIGNOFF_NOW_MS=$((T0 + 10 * M)) run "$SO" claim --format id --queue "$Q"
check_eq "claim C-1" "C-1" "$OUT"
SIGNOFF_NOW_MS=$((T0 + 20 * M)) run "$SO" decide C-1 approve --active-ms 30000 --queue "$Q"
check_eq "approve C-1" 0 "$RC"
SIGNOFF_NOW_MS=$((T0 + 120 * M)) run "$SO" decide C-2 reject --reason factual --queue "$Q"
check_eq "reject C-2" 0 "$RC"
SIGNOFF_NOW_MS=$((T0 + 660 * M)) run "$SO" applied C-1 --ref T-1 --queue "$Q"
check_eq "C-1 acted on" 0 "$RC"
export SIGNOFF_NOW_MS=$((T0 + 720 * M))
COST="Task 0.7500 USD (AI 0.5000, human 0.2500)  "
SLA="SLA 1.0h: 1 open past it, 66.7% late (over the alert)"
for size in $SIZES; do
    review "$size" --monitor
    check "$size: the monitor opens" ui_wait "LAST 30 DAYS"
    check "$size: cost per task" ui_wait "$COST"
    S=$(ui_screen)
    check_contains "$size: the oldest open draft and the SLA" "Oldest open 12.0h  $SLA" "$S"
    LINE=$(grep -o "Task .*" <<<"$S")
    if [ "${size%x*}" -ge 100 ]; then
        check "$size: medians and the 95th percentile" \
            grep -qE 'decide p50 [0-9.]+[mh] p95 [0-9.]+h, act [0-9.]+h$' <<<"$LINE"
    else
        check "$size: the medians, whole" \
            grep -qE 'p50 decide [0-9.]+[mh], act [0-9.]+h$' <<<"$LINE"
    fi
    check "$size: m1 beside its cost" grep -qE '^ *m1 +1 +0\.0%\* +0\.7500 ' <<<"$S"
    check "$size: m2 beside its cost" grep -qE '^ *m2 +1 +100\.0%\* +0\.7500 ' <<<"$S"
    check "$size: the SLA line in the alert colour" \
        grep -qP '\e\[[0-9;]*mOldest open 12\.0h  SLA' <<<"$(tm capture-pane -p -e -t ui)"
    ui_keys q q; exited >/dev/null; ui_stop
done
