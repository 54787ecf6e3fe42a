#!/bin/bash
# contrib/: the Prometheus rules pass `promtool check rules` and their unit
# tests (`promtool test rules`); the Grafana dashboard is valid JSON whose
# queries name only metric families a live /metrics has (every metric of
# the rules too) and parse as PromQL (promtool); the systemd unit passes
# `systemd-analyze verify` (skipped, saying why, where systemd-analyze is
# missing).
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
C=$TOP/contrib
run promtool check rules "$C/prometheus/signoff.rules.yml"
check_eq "promtool check rules: exit 0" 0 "$RC"
check_contains "promtool check rules: SUCCESS" "SUCCESS" "$OUT"
printf '%s\n' "$OUT" | sed 's/^/# /'
run sh -c 'cd "$1" && promtool test rules signoff.rules.test.yml' sh "$C/prometheus"
check_eq "promtool test rules: exit 0" 0 "$RC"
check_contains "promtool test rules: SUCCESS" "SUCCESS" "$OUT"
printf '%s\n' "$OUT" | sed 's/^/# /'

# A live /metrics with every family (a decision, so there is a ratio).
serve_setup 2
serve_start || exit 1
api POST /v1/claim "$TOK_ALICE" '{"draft_id":"D-0000"}'
api POST /v1/drafts/D-0000/decision "$TOK_ALICE" '{"request_id":"c-1","action":"approve"}'
check_eq "a decision for the scrape" 201 "$CODE"
api GET /metrics "$TOK_ALICE"
printf '%s\n' "$BODY" >"$T/metrics.txt"
serve_stop
run python3 - "$T/metrics.txt" "$C/grafana/signoff.json" "$C/prometheus/signoff.rules.yml" <<'PY'
import json, re, sys
families = set(re.findall(r"(?m)^# TYPE (\S+) ", open(sys.argv[1]).read()))
names = set()
for f in families:  # a histogram's series
    names |= {f, f + "_bucket", f + "_sum", f + "_count"}
dash = json.load(open(sys.argv[2]))
exprs = []
def walk(o):
    if isinstance(o, dict):
        for k, v in o.items():
            if k in ("expr", "definition") and isinstance(v, str):
                exprs.append(v)
            walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
walk(dash)
used = {m for e in exprs for m in re.findall(r"\bsignoff_[a-z0-9_]+", e)}
print("panels", len(dash["panels"]), "queries", len(exprs))
print("dashboard unknown:", " ".join(sorted(used - names)) or "none")
rules = open(sys.argv[3]).read()
ruled = set(re.findall(r"(?<![:\w])signoff_[a-z0-9_]+(?![:\w])", rules))
print("rules unknown:", " ".join(sorted(ruled - names)) or "none")
want = {"signoff_override_ratio", "signoff_override_threshold_ratio",
        "signoff_decisions_total", "signoff_pending_drafts",
        "signoff_http_request_duration_seconds_bucket"}
print("dashboard shows:", " ".join(sorted(want - used)) or "all")
PY
check_eq "grafana: valid JSON, and queries" 0 "$RC"
check_contains "grafana: every metric the dashboard names is in /metrics" \
    "dashboard unknown: none" "$OUT"
check_contains "rules: every signoff metric they name is in /metrics" \
    "rules unknown: none" "$OUT"
check_contains "grafana: override rate with threshold, decisions, pending, latency" \
    "dashboard shows: all" "$OUT"
printf '%s\n' "$OUT" | sed 's/^/# /'

# The dashboard's queries are PromQL that promtool parses: each one as a
# recording rule, Grafana's variables given values.
nq=$(python3 - "$C/grafana/signoff.json" "$T/dash.rules.yml" <<'PY'
import json, sys
exprs = []
def walk(o):
    if isinstance(o, dict):
        if isinstance(o.get("expr"), str):
            exprs.append(o["expr"])
        for v in o.values():
            walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
walk(json.load(open(sys.argv[1])))
with open(sys.argv[2], "w") as out:
    out.write("groups:\n  - name: dashboard\n    rules:\n")
    for i, e in enumerate(exprs):
        e = e.replace("$__rate_interval", "5m").replace("$workflow", ".*")
        out.write("      - record: dashboard:query%d\n        expr: %s\n"
                  % (i, json.dumps(e)))
print(len(exprs))
PY
)
run promtool check rules "$T/dash.rules.yml"
check_eq "grafana: its $nq queries are PromQL promtool parses" "0 yes" \
    "$RC $(case "$OUT" in *"SUCCESS: $nq rules found"*) [ "$nq" -ge 8 ] && echo yes ;; esac)"

# The systemd unit, with the binary and the man pages where it says.
if ! command -v systemd-analyze >/dev/null 2>&1; then
    echo "# skipped: systemd-analyze is not installed (Debian: systemd; make deps)"
else
    mkdir -p "$T/bin" "$T/man/man1" "$T/man/man5" "$T/unit"
    cp "$SO" "$T/bin/signoff"
    cp "$TOP/man/signoff.1" "$T/man/man1/"
    cp "$TOP/man/signoff-queue.5" "$T/man/man5/"
    sed "s|@BINDIR@|$T/bin|g" "$C/systemd/signoff-serve.service" \
        >"$T/unit/signoff-serve.service"
    run env MANPATH="$T/man" systemd-analyze verify "$T/unit/signoff-serve.service"
    check_eq "systemd-analyze verify: nothing to say" "0 " "$RC $OUT$ERR"
    for key in "User=signoff" "ProtectSystem=strict" "NoNewPrivileges=yes" \
        "StateDirectory=signoff" "--log-format json"; do
        check_contains "unit: $key" "$key" "$(cat "$C/systemd/signoff-serve.service")"
    done
    run systemd-analyze security --offline=true "$T/unit/signoff-serve.service"
    printf '%s\n' "$OUT" | grep 'Overall exposure' | sed 's/^/# /'
fi
