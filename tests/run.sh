#!/bin/sh
# Run every test suite and print one summary line "N passed, N failed".
#   tests/run.sh [SUITE...]   suites: unit, and every directory tests/*/ with *.sh
# Each shell test prints TAP-like lines ("ok - what" / "not ok - what"); a
# cmocka binary prints TAP (CMOCKA_MESSAGE_OUTPUT=TAP). A script that exits
# non-zero, or asserts nothing, counts as a failure. With SIGNOFF_NO_ASAN=1
# only the plain build runs; otherwise everything runs again under
# AddressSanitizer + UBSan (LeakSanitizer included), except the suites in
# $plain_only, which run in the plain pass only.
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
plain_only="e2e_remote"
modes="plain"
[ "${SIGNOFF_NO_ASAN:-}" = 1 ] || modes="plain asan"

passed=0
failed=0
logroot="$build/test-logs"
rm -rf "$logroot"
mkdir -p "$logroot"

# tally LOG RC NAME: count ok/not ok lines of one run and report it.
tally() {
    log=$1 rc=$2 name=$3 secs=${4:-0}
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
        printf 'PASS %-40s %4d checks %4ds\n' "$name" "$nok" "$secs"
    else
        printf 'FAIL %-40s %d ok, %d failed%s %ds\n' "$name" "$nok" "$nfail" "$extra" "$secs"
        grep '^not ok ' "$log" | head -20 | sed 's/^/    /'
        echo "    log: $log"
        tail -n 15 "$log" | sed 's/^/    | /'
    fi
}

for mode in $modes; do
    if [ "$mode" = asan ]; then
        bin="$build/asan/signoff"; unitdir="$build/asan/tests"
    else
        bin="$build/signoff"; unitdir="$build/tests"
    fi
    echo "== $mode build ($bin)"
    for suite in $suites; do
        if [ "$mode" = asan ]; then
            case " $plain_only " in *" $suite "*) continue ;; esac
        fi
        mkdir -p "$logroot/$mode/$suite"
        if [ "$suite" = unit ]; then
            for t in "$unitdir"/test_*; do
                [ -x "$t" ] || continue
                name=$(basename "$t")
                log="$logroot/$mode/unit/$name.log"
                t0=$(date +%s)
                ( cd "$top" && CMOCKA_MESSAGE_OUTPUT=TAP \
                  ASAN_OPTIONS="log_path=$log.san:detect_leaks=1" \
                  UBSAN_OPTIONS="log_path=$log.san:print_stacktrace=1:halt_on_error=1" \
                  timeout 300 "$t" ) >"$log" 2>&1
                rc=$?
                tally "$log" $rc "$mode/unit/$name" $(( $(date +%s) - t0 ))
            done
            continue
        fi
        for t in tests/"$suite"/*.sh; do
            [ -f "$t" ] || continue
            name=$(basename "$t" .sh)
            log="$logroot/$mode/$suite/$name.log"
            t0=$(date +%s)
            SIGNOFF_BIN="$bin" SIGNOFF_MODE="$mode" SIGNOFF_TOP="$top" \
            SIGNOFF_SAN_LOG="$log.san" \
                timeout 600 bash "$t" >"$log" 2>&1 </dev/null
            rc=$?
            tally "$log" $rc "$mode/$suite/$name" $(( $(date +%s) - t0 ))
        done
    done
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
