#!/bin/bash
# The client's outbox is owner-only (issue 17, finding 11): outbox.db is
# made 0600 (its -wal and -shm too) even in an existing 0755 directory
# under a 022 umask, an older outbox that others could read is narrowed to
# 0600, and a symbolic link at its path is refused, never followed.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
serve_setup 3
serve_start || { notok "serve starts"; exit 1; }
export SIGNOFF_QUEUE="$URL"
umask 022
mode() { stat -c %a "$1"; }
mkdir -m 755 -p "$XDG_STATE_HOME/signoff"
OB=$XDG_STATE_HOME/signoff/outbox.db
as alice decide D-0000 approve
check_eq "a decision through the server" 0 "$RC"
check_eq "outbox.db is 0600 in a 0755 directory" 600 "$(mode "$OB")"
for f in "$OB-wal" "$OB-shm"; do
    [ -e "$f" ] && check_eq "$(basename "$f") is 0600" 600 "$(mode "$f")"
done
chmod 644 "$OB"
as alice decide D-0001 approve
check_eq "an outbox others could read is narrowed to 0600" 600 "$(mode "$OB")"

export XDG_STATE_HOME=$T/state2
mkdir -p "$XDG_STATE_HOME/signoff"
ln -s "$T/nowhere/outbox.db" "$XDG_STATE_HOME/signoff/outbox.db"
mkdir "$T/nowhere"
as alice decide D-0002 approve
check_eq "a dangling symlink at the outbox path: refused" 1 "$RC"
check_contains "... saying so" "outbox.db: is a symbolic link to nothing" "$ERR"
check "... and its target is not created" test ! -e "$T/nowhere/outbox.db"
serve_stop
