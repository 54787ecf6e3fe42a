#!/bin/bash
# One round trip per decision: the reply to a decision brings the next
# draft and the status-bar counts (the decide op's claim_next), so after
# the key the next draft and the updated counts are drawn with no request
# of their own. Remotely the server's access log shows each decision and no
# separate claim; locally the same screens through the same queue_ops.
. "$(dirname "$0")/ui.inc"

# requests_since LINE: the access-log lines after line LINE (remote only).
requests_since() { tail -n +"$(($1 + 1))" "$SERVE_LOG"; }

for size in $SIZES; do
    newq "trip-$size"; three
    review "$size"
    check "$size: queue screen lists the drafts" ui_wait "First refund question"
    check "$size: status bar shows pending" ui_wait "pending 3"
    ui_keys Enter
    check "$size: draft screen opens" ui_wait "Refunds take 30 days"
    mark=0
    [ "$E2E_REMOTE" = 1 ] && mark=$(wc -l <"$SERVE_LOG")
    ui_keys a
    check "$size: next draft opens after approve" ui_wait "Shipping is free"
    check "$size: pending counts the next draft and the last" ui_wait "pending 2"
    check "$size: my count updated" ui_wait "today 1 "
    check_eq "$size: next draft claimed by alice" "claimed|alice" \
        "$(sql "$Q" "SELECT status||'|'||claimed_by FROM drafts WHERE id='D-2'")"
    ui_keys r
    check "$size: reject menu" ui_wait "Reject: why?"
    ui_keys 1
    check "$size: note prompt" ui_wait "Note (optional"
    ui_keys Enter
    check "$size: third draft opens after reject" ui_wait "two year warranty"
    check "$size: counts after the reject" ui_wait "pending 1"
    check "$size: my count after the reject" ui_wait "today 2 "
    ui_keys a
    check "$size: the last decision says nothing is left" \
        ui_wait "nothing more to review"
    check "$size: pending 0" ui_wait "pending 0"
    check "$size: my count 3" ui_wait "today 3 "
    check_eq "$size: three decisions recorded" "approve||
reject|$(sql "$Q" "SELECT reason FROM decisions WHERE draft='D-2'")|
approve||" "$(decisions D-1; decisions D-2; decisions D-3)"
    if [ "$E2E_REMOTE" = 1 ]; then
        R=$(requests_since "$mark")
        check_eq "$size: three decisions sent" 3 \
            "$(grep -c 'POST /v1/drafts/D-[123]/decision 201' <<<"$R")"
        check_eq "$size: no claim of its own after a decision" 0 \
            "$(grep -c 'POST /v1/claim' <<<"$R")"
    else
        ok "$size: three decisions sent # SKIP local: no access log"
        ok "$size: no claim of its own after a decision # SKIP local: no access log"
    fi
    ui_keys q
    check_eq "$size: clean exit" "__EXITED__ rc=0" "$(exited)"
    ui_stop
done
