#!/bin/bash
# The outbox is keyed by identity too (issue 17, finding 6): with one
# $XDG_STATE_HOME shared by two tokens, bob's queued decision is never sent
# with alice's token nor failed because alice was refused; bob's own sync
# sends it. And `signoff decide` on a remote queue while the server is down
# does what signoff(1) says: the decision is written to the outbox first,
# "queued: N unsent", exit 0, for a draft this token claimed (for another,
# nothing is queued: exit 1); sync sends it when the server is back, and a
# decision on a draft that was not mine by then is reported, not lost.
# A decision waiting under a token that is then rotated is the person's:
# their new token sends it.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
serve_setup 4
serve_start || { notok "serve starts"; exit 1; }
export SIGNOFF_QUEUE="$URL"

as bob claim --format id
check_eq "bob claims D-0000" "0 D-0000" "$RC $OUT"
as bob claim --format id
check_eq "bob claims D-0001" "0 D-0001" "$RC $OUT"
serve_stop
as bob decide D-0000 approve --note 'checked twice'
check_eq "decide while the server is down: exit 0" 0 "$RC"
check_contains "... queued in the outbox" "queued: 1 unsent" "$OUT"
as bob decide D-0001 reject --reason factual --format json
check_contains "... also as JSON" '"status":"queued","unsent":2' "$OUT"
# A draft bob never claimed is not acknowledged as queued (it was, and
# failed at the next sync): nothing is recorded, exit 1.
as bob decide D-0003 approve
check_eq "a draft bob holds no claim on: not queued, exit 1" \
    "1 signoff: D-0003: not queued: the server cannot be reached, and this token holds no claim on it that this machine knows of (decide it once the server answers)" \
    "$RC $ERR"
check_eq "... the outbox holds bob's two" 2 \
    "$(sqlite3 "$XDG_STATE_HOME/signoff/outbox.db" 'SELECT count(*) FROM outbox')"
serve_start || { notok "serve starts again"; exit 1; }
# Meanwhile a supervisor gives D-0001 to alice: bob's queued reject of it
# can no longer land.
api POST /v1/drafts/D-0001/reassign "$TOK_SUP" '{"to":"alice"}'
check_eq "sue reassigns D-0001 to alice" 204 "$CODE"

as alice sync
check_eq "alice's sync: nothing of hers to send" "0 sent 0 decisions, 0 waiting" "$RC $OUT"
check_eq "alice's sync did not fail bob's decisions" 0 \
    "$(sqlite3 "$XDG_STATE_HOME/signoff/outbox.db" 'SELECT count(*) FROM failed')"
check_eq "no decision recorded yet" 0 "$(sql "$Q" "SELECT count(*) FROM decisions WHERE kind <> 'admin'")"
as bob sync
check_eq "bob's sync sends his decision; the one on a draft taken from him fails" 1 "$RC"
check_contains "... it says which" "draft D-0001" "$ERR"
check_eq "bob's approve of D-0000 is recorded under bob" "D-0000|bob|approve|checked twice" \
    "$(sql "$Q" "SELECT draft, reviewer, action, note FROM decisions WHERE kind <> 'admin'")"
as bob sync
check_eq "nothing left to send" "0 sent 0 decisions, 0 waiting" "$RC $OUT"

# bob's token is rotated while his decision waits: the row is bob's (the
# person the server named his token), so his new token sends it; it was
# kept under the old token's hash and never sent ('sent 0, 0 waiting').
as bob claim --format id
check_eq "bob claims D-0002" "0 D-0002" "$RC $OUT"
serve_stop
as bob decide D-0002 approve
check_eq "bob decides D-0002 while the server is down: queued" "0 queued: 1 unsent" "$RC ${OUT%% (*}"
grep -v "^$TOK_BOB " "$TOKENS" >"$T/tokens.new" && cat "$T/tokens.new" >"$TOKENS"
serve_token bob reviewer
serve_start || { notok "serve starts with bob's new token"; exit 1; }
as alice sync
check_eq "alice's sync still sends nothing of bob's" "0 sent 0 decisions, 0 waiting" "$RC $OUT"
SIGNOFF_TOKEN_FILE="$T/token.bob.reviewer" so sync
check_eq "bob's new token sends the decision his old one queued" "0 sent 1 decision, 0 waiting" "$RC $OUT"
check_eq "... recorded under bob" "bob|approve" \
    "$(sql "$Q" "SELECT reviewer, action FROM decisions WHERE draft = 'D-0002'")"
serve_stop
