#!/bin/sh
# bench/stats_1m.sh: how long `signoff stats` takes over 1,000,000 decisions.
#
# Deciding a million drafts one by one would measure decide, not stats, so
# the queue is built the way the store leaves it after a million decisions:
# `signoff init`, then SQL inserts straight into the rollup tables (rollup,
# rollup_hist, rollup_reasons) of 250,000 cells of 4 decisions each: 50 days
# x 5 workflows x 2 models x 50 reviewers x 10 confidence bands, every cell
# with two review-time buckets and, where there was an edit, an edit-size
# bucket. stats never reads the decisions table, so it is left empty.
#
#   sh bench/stats_1m.sh [BINARY]     (default build/signoff)
# With BENCH_QUEUE=PATH the queue is built there and kept (for profiling).
set -eu
SO=${1:-build/signoff}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/signoff-bench.XXXXXX")
trap 'rm -rf "$DIR"' EXIT
Q=${BENCH_QUEUE:-$DIR/q.db}
TODAY=$(( $(date +%s) / 86400 ))

"$SO" init --queue "$Q" >/dev/null
sqlite3 "$Q" <<EOF
PRAGMA journal_mode = WAL;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 49)
INSERT INTO workflows(name, owner, threshold, window_ms, min_decisions,
                      created_at)
SELECT 'w' || i, 'owner' || i, 0.2, 604800000, 30, 0 FROM n WHERE i < 5;
WITH RECURSIVE
  d(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i < 49),
  w(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM w WHERE i < 4),
  m(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM m WHERE i < 1),
  r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i < 49),
  b(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM b WHERE i < 9)
INSERT INTO rollup(day, workflow, model, reviewer, band, approved, edited,
                   rejected, escalated, fast_approvals, active_ms_sum,
                   edit_words_sum)
SELECT $TODAY - d.i, 'w' || w.i, 'm' || m.i, 'r' || r.i, b.i,
       CASE WHEN b.i >= 7 THEN 4 ELSE 2 END,
       CASE WHEN b.i >= 7 THEN 0 ELSE 1 END,
       CASE WHEN b.i >= 7 THEN 0 ELSE 1 END,
       0, 1, 40000, CASE WHEN b.i >= 7 THEN 0 ELSE 12 END
FROM d, w, m, r, b;
INSERT INTO rollup_hist(day, workflow, model, reviewer, band, metric, bucket,
                        count)
SELECT day, workflow, model, reviewer, band, 't', 20, 2 FROM rollup
UNION ALL
SELECT day, workflow, model, reviewer, band, 't', 24, 2 FROM rollup
UNION ALL
SELECT day, workflow, model, reviewer, band, 'e', 7, 1 FROM rollup
WHERE edited > 0;
INSERT INTO rollup_reasons(day, workflow, reason, count)
SELECT day, workflow, 'factual', sum(rejected) FROM rollup
WHERE rejected > 0 GROUP BY day, workflow;
COMMIT;
EOF
echo "decisions in the rollup: $(sqlite3 "$Q" 'SELECT sum(approved + edited + rejected + escalated) FROM rollup')"
echo "rollup cells: $(sqlite3 "$Q" 'SELECT count(*) FROM rollup')"

# time_ms CMD...: wall time of one run in milliseconds (best of 3).
time_ms() {
    best=""
    for _ in 1 2 3; do
        t0=$(date +%s%N)
        "$@" >/dev/null || :
        t1=$(date +%s%N)
        ms=$(( (t1 - t0) / 1000000 ))
        if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
    done
    echo "$best"
}
[ -n "${BENCH_SETUP_ONLY:-}" ] && exit 0
for args in "--since 90d" "--since 30d" "--since 7d" "--since 90d --by reviewer" \
            "--since 90d --by band" "--since 90d --format json" "--check"; do
    # shellcheck disable=SC2086
    printf '%-32s %6s ms\n' "stats $args" "$(time_ms "$SO" stats --queue "$Q" $args)"
done
