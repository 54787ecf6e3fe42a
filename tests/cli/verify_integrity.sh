#!/bin/bash
# verify checks the database itself, not only the chain (issue 17, finding
# 7): PRAGMA quick_check by default, integrity_check with --full; a copy
# with overwritten pages fails with a clear message. And an auditor who may
# only read (finding 9): a read-only copy in a directory they cannot write
# is verified and exported, read as immutable like list and show, with the
# path printed once in every message; an empty -wal beside the copy is no
# obstacle, one holding pages is named.
. "$(dirname "$0")/../lib.sh"
export SIGNOFF_QUEUE=$T/q.db
so init
for i in $(seq 1 300); do
    printf '{"id":"V-%04d","workflow":"support","body":"%s"}\n' "$i" "$(head -c 600 /dev/zero | tr '\0' x)"
done >"$T/d.jsonl"
so enqueue "$T/d.jsonl"
for i in 1 2 3; do "$SO" decide "V-000$i" approve >/dev/null; done
so verify
check_contains "a sound queue verifies" "audit chain ok: 4 decisions" "$OUT"
check_contains "... and says the database was checked" "database ok (quick_check)" "$OUT"
so verify --full
check_contains "--full runs integrity_check" "database ok (integrity_check)" "$OUT"

# A copy with pages overwritten in the drafts table: the chain is intact
# (decisions and meta live elsewhere), the database is not.
sqlite3 "$SIGNOFF_QUEUE" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
cp "$SIGNOFF_QUEUE" "$T/bad.db"
pgsize=$(sql "$T/bad.db" 'PRAGMA page_size')
pages=$(sql "$T/bad.db" "SELECT group_concat(pageno, ' ') FROM dbstat WHERE name = 'drafts' AND pagetype = 'leaf'")
python3 - "$T/bad.db" "$pgsize" $pages <<'PY'
import sys
path, size, pages = sys.argv[1], int(sys.argv[2]), [int(p) for p in sys.argv[3:]]
with open(path, "r+b") as f:
    for p in pages[1:]:  # the drafts table's leaves but one: headers garbled
        f.seek((p - 1) * size)
        f.write(b"\xa5" * 12)
PY
so verify --queue "$T/bad.db"
check_eq "a corrupted copy fails verify" 1 "$RC"
check_contains "... saying the database is damaged" "the database is damaged (quick_check: *** in database main *** Page" "$ERR"
check_not_contains "... and not that the chain is ok" "audit chain ok" "$OUT"
check_eq "... the path once" 1 "$(printf %s "$ERR" | grep -o "$T/bad.db" | wc -l)"
so verify --queue "$T/bad.db" --full
check_eq "--full fails too" 1 "$RC"
check_contains "... naming integrity_check" "the database is damaged (integrity_check: " "$ERR"

# Read-only: an auditor (another user) with a 0644 copy in a 0755
# directory owned by root.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    shared_bin 65534 || exit 0
    mkdir -m 755 "$T/ro"
    cp "$SIGNOFF_QUEUE" "$T/ro/q.db"
    chmod 644 "$T/ro/q.db"
    as_auditor() {
        run setpriv --reuid=65534 --regid=65534 --clear-groups \
            env HOME=/nonexistent XDG_CONFIG_HOME=/nonexistent SIGNOFF_REVIEWER=aud \
            ASAN_OPTIONS=detect_leaks=0 "$SHARED_BIN" "$@"
    }
    as_auditor verify --queue "$T/ro/q.db"
    check_eq "read-only: verify works" 0 "$RC"
    check_contains "... and checks the chain" "audit chain ok: 4 decisions" "$OUT"
    as_auditor export --queue "$T/ro/q.db"
    check_eq "read-only: export works" 0 "$RC"
    check_eq "... every record (the workflow's creation and 3 decisions)" 5 "$(printf '%s\n' "$OUT" | wc -l)"
    check_eq "nothing was created beside the file" "q.db" "$(ls "$T/ro")"
    # A copy of a quiet queue's directory has an empty -wal beside the
    # file: no pages in it, so the file is read as immutable all the same
    # (verify said 'unable to open database file'); a -wal holding pages
    # is refused saying what to do.
    mkdir -m 755 "$T/ro2"
    cp "$SIGNOFF_QUEUE" "$T/ro2/q.db"
    : >"$T/ro2/q.db-wal"
    chmod 644 "$T/ro2/q.db" "$T/ro2/q.db-wal"
    as_auditor verify --queue "$T/ro2/q.db"
    check_eq "read-only, an empty -wal beside: verify works" "0 $T/ro2/q.db: audit chain ok: 4 decisions" \
        "$RC $(printf '%s\n' "$OUT" | sed -n 's/ (seq.*//p')"
    as_auditor list --queue "$T/ro2/q.db" --status decided
    check_eq "... and list" 0 "$RC"
    head -c 4096 /dev/urandom >"$T/ro2/q.db-wal"
    as_auditor verify --queue "$T/ro2/q.db"
    check_eq "read-only, a -wal holding pages: refused, saying what to do" \
        "1 signoff: $T/ro2/q.db: cannot be read from here: its -wal file holds pages not yet in the file, and this directory cannot be written (for the -shm file); read a copy made with sqlite3's .backup, or run where the queue is written" \
        "$RC $ERR"
    cp "$T/bad.db" "$T/ro/bad.db"
    chmod 644 "$T/ro/bad.db"
    as_auditor verify --queue "$T/ro/bad.db"
    check_eq "read-only: a damaged copy still fails" 1 "$RC"
    check_eq "... the path printed once" 1 "$(printf %s "$ERR" | grep -o "$T/ro/bad.db" | wc -l)"
else
    ok "read-only cases need root and setpriv (skipped)"
fi
