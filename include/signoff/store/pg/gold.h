/*
 * store_pg_gold: gold checks (gold.h) on the PostgreSQL store, as on
 * SQLite (store/sqlite/gold.h; the tables of schema v11, those of SQLite's
 * v19): the pool `gold add` fills, the next gold draft taken out of it for
 * the human queue at enqueue, the answer a person's decision on one gives
 * (its webhook deliveries gone in its transaction), and the counts stats
 * read. The rules are gold.h's and store/rules.h's; only SQL here.
 * Internal to store/pg; never prints.
 */
#ifndef SIGNOFF_STORE_PG_GOLD_H
#define SIGNOFF_STORE_PG_GOLD_H

#include "signoff/gold.h"
#include "signoff/store/pg/db.h"
#include "signoff/store/rules.h"

/* queue_ops.gold_add: items into the pool of their workflows (created when
 * new), each checked like a draft, its id unused by any draft or gold
 * draft, its reasons among its workflow's codes; one transaction. */
enum so_status pg_gold_add(struct queue *q, const struct gold_item *items,
                           size_t n, struct so_enq_result *results,
                           struct so_error *err);

/* After a new draft routed to people in workflow (gold rate pct > 0, read
 * with its policy): the workflow's share grows (gold_due_step, the row
 * locked so concurrent enqueuers count each draft once) and when one is
 * due the next gold draft of its pool is taken out of it (released at
 * now) into *out (NULL: none due or the pool empty), for the caller to
 * insert right behind the draft. */
enum so_status pg_gold_mix(struct pgq *p, const char *workflow, double pct,
                           int64_t now, struct so_draft **out,
                           struct so_error *err);

/* Whether draft_id is a released gold draft: k->gold 1 and its answer
 * (store/rules.h). */
enum so_status pg_gold_of(struct pgq *p, const char *draft_id,
                          struct store_gold_key *k, struct so_error *err);

/* Record decision d (in the chain: d->seq set) on gold draft k of
 * workflow: the person's answer and whether it matched; the deliveries
 * the trigger queued for d go. */
enum so_status pg_gold_answer(struct pgq *p, const struct so_decision *d,
                              const char *workflow,
                              const struct store_gold_key *k,
                              struct so_error *err);

/* The record seq on a gold draft is never delivered: the deliveries the
 * trigger queued for it go, in its transaction. */
enum so_status pg_gold_undelivered(struct pgq *p, int64_t seq,
                                   struct so_error *err);

/* An undo takes the answer of decision seq back. */
enum so_status pg_gold_unanswer(struct pgq *p, int64_t seq,
                                struct so_error *err);

/* People's answers on gold drafts per (workflow, reviewer) in req's range
 * into out->golds (the stats read's transaction). */
enum so_status pg_gold_counts(struct pgq *p, const struct so_stats_req *req,
                              struct so_rollup *out, struct so_error *err);

/* A condition on a decisions row x: not a record on a gold draft (the
 * feed and webhook replays leave those out). */
#define PG_NOT_GOLD(x)                                                         \
    " NOT EXISTS (SELECT 1 FROM gold g WHERE g.draft_id = " x ".draft)"

#endif
