#!/bin/bash
# signoff demo: writes a deterministic demo queue (>= 150 drafts in three
# workflows, two models, grounding problems, 30 days of history by five
# reviewers) whose monitor story is true: refund-approvals is over its
# threshold, the others are not, and one reviewer approves in seconds.
# Without a terminal it prints and exits; on a terminal it opens the UI.
. "$(dirname "$0")/../lib.sh"
export SIGNOFF_NOW_MS=1795000000000
D=$XDG_DATA_HOME/signoff/demo.db

run timeout 120 "$SO" demo </dev/null
check_eq "demo without a terminal: exit 0" 0 "$RC"
first=${OUT%%$'\n'*}
case "$first" in "demo queue $D: 155 drafts waiting in 3 workflows, "*" past decisions")
    ok "demo: the summary line" ;; *) notok "demo: the summary line"; echo "    got: $first" ;; esac
check_contains "demo: prints the waiting drafts" "ID        WORKFLOW          CONF   AGE  STATUS     FLAG  TITLE" "$OUT"
check_eq "demo: ends with how to review" "review them with: signoff review --queue $D" "${OUT##*$'\n'}"
check_eq "demo: nothing on stderr" "" "$ERR"

q() { sql "$D" "$1"; }
check_eq "demo: 155 pending drafts over three workflows" \
    "contract-clauses|45 refund-approvals|50 support-replies|60" \
    "$(q "SELECT workflow, count(*) FROM drafts WHERE status = 'pending' GROUP BY workflow ORDER BY workflow" | tr '\n' ' ' | sed 's/ $//')"
check_eq "demo: two model versions" "m-2026-09 m-2026-11" \
    "$(q 'SELECT DISTINCT model FROM drafts ORDER BY 1' | tr '\n' ' ' | sed 's/ $//')"
check_eq "demo: five reviewers, the supervisor and website-faq' automatic approvals in the history" "auto dana marcus omar priya sam wei" \
    "$(q 'SELECT DISTINCT reviewer FROM decisions ORDER BY 1' | tr '\n' ' ' | sed 's/ $//')"
check_eq "demo: escalations settled by the supervisor but yesterday's" \
    "1 $(q "SELECT count(*) FROM decisions WHERE action = 'escalate'")" \
    "$(q "SELECT count(*) FROM drafts WHERE status = 'escalated'") $(q "SELECT count(*) + 1 FROM decisions WHERE kind = 'resolve' AND reviewer = 'omar' AND draft IN (SELECT draft FROM decisions WHERE action = 'escalate')")"
check_eq "demo: the audit chain runs forward in time" 0 \
    "$(q "SELECT count(*) FROM decisions a JOIN decisions b ON b.seq = a.seq + 1 WHERE b.decided_at < a.decided_at")"
check_eq "demo: history spans 30 days and today (website-faq moved to automate)" 31 \
    "$(q "SELECT count(DISTINCT decided_at / 86400000) FROM decisions WHERE kind <> 'admin'")"
check_eq "demo: every action occurs (and the admin records of the setup)" "admin approve edit escalate reject" \
    "$(q 'SELECT DISTINCT action FROM decisions ORDER BY 1' | tr '\n' ' ' | sed 's/ $//')"
check "demo: the citations carry titles, uris, excerpts and quotes" test \
    "$(q "SELECT count(*) FROM citations WHERE title <> '' AND uri LIKE 'https://%' AND excerpt <> '' AND quote <> ''")" -gt 500

so list --queue "$D" --format json --limit 1000
flags=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(sum(r["grounding_flag"] for r in json.load(sys.stdin)))')
check "demo: some waiting drafts have grounding flags ($flags)" test "$flags" -ge 10
missing=0 badq=0
for id in $(printf '%s' "$OUT" | python3 -c 'import json,sys; print(" ".join(r["id"] for r in json.load(sys.stdin) if r["grounding_flag"]))'); do
    "$SO" show --queue "$D" --format json "$id" >"$T/s.json"
    read -r m b < <(python3 -c 'import json,sys; g=json.load(open(sys.argv[1]))["grounding"]; print(len(g["missing"]), len(g["bad_quotes"]))' "$T/s.json")
    missing=$((missing + (m > 0))); badq=$((badq + (b > 0)))
done
check "demo: drafts with a [n] that has no citation ($missing)" test "$missing" -ge 3
check "demo: drafts whose quote is not in its excerpt ($badq)" test "$badq" -ge 3

