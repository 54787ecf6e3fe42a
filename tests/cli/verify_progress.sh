#!/bin/bash
# verify on a long chain: a queue file with 60,000 decisions (written with
# the sqlite3 shell from a chain computed here, the way audit.c hashes: the
# test doubles as a second implementation of the record format). verify
# passes and reports its rate; the progress bar appears on stderr only when
# stderr is a terminal (tmux), never in a pipe; a change deep in the chain
# is still named.
. "$(dirname "$0")/../lib.sh"
Q=$T/q.db
N=${PROGRESS_DECISIONS:-60000}
so init --queue "$Q"
python3 - "$N" >"$T/chain.sql" <<'EOF2'
import hashlib, json, sys
n = int(sys.argv[1])
prev = "0" * 64
body_sha = hashlib.sha256(b"body").hexdigest()
print("BEGIN;")
for seq in range(1, n + 1):
    rec = {"seq": seq, "draft": "P-%d" % seq, "request_id": "req-%d" % seq,
           "reviewer": "alice", "action": "approve", "kind": "review",
           "reason": None, "note": None, "edit_size": 0, "body_sha": body_sha,
           "final_sha": None, "shown_at": 1764000000000 + seq,
           "decided_at": 1764000001000 + seq, "active_ms": 900, "reverts_seq": 0}
    h = hashlib.sha256((prev + json.dumps(rec, separators=(",", ":"))).encode()).hexdigest()
    print("INSERT INTO decisions(seq,draft,request_id,reviewer,action,kind,edit_size,"
          "body_sha,shown_at,decided_at,active_ms,reverts_seq,prev_hash,hash) VALUES"
          "(%d,'P-%d','req-%d','alice','approve','review',0,'%s',%d,%d,900,0,'%s','%s');"
          % (seq, seq, seq, body_sha, rec["shown_at"], rec["decided_at"], prev, h))
    prev = h
print("UPDATE meta SET value='%d' WHERE key='chain_seq';" % n)
print("UPDATE meta SET value='%s' WHERE key='chain_hash';" % prev)
print("COMMIT;")
EOF2
sqlite3 "$Q" <"$T/chain.sql"
check_eq "$N decisions written" "$N" "$(sql "$Q" 'SELECT count(*) FROM decisions')"

start=$(date +%s%N)
so verify --queue "$Q"
ms=$((($(date +%s%N) - start) / 1000000))
check_eq "a chain hashed outside signoff verifies" 0 "$RC"
check_contains "all of it" "audit chain ok: $N decisions" "$OUT"
check_eq "no progress bar when stderr is not a terminal" "" "$ERR"
echo "# verify: $N decisions in $ms ms ($((N * 1000 / (ms + 1))) per second)"

# On a terminal: every byte verify writes to a pseudo-terminal, recorded
# (the bar is erased at the end, so a screen read would depend on the
# machine being slow). SIGNOFF_PROGRESS_AFTER_MS=0: drawn however fast.
on_pty() {
    python3 - "$@" <<'EOF2'
import os, pty, sys
out = []
def read(fd):
    data = os.read(fd, 65536)
    out.append(data)
    return data
status = pty.spawn(sys.argv[1:], read)
sys.stdout.buffer.write(b"".join(out))
sys.exit(os.waitstatus_to_exitcode(status))
EOF2
}
SIGNOFF_PROGRESS_AFTER_MS=0 on_pty "$SO" verify --queue "$Q" >"$T/pty.out" 2>&1
check_eq "on a terminal: exit 0" 0 "$?"
PTY=$(tr '\r' '\n' <"$T/pty.out" | cat -v)
check_contains "a progress bar on a terminal" \
    "verifying [##############################] 100% $N/$N" "$PTY"
check_contains "the bar counts up" "verifying [" "$(printf '%s' "$PTY" | grep -m1 ' 1% ')"
check_contains "erased before the result" "^[[K" "$PTY"
check_contains "then the result" "audit chain ok: $N decisions" "$PTY"
SIGNOFF_PROGRESS_AFTER_MS=3600000 on_pty "$SO" verify --queue "$Q" >"$T/pty.out" 2>&1
check_not_contains "no bar on a run shorter than the delay" "verifying [" \
    "$(cat -v "$T/pty.out")"

sql "$Q" "UPDATE decisions SET reviewer = 'mallory' WHERE seq = $((N - 7))"
so verify --queue "$Q"
check_eq "a change near the end of a long chain" \
    "1:signoff: $Q: decision $((N - 7)) (draft P-$((N - 7))): hash does not match: record changed" \
    "$RC:$ERR"
