#!/bin/bash
# A queue path that is missing, a directory, not a database, read-only or
# locked past the busy timeout: one clear message, exit 1, nothing written.
. "$(dirname "$0")/../lib.sh"
printf '{"id":"x-1","workflow":"w","body":"b"}\n' >"$T/x.jsonl"

so enqueue --queue "$T/none.db" "$T/x.jsonl"
check_eq "missing queue: one message, exit 1" \
    "1 signoff: $T/none.db: no such queue (create it with signoff init)" "$RC $ERR"
check "missing queue: no file is created" test ! -e "$T/none.db"
for cmd in list claim "show x-1" "decide x-1 approve"; do
    # shellcheck disable=SC2086
    so $cmd --queue "$T/none.db"
    check_eq "missing queue: $cmd" \
        "1 signoff: $T/none.db: no such queue (create it with signoff init)" "$RC $ERR"
done

mkdir "$T/dir.db"
so enqueue --queue "$T/dir.db" "$T/x.jsonl"
check_eq "a directory" "1 signoff: $T/dir.db: is a directory, not a queue file" "$RC $ERR"
so list --queue "$T/dir.db"
check_eq "a directory: list" "1 signoff: $T/dir.db: is a directory, not a queue file" "$RC $ERR"

head -c 4096 /dev/urandom >"$T/junk.db"
cp "$T/junk.db" "$T/junk.orig"
so enqueue --queue "$T/junk.db" "$T/x.jsonl"
check_eq "not a database" \
    "1 signoff: $T/junk.db: not a signoff queue (file is not a database)" "$RC $ERR"
check "not a database: the file is untouched" cmp -s "$T/junk.db" "$T/junk.orig"
so list --queue "$T/junk.db"
check_eq "not a database: list" \
    "1 signoff: $T/junk.db: not a signoff queue (file is not a database)" "$RC $ERR"

# Locked: another process holds the write lock longer than the busy timeout.
Q=$T/q.db
so init --queue "$Q"
# The locker holds the lock until the test says so ($T/unlock); the test
# goes on once a write is refused (a fixed sleep raced a slow start).
( echo "BEGIN EXCLUSIVE;"; echo "UPDATE drafts SET priority = priority;"
  while [ ! -e "$T/unlock" ]; do sleep 0.05; done; echo "COMMIT;" ) | sqlite3 "$Q" &
locker=$!
on_exit "touch '$T/unlock'"
locked() { ! sqlite3 "$Q" "BEGIN IMMEDIATE; ROLLBACK;" 2>/dev/null; }
check "locked: another process holds the write lock" wait_for 30 locked
export SIGNOFF_BUSY_TIMEOUT_MS=300
so enqueue --queue "$Q" "$T/x.jsonl"
check_eq "locked: enqueue gives up with one message" \
    "1 signoff: $Q: locked by another process past the busy timeout (300 ms)" "$RC $ERR"
so list --queue "$Q"
check_eq "locked: readers are not blocked (WAL)" 0 "$RC"
touch "$T/unlock"
wait "$locker"
unset SIGNOFF_BUSY_TIMEOUT_MS
check_eq "locked: nothing was written" 0 "$(sql "$Q" 'SELECT count(*) FROM drafts')"
so enqueue --queue "$Q" "$T/x.jsonl"
check_eq "locked: after the lock is gone the same input lands" 0 "$RC"

