#!/bin/bash
# Wide characters wrap at the right column: a run of CJK characters (two
# columns each) breaks so that no character straddles the pane edge and no
# line is wider than the terminal; combining accents stay on their letter.
. "$(dirname "$0")/ui.inc"
han=$(printf '漢%.0s' $(seq 1 300))
for size in $SIZES; do
    cols=${size%x*}
    newq "wide-$size"
    jd W-1 "Wide 漢字 title" "Start ${han} café e\u0301 end" 1 | enq
    review "$size"
    ui_wait "W-1"; ui_keys Enter
    check "$size: wide draft open" ui_wait "Start"
    S=$(ui_screen)
    check "$size: no line wider than the terminal" test "$(wc -L <<<"$S")" -le "$cols"
    pane=$([ "$cols" -ge 120 ] && echo $((cols * 3 / 5 - 1)) || echo $((cols - 1)))
    [ "$pane" -gt 96 ] && pane=96 # the body's readable measure
    per=$((pane / 2))
    check "$size: a full line holds $per wide characters ($pane columns)" \
        grep -qE "^(漢){$per}( |\||\$)" <<<"$S"
    check_contains "$size: combining accent kept" "café e$(printf '\314\201') end" "$S"
    ui_keys q q; exited >/dev/null; ui_stop
done
