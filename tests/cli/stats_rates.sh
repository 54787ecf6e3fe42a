#!/bin/bash
# stats: a known decision set made through enqueue + decide with the clock
# pinned, against hand-computed figures. "Now" is 2026-11-24T10:00:00Z.
#   today:      approve x4, edit with no change (= approve), edit, reject
#               (factual), escalate
#   2026-11-23: approve at 00:00:00.000 exactly (first instant of "2d"),
#               approve, edit
#   2026-11-22: approve at 23:59:59.999 (last instant before "2d")
# Windows are the last N whole UTC days: 24h = today, 2d = yesterday and
# today, 7d = 2026-11-18 .. 2026-11-24.
# 2d: approved 7, edited 2, rejected 1 -> 3/10 = 30.0%, Wilson [10.78%,
# 60.32%]; escalated 1 apart. 7d: 3/11 = 27.27%, Wilson [9.75%, 56.56%].
# 24h: 7 decided, 2 overridden.
. "$(dirname "$0")/../lib.sh"

test_queue q || exit 0
export SIGNOFF_QUEUE="$Q"
NOW=1795514400000      # 2026-11-24T10:00:00Z
MID=1795392000000      # 2026-11-23T00:00:00.000Z
export SIGNOFF_NOW_MS=$((MID - 86400000))
so init
check_eq "init" 0 "$RC"
{
    for i in 1 2 3 4 5 6 7 8 9 10 11 12 13; do
        printf '{"id":"d%s","workflow":"support","model":"m1","confidence":0.75,"body":"the answer is yes"}\n' "$i"
    done
} >"$T/in.jsonl"
so enqueue "$T/in.jsonl"
check_eq "enqueue 13 drafts" 0 "$RC"
so workflow set support --threshold 0.25 --min-decisions 5 --window 7d --owner dana
check_eq "workflow set" 0 "$RC"

decide_at() { # MS ID ACTION [ARGS...]
    local at=$1; shift
    SIGNOFF_NOW_MS=$at run "$SO" decide "$@"
    check_eq "decide $1 $2" 0 "$RC"
}
printf 'the answer is yes' >"$T/same.txt"
printf 'the answer is no, sorry' >"$T/changed.txt"
for i in 1 2 3 4; do decide_at $NOW d$i approve; done
decide_at $NOW d5 edit --body-file "$T/same.txt"
decide_at $NOW d6 edit --body-file "$T/changed.txt"
decide_at $NOW d7 reject --reason factual
decide_at $NOW d8 escalate --reason other
decide_at $MID d9 approve
decide_at $((MID + 3600000)) d10 approve
decide_at $((MID + 7200000)) d11 edit --body-file "$T/changed.txt"
decide_at $((MID - 1)) d12 approve
export SIGNOFF_NOW_MS=$NOW

# JSON, parsed back by python's json module.
so stats --since 2d --format json
check_eq "stats json exit" 0 "$RC"
py() { printf '%s' "$OUT" | python3 -c "$1"; }
check_eq "2d: one group" "support" "$(py 'import json,sys; d=json.load(sys.stdin); print(",".join(g["key"] for g in d["groups"]))')"
check_eq "2d: counts a/e/r/x/decided" "7 2 1 1 10" "$(py 'import json,sys; g=json.load(sys.stdin)["groups"][0]; print(g["approved"], g["edited"], g["rejected"], g["escalated"], g["decided"])')"
check_eq "2d: rate and Wilson interval" "0.3000 0.1078 0.6032" "$(py 'import json,sys; g=json.load(sys.stdin)["groups"][0]; print("%.4f %.4f %.4f" % (g["override_rate"], g["ci95_low"], g["ci95_high"]))')"
check_eq "2d: window is yesterday and today" "2026-11-23 2026-11-24 2" "$(py 'import json,sys; d=json.load(sys.stdin); print(d["first_day"], d["last_day"], d["days"])')"
check_eq "2d: meaningful at 10 >= 5" "True" "$(py 'import json,sys; print(json.load(sys.stdin)["groups"][0]["meaningful"])')"
check_eq "2d: reject reasons" "factual 1 1.00" "$(py 'import json,sys; r=json.load(sys.stdin)["reject_reasons"][0]; print(r["reason"], r["count"], "%.2f" % r["share"])')"

