/*
 * store_pg_review: four-eyes review on the PostgreSQL store: what the
 * rules of store/rules.h read (a draft's review state, its live reviews),
 * the agreement cells and resolution counts they write, blind review of a
 * draft's decisions, and the agreement figures of stats --by pair. The
 * rules themselves are store_rules'; here is only SQL. Runs in the
 * caller's transaction where it writes. Internal to store/pg.
 */
#ifndef SIGNOFF_STORE_PG_REVIEW_H
#define SIGNOFF_STORE_PG_REVIEW_H

#include "signoff/agreement.h"
#include "signoff/store/pg/db.h"
#include "signoff/store/rules.h"

/* The review state of draft id for the queue's reviewer; claimed_by
 * points into by (SO_MAX_ID + 1 bytes). SO_ERR_NOTFOUND when none. */
enum so_status pg_review_state(struct pgq *p, const char *id,
                               struct store_review_state *st, char *by,
                               struct so_error *err);

/* The live reviews of draft id, oldest first, with room for one more
 * (*n + 1 entries). Free with store_rules_votes_free. */
enum so_status pg_review_votes(struct pgq *p, const char *id,
                               struct store_vote **out, size_t *n,
                               struct so_error *err);

/* Add (sign 1) or remove (-1) the agreement cells of the votes' pairs
 * (store_rules_pairs) on the UTC day of at, in this connection's shard. */
enum so_status pg_review_pairs(struct pgq *p, const char *workflow, int64_t at,
                               const struct store_vote *v, size_t n, int sign,
                               struct so_error *err);

/* Count (sign 1) or uncount (-1) one resolution on the day of at. */
enum so_status pg_review_resolution(struct pgq *p, const char *workflow,
                                    int64_t at, int sided_ai, int sign,
                                    struct so_error *err);

/* queue_ops.decisions with blind review (store_rules_visible). */
enum so_status pg_review_decisions(struct queue *q, const char *draft_id,
                                   struct so_decision **out, size_t *n,
                                   struct so_error *err);

/* queue_ops.agreement: cells and resolutions summed over req's days and
 * the shards. */
enum so_status pg_agreement(struct queue *q, const struct so_stats_req *req,
                            struct so_agreement *out, struct so_error *err);

#endif
