#!/bin/bash
# The manual pages format without warnings (groff, mandoc -Tlint, man at
# 80 columns), and signoff(1) documents every command and every short and
# long option that a command's --help offers, and nothing else (stale docs
# fail here: tests/cli/man_options.py).
. "$(dirname "$0")/../lib.sh"
for page in "$TOP/man/signoff.1" "$TOP/man/signoff-queue.5"; do
    name=$(basename "$page")
    # -Tutf8: the page is read on terminals (the sparkline glyphs of
    # STATISTICS exist there, not in groff's default PostScript device).
    run groff -ww -man -Tutf8 -z "$page"
    check_eq "$name: groff -ww reports nothing" "0 " "$RC $ERR"
    run env MANWIDTH=80 man -l "$page"
    check_eq "$name: man -l renders it" 0 "$RC"
done
# mandoc's linter: nothing at all (an ISO date in .TH, lines of at most 80
# bytes, nothing it cannot parse).
for page in "$TOP/man/signoff.1" "$TOP/man/signoff-queue.5"; do
    name=$(basename "$page")
    run mandoc -Tlint "$page"
    check_eq "$name: mandoc -Tlint reports nothing" "0 " "$RC $OUT$ERR"
    # man's own warnings at 80 columns (tables wider than the line)
    run env MANWIDTH=80 man --warnings -l "$page"
    check_eq "$name: MANWIDTH=80 man --warnings reports nothing" "0 " "$RC $ERR"
    check_eq "$name: no rendered line over 80 columns" "" \
        "$(printf '%s\n' "$OUT" | python3 -c 'import sys
for n, l in enumerate(sys.stdin, 1):
    if len(l.rstrip("\n")) > 80: print(n, l.rstrip())' | head -3)"
done
# Every option of every --help (short and long) is in signoff(1), in the
# command's section, and every option signoff(1) names is in a --help.
python3 "$TOP/tests/cli/man_options.py" "$SO" "$TOP/man/signoff.1"
