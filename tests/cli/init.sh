#!/bin/bash
# signoff init: creates the queue and its directory (XDG default), leaves an
# existing queue alone, never clobbers a file that is not a queue, and shares
# the queue with a group (file 0660, directory setgid + group-writable).
. "$(dirname "$0")/../lib.sh"

def=$XDG_DATA_HOME/signoff/signoff.db
so init
check_eq "init: default path under XDG_DATA_HOME" "0 created queue $def" "$RC $OUT"
check_eq "init: nothing on stderr" "" "$ERR"
check "init: a schema version is set" test "$(sql "$def" 'PRAGMA user_version')" -ge 1
check_eq "init: WAL mode" "wal" "$(sql "$def" 'PRAGMA journal_mode')"
check_eq "init: no drafts yet" "0" "$(sql "$def" 'SELECT count(*) FROM drafts')"

so init
check_eq "init again: the queue is left alone" "0 queue $def already exists" "$RC $OUT"

# A queue of an older schema, opened by a read-only command (stats, list,
# show, verify): refused, and told how to upgrade it.
so init --queue "$T/old.db"
v=$(sql "$T/old.db" 'PRAGMA user_version')
sql "$T/old.db" "PRAGMA user_version = $((v - 1))" >/dev/null
so stats --queue "$T/old.db"
check_eq "an old schema, read-only: refused, told which command upgrades it" \
    "1 signoff: $T/old.db: schema $((v - 1)) needs an upgrade to $v, which a read-only command does not make: run 'signoff init --queue $T/old.db' once (or any command that writes)" \
    "$RC $ERR"

so init --queue "$T/a/b/c/q.db"
check_eq "init: creates missing directories" "0 created queue $T/a/b/c/q.db" "$RC $OUT"
check "init: the file exists" test -f "$T/a/b/c/q.db"

printf 'precious notes\n' >"$T/notes.txt"
so init --queue "$T/notes.txt"
check_eq "init on a text file: exit 1" 1 "$RC"
check_eq "init on a text file: one message" \
    "signoff: $T/notes.txt: not a signoff queue (file is not a database)" "$ERR"
check_eq "init on a text file: the file is untouched" "precious notes" "$(cat "$T/notes.txt")"
check "init on a text file: no -wal left" test ! -e "$T/notes.txt-wal"

sqlite3 "$T/other.db" 'CREATE TABLE t(x); INSERT INTO t VALUES (42);'
so init --queue "$T/other.db"
check_eq "init on another SQLite database: exit 1" 1 "$RC"
check_eq "init on another SQLite database: its table is untouched" "42" \
    "$(sql "$T/other.db" 'SELECT x FROM t')"

so init --queue "$T/a"
check_eq "init on a directory" "1 signoff: $T/a: is a directory, not a queue file" "$RC $ERR"

so init --queue http://127.0.0.1:1/
check_eq "init of a remote queue: exit 2" 2 "$RC"
check_eq "init of a remote queue: message" \
    "signoff init: a remote queue is created by its server, not by init" "${ERR%%$'\n'*}"

so init --group no-such-group-here --queue "$T/g0.db"
check_eq "init --group with an unknown group" \
    "2 signoff init: --group: no such group 'no-such-group-here'" "$RC ${ERR%%$'\n'*}"
check "init --group unknown: nothing created" test ! -e "$T/g0.db"

grp=$(getent group users >/dev/null && echo users || id -gn)
so init --group "$grp" --queue "$T/shared/q.db"
check_eq "init --group: message" "0 created queue $T/shared/q.db shared with group $grp" "$RC $OUT"
check_eq "init --group: file mode and group" "660 $grp" "$(stat -c '%a %G' "$T/shared/q.db")"
check_eq "init --group: directory setgid, group-writable" "2770 $grp" \
    "$(stat -c '%a %G' "$T/shared")"
