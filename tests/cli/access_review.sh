# The access review on a crafted history: every live token with its use and
# flags (unused, expiring, broad: a supervisor that never acted as one, an
# unscoped token used in one workflow only); a review recorded in the audit
# chain; stats --check warns when the next one is overdue.
. "$(dirname "$0")/../lib.sh"
test_queue q || exit 0
export SIGNOFF_QUEUE=$Q
DAY=86400000
NOW=1800000000000
export SIGNOFF_NOW_MS=$NOW
so init
printf '{"id":"S-1","workflow":"support","body":"a"}\n{"id":"B-1","workflow":"billing","body":"b"}\n{"id":"S-2","workflow":"support","body":"c"}\n{"id":"S-3","workflow":"support","body":"d"}\n' >"$T/d.jsonl"
so enqueue "$T/d.jsonl"
mk() { so token create "$@"; sed -n 's/^signoff: token \(tk_[0-9a-f]*\) for .*/\1/p' <<<"$ERR"; }
A=$(mk --reviewer alice --role reviewer --note "alice's laptop")
C=$(mk --reviewer carol --role reviewer)
S=$(mk --reviewer sue --role supervisor --expires 10d)
O=$(mk --reviewer omar --role supervisor)
P=$(mk --reviewer pia --role producer --workflow support --expires never)
R=$(mk --reviewer rex --role reviewer)
so token revoke "$R"
so token revoke "$R"
check_eq "revoking it again: says so, naming it once" \
    "1 signoff: $R: no such token (or already revoked)" "$RC $ERR"
# The history: alice decided in support only, carol in two workflows,
# omar paused a workflow (a supervisor's act), nobody used pia's token for
# 45 days, alice used hers yesterday.
SIGNOFF_REVIEWER=alice so decide S-1 approve
SIGNOFF_REVIEWER=alice so decide S-2 approve
SIGNOFF_REVIEWER=carol so decide B-1 reject --reason factual
SIGNOFF_REVIEWER=carol so decide S-3 approve
SIGNOFF_ROLE=supervisor SIGNOFF_REVIEWER=omar so workflow pause support --reason "checking"
qsql "UPDATE tokens SET created_at = $((NOW - 100 * DAY)); UPDATE tokens SET last_used_at = $((NOW - DAY)), last_addr = '10.0.0.7' WHERE id = '$A'; UPDATE tokens SET last_used_at = $((NOW - 2 * DAY)) WHERE id IN ('$C', '$O', '$S'); UPDATE tokens SET last_used_at = $((NOW - 45 * DAY)) WHERE id = '$P'"
so access review
check_eq "access review: exit 0" 0 "$RC"
check_eq "access review: each live token with its flags" \
"ID              REVIEWER   ROLE       SCOPE        CREATED    EXPIRES    LAST USED  FLAGS                  NOTE
$A alice      reviewer   (all)        2026-10-07 2027-04-15 2027-01-14 broad                  alice's laptop
$C carol      reviewer   (all)        2026-10-07 2027-04-15 2027-01-13 -                      -
$S sue        supervisor (all)        2026-10-07 2027-01-25 2027-01-13 expiring broad         -
$O omar       supervisor (all)        2026-10-07 2027-04-15 2027-01-13 -                      -
$P pia        producer   support      2026-10-07 never      2026-12-01 unused                 -
last review: never; next due: 2027-01-05 (overdue)" \
    "$(printf '%s\n' "$OUT" | sed 's/^\(tk_[0-9a-f]*\) /\1 /')"
so access review --format json
check_eq "access review --format json: the flags and last address" \
    "alice ['broad'] 10.0.0.7|pia ['unused'] None" \
    "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("|".join("%s %s %s" % (t["reviewer"], t["flags"], t["last_addr"]) for t in d if t["reviewer"] in ("alice","pia")))')"
check_not_contains "access review: never a secret or hash" "so_" "$OUT"
so stats --check
check_eq "stats --check: an overdue access review is an alert" 3 "$RC"
check_contains "stats --check: says so" "access review is overdue" "$ERR"
SIGNOFF_REVIEWER=ana so access reviewed --note "all six checked; rex revoked" --every 30d
check_eq "access reviewed: recorded" "0 access review recorded (seq 15); next due 2027-02-14T08:00:00Z" "$RC $OUT"
check_eq "access reviewed: an admin record in the chain" \
    'queue|ana|admin|access.reviewed|{"note":"all six checked; rex revoked","every_ms":2592000000}' \
    "$(qsql "SELECT draft, reviewer, kind, reason, note FROM decisions WHERE seq = 15")"
so stats --check
check_eq "stats --check: reviewed, no alert" 0 "$RC"
SIGNOFF_NOW_MS=$((NOW + 31 * DAY)) so stats --check
check_eq "stats --check: 31 days later, overdue again (every 30d)" 3 "$RC"
so verify
check_eq "verify: the chain holds" 0 "$RC"
so access reviewed
check_eq "access reviewed needs --note" 2 "$RC"
