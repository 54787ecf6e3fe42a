#!/bin/bash
# signoff events and signoff applied on a local queue (issue 18): the feed
# in chain order as text and JSON Lines, --workflow, --after; --follow
# wakes within 100 ms of a commit by another process and does not spin
# while it waits; applied is recorded once under a repeated request id and
# shown by show and the feed; workflow set --release-after holds an
# outcome back; the unapplied backlog in workflow show.
. "$(dirname "$0")/../lib.sh"
test_queue q || exit 0
export SIGNOFF_QUEUE="$Q"
"$SO" init >/dev/null
printf '%s\n' '{"id":"a1","workflow":"w","body":"first"}' \
    '{"id":"a2","workflow":"w","body":"second"}' \
    '{"id":"b1","workflow":"v","body":"third"}' | "$SO" enqueue - 2>/dev/null
"$SO" decide a1 approve >/dev/null
"$SO" decide b1 reject --reason tone >/dev/null
so events
check_eq "events: exit 0" 0 "$RC"
check_eq "events: one line each, in chain order" \
    "1 admin/admin workflow/w w alice what=workflow.create|2 admin/admin workflow/v v alice what=workflow.create|3 review/approve a1 w alice outcome=approve|4 review/reject b1 v alice outcome=reject" \
    "$(printf '%s\n' "$OUT" | cut -d' ' -f1,3- | paste -sd'|')"
so events --workflow v --format jsonl
check_eq "--workflow v: its creation and one event" 2 "$(printf '%s\n' "$OUT" | wc -l)"
check "--format jsonl: each line is JSON" python3 -c '
import json, sys
for l in sys.stdin: json.loads(l)' <<<"$OUT"
check_contains "jsonl: the reject outcome" \
    '"outcome":{"action":"reject","text":null,"reason":"tone","note":null}' "$OUT"
so events --after 4
check_eq "--after the head: nothing" "0 " "$RC $OUT"
so events --after 5
check_eq "--after past the head: refused, naming the head" \
    "1 signoff: events: after: seq 5 is past the end of the audit chain (seq 4): a cursor from another queue, or from this one before it was restored?" \
    "$RC $ERR"
run timeout 20 "$SO" events --after 5 --follow
check_eq "--follow --after past the head: refused at once, not a wait" 1 "$RC"
so events --limit 0
check_eq "--limit 0: usage error" 2 "$RC"

# --follow wakes on a commit by another process, without spinning
python3 - "$SO" >"$T/follow.out" <<'PY'
import os, subprocess, sys, time, select
so = sys.argv[1]
f = subprocess.Popen([so, "events", "--follow", "--format", "jsonl",
                      "--after", "4"], stdout=subprocess.PIPE)
lat = []
for i in range(5):
    subprocess.run([so, "enqueue", "-"], input=(
        '{"id":"f%d","workflow":"w","body":"x"}\n' % i).encode(),
        stderr=subprocess.DEVNULL, check=True)
    time.sleep(0.3)  # let the enqueue's own writes pass
    while select.select([f.stdout], [], [], 0)[0]:
        f.stdout.readline()
    subprocess.run([so, "decide", "f%d" % i, "approve"],
                   stdout=subprocess.DEVNULL, check=True)
    t0 = time.monotonic()
    r, _, _ = select.select([f.stdout], [], [], 5)
    if not r:
        print("timeout"); break
    f.stdout.readline()
    lat.append((time.monotonic() - t0) * 1000)
time.sleep(2)
with open("/proc/%d/stat" % f.pid) as s:
    ticks = sum(int(x) for x in s.read().rsplit(")", 1)[1].split()[11:13])
