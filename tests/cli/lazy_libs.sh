#!/bin/bash
# libcurl and libmicrohttpd are not linked (src/dl_curl.c and src/dl_mhd.c
# dlopen them): a local command never loads them, a remote queue loads
# libcurl when it is opened, `serve` loads libmicrohttpd before it starts.
# The loader's own trace (LD_DEBUG=files) says which file came in and why.
. "$(dirname "$0")/../lib.sh"

libs=$(ldd "$SO")
check_not_contains "ldd: libcurl is not linked" "libcurl" "$libs"
check_not_contains "ldd: libmicrohttpd is not linked" "libmicrohttpd" "$libs"
check_contains "ldd: sqlite is (the list is real)" "libsqlite3" "$libs"

# loaded NAME: the LD_DEBUG lines of the last run that load NAME.
loaded() { printf '%s\n' "$ERR" | grep "file=$1[^ ]* .*dynamically loaded by"; }

so init --queue "$T/q.db"
printf '{"id":"d-1","workflow":"w","body":"b"}\n' >"$T/d.jsonl"
so enqueue --queue "$T/q.db" "$T/d.jsonl"
check_eq "enqueue" 0 "$RC"

for cmd in --version "list --queue $T/q.db --limit 1" "stats --queue $T/q.db"; do
    # shellcheck disable=SC2086
    run env LD_DEBUG=files "$SO" $cmd
    check_eq "$cmd: exit 0" 0 "$RC"
    check_eq "$cmd: libcurl not loaded" "" "$(loaded libcurl)"
    check_eq "$cmd: libmicrohttpd not loaded" "" "$(loaded libmicrohttpd)"
done
check_contains "the trace is there to read" "file=libsqlite3" "$ERR"

# A remote queue with no token: libcurl is loaded first, then the token
# is refused as before.
run env LD_DEBUG=files "$SO" list --queue http://127.0.0.1:9/
check_eq "remote list without a token: exit 1" 1 "$RC"
check_contains "remote list: the token error" "no token" "$ERR"
check_contains "remote list: libcurl loaded on first use" "libcurl" "$(loaded libcurl)"
check_eq "remote list: libmicrohttpd not loaded" "" "$(loaded libmicrohttpd)"

printf 'tok-0123456789abcdef alice reviewer\n' >"$T/tokens"
chmod 600 "$T/tokens"
run env LD_DEBUG=files "$SO" serve --queue "$T/none.db" --tokens "$T/tokens" --listen 127.0.0.1:0
check_eq "serve on a missing queue: exit 1" 1 "$RC"
check_contains "serve: the queue error" "$T/none.db" "$ERR"
check_contains "serve: libmicrohttpd loaded before it starts" "libmicrohttpd" \
    "$(loaded libmicrohttpd)"
check_eq "serve: libcurl not loaded" "" "$(loaded libcurl)"
