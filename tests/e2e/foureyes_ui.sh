#!/bin/bash
# Four-eyes in the reviewer UI: two reviewers in two tmux servers on a
# two-review workflow. Blind review on the screen: bob's view of a draft
# alice rejected with a note has no trace of her decision, her name or her
# note. After deciding, the status line says whether the reviews agreed or
# went to resolve; alice never gets a draft she already reviewed. A
# supervisor opens the reviews view (v): the reviews in one table, each edit
# as a diff against the draft and against the other edit; a records the
# final decision, and the monitor shows the agreement of the pair.
. "$(dirname "$0")/ui.inc"
newq foureyes
"$SO" workflow set refunds --reviews 2 --queue "$Q" >/dev/null
{
    jd F-1 "Refund of 80 EUR" "We refund 80 EUR to your card." 3 "[]" refunds
    jd F-2 "Refund of 15 EUR" "We refund 15 EUR to your card." 2 "[]" refunds
    jd F-3 "Refund of 40 EUR" "We refund 40 EUR within 5 days." 1 "[]" refunds
} | enq
printf 'We refund 45 EUR within 5 days.\n' >"$T/alice.txt"
printf 'We refund 40 EUR within 3 days.\n' >"$T/bob.txt"
SIGNOFF_REVIEWER=alice "$SO" decide F-3 edit --body-file "$T/alice.txt" --queue "$Q" >/dev/null
SIGNOFF_REVIEWER=bob "$SO" decide F-3 edit --body-file "$T/bob.txt" --queue "$Q" >/dev/null
SOCK_A="so$$a" SOCK_B="so$$b"
as_alice() { local TMUX_SOCK=$SOCK_A; "$@"; }
as_bob() { local TMUX_SOCK=$SOCK_B; "$@"; }

SIGNOFF_REVIEWER=alice as_alice review 80x24
as_alice ui_wait "Refund of 80 EUR"; as_alice ui_keys Enter
check "alice opens F-1" as_alice ui_wait "We refund 80 EUR"
as_alice ui_keys r
as_alice ui_wait "Reject: why?"
as_alice ui_keys j j Enter
as_alice ui_wait "Note (optional"
as_alice ui_keys "ALICE-SAYS-NO" Enter
check "alice: her review is recorded and the next draft comes" \
    as_alice ui_wait "review recorded, waiting for the next reviewer"
check "alice gets F-2, not F-1 again" as_alice ui_wait "We refund 15 EUR"
as_alice ui_keys a
check "alice: second draft reviewed" as_alice ui_wait "approve F-2: review recorded"
check_eq "alice holds nothing she reviewed" 0 \
    "$(sql "$Q" "SELECT count(*) FROM drafts WHERE claimed_by = 'alice' AND status = 'claimed'")"

SIGNOFF_REVIEWER=bob as_bob review 200x50
as_bob ui_wait "Refund of 80 EUR"; as_bob ui_keys Enter
check "bob opens F-1" as_bob ui_wait "We refund 80 EUR"
S=$(as_bob ui_screen)
check_not_contains "blind: no trace of alice's name" "alice" "$S"
check_not_contains "blind: no trace of alice's note" "ALICE-SAYS-NO" "$S"
check_not_contains "blind: no trace of alice's reject (only the key hint)" \
    "reject" "${S//r:reject/}"
check_not_contains "blind: no trace of her reason" "tone" "$S"
as_bob ui_keys a
check "bob: approve against a reject goes to resolve" \
    as_bob ui_wait "approve F-1: reviews disagree: sent to resolve"
check "bob gets F-2" as_bob ui_wait "We refund 15 EUR"
as_bob ui_keys a
check "bob: approve after alice's approve agrees" \
    as_bob ui_wait "approve F-2: agreed with the other review, final"
check_eq "F-1 waits for a resolver, F-2 is final" "F-1|resolve F-2|decided F-3|resolve" \
    "$(sql "$Q" "SELECT id || '|' || status FROM drafts ORDER BY id" | paste -sd ' ')"
as_alice ui_keys q q
as_bob ui_keys q q
check_eq "alice quits" "__EXITED__ rc=0" "$(as_alice exited)"
check_eq "bob quits" "__EXITED__ rc=0" "$(as_bob exited)"
as_alice ui_stop; as_bob ui_stop

SOCK_S="so$$s"
as_sue() { local TMUX_SOCK=$SOCK_S; "$@"; }
SIGNOFF_ROLE=supervisor SIGNOFF_REVIEWER=sue as_sue review 200x50
as_sue ui_wait "Refund of 80 EUR"; as_sue ui_keys Enter
check "sue opens F-1" as_sue ui_wait "We refund 80 EUR"
as_sue ui_keys v
check "sue: the reviews view" as_sue ui_wait "the reviews disagree; your decision is final"
S=$(as_sue ui_screen)
check_contains "reviews view: alice's reject with her note" \
    "alice                 reject    tone              0  ALICE-SAYS-NO" "$S"
check_contains "reviews view: bob's approve" \
    "bob                   approve   -                 0  -" "$S"
as_sue ui_keys q
check "back on the draft" as_sue ui_wait_gone "your decision is final"
as_sue ui_keys a
check "sue: the resolution is final" as_sue ui_wait "approve F-1: resolved, final"
check "sue gets F-3 next" as_sue ui_wait "We refund 40 EUR within 5 days"
as_sue ui_keys v
check "F-3: alice's edit against the draft" \
    as_sue ui_wait "Edit by alice against the draft:"
S=$(as_sue ui_screen)
check_contains "F-3: alice's diff" "We refund [-40-]{+45+} EUR within 5 days." "$S"
check_contains "F-3: bob's edit against alice's" \
    "Edit by bob against the edit by alice:" "$S"
check_contains "F-3: edit against edit" \
    "We refund [-45-]{+40+} EUR within [-5-]{+3+} days." "$S"
as_sue ui_keys q
as_sue ui_wait_gone "Edit by alice"
as_sue ui_keys r
as_sue ui_wait "Reject: why?"
as_sue ui_keys Enter
as_sue ui_wait "Note (optional"
as_sue ui_keys Enter
check "sue rejects F-3: final" as_sue ui_wait "reject F-3: resolved, final"
check_eq "resolutions recorded with kind resolve" "F-1|approve|sue F-3|reject|sue" \
    "$(sql "$Q" "SELECT draft || '|' || action || '|' || reviewer FROM decisions WHERE kind = 'resolve' ORDER BY seq" | paste -sd ' ')"
as_sue ui_keys m
check "monitor: the agreement table" as_sue ui_wait "FOUR-EYES AGREEMENT"
S=$(as_sue ui_screen)
check_contains "monitor: refunds over all pairs, with resolutions" \
    "all pairs                     3  66.7%     0.500  resolved 2, 1 with the AI" "$S"
check_contains "monitor: the alice+bob pair" \
    "alice+bob                     3  66.7%     0.500" "$S"
as_sue ui_keys q q q
check_eq "sue quits" "__EXITED__ rc=0" "$(as_sue exited)"
as_sue ui_stop
