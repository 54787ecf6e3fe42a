#!/bin/bash
# Queue files are owner-only unless --group (issue 17, finding 11): init
# makes the file 0600 and a new directory 0700 whatever the umask, SQLite's
# -wal and -shm follow the file's mode; init never creates a file through
# a symbolic link (a dangling link at the queue path is refused and its
# target is not created).
. "$(dirname "$0")/../lib.sh"
umask 022
mode() { stat -c %a "$1"; }
so init --queue "$T/new/dir/q.db"
check_eq "init in a new directory" 0 "$RC"
check_eq "the queue file is 0600" 600 "$(mode "$T/new/dir/q.db")"
check_eq "the directory it made is 0700" 700 "$(mode "$T/new/dir")"
printf '{"id":"F-1","workflow":"w","body":"b"}\n' | "$SO" enqueue --queue "$T/new/dir/q.db" - >/dev/null 2>&1
check_eq "-wal and -shm are 0600 too" "600 600" \
    "$(mode "$T/new/dir/q.db-wal") $(mode "$T/new/dir/q.db-shm")"
mkdir -m 755 "$T/open"
so init --queue "$T/open/q.db"
check_eq "in an existing 0755 directory the file is still 0600" 600 "$(mode "$T/open/q.db")"

ln -s "$T/elsewhere/target.db" "$T/link.db"
mkdir -p "$T/elsewhere"
so init --queue "$T/link.db"
check_eq "init refuses a dangling symlink at the queue path" 1 "$RC"
check_contains "... saying so" "$T/link.db: is a symbolic link to nothing; signoff does not create files through links" "$ERR"
check "... and its target is not created" test ! -e "$T/elsewhere/target.db"
ln -s "$T/open/q.db" "$T/link2.db"
so init --queue "$T/link2.db"
check_eq "init refuses a symlink to an existing queue as well" 1 "$RC"
so list --queue "$T/link2.db"
check_eq "opening a queue through a symlink still works" 0 "$RC"

grp=$(id -gn)
so init --queue "$T/shared/q.db" --group "$grp"
check_eq "init --group" 0 "$RC"
check_eq "--group: the file 0660, the directory setgid 2770" "660 2770" \
    "$(mode "$T/shared/q.db") $(mode "$T/shared")"
