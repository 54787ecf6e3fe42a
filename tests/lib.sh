# Shared helpers for shell tests (source it). Each test prints "ok - what"
# or "not ok - what"; tests/run.sh counts them.
#   SIGNOFF_BIN  the binary under test (default build/signoff)
set -u
TOP=${SIGNOFF_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
SO=${SIGNOFF_BIN:-$TOP/build/signoff}
T=$(mktemp -d "${TMPDIR:-/tmp}/signoff-test.XXXXXX")
export HOME="$T/home" XDG_DATA_HOME="$T/home/data" XDG_STATE_HOME="$T/home/state" \
       XDG_CONFIG_HOME="$T/home/config" TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 \
       SIGNOFF_REVIEWER=alice NO_COLOR= TERM=xterm-256color
unset SIGNOFF_QUEUE SIGNOFF_TOKEN_FILE VISUAL EDITOR
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_STATE_HOME" "$XDG_CONFIG_HOME"
if [ -n "${SIGNOFF_SAN_LOG:-}" ]; then
    export ASAN_OPTIONS="log_path=$SIGNOFF_SAN_LOG:detect_leaks=1"
    export UBSAN_OPTIONS="log_path=$SIGNOFF_SAN_LOG:print_stacktrace=1:halt_on_error=1"
fi
_cleanup_hooks=""
on_exit() { _cleanup_hooks="$1; $_cleanup_hooks"; }
# Processes of this test still running at its end (their command lines name
# $T) get 5 s to finish (a sanitized binary checks for leaks as it exits),
# then SIGKILL: a UI whose terminal went away must not outlive its test (an
# ASan UI was once seen spinning in LeakSanitizer's exit for minutes).
_reap() {
    command -v pgrep >/dev/null 2>&1 || return 0
    local i=0
    while pgrep -f -- "$T/" >/dev/null && [ $i -lt 50 ]; do
        sleep 0.1; i=$((i + 1))
    done
    pkill -KILL -f -- "$T/" 2>/dev/null || true
}
trap 'eval "$_cleanup_hooks"; _reap; rm -rf "$T"' EXIT

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }

# check NAME COMMAND...: ok if the command succeeds.
check() { local n=$1; shift; if "$@"; then ok "$n"; else notok "$n"; fi; }

# check_eq NAME EXPECTED ACTUAL
check_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else
        notok "$1"; printf '    expected: %s\n    actual:   %s\n' "$2" "$3"; fi
}
# check_contains NAME NEEDLE HAYSTACK
check_contains() {
    case "$3" in *"$2"*) ok "$1" ;; *)
        notok "$1"; printf '    missing: %s\n    in: %s\n' "$2" "$(printf %s "$3" | head -c 2000)" ;; esac
}
check_not_contains() {
    case "$3" in *"$2"*) notok "$1"; printf '    unexpected: %s\n' "$2" ;; *) ok "$1" ;; esac
}

# run CMD...: capture stdout in $OUT, stderr in $ERR, exit code in $RC.
run() {
    "$@" >"$T/.out" 2>"$T/.err"
    RC=$?
    OUT=$(cat "$T/.out")
    ERR=$(cat "$T/.err")
}
# so ARGS...: run the binary under test.
so() { run "$SO" "$@"; }

# wait_for SECONDS CMD...: run CMD 20 times a second until it succeeds;
# 1 if it never does within SECONDS. Every wait in a test is one of these
# (or ui_wait), never a bare sleep.
wait_for() {
    local lim=$(( $1 * 20 )) i=0
    shift
    while [ $i -lt $lim ]; do
        "$@" && return 0
        sleep 0.05; i=$((i + 1))
    done
    return 1
}

# shared_bin USER: a copy of the binary under test that USER can run, in
# $SHARED_BIN. $SO may sit in a checkout other users cannot enter (a clone
# under a 0700 home directory), so tests that run it as another user run
# this copy in $T/bin instead ($T itself becomes 0711). Fails the test,
# never skips, when USER still cannot run it (a private $TMPDIR).
shared_bin() {
    SHARED_BIN=$T/bin/$(basename "$SO")
    mkdir -p "$T/bin" && cp "$SO" "$SHARED_BIN" &&
        chmod 0755 "$T/bin" "$SHARED_BIN" && chmod 0711 "$T" || return 1
    if ! setpriv --reuid="$1" --regid="$(id -g "$1" 2>/dev/null || echo 65534)" \
            --clear-groups "$SHARED_BIN" --version >/dev/null 2>&1; then
        notok "user $1 can run $SHARED_BIN (is \$TMPDIR private?)"
        return 1
    fi
}

