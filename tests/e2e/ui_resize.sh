#!/bin/bash
# Resize at any moment: mid-draft from 80x24 to 200x50 the citations move
# beside the body; back to 80x24 they go below; a prompt survives a resize.
. "$(dirname "$0")/ui.inc"
newq resize; three
review 80x24
ui_wait "First refund question"; ui_keys Enter; ui_wait "Refunds take 30 days"
S=$(ui_screen)
check "80x24: citations below the body" grep -q "^Citations (1)" <<<"$S"
ui_resize 200 50
check "200x50: redrawn after resize" ui_wait "|Citations (1)"
S=$(ui_screen)
check_contains "200x50: body still shown" "Refunds take 30 days [1]." "$S"
check "200x50: citations beside the body" grep -q "Draft .*|" <<<"$S"
ui_keys r; ui_wait "Reject: why?"
ui_resize 80 24
check "menu redrawn after resize" ui_wait "Reject: why?"
ui_keys Escape
ui_resize 100 30
check "100x30: citations below again" ui_wait "Citations (1)"
check "100x30: nothing wider than the terminal" test "$(ui_screen | maxwidth)" -le 100
ui_keys a
check "still works after resizes" ui_wait "Shipping is free"
check_eq "decision after resizes" "approve||" "$(decisions D-1)"
ui_resize 50 10
check "small terminal still drawn" ui_wait "D-2"
ui_resize 20 4
check "below the minimum: says so" ui_wait "terminal too small"
ui_resize 80 24
check "and comes back" ui_wait "Shipping is free"
ui_keys q q
check_eq "clean exit after resizes" "__EXITED__ rc=0" "$(exited)"
