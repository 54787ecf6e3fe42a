#!/bin/bash
# Hostile drafts are inert: escape sequences, OSC, bidi overrides, C1
# controls, backspaces and invalid UTF-8 are drawn as visible tokens with a
# "hidden characters" badge, and never reach the terminal raw (checked on
# the bytes the UI writes, captured with tmux pipe-pane). A 1 MiB body and
# a 500-character word wrap at the right column.
. "$(dirname "$0")/ui.inc"
body='Approve\u0008\u0008\u0008\u0008\u0008\u0008\u0008Reject \u001b[8;1;1tEVIL-CSI \u001b]52;c;ZXZpbA==\u0007 \u001b]0;pwned\u0007 \u202egnirts desrever\u202c \u00c2\u009b31m C1 done [1]'
for size in $SIZES; do
    newq "hostile-$size"
    jd H-1 'Title \u202eSPOOF\u202c \u001b[2J' "$body" 5 \
        "[$(cite 1 'Source \u001b]8;;http://evil\u0007link' 'An excerpt \u001b[41m with color' 'excerpt')]" | enq
    # Invalid UTF-8 cannot come in through JSON; plant it in the store. A
    # PostgreSQL text column refuses invalid UTF-8 (tests/pg/ui_hostile.sh):
    # there a U+FFFD stands for each invalid sequence, as it does when the
    # draft comes through a server.
    if [ "$(test_backend)" = pg ]; then
        sql "$Q" "UPDATE drafts SET input = 'Bad'||U&'\FFFD'||' '||U&'\FFFD'||'( ok' WHERE id='H-1'"
    else
        sql "$Q" "UPDATE drafts SET input = CAST(X'426164FF20C328206F6B' AS TEXT) WHERE id='H-1'"
    fi
    : >"$T/bytes-$size"
    review "$size"
    ui_wait "H-1"
    tm pipe-pane -t ui -o "cat >>'$T/bytes-$size'"
    ui_keys Enter
    check "$size: hostile draft opens" ui_wait "EVIL-CSI"
    S=$(ui_screen)
    check_contains "$size: ESC shown as a token" "^[[8;1;1tEVIL-CSI" "$S"
    check_contains "$size: backspace shown" "Approve^H^H" "$S"
    check_contains "$size: bidi override shown" "<U+202E>gnirts" "$S"
    check_contains "$size: hidden badge" "hidden characters" "$S"
    check_contains "$size: invalid UTF-8 shown as U+FFFD" "Bad"$'\xef\xbf\xbd' "$S"
    # Remotely the invalid bytes arrive as U+FFFD (JSON cannot carry them);
    # the text module counts a U+FFFD as the invalid byte it stands for.
    check_contains "$size: the badge counts each invalid UTF-8 sequence" \
        "23 hidden characters" "$S"
    ui_keys j
    sleep 0.5
    tm pipe-pane -t ui
    check "$size: bytes were captured" test -s "$T/bytes-$size"
    check "$size: no OSC reaches the terminal" \
        sh -c "! grep -q \$(printf '\\033]') '$T/bytes-$size'"
    check "$size: the draft's CSI never reaches the terminal" \
        sh -c "! grep -qF \$(printf '\\033[8;1;1t') '$T/bytes-$size'"
    check "$size: no raw C1 CSI" sh -c "! grep -q \$(printf '\\302\\233') '$T/bytes-$size'"
    check "$size: no raw U+202E" sh -c "! grep -q \$(printf '\\342\\200\\256') '$T/bytes-$size'"
    check "$size: no BEL" sh -c "! grep -q \$(printf '\\007') '$T/bytes-$size'"
    ui_keys a
    check "$size: hostile draft can still be decided" ui_wait "nothing more to review"
    check_eq "$size: stored bytes untouched" "1" \
        "$(sql "$Q" "SELECT CASE WHEN body LIKE '%'||'"$'\e'"[8;1;1t'||'%' THEN 1 ELSE 0 END FROM drafts WHERE id='H-1'")"
    ui_keys q; exited >/dev/null; ui_stop
done

# A 1 MiB body with a 500-character word.
newq big
word=$(printf 'x%.0s' $(seq 1 500))
filler=$(printf 'lorem ipsum dolor sit amet %.0s' $(seq 1 38000))
jd BIG-1 "Huge draft" "Start $word $filler end [1]" 1 \
    "[$(cite 1 'Big source' 'lorem ipsum' 'lorem')]" | enq
check_eq "1 MiB body stored" "1" "$(sql "$Q" "SELECT CASE WHEN length(body) > 1000000 THEN 1 ELSE 0 END FROM drafts WHERE id='BIG-1'")"
for size in $SIZES; do
    cols=${size%x*}
    review "$size"
    ui_wait "BIG-1"; ui_keys Enter
    check "$size: 1 MiB draft opens" ui_wait "Start" 15
    S=$(ui_screen)
    # Beside the citations from 120 columns, at most 96 wide (a readable
    # measure).
    want=$([ "$cols" -ge 120 ] && echo $((cols * 3 / 5 - 1)) || echo $((cols - 1)))
    [ "$want" -gt 96 ] && want=96
    check "$size: long word hard-broken at the pane width ($want)" \
        grep -qE "^x{$want}( |│|\$)" <<<"$S"
    check "$size: nothing wider than the terminal" \
        test "$(maxwidth <<<"$S")" -le "$cols"
    ui_keys G
    check "$size: scrolls to the end of 1 MiB" ui_wait "end [1]" 10
    ui_keys q q; exited >/dev/null; ui_stop
done
