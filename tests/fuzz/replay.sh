#!/bin/bash
# Replay the fuzz corpus (tests/fuzz/corpus/NAME/*) through every harness,
# built with a standalone main under ASan+UBSan (make fuzz-replay). Part of
# make check; `make fuzz` is the libFuzzer run.
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1
BUILD=${BUILD:-build}
if ! make -s --no-print-directory BUILD="$BUILD" fuzz-replay >"$T/make.log" 2>&1; then
    notok "fuzz replay harnesses build"; tail -n 30 "$T/make.log"; exit 1
fi
ok "fuzz replay harnesses build"
for src in tests/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c); name=${name#fuzz_}
    corpus=tests/fuzz/corpus/$name
    count=$(ls "$corpus" 2>/dev/null | wc -l)
    if [ "$count" = 0 ]; then notok "fuzz_$name has a seed corpus"; continue; fi
    run "$BUILD/fuzz/replay/fuzz_$name" "$corpus"
    if [ "$RC" = 0 ] && [ "$OUT" = "replayed $count inputs" ]; then
        ok "fuzz_$name replays its $count corpus inputs clean"
    else
        notok "fuzz_$name replays its $count corpus inputs clean (rc $RC)"
        printf '%s\n' "$OUT" "$ERR" | tail -n 30 | sed 's/^/    /'
    fi
done