# Read-only: run as another user (tests run as root, who may write anyway).
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    shared_bin 65534 || exit 0
    mkdir -m 755 "$T/ro"
    R=$T/ro/q.db
    so init --queue "$R"
    # init makes the queue owner-only (0600, and so its -wal and -shm):
    # sharing it for reading means opening all three.
    chmod 644 "$R" "$T/x.jsonl"
    for f in "$R-wal" "$R-shm"; do [ -e "$f" ] && chmod 644 "$f"; done
    as_nobody() {
        run setpriv --reuid=65534 --regid=65534 --clear-groups \
            env HOME=/nonexistent XDG_CONFIG_HOME=/nonexistent SIGNOFF_REVIEWER=nob \
            ASAN_OPTIONS=detect_leaks=0 "$SHARED_BIN" "$@"
    }
    as_nobody enqueue --queue "$R" "$T/x.jsonl"
    check_eq "read-only file: enqueue" \
        "1 signoff: $R: read-only: no write permission on the file" "$RC $ERR"
    as_nobody claim --queue "$R"
    check_eq "read-only file: claim" \
        "1 signoff: $R: read-only: no write permission on the file" "$RC $ERR"
    as_nobody list --queue "$R"
    check_eq "read-only file: list still works" 0 "$RC"
    chmod 666 "$R"
    as_nobody enqueue --queue "$R" "$T/x.jsonl"
    check_eq "read-only directory: enqueue" \
        "1 signoff: $R: read-only: no write permission on $T/ro (SQLite creates its -wal and -shm files there)" \
        "$RC $ERR"
    check_eq "read-only: nothing was written" 0 "$(sql "$R" 'SELECT count(*) FROM drafts')"
else
    ok "read-only cases need root and setpriv (skipped)"
fi

# Durability: synchronous=NORMAL by choice, anything else refused.
SIGNOFF_DURABILITY=sometimes so list --queue "$Q"
check_eq "a bad SIGNOFF_DURABILITY" \
    "1 signoff: SIGNOFF_DURABILITY: expected full or normal, not 'sometimes'" "$RC $ERR"
printf '{"id":"n-1","workflow":"w","body":"b"}\n' >"$T/n.jsonl"
SIGNOFF_DURABILITY=normal so enqueue --queue "$Q" "$T/n.jsonl"
check_eq "SIGNOFF_DURABILITY=normal works" "0 enqueued 1 draft, 0 unchanged, 0 bad lines" "$RC $ERR"

# A URL whose scheme no backend serves is refused by every command, before
# anything is created (it used to become a directory tree named after the
# scheme, holding a SQLite file).
mkdir -p "$T/cwd"
for cmd in init list claim enqueue "show x-1" "decide x-1 approve" stats verify export; do
    # shellcheck disable=SC2086
    (cd "$T/cwd" && "$SO" $cmd --queue 'mysql:///so?host=/tmp/x' >/dev/null 2>"$T/err"; echo $? >"$T/rc")
    check_eq "unknown scheme: $cmd is refused" \
        "1 signoff: mysql:///so?host=/tmp/x: unknown queue scheme 'mysql://' (a queue is a file path or an http://, https://, postgresql:// or postgres:// URL, or service=NAME)" \
        "$(cat "$T/rc") $(cat "$T/err")"
done
check_eq "unknown scheme: nothing was created" "" "$(ls -A "$T/cwd")"
# A postgresql:// queue goes to the PostgreSQL store, never to a file path
# (nothing listens on this socket: each command says it cannot connect).
for cmd in init list claim "show x-1" "decide x-1 approve" verify export; do
    # shellcheck disable=SC2086
    (cd "$T/cwd" && "$SO" $cmd --queue "postgresql:///so?host=$T/nosock" >/dev/null 2>"$T/err"; echo $? >"$T/rc")
    check_eq "postgresql://: $cmd is not a file: exit 1" 1 "$(cat "$T/rc")"
    check_not_contains "postgresql://: $cmd: no unknown scheme" "unknown queue scheme" "$(cat "$T/err")"
done
check_eq "postgresql://: nothing was created" "" "$(ls -A "$T/cwd")"

# A remote queue without a token: the advice works for every command (list
# and review take no --token-file; issue 19 item 8).
SIGNOFF_TOKEN_FILE= run "$SO" list --queue http://127.0.0.1:9
check_eq "no token: advice that list can follow" \
    "1 signoff: http://127.0.0.1:9: no token: set \$SIGNOFF_TOKEN_FILE to the file holding it, or token_file in the config" \
    "$RC $ERR"
