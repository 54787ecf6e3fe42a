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
#include "signoff/store/rules.h"
#include "signoff/store/sqlite/db.h"

/*
 * The task figures of the decision seq that made draft dr final, into e
 * (whose key rollup_entry filled): the AI's cost, tokens and time from the
 * draft, the time from enqueue to decision, and the reviewing time of
 * every live review of the draft at its workflow's hourly rate and whether
 * the workflow's SLA was missed. Counting (undo 0) stores the last three
 * with the outcome; an undo (undo 1) reads them back from it, so it takes
 * back exactly what was counted whatever the workflow's settings are now.
 */
enum so_status store_rollup_task(struct store *s, int64_t seq,
                                 const struct so_draft *dr, int undo,
                                 struct store_rollup_entry *e,
                                 struct so_error *err);

/* The producer's action record at `at` on the outcome seq: counts the task
 * as acted in the cell of the decision that made it final, with its time
 * from enqueue. Automatic outcomes (not in the rollup) are left out. */
enum so_status store_rollup_acted(struct store *s, int64_t seq, int64_t at,
                                  struct so_error *err);

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
