#!/bin/bash
# signoff serve on an address it cannot have says which address and port
# it tried and why, once, and exits 1 at once: a port another process
# listens on (IPv4 and IPv6), an address of no interface of this host.
# It said "httpd: Failed to bind to port 0" and "cannot listen" without why.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
serve_setup 0
# hold_port FAMILY: listen on a free loopback port (its number in
# $T/held.FAMILY) until $T/release exists, at most 60 s
hold_port() {
    python3 - "$1" "$T/held.$1" "$T/release" >/dev/null 2>"$T/hold.$1.err" <<'PY' &
import os, socket, sys, time
fam, out, release = sys.argv[1:4]
s = socket.socket(socket.AF_INET6 if fam == "6" else socket.AF_INET)
s.bind(("::1" if fam == "6" else "127.0.0.1", 0)); s.listen(1)
open(out + ".tmp", "w").write(str(s.getsockname()[1])); os.rename(out + ".tmp", out)
end = time.time() + 60
while not os.path.exists(release) and time.time() < end: time.sleep(0.05)
PY
    on_exit "kill $! 2>/dev/null"
    wait_for 10 test -s "$T/held.$1"
}
hold_port 4 || { notok "a port is held"; exit 1; }
P4=$(cat "$T/held.4")
run timeout 20 "$SO" serve --queue "$Q" --tokens "$TOKENS" --listen "127.0.0.1:$P4"
check_eq "a busy port: exit 1 at once" 1 "$RC"
check_eq "... one line naming the address, the port and why" \
    "signoff: serve: 127.0.0.1:$P4: cannot listen: Address already in use (another process listens there)" "$ERR"
check_not_contains "... never 'port 0'" "port 0" "$ERR"
if python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
    hold_port 6 || notok "an IPv6 port is held"
    P6=$(cat "$T/held.6")
    run timeout 20 "$SO" serve --queue "$Q" --tokens "$TOKENS" --listen "[::1]:$P6"
    check_eq "a busy IPv6 port: named in brackets, with why" \
        "1 signoff: serve: [::1]:$P6: cannot listen: Address already in use (another process listens there)" "$RC $ERR"
else
    ok "a busy IPv6 port # SKIP no IPv6 loopback here"
fi
run timeout 20 "$SO" serve --queue "$Q" --tokens "$TOKENS" --listen "192.0.2.7:8750"
check_eq "an address of no interface here: named, with why" \
    "1 signoff: serve: 192.0.2.7:8750: cannot listen: Cannot assign requested address (no interface of this host has that address)" "$RC $ERR"
touch "$T/release"
# A port out of range is a usage error that says what was given.
run timeout 20 "$SO" serve --queue "$Q" --tokens "$TOKENS" --listen "127.0.0.1:99999"
check_eq "a port over 65535: usage error naming it" \
    "2 signoff serve: --listen: expected ADDR:PORT (an IPv4 address or [IPv6], a port 0..65535), not '127.0.0.1:99999'" \
    "$RC $(head -1 <<<"$ERR")"
