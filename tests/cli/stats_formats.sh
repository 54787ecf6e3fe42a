#!/bin/bash
# stats in each machine format, judged by the format's own tool: promtool
# check metrics on every --by (no findings), Python's csv and json modules.
# A missing model or confidence is null in JSON, an empty CSV field and an
# empty label value, never the key of a model really named "(none)"; a
# duration without a unit is refused, naming the units; --by pair gives
# CRLF CSV and the one JSON object of every --by; names stored before names
# were checked (written here straight into the file) reach no output raw.
. "$(dirname "$0")/../lib.sh"

test_queue q || exit 0
export SIGNOFF_QUEUE="$Q" SIGNOFF_NOW_MS=1795514400000 # 2026-11-24T10:00Z
py() { python3 -c "$1" <"$T/.out"; }
promcheck() { # NAME: promtool check metrics on $T/.out finds nothing
    local out
    out=$(promtool check metrics <"$T/.out" 2>&1)
    check_eq "$1: promtool check metrics: no findings" "0 " "$? $out"
}
so init
so workflow set pairs --reviews 2
{
    printf '{"id":"n1","workflow":"w","model":"(none)","confidence":0.5,"body":"a"}\n'
    printf '{"id":"n2","workflow":"w","body":"b"}\n'
    printf '{"id":"n3","workflow":"w","body":"c"}\n'
    printf '{"id":"p1","workflow":"pairs","model":"m","body":"d"}\n'
} >"$T/in.jsonl"
so enqueue "$T/in.jsonl"
check_eq "enqueue" 0 "$RC"
so decide n1 approve
so decide n2 reject --reason factual
so decide n3 approve
SIGNOFF_REVIEWER=bob so decide p1 approve
SIGNOFF_REVIEWER=carol so decide p1 approve
check_eq "four-eyes: second review" 0 "$RC"

# 1. missing vs "(none)"
so stats --by model --format json
check_eq "json: a missing model is null, apart from a model named (none)" \
    "[None, '(none)', 'm'] [2, 1, 1]" \
    "$(py 'import json,sys; g=json.load(sys.stdin)["groups"]; print([x["key"] for x in g], [x["decided"] for x in g])')"
so stats --by model --format csv
check_eq "csv: a missing model is an empty field, (none) is itself" \
    "['', '(none)', 'm']" \
    "$(py 'import csv,sys; print([r["model"] for r in csv.DictReader(sys.stdin)])')"
so stats --by model --format prometheus
check_contains "prometheus: a missing model is an empty label value" \
    'signoff_override_ratio{model=""} 0.5' "$OUT"
check_contains "prometheus: (none) is a model of its own" \
    'signoff_override_ratio{model="(none)"} 0' "$OUT"
so stats --by band --format json
check_eq "json: an unknown band is null" "[None, '0.5-0.6']" \
    "$(py 'import json,sys; print([x["key"] for x in json.load(sys.stdin)["groups"]])')"
so stats --by model
check_contains "table: a missing model shows as (none)" "(none)" "$OUT"

# 5. promtool on every --by, and the naming conventions
for by in workflow model reviewer day band pair phase; do
    so stats --by "$by" --format prometheus
    check_eq "--by $by --format prometheus: exit" 0 "$RC"
    promcheck "--by $by"
done
so stats --format prometheus
check_contains "prometheus: the window in seconds" \
    "signoff_window_seconds 604800" "$OUT"
check_contains "prometheus: median time in seconds" \
    "# TYPE signoff_active_time_median_seconds gauge" "$OUT"
check_not_contains "prometheus: no sentinel -1" "} -1" "$OUT"

# --check is a list of alerts: table or json, never another format's
# name on text that format's tool rejects
for fmt in csv prometheus; do
    so stats --check --format "$fmt"
    check_eq "--check --format $fmt: usage error, no output" "2 " "$RC $OUT"
    check_contains "--check --format $fmt: says which formats" \
        "--check: --format table or json" "$ERR"
done
so stats --by nonsense
check_contains "--by: the error names every --by" \
    "expected workflow, model, reviewer, day, band, pair or phase" "$ERR"

