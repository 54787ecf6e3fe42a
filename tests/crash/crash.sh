#!/bin/bash
# Crash safety: reviewers deciding continuously (tests/crash/reviewer_loop.bash)
# are killed with SIGKILL at random moments, round after round; in remote
# mode the server (`signoff serve`) is killed too, at its own random moment,
# and restarted. After every round:
#   - no decision lost: every acknowledged request id is in the database;
#     decisions that went to a client's outbox are in it once synced (or
#     refused by the server as a lost lease, never silently dropped);
#   - none duplicated: at most one decision per draft;
#   - `signoff verify` passes and the store's own check says ok (PRAGMA
#     integrity_check on a file; on PostgreSQL, tests/pg/crash.sh, the
#     chain head names the last record: queue_integrity in tests/lib.sh).
# At the end, leases recover: every draft left claimed by a killed reviewer
# is decided by another reviewer once its lease ran out.
#   CRASH_SECONDS=20 (per mode; make check) - more for a manual soak, e.g.
#   CRASH_SECONDS=600 bash tests/crash/crash.sh
. "$(dirname "$0")/../lib.sh"
unset SIGNOFF_NOW_MS
SECONDS_PER_MODE=${CRASH_SECONDS:-20}
REVIEWERS=4
LEASE=2
N=3000
DRIVER=$TOP/tests/crash/reviewer_loop.bash
test_queue crash || exit 0
"$SO" init --queue "$Q" >/dev/null
python3 -c "
for i in range($N):
    print('{\"id\":\"K-%05d\",\"workflow\":\"crash\",\"body\":\"Refund allowed for case %d [1].\"}' % (i, i))" >"$T/in.jsonl"
"$SO" enqueue --queue "$Q" "$T/in.jsonl" >/dev/null
check_eq "$N drafts to decide" "$N" "$(sql "$Q" 'SELECT count(*) FROM drafts')"

rand_ms() { echo $((RANDOM % ($2 - $1) + $1)); }
sleep_ms() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }

# --- the server (remote mode) -------------------------------------------
TOKENS=$T/tokens
for i in $(seq 1 $REVIEWERS); do
    tok=$(printf 'crash-token-%02d-%s' "$i" "$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')")
    echo "$tok r$i reviewer" >>"$TOKENS"
    echo "$tok" >"$T/token.r$i"
    chmod 600 "$T/token.r$i"
