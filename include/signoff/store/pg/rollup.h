/*
 * store_pg_rollup: the statistics counters of the PostgreSQL store
 * (schema v7; the cost and latency figures v10), written in each decision's transaction and subtracted by
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
 * the task figures (cost, SLA, acted), histograms, reject reasons. */
enum so_status pg_rollup_apply(struct pgq *p, const struct store_rollup_entry *e,
                               int sign, struct so_error *err);

/* The task figures (store_rules_rollup_task) into e of a decision with
 * active_ms of review that makes draft dr final, read before the record
 * is appended: the reviewing time of the draft's live reviews and its
 * workflow's hourly rate and SLA. */
enum so_status pg_rollup_task(struct pgq *p, const struct so_draft *dr,
                              int64_t active_ms, struct store_rollup_entry *e,
                              struct so_error *err);

/* Keep e's task figures with the outcome seq (store_rules_task_kept). */
enum so_status pg_rollup_task_keep(struct pgq *p, int64_t seq,
                                   const struct store_rollup_entry *e,
                                   struct so_error *err);

/* The task figures of the undone outcome seq on draft dr into e, as its
 * outcome kept them (store_rules_rollup_recall). */
enum so_status pg_rollup_task_recall(struct pgq *p, int64_t seq,
                                     const struct so_draft *dr,
                                     struct store_rollup_entry *e,
                                     struct so_error *err);

/* Count the action record at time at on the outcome seq in its cell
 * (store_rules_rollup_acted). */
enum so_status pg_rollup_acted(struct pgq *p, int64_t seq, int64_t at,
                               struct so_error *err);

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
