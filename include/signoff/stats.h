/*
 * stats: every figure of the override-rate monitor, computed from the
 * rollup (struct so_rollup) alone: counts, override rate with its Wilson 95%
 * interval, medians from the histograms, daily series for sparklines,
 * reject-reason shares, rubber-stamp shares, automation readiness per
 * confidence band and the threshold check. Pure computation: never scans
 * decisions, never touches the queue, never prints.
 *
 * Windows are whole UTC days, the same rule the store applies for
 * auto-pause: a window of duration D is the last N UTC days ending today,
 * N = D rounded up to whole days (at least 1): "7d" = today and the 6 days
 * before, "30d" = 30 days, "24h" = today, "2d" = yesterday and today. A date
 * YYYY-MM-DD starts at its 00:00 UTC.
 */
#ifndef SIGNOFF_STATS_H
#define SIGNOFF_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "signoff/gold.h"
#include "signoff/queue.h"

#define STATS_DAY_MS (86400 * 1000LL)
#define STATS_Z95 1.959964
/* Used when a workflow has no stored settings. */
#define STATS_DEFAULT_MIN_DECISIONS 30
#define STATS_DEFAULT_THRESHOLD 0.2
#define STATS_DEFAULT_WINDOW_MS (7 * STATS_DAY_MS)
#define STATS_NBANDS 10

/* One X-macro for the grouping dimension: yields the enum and the names. */
#define STATS_BY_LIST(X)                                                       \
    X(STATS_BY_WORKFLOW, "workflow")                                           \
    X(STATS_BY_MODEL, "model")                                                 \
    X(STATS_BY_REVIEWER, "reviewer")                                           \
    X(STATS_BY_DAY, "day")                                                     \
    X(STATS_BY_BAND, "band")

/* The other reports of `stats --by`, after the dimensions above: pair (the
 * four-eyes agreement, agreement.h) and phase (the automation). The CLI's
 * parser and its shell completion read both lists. */
#define STATS_BY_REPORTS(X)                                                    \
    X(STATS_BY_PAIR, "pair")                                                   \
    X(STATS_BY_PHASE, "phase")

enum stats_by {
#define STATS_X_ENUM(id, name) id,
    STATS_BY_LIST(STATS_X_ENUM)
#undef STATS_X_ENUM
        STATS_BY_COUNT
};

/* Name of a dimension ("workflow"). */
const char *stats_by_name(enum stats_by by);
/* -1 when name is not a dimension. */
int stats_by_from_name(const char *name);

/* A window of whole UTC days, both ends included (days since the epoch). */
struct stats_window {
    int64_t first_day;
    int64_t last_day;
};

/* The window of duration dur_ms ending at now_ms (see the top comment). */
void stats_window_for(int64_t dur_ms, int64_t now_ms, struct stats_window *w);
/* Parse --since: a duration ("24h", "7d", "30d") or a date "YYYY-MM-DD".
 * 0 ok, -1 malformed, no duration at all (0), one reaching back before
 * 1970, or a date after today. */
int stats_window_parse(const char *since, int64_t now_ms,
                       struct stats_window *w);
/* Number of days in w (>= 1). */
size_t stats_window_days(const struct stats_window *w);
/* Epoch ms of the first instant of w (what to ask the rollup for). */
int64_t stats_window_since_ms(const struct stats_window *w);

/* Wilson score interval at 95% for k successes in n trials; [0,0] when
 * n == 0. */
void stats_wilson(int64_t k, int64_t n, double *lo, double *hi);

/* The share k / n with its Wilson 95% interval; all three -1 when n <= 0
 * (nothing to measure yet). */
void stats_share(int64_t k, int64_t n, double *share, double *lo,
                 double *hi);

/*
 * The readiness rule, the one definition every screen and command uses
 * (workflow set --automate-from, the policy line of the monitor and
 * workflow show, the band table's readiness line, stats' readiness): the
 * human decisions pooled over the drafts at or above a confidence, decided
 * of them with overrides (edits and rejects) among them, support
 * automating from that confidence when there are at least min_decisions
 * (and at least one) and the Wilson 95% upper bound of the override rate
 * is below threshold. *hi gets that bound (-1 when decided is 0).
 */
int stats_ready(int64_t decided, int64_t overrides, double threshold,
                int min_decisions, double *hi);

