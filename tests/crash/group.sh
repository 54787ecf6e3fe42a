#!/bin/bash
# A queue shared by two Unix users: `signoff init --group G` by one of them,
# then both claim and decide, in turns and at the same time, and each one's
# first open may create the -wal/-shm files. Everything stays writable for
# both (no "read-only" or "permission" error), both see each other's
# decisions, the chain verifies. Needs root to create the users (useradd);
# otherwise it says why and checks nothing else.
. "$(dirname "$0")/../lib.sh"
unset SIGNOFF_NOW_MS
if [ "$(id -u)" != 0 ] || ! command -v useradd >/dev/null || ! command -v setpriv >/dev/null; then
    ok "# SKIP two-user queue: needs root, useradd and setpriv"
    exit 0
fi
G=signoff-share
U1=signoff-rev1
U2=signoff-rev2
getent group "$G" >/dev/null || groupadd "$G"
for u in $U1 $U2; do
    id "$u" >/dev/null 2>&1 || useradd --no-create-home --shell /bin/sh --gid "$G" "$u"
done
check "two test users in group $G" test "$(id -gn "$U1"):$(id -gn "$U2")" = "$G:$G"
# The users run a copy in $T/bin: the checkout may be private (0700 home).
shared_bin "$U1" || exit 0
SO=$SHARED_BIN

# A place both can reach: $T is private to root.
chmod 0711 "$T"
D=$T/shared/queue
Q=$D/q.db
mkdir -p "$T/shared" && chmod 0755 "$T/shared"
mkdir -p "$T/san" && chmod 0777 "$T/san"
# as USER CMD...: run CMD as USER (its group $G, umask 022 as a login would).
as() {
    local u=$1; shift
    (umask 022; setpriv --reuid="$u" --regid="$G" --init-groups \
        env HOME="$T/shared" SIGNOFF_QUEUE="$Q" SIGNOFF_REVIEWER="$u" \
        ASAN_OPTIONS="log_path=$T/san/report:detect_leaks=1" \
        UBSAN_OPTIONS="log_path=$T/san/report:print_stacktrace=1:halt_on_error=1" \
        "$@")
}
chown "$U1:$G" "$T/shared"

run as "$U1" "$SO" init --group "$G"
check_eq "$U1 creates the queue with init --group" 0 "$RC"
check_eq "the file is 0660, group $G" "660 $G" "$(stat -c '%a %G' "$Q")"
check_eq "the directory is setgid and group-writable" "2770 $G" "$(stat -c '%a %G' "$D")"
python3 -c "
for i in range(60):
    print('{\"id\":\"G-%02d\",\"workflow\":\"shared\",\"body\":\"draft %d\"}' % (i, i))" >"$T/shared/in.jsonl"
chmod 644 "$T/shared/in.jsonl"
run as "$U1" "$SO" enqueue "$T/shared/in.jsonl"
check_eq "$U1 enqueues" 0 "$RC"
# U2 is the first to open after U1 closed: the -wal/-shm are its to create.
rm -f "$Q-wal" "$Q-shm"
run as "$U2" "$SO" decide G-00 approve
check_eq "$U2 decides on $U1's queue" 0:"" "$RC:$ERR"
run as "$U1" "$SO" decide G-01 reject --reason factual
check_eq "$U1 decides after $U2 created the WAL" 0:"" "$RC:$ERR"
# U2 keeps the queue open (its reviewer UI, idle) while U1 writes: the
# -wal and -shm that U2's process created must be writable for U1.
rm -f "$Q-wal" "$Q-shm"
ui_start 100 30 setpriv --reuid="$U2" --regid="$G" --init-groups \
    env HOME="$T/shared" SIGNOFF_QUEUE="$Q" SIGNOFF_REVIEWER="$U2" \
    ASAN_OPTIONS="log_path=$T/san/report:detect_leaks=1" "$SO" review
check "$U2's UI is open on the queue" ui_wait "G-02" 15
run as "$U1" "$SO" decide G-59 approve
check_eq "$U1 decides while $U2's UI holds the queue open" 0:"" "$RC:$ERR"
for f in "$Q" "$Q-wal" "$Q-shm"; do
    check_eq "$(basename "$f") exists and is group-writable" "$G rw" \
        "$(stat -c '%G %A' "$f" 2>&1 | sed 's/ .\(...\)\(...\).*/ \2/; s/-$//')"
done
ui_keys q q
ui_stop

# Both at once, claiming and deciding until the queue is empty.
worker() {
    local u=$1 id
    while id=$(as "$u" "$SO" claim --format id 2>>"$T/shared/$u.err"); do
        as "$u" "$SO" decide "$id" approve >/dev/null 2>>"$T/shared/$u.err"
    done
}
worker "$U1" & p1=$!
worker "$U2" & p2=$!
wait $p1 $p2
check_eq "both worked the queue with no error" "" \
    "$(cat "$T/shared"/*.err 2>/dev/null | grep -v 'nothing to claim' | head -3)"
check_eq "every draft decided once" "60|60" \
    "$(sql "$Q" "SELECT count(*), count(DISTINCT draft) FROM decisions WHERE kind <> 'admin'")"
check "both reviewers decided some" test \
    "$(sql "$Q" "SELECT count(DISTINCT reviewer) FROM decisions WHERE kind <> 'admin'")" = 2
run as "$U2" "$SO" verify
check_eq "the chain verifies (as $U2)" 0 "$RC"
check_eq "integrity_check" ok "$(sql "$Q" 'PRAGMA integrity_check')"
# Sanitizer reports written as the test users count like ours.
for r in "$T"/san/report*; do
    if [ -e "$r" ] && [ -n "${SIGNOFF_SAN_LOG:-}" ]; then
        cp "$r" "$SIGNOFF_SAN_LOG.$(basename "$r")"
    fi
done
