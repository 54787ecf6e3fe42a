#!/bin/bash
# The monitor shows, per workflow, what went wrong on the way back to the
# producer (issue 18): outcomes released with no action record past the
# workflow's bound (the unapplied backlog, once the producer records
# actions) and webhooks disabled by their failures, on one "Producers:"
# line under the workflow table; nothing when all is well. 80x24, 200x50.
# A workflow over its threshold in its own alert window (what stats
# --check names) is said on an "Over threshold:" line even when its
# 30-day rate in the table is under it; one past its SLA on "Past SLA:".
. "$(dirname "$0")/ui.inc"

test_queue q || exit 0
export SIGNOFF_QUEUE="$Q"
so init
for i in 1 2 3; do
    printf '{"id":"s-%s","workflow":"support","body":"text %s"}\n' "$i" "$i"
done >"$T/in.jsonl"
so enqueue "$T/in.jsonl"
for i in 1 2; do run "$SO" decide "s-$i" approve; done
review 80x24 --monitor
check "80x24: the monitor opens" ui_wait "LAST 30 DAYS"
check_not_contains "all well: no Producers line" "Producers:" "$(ui_screen)"
check_not_contains "all well: no Over threshold line" "Over threshold" "$(ui_screen)"
check "80x24: the last line's legend whole, not cut" \
    ui_wait "All figures: last 30 days.  * not yet meaningful.  Enter: pause/resume"
ui_stop

# refunds: 12 approvals 20 days ago, 3 rejects today. The 30 days read
# 20.0% (not over 20.0%); its 7-day window reads 100.0%, as stats --check.
now=$(date +%s)000
for i in $(seq 1 15); do
    printf '{"id":"r-%s","workflow":"refunds","body":"refund %s"}\n' "$i" "$i"
done >"$T/refunds.jsonl"
SIGNOFF_NOW_MS=$((now - 20 * 86400000)) so enqueue "$T/refunds.jsonl"
for i in $(seq 1 12); do
    SIGNOFF_NOW_MS=$((now - 20 * 86400000)) run "$SO" decide "r-$i" approve
done
for i in 13 14 15; do run "$SO" decide "r-$i" reject --reason factual; done
so workflow set refunds --threshold 0.2 --min-decisions 3 --window 7d
# an SLA of 1h: r-16 is open past it (the decisions before it had none)
printf '{"id":"r-16","workflow":"refunds","body":"refund 16"}\n' |
    SIGNOFF_NOW_MS=$((now - 20 * 86400000)) so enqueue -
so workflow set refunds --sla 1h
so stats --check
check_contains "stats --check names refunds" "refunds: override rate 100.0% > threshold 20.0%" "$OUT"
check_contains "stats --check names refunds past its SLA" "refunds: 100.0% of tasks past the SLA > 10.0% (1 of 1" "$OUT"
since=$(date -u -d '6 days ago' +%m-%d)
for size in 80x24 200x50; do
    review "$size" --monitor
    check "$size: drift: the monitor opens" ui_wait "LAST 30 DAYS"
    check_contains "$size: the table's 30 days are under the threshold" \
        "> refunds 20.0% " "$(ui_screen | grep '> refunds' | tr -s ' ')"
    check "$size: the workflow over its own window is named" \
        ui_wait "Over threshold: refunds 100.0% > 20.0% (3 of 3 since $since)"
    check_contains "$size: and past its SLA, as stats --check names it" \
        "Past SLA: refunds 100.0% > 10.0% (1 of 1 since $since)" "$(ui_screen)"
    check "$size: the legend says that line has its own window" \
        ui_wait "own window.  * "
    ui_stop
done

so applied s-1 --ref ticket-1
so workflow set support --applied-within 1ms
printf 'whsec_%s\n' "$(head -c 32 /dev/urandom | base64)" >"$T/secret"
chmod 600 "$T/secret"
so hook add --workflow support --url "http://127.0.0.1:$(free_port)/x" \
    --secret-file "$T/secret" --allow-private --max-failures 1
run "$SO" decide s-3 approve
so deliver --once
# Through a server its own deliverer may take the delivery first: wait
# for whichever attempt fails to disable the hook.
hook_disabled() { [ "$(sql "$Q" "SELECT enabled FROM hooks")" = 0 ]; }
check "the hook is disabled by its failure" wait_for 20 hook_disabled
for size in 80x24 200x50; do
    review "$size" --monitor
    check "$size: the monitor opens" ui_wait "LAST 30 DAYS"
    check "$size: the producers line" \
        ui_wait "Producers: support: 1 unapplied, 1 webhook failing"
    ui_stop
done
