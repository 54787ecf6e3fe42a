#!/bin/bash
# Run every test suite and print one summary line "N passed, N failed".
#   tests/run.sh [SUITE...]   suites: unit, and every directory tests/*/ with *.sh
# Each shell test prints TAP-like lines ("ok - what" / "not ok - what"); a
# cmocka binary prints TAP (CMOCKA_MESSAGE_OUTPUT=TAP). A script that exits
# non-zero, or asserts nothing, counts as a failure. With SIGNOFF_NO_ASAN=1
# only the plain build runs; otherwise everything runs again under
# AddressSanitizer + UBSan (LeakSanitizer included), except the suites in
# $plain_only, which run in the plain pass only (fuzz: its replay harnesses
# are always built with ASan+UBSan; e2e_remote: the e2e suite again through
# a server). Scripts run SIGNOFF_TEST_JOBS at a time (default: cores + 1);
# each one's PASS/FAIL block is printed whole when it ends.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build="$top/${BUILD:-build}"
cd "$top" || exit 1

suites="$*"
if [ -z "$suites" ]; then
    suites="unit"
    for d in tests/*/; do
        d=${d%/}; d=${d#tests/}
        [ "$d" = unit ] && continue
        ls tests/"$d"/*.sh >/dev/null 2>&1 && suites="$suites $d"
    done
fi
plain_only="fuzz e2e_remote lint"
# Scripts of the pg suite that run in the plain pass only: the e2e UI
# scripts again on a database. Their UI code runs under ASan in asan/e2e
# already, and the PostgreSQL store under ASan in the pg suite's CLI, HTTP,
# unit, crash and copy scripts; this keeps make check within its budget
# (plain_only_pg below names them).
modes="plain"
[ "${SIGNOFF_NO_ASAN:-}" = 1 ] || modes="plain asan"

# The PostgreSQL suite gets one throwaway cluster for the whole run
# (tests/pg_cluster.sh), stopped when the run ends, however it ends; each
# script makes a database of its own in it (tests/lib.sh: pg_queue).
case " $suites " in
*" pg "*)
    . tests/pg_cluster.sh
    trap pg_cluster_stop EXIT
    trap 'exit 130' INT TERM HUP
    if pg_cluster_start; then
        echo "== PostgreSQL $("$SIGNOFF_PG_BIN/postgres" --version | awk '{print $3}') for the pg suite at $SIGNOFF_PG_HOST"
    else
        echo "!!! no PostgreSQL cluster: every pg test fails (make deps installs Debian's postgresql) !!!"
    fi
    ;;
esac

passed=0
failed=0
logroot="$build/test-logs"
rm -rf "$logroot"
mkdir -p "$logroot"

# tally LOG RC NAME SECONDS CPU-SECONDS: count the ok/not ok lines of one run
# and report it.
tally() {
    log=$1 rc=$2 name=$3 secs=${4:-0} cpu=${5:-0}
    nok=$(grep -c '^ok ' "$log")
    nfail=$(grep -c '^not ok ' "$log")
    extra=""
    if [ "$rc" != 0 ] && [ "$nfail" = 0 ]; then
        nfail=1; extra=" (exit $rc)"
    fi
    if [ "$nok" = 0 ] && [ "$nfail" = 0 ]; then
        nfail=1; extra=" (asserted nothing)"
    fi
    if [ -n "$(ls "$log".san.* 2>/dev/null)" ]; then
        nfail=$((nfail + 1)); extra="$extra (sanitizer report: $(ls "$log".san.* | head -1))"
    fi
    passed=$((passed + nok))
    failed=$((failed + nfail))
    if [ "$nfail" = 0 ]; then
        printf 'PASS %-40s %4d checks %4ds %4ds cpu\n' "$name" "$nok" "$secs" "$cpu"
    else
        printf 'FAIL %-40s %d ok, %d failed%s %ds %ds cpu\n' "$name" "$nok" "$nfail" "$extra" "$secs" "$cpu"
        grep '^not ok ' "$log" | head -20 | sed 's/^/    /'
        echo "    log: $log"
        tail -n 15 "$log" | sed 's/^/    | /'
    fi
}

# The scripts that load both cores by themselves (many processes deciding
# at once): at most one of them runs at a time, and they start first, being
# the longest; everything else fills the other job slots around them.
heavy="cli/concurrency pg/concurrency pg/two_servers pg/http_concurrency crash/crash pg/crash http/concurrency crash/idle_ui \
crash/leases crash/group unit/test_store_concurrency"
jobs=${SIGNOFF_TEST_JOBS:-$(( $(nproc 2>/dev/null || echo 2) + 1 ))}

# dir_of MODE: the build directory of that mode's binary and unit tests.
dir_of() { if [ "$1" = asan ]; then echo "$build/asan"; else echo "$build"; fi; }

# in_mode MODE SUITE: true if SUITE runs in that mode's pass.
in_mode() {
    case " $suites " in *" $2 "*) ;; *) return 1 ;; esac
    [ "$1" = plain ] && return 0
    case " $plain_only " in *" $2 "*) return 1 ;; esac
}

# plain_only_pg NAME: true if pg/NAME runs in the plain pass only (the
# patterns of $pg_plain_only).
plain_only_pg() {
    case $1 in
    ui_* | foureyes_demo | foureyes_queue | foureyes_ui | monitor* | escalation_inbox) return 0 ;;
    esac
    return 1
}

# Job lists, one entry "MODE SUITE NAME" each: the heavy scripts in the
# order of $heavy (each build's in turn), then the rest in suite order.
heavy_q=()
light_q=()
for h in $heavy; do
    for mode in $modes; do
        in_mode "$mode" "${h%/*}" || continue
        t=tests/$h.sh
        [ "${h%/*}" = unit ] && t=$(dir_of "$mode")/tests/${h#*/}
        [ -f "$t" ] && heavy_q+=("$mode ${h%/*} ${h#*/}")
    done
