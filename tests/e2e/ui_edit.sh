#!/bin/bash
# Edit: a scripted $EDITOR changes the body; the word diff is shown for
# confirmation; y saves an edit with the new text. Leaving the editor
# without a change records nothing (a approves); c cancels; e edits again.
. "$(dirname "$0")/ui.inc"
cat >"$T/ed.sh" <<'ED'
#!/bin/sh
perm=$(stat -c %a "$1")
echo "$perm" >"$(dirname "$1")/perm-seen" 2>/dev/null
sed -i 's/30 days/14 days/' "$1"
ED
cat >"$T/noop.sh" <<'ED'
#!/bin/sh
# the first time no change; then one word added
[ -e "$(dirname "$1")/noop.once" ] || { : >"$(dirname "$1")/noop.once"; exit 0; }
sed -i 's/take 30/take only 30/' "$1"
ED
cat >"$T/eol.sh" <<'ED'
#!/bin/sh
# as vi does: the file ends with a newline the body did not have
sed -i 's/30 days/21 days/' "$1"
printf '\n' >>"$1"
ED
chmod +x "$T/ed.sh" "$T/noop.sh" "$T/eol.sh"
export TMPDIR="$T"
for size in $SIZES; do
    newq "edit-$size"; three
    EDITOR="$T/ed.sh" review "$size"
    ui_wait "First refund question"; ui_keys Enter; ui_wait "Refunds take 30 days"
    ui_keys e
    check "$size: diff shown" ui_wait "Save this edit?"
    S=$(ui_screen)
    check_contains "$size: diff heading" "Your edit: 2 words changed" "$S"
    check_contains "$size: word diff" "Refunds take [-30-]{+14+} days [1]." "$S"
    check_eq "$size: temp file was private" "600" "$(cat "$T/perm-seen")"
    ui_keys y
    check "$size: next draft after edit" ui_wait "Shipping is free"
    check_eq "$size: edit stored" "edit||" "$(decisions D-1)"
    check_eq "$size: final body stored" "Refunds take 14 days [1]." \
        "$(sql "$Q" "SELECT final_body FROM decisions WHERE draft='D-1'")"
    check_eq "$size: temp file removed" "" "$(ls "$T" | grep '^signoff-.*\.txt$')"
    ui_keys q q; exited >/dev/null; ui_stop
done
# Leaving the editor without a change is not a decision: nothing is
# recorded, the draft stays open and claimed; a approves it.
newq edit-noop; three
EDITOR="$T/noop.sh" review 80x24
ui_wait "First refund question"; ui_keys Enter; ui_wait "Refunds take 30 days"
ui_keys e
check "unchanged edit says so" ui_wait "edit: nothing changed; nothing recorded (a approves the draft as it is)"
check_eq "unchanged edit records nothing" "" "$(decisions D-1)"
check_eq "unchanged edit: the draft is still mine" "claimed" "$(status D-1)"
check_contains "unchanged edit: the same draft stays open" "Refunds take 30 days" "$(ui_screen)"
ui_keys e
check "one word: the diff says 1 word" ui_wait "Your edit: 1 word changed"
ui_keys c; ui_wait "edit cancelled"
ui_keys a
check "a approves after an unchanged edit" ui_wait "Shipping is free"
check_eq "approved by a" "approve||" "$(decisions D-1)"
# The newline an editor ends the file with is not part of the edit: not
# in the diff, not in the final text.
ui_keys q; ui_wait "Second shipping question"; ui_stop
newq edit-eol; three
EDITOR="$T/eol.sh" review 80x24
ui_wait "First refund question"; ui_keys Enter; ui_wait "Refunds take 30 days"
ui_keys e
check "an editor's end-of-file newline: the diff" ui_wait "Refunds take [-30-]{+21+} days [1]."
check "only the word changed" ui_wait "Your edit: 2 words changed"
check_not_contains "no inserted newline shown" "[1].{+" "$(ui_screen)"
ui_keys y
check "saved" ui_wait "Shipping is free"
check_eq "the final text has no newline the draft did not have" "0" \
    "$(sql "$Q" "SELECT CASE WHEN final_body LIKE '%days [1].' THEN 0 ELSE 1 END FROM decisions WHERE draft='D-1'")"
# c cancels: nothing recorded, the draft stays open.
ui_keys q; ui_wait "Second shipping question"; ui_stop
newq edit-cancel; three
EDITOR="$T/ed.sh" review 80x24
ui_wait "First refund question"; ui_keys Enter; ui_wait "Refunds take 30 days"
ui_keys e; ui_wait "Save this edit?"; ui_keys c
check "cancel returns to the draft" ui_wait "edit cancelled"
check_eq "cancel records nothing" "" "$(decisions D-1)"
check_eq "draft still mine" "claimed" "$(status D-1)"
ui_keys e; ui_wait "Save this edit?"; ui_keys e
check "e edits again (the diff stays)" ui_wait "Save this edit?"
ui_keys y
check "saved after editing again" ui_wait "Shipping is free"
check_eq "edited twice: one decision" "edit||" "$(decisions D-1)"
