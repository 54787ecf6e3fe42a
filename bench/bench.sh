#!/bin/sh
# bench/bench.sh BUILD_DIR: every figure of issue 7 beside its floor,
# measured in the same run on this machine. Bounded: a few minutes on
# 2 cores. Set BENCH_N to change the queue size (default 1,000,000),
# BENCH_ONLY=enqueue to stop after the enqueue rows.
set -eu
B=${1:-build-bench}
SO="$PWD/$B/signoff"
BQ="$PWD/$B/bench/bench_queue"
PTY="$PWD/$B/bench/ptyrun"
N=${BENCH_N:-1000000}
W=$(mktemp -d "${TMPDIR:-/var/tmp}/signoff-bench.XXXXXX")
trap 'kill $SERVE_PID 2>/dev/null || true; rm -rf "$W"' EXIT
SERVE_PID=""
export HOME="$W/home" XDG_DATA_HOME="$W/home/data" XDG_STATE_HOME="$W/home/state" \
       XDG_CONFIG_HOME="$W/home/config" TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 \
       SIGNOFF_REVIEWER=bench TERM=xterm-256color
unset SIGNOFF_QUEUE NO_COLOR
mkdir -p "$HOME"

ms_now() { date +%s%N | cut -c1-13; }
# median_ms RUNS CMD...: median wall time of RUNS runs in ms (output dropped).
median_ms() {
    runs=$1; shift
    i=0; : > "$W/times"
    while [ $i -lt "$runs" ]; do
        t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N)
        echo $(( (t1 - t0) / 1000 )) >> "$W/times"; i=$((i + 1))
    done
    sort -n "$W/times" | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'
}
row() { printf '| %-44s | %-26s | %-26s | %-22s |\n' "$1" "$2" "$3" "$4"; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

echo "signoff bench — $(date -u +%Y-%m-%d) — $(nproc) cores, $(uname -m), $(df -h "$W" | awk 'NR==2{print $1}')"
echo "queue size: $N drafts"
echo

# --- data: N drafts as JSONL, and the same rows as a SQL file -----------
awk -v n="$N" 'BEGIN {
  split("support-replies refund-approvals contract-clauses", wf, " ");
  for (i = 1; i <= n; i++) {
    w = wf[(i % 3) + 1];
    printf "{\"id\":\"B-%07d\",\"workflow\":\"%s\",\"model\":\"m-2026-%02d\",\"confidence\":%.2f,\"title\":\"Request %d about an order\",\"body\":\"Thanks for writing. Your order %d qualifies under our policy [1] and we will follow up within two days.\",\"citations\":[{\"n\":1,\"title\":\"Policy\",\"uri\":\"https://kb.example/p\",\"excerpt\":\"Orders qualify within 30 days of delivery.\",\"quote\":\"within 30 days\"}]}\n", i, w, 10 + i % 2, (i % 100) / 100.0, i, i
  } }' > "$W/drafts.jsonl"

"$SO" init --queue "$W/floor.db" >/dev/null
{
  echo "BEGIN;"
  echo "INSERT OR IGNORE INTO workflows(name, created_at) VALUES ('support-replies',0),('refund-approvals',0),('contract-clauses',0);"
  awk -v n="$N" 'BEGIN {
    split("support-replies refund-approvals contract-clauses", wf, " ");
    for (i = 1; i <= n; i++) {
      w = wf[(i % 3) + 1];
      printf "INSERT INTO drafts(id,workflow,model,confidence,band,title,body,priority,content_sha,created_at) VALUES(%cB-%07d%c,%c%s%c,%cm-2026-%02d%c,%.2f,%d,%cRequest %d about an order%c,%cThanks for writing. Your order %d qualifies under our policy [1] and we will follow up within two days.%c,0,%c%064d%c,%d);\n", 39,i,39, 39,w,39, 39,10+i%2,39, (i%100)/100.0, int((i%100)/10), 39,i,39, 39,i,39, 39,i,39, i;
      printf "INSERT INTO citations(draft,ord,n,title,uri,excerpt,quote) VALUES(last_insert_rowid(),0,1,%cPolicy%c,%chttps://kb.example/p%c,%cOrders qualify within 30 days of delivery.%c,%cwithin 30 days%c);\n", 39,39,39,39,39,39,39,39
    } }'
  echo "COMMIT;"
} > "$W/drafts.sql"

