#!/bin/bash
# The monitor shows, per workflow, what went wrong on the way back to the
# producer (issue 18): outcomes released with no action record past the
# workflow's bound (the unapplied backlog, once the producer records
# actions) and webhooks disabled by their failures, on one "Producers:"
# line under the workflow table; nothing when all is well. 80x24, 200x50.
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
ui_stop

so applied s-1 --ref ticket-1
so workflow set support --applied-within 1ms
printf 'whsec_%s\n' "$(head -c 32 /dev/urandom | base64)" >"$T/secret"
chmod 600 "$T/secret"
so hook add --workflow support --url "http://127.0.0.1:$(free_port)/x" \
    --secret-file "$T/secret" --allow-private --max-failures 1
run "$SO" decide s-3 approve
so deliver --once
check_eq "the hook is disabled by its failure" 0 \
    "$(sql "$Q" "SELECT enabled FROM hooks")"
for size in 80x24 200x50; do
    review "$size" --monitor
    check "$size: the monitor opens" ui_wait "LAST 30 DAYS"
    check "$size: the producers line" \
        ui_wait "Producers: support: 2 unapplied, 1 webhook failing"
    ui_stop
done
