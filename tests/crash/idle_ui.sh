#!/bin/bash
# An idle reviewer UI must not stop checkpoints: with `signoff review` open
# on a draft and left alone (in tmux), another process records decisions
# with large edited bodies (far more than one WAL's worth). The WAL must
# stay bounded while that runs, and afterwards a TRUNCATE checkpoint must
# complete (no reader pinned by the UI) with the UI still running.
. "$(dirname "$0")/../lib.sh"
unset SIGNOFF_NOW_MS
Q=$T/q.db
export SIGNOFF_QUEUE=$Q
N=${IDLE_DECISIONS:-40}
so init
python3 -c "
for i in range($N + 5):
    print('{\"id\":\"W-%03d\",\"workflow\":\"wal\",\"title\":\"Draft %d\",\"body\":\"Body %d [1].\"}' % (i, i, i))" >"$T/in.jsonl"
so enqueue "$T/in.jsonl"
check_eq "drafts enqueued" 0 "$RC"
# ~1 MB of edited text per decision (the body limit is 1 MiB): about 250
# pages of WAL each, N of them about 38 MiB in all.
python3 -c "print(('edited text ' * 40) * 2080)" >"$T/big.txt"

ui_start 100 30 "$SO" review --queue "$Q" --reviewer idle
check "the UI shows the queue" ui_wait "W-000" 15
ui_keys Enter
check "the idle reviewer opens W-000" ui_wait "Body 0 [1]." 15

wal_max=0
wal_size() { stat -c %s "$Q-wal" 2>/dev/null || echo 0; }
i=0
failed=0
# Decide from the end of the queue: the idle reviewer sits on W-000.
for id in $(sql "$Q" "SELECT id FROM drafts ORDER BY id DESC LIMIT $N"); do
    SIGNOFF_DURABILITY=normal \
    "$SO" decide "$id" edit --body-file "$T/big.txt" --reviewer busy >/dev/null 2>"$T/err" ||
        { failed=$((failed + 1)); cat "$T/err"; }
    s=$(wal_size)
    [ "$s" -gt "$wal_max" ] && wal_max=$s
    i=$((i + 1))
done
echo "# $i decisions, WAL peak $wal_max bytes"
check_eq "$N decisions recorded while the UI was idle" 0 "$failed"
# One decision writes ~1 MiB; without checkpoints the WAL would reach N
# times that. The store checkpoints every 4000 pages (16 MiB): allow the
# decision that crosses that line, and more, but not the 38 MiB.
check "the WAL stayed under 24 MiB (peak $wal_max)" test "$wal_max" -lt $((24 << 20))
check_eq "a TRUNCATE checkpoint completes with the UI open" 0 \
    "$(sql "$Q" 'PRAGMA wal_checkpoint(TRUNCATE)' | cut -d'|' -f1)"
check_eq "and empties the WAL" 0 "$(wal_size)"
check "the UI is still running" test -z "$(ui_screen | grep __EXITED__)"
ui_keys q q
