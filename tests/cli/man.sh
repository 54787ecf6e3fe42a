#!/bin/bash
# The manual pages format without warnings, and signoff(1) documents every
# command and every long option that a command's --help offers (stale docs
# fail here).
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
man1=$(cat "$TOP/man/signoff.1")
so --help
cmds=$(printf '%s\n' "$OUT" | awk '/^Commands:/{on=1; next} on && !NF {exit} on {print $1}')
check "signoff --help lists commands" test -n "$cmds"
for c in $cmds; do
    case "$man1" in *".SS \"signoff $c "* | *".SS \"signoff [$c] "*) ok "signoff(1) has a section for $c" ;;
        *) notok "signoff(1) has a section for $c" ;; esac
    "$SO" "$c" --help >"$T/help" 2>&1
    for o in $(grep -o -- '--[a-z][a-z-]*' "$T/help" | sort -u); do
        esc=${o//-/\\-}
        check_contains "signoff(1) documents $c $o" "$esc" "$man1"
    done
done
