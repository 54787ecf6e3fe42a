#!/bin/bash
# Messages never cut off and say what to do. A decision lost with its lease
# (another reviewer holds the draft now) says so without "retry" advice (the
# same key cannot help), the status bar stops the countdown and says
# "lease lost", and a message too long for the line ends with "L: whole":
# L shows the message log with the whole text. An undo that cannot be done
# names the draft once ("undo: F-1: ...", not "undo: F-1: undo: ..."), and
# so does a draft that cannot be opened ("cannot open D-1: already decided").
. "$(dirname "$0")/ui.inc"
for size in $SIZES; do
    newq "messages-$size"; three
    review "$size"
    ui_wait "First refund question"; ui_keys Enter
    check "$size: draft open" ui_wait "Refunds take 30 days"
    check "$size: the lease counts down" ui_wait "lease 9:"
    # Another reviewer takes the draft over (as after an expired lease).
    sql "$Q" "UPDATE drafts SET claimed_by = 'wide', lease_token = lease_token + 1, lease_until = $(( $(date +%s) * 1000 + 600000 )) WHERE id = 'D-1'"
    ui_keys a
    check "$size: not saved: lease lost" ui_wait "not saved: D-1: lease lost: claimed by wide"
    S=$(ui_screen)
    check_not_contains "$size: no retry advice" "retries" "$S"
    check_contains "$size: the status bar says lease lost" "lease lost" "$(tail -2 <<<"$S" | head -1)"
    check_not_contains "$size: the countdown stopped" "lease 9:" "$S"
    check_eq "$size: nothing recorded" "" "$(decisions D-1)"
    if [ "${size%x*}" -lt 150 ]; then
        check_contains "$size: a long message says where to read it" "L: whole" "$(tail -1 <<<"$S")"
    fi
    ui_keys L
    check "$size: L shows the message log" ui_wait "Messages, newest last"
    W=$(ui_screen | tr '\n' ' ' | tr -s ' ')
    check_contains "$size: the whole message, with what to do" "s goes on to the next draft, q back to the queue" "$W"
    ui_keys q
    check "$size: q returns to the draft" ui_wait "Refunds take 30 days"
    ui_keys s
    check "$size: s goes on to the next draft" ui_wait "Shipping is free"
    check_eq "$size: D-1 stays with wide" "wide" "$(sql "$Q" "SELECT claimed_by FROM drafts WHERE id='D-1'")"
    ui_keys q q; exited >/dev/null; ui_stop
done

# A draft another reviewer decided once my lease ran out (a reviewer away
# from the terminal): the decision says so without retry advice, the bar
# says lease lost, and s goes on (its release answered "already decided"
# and kept the reviewer on the draft, s and q alike).
newq messages-decided; three
review 80x24
ui_wait "First refund question"; ui_keys Enter
check "draft open" ui_wait "Refunds take 30 days"
ui_wait "lease 9:" >/dev/null
sql "$Q" "UPDATE drafts SET lease_until = 1 WHERE id = 'D-1'" >/dev/null
SIGNOFF_REVIEWER=bob "$SO" decide D-1 reject --reason tone --queue "$Q" >/dev/null 2>&1
check_eq "bob decided D-1 meanwhile" "decided" "$(status D-1)"
ui_keys a
check "not saved: already decided" ui_wait "not saved: D-1: already decided"
S=$(ui_screen)
check_not_contains "no retry advice" "retries" "$S"
check_contains "the status bar says lease lost" "lease lost" "$(tail -2 <<<"$S" | head -1)"
ui_keys s
check "s goes on to the next draft" ui_wait "Shipping is free"
check_not_contains "not stuck on D-1" "not released" "$(ui_screen)"
check_eq "bob's reject stands alone" "reject|tone|" "$(decisions D-1)"
ui_keys q; exited >/dev/null; ui_stop

# A decision refused while the draft stays mine (escalated since it was
# opened: a supervisor's x meets "already escalated" in the store) is no
# lost lease: the message says what was refused, the bar keeps counting
# down and the claim is renewed; the draft can still be decided.
newq messages-refused; three
SIGNOFF_ROLE=supervisor SIGNOFF_REVIEWER=sue review 80x24
ui_wait "First refund question"; ui_keys Enter
check "refused: draft open" ui_wait "Refunds take 30 days"
ui_wait "lease 9:" >/dev/null
soon=$(( $(date +%s) * 1000 + 120000 ))
sql "$Q" "UPDATE drafts SET status = 'escalated', lease_until = $soon WHERE id = 'D-1'" >/dev/null
ui_keys x; ui_wait "Escalate: why?"; ui_keys 4
ui_wait "Escalate: note"; ui_keys Enter
check "refused: says what was refused" \
    ui_wait "not saved: D-1: already escalated; give the final decision"
S=$(ui_screen)
check_not_contains "refused: no retry advice" "retries" "$S"
BAR=$(tail -2 <<<"$S" | head -1)
check_not_contains "refused: the lease is not lost" "lease lost" "$BAR"
check "refused: the countdown goes on" \
    eval '[[ $BAR =~ "lease "(9|10):[0-9][0-9] ]]'
check_eq "refused: still sue's claim, renewed" "sue|1" \
    "$(sql "$Q" "SELECT claimed_by||'|'||CASE WHEN lease_until > $soon THEN 1 ELSE 0 END FROM drafts WHERE id = 'D-1'")"
ui_keys a
check "refused: the draft is still decided with its lease" \
    ui_wait "approve D-1: resolved, final"
check_eq "refused: sue's approve alone" "approve||" "$(decisions D-1)"
ui_keys q q; exited >/dev/null; ui_stop

# An undo refused: the draft's id once.
newq messages-undo
"$SO" workflow set refunds --reviews 2 --queue "$Q" >/dev/null
{
    jd F-1 "Refund of 80 EUR" "We refund 80 EUR." 2 "[]" refunds
    jd F-2 "Refund of 15 EUR" "We refund 15 EUR." 1 "[]" refunds
} | enq
SIGNOFF_REVIEWER=alice review 80x24
ui_wait "Refund of 80 EUR"; ui_keys Enter; ui_wait "We refund 80 EUR."
ui_keys a
check "alice's review recorded, F-2 next" ui_wait "We refund 15 EUR."
SIGNOFF_REVIEWER=bob "$SO" decide F-1 approve --queue "$Q" >/dev/null 2>&1
check_eq "bob reviewed F-1 too" 2 "$(sql "$Q" "SELECT count(*) FROM decisions WHERE draft='F-1'")"
ui_keys u
check "undo refused: says why" ui_wait "another reviewer decided it since"
S=$(ui_screen)
check_contains "names the draft once" "undo: F-1: another reviewer decided it since" "$S"
check_not_contains "no repeated undo" "undo: F-1: undo:" "$S"
ui_keys q; exited >/dev/null; ui_stop

# A draft decided by someone else after the list was drawn: its id once.
newq messages-open; three
review 80x24
ui_wait "Second shipping question"
SIGNOFF_REVIEWER=bob "$SO" decide D-1 approve --queue "$Q" >/dev/null 2>&1
check_eq "bob decided D-1 meanwhile" "decided" "$(status D-1)"
ui_keys Enter
check "opening it says why" ui_wait "cannot open D-1:"
check_not_contains "names the draft once" "D-1: D-1" "$(ui_screen)"
ui_keys q; exited >/dev/null; ui_stop