f.kill(); f.wait()
lat.sort()
print("median_ms %d" % lat[len(lat) // 2] if lat else "median_ms 99999")
print("cpu_ticks %d" % ticks)
PY
MED=$(sed -n 's/^median_ms //p' "$T/follow.out")
TICKS=$(sed -n 's/^cpu_ticks //p' "$T/follow.out")
check "--follow wakes within 100 ms of a commit (median ${MED} ms)" \
    test "${MED:-99999}" -lt 100
check "--follow does not spin while waiting (${TICKS} cpu ticks)" \
    test "${TICKS:-9999}" -lt 50

# applied: once under a repeated request id, shown by show and the feed
so applied a1 --ref "ticket #8812" --request-id r-1
check_eq "applied: recorded" "0 a1: applied, seq 10" "$RC $OUT"
so applied a1 --ref "ticket #8812" --request-id r-1
check_eq "applied again with the same request id: the same record" \
    "0 a1: applied, seq 10 (already recorded)" "$RC $OUT"
check_eq "one action record" 1 \
    "$(qsql "SELECT count(*) FROM decisions WHERE action = 'applied'")"
# The ref and note are printed by show and the feed: a terminal control,
# a bidi override or invalid UTF-8 is refused, nothing recorded.
so applied a1 --ref $'T-1\e]0;owned\a' --request-id r-esc
check_eq "applied: a ref with ESC/BEL refused" \
    "1 signoff: ref: control character U+001B at byte 3" "$RC ${ERR%%$'\n'*}"
so applied a1 --ref "T-2" --note $'bidi \u202e' --request-id r-bidi
check_eq "applied: a note with a bidi override refused" 1 "$RC"
so applied a1 --ref $'T-3 \xff' --request-id r-utf8
check_eq "applied: a ref with invalid UTF-8 refused" 1 "$RC"
check_eq "still one action record" 1 \
    "$(qsql "SELECT count(*) FROM decisions WHERE action = 'applied'")"
so applied a2 --ref x
check_contains "applied on an undecided draft: refused" \
    "a2: applied: the draft has no final outcome to act on" "$ERR"
check_eq "applied on an undecided draft: exit 1" 1 "$RC"
so applied a1
check_eq "applied without --ref: usage" 2 "$RC"
so show a1
check_contains "show lists the action record" "applied (ticket #8812)" "$OUT"
so events --after 9 --limit 1
check_contains "the feed has the action record" "action/applied a1 w alice ref=ticket #8812" "$OUT"

# the release delay and the unapplied backlog
so workflow set w --release-after 30s --applied-within 1s
check_eq "workflow set --release-after: exit 0" 0 "$RC"
so workflow show w
check_contains "show: release after" "release after:  30s" "$OUT"
HEAD=$(qsql "SELECT max(seq) FROM decisions")
"$SO" decide a2 approve >/dev/null
so events --after "$HEAD"
check_eq "a held outcome is not in the feed" "0 " "$RC $OUT"

qsql "UPDATE outcomes SET release_at = release_at - 60000"
so workflow show w --format json
check_contains "the unapplied backlog counts released outcomes with no action record" \
    '"unapplied":' "$OUT"
# f0..f4 were released before w's first action record (a1's): no action
# is expected for them; a2, released after it, is backlog
check_eq "backlog: a2 only (f0..f4 released before the first action record)" 1 \
    "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["unapplied"])')"
check_eq "f0..f4 are marked not expected (applied_seq -1)" "f0 f1 f2 f3 f4" \
    "$(qsql "SELECT draft FROM outcomes WHERE applied_seq = -1 ORDER BY draft" | paste -sd' ')"
so workflow set w --release-after 25h
check_eq "--release-after over 24h: refused" 1 "$RC"

# stats --check alerts on the unapplied backlog, only where the producer
# records actions (workflow v never did: its old outcome is no backlog)
"$SO" workflow set v --applied-within 1ms >/dev/null
so stats --check
check_not_contains "no backlog where no action was ever recorded" "v: unapplied" "$OUT"
check_eq "stats --check: exit 3 on an unapplied backlog" 3 "$RC"
check_contains "stats --check names the workflow and the backlog" \
    "w: unapplied backlog: 1 final outcome released over 1 s ago with no action record" "$OUT"
so stats --check --format json
check_contains "stats --check --format json lists it" '"unapplied":["w"]' "$OUT"

# stats --by workflow carries the backlog beside the override rate: w's 1
# (a2 by hand; the rows of outcomes agree), v's none (null,
# empty: its producer never recorded an action)
HAND=$(qsql "SELECT count(*) FROM outcomes WHERE workflow = 'w'
    AND applied_seq = 0 AND reverted_at IS NULL")
check_eq "hand count of w's released unapplied outcomes" 1 "$HAND"
so stats --format json
check_eq "stats --format json: unapplied per workflow" "v=None w=1" \
    "$(printf '%s' "$OUT" | python3 -c 'import json,sys
print(" ".join("%s=%s" % (g["key"], g["unapplied"]) for g in json.load(sys.stdin)["groups"]))')"
so stats --format csv
check_eq "stats --format csv: the unapplied column" "v= w=1" \
    "$(printf '%s' "$OUT" | python3 -c 'import csv,sys
print(" ".join("%s=%s" % (r["workflow"], r["unapplied"]) for r in csv.DictReader(sys.stdin)))')"
so stats
check_eq "stats table: the UNAPPLIED column (- where no action ever)" "v=- w=1" \
    "$(printf '%s\n' "$OUT" | python3 -c 'import sys
lines = sys.stdin.read().split("\n")
end = lines[1].index("UNAPPLIED") + len("UNAPPLIED")
print(" ".join("%s=%s" % (l.split()[0], l[:end].split()[-1]) for l in lines[2:4]))')"
so stats --by reviewer --format json
check_not_contains "stats --by reviewer: no unapplied" '"unapplied"' "$OUT"
so stats --by reviewer --format csv
check_not_contains "stats --by reviewer csv: no unapplied column" 'unapplied' "$OUT"
