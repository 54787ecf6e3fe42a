#!/bin/bash
# The access review lists the identities of signoff serve's tokens file
# (--tokens, the simple mode) beside the queue's tokens: id f_ (the first
# 12 hex of the secret's SHA-256, as the server logs it), reviewer, role,
# no scope, created when the file last changed, never expiring, last used
# at the reviewer's last record, and the same flags (a supervisor that
# never acted as one is broad, so is an unscoped identity used in one
# workflow; an identity with no record in 30 days is
# unused); never the secret. A weak token or a file others can read is an
# error naming it, as for serve.
. "$(dirname "$0")/../lib.sh"
test_queue q || exit 0
export SIGNOFF_QUEUE=$Q
DAY=86400000
NOW=1800000000000
export SIGNOFF_NOW_MS=$NOW
so init
printf '{"id":"S-1","workflow":"support","body":"a"}\n' | SIGNOFF_REVIEWER=pia so enqueue -
SIGNOFF_REVIEWER=alice SIGNOFF_NOW_MS=$((NOW - DAY)) so decide S-1 approve
check_eq "alice decides" 0 "$RC"
TA=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
TB=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
printf '# the simple mode\n%s alice reviewer\n%s bob supervisor\n' "$TA" "$TB" >"$T/tokens"
chmod 600 "$T/tokens"
touch -d @$(( (NOW - 40 * DAY) / 1000 )) "$T/tokens"
IA="f_$(printf '%s' "$TA" | sha256sum | cut -c1-12)"
IB="f_$(printf '%s' "$TB" | sha256sum | cut -c1-12)"
so access review --tokens "$T/tokens"
check_eq "access review --tokens: exit 0" 0 "$RC"
check "alice's file identity: used yesterday, never expires, broad (unscoped, one workflow used)" \
    grep -qE "^$IA +alice +reviewer +\(all\) +2026-12-06 +never +2027-01-14 +broad +tokens file" <<<"$OUT"
check "bob's: unused and broad (a supervisor that never acted as one)" \
    grep -qE "^$IB +bob +supervisor +\(all\) +2026-12-06 +never +never +unused broad +tokens file" <<<"$OUT"
check_not_contains "the secret is never printed" "$TA" "$OUT$ERR"
so access review --tokens "$T/tokens" --format json
check_eq "json: both, from the file" "$IA alice tokens-file ['broad'] | $IB bob tokens-file ['unused', 'broad']" \
    "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(" | ".join("%s %s %s %s" % (t["id"], t["reviewer"], t["source"], t["flags"]) for t in json.load(sys.stdin)))')"
so access review
check_not_contains "without --tokens: only the queue's tokens" "$IA" "$OUT"
printf 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa carol reviewer\n' >"$T/weak"
chmod 600 "$T/weak"
so access review --tokens "$T/weak"
check_eq "a weak token: exit 1" 1 "$RC"
check_contains "a weak token: the line named" "weak:1:" "$ERR"
chmod 640 "$T/tokens"
so access review --tokens "$T/tokens"
check_eq "a file others can read: exit 1" 1 "$RC"
check_contains "a file others can read: chmod 600 it" "chmod 600 it" "$ERR"
