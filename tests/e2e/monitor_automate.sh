#!/bin/bash
# The ratchet on one screen (issue 15): the monitor shows a workflow's
# phase in the table and, for the selected workflow with automation, its
# band, automatic approvals and their share, the human queue, the error
# measured on the sample with its Wilson interval, and the readiness
# figure for the band moved by 0.05 either way. Nothing of it on a
# workflow without automation; a sampled draft is never marked as such.
# 80x24 and 200x50, local and remote.
. "$(dirname "$0")/ui.inc"

test_queue q || exit 0
export SIGNOFF_QUEUE="$Q" SIGNOFF_REVIEWER=alice
so init
so workflow set faq --owner alice --threshold 0.2 --min-decisions 10 --min-seen 0
so workflow set other --owner alice
python3 - "$T" <<'PY'
import json, sys
with open(sys.argv[1] + "/h.jsonl", "w") as f:
    for i in range(30):
        f.write(json.dumps({"id": "h%02d" % i, "workflow": "faq", "body": "answer %d" % i, "confidence": 0.85 + (i % 10) / 100}) + "\n")
    f.write(json.dumps({"id": "o1", "workflow": "other", "body": "other", "confidence": 0.9}) + "\n")
with open(sys.argv[1] + "/n.jsonl", "w") as f:
    for i in range(40):
        f.write(json.dumps({"id": "n%02d" % i, "workflow": "faq", "title": "Question %d" % i, "body": "new answer %d" % i, "confidence": 0.9}) + "\n")
PY
so enqueue "$T/h.jsonl"
for i in $(seq -w 0 29); do run "$SO" decide "h$i" approve; done
so workflow set faq --automate-from 0.8 --sample 25%
check_eq "the policy is supported by 30 approvals" 0 "$RC"
sql "$Q" "UPDATE workflows SET sample_seed = 'monitor-seed'"
so enqueue "$T/n.jsonl"
nauto=$(sql "$Q" "SELECT count(*) FROM drafts WHERE route = 1")
nsamp=$(sql "$Q" "SELECT count(*) FROM drafts WHERE route = 2")
first=$(sql "$Q" "SELECT id FROM drafts WHERE route = 2 ORDER BY id LIMIT 1")
run "$SO" decide "$first" reject --reason factual
pending=$(sql "$Q" "SELECT count(*) FROM drafts WHERE workflow = 'faq' AND status <> 'decided'")
share=$(python3 -c "print('%.1f%%' % (100.0 * $nauto / ($nauto + 31)))")

for size in 80x24 200x50; do
    review "$size" --monitor
    check "$size: the monitor opens" ui_wait "LAST 30 DAYS"
    check "$size: faq in automate phase" ui_wait "> faq"
    check_contains "$size: the phase column" "autom" "$(ui_screen)"
    check "$size: the ratchet line" ui_wait \
        "faq: automate from 0.80, auto $nauto ($share), human queue $pending"
    check_contains "$size: the measured error with its interval" \
        "measured on 1 sampled: error 100.0% [20.7%, 100.0%]" "$(ui_screen)"
    check_contains "$size: the readiness for the band moved by 0.05" \
        "band 0.75: upper 16.2% of 31, ready; 0.85: upper 16.2% of 31, ready" "$(ui_screen)"
    ui_keys j
    check "$size: other selected" ui_wait "> other"
    check_not_contains "$size: no ratchet line for a workflow without automation" "measured on" "$(ui_screen)"
    ui_stop
done

# One readiness rule on one screen: with min-decisions 20 the 31 decisions
# at or above 0.8 support the band (15 in 0.8-0.9, 16 in 0.9-1.0: no band
# has 20 alone), and the band table's readiness line says so as the
# policy line does (it said "none yet" while the policy line said ready).
so workflow set faq --min-decisions 20
review 80x24 --monitor
check "min 20: the monitor opens" ui_wait "LAST 30 DAYS"
check "min 20: the policy line: ready with 31" ui_wait \
    "band 0.75: upper 16.2% of 31, ready; 0.85: upper 16.2% of 31, ready"
ui_keys G
check "min 20: the band table's readiness line agrees" ui_wait \
    "Ready to auto-approve from confidence 0.8 (upper 16.2% < 20.0%)"
ui_keys q; exited >/dev/null; ui_stop
so workflow set faq --min-decisions 10

# Blind: a reviewer's queue and draft screens say nothing of sampling.
second=$(sql "$Q" "SELECT id FROM drafts WHERE route = 2 AND status = 'pending' ORDER BY id LIMIT 1")
review 80x24 --workflow faq
check "the queue opens" ui_wait "faq"
check_not_contains "the queue screen: no word of sampling" "sampl" "$(ui_screen)"
check_not_contains "the queue screen: no word of automation" "auto" "$(ui_screen | grep -v '@alice')"
ui_keys q; exited >/dev/null; ui_stop

# Paused: the ratchet line says so and keeps the policy it would resume,
# never "augment from 0.80".
SIGNOFF_ROLE=supervisor so workflow pause faq --reason "checking the sample"
check_eq "pause faq" 0 "$RC"
review 80x24 --monitor
check "paused: the monitor opens" ui_wait "LAST 30 DAYS"
check "paused: the ratchet line says paused, with the policy" ui_wait \
    "faq: paused (automate from 0.80), auto $nauto ($share), human queue"
check_not_contains "paused: not 'augment from'" "augment from" "$(ui_screen)"
ui_stop
