#!/bin/bash
# Service levels in the queue (issue 16 part 4): with workflow set --sla 1h,
# open drafts past it (here enqueued 2h ago) and nearing it (from 80%: 50m
# ago) are sorted first, most overdue first, before a fresher draft of
# higher priority; a draft past it shows "!" after its age in the alert
# colour, one nearing it its age in the warning colour; a workflow without
# an SLA keeps the usual order (priority, then the oldest). Enter opens the
# most overdue draft, and each decision the next in that order.
. "$(dirname "$0")/ui.inc"
for size in $SIZES; do
    newq "sla-$size"
    {
        jd S-1 "Fresh and urgent" "Fresh draft." 3
        jd S-2 "Two hours old" "Past the SLA." 2
        jd S-3 "Fifty minutes old" "Nearing the SLA." 1
        jd S-4 "Old but no SLA" "Other workflow." 0 "[]" other
    } | enq
    run "$SO" workflow set support --sla 1h --queue "$Q"
    check_eq "$size: workflow set --sla 1h" 0 "$RC"
    sql "$Q" "UPDATE drafts SET created_at = created_at - 7200000 WHERE id = 'S-2'"
    sql "$Q" "UPDATE drafts SET created_at = created_at - 3000000 WHERE id = 'S-3'"
    sql "$Q" "UPDATE drafts SET created_at = created_at - 10800000 WHERE id = 'S-4'"
    review "$size"
    check "$size: the queue is drawn" ui_wait "Old but no SLA"
    order=$(ui_screen | grep -oE 'S-[1-4]' | tr '\n' ' ')
    check_eq "$size: past, nearing, then priority order" "S-2 S-3 S-1 S-4 " "$order"
    check "$size: past the SLA: ! after the age" grep -qE 'S-2 .* 2h! ' <<<"$(ui_screen)"
    check_not_contains "$size: nearing: no !" "50m!" "$(ui_screen)"
    check_not_contains "$size: no SLA: no !" "3h!" "$(ui_screen)"
    # the cursor sits on S-2: its age is drawn in the cursor's colours; the
    # nearing S-3 below gets the warning role (an SGR right before its age)
    check "$size: nearing: the age in its own colour" \
        grep -qP 'S-3.*\e\[[0-9;]*m50m\e\[' <<<"$(tm capture-pane -p -e -t ui)"
    check_not_contains "$size: no SGR around a plain age" $'\e[1m3h' "$(tm capture-pane -p -e -t ui)"
    ui_keys Enter
    check "$size: Enter opens the most overdue" ui_wait "Past the SLA."
    check_eq "$size: S-2 claimed" "claimed" "$(status S-2)"
    # The next drafts come in the screen's order: the nearing S-3 before
    # the fresher S-1 of higher priority, then the claim order.
    ui_keys a
    check "$size: after a decision the next due draft: S-3" ui_wait "Nearing the SLA."
    ui_keys a
    check "$size: then the claim order: S-1" ui_wait "Fresh draft."
    ui_keys a
    check "$size: then S-4" ui_wait "Other workflow."
    ui_keys q q; exited >/dev/null; ui_stop
done