done
chmod 600 "$TOKENS"
SPID=""
server_start() {
    : >"$T/serve.log"
    "$SO" serve --queue "$Q" --tokens "$TOKENS" --listen "127.0.0.1:${PORT:-0}" \
        2>>"$T/serve.log" &
    SPID=$!
    local i=0 url
    while [ $i -lt 200 ]; do
        url=$(sed -n 's/^signoff: listening on \(http:[^ ]*\)$/\1/p' "$T/serve.log" | head -1)
        if [ -n "$url" ]; then PORT=${url##*:}; URL=$url; return 0; fi
        kill -0 "$SPID" 2>/dev/null || break
        sleep 0.05; i=$((i + 1))
    done
    echo "# serve did not start:"; sed 's/^/# /' "$T/serve.log"
    return 1
}
server_kill() {
    [ -n "$SPID" ] && kill -KILL "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
    SPID=""
}
on_exit 'server_kill'

# --- one round ----------------------------------------------------------
KILLS=0
ROUNDS=0
PGIDS=""
on_exit 'for g in $PGIDS; do kill -KILL -- -$g 2>/dev/null; done'

# reviewers_start MODE: each reviewer in its own process group (setsid), so
# one SIGKILL takes the driver and the signoff it is running.
reviewers_start() {
    PGIDS=""
    for i in $(seq 1 $REVIEWERS); do
        if [ "$1" = remote ]; then
            env SIGNOFF_REVIEWER="r$i" SIGNOFF_QUEUE="$URL" \
                SIGNOFF_TOKEN_FILE="$T/token.r$i" XDG_STATE_HOME="$T/state.r$i" \
                setsid bash "$DRIVER" "$SO" "$T/log.$1.r$i" "$LEASE" </dev/null &
            disown $!
        else
            env SIGNOFF_REVIEWER="r$i" SIGNOFF_QUEUE="$Q" \
                setsid bash "$DRIVER" "$SO" "$T/log.$1.r$i" "$LEASE" </dev/null &
            disown $!
        fi
        PGIDS="$PGIDS $!"
    done
}

# reviewers_kill: SIGKILL every group; count the signoff processes caught.
reviewers_kill() {
    local g caught
    for g in $PGIDS; do
        caught=$(pgrep -g "$g" -x signoff | wc -l)
        KILLS=$((KILLS + caught))
        kill -KILL -- "-$g" 2>/dev/null
    done
    PGIDS=""
}

# The checks of one round.
round_checks() {
    local mode=$1 acked missing dups rc
    cat "$T"/log.$mode.r* 2>/dev/null | awk 'NF == 3 && $1 == "ACK" {print $2}' | sort -u >"$T/acked"
    sql "$Q" "SELECT request_id FROM decisions" | sort -u >"$T/stored"
    missing=$(comm -23 "$T/acked" "$T/stored" | wc -l)
    dups=$(sql "$Q" "SELECT count(*) FROM (SELECT draft FROM decisions GROUP BY draft HAVING count(*) > 1) AS x")
    "$SO" verify --queue "$Q" --quiet >"$T/verify.out" 2>&1
    rc=$?
    if [ "$missing" != 0 ] || [ "$dups" != 0 ] || [ "$rc" != 0 ] ||
       [ "$(queue_integrity)" != ok ]; then
        notok "$mode round $ROUNDS: lost $missing, duplicated $dups, verify rc $rc"
        sed 's/^/    /' "$T/verify.out"
        comm -23 "$T/acked" "$T/stored" | head -3 | sed 's/^/    lost: /'
        return 1
    fi
    return 0
}

# sync_outboxes: send what the killed remote reviewers left in their outbox.
sync_outboxes() {
    local i
    for i in $(seq 1 $REVIEWERS); do
        [ -d "$T/state.r$i" ] || continue
        env SIGNOFF_QUEUE="$URL" SIGNOFF_TOKEN_FILE="$T/token.r$i" \
            XDG_STATE_HOME="$T/state.r$i" "$SO" sync >>"$T/sync.log" 2>&1
    done
}

run_mode() {
    local mode=$1 end=$((SECONDS + SECONDS_PER_MODE)) bad=0 before=$ROUNDS
    local kills_before=$KILLS
    [ "$mode" = remote ] && { server_start || { notok "serve starts"; return; }; }
    while [ $SECONDS -lt $end ] && [ $bad = 0 ]; do
        ROUNDS=$((ROUNDS + 1))
        reviewers_start "$mode"
        local t=$(rand_ms 300 1500)
        if [ "$mode" = remote ]; then
            local s=$(rand_ms 50 "$t")
            sleep_ms "$s"
            server_kill
            KILLS=$((KILLS + 1))
            # Down for a while: decisions in flight go to the outboxes.
            sleep_ms "$(rand_ms 0 1500)"
            server_start || { notok "serve restarts"; bad=1; }
            sleep_ms $((t - s))
        else
            sleep_ms "$t"
        fi
        reviewers_kill
        [ "$mode" = remote ] && sync_outboxes
        round_checks "$mode" || bad=1
    done
    [ $bad = 0 ] && ok "$mode: $((ROUNDS - before)) rounds, $((KILLS - kills_before)) processes killed: nothing lost or duplicated, chain and integrity ok after each"
    echo "# $mode: $(sql "$Q" "SELECT count(*) FROM decisions WHERE kind <> 'admin'") decisions so far"
}

for m in ${CRASH_MODES:-local remote}; do run_mode "$m"; done

# Queued (outbox) decisions: after a last sync each one is stored, or sits
# in the outbox's failed table because the server refused it for good (its
# lease ran out while the server was away); none is left waiting.
if [ -n "${URL:-}" ]; then
    cat "$T"/log.remote.r* 2>/dev/null | awk 'NF == 3 && $1 == "QUEUED" {print $2}' | sort -u >"$T/queued"
    sync_outboxes
    : >"$T/failed"
    waiting=0
    for ob in "$T"/state.r*/signoff/outbox.db; do
        [ -f "$ob" ] || continue
        waiting=$((waiting + $(sql "$ob" 'SELECT count(*) FROM outbox')))
        sql "$ob" 'SELECT request_id FROM failed' >>"$T/failed"
    done
    sql "$Q" "SELECT request_id FROM decisions" | sort -u >"$T/stored"
    sort -u "$T/stored" "$T/failed" >"$T/accounted"
    check_eq "no outbox keeps a decision after sync" 0 "$waiting"
    check_eq "every queued decision ($(wc -l <"$T/queued")) is stored or reported failed" "" \
        "$(comm -23 "$T/queued" "$T/accounted" | head -3)"
    echo "# $(wc -l <"$T/failed") queued decisions were refused for a lost lease"
fi
server_kill

# Leases recover: drafts left claimed by killed reviewers are decided by
# someone else once the lease ran out.
sleep $((LEASE + 1))
mapfile -t stuck < <(sql "$Q" "SELECT id FROM drafts WHERE status = 'claimed'")
fails=0
for id in "${stuck[@]}"; do
    "$SO" decide --queue "$Q" --reviewer rescuer "$id" approve >/dev/null 2>"$T/rescue.err" ||
        { fails=$((fails + 1)); sed 's/^/    /' "$T/rescue.err"; }
done
check_eq "all ${#stuck[@]} drafts left claimed by killed reviewers are decided after the lease" 0 "$fails"
check_eq "one decision per decided draft" \
    "$(sql "$Q" "SELECT count(*) FROM drafts WHERE status = 'decided'")" \
    "$(sql "$Q" "SELECT count(*) FROM decisions WHERE kind <> 'admin'")"
check_eq "integrity_check at the end" ok "$(queue_integrity)"
so verify --queue "$Q"
check_eq "the chain verifies at the end" 0 "$RC"
echo "# $ROUNDS rounds, $KILLS processes killed, $(sql "$Q" "SELECT count(*) FROM decisions WHERE kind <> 'admin'") decisions"
