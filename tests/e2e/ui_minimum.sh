#!/bin/bash
# The minimum size, 50x10: the draft screen shows a line of the body under
# its title and the citations' title intact below it (it was drawn over a
# body line whose tail stayed on screen: "Citations (1)  Tab: scroll
# themund."); a menu taller than the terminal scrolls with the selection
# and says how many items are out of view (items 4-6 of the reject menu
# could not be seen); the status bar keeps the lease and who I am.
. "$(dirname "$0")/ui.inc"
newq minimum
jd M-1 "A long one" "Recommendation: decline the refund for this order today.\\n\\nSecond paragraph [1].\\nThird line.\\nFourth line." 0 \
    "[$(cite 1 'Refund policy' 'Refunds take 30 days from delivery.' 'Refunds take 30 days')]" | enq
review 50x10
check "queue shown" ui_wait "A long one"
ui_keys Enter
check "draft open" ui_wait "lease 9:"
S=$(ui_screen)
check_eq "the body's first line under its title (with where the view is)" \
    "Draft  lines 1-1 of 6, 16%  ↓ more below
Recommendation: decline the refund for this order" "$(sed -n 6,7p <<<"$S")"
check_eq "the citations' title intact" "Citations (1)  Tab: scroll them  lines 1-1 of 4,…" \
    "$(sed -n 8p <<<"$S" | sed 's/ *$//')"
check_contains "status bar: lease and who I am" "  @alice" "$(sed -n 9p <<<"$S")"
ui_keys r
check "reject menu" ui_wait "Reject: why?"
check "it says what is below" ui_wait "v 3 more"
ui_keys j j j j j
check "the last item comes into view" ui_wait "6 Other"
check_contains "and what is above" "^ 3 more" "$(ui_screen)"
check_not_contains "the first is out of view" "1 Factual error" "$(ui_screen)"
ui_keys Enter
check "note asked" ui_wait "Note (optional"
ui_keys Enter
check "decided" ui_wait "reject M-1"
check_eq "the sixth reason recorded" "reject|other|" "$(decisions M-1)"
ui_keys q
check_eq "clean exit" "__EXITED__ rc=0" "$(exited)"
ui_stop