# sql DB SQL: query with the sqlite3 shell.
# A busy timeout: a reviewer process may hold the write lock for a moment.
# A PostgreSQL queue spec (tests/pg/, SIGNOFF_TEST_BACKEND=pg) is queried
# with psql on its database instead, rows printed the same way (a|b).
sql() {
    case $1 in
    postgresql:///*)
        local db=${1#postgresql:///}
        pg_psql "${db%%\?*}" -c "$2" ;;
    *) sqlite3 -batch -noheader -cmd '.timeout 10000' "$1" "$2" ;;
    esac
}

# A python3 that has jsonschema and yaml (PATH's, else Debian's), for
# scripts/openapi_check.py.
openapi_python() {
    local py
    for py in python3 /usr/bin/python3; do
        "$py" -c 'import jsonschema, yaml' 2>/dev/null && { echo "$py"; return 0; }
    done
    return 1
}

# A free TCP port on 127.0.0.1.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
    echo $((20000 + RANDOM % 20000))
}

# --- tmux: drive the real UI --------------------------------------------
TMUX_SOCK="so$$"
tm() { tmux -L "$TMUX_SOCK" -f /dev/null "$@"; }
# ui_start COLS ROWS CMD...: start CMD in a detached session "ui".
ui_start() {
    local cols=$1 rows=$2; shift 2
    on_exit "tmux -L $TMUX_SOCK kill-server 2>/dev/null"
    tm new-session -d -s ui -x "$cols" -y "$rows" \
        "env TERM=${UI_TERM:-xterm-256color} $(printf '%q ' "$@"); echo __EXITED__ rc=\$?; sleep 600"
    tm set-option -g remain-on-exit on >/dev/null 2>&1 || true
}
ui_keys() { tm send-keys -t ui "$@"; }
ui_screen() { tm capture-pane -p -t ui; }
# on_screen TEXT: true if the screen holds TEXT (as grep -F: with several
# lines, any one of them). One tmux call and no grep for a one-line TEXT:
# the waits below poll it 20 times a second.
on_screen() {
    case $1 in
    *$'\n'*) ui_screen | grep -qF -- "$1" ;;
    *) [[ $(ui_screen) == *"$1"* ]] ;;
    esac
}
# ui_wait TEXT [SECONDS]: wait until TEXT is on screen, then until the
# screen holds still (two captures 20 ms apart alike, for at most 2 s more):
# a screen written in several chunks is read whole by the ui_screen that
# follows, not half old, half new. 1 if TEXT never shows.
ui_wait() {
    local i=0 lim=$(( ${2:-10} * 20 )) a b
    while [ $i -lt $lim ]; do
        if on_screen "$1"; then
            a=$(ui_screen)
            for i in $(seq 100); do
                sleep 0.02
                b=$(ui_screen)
                [ "$a" = "$b" ] && return 0
                a=$b
            done
            return 0
        fi
        sleep 0.05; i=$((i + 1))
    done
    return 1
}
# ui_wait_gone TEXT [SECONDS]
ui_wait_gone() {
    local i=0 lim=$(( ${2:-10} * 20 ))
    while [ $i -lt $lim ]; do
        on_screen "$1" || return 0
        sleep 0.05; i=$((i + 1))
    done
    return 1
}
ui_resize() { tm resize-window -t ui -x "$1" -y "$2"; }
ui_stop() { tm kill-server 2>/dev/null || true; }

