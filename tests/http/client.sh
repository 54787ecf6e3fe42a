# The signoff client on a remote queue: list, show, claim, decide, enqueue,
# stats, workflow and sync through `signoff serve`; the identity comes from
# the token; a lease taken over gives "lease lost" and one decision only.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
serve_setup 4
serve_start || { notok "serve starts"; exit 1; }
export SIGNOFF_QUEUE="$URL"

so list
check_eq "no token: refused" 1 "$RC"
check_contains "no token: says how to give one" "SIGNOFF_TOKEN_FILE" "$ERR"
chmod 644 "$T/token.alice"
as alice list
check_eq "token file readable by others: refused" 1 "$RC"
check_contains "token file readable by others: says chmod 600" "chmod 600" "$ERR"
chmod 600 "$T/token.alice"
printf 'wrong-token-0123456789abc\n' >"$T/token.bad"; chmod 600 "$T/token.bad"
as bad list
check_eq "wrong token: refused" 1 "$RC"
check_eq "wrong token: unknown token, naming the server and the token's file" \
    "signoff: $URL: unknown token (the token in $T/token.bad)" "$ERR"
check_not_contains "wrong token: the token is never echoed" "wrong-token" "$ERR"

as alice list
check_eq "list: ok" 0 "$RC"
check_eq "list: four drafts" 4 "$(printf '%s\n' "$OUT" | grep -c '^D-')"
as alice list --format json
check_contains "list --format json" '"id":"D-0003"' "$OUT"
as alice show D-0001
check_contains "show: body" "Answer 1 per policy [1]." "$OUT"
check_contains "show: citation quote" "30 days" "$OUT"
as alice claim --format id
check_eq "claim: next draft" "D-0000" "$OUT"
as alice decide D-0000 approve --request-id rid-a0
check_eq "decide approve: ok" 0 "$RC"
check_eq "decide approve: recorded as alice (the token's reviewer)" "alice|approve" \
    "$(sql "$Q" "select reviewer||'|'||action from decisions where draft='D-0000'")"
SIGNOFF_REVIEWER=mallory as alice decide D-0001 reject --reason factual --request-id rid-a1
check_eq "the server decides who you are, not \$SIGNOFF_REVIEWER" "alice" \
    "$(sql "$Q" "select reviewer from decisions where draft='D-0001'")"
printf 'Edited answer [1].\n' >"$T/edit.txt"
as alice decide D-0002 edit --body-file "$T/edit.txt" --request-id rid-a2
check_eq "decide edit: final body stored" "Edited answer [1]." \
    "$(sql "$Q" "select final_body from decisions where draft='D-0002'")"

# Lease taken over: bob's lease expires, alice takes the draft, bob decides late.
as bob claim --lease 1 --format id
check_eq "bob claims D-0003 for 1 s" "D-0003" "$OUT"
sleep 1.3
as alice claim --format id
check_eq "alice takes the expired lease" "D-0003" "$OUT"
LT=$(sql "$Q" "select lease_token from drafts where id='D-0003'")
api POST /v1/drafts/D-0003/decision "$TOK_BOB" \
    "{\"request_id\":\"late-bob\",\"action\":\"approve\",\"lease_token\":$((LT - 1))}"
check_eq "late decision: 409" 409 "$CODE"
check_contains "late decision: lease lost" '"code":"lease_lost"' "$BODY"
as alice decide D-0003 approve --request-id rid-a3
check_eq "alice decides: ok" 0 "$RC"
check_eq "one decision only for D-0003" "1|alice" \
    "$(sql "$Q" "select count(*), min(reviewer) from decisions where draft='D-0003'")"

# Enqueue (producer), stats, workflow.
make_drafts 3 billing B >"$T/b.jsonl"
as prod enqueue "$T/b.jsonl"
check_eq "enqueue remotely: ok" 0 "$RC"
check_eq "enqueue remotely: three new drafts" 3 "$(sql "$Q" "select count(*) from drafts where workflow='billing'")"
as alice enqueue "$T/b.jsonl"
check_eq "enqueue as a reviewer: refused" 1 "$RC"
as alice stats --format json
check_eq "stats remotely: ok" 0 "$RC"
check_contains "stats remotely: support counted" '"support"' "$OUT"
as sup workflow set billing --threshold 0.1
check_eq "workflow set as supervisor: ok" 0 "$RC"
check_eq "workflow set: stored" 0.1 "$(sql "$Q" "select threshold from workflows where name='billing'")"
as alice workflow pause billing --reason drift
check_eq "workflow pause as reviewer: refused" 1 "$RC"
as sup workflow pause billing --reason drift
check_eq "workflow pause as supervisor: ok" 0 "$RC"
as prod workflow show billing
check_eq "workflow show of a paused workflow: exit 4" 4 "$RC"
as alice sync
check_eq "sync with nothing waiting" "sent 0 decisions, 0 waiting" "$OUT"
serve_stop
check_not_contains "access log never holds a token" "token-0123" "$(cat "$SERVE_LOG")"
