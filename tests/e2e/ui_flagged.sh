#!/bin/bash
# A flagged draft shows what is wrong: a quote not in its excerpt is shown
# under that excerpt, and the passage of the excerpt closest to it is
# highlighted. Approving a draft with grounding flags asks first (n goes
# back, nothing recorded; y approves); a workflow set --confirm-flagged off
# approves on the key.
. "$(dirname "$0")/ui.inc"
ex='Either party may end this agreement with 60 days notice given in writing to the other party.'
flagged() { # ID WORKFLOW
    jd "$1" "Termination notice" "The notice period is 30 days [1]." 1 \
        "[$(cite 1 'Master agreement' "$ex" 'with 30 days notice given in writing')]" "$2"
}
for size in $SIZES; do
    newq "flagged-$size"
    { flagged CL-1 contract; jd CL-2 "Plain one" "Nothing cited." 0 "[]" contract; } | enq
    review "$size"
    ui_wait "Termination notice"; ui_keys Enter
    check "$size: draft open" ui_wait "The notice period is 30 days [1]."
    S=$(ui_screen)
    check_contains "$size: flag on the draft" "! quote of [1] not in its excerpt" "$S"
    check_contains "$size: the quote is shown" '"with 30 days notice given in writing"' "$S"
    check_contains "$size: under its excerpt, closest passage named" "! quote not found in this excerpt (closest passage highlighted):" "$S"
    # The closest passage is drawn in its own colour: an SGR sequence starts
    # right before it and another right after it.
    check "$size: the closest passage is highlighted" \
        grep -qP '\e\[[0-9;]*mwith 60 days notice given in writing\e\[' <<<"$(tm capture-pane -p -e -t ui)"
    ui_keys a
    check "$size: approve asks first" ui_wait "Approve anyway? y: approve  n: back"
    check_contains "$size: and says why" "Flagged: [1] quote not in its excerpt." "$(ui_screen)"
    ui_keys n
    check "$size: n goes back, nothing recorded" ui_wait "not approved: nothing recorded"
    check_eq "$size: no decision" "" "$(decisions CL-1)"
    check_eq "$size: still claimed" "claimed" "$(status CL-1)"
    ui_keys a; ui_wait "Approve anyway?"; ui_keys y
    check "$size: y approves" ui_wait "approve CL-1"
    check_eq "$size: approved once" "approve||" "$(decisions CL-1)"
    ui_keys q q; exited >/dev/null; ui_stop
done

newq flagged-off
flagged CL-9 trusted | enq
run "$SO" workflow set trusted --confirm-flagged off --queue "$Q"
check_eq "workflow set --confirm-flagged off" 0 "$RC"
review 80x24
ui_wait "Termination notice"; ui_keys Enter
ui_wait "The notice period is 30 days [1]."
ui_keys a
check "confirm-flagged off: a approves on the key" ui_wait "approve CL-9"
check_not_contains "without asking" "Approve anyway?" "$(ui_screen)"
check_eq "approved" "approve||" "$(decisions CL-9)"
ui_keys q; exited >/dev/null; ui_stop