printf '| %-44s | %-26s | %-26s | %-22s |\n' "figure" "signoff" "floor (same run)" "goal"
row "--------------------------------------------" "--------------------------" "--------------------------" "----------------------"

# 1. enqueue
"$SO" init --queue "$W/q.db" >/dev/null
t0=$(ms_now); "$SO" enqueue --queue "$W/q.db" "$W/drafts.jsonl" 2>/dev/null; t1=$(ms_now)
enq_ms=$((t1 - t0))
t0=$(ms_now); sqlite3 "$W/floor.db" < "$W/drafts.sql"; t1=$(ms_now)
floor_ms=$((t1 - t0))
enq_rate=$(awk -v n="$N" -v t="$enq_ms" 'BEGIN{printf "%.0f", n / (t / 1000)}')
floor_rate=$(awk -v n="$N" -v t="$floor_ms" 'BEGIN{printf "%.0f", n / (t / 1000)}')
pct=$(awk -v a="$enq_rate" -v b="$floor_rate" 'BEGIN{printf "%.0f", 100 * a / b}')
row "enqueue $N drafts from JSONL" "$enq_rate drafts/s ($pct%)" "sqlite3 SQL file: $floor_rate/s" ">= 50% of floor"
rm -f "$W/floor.db"*

# 1b. enqueue with an automation policy on every workflow (issue 15): band
# 0.5 (half the drafts eligible), sample 5%: ~47.5% decided at enqueue.
"$SO" init --queue "$W/auto.db" >/dev/null
for wf in support-replies refund-approvals contract-clauses; do
    "$SO" workflow set "$wf" --queue "$W/auto.db" --owner bench >/dev/null
    "$SO" workflow set "$wf" --queue "$W/auto.db" --automate-from 0.5 --sample 5% \
        --force --reason bench --always-review 'amount > 500' >/dev/null
done
t0=$(ms_now); "$SO" enqueue --queue "$W/auto.db" "$W/drafts.jsonl" 2>/dev/null; t1=$(ms_now)
auto_rate=$(awk -v n="$N" -v t="$((t1 - t0))" 'BEGIN{printf "%.0f", n / (t / 1000)}')
auto_n=$(sqlite3 "$W/auto.db" "SELECT count(*) FROM drafts WHERE route = 1")
pct=$(awk -v a="$auto_rate" -v b="$enq_rate" 'BEGIN{printf "%.0f", 100 * a / b}')
row "enqueue $N, policy on ($auto_n decided)" "$auto_rate drafts/s ($pct%)" "plain enqueue: $enq_rate/s" ">= 80% of plain"
rm -f "$W/auto.db"*
# BENCH_ONLY=enqueue: rows 1 and 1b alone (bench/README.md: run it several
# times for the median of row 1b on a shared machine)
[ "${BENCH_ONLY:-}" = enqueue ] && exit 0

# 2. claim+decide, synchronous=FULL, one reviewer, N pending
fs=$("$B/bench/fsync_floor" "$W" 3)
fs_rate=$(echo "$fs" | cut -d' ' -f1)
rm -f "$W/full.db"*; cp "$W/q.db" "$W/full.db"
r=$("$BQ" "$W/full.db" 5 1)
rate=$(field "$r" rate)
row "claim+decide FULL, 1 reviewer, $N pending" "$rate/s p50 $(field "$r" p50) p99 $(field "$r" p99) ms" "fdatasync: $fs_rate/s" ">= 0.5x fdatasync rate"
echo "  (ratio $(awk -v a="$rate" -v b="$fs_rate" 'BEGIN{printf "%.2f", a / b}')x; a claim and a decide are two durable commits)" > "$W/note2"

