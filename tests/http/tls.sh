# `signoff serve` over HTTPS (--tls-cert/--tls-key): a client refuses its
# self-signed certificate unless the CA is given (ca_file), then works as
# over HTTP; a private key others can read is refused.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
serve_setup 2
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" \
    -days 1 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" >/dev/null 2>&1
chmod 644 "$T/key.pem"
so serve --queue "$Q" --tokens "$TOKENS" --listen 127.0.0.1:0 --tls-cert "$T/cert.pem" --tls-key "$T/key.pem"
check_eq "a private key others can read: refused" 1 "$RC"
check_contains "a private key others can read: says chmod 600" "chmod 600" "$ERR"
chmod 600 "$T/key.pem"
so serve --queue "$Q" --tokens "$TOKENS" --tls-cert "$T/cert.pem"
check_eq "--tls-cert without --tls-key: usage" 2 "$RC"

serve_start --tls-cert "$T/cert.pem" --tls-key "$T/key.pem" || { notok "serve starts with TLS"; exit 1; }
check_contains "listens on https" "https://127.0.0.1:" "$URL"
export SIGNOFF_TOKEN_FILE="$T/token.alice"
so list --queue "$URL"
check_eq "self-signed server certificate: refused" 1 "$RC"
check_contains "self-signed server certificate: says why" "certificate" "$ERR"
CODE=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$T/cert.pem" "$URL/healthz")
check_eq "curl with the CA: 200" 200 "$CODE"
mkdir -p "$XDG_CONFIG_HOME/signoff"
printf 'ca_file = %s\n' "$T/cert.pem" >"$XDG_CONFIG_HOME/signoff/config"
so list --queue "$URL"
check_eq "with ca_file: list works" 0 "$RC"
check_contains "with ca_file: the drafts" "D-0001" "$OUT"
so decide --queue "$URL" D-0000 approve
check_eq "with ca_file: decide works" 0 "$RC"
check_eq "decided over HTTPS, as alice" "alice" "$(sql "$Q" "select reviewer from decisions where draft='D-0000'")"
CODE=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://${URL#https://}/healthz")
check "plain HTTP to the HTTPS port gets no answer" [ "$CODE" != 200 ]
serve_stop
check_eq "SIGTERM: exit 0" 0 "$SRC"