done
for mode in $modes; do
    echo "== $mode build ($(dir_of "$mode")/signoff)"
    for suite in $suites; do
        in_mode "$mode" "$suite" || continue
        mkdir -p "$logroot/$mode/$suite"
        if [ "$suite" = unit ]; then
            set -- "$(dir_of "$mode")"/tests/test_*
        else
            set -- tests/"$suite"/*.sh
        fi
        for t in "$@"; do
            [ -f "$t" ] || continue
            case $t in *.d) continue ;; esac # the unit tests' make dependencies
            name=$(basename "$t" .sh)
            if [ "$mode" = asan ] && [ "$suite" = pg ] && plain_only_pg "$name"; then
                continue
            fi
            case " $heavy " in
            *" $suite/$name "*) ;;
            *) light_q+=("$mode $suite $name") ;;
            esac
        done
    done
done
echo "== $(( ${#heavy_q[@]} + ${#light_q[@]} )) scripts, $jobs at a time"

# run_job MODE SUITE NAME: run one script or unit binary with its log
# in $logroot/MODE/SUITE/NAME.log; write "RC SECONDS CPU-SECONDS" (user + sys
# of everything it waited for) to the log's .res file.
run_job() {
    local mode=$1 suite=$2 name=$3 rc t0
    local log="$logroot/$mode/$suite/$name.log"
    t0=$(date +%s)
    if [ "$suite" = unit ]; then
        CMOCKA_MESSAGE_OUTPUT=TAP \
        ASAN_OPTIONS="log_path=$log.san:detect_leaks=1" \
        UBSAN_OPTIONS="log_path=$log.san:print_stacktrace=1:halt_on_error=1" \
            timeout 300 "$(dir_of "$mode")/tests/$name" >"$log" 2>&1 </dev/null
    else
        SIGNOFF_BIN="$(dir_of "$mode")/signoff" SIGNOFF_MODE="$mode" SIGNOFF_TOP="$top" \
        SIGNOFF_SAN_LOG="$log.san" \
            timeout 600 bash "tests/$suite/$name.sh" >"$log" 2>&1 </dev/null
    fi
    rc=$?
    times >"$log.times"
    echo "$rc $(( $(date +%s) - t0 )) $(awk 'NR == 2 {
        split($1, u, /[ms]/); split($2, s, /[ms]/)
        printf "%d", u[1] * 60 + u[2] + s[1] * 60 + s[2] + 0.5 }' "$log.times")" >"$log.res"
}

# start JOB: run it in the background and remember it as running.
declare -A running=()
heavy_running=""
start() {
    # shellcheck disable=SC2086
    run_job $1 &
    running[$!]=$1
}

# reap PID: report a finished job.
reap() {
    local job=${running[$1]} log res
    unset "running[$1]"
    set -- $job
    [ "$heavy_running" = "$*" ] && heavy_running=""
    log="$logroot/$1/$2/$3.log"
    res="1 0 0"
    [ -f "$log.res" ] && res=$(cat "$log.res")
    set -- "$log" "$1/$2/$3" $res
    tally "$1" "$3" "$2" "$4" "$5"
}

hi=0
li=0
while [ $hi -lt ${#heavy_q[@]} ] || [ $li -lt ${#light_q[@]} ] || [ ${#running[@]} -gt 0 ]; do
    while [ ${#running[@]} -lt "$jobs" ]; do
        if [ $hi -lt ${#heavy_q[@]} ] && [ -z "$heavy_running" ]; then
            heavy_running=${heavy_q[$hi]}; start "$heavy_running"; hi=$((hi + 1))
        elif [ $li -lt ${#light_q[@]} ]; then
            start "${light_q[$li]}"; li=$((li + 1))
        else
            break
        fi
    done
    [ ${#running[@]} -gt 0 ] || break
    wait -n -p done_pid
    [ -n "${running[$done_pid]:-}" ] && reap "$done_pid"
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
