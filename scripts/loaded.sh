#!/bin/sh
# scripts/loaded.sh CMD...: run CMD while two CPU hogs (busy shell loops) run,
# and stop the hogs when CMD ends, whatever way it ends (`make
# check-loaded`). Exits with CMD's status.
hogs=""
stop() {
    # shellcheck disable=SC2086
    [ -n "$hogs" ] && kill $hogs 2>/dev/null
    hogs=""
}
trap stop EXIT
trap 'stop; exit 130' INT TERM HUP
for i in 1 2; do
    sh -c 'while :; do :; done' &
    hogs="$hogs $!"
done
echo "check-loaded: two CPU hogs running (pids$hogs)"
"$@"
rc=$?
stop
exit $rc
