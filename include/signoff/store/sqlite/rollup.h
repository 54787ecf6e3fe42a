/*
 * store_rollup: the per-day statistics of the SQLite store, written in the
 * same transaction as each decision (and subtracted again by undo), so
 * stats never scan history; and the auto-pause rule that reads them. Day =
 * decided_at / 86400000 (UTC). Internal to the store; must not open
 * transactions of its own.
 */
#ifndef SIGNOFF_STORE_ROLLUP_H
#define SIGNOFF_STORE_ROLLUP_H

#include "signoff/queue.h"
#include "signoff/store/sqlite/db.h"

/* One decision's contribution. Strings borrowed. */
struct store_rollup_entry {
    int64_t decided_at;
    const char *workflow;
    const char *model; /* NULL: unknown */
    const char *reviewer;
    double confidence;     /* -1: unknown */
    enum so_action action; /* approve|edit|reject|escalate */
    const char *reason;    /* counted for rejects */
    int64_t active_ms;
    int64_t edit_size;
    size_t body_words; /* words of the body as shown (fast approvals) */
};

/* 1 if an approval came faster than the body can be read (40 words/s). */
int store_rollup_is_fast(const struct store_rollup_entry *e);

/* Add (sign = 1) or remove (sign = -1) one decision in the caller's
 * transaction: counts, time and edit sums, histograms, reject reasons. */
enum so_status store_rollup_apply(struct store *s,
                                  const struct store_rollup_entry *e, int sign,
                                  struct so_error *err);

/*
 * The auto-pause rule, in the caller's transaction: if workflow has
 * auto_pause on and is not paused, and its override rate over its window
 * (whole UTC days ending today) has at least min_decisions and exceeds the
 * threshold, pause it by "signoff" with the rate in the reason. Fires once:
 * a paused workflow is left alone. *paused is 1 when it fired.
 */
enum so_status store_rollup_autopause(struct store *s, const char *workflow,
                                      int *paused, struct so_error *err);

#endif
