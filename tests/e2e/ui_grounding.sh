#!/bin/bash
# Grounding on the draft screen: a marker with no citation, a citation
# never referenced and a quote not in its excerpt are each flagged; n/N
# move between citations; i unfolds the input; Tab scrolls the citations.
. "$(dirname "$0")/ui.inc"
cites="[$(cite 1 'Policy A' 'Refunds within 30 days.' 'within 30 days'),$(cite 2 'Policy B' 'Shipping is free.' 'not in the excerpt'),$(cite 3 'Policy C' 'Unused source text.' 'Unused')]"
long_input='The customer writes a long message. '
long_input="$long_input$long_input$long_input$long_input$long_input$long_input$long_input$long_input END-OF-INPUT"
for size in $SIZES; do
    newq "grounding-$size"
    printf '{"id":"G-1","workflow":"support","title":"Grounding","input":"%s","body":"Refunds take 30 days [1]. Shipping is free [2]. Warranty is long [4].","citations":%s}\n' \
        "$long_input" "$cites" | enq
    review "$size"
    ui_wait "Grounding"
    check "$size: index flags the draft" grep -qE "^!   G-1|^! +G-1" <<<"$(ui_screen)"
    ui_keys Enter
    check "$size: draft open" ui_wait "Warranty is long [4]."
    S=$(ui_screen)
    check_contains "$size: marker without citation flagged" "! [4] has no citation" "$S"
    check_contains "$size: bad quote flagged in the pane" "! quote not found in this excerpt" "$S"
    check_contains "$size: input folded to one line" "Input: The customer writes a long message." "$S"
    check_not_contains "$size: folded input hides its end" "END-OF-INPUT" "$S"
    ui_keys n n n
    check "$size: n reaches citation 3, never referenced" ui_wait "citation [3] is never referenced in the body"
    S=$(ui_screen)
    check_contains "$size: the pane shows citation 3" "[3] Policy C" "$S"
    check_contains "$size: unreferenced citation flagged" "! never referenced in the body" "$S"
    ui_keys N N
    # The message of n goes once N is handled (read after a wait: the keys
    # may not be handled yet when the screen is first read).
    quiet() { ! ui_screen | tail -1 | grep -qF "never referenced in the body"; }
    check "$size: N goes back without complaint" wait_for 10 quiet
    ui_keys i
    check "$size: i unfolds the input above the draft" ui_wait "END-OF-INPUT"
    check_contains "$size: the header says where it went" "(shown above the draft; i folds it)" "$(ui_screen)"
    ui_keys i
    check "$size: i folds it again" ui_wait_gone "END-OF-INPUT"
    ui_keys q q; exited >/dev/null; ui_stop
done
