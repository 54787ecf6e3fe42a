#!/bin/bash
# Hook changes are admin records (issue 16): hook add, disable, enable and
# replay each append a record of kind admin on the hook's workflow in the
# change's transaction (workflow log reads them back, the feed carries
# them, verify checks them); the secret is never in one; a change of a
# hook that does not exist writes nothing.
. "$(dirname "$0")/../lib.sh"
test_queue q || exit 0
export SIGNOFF_QUEUE=$Q SIGNOFF_REVIEWER=ana
so init
printf 'whsec_%s\n' "$(head -c 32 /dev/urandom | base64)" >"$T/secret"
chmod 600 "$T/secret"
so workflow set support --owner ana
so hook add --workflow support --url "https://hooks.example/in" --secret-file "$T/secret" --events all --max-failures 5
check_eq "hook add" 0 "$RC"
so hook disable 1
check_eq "hook disable" 0 "$RC"
so hook enable 1
check_eq "hook enable" 0 "$RC"
so hook replay 1 --from 1
check_eq "hook replay" 0 "$RC"
so hook add --workflow support --url "https://bot:pw1234@hooks.example/in" --secret-file "$T/secret"
check_eq "hook add: a user and password in the URL refused, naming it" \
    "2 signoff hook: url: no user or password before '@' (it would be kept in the audit chain and shown in hook list; the receiver checks the webhook's signature)" \
    "$RC ${ERR%%$'\n'*}"
check_eq "... and nothing added" 1 "$(qsql "SELECT count(*) FROM hooks")"
# a literal loopback, private or link-local address is refused at add time
# without --allow-private (every delivery would be refused at connect);
# libcurl reads the host, so 127.1 and [::1] are seen for what they are
for url in "http://127.0.0.1:9/" "http://10.0.0.5/" "http://[::1]/" \
    "http://127.1/x" "http://[fe80::1%25eth0]/" "http://169.254.169.254/"; do
    so hook add --workflow support --url "$url" --secret-file "$T/secret"
    check_contains "hook add $url without --allow-private: refused, naming the URL and the option" \
        "2 signoff hook: url: $url: " "$RC ${ERR%%$'\n'*}"
    check_contains "... $url: why" \
        "is a loopback, private or link-local address, where a hook reaches only with --allow-private" "$ERR"
done
check_eq "... and nothing added" 1 "$(qsql "SELECT count(*) FROM hooks")"
so hook disable 7
check_eq "a hook that does not exist: exit 1" 1 "$RC"
so hook add --workflow nope --url "https://hooks.example/in" --secret-file "$T/secret"
check_eq "hook add for a workflow the queue does not have: refused, naming it" \
    "1 signoff: hook: workflow: nope: no such workflow (a hook is for one workflow the queue has: create it with signoff workflow set, or enqueue a draft into it)" \
    "$RC $ERR"
check_eq "... and nothing added, no workflow made" "1 0" \
    "$(qsql "SELECT count(*) FROM hooks") $(qsql "SELECT count(*) FROM workflows WHERE name = 'nope'")"
check_eq "one record per change, on the hook's workflow" \
    "1|workflow/support|ana|workflow.create
2|workflow/support|ana|hook.add
3|workflow/support|ana|hook.disable
4|workflow/support|ana|hook.enable
5|workflow/support|ana|hook.replay" \
    "$(qsql "SELECT seq, draft, reviewer, reason FROM decisions ORDER BY seq")"
check_eq "hook.add: what the hook is" \
    '{"hook":1,"url":"https://hooks.example/in","events":"all","max_failures":5,"retry_for_ms":86400000,"allow_private":false}' \
    "$(qsql "SELECT note FROM decisions WHERE seq = 2")"
check_eq "hook.disable: from what to what" \
    '{"hook":1,"changes":{"enabled":{"from":true,"to":false}}}' \
    "$(qsql "SELECT note FROM decisions WHERE seq = 3")"
check_eq "hook.replay: from where, how many" '{"hook":1,"from_seq":1,"queued":0}' \
    "$(qsql "SELECT note FROM decisions WHERE seq = 5")"
check_eq "the secret is in no record" 0 \
    "$(qsql "SELECT count(*) FROM decisions d, hooks h WHERE d.note LIKE '%' || substr(h.secret, 7, 20) || '%'")"
so workflow log support
check_contains "workflow log reads them back" "ana hook.disable" "$OUT"
so events --workflow support
check_eq "the workflow's feed carries them" 4 "$(printf '%s\n' "$OUT" | grep -c 'what=hook')"
so verify
check_eq "verify: the chain holds" 0 "$RC"

# what the private-address check lets through at add time
so hook add --workflow support --url "https://203.0.113.7/in" --secret-file "$T/secret"
check_eq "a public address literal: added" 0 "$RC"
so hook add --workflow support --url "http://10.0.0.5/" --secret-file "$T/secret" --allow-private
check_eq "a private literal with --allow-private: added" 0 "$RC"
so hook add --workflow support --url "http://localhost:9/" --secret-file "$T/secret"
check_eq "a host name: added (checked when a delivery connects)" 0 "$RC"