# 3. claim+decide, synchronous=NORMAL vs the same SQL run by sqlite3
r=$("$BQ" "$W/full.db" 5 1 normal)
K=2000
{
  echo "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
  i=0
  awk -v k="$K" -v q="'" 'BEGIN { for (i = 0; i < k; i++) {
    print "BEGIN IMMEDIATE;";
    print "UPDATE drafts SET status=" q "claimed" q ", claimed_by=" q "floor" q ", lease_until=9999999999999, lease_token=lease_token+1, attempts=attempts+1 WHERE rid=(SELECT rid FROM drafts WHERE status IN (" q "pending" q "," q "claimed" q ") AND (status=" q "pending" q " OR lease_until<1) ORDER BY priority DESC, created_at, rid LIMIT 1) RETURNING id;";
    print "COMMIT;";
    print "BEGIN IMMEDIATE;";
    printf "INSERT INTO decisions(draft,request_id,reviewer,action,body_sha,decided_at,prev_hash,hash) VALUES(" q "x" q "," q "floor-%d" q "," q "floor" q "," q "approve" q "," q "s" q ",1," q "p" q "," q "h" q ");\n", i;
    print "UPDATE drafts SET status=" q "decided" q ", final_action=" q "approve" q " WHERE rid=(SELECT rid FROM drafts WHERE claimed_by=" q "floor" q " AND status=" q "claimed" q " LIMIT 1);";
    print "INSERT INTO rollup(day,workflow,model,reviewer,band,approved) VALUES(1," q "w" q "," q "m" q "," q "floor" q ",1,1) ON CONFLICT DO UPDATE SET approved=approved+1;";
    print "COMMIT;" } }'
} > "$W/cd.sql"
rm -f "$W/sqlfloor.db"*; cp "$W/q.db" "$W/sqlfloor.db"
t0=$(date +%s%N); sqlite3 "$W/sqlfloor.db" < "$W/cd.sql" >/dev/null; t1=$(date +%s%N)
mean=$(awk -v t=$(( (t1 - t0) / 1000 )) -v k="$K" 'BEGIN{printf "%.3f", t / k / 1000}')
row "claim+decide NORMAL, 1 reviewer" "p50 $(field "$r" p50) p99 $(field "$r" p99) ms" "sqlite3 same SQL: $mean ms mean" "p50 <= 0.5, p99 <= 5 ms"
rm -f "$W/sqlfloor.db"*

# 4. 16 concurrent reviewers (FULL)
r1=$("$BQ" "$W/full.db" 5 1)
r16=$("$BQ" "$W/full.db" 5 16)
row "16 reviewers, FULL: total rate" "$(field "$r16" rate)/s, busy $(field "$r16" busy)" "1 reviewer: $(field "$r1" rate)/s" "no SQLITE_BUSY surfaced"
row "16 reviewers: worst claim wait, p99 commit" "$(field "$r16" claim_max) ms, $(field "$r16" commit_p99) ms" "1: $(field "$r1" claim_max), $(field "$r1" commit_p99) ms" "< 200 ms, < 20 ms"
rm -f "$W/full.db"*

# 5. stats over N decisions: rollup vs GROUP BY over raw decisions
"$SO" init --queue "$W/stats.db" >/dev/null
TODAY=$(( $(date +%s) / 86400 ))
sqlite3 "$W/stats.db" <<SQL
BEGIN;
INSERT OR IGNORE INTO workflows(name, created_at) VALUES ('support-replies',0),('refund-approvals',0),('contract-clauses',0);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
INSERT INTO drafts(id, workflow, model, confidence, band, body, content_sha, status, final_action, created_at, decided_at)
SELECT 'S-' || i, CASE i % 3 WHEN 0 THEN 'support-replies' WHEN 1 THEN 'refund-approvals' ELSE 'contract-clauses' END,
       'm-' || (i % 2), (i % 100) / 100.0, (i % 100) / 10, 'body', 'sha', 'decided',
       CASE WHEN i % 10 = 0 THEN 'reject' WHEN i % 7 = 0 THEN 'edit' ELSE 'approve' END,
       0, ($TODAY - i % 30) * 86400000 + i % 86400000 FROM n;
