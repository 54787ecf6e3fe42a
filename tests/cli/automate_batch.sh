#!/bin/bash
# One enqueue batch with automatic, sampled, always-review and below-band
# drafts (issue 15): the automatic approvals go into the chain at the
# batch's end, many records to a statement (more than one statement's 32
# here, and a remainder), and the chain verifies; with the clock pinned,
# the same policy, seed, hook and file give the same chain, record for
# record and hash for hash, on this test's store and on a queue file (on
# PostgreSQL: both stores); every automatic approval has its outcome, its
# webhook delivery and its count.
. "$(dirname "$0")/../lib.sh"

test_queue q || exit 0
export SIGNOFF_QUEUE=$Q SIGNOFF_REVIEWER=olga SIGNOFF_NOW_MS=1796000000000
REF=$T/ref.db
printf 'whsec_%s\n' "$(printf 'k%.0s' $(seq 32) | base64 -w0)" >"$T/secret"
setup() { # QUEUE: the same workflow, policy, seed and hook
    run "$SO" init --queue "$1"
    run "$SO" workflow set refunds --queue "$1" --owner olga
    run "$SO" workflow set refunds --queue "$1" --automate-from 0.5 --sample 10% \
        --force --reason "batch test" --always-review 'risk: high'
    check_eq "policy set on $2" 0 "$RC"
    run "$SO" hook add --queue "$1" --workflow refunds --url "https://hooks.example/in" \
        --secret-file "$T/secret" --events all
    check_eq "hook added on $2" 0 "$RC"
}
setup "$Q" "the store under test"
setup "$REF" "the queue file"
qsql "UPDATE workflows SET sample_seed = 'batch-seed'"
sql "$REF" "UPDATE workflows SET sample_seed = 'batch-seed'"

# 120 drafts in one batch: 80 at 0.5 or more (4 of them risk: high), 40
# below the band.
python3 - "$T/batch.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(120):
        d = {"id": "r%03d" % i, "workflow": "refunds", "body": "refund %d [1]" % i,
             "confidence": 0.5 + (i % 50) / 100 if i < 80 else 0.1 + (i % 30) / 100,
             "citations": [{"n": 1, "title": "Policy", "excerpt": "within 30 days",
                            "quote": "30 days"}]}
        if i in (3, 17, 41, 66):
            d["metadata"] = {"risk": "high"}
        f.write(json.dumps(d) + "\n")
PY
so enqueue "$T/batch.jsonl"
check_eq "the batch enqueued" 0 "$RC"
run "$SO" enqueue --queue "$REF" "$T/batch.jsonl"
check_eq "the batch enqueued into the queue file" 0 "$RC"

want=$(python3 -c '
import hashlib
ids = ["r%03d" % i for i in range(80) if i not in (3, 17, 41, 66)]
print(sum(1 for i in ids if int(hashlib.sha256(("batch-seed\n" + i).encode()).hexdigest()[:16], 16) % 10000 < 1000))')
auto=$((76 - want))
check_eq "the routes: automatic, sampled (the seed's), always-review and below the band" \
    "0:44 1:$auto 2:$want" \
    "$(qsql "SELECT route || ':' || count(*) FROM drafts GROUP BY route ORDER BY route" | paste -sd' ')"
check "more automatic approvals than one statement's 32, and a remainder" \
    test "$auto" -gt 32 -a $((auto % 32)) -ne 0
check_eq "each automatic approval decided, by auto, with its outcome" "$auto $auto $auto" \
    "$(qsql "SELECT (SELECT count(*) FROM drafts WHERE route = 1 AND status = 'decided' AND final_action = 'approve'),
        (SELECT count(*) FROM decisions WHERE reviewer = 'auto' AND action = 'approve'),
        (SELECT count(*) FROM outcomes o JOIN drafts d ON d.id = o.draft WHERE d.route = 1)" | tr '|' ' ')"
check_eq "the records in the drafts' order, after the setup's" \
    "$(qsql "SELECT id FROM drafts WHERE route = 1 ORDER BY id" | paste -sd,)" \
    "$(qsql "SELECT draft FROM decisions WHERE reviewer = 'auto' ORDER BY seq" | paste -sd,)"
check_eq "one webhook delivery per automatic approval, in seq order" \
    "$(qsql "SELECT seq FROM decisions WHERE reviewer = 'auto' ORDER BY seq" | paste -sd,)" \
    "$(qsql "SELECT seq FROM deliveries ORDER BY id" | paste -sd,)"
check_eq "the approvals counted for /metrics" "$auto" \
    "$(qsql "SELECT sum(n) FROM decision_counts WHERE workflow = 'refunds' AND action = 'approve'")"

so verify
check_eq "the chain verifies" 0 "$RC"
check_contains "every record checked" "audit chain ok" "$OUT"
run "$SO" verify --queue "$REF"
check_eq "the queue file's chain verifies" 0 "$RC"

chain="SELECT seq || ' ' || draft || ' ' || reviewer || ' ' || prev_hash || ' ' || hash FROM decisions ORDER BY seq"
check_eq "the same chain, hash for hash, on both stores" \
    "$(sql "$REF" "$chain" | sha256sum)" "$(qsql "$chain" | sha256sum)"
check_eq "the same chain head" "$(sql "$REF" "SELECT hash FROM decisions ORDER BY seq DESC LIMIT 1")" \
    "$(qsql "SELECT hash FROM decisions ORDER BY seq DESC LIMIT 1")"
# The export's records (its first line names the queue it came from).
run "$SO" export --queue "$REF" --format jsonl
ref_export=$(tail -n +2 <<<"$OUT")
so export --format jsonl
check_eq "the same exported records from both stores" "$(sha256sum <<<"$ref_export")" \
    "$(tail -n +2 <<<"$OUT" | sha256sum)"
