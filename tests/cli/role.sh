#!/bin/bash
# The reviewer's role on a local queue: --role, else $SIGNOFF_ROLE, else
# `role =` in the config file, else reviewer. Only a supervisor resolves a
# four-eyes disagreement (decide) or claims the resolve step (claim); bad
# values are named with where they came from; a remote queue refuses
# --role (the server's token decides).
. "$(dirname "$0")/../lib.sh"
test_queue q || exit 0
export SIGNOFF_QUEUE=$Q
unset SIGNOFF_ROLE
CFG=$XDG_CONFIG_HOME/signoff/config
mkdir -p "${CFG%/*}"
so init
so workflow set refunds --reviews 2
for i in 1 2 3 4 5 6; do
    printf '{"id":"R-%d","workflow":"refunds","title":"Refund %d","body":"refund %d"}\n' $i $i $i
done >"$T/in.jsonl"
so enqueue "$T/in.jsonl"
as() { local who=$1; shift; SIGNOFF_REVIEWER=$who so "$@"; }
# disagree ID: alice approves, bob rejects: the draft waits for a resolver.
disagree() {
    as alice decide "$1" approve >/dev/null
    as bob decide "$1" reject --reason factual >/dev/null
}
disagree R-1
disagree R-2
check_eq "two drafts wait in the resolve step" "R-1|R-2" \
    "$(sql "$SIGNOFF_QUEUE" "SELECT id FROM drafts WHERE status = 'resolve' ORDER BY id" | paste -sd'|')"

# Default: reviewer.
as carol decide R-1 approve
check_eq "no role anywhere: a reviewer may not resolve" \
    "1 signoff: R-1: the reviews disagree; a supervisor resolves it" "$RC $ERR"
as carol decide R-1 approve --role reviewer
check_eq "--role reviewer: may not resolve" 1 "$RC"

# --role supervisor resolves.
as carol decide R-1 approve --role supervisor
check_eq "--role supervisor resolves" "0 resolved: final approve" \
    "$RC ${OUT#*$'\n'}"
check_eq "the resolution is carol's, kind resolve" "carol|resolve|approve" \
    "$(sql "$SIGNOFF_QUEUE" "SELECT reviewer, kind, action FROM decisions WHERE draft = 'R-1' ORDER BY seq DESC LIMIT 1")"
check_eq "R-1 is final" "decided" \
    "$(sql "$SIGNOFF_QUEUE" "SELECT status FROM drafts WHERE id = 'R-1'")"

# Precedence: the option beats $SIGNOFF_ROLE, which beats the config.
SIGNOFF_ROLE=supervisor as carol decide R-2 approve --role reviewer
check_eq "--role reviewer beats SIGNOFF_ROLE=supervisor" \
    "1 signoff: R-2: the reviews disagree; a supervisor resolves it" "$RC $ERR"
printf 'role = supervisor\n' >"$CFG"
SIGNOFF_ROLE=reviewer as dave claim --workflow refunds --format id
check_eq "SIGNOFF_ROLE=reviewer beats the config: claim skips the resolve step" \
    "0 R-3" "$RC $OUT"
as erin claim --workflow refunds --format id --role reviewer
check_eq "--role reviewer beats the config" "0 R-4" "$RC $OUT"
as frank claim --workflow refunds --format id
check_eq "config role = supervisor: claim takes the resolve step" "0 R-2" \
    "$RC $OUT"
check_eq "the claim holds the resolve step" "resolve|frank" \
    "$(sql "$SIGNOFF_QUEUE" "SELECT status, claimed_by FROM drafts WHERE id = 'R-2'")"
as frank decide R-2 reject --reason policy
check_eq "config role = supervisor: decide resolves" "0 resolved: final reject" \
    "$RC ${OUT#*$'\n'}"
rm -f "$CFG"
SIGNOFF_ROLE=supervisor as gina claim --workflow refunds --format id
check_eq "SIGNOFF_ROLE=supervisor still works" "0 R-5" "$RC $OUT"

# Bad values, each named with where it came from.
as carol claim --role boss
check_eq "--role boss: usage error" \
    "2 signoff claim: --role: expected reviewer or supervisor, not 'boss'" \
    "$RC ${ERR%%$'\n'*}"
as carol decide R-6 approve --role Supervisor
check_eq "decide --role is case-sensitive" \
    "2 signoff decide: --role: expected reviewer or supervisor, not 'Supervisor'" \
    "$RC ${ERR%%$'\n'*}"
so review --role root </dev/null
check_eq "review --role root: usage error before the UI" \
    "2 signoff review: --role: expected reviewer or supervisor, not 'root'" \
    "$RC ${ERR%%$'\n'*}"
SIGNOFF_ROLE=admin as carol decide R-6 approve
check_eq "SIGNOFF_ROLE=admin: refused, nothing written" \
    "1 signoff: SIGNOFF_ROLE: expected reviewer or supervisor, not 'admin'" \
    "$RC $ERR"
check_eq "SIGNOFF_ROLE=admin: R-6 untouched" "pending|0" \
    "$(sql "$SIGNOFF_QUEUE" "SELECT status, reviews_done FROM drafts WHERE id = 'R-6'")"
disagree R-6
printf '# who am I\nrole = superuser\n' >"$CFG"
as carol decide R-6 approve
check_eq "config role = superuser: a warning naming file:line" \
    "signoff: warning: $CFG:2: role: expected reviewer or supervisor" \
    "${ERR%%$'\n'*}"
check_contains "config role = superuser: the line is skipped, so reviewer" \
    "R-6: the reviews disagree; a supervisor resolves it" "$ERR"
check_eq "config role = superuser: exit 1" 1 "$RC"
rm -f "$CFG"

# A remote queue: the server's token decides the role.
as carol claim --queue http://127.0.0.1:9 --role supervisor
check_eq "remote queue: --role refused" \
    "1 signoff: --role: a remote queue takes the role from the server's token, not from --role" \
    "$RC $ERR"
as carol decide R-6 approve --queue https://127.0.0.1:9/q --role reviewer
check_eq "remote queue: decide --role refused too" 1 "$RC"
check_contains "remote queue: decide --role names the option" \
    "signoff: --role: a remote queue takes the role" "$ERR"

for cmd in review claim decide; do
    so "$cmd" --help
    check_contains "$cmd --help documents --role" "      --role ROLE  " "$OUT"
done