/* Median of a histogram over so_hist_bucket() buckets, by the grouped-data
 * formula L + (N/2 - C) / f * w, where the bucket [L, L + w) is the first
 * whose cumulative count reaches N/2, C is the count below it and f its
 * count. -1 when the histogram is empty. */
double stats_hist_median(const int64_t hist[SO_HIST_BUCKETS]);
/* The q quantile (0 < q < 1) of a histogram by the same formula with
 * N * q for N / 2 (q = 0.5 is the median). -1 when it is empty. */
double stats_hist_quantile(const int64_t hist[SO_HIST_BUCKETS], double q);

/* The daily override rate as a UTF-8 sparkline, one glyph per day: a day
 * with no decisions is "·", otherwise ▁▂▃▄▅▆▇█ for rates in eighths of
 * 0..100% (▁ below 12.5%, █ from 87.5%). Caller frees. */
char *stats_sparkline(const int64_t *decided, const int64_t *overrides,
                      size_t ndays);

/* A reviewer's gold accuracy (gold.h): answers matching the known one
 * among gold drafts decided, with the Wilson 95% interval (-1s when
 * none). */
struct gold_accuracy {
    int64_t decided;
    int64_t correct;
    double acc, lo, hi;
};
void stats_gold_finish(struct gold_accuracy *a);

/* 1 when a is below bar with 95% confidence: the Wilson upper bound of
 * the accuracy under the bar (flagged for the workflow's owner). */
int stats_gold_flagged(const struct gold_accuracy *a, double bar);

/* Counters of a set of rollup cells. */
struct stats_counts {
    int64_t approved, edited, rejected, escalated;
    int64_t fast_approvals;
    int64_t time_hist[SO_HIST_BUCKETS];
    int64_t edit_hist[SO_HIST_BUCKETS];
#define STATS_X_FIELD(c) int64_t c;
    SO_ROLLUP_COST_LIST(STATS_X_FIELD)
#undef STATS_X_FIELD
    int64_t decision_hist[SO_HIST_BUCKETS];
    int64_t action_hist[SO_HIST_BUCKETS];
};

/* Cost and time per task of a group (or a workflow's alert figure).
 * Amounts in units of currency; -1 where undefined (no task, no cost
 * reported, currencies mixed in the group). */
struct stats_cost {
    char currency[8];   /* ISO 4217, "mixed" (no sums then), "" none */
    int64_t tasks;      /* decided tasks (approved + edited + rejected) */
    double ai;          /* the AI's cost per task that reported one */
    double human;       /* reviewing cost per task at the hourly rate */
    double total;       /* ai (0 when none reported) + human */
    double tokens;      /* tokens per task that reported them */
    double gen_ms;      /* the AI's mean time to generate */
    double decision_p50_ms, decision_p95_ms; /* enqueue -> final decision */
    double action_p50_ms, action_p95_ms;     /* enqueue -> action record */
    int64_t acted;
    int64_t sla_n, sla_missed; /* tasks with an SLA; decided after it */
    double sla_missed_share;   /* sla_missed / sla_n */
};

/* The figures of c, whose cells are of currency cur ("mixed" when they
 * were of several). */
void stats_cost_of(const struct stats_counts *c, const char *cur,
                   struct stats_cost *out);

/* The cost figures of the cells of r inside w, of workflow (NULL: any) and
 * model (NULL: any; "" the cells with no model), each cell in its
 * workflow's currency from wfs. */
void stats_cost_for(const struct so_rollup *r, const struct so_workflow *wfs,
                    size_t nwfs, const char *workflow, const char *model,
                    const struct stats_window *w, struct stats_cost *out);

