#!/bin/bash
# The monitor's reject-reasons line holds whole entries only: at 80 columns
# the ones that do not fit are counted ("+2 more"), never one cut mid-word
# ("inco…"); at 200 columns all six show. Six rejects of workflow support,
# one per reason of the default set: each 16.7% (1).
. "$(dirname "$0")/ui.inc"
test_queue q || exit 0
export SIGNOFF_QUEUE="$Q" SIGNOFF_REVIEWER=alice
so init
i=0
for r in factual unsupported tone policy incomplete other; do
    i=$((i + 1))
    printf '{"id":"R-%d","workflow":"support","model":"m1","confidence":0.7,"body":"text %d"}\n' "$i" "$i"
done >"$T/in.jsonl"
so enqueue "$T/in.jsonl"
i=0
for r in factual unsupported tone policy incomplete other; do
    i=$((i + 1))
    run "$SO" decide "R-$i" reject --reason "$r"
done
check_eq "six rejects, one per reason" 0 "$RC"
for size in $SIZES; do
    review "$size" --monitor
    check "$size: the monitor opens" ui_wait "Reject reasons:"
    LINE=$(ui_screen | grep "^Reject reasons:")
    check "$size: the line fits (${#LINE} characters)" test "${#LINE}" -le "${size%x*}"
    check_not_contains "$size: no entry cut" "…" "$LINE"
    if [ "${size%x*}" -ge 120 ]; then
        check_eq "$size: all six" \
            "Reject reasons: factual 16.7% (1), incomplete 16.7% (1), other 16.7% (1), policy 16.7% (1), tone 16.7% (1), unsupported 16.7% (1)" \
            "$LINE"
    else
        check "$size: whole entries, the rest counted" \
            grep -qE '^Reject reasons: factual 16\.7% \(1\)(, [a-z]+ 16\.7% \(1\))*, \+[1-5] more$' <<<"$LINE"
    fi
    ui_stop
done
