#!/bin/bash
# Leases and sharing one file:
#   - a reviewer whose lease expired and was taken over decides late:
#     "lease lost", nothing written, exactly one decision in the end (local
#     and through the server);
#   - 16 processes claim and decide 5 drafts each at once: no draft is claimed
#     by two of them, no SQLITE_BUSY ("busy"/"locked") reaches a user.
# Runs on a queue file, and on PostgreSQL through tests/pg/leases.sh.
. "$(dirname "$0")/../lib.sh"
unset SIGNOFF_NOW_MS
test_queue leases || exit 0
export SIGNOFF_QUEUE=$Q
so init
python3 -c "
for i in range(400):
    print('{\"id\":\"L-%03d\",\"workflow\":\"lease\",\"body\":\"draft %d\"}' % (i, i))" >"$T/in.jsonl"
so enqueue "$T/in.jsonl"
check_eq "400 drafts" 0 "$RC"

# --- late decide after a takeover (local) -------------------------------
# The CLI's decide runs in a new process, so it cannot carry the old claim's
# fencing token: the store refuses it because bob holds the draft now.
lease_gone() { printf %s "$1" | grep -qiE 'lease lost|claimed by bob'; }
so claim --reviewer alice --lease 1 --format id
check_eq "alice claims with a 1 s lease" 0:L-000 "$RC:$OUT"
sleep 1.3
so claim --reviewer bob --format id
check_eq "bob takes the expired draft over" 0:L-000 "$RC:$OUT"
so decide L-000 approve --reviewer alice
check_eq "alice's late decide fails" 1 "$RC"
check "and says the lease is gone (lease lost / claimed by bob)" lease_gone "$ERR"
check_eq "nothing was written for alice" 0 \
    "$(sql "$Q" "SELECT count(*) FROM decisions WHERE draft = 'L-000'")"
so decide L-000 reject --reason factual --reviewer bob
check_eq "bob decides" 0 "$RC"
so decide L-000 approve --reviewer alice
check_eq "alice again after bob decided: refused" 1 "$RC"
check_eq "exactly one decision, bob's" "1|bob|reject" \
    "$(sql "$Q" "SELECT count(*), min(reviewer), min(action) FROM decisions WHERE draft = 'L-000'")"

# --- the same through the server ----------------------------------------
printf 'tok-alice-0123456789abcdef alice reviewer\ntok-bob-0123456789abcdef0 bob reviewer\n' >"$T/tokens"
chmod 600 "$T/tokens"
echo tok-alice-0123456789abcdef >"$T/tok.alice"
echo tok-bob-0123456789abcdef0 >"$T/tok.bob"
chmod 600 "$T/tok.alice" "$T/tok.bob"
"$SO" serve --queue "$Q" --tokens "$T/tokens" --listen 127.0.0.1:0 2>"$T/serve.log" &
spid=$!
on_exit "kill -KILL $spid 2>/dev/null"
url=""
for _ in $(seq 1 200); do
    url=$(sed -n 's/^signoff: listening on \(http:[^ ]*\)$/\1/p' "$T/serve.log" | head -1)
    [ -n "$url" ] && break
    sleep 0.05
done
check "the server starts" test -n "$url"
remote() { # WHO ARGS...
    local who=$1; shift
    run env SIGNOFF_QUEUE="$url" SIGNOFF_TOKEN_FILE="$T/tok.$who" \
        XDG_STATE_HOME="$T/state.$who" "$SO" "$@"
}
remote alice claim --lease 1 --format id
check_eq "remote: alice claims with a 1 s lease" 0:L-001 "$RC:$OUT"
sleep 1.3
remote bob claim --format id
check_eq "remote: bob takes it over" 0:L-001 "$RC:$OUT"
remote alice decide L-001 approve
check_eq "remote: alice's late decide fails" 1 "$RC"
check "remote: and says the lease is gone" lease_gone "$ERR"
remote alice sync
check_contains "remote: nothing waits in alice's outbox" ", 0 waiting" "$OUT"
remote bob decide L-001 edit --body-file "$T/in.jsonl"
check_eq "remote: bob decides" 0 "$RC"
check_eq "remote: exactly one decision, bob's" "1|bob" \
    "$(sql "$Q" "SELECT count(*), min(reviewer) FROM decisions WHERE draft = 'L-001'")"
kill -TERM "$spid"
wait "$spid" 2>/dev/null

# --- 16 processes on one file --------------------------------------------
# worker NAME: claim and decide ROUNDS drafts; log every claimed id.
ROUNDS=${LEASE_ROUNDS:-5}
worker() {
    local me=$1 n id rc
    for n in $(seq 1 "$ROUNDS"); do
        id=$("$SO" claim --format id --reviewer "$me" 2>>"$T/w.$me.err")
        rc=$?
        [ "$rc" = 5 ] && break
        [ "$rc" = 0 ] || { echo "claim exit $rc" >>"$T/w.$me.err"; continue; }
        echo "$id" >>"$T/w.$me.claimed"
        "$SO" decide "$id" approve --reviewer "$me" >/dev/null 2>>"$T/w.$me.err" ||
            echo "decide $id exit $?" >>"$T/w.$me.err"
    done
}
pids=""
for i in $(seq 1 16); do
    worker "w$i" &
    pids="$pids $!"
done
wait $pids
claimed=$(cat "$T"/w.*.claimed 2>/dev/null | wc -l)
twice=$(cat "$T"/w.*.claimed 2>/dev/null | sort | uniq -d | wc -l)
check_eq "16 processes claimed $ROUNDS drafts each" $((16 * ROUNDS)) "$claimed"
check_eq "no draft was claimed by two processes" 0 "$twice"
check_eq "no busy or locked error reached a user" "" \
    "$(cat "$T"/w.*.err 2>/dev/null | grep -i 'busy\|locked' | head -3)"
check_eq "no claim or decide failed" "" "$(cat "$T"/w.*.err 2>/dev/null | head -3)"
check_eq "one decision per claimed draft" "$((claimed + 2))" \
    "$(sql "$Q" "SELECT count(*) FROM decisions WHERE kind <> 'admin'")"
check_eq "integrity_check" ok "$(queue_integrity)"
so verify --quiet
check_eq "the chain verifies" 0 "$RC"
