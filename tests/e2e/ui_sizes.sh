#!/bin/bash
# Sizes. Below the minimum (50x10) the UI says "terminal too small" with
# the size it needs, draws no garbled rows and takes no key but q (an Enter
# typed then claims nothing); it recovers on resize, and ^L redraws it. At
# 160 columns and more the queue shows model, priority and reviews k/n, and
# the draft's body is laid out at a readable measure (96 columns) with the
# citations beside it.
. "$(dirname "$0")/ui.inc"
newq sizes; three
"$SO" workflow set refunds --reviews 2 --queue "$Q" >/dev/null
jd F-1 "Four-eyes refund" "We refund 80 EUR." 0 "[]" refunds | enq
review 30x8
check "30x8: terminal too small" ui_wait "terminal too small"
S=$(ui_screen)
check_contains "30x8: says the size it needs" "30x8, needs 50x10" "$S"
check_not_contains "30x8: no queue rows" "D-1" "$S"
check "30x8: nothing wider than the terminal" test "$(maxwidth <<<"$S")" -le 30
ui_keys Enter a
ui_keys C-l
check "30x8: ^L redraws it" ui_wait "terminal too small"
check_eq "30x8: keys claim nothing" "pending" "$(status D-1)"
ui_resize 80 24
check "80x24: recovers on resize" ui_wait "First refund question"
S=$(ui_screen)
check_not_contains "80x24: the small screen is gone" "terminal too small" "$S"
check "80x24: the header row" grep -qE "^ +id +workflow +conf age +title" <<<"$S"
check_not_contains "80x24: no wide columns" "model" "$(sed -n 2p <<<"$S")"
# The status bar names the queue shortly: the file's name, the server's
# address, the PostgreSQL database (not the tail of its ?host= path).
case $UI_QUEUE in
http*) name=127.0.0.1: ;;
postgres*) name="$PGDB " ;;
*) name="${Q##*/} " ;;
esac
check_contains "80x24: the status bar names the queue ($name)" " $name" \
    "$(tail -1 <<<"$S")"
ui_resize 30 8
check "back to 30x8: too small again" ui_wait "terminal too small"
ui_resize 200 50
check "200x50: recovers" ui_wait "First refund question"
S=$(ui_screen)
check "200x50: model, priority and reviews columns" grep -qE "^ +id +workflow +model +conf age +prio rev +title" <<<"$S"
check "200x50: a row with them" grep -qE "D-1 +support +m-test +0.42 +[0-9]+[smhd] +3 1/1|D-1 +support +m-test +0.42 +[0-9]+[smhd] +3 0/1" <<<"$S"
check "200x50: four-eyes reviews 0/2" grep -qE "F-1 +refunds +m-test .* 0 0/2 +Four-eyes refund" <<<"$S"
ui_keys Enter
check "200x50: draft open" ui_wait "Refunds take 30 days"
S=$(ui_screen)
check "200x50: body 96 columns wide, citations beside it" grep -qE "^Draft {92}\|Citations \(1\)" <<<"$S"
ui_keys q q; exited >/dev/null; ui_stop