INSERT INTO decisions(draft, request_id, reviewer, action, edit_size, body_sha, shown_at, decided_at, active_ms, prev_hash, hash)
SELECT id, 'r-' || rid, 'rev' || (rid % 20), final_action, CASE WHEN final_action = 'edit' THEN rid % 17 ELSE 0 END,
       'sha', decided_at - 5000, decided_at, 1000 + rid % 60000, 'p', 'h' FROM drafts;
INSERT INTO rollup(day, workflow, model, reviewer, band, approved, edited, rejected, escalated, fast_approvals, active_ms_sum, edit_words_sum)
SELECT d.decided_at / 86400000, d.workflow, d.model, x.reviewer, d.band,
       sum(x.action = 'approve'), sum(x.action = 'edit'), sum(x.action = 'reject'), 0, 0, sum(x.active_ms), sum(x.edit_size)
FROM decisions x JOIN drafts d ON d.id = x.draft GROUP BY 1, 2, 3, 4, 5;
COMMIT;
SQL
stats_ms=$(median_ms 5 "$SO" stats --queue "$W/stats.db" --since 30d)
scan_sql="SELECT d.workflow, sum(x.action='approve'), sum(x.action='edit'), sum(x.action='reject'), count(*) FROM decisions x JOIN drafts d ON d.id = x.draft WHERE x.decided_at >= ($TODAY - 29) * 86400000 GROUP BY d.workflow;"
scan_ms=$(median_ms 5 sqlite3 "$W/stats.db" "$scan_sql")
row "stats over $N decisions (30d)" "$stats_ms ms" "GROUP BY scan: $scan_ms ms" "<= 20 ms, >= 50x faster"
# the pessimistic layout: 1M decisions over 250,000 cells (bench/stats_1m.sh)
BENCH_QUEUE="$W/s1m.db" BENCH_SETUP_ONLY=1 sh bench/stats_1m.sh "$SO" >/dev/null
s1m_ms=$(median_ms 5 "$SO" stats --queue "$W/s1m.db" --since 30d)
row "stats, 1M decisions in 250k cells (30d)" "$s1m_ms ms" "" "<= 20 ms"
rm -f "$W/s1m.db"*
echo "  (stats is $(awk -v a="$stats_ms" -v b="$scan_ms" 'BEGIN{printf "%.0f", b / a}')x faster than the scan; $(sqlite3 "$W/stats.db" 'SELECT count(*) FROM rollup') rollup cells)" > "$W/note5"
rm -f "$W/stats.db"*

# 6-8. the UI on a pty: cold start, bytes per step, resident memory
list_ms=$(median_ms 5 "$SO" list --queue "$W/q.db" --limit 1)
: > "$W/ui.txt"
i=0
while [ $i -lt 5 ]; do
  rm -f "$W/ui.db"*; cp "$W/q.db" "$W/ui.db"
  # open: the first draft row is drawn whole (its title, ending "order",
  # is its last cell; single words: curses skips blank cells);
  # next: after `a` the status line names the approved draft in the same
  # frame that draws the next draft, then the output settles.
  "$PTY" 80 24 'wait:order;mark:open;settle:300;mark:settled;rss:rss;key:\n;wait:grounding;settle:400;mark:draft;key:n;settle:300;mark:cite;mark:pre;key:a;wait:approve;mark:drawn;settle:400;mark:next;key:\x0c;settle:300;mark:repaint' \
    -- "$SO" review --queue "$W/ui.db" >> "$W/ui.txt" 2>/dev/null || true
  i=$((i + 1))
