#!/bin/bash
# Limit words (issue 19 item 11): the words of `l` combine with AND, each
# anywhere in the id, the title or the body; a "quoted phrase" matches as a
# phrase.
# The same on a remote queue: the server applies the same filter.
. "$(dirname "$0")/ui.inc"
newq limit_words
{
    jd B-1 "Bulk draft 49999" "The body of the bulk draft." 9
    jd B-2 "Bulk draft 12" "Refers to ticket 49999 in passing." 8
    jd B-3 "Other 49999" "Not bulk at all? It is: Bulk." 7
    jd B-4 "Unrelated" "Nothing to see." 6
} | enq
# limit PATTERN: l, and once the prompt is drawn (it drops keys typed
# before) a new pattern.
limit() { ui_keys l; ui_wait "Limit to:" >/dev/null; ui_keys C-u "$@" Enter; }
for size in $SIZES; do
    review "$size"
    ui_wait "Bulk draft 49999"
    ui_keys l
    ui_wait "Limit to:"
    ui_keys "Bulk 49999" Enter
    check "$size: words combine with AND" ui_wait_gone "Unrelated"
    check "$size: pending counts the three matches" ui_wait "pending 3"
    S=$(ui_screen)
    check_contains "$size: Bulk 49999 finds 'Bulk draft 49999'" "Bulk draft 49999" "$S"
    check_contains "$size: one word in the title, one in the body" "Bulk draft 12" "$S"
    check_contains "$size: any case, title or body" "Other 49999" "$S"
    limit '"draft 49999"'
    check "$size: a quoted phrase matches as a phrase" ui_wait_gone "Bulk draft 12"
    check "$size: the phrase finds its draft" ui_wait "pending 1"
    check_contains "$size: B-1 matches the phrase" "Bulk draft 49999" "$(ui_screen)"
    limit '"Bulk 49999"'
    check "$size: no draft has the phrase Bulk 49999" \
        ui_wait "No open drafts you can act on match the limit"
    limit 'b-3'
    check "$size: a draft's id finds it (any case)" ui_wait "pending 1 in limit"
    check_contains "$size: B-3 by its id" "Other 49999" "$(ui_screen)"
    limit '"Bulk 49999'
    check "$size: an unclosed quote is explained" \
        ui_wait "a quoted phrase is not closed"
    ui_keys q; exited >/dev/null; ui_stop
done
