/*
 * store_pg_rollup: the statistics counters of the PostgreSQL store
 * (schema v7), written in each decision's transaction and subtracted by
 * undo, so stats never scan history; the auto-pause rule that reads them;
 * and stats' read of them. No hot row: every counter key ends in a shard
 * picked by the writing connection (PG_SHARD), so concurrent deciders add
 * to different rows, and every read sums over the shards. Internal to
 * store/pg; the writers run in the caller's transaction.
 */
#ifndef SIGNOFF_STORE_PG_ROLLUP_H
#define SIGNOFF_STORE_PG_ROLLUP_H

#include "signoff/store/pg/db.h"
#include "signoff/store/rules.h"

/* Add (sign 1) or remove (-1) one decision: counts, time and edit sums,
 * histograms, reject reasons. */
enum so_status pg_rollup_apply(struct pgq *p, const struct store_rollup_entry *e,
                               int sign, struct so_error *err);

/* The auto-pause rule (store_rules_autopause) on workflow's window as of
 * now, pausing it by "signoff" when it fires, else the rule of the
 * automation's sampled error rate (pg_workflow_autopause_sampled), as on
 * SQLite; a paused workflow or one without auto-pause is left alone. */
enum so_status pg_rollup_autopause(struct pgq *p, const char *workflow,
                                   int64_t now, struct so_error *err);

/* queue_ops.rollup: the cells of req's days, folded as req says, with
 * their histograms and the reject reasons, from one snapshot. */
enum so_status pg_rollup(struct queue *q, const struct so_stats_req *req,
                         struct so_rollup *out, struct so_error *err);

#endif
