#!/bin/bash
# A producer that closes the loop with signoff, in shell with curl and jq.
#
#   producer.sh SERVER TOKEN_FILE STATE_DIR [DRAFTS.jsonl] [N]
#
# Sends the drafts (if given) to `signoff serve`, then reads the outcome
# feed (GET /v1/events, a long poll) from the cursor kept in
# STATE_DIR/cursor ("SEQ HASH", replaced atomically after each event),
# checks that each event links to the one before (prev_hash), acts on each
# final outcome (here: writes STATE_DIR/sent/ID.txt) and records that it
# acted (POST /v1/drafts/ID/applied, request id "applied-SEQ", so a retry
# after a crash records it once). An event that revokes an outcome (undone
# after its release) takes the action back. Stops after N outcomes (0 or
# absent: never). The rules: signoff-queue(5), OUTCOMES.
set -euo pipefail
server=${1:?server URL} token_file=${2:?token file} state=${3:?state dir}
drafts=${4:-} limit=${5:-0}
token=$(cat "$token_file")
mkdir -p "$state/sent"

# api METHOD PATH [BODY [CONTENT-TYPE]]: the reply on stdout; fails on a
# non-2xx status (curl --fail-with-body), retrying transient errors.
api() {
    local args=(-sS --fail-with-body --retry 4 --retry-connrefused
                --max-time 40 -X "$1" -H "Authorization: Bearer $token")
    [ $# -ge 3 ] && args+=(-H "Content-Type: ${4:-application/json}"
                           --data-binary "$3")
    curl "${args[@]}" "$server$2"
}

if [ -n "$drafts" ]; then
    failed=$(api POST /v1/drafts "@$drafts" application/x-ndjson | jq .failed)
    [ "$failed" = 0 ] || { echo "enqueue: $failed drafts refused" >&2; exit 1; }
fi

seq=0 hash=-
[ -f "$state/cursor" ] && read -r seq hash <"$state/cursor"
handled=0
while [ "$limit" = 0 ] || [ "$handled" -lt "$limit" ]; do
    page=$(api GET "/v1/events?after=$seq&limit=100&wait=20")
    while IFS= read -r e; do
        [ -n "$e" ] || continue
        prev=$(jq -r .prev_hash <<<"$e")
        if [ "$hash" != - ] && [ "$prev" != "$hash" ]; then
            echo "feed: event $(jq .seq <<<"$e") does not link to $seq" >&2
            exit 1
        fi
        id=$(jq -r .draft_id <<<"$e")
        esc=$(jq -rn --arg s "$id" '$s|@uri')
        if [ "$(jq '.outcome != null' <<<"$e")" = true ]; then
            # act: "send" the text (approve/edit) or note the reject
            jq -r '.outcome | if .text then .text else "rejected: \(.reason)" end' \
                <<<"$e" >"$state/sent/$esc.txt"
            body=$(jq -c '{request_id: "applied-\(.seq)", ref: "sent-\(.seq)"}' <<<"$e")
            api POST "/v1/drafts/$esc/applied" "$body" >/dev/null
            handled=$((handled + 1))
        elif [ "$(jq .revokes <<<"$e")" != 0 ]; then
            rm -f "$state/sent/$esc.txt" # take it back
        fi
        seq=$(jq .seq <<<"$e") hash=$(jq -r .hash <<<"$e")
        printf '%s %s\n' "$seq" "$hash" >"$state/cursor.tmp"
        mv "$state/cursor.tmp" "$state/cursor"
        [ "$limit" != 0 ] && [ "$handled" -ge "$limit" ] && exit 0
    done < <(jq -c '.events[]' <<<"$page")
done
