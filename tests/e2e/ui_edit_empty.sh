#!/bin/bash
# An editor that empties the file: the edit is refused and says why (a
# draft cannot go out empty); nothing is recorded, the draft stays open and
# claimed, and e edits again. A file of only blank lines is empty too.
. "$(dirname "$0")/ui.inc"
printf '#!/bin/sh\n: >"$1"\n' >"$T/empty.sh"
printf '#!/bin/sh\nprintf "\\n  \\n\\t\\n" >"$1"\n' >"$T/blank.sh"
printf '#!/bin/sh\nsed -i "s/30 days/14 days/" "$1"\n' >"$T/ed.sh"
chmod +x "$T/empty.sh" "$T/blank.sh" "$T/ed.sh"
export TMPDIR="$T"
for size in $SIZES; do
    for ed in empty blank; do
        newq "edit-$ed-$size"; three
        EDITOR="$T/$ed.sh" review "$size"
        ui_wait "First refund question"; ui_keys Enter
        ui_wait "Refunds take 30 days"
        ui_keys e
        check "$size $ed: refused" ui_wait "edit refused: the file is empty"
        S=$(ui_screen)
        check_contains "$size $ed: says nothing was recorded" "Nothing recorded" "$S"
        check_not_contains "$size $ed: no save question" "Save this edit?" "$S"
        check_contains "$size $ed: the draft is still shown" "Refunds take 30 days [1]." "$S"
        check_eq "$size $ed: no decision" "" "$(decisions D-1)"
        check_eq "$size $ed: still claimed" "claimed" "$(status D-1)"
        ui_keys q q; exited >/dev/null; ui_stop
    done
done
# After a refused edit, e edits again and saves.
newq edit-again; three
EDITOR="$T/empty.sh" review 80x24
ui_wait "First refund question"; ui_keys Enter; ui_wait "Refunds take 30 days"
ui_keys e; ui_wait "edit refused"
cp "$T/ed.sh" "$T/empty.sh"
ui_keys e
check "e again: the diff is shown" ui_wait "Save this edit?"
ui_keys y
check "and saved" ui_wait "Shipping is free"
check_eq "one edit recorded" "edit||" "$(decisions D-1)"
ui_keys q q; exited >/dev/null; ui_stop