so stats --since 7d --format json
check_eq "7d: 23:59:59.999 the day before now counts" "11 0.2727 0.0975 0.5656" "$(py 'import json,sys; g=json.load(sys.stdin)["groups"][0]; print(g["decided"], "%.4f %.4f %.4f" % (g["override_rate"], g["ci95_low"], g["ci95_high"]))')"

so stats --since 2026-11-24 --format json
check_eq "date: from its 00:00 UTC (today: 7 decided, 2 overridden)" "7 2" "$(py 'import json,sys; g=json.load(sys.stdin)["groups"][0]; print(g["decided"], g["edited"] + g["rejected"])')"
so stats --since 24h --format json
check_eq "24h: today's UTC day" "2026-11-24 1 7 2" "$(py 'import json,sys; d=json.load(sys.stdin); g=d["groups"][0]; print(d["first_day"], d["days"], g["decided"], g["edited"] + g["rejected"])')"

# Table: aligned, with the interval and the sparkline.
so stats --since 2d
check_eq "table exit" 0 "$RC"
check_contains "table: rate" "30.0%" "$OUT"
check_contains "table: interval" "[10.8%, 60.3%]" "$OUT"
check_contains "table: sparkline of two days" "▃▃" "$OUT"
check_contains "table: header" "WORKFLOW  DECIDED" "$OUT"
check_contains "table: reasons" "support: factual 100.0% (1)" "$OUT"

# CSV by python's csv module.
so stats --since 2d --format csv
check_eq "csv parses: key, decided, rate" "support 10 0.300000" "$(py 'import csv,sys; r=list(csv.DictReader(sys.stdin)); print(r[0]["workflow"], r[0]["decided"], r[0]["override_rate"])')"

# Prometheus: every line a comment or a sample.
so stats --since 2d --format prometheus
bad=$(printf '%s\n' "$OUT" | grep -Ev '^# (HELP|TYPE) [a-z_][a-z0-9_]* |^[a-z_][a-z0-9_]*(\{([a-z_]+="([^"\\]|\\.)*",?)+\})? -?[0-9.e+-]+$' | head -3)
check_eq "prometheus: every line parses" "" "$bad"
check_contains "prometheus: rate" 'signoff_override_ratio{workflow="support"} 0.3' "$OUT"
check_contains "prometheus: escalations" 'signoff_window_decisions{workflow="support",action="escalate"} 1' "$OUT"

# --by reviewer shows the rubber-stamp share column.
so stats --since 2d --by reviewer
check_contains "by reviewer: STAMP column" "STAMP" "$OUT"
check_contains "by reviewer: alice" "alice" "$OUT"
# decide from the CLI spends no active time: every approval is faster than
# 1 s per 40 words, so alice's 7 approvals are all rubber stamps
so stats --since 2d --by reviewer --format json
check_eq "by reviewer: rubber-stamp share 7/7" "alice 7 1.0" "$(py 'import json,sys; g=json.load(sys.stdin)["groups"][0]; print(g["key"], g["fast_approvals"], "%.1f" % g["rubber_stamp"])')"
# readiness: all ten decisions are in band 0.7-0.8 with 3 overridden, upper
# bound 60.32% >= 25%: none yet
so stats --since 2d --by band --format json
check_eq "by band: one band, 3 of 10" "0.7-0.8 10" "$(py 'import json,sys; g=json.load(sys.stdin)["groups"][0]; print(g["key"], g["decided"])')"
check_eq "readiness: none yet" "None" "$(py 'import json,sys; print(json.load(sys.stdin)["readiness"][0]["ready_from_confidence"])')"

# Usage errors.
so stats --since yesterday
check_eq "bad --since is a usage error" 2 "$RC"
so stats --by colour
check_eq "bad --by is a usage error" 2 "$RC"
so stats --workflow nope
check_eq "unknown workflow fails" 1 "$RC"
