#!/bin/bash
# The status bar at 80 columns: when the whole line does not fit (a long
# queue name, drafts waiting on others) it uses short labels, so the lease
# left and who I am stay in view instead of being cut off with "…"; a long
# queue name is cut first.
. "$(dirname "$0")/ui.inc"
newq "status-bar-at-eighty-columns"; pg_short_spec; three
# D-3 held by mallory: counted as waiting on others.
sql "$Q" "UPDATE drafts SET status = 'claimed', claimed_by = 'mallory',
          lease_until = $(( $(date +%s) * 1000 + 600000 )),
          lease_token = lease_token + 1 WHERE id = 'D-3'"
review 80x24
check "the queue counts mallory's draft apart" ui_wait "waiting 1"
ui_keys Enter
check "draft open" ui_wait "Refunds take 30 days"
check "the lease is in view" ui_wait "lease 9:"
BAR=$(ui_screen | sed -n 23p)
check_contains "who I am is in view" "@alice" "$BAR"
check_contains "short labels" "pending 2  waiting 1  today 0" "$BAR"
check "the queue's name gives way, not the lease or the name" \
    eval '[[ $BAR == " "*"  pending 2"*"lease 9:"*"  @alice" ]]'
# A limit as well: on a server the name is its host:port, and cut it
# keeps the port (was "127.0.0.1:1…"); locally the file's name is cut.
ui_keys q; ui_wait "First refund question" >/dev/null
ui_keys l; ui_wait "Limit to:" >/dev/null; ui_keys "question" Enter
check "a limit is set" ui_wait "[limit:"
ui_keys Enter; ui_wait "Refunds take 30 days" >/dev/null
BAR=$(ui_screen | sed -n 23p)
if [ "$E2E_REMOTE" = 1 ]; then
    check_contains "a server's name cut keeps its port" \
        "${UI_QUEUE##*:}  [limit:" "$BAR"
fi
ui_keys q q
check_eq "clean exit" "__EXITED__ rc=0" "$(exited)"
ui_stop
# At 200 columns the whole line fits, with its long labels.
review 200x50
ui_wait "First refund question"; ui_keys Enter
check "200x50: draft open" ui_wait "Refunds take 30 days"
# Unsent decisions wait only in a remote queue's outbox: a local queue
# has none to count, so its bar says nothing of them.
if [ "$E2E_REMOTE" = 1 ]; then
    check "200x50: long labels" ui_wait "waiting on others: 1  mine today 0  unsent 0  lease 9:"
else
    check "200x50: long labels" ui_wait "waiting on others: 1  mine today 0  lease 9:"
    check_not_contains "200x50: no unsent count on a local queue" "unsent" "$(ui_screen)"
fi
ui_keys q q
exited >/dev/null
ui_stop
