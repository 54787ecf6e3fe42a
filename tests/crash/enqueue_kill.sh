#!/bin/bash
# A SIGKILLed enqueuer leaves no half-written change: round after round,
# `signoff enqueue` reads 3,000 drafts (two citations each; batches of
# 1,000, one transaction each) and is killed with SIGKILL at a random
# moment after its first batch landed, often inside the next batch's
# transaction. After every round the queue
# holds whole batches only (a multiple of 1,000 drafts of that round), each
# draft with both its citations and its workflow, no citation without its
# draft; the store's own check holds (queue_integrity). Enqueued again, the
# same input adds exactly what is missing, and a decision on it verifies.
# Runs on a queue file, and on PostgreSQL through tests/pg/enqueue_kill.sh.
. "$(dirname "$0")/../lib.sh"
unset SIGNOFF_NOW_MS
ROUNDS=${ENQ_KILL_ROUNDS:-6}
test_queue enqkill || exit 0
"$SO" init --queue "$Q" >/dev/null

gen() { # ROUND: 3,000 drafts of that round
    python3 -c "
import json, sys
r = int(sys.argv[1])
for i in range(3000):
    print(json.dumps({'id': 'E%d-%05d' % (r, i), 'workflow': 'w%d' % (i % 3),
        'body': 'Refund allowed [1] within the window [2] (%d).' % i,
        'citations': [{'n': 1, 'title': 'Policy', 'uri': 'https://kb/p', 'excerpt': 'refunds allowed'},
                      {'n': 2, 'title': 'Window', 'uri': 'https://kb/w', 'excerpt': 'within 30 days'}]}))
" "$1"
}

bad=0
partial=0
for r in $(seq 1 "$ROUNDS"); do
    gen "$r" >"$T/in.$r.jsonl"
    "$SO" enqueue --queue "$Q" "$T/in.$r.jsonl" >/dev/null 2>&1 &
    pid=$!
    landed() { [ "$(qsql "SELECT count(*) FROM drafts WHERE id LIKE 'E$r-%'")" != 0 ]; }
    wait_for 30 landed || notok "round $r: the first batch lands"
    sleep "0.$(printf '%03d' $((RANDOM % 400)))" # the kill's random moment
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    n=$(qsql "SELECT count(*) FROM drafts WHERE id LIKE 'E$r-%'")
    cites=$(qsql "SELECT count(*) FROM citations c JOIN drafts d ON d.rid = c.draft WHERE d.id LIKE 'E$r-%'")
    short=$(qsql "SELECT count(*) FROM drafts d WHERE d.id LIKE 'E$r-%' AND (SELECT count(*) FROM citations c WHERE c.draft = d.rid) <> 2")
    orphans=$(qsql "SELECT count(*) FROM citations c WHERE NOT EXISTS (SELECT 1 FROM drafts d WHERE d.rid = c.draft)")
    nowf=$(qsql "SELECT count(*) FROM drafts d WHERE NOT EXISTS (SELECT 1 FROM workflows w WHERE w.name = d.workflow)")
    integ=$(queue_integrity)
    [ "$n" != 0 ] && [ "$n" != 3000 ] && partial=$((partial + 1))
    if [ $((n % 1000)) != 0 ] || [ "$cites" != $((2 * n)) ] || [ "$short" != 0 ] ||
       [ "$orphans" != 0 ] || [ "$nowf" != 0 ] || [ "$integ" != ok ]; then
        notok "round $r: $n drafts, $cites citations, $short drafts short of theirs, $orphans orphans, $nowf without a workflow, integrity: $integ"
        bad=1
    fi
    echo "# round $r: $n of 3000 drafts landed"
    [ "$r" = 1 ] && landed1=$n
done
[ $bad = 0 ] && ok "$ROUNDS enqueuers killed ($partial mid-input): whole batches only, every draft with its citations and workflow, no orphans, integrity ok"

# Enqueued again: exactly the missing drafts are added, the rest unchanged.
so enqueue --queue "$Q" "$T/in.1.jsonl"
check_contains "enqueued again: the missing ones added, the landed ones unchanged" \
    "enqueued $((3000 - landed1)) drafts, $landed1 unchanged" "$OUT$ERR"
check_eq "enqueued again: all 3000 of round 1 present, once" 3000 \
    "$(qsql "SELECT count(*) FROM drafts WHERE id LIKE 'E1-%'")"
so claim --queue "$Q" --format id
id=$OUT
so decide --queue "$Q" "$id" approve
check_eq "a decision on the queue after the kills" 0 "$RC"
so verify --queue "$Q" --quiet
check_eq "the chain verifies" 0 "$RC"