done
med() { grep "^$1 " "$W/ui.txt" | sed -n "s/.*$2=\([0-9.]*\).*/\1/p" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
row "UI cold start to first draft row, $N queue" "$(med open ms) ms" "list --limit 1: $list_ms ms" "<= 50 ms"
row "terminal bytes at 80x24: open queue" "$(( $(med open bytes) + $(med settled bytes) )) B" "full repaint: $(med repaint bytes) B" ""
row "terminal bytes: open draft, next citation" "$(med draft bytes) B, $(med cite bytes) B" "" ""
next_ms=$(grep -E '^(pre|drawn) ' "$W/ui.txt" | awk '/^pre/ {sub("ms=", "", $2); p = $2} /^drawn/ {sub("ms=", "", $2); print $2 - p}' | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]}')
row "terminal bytes: next draft (after approve)" "$(( $(med drawn bytes) + $(med next bytes) )) B, drawn in $next_ms ms" "" "<= 4 KB"
rss_big=$(med rss rss_kb)
head -n 100 "$W/drafts.jsonl" > "$W/small.jsonl"
"$SO" init --queue "$W/small.db" >/dev/null
"$SO" enqueue --queue "$W/small.db" "$W/small.jsonl" 2>/dev/null
"$PTY" 80 24 'wait:order;settle:300;rss:rss' -- "$SO" review --queue "$W/small.db" > "$W/ui_small.txt" 2>/dev/null || true
rss_small=$(sed -n 's/.*rss_kb=\([0-9]*\).*/\1/p' "$W/ui_small.txt")
row "resident memory, UI on $N queue" "$((rss_big / 1024)) MB" "100 drafts: $((rss_small / 1024)) MB" "<= 1.5x, < 32 MB"
rm -f "$W/ui.db"*

# 9. server on loopback
printf 'benchtoken000000000000000000000001 bench reviewer\n' > "$W/tokens"
chmod 600 "$W/tokens"
printf 'benchtoken000000000000000000000001\n' > "$W/token"
chmod 600 "$W/token"
"$SO" serve --queue "$W/q.db" --listen 127.0.0.1:0 --tokens "$W/tokens" 2> "$W/serve.log" &
SERVE_PID=$!
i=0
while ! grep -q 'listening on' "$W/serve.log" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
URL=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$W/serve.log" | head -1)
r=$(SIGNOFF_TOKEN_FILE="$W/token" "$BQ" "$URL" 5 4)
hz="n/a"
if command -v wrk >/dev/null 2>&1; then
  hz=$(wrk -t2 -c8 -d3s "$URL/healthz" 2>/dev/null | awk '/Requests\/sec/ {printf "%.0f/s", $2}')
fi
row "server claim+decide, 4 clients, loopback" "$(field "$r" rate)/s p99 $(field "$r" p99) ms" "wrk /healthz: $hz" "reported"
kill $SERVE_PID 2>/dev/null; wait $SERVE_PID 2>/dev/null || true; SERVE_PID=""

# 10. one round trip per decision: the UI through a link of 50 ms each way
# (bench/delay_proxy.py in front of a server), beside a local queue
r=$(sh bench/remote_ui.sh "$SO" "$PTY" 5)
loc=$(echo "$r" | grep '^local')
rem=$(echo "$r" | grep '^remote')
row "key to next draft, remote +50 ms each way" "$(field "$rem" drawn_ms) ms, frame $(field "$rem" done_ms) ms" "local: $(field "$loc" drawn_ms) ms" "1 round trip + drawing"

# 11. closing the loop (issue 18): the feed's wake-up, decision to webhook,
# deliveries per second (bench/loop.py)
r=$(python3 bench/loop.py "$SO" 1000)
feed=$(echo "$r" | grep '^feed')
hook=$(echo "$r" | grep '^hook')
rate=$(echo "$r" | grep '^rate')
row "feed wake-up after a commit (other process)" "p50 $(field "$feed" p50) p99 $(field "$feed" p99) ms" "" "< 100 ms"
row "decision to webhook received, loopback" "p50 $(field "$hook" p50) p99 $(field "$hook" p99) ms" "" "reported"
row "webhook deliveries/s, one deliverer" "$(field "$rate" deliveries)/s" "receiver alone: $(field "$rate" floor)/s" "reported"

echo
cat "$W/note2" "$W/note5" 2>/dev/null || true
echo "times are medians of 5 runs except enqueue (one run of $N) and the timed loops (5 s each)."

# 11. the queue on PostgreSQL (bench/pg.sh): claim+decide at 1, 8 and 32
# reviewers beside pgbench running the same SQL, two servers against one
echo
bash bench/pg.sh "$B"
