# Admin records: every workflow create/set/pause/resume and token
# create/revoke/rotate is a record of the audit chain (kind admin), in the
# transaction of the change; `workflow log` reads a workflow's back; the
# feed shows them; verify names a changed one; they are nobody's decisions.
. "$(dirname "$0")/../lib.sh"
test_queue q || exit 0
export SIGNOFF_QUEUE=$Q
so init
so workflow set support --owner ana --threshold 20%
so workflow set support --threshold 30%
so workflow set support --threshold 30%
SIGNOFF_ROLE=supervisor SIGNOFF_REVIEWER=sue so workflow pause support --reason "wrong refund amounts"
SIGNOFF_ROLE=supervisor SIGNOFF_REVIEWER=ana so workflow resume support --reason "prompt fixed"
so token create --reviewer bob --role reviewer --workflow support --note "bob's laptop"
ID=$(qsql "SELECT id FROM tokens")
so token rotate "$ID" --overlap 0
so token revoke "$ID"
check_eq "one record per change, none for a set that changed nothing" \
    "1|workflow/support|alice|admin|admin|workflow.create
2|workflow/support|alice|admin|admin|workflow.set
3|workflow/support|sue|admin|admin|workflow.pause
4|workflow/support|ana|admin|admin|workflow.resume
5|token/$ID|alice|admin|admin|token.create
6|token/$ID|alice|admin|admin|token.rotate
7|token/$ID|alice|admin|admin|token.revoke" \
    "$(qsql "SELECT seq, draft, reviewer, action, kind, reason FROM decisions ORDER BY seq")"
check_eq "the detail says from what to what" \
    '{"changes":{"threshold":{"from":0.2,"to":0.3}}}' \
    "$(qsql "SELECT note FROM decisions WHERE seq = 2")"
check_eq "a token's record never holds its secret or hash" 0 \
    "$(qsql "SELECT count(*) FROM decisions d, tokens t WHERE d.note LIKE '%' || t.hash || '%' OR d.note LIKE '%' || t.prev_hash || '%'")"
so workflow log support
check_eq "workflow log: who, when, what, from what to what" \
    "1 alice workflow.create {\"changes\":{\"owner\":{\"from\":null,\"to\":\"ana\"},\"threshold\":{\"from\":0,\"to\":0.2}}}
2 alice workflow.set {\"changes\":{\"threshold\":{\"from\":0.2,\"to\":0.3}}}
3 sue workflow.pause {\"changes\":{\"automation\":{\"from\":\"on\",\"to\":\"paused\"}},\"reason\":\"wrong refund amounts\"}
4 ana workflow.resume {\"changes\":{\"automation\":{\"from\":\"paused\",\"to\":\"on\"}},\"reason\":\"prompt fixed\"}" \
    "$(printf '%s\n' "$OUT" | cut -d' ' -f1,3-)"
so workflow log support --format json
check_eq "workflow log --format json: python reads every line" "4 workflow.pause wrong refund amounts" \
    "$(printf '%s\n' "$OUT" | python3 -c 'import json,sys; l=[json.loads(x) for x in sys.stdin]; print(len(l), l[2]["what"], l[2]["detail"]["reason"])')"
so events
check_contains "the feed carries admin records" "admin/admin workflow/support support sue what=workflow.pause" "$OUT"
so events --workflow support
check_eq "the feed of one workflow has its admin records" 4 "$(printf '%s\n' "$OUT" | grep -c 'what=workflow')"
so verify
check_eq "verify: the chain with admin records is whole" 0 "$RC"
so export --output "$T/x.jsonl"
run python3 "$TOP/docs/examples/verify_export.py" "$T/x.jsonl"
check_eq "the shipped verifier checks an export with admin records" 0 "$RC"
qsql "UPDATE decisions SET note = replace(note, 'wrong refund', 'minor') WHERE seq = 3"
so verify
check_eq "a changed admin record: verify exits 1" 1 "$RC"
check_contains "a changed admin record: named" "decision 3 (draft workflow/support)" "$ERR"