# 2. a duration needs a unit (0 is no window either)
for since in 7 30 0; do
    so stats --since "$since"
    check_eq "--since $since: usage error" 2 "$RC"
    check_contains "--since $since: names the units" "ms, s, m, h, d, w" "$ERR"
done
for since in 7 0; do
    so export --since "$since"
    check_eq "export --since $since: usage error naming the units" \
        "2 yes" "$RC $(case "$ERR" in *"ms, s, m, h, d, w"*) echo yes ;; esac)"
done
for opt in --check "--by phase"; do
    so stats $opt --since 30d
    check_eq "stats $opt --since: refused, its own window counts" "2 yes" \
        "$RC $(case "$ERR" in *"--since does not apply"*) echo yes ;; esac)"
done

# 3. --by pair: CRLF CSV, the one JSON object
so stats --by pair --format csv
check_eq "pair csv: every line ends in CRLF" "3 3" \
    "$(grep -c $'\r$' "$T/.out") $(wc -l <"$T/.out")"
check_eq "pair csv: parses, reviewer pair" "bob carol" \
    "$(py 'import csv,sys; r=[x for x in csv.DictReader(sys.stdin) if x["reviewer_a"]]; print(r[0]["reviewer_a"], r[0]["reviewer_b"])')"
so stats --by pair --format json
check_eq "pair json: one object like every --by" \
    "pair ['by', 'first_day', 'last_day', 'days', 'groups'] 7 pairs" \
    "$(py 'import json,sys; o=json.load(sys.stdin); print(o["by"], list(o), o["days"], o["groups"][0]["workflow"])')"
# --by phase: the same one object, CRLF CSV
so stats --by phase --format json
check_eq "phase json: one object, a group per workflow" \
    "phase ['by', 'groups'] pairs augment 7 None" \
    "$(py 'import json,sys; o=json.load(sys.stdin); g=o["groups"][0]; print(o["by"], list(o), g["workflow"], g["phase"], g["window_days"], g["override_rate"])')"
so stats --by phase --format csv
check_eq "phase csv: every line ends in CRLF, a row per workflow" "3 3 pairs,w" \
    "$(grep -c $'\r$' "$T/.out") $(wc -l <"$T/.out") $(py 'import csv,sys; print(",".join(r["workflow"] for r in csv.DictReader(sys.stdin)))')"
so stats --by phase --format prometheus
check_contains "phase prometheus: the automation gauges of /metrics" \
    'signoff_workflow_automate{workflow="w"} 0' "$OUT"
so stats --by pair --workflow w
check_eq "pair table: says when there is nothing" \
    "no four-eyes reviews in this window" "$OUT"

# Escaping at exit: names stored before names were checked.
ch() { if [ "$(test_backend)" = pg ]; then echo "chr($1)"; else echo "char($1)"; fi; }
sql "$Q" "UPDATE rollup SET reviewer = 'ev' || $(ch 27) || ']52;c;x' || $(ch 7) || 'il\"\\' WHERE reviewer = 'alice'"
sql "$Q" "UPDATE rollup_reasons SET reason = 'r' || $(ch 27) || '[2J' || $(ch 10) || 'x' WHERE reason = 'factual'"
for fmt in table csv prometheus json; do
    so stats --by reviewer --format "$fmt"
    check_eq "hostile reviewer, $fmt: exit 0" 0 "$RC"
    check_eq "hostile reviewer, $fmt: no ESC or BEL reaches the output" 0 \
        "$(tr -cd '\033\007' <"$T/.out" | wc -c)"
done
so stats --by reviewer --format prometheus
promcheck "hostile names"
check_contains "prometheus: label escaped by the exposition format" \
    'reviewer="ev<U+001B>]52;c;x<U+0007>il\"\\"' "$OUT"
check_contains "prometheus: a line feed in a reason is \\n" \
    'reason="r<U+001B>[2J\nx"' "$OUT"
so stats --by reviewer --format csv
check_eq "csv: the name with its controls as visible tokens" \
    'ev<U+001B>]52;c;x<U+0007>il"\' \
    "$(py 'import csv,sys; print([r["reviewer"] for r in csv.DictReader(sys.stdin)][1])')"
