/*
 * store_gold: gold checks (gold.h) on the SQLite store: the pool `gold
 * add` fills, a gold draft released into a workflow's human queue at
 * enqueue, the answer a person's decision on one gives, and the counts
 * stats read. The rules are gold.h's and store/rules.h's; this holds the
 * SQL. Internal to the store; never prints.
 */
#ifndef SIGNOFF_STORE_GOLD_H
#define SIGNOFF_STORE_GOLD_H

#include "signoff/gold.h"
#include "signoff/store/rules.h"
#include "signoff/store/sqlite/db.h"

/* queue_ops.gold_add: items into the pool of their workflows (created when
 * new), each checked like a draft, its id unused by any draft or gold
 * draft, its reasons among its workflow's codes; one transaction with an
 * admin record gold.add per workflow. */
enum so_status store_gold_add(struct queue *q, const struct gold_item *items,
                              size_t n, struct so_enq_result *results,
                              struct so_error *err);

/* The next gold draft of workflow's pool, taken out of it (released at
 * now): *out NULL when the pool is empty. */
enum so_status store_gold_release(struct store *s, const char *workflow,
                                  int64_t now, struct so_draft **out,
                                  struct so_error *err);

/* Write workflow's share toward its next gold draft. */
enum so_status store_gold_due_save(struct store *s, const char *workflow,
                                   double due, struct so_error *err);

/* Whether draft_id is a released gold draft: k->gold 1 and its answer
 * (store/rules.h). */
enum so_status store_gold_of(struct store *s, const char *draft_id,
                             struct store_gold_key *k, struct so_error *err);

/* Record decision d (in the chain: d->seq set) on gold draft k of
 * workflow: the person's answer and whether it matched. */
enum so_status store_gold_answer(struct store *s, const struct so_decision *d,
                                 const char *workflow,
                                 const struct store_gold_key *k,
                                 struct so_error *err);

/* The record seq on a gold draft is never delivered: the deliveries the
 * decisions trigger queued for it go, in its transaction. */
enum so_status store_gold_undelivered(struct store *s, int64_t seq,
                                      struct so_error *err);

/* An undo takes the answer of decision seq back. */
enum so_status store_gold_unanswer(struct store *s, int64_t seq,
                                   struct so_error *err);

#endif
