#!/bin/bash
# The layers of docs/architecture.md hold: no include cycle between modules,
# no call cycle between the program's objects, and no layer includes what
# it must not (scripts/layers.py, also `make lint`). A planted cycle and a
# planted forbidden include are found, so the check can fail.
. "$(dirname "$0")/../lib.sh"
objdir=$(dirname "$SO")/obj
run python3 "$TOP/scripts/layers.py" "$objdir"
check_eq "scripts/layers.py finds nothing" 0 "$RC"
check_contains "it read the objects" "objects)" "$OUT"
printf '%s\n' "$OUT" | grep '^layers:' | sed 's/^/# /'

# A copy of the tree with one cycle and one forbidden include planted.
mkdir -p "$T/tree"
cp -r "$TOP/src" "$TOP/include" "$TOP/scripts" "$T/tree/"
printf '#include "signoff/ui/ui.h"\n' >>"$T/tree/include/signoff/queue.h"
printf '#include <curses.h>\n' >>"$T/tree/src/store/sqlite/read.c"
run python3 "$T/tree/scripts/layers.py"
check_eq "a planted cycle fails the check" 1 "$RC"
check_contains "the cycle is named" "include cycle:" "$OUT"
check_contains "the forbidden include is named" \
    "src/store/sqlite/read.c: includes <curses.h> (store must not)" "$OUT"
check_contains "the model including a layer is named" \
    "include/signoff/queue.h: includes signoff/ui/ui.h" "$OUT"
