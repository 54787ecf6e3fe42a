#!/bin/bash
# A decision the store cannot save (the file locked by another process past
# the busy budget) is "not saved" in the reviewer UI: one message, the draft
# stays open, nothing recorded; once the lock is gone the same key saves it,
# exactly once.
. "$(dirname "$0")/ui.inc"
export SIGNOFF_BUSY_TIMEOUT_MS=800
newq not-saved; pg_short_spec; three
review 100x30
ui_wait "First refund question"; ui_keys Enter
check "the draft opens" ui_wait "Refunds take 30 days"

# Another process takes the write lock and holds it until told to stop:
# on a file SQLite's, on PostgreSQL (tests/pg/ui_not_saved.sh) an EXCLUSIVE
# lock on the drafts table, which reads pass and every write waits for.
if [ "$(test_backend)" = pg ]; then
    {
        printf 'BEGIN;\nLOCK TABLE drafts IN EXCLUSIVE MODE;\n\\! touch %q\n' "$T/locked"
        while [ ! -e "$T/release" ]; do sleep 0.05; done
        printf 'ROLLBACK;\n'
    } | pg_psql "$PGDB" >/dev/null 2>&1 &
else
    python3 - "$Q" "$T/locked" "$T/release" <<'EOF2' &
import os, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
db.execute("BEGIN EXCLUSIVE")
open(sys.argv[2], "w").close()
while not os.path.exists(sys.argv[3]):
    time.sleep(0.05)
db.execute("ROLLBACK")
EOF2
fi
holder=$!
on_exit "touch '$T/release'; kill $holder 2>/dev/null"
for _ in $(seq 1 100); do [ -e "$T/locked" ] && break; sleep 0.05; done
check "another process holds the write lock" test -e "$T/locked"
ui_keys a
if [ "$E2E_REMOTE" = 1 ]; then
    # Remotely the locked file is the server's: its 503 is a server fault
    # like any other, so the decision waits in the outbox and is delivered
    # once the lock is gone, once; "not saved" and the key again are local.
    check "remote: approve under the lock waits in the outbox" ui_wait "unsent 1" 30
    check_not_contains "remote: the server's file path stays on the server" "$Q" "$(ui_screen)"
    check_eq "remote: nothing recorded yet" "" "$(decisions D-1)"
    touch "$T/release"
    wait "$holder"
    check "remote: delivered in the background once the lock is gone" ui_wait "unsent 0" 45
    check_eq "remote: exactly one decision" "approve||" "$(decisions D-1)"
    for c in "approve under the lock says not saved" "and why" "the draft is still open" \
        "the same key saves it once the lock is gone" "and the next draft opens"; do
        remote_skip "$c" "the server's busy store sends the decision to the outbox (checked above)"
    done
    ui_keys q q; exited >/dev/null; ui_stop
    exit 0
fi
check "approve under the lock says not saved" ui_wait "not saved:" 15
S=$(ui_screen)
check_contains "and why" "locked" "$S"
check_contains "the draft is still open" "Refunds take 30 days" "$S"
check_eq "nothing was recorded" "" "$(decisions D-1)"

touch "$T/release"
wait "$holder"
ui_keys a
check "the same key saves it once the lock is gone" ui_wait "approve D-1" 15
check "and the next draft opens" ui_wait "Shipping is free"
check_eq "exactly one decision" "approve||" "$(decisions D-1)"
ui_keys q q; exited >/dev/null; ui_stop