so stats --queue "$D" --check
check_eq "demo story: stats --check exits 3" 3 "$RC"
check_contains "demo story: refund-approvals is over its threshold" "refund-approvals: override rate" "$OUT$ERR"
check_not_contains "demo story: support-replies is healthy" "support-replies: override rate" "$OUT$ERR"
check_not_contains "demo story: contract-clauses is healthy" "contract-clauses: override rate" "$OUT$ERR"
old=$(q "SELECT round(100.0 * sum(action IN ('edit','reject')) / sum(action IN ('approve','edit','reject'))) FROM decisions d JOIN drafts r ON r.id = d.draft WHERE r.workflow = 'refund-approvals' AND d.decided_at < $SIGNOFF_NOW_MS - 8 * 86400000")
check "demo story: refunds were healthy before (${old}%)" test "${old%.*}" -le 10
check_eq "demo story: sam approves in about a second, always" "approve 1" \
    "$(q "SELECT group_concat(DISTINCT action), max(active_ms) < 1500 FROM decisions WHERE reviewer = 'sam'" | tr '|' ' ')"
check_eq "demo story: the others take their time" 1 \
    "$(q "SELECT min(active_ms) > 8000 FROM decisions WHERE reviewer NOT IN ('sam', 'auto') AND kind <> 'admin'")"
# refund-approvals went four-eyes this morning: the last hour's refunds
# had two reviews each, so the agreement report has pairs to show (it
# printed only its CSV header on the demo queue).
so stats --queue "$D" --by pair --format csv
check_eq "demo: stats --by pair: the workflow line and six reviewer pairs" \
    "refund-approvals,,,14,0.7857,0.4545,3,2 6" \
    "$(printf '%s' "$OUT" | python3 -c 'import csv,sys; r=list(csv.DictReader(sys.stdin)); print(",".join(r[0].values()), sum(1 for x in r if x["reviewer_a"]))')"
so verify --queue "$D"
check_eq "demo: the audit chain holds" 0 "$RC"
so workflow show website-faq --queue "$D"
check_contains "demo: website-faq is in automate phase" "phase:          automate" "$OUT"
check_contains "demo: its policy, set by its owner without --force" "policy:         automate from 0.80, sample 10%" "$OUT"
check_eq "demo: the policy was supported by its readiness figure" "0|dana|40" \
    "$(q "SELECT forced, by, decided FROM policy_events WHERE workflow = 'website-faq'")"
check_contains "demo: its automatic approvals and measured sample" "measured:       auto 94, sampled 6, override 16.7% [3.0%, 56.4%]" "$OUT"

# Cost and service levels (issue 16 part 4): every draft reports its cost,
# tokens and latency; the workflows have hourly rates and SLAs; refunds
# (8h) has drafts past it, sorted first in the reviewer UI.
check_eq "demo: every draft reports cost, tokens and latency in USD" 0 \
    "$(q "SELECT count(*) FROM drafts WHERE cost_micros IS NULL OR tokens IS NULL OR latency_ms IS NULL OR currency <> 'USD'")"
so stats --queue "$D" --format json
check_eq "demo: cost per task of the three reviewed workflows" "3" \
    "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(sum(1 for g in json.load(sys.stdin)["groups"] if g["cost"]["total_per_task"] and g["cost"]["human_per_task"] > 0 and g["cost"]["ai_per_task"] > 0))')"
so workflow show refund-approvals --queue "$D"
check_contains "demo: refunds have an 8h SLA" "sla:            8h (alert over 10.0% past it" "$OUT"
check_contains "demo: and a reviewing rate" "hourly rate:    45.00 USD an hour" "$OUT"
so list --queue "$D" --status open --format json --limit 1000
check "demo: open drafts past their SLA" test \
    "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r.get("sla") == "past"))')" -ge 5
head1=$(q 'SELECT hash FROM decisions ORDER BY seq DESC LIMIT 1')
run timeout 120 "$SO" demo --no-ui
check_eq "demo again: the default queue is recreated, not added to" "155" \
    "$(q "SELECT count(*) FROM drafts WHERE status = 'pending'")"
check_eq "demo again: same seed and clock, same chain head" "$head1" \
    "$(q 'SELECT hash FROM decisions ORDER BY seq DESC LIMIT 1')"
run timeout 120 "$SO" demo --no-ui --seed 7 --queue "$T/seven.db"
check_eq "demo --seed 7 --queue: exit 0" 0 "$RC"
check "demo --seed 7: other data" test "$head1" != "$(sql "$T/seven.db" 'SELECT hash FROM decisions ORDER BY seq DESC LIMIT 1')"

