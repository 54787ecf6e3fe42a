#!/bin/bash
# Per-workflow guidelines: `workflow set W --guidelines-file F` stores the
# text of F in the queue, `show` prints it (sanitized) and its JSON carries
# it; an empty file removes them; a file over 64 KiB, with a NUL byte or
# missing is refused naming it, with nothing changed. The same through a
# server (a supervisor's token), where GET /v1/workflows/W carries them.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"

jget() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
stored() { sql "$Q" "SELECT coalesce(guidelines,'(null)') FROM workflows WHERE name='support'"; }

serve_setup 1
export SIGNOFF_QUEUE="$Q"
printf 'Check the amount.\nNever promise a date: \033[2J.\n' >"$T/g.txt"
so workflow set support --guidelines-file "$T/g.txt"
check_eq "set exits 0" 0 "$RC"
check_contains "show prints them" "guidelines:
  Check the amount.
  Never promise a date: ^[[2J." "$OUT"
so workflow show support --format json
check_eq "json carries them" "'Check the amount.\\nNever promise a date: \\x1b[2J.\\n'" \
    "$(jget '["guidelines"].__repr__()' <<<"$OUT")"

head -c 65537 /dev/zero | tr '\0' 'x' >"$T/big.txt"
so workflow set support --guidelines-file "$T/big.txt"
check_eq "over 64 KiB refused" 1 "$RC"
check_contains "naming the file and the limit" "big.txt: larger than 65536 bytes" "$ERR"
printf 'a\0b' >"$T/nul.txt"
so workflow set support --guidelines-file "$T/nul.txt"
check_eq "a NUL byte refused" 1 "$RC"
check_contains "saying why" "nul.txt: holds a NUL byte" "$ERR"
so workflow set support --guidelines-file "$T/none.txt"
check_eq "a missing file refused" 1 "$RC"
check_eq "nothing changed" "Check the amount." "$(stored | head -1)"

: >"$T/empty.txt"
so workflow set support --guidelines-file "$T/empty.txt"
check_eq "an empty file removes them" "(null)" "$(stored)"
so workflow show support
check_contains "show says none" "guidelines:     (none)" "$OUT"

# Remote: a supervisor sets them, everyone reads them.
unset SIGNOFF_QUEUE
serve_start || { notok "serve starts"; exit 1; }
as sup workflow set support --queue "$URL" --guidelines-file "$T/g.txt"
check_eq "remote: set exits 0" 0 "$RC"
check_eq "remote: stored" "Check the amount." "$(stored | head -1)"
as alice workflow show support --queue "$URL" --format json
check_eq "remote: a reviewer reads them" "Check the amount." \
    "$(jget '["guidelines"].splitlines()[0]' <<<"$OUT")"
as alice workflow set support --queue "$URL" --guidelines-file "$T/empty.txt"
check_eq "remote: a reviewer may not change them" 1 "$RC"
as sup workflow set support --queue "$URL" --guidelines-file "$T/empty.txt"
check_eq "remote: an empty file removes them" "(null)" "$(stored)"
api GET /v1/workflows/support "$TOK_ALICE"
check_eq "remote: none is null in the reply" None "$(jget '["guidelines"]' <<<"$BODY")"
serve_stop
