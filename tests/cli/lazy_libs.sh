#!/bin/bash
# libcurl and libmicrohttpd are not linked (src/remote/dl_curl.c and src/server/dl_mhd.c
# dlopen them): a local command never loads them, a remote queue loads
# libcurl when it is opened, `serve` loads libmicrohttpd before it starts,
# and a missing one is one clear sentence. The loader's own trace
# (LD_DEBUG) says which file came in, why, and from where.
. "$(dirname "$0")/../lib.sh"

libs=$(ldd "$SO")
check_not_contains "ldd: libcurl is not linked" "libcurl" "$libs"
check_not_contains "ldd: libmicrohttpd is not linked" "libmicrohttpd" "$libs"
check_not_contains "ldd: libpq is not linked" "libpq" "$libs"
check_contains "ldd: sqlite is (the list is real)" "libsqlite3" "$libs"

# loaded NAME: the LD_DEBUG lines of the last run that load NAME.
loaded() { printf '%s\n' "$ERR" | grep "file=$1[^ ]* .*dynamically loaded by"; }
# path NAME: the file the loader found for NAME in the last run.
path() {
    printf '%s\n' "$ERR" | awk -v n="find library=$1" '
        index($0, "find library=") { f = index($0, n) > 0; next }
        f && /trying file=/ { sub(/.*trying file=/, ""); print }' |
        while read -r p; do [ -e "$p" ] && echo "$p" && break; done
}
# hidden FILE CMD...: run CMD as if FILE were missing: in a user and mount
# namespace of its own, /dev/null is bound over it.
hidden() {
    run unshare -r -m sh -c 'mount --bind /dev/null "$0" && exec "$@"' "$@"
}

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
    check_eq "$cmd: libpq not loaded" "" "$(loaded libpq)"
done
check_contains "the trace is there to read" "file=libsqlite3" "$ERR"

# A remote queue with no token: libcurl is loaded first, then the token
# is refused as before.
run env LD_DEBUG=files,libs "$SO" list --queue http://127.0.0.1:9/
check_eq "remote list without a token: exit 1" 1 "$RC"
check_contains "remote list: the token error" "no token" "$ERR"
check_contains "remote list: libcurl loaded on first use" "libcurl" "$(loaded libcurl)"
curl_file=$(path libcurl)
curl_soname=$(loaded libcurl | sed 's/.*file=\([^ ]*\) .*/\1/')
check_eq "remote list: libmicrohttpd not loaded" "" "$(loaded libmicrohttpd)"

# A PostgreSQL queue loads libpq when it is opened (here: nothing listens
# on the socket, so the connection is refused with one sentence).
run env LD_DEBUG=files,libs "$SO" list --queue "postgresql:///so?host=$T/nosock"
check_eq "postgresql list, no server: exit 1" 1 "$RC"
check_contains "postgresql list: cannot connect" "cannot connect" "$ERR"
check_contains "postgresql list: libpq loaded on first use" "libpq" "$(loaded libpq)"
check_eq "postgresql list: libcurl not loaded" "" "$(loaded libcurl)"
pq_file=$(path libpq)
pq_soname=$(loaded libpq | sed 's/.*file=\([^ ]*\) .*/\1/')

printf 'tok-0123456789abcdef alice reviewer\n' >"$T/tokens"
chmod 600 "$T/tokens"
run env LD_DEBUG=files,libs "$SO" serve --queue "$T/none.db" --tokens "$T/tokens" --listen 127.0.0.1:0
check_eq "serve on a missing queue: exit 1" 1 "$RC"
check_contains "serve: the queue error" "$T/none.db" "$ERR"
check_contains "serve: libmicrohttpd loaded before it starts" "libmicrohttpd" \
    "$(loaded libmicrohttpd)"
check_eq "serve: libcurl not loaded" "" "$(loaded libcurl)"
mhd_file=$(path libmicrohttpd)
check "the loader named both files" test -n "$curl_file" -a -n "$mhd_file"

if ! unshare -r -m true 2>/dev/null; then
    ok "a missing library # SKIP no unprivileged user namespaces here"
    exit 0
fi
hidden "$curl_file" "$SO" list --queue http://127.0.0.1:9/
check_eq "libcurl missing: one sentence, exit 1" \
    "1 signoff: remote queues need libcurl ($curl_soname): $curl_file: file too short" \
    "$RC $ERR"
hidden "$pq_file" "$SO" list --queue "postgresql:///so?host=$T/nosock"
check_eq "libpq missing: one sentence, exit 1" \
    "1 signoff: PostgreSQL queues need libpq ($pq_soname): $pq_file: file too short" \
    "$RC $ERR"
hidden "$mhd_file" "$SO" serve --queue "$T/q.db" --tokens "$T/tokens" --listen 127.0.0.1:0
check_contains "libmicrohttpd missing: one sentence" \
    "signoff: serve: serving HTTP needs libmicrohttpd (" "$ERR"
check_contains "libmicrohttpd missing: why" "$mhd_file: file too short" "$ERR"
check_eq "libmicrohttpd missing: exit 1" 1 "$RC"
hidden "$curl_file" "$SO" list --queue "$T/q.db" --limit 1
check_eq "libcurl missing: a local queue still works" 0 "$RC"
check_contains "libcurl missing: the draft is listed" "d-1" "$OUT"