# The tables fit the terminal (signoff(1), TABLES): at 80 columns the least
# important columns go and nothing is wider; --wide and a pipe keep them all.
"$SO" token create --queue "$D" --reviewer alice-the-long-named --role reviewer \
    --workflow support-replies --note "rotation test for the new laptop" >/dev/null 2>&1
tables() {
    local c
    for c in "workflow list" "token list" "stats" "stats --by reviewer" "stats --by pair" "stats --check" "workflow list --wide"; do
        echo "== $c"
        # shellcheck disable=SC2086
        "$SO" $c --queue "$D"
    done
}
TMUX_SOCK="so$$t"
ui_start 80 24 env SIGNOFF_NOW_MS="$SIGNOFF_NOW_MS" SO="$SO" D="$D" bash -c "$(declare -f tables); tables"
check "the tables on an 80-column terminal" ui_wait "__EXITED__ rc=0" 30
S=$(tm capture-pane -p -J -S -500 -t ui) # -J: a wrapped line as the one it is
ui_stop
part() { sed -n "/^== $1\$/,/^== /p" <<<"$S" | sed '1d;$d'; }
too_wide() { python3 -c 'import sys; print("".join(l for l in sys.stdin if len(l.rstrip("\n")) > 80), end="")'; }
for c in "workflow list" "token list" "stats" "stats --by reviewer" "stats --by pair" "stats --check"; do
    check_eq "80 columns: $c fits" "" "$(part "$c" | too_wide)"
done
check_contains "80 columns: stats --by pair drops the empty AGREEMENT column" \
    "WORKFLOW         PAIR         SHARED  AGREE   KAPPA      RESOLVED  SIDED-AI" "$(part "stats --by pair")"
check_eq "80 columns: workflow list drops the limits, keeps the names whole" \
    "WORKFLOW         OWNER THRESHOLD WINDOW MIN REVIEWS AUTOMATION PHASE    PENDING
contract-clauses lena      15.0%    14d  20       1 on         augment       45" \
    "$(part "workflow list" | head -2)"
check_contains "80 columns: token list keeps id, reviewer, role, state, expiry and scope" \
    "ID              REVIEWER     ROLE     STATE  EXPIRES           SCOPE" "$(part "token list")"
check_contains "80 columns: ... a long name cut with an ellipsis" "alice-the-l…" "$(part "token list")"
check_contains "80 columns: stats keeps the rate and its interval" \
    "WORKFLOW          DECIDED  ESC  OVERRIDE  95% CI          MED TIME  TREND" "$(part "stats")"
check_contains "80 columns: stats wraps a long line, indented" \
    "  contract-clauses: none yet (threshold 15.0%, at least 20 decisions at or
      above a band)" "$(part "stats")"
check_contains "80 columns: --wide keeps every column" \
    "WORKFLOW                 OWNER            THRESHOLD WINDOW    MIN REVIEWS AUTO-PAUSE AUTOMATION PHASE    PENDING" \
    "$(part "workflow list --wide")"
so workflow list --queue "$D"
check_contains "a pipe keeps every column" "THRESHOLD WINDOW    MIN REVIEWS AUTO-PAUSE AUTOMATION" "$OUT"
so token list --queue "$D"
check_contains "a pipe keeps every column of token list" "LAST USED         SCOPE           NOTE" "$OUT"

printf 'keep me\n' >"$T/mine.db"
so demo --queue "$T/mine.db"
check_eq "demo never overwrites a given file" \
    "1 signoff: $T/mine.db: already exists; the demo writes a new queue (remove it or pick another path)" "$RC $ERR"
check_eq "demo: the given file is untouched" "keep me" "$(cat "$T/mine.db")"

# CI=true never opens the UI, even on a terminal; without it the UI opens.
unset SIGNOFF_NOW_MS
ui_start 100 30 env CI=true "$SO" demo --queue "$T/ci.db"
check "CI=true on a terminal: prints and exits" ui_wait "__EXITED__ rc=0" 60
ui_stop
# A tmux server started on the socket just stopped can die with it (the
# two failed together under load): the next UI gets a socket of its own.
TMUX_SOCK="so$$b"
ui_start 100 30 env -u CI "$SO" demo --queue "$T/ui.db"
check "on a terminal the reviewer UI opens on the demo queue" ui_wait "pending 155" 60
ui_keys q
check "the UI quits with q" ui_wait "__EXITED__ rc=0" 20
ui_stop
