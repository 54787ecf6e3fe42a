#!/bin/bash
# reviewer_loop.bash SIGNOFF LOG LEASE_S: one reviewer deciding continuously,
# the crash harness's driver (not a test: tests/run.sh runs only *.sh).
# Claims a draft, then decides it with a request id
# it made up front, cycling approve / reject / edit, for ever (the harness
# kills it with SIGKILL). Appends to LOG:
#   SENT <request_id> <draft>   before the decide starts
#   ACK <request_id> <draft>    after decide exited 0 (recorded by the store)
#   QUEUED <request_id> <draft> after decide exited 0 but only into the
#                               remote outbox (the server was away)
# The queue comes from $SIGNOFF_QUEUE, the reviewer from $SIGNOFF_REVIEWER.
[ $# = 3 ] || { echo "usage: reviewer_loop.bash SIGNOFF LOG LEASE_S" >&2; exit 2; }
so=$1 log=$2 lease=$3
body=$(mktemp "${TMPDIR:-/tmp}/signoff-crash-body.XXXXXX")
trap 'rm -f "$body"' EXIT
n=0
while :; do
    id=$("$so" claim --format id --lease "$lease" 2>/dev/null) || { sleep 0.05; continue; }
    [ -n "$id" ] || continue
    rid=$(cat /proc/sys/kernel/random/uuid)
    echo "SENT $rid $id" >>"$log"
    case $((n % 3)) in
    0) out=$("$so" decide "$id" approve --request-id "$rid" 2>/dev/null) ;;
    1) out=$("$so" decide "$id" reject --reason factual --note "crash $n" --request-id "$rid" 2>/dev/null) ;;
    2) echo "edited by $SIGNOFF_REVIEWER, round $n" >"$body"
       out=$("$so" decide "$id" edit --body-file "$body" --request-id "$rid" 2>/dev/null) ;;
    esac
    if [ $? = 0 ]; then
        case $out in
        *queued*) echo "QUEUED $rid $id" >>"$log" ;;
        *) echo "ACK $rid $id" >>"$log" ;;
        esac
    fi
    n=$((n + 1))
done