# --- PostgreSQL: a database of this script's own -------------------------
# pg_queue NAME: create database NAME (prefixed with this script's pid)
# in the run's throwaway cluster (tests/pg_cluster.sh; tests/run.sh starts
# one per run, a script run by hand starts its own) from its template, and
# set $PGQ to its queue spec (a libpq URI over the cluster's Unix socket).
# Returns 1 after printing why when no cluster can be had: "not ok" in CI
# (CI=true) or under tests/run.sh, else a loud SKIP for a script run by hand
# on a machine without PostgreSQL.
pg_queue() {
    if [ -z "${SIGNOFF_PG_HOST:-}" ]; then
        . "$TOP/tests/pg_cluster.sh"
        if ! pg_cluster_start; then
            if [ "${CI:-}" = true ] || [ -n "${SIGNOFF_MODE:-}" ]; then
                notok "a PostgreSQL cluster for the tests (make deps installs Debian's postgresql)"
            else
                echo "!!! PostgreSQL is not installed: the PostgreSQL tests did NOT run !!!" >&2
                ok "PostgreSQL tests # SKIP PostgreSQL is not installed"
            fi
            return 1
        fi
        on_exit pg_cluster_stop
    fi
    local db
    db=$(printf 'so_%s_%s' "$$" "$1" | tr -c 'a-zA-Z0-9_\n' '_' | tr 'A-Z' 'a-z' | cut -c1-60)
    pg_psql postgres -c "CREATE DATABASE $db TEMPLATE so_template" >/dev/null || return 1
    PGQ="postgresql:///$db?host=$SIGNOFF_PG_HOST&user=$SIGNOFF_PG_USER"
    PGDB=$db
}
# pg_unit NAME: run the cmocka unit test NAME (tests/unit/NAME.c, built
# beside the binary under test: build/tests/ or build/asan/tests/) on the
# cluster (SIGNOFF_TEST_BACKEND=pg: store_fixture.h makes a database per
# test); its TAP lines are this script's, a skip (cmocka's TAP prints it
# "not ok N # SKIP name") as "ok N - name # SKIP" below its reason.
pg_unit() {
    local bin
    bin="$(dirname "$SO")/tests/$1"
    pg_queue unit || return 1
    if [ ! -x "$bin" ]; then
        notok "$bin is built (make ${bin#"$TOP"/})"
        return 1
    fi
    SIGNOFF_TEST_BACKEND=pg CMOCKA_MESSAGE_OUTPUT=TAP "$bin" 2>&1 |
        sed -e 's/^not ok \([0-9]*\) # SKIP \(.*\)$/ok \1 - \2 # SKIP/'
    local rc=${PIPESTATUS[0]}
    [ "$rc" = 0 ] || notok "$1 exits 0 (exit $rc)"
}
# pg_short_spec: on PostgreSQL, $Q without host and user, which libpq then
# takes from PGHOST and PGUSER (exported here): a spec about as long as a
# queue file's path, for the UI checks that depend on what fits a line
# (tests/e2e/ui_status_bar.sh, ui_not_saved.sh). No-op on a file.
pg_short_spec() {
    [ "$(test_backend)" = pg ] || return 0
    export PGHOST=$SIGNOFF_PG_HOST PGUSER=$SIGNOFF_PG_USER
    Q="postgresql:///$PGDB"
}
# pg_psql DB ARGS...: psql on the test cluster, unaligned and quiet.
pg_psql() {
    local db=$1; shift
    "$SIGNOFF_PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$SIGNOFF_PG_HOST" \
        -U "$SIGNOFF_PG_USER" -d "$db" "$@"
}
# psq SQL: one query on this script's database ($PGDB), rows as a|b.
psq() { pg_psql "$PGDB" -c "$1"; }

# --- the backend under test ----------------------------------------------
# SIGNOFF_TEST_BACKEND=pg (the wrappers in tests/pg/ set it) runs a script
# written for a queue file on a PostgreSQL database instead: test_queue
# NAME sets $Q to a queue spec (a file in $T, or a database of this
# script's own), qsql SQL queries it either way (rows as a|b), and
# test_backend says which.
test_backend() { echo "${SIGNOFF_TEST_BACKEND:-sqlite}"; }
test_queue() {
    if [ "$(test_backend)" = pg ]; then
        pg_queue "$1" || return 1
        Q=$PGQ
    else
        Q=$T/$1.db
    fi
}
qsql() {
    if [ "$(test_backend)" = pg ]; then psq "$1"; else sql "$Q" "$1"; fi
}
# demo_queue NAME: the demo queue (signoff demo) in $Q: the file
# the demo writes, or on PostgreSQL that file copied into a database of
# this script's own (signoff copy).
demo_queue() {
    "$SO" demo --no-ui --queue "$T/$1.db" >/dev/null 2>&1 ||
        notok "signoff demo writes $T/$1.db"
    if [ "$(test_backend)" = pg ]; then
        pg_queue "$1" || return 1
        Q=$PGQ
        "$SO" copy --from "$T/$1.db" --to "$Q" >/dev/null 2>"$T/$1.copy.err" ||
            { notok "signoff copy of the demo queue"; cat "$T/$1.copy.err"; }
    else
        Q=$T/$1.db
    fi
}
# queue_integrity: the store's own consistency check of $Q, "ok" when it
# holds: PRAGMA integrity_check on a file; on PostgreSQL (whose pages the
# server checks) the chain head names the last record and every decided
# draft has a decision.
queue_integrity() {
    if [ "$(test_backend)" = pg ]; then
        psq "SELECT CASE WHEN h.seq <> coalesce((SELECT max(seq) FROM decisions), 0)
                 THEN 'chain head at ' || h.seq || ', last record elsewhere'
             WHEN EXISTS (SELECT 1 FROM drafts d WHERE d.status = 'decided'
                 AND NOT EXISTS (SELECT 1 FROM decisions e WHERE e.draft = d.id))
                 THEN 'a decided draft without a decision'
             ELSE 'ok' END FROM chain_head h"
    else
        sql "$Q" 'PRAGMA integrity_check'
    fi
}
