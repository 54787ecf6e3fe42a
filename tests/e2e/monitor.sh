#!/bin/bash
# The monitor screen through tmux: per-workflow rate, threshold, owner,
# automation state, 30-day sparkline; the reviewer and band tables with the
# readiness line; pause/resume with a confirmation and a reason; 80x24 and
# 200x50. support drifts: 3 of 5 overridden today (60.0% > 20.0%); refunds
# is calm (0 of 5) and paused without an owner at first.
. "$(dirname "$0")/ui.inc"

test_queue q || exit 0
export SIGNOFF_QUEUE="$Q"
NOW=1795514400000 # 2026-11-24T10:00:00Z
export SIGNOFF_NOW_MS=$((NOW - 3600000))
so init
for w in support refunds; do
    for i in 1 2 3 4 5 6; do
        printf '{"id":"%s-%s","workflow":"%s","model":"m1","confidence":0.85,"body":"text %s"}\n' "$w" "$i" "$w" "$i"
    done
done >"$T/in.jsonl"
so enqueue "$T/in.jsonl"
check_eq "enqueue" 0 "$RC"
so workflow set support --threshold 0.2 --min-decisions 5 --owner dana
so workflow set refunds --threshold 0.2 --min-decisions 5
export SIGNOFF_NOW_MS=$NOW
for i in 1 2; do run "$SO" decide support-$i approve; done
for i in 3 4 5; do run "$SO" decide support-$i reject --reason factual; done
for i in 1 2 3 4 5; do run "$SO" decide refunds-$i approve; done
check_eq "decisions recorded" 0 "$RC"
SIGNOFF_ROLE=supervisor so workflow pause refunds --reason "new model rollout"
check_eq "refunds paused" 0 "$RC"

# Only a supervisor flips the switch; a reviewer is told so at once (the
# same local and remote), never walked through the question first. The
# walk below runs as a supervisor.
review 80x24 --monitor
ui_wait "LAST 30 DAYS"; ui_keys j; ui_wait "support, last 30 days"
ui_keys Enter
check "a reviewer's pause is refused before anything is asked" \
    ui_wait "only a supervisor may pause automation of support"
check_not_contains "no question was asked" "(y/n)" "$(ui_screen)"
so workflow show support
check_eq "support still runs" 0 "$RC"
ui_keys q q; exited >/dev/null; ui_stop
export SIGNOFF_ROLE=supervisor
review 80x24 --monitor
check "80x24: the monitor opens" ui_wait "LAST 30 DAYS"
S=$(ui_screen)
check_contains "80x24: support's rate over threshold" "60.0%" "$S"
check_contains "80x24: threshold" "20.0%" "$S"
check_contains "80x24: owner" "dana" "$S"
check_contains "80x24: refunds paused" "PAUSED" "$S"
check_contains "80x24: today's override rate as a sparkline" "▁" "$S"
check_contains "80x24: reviewer table" "REVIEWER" "$S"
check_contains "80x24: band table" "0.8-0.9" "$S"
check_contains "80x24: readiness line" "Ready to auto-approve" "$S"
check_contains "80x24: reviewer alice on refunds, 0 of 5, with its interval" "alice              5    0.0%       0ms 100.0%  [0.0%, 43.4%]" "$S"
wide() { ui_screen | python3 -c 'import sys; print("".join(l for l in sys.stdin if len(l.rstrip("\n")) > int(sys.argv[1])), end="")' "$1"; }
check_eq "80x24: nothing wider than the terminal" "" "$(wide 80)"
check_eq "80x24: the sparkline fills the last column" 80 "$(ui_screen | python3 -c 'import sys; print(max(len(l.rstrip()) for l in sys.stdin))')"

# refunds (first, by name) has no owner: resuming is refused on screen.
ui_keys Enter
check "resume without an owner is refused" ui_wait "has no owner"
# select support, pause it with a reason
ui_keys j
check "support selected" ui_wait "support, last 30 days"
ui_keys Enter
check "confirmation asked" ui_wait "Pause automation of support? (y/n)"
ui_keys y
check "reason asked" ui_wait "Reason for pausing:"
ui_keys "drifting" Enter
check "paused message" ui_wait "support: automation paused"
so workflow show support
check_eq "support is paused in the queue" 4 "$RC"
check_contains "with the reason typed" "reason:       drifting" "$OUT"
check_contains "by the reviewer" "by:           alice" "$OUT"

# Only the owner resumes: alice, a supervisor but not support's owner, is
# told so before anything is asked. dana, the owner, resumes it.
ui_keys Enter
check "a supervisor who is not the owner may not resume" \
    ui_wait "only its owner dana may resume automation of support, not alice"
check_not_contains "no question was asked of alice" "(y/n)" "$(ui_screen)"
ui_keys q q; exited >/dev/null; ui_stop
export SIGNOFF_REVIEWER=dana
review 80x24 --monitor
ui_wait "LAST 30 DAYS"; ui_keys j
check "dana: support selected" ui_wait "support, last 30 days"
# resume it again, cancelling once first
ui_keys Enter
check "resume confirmation" ui_wait "Resume automation of support? (y/n)"
ui_keys n
ui_keys Enter
ui_wait "Resume automation of support? (y/n)" >/dev/null
ui_keys y
check "a reason asked for resuming too" ui_wait "Reason for resuming:"
ui_keys Enter
check "resuming without a reason is refused" \
    ui_wait "not resumed: resume automation of support: a reason is required"
so workflow show support
check_eq "support still paused" 4 "$RC"
ui_keys Enter; ui_wait "Resume automation of support? (y/n)" >/dev/null
ui_keys y; ui_wait "Reason for resuming:" >/dev/null
ui_keys "fixed" Enter
check "resumed message" ui_wait "support: automation resumed"
so workflow show support
check_eq "support runs again" 0 "$RC"

ui_resize 200 50
ui_keys C-l
check "200x50: redrawn" ui_wait "LAST 30 DAYS"
check "200x50: interval column" ui_wait "95% CI"
side_by_side() { ui_screen | grep -q "REVIEWER.*BAND"; }
check "200x50: reviewer and band tables side by side" wait_for 10 side_by_side
S=$(ui_screen)
check_contains "200x50: Wilson interval of support" "[23.1%, 88.2%]" "$S"
check_contains "200x50: the daily chart with the threshold" "DAILY OVERRIDE RATE (-- threshold 20.0%)" "$S"
check_contains "200x50: the model table" "m1" "$S"
check_contains "200x50: reject reasons of support" "Reject reasons: factual 100.0% (3)" "$S"
printf '%s\n' "$S" >"$T/wide.txt"
ui_keys q
check "q leaves the monitor" ui_wait_gone "LAST 30 DAYS"
ui_stop