/* One row of a report. Owns key and the daily arrays. */
struct stats_group {
    /* workflow/model/reviewer name, YYYY-MM-DD, "0.6-0.7"; NULL when the
     * drafts have none (no model, no confidence): never a stand-in name
     * that a real model could also have */
    char *key;
    int64_t num; /* day number or band (-1 unknown) for day/band */
    struct stats_counts c;
    int64_t decided;   /* approved + edited + rejected */
    int64_t overrides; /* edited + rejected */
    double rate;       /* overrides / decided; -1 when decided == 0 */
    double lo, hi;     /* Wilson 95%; -1 when decided == 0 */
    double median_ms;    /* active time per decision; -1 none */
    double median_words; /* words changed per edit; -1 none */
    double rubber_stamp; /* fast_approvals / approved; -1 none */
    int min_decisions;   /* the workflow's (largest of the workflows in it) */
    int meaningful;      /* decided >= min_decisions */
    /* --by workflow: the workflow's unapplied backlog now (not a figure of
     * the window); -1 under other --by or where its producer never
     * recorded an action (no backlog, as in stats --check) */
    int64_t unapplied;
    struct stats_cost cost; /* cost and time per task */
    int64_t *day_decided;  /* per day of the window; NULL for --by day */
    int64_t *day_overrides;
    /* --by reviewer: answers on gold drafts (gold.h) over the range, and
     * whether the reviewer is below the gold bar of a workflow with 95%
     * confidence there (flagged for its owner); decided 0 elsewhere */
    struct gold_accuracy gold;
    int gold_flagged;
};

/* Reject reason share within its workflow. Owns strings. */
struct stats_reason {
    char *workflow;
    char *reason; /* NULL: rejected without a reason */
    int64_t count;
    double share; /* count / all rejects of the workflow with a reason */
};

/* Per band figures of one workflow and its readiness: the lowest band b
 * such that band b alone has at least min_decisions decisions and the
 * decisions of bands b..9 pooled have a Wilson upper bound below the
 * threshold: auto-approving confidence >= b/10 would then keep the override
 * rate of what is auto-approved under the threshold. */
struct stats_readiness {
    char *workflow; /* owned */
    double threshold;
    int min_decisions;
    int64_t band_decided[STATS_NBANDS];
    int64_t band_overrides[STATS_NBANDS];
    int band;         /* -1: none yet */
    int64_t decided;  /* pooled b..9 when band >= 0 */
    double rate, hi;  /* pooled b..9 when band >= 0 */
};

struct stats_report {
    enum stats_by by;
    struct stats_window win;
    size_t ndays;
    struct stats_group *groups; /* sorted by key (day/band ascending) */
    size_t ngroups;
    struct stats_reason *reasons; /* by workflow, then count descending */
    size_t nreasons;
    struct stats_readiness *ready; /* one per workflow, by name */
    size_t nready;
};

/* The SO_FOLD_* bits a rollup request for a report grouped by `by` may set:
 * the dimensions the report never splits on. A report needs only (day,
 * workflow, band) cells plus its own dimension, so the store sums the rest
 * and returns a few thousand rows instead of every reviewer's cells. */
unsigned stats_rollup_fold(enum stats_by by);

/* Group the cells of r inside w by `by`. Workflow settings (thresholds,
 * minimums) come from wfs; a workflow missing there gets the defaults.
 * workflow, when not NULL, keeps only that workflow's cells. */
void stats_compute(const struct so_rollup *r, enum stats_by by,
                   const struct stats_window *w, const struct so_workflow *wfs,
                   size_t nwfs, const char *workflow,
                   struct stats_report *out);
void stats_report_free(struct stats_report *rep);

/* The alert figure of one workflow: its rate over its own window. */
struct stats_alert {
    const char *workflow; /* borrowed from the workflow it was made for */
    struct stats_window win;
    int64_t window_ms;
    int64_t decided, overrides;
    double rate, lo, hi; /* rate -1 when nothing decided */
    double threshold;
    int min_decisions;
    int over; /* decided >= min_decisions and rate > threshold */
    int64_t unapplied;         /* released outcomes with no action record
                                  after applied_within_ms: an alert too */
    int64_t applied_within_ms;
    int64_t hooks_disabled;    /* webhooks disabled by failures: an alert */
    /* The service level over the same window: tasks decided after the
     * SLA plus open drafts past it now, of the tasks with one plus those
     * open drafts; sla_over when that share exceeds sla_alert. */
    int64_t sla_ms;
    double sla_alert;
    int64_t sla_late, sla_total;
    double sla_share; /* -1: no SLA or nothing to count */
    int sla_over;
};

/* Earliest first day over the windows of wfs at now (for the rollup
 * request covering every workflow's own window). */
int64_t stats_alert_since_ms(const struct so_workflow *wfs, size_t n,
                             int64_t now_ms);
/* The alert figure of wf over its window ending at now_ms. */
void stats_alert_for(const struct so_rollup *r, const struct so_workflow *wf,
                     int64_t now_ms, struct stats_alert *out);

#endif
