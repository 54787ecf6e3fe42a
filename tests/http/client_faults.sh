# The HTTP client against a misbehaving server (tests/http/fake_server.py):
# slow drip, redirect to file://, 10 MiB chunked reply, 503 + Retry-After,
# garbage and truncated bodies, a self-signed certificate.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
export SIGNOFF_HTTP_TIMEOUT=3
printf 'client-token-0123456789\n' >"$T/token"
chmod 600 "$T/token"
export SIGNOFF_TOKEN_FILE="$T/token"

# fake NAME [CERT KEY]: start a fake server -> $FURL, $FPORTFILE; the
# first path segment of a request picks the misbehaviour.
fake() {
    local name=$1; shift
    FPORTFILE="$T/fake.$name"
    python3 "$TOP/tests/http/fake_server.py" "$FPORTFILE" "$@" &
    local pid=$!
    on_exit "kill $pid 2>/dev/null"
    local i=0
    while [ ! -s "$FPORTFILE" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
    FURL="http://127.0.0.1:$(cat "$FPORTFILE")"
}
now() { date +%s.%N; }
elapsed() { python3 -c "print(round($(now) - $1, 1))"; }

fake plain
t0=$(now)
so list --queue "$FURL/drip"
e=$(elapsed "$t0")
check "drip: client gives up" [ "$RC" = 1 ]
check_contains "drip: says it was too slow" "too slow" "$ERR"
check "drip: gave up within the timeout budget ($e s)" python3 -c "import sys; sys.exit(0 if $e < 25 else 1)"

so list --queue "$FURL/redirect"
check "redirect: refused" [ "$RC" = 1 ]
check_contains "redirect: not followed" "does not follow redirects" "$ERR"
check_not_contains "redirect: /etc/passwd not read" "root:" "$OUT$ERR"

so list --queue "$FURL/huge"
check "10 MiB chunked reply: refused" [ "$RC" = 1 ]
check_contains "10 MiB chunked reply: cut at the cap" "larger than 8 MiB" "$ERR"

t0=$(now)
so list --queue "$FURL/retry"
e=$(elapsed "$t0")
check_eq "503 + Retry-After: retried until it answered (3 attempts for /v1/me)" "3" \
    "$(grep -c ' /retry/v1/me$' "$FPORTFILE.hits")"
check "503 + Retry-After: waited at least 2 s ($e s)" python3 -c "import sys; sys.exit(0 if $e >= 2 else 1)"
gap=$(grep ' /retry/' "$FPORTFILE.hits" | awk 'NR==2{a=$2} NR==3{print $2-a}')
check "503 + Retry-After: second retry came >= 1 s later ($gap s)" python3 -c "import sys; sys.exit(0 if $gap >= 0.95 else 1)"

so list --queue "$FURL/garbage"
check "garbage body: clear error" [ "$RC" = 1 ]
check_contains "garbage body: says unreadable" "unreadable" "$ERR"
check_not_contains "garbage body: no raw escape reaches the terminal" $'\x1b' "$ERR"

so list --queue "$FURL/truncated"
check "truncated body: clear error, no crash" [ "$RC" = 1 ]
check_not_contains "truncated body: not a crash" "Segmentation" "$ERR"

# A self-signed certificate: refused, then accepted with its CA given.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" \
    -days 1 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" >/dev/null 2>&1
fake tls "$T/cert.pem" "$T/key.pem"
SURL="https://127.0.0.1:$(cat "$FPORTFILE")"
so list --queue "$SURL"
check "self-signed certificate: refused" [ "$RC" = 1 ]
check_contains "self-signed certificate: says why" "certificate" "$ERR"
mkdir -p "$XDG_CONFIG_HOME/signoff"
printf 'ca_file = %s\n' "$T/cert.pem" >"$XDG_CONFIG_HOME/signoff/config"
so sync --queue "$SURL"
check "self-signed certificate: accepted with its CA (ca_file)" [ "$RC" = 0 ]
check_eq "self-signed certificate: sync output" "sent 0 decisions, 0 waiting" "$OUT"
