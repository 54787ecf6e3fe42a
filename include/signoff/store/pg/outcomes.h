/*
 * store_pg_outcomes: the outcomes rows on the PostgreSQL store, one per
 * final outcome, written by a decision and marked by an undo in their
 * transaction (as on SQLite; the feed reads them: events.h). Internal to
 * store/pg.
 */
#ifndef SIGNOFF_STORE_PG_OUTCOMES_H
#define SIGNOFF_STORE_PG_OUTCOMES_H

#include "signoff/store/pg/db.h"

/* Record d (just appended, final: outcome_is_final) as the outcome of its
 * draft in workflow, released after the workflow's release_after_ms. */
enum so_status pg_outcome_record(struct pgq *p, const struct so_decision *d,
                                 const char *workflow, struct so_error *err);

/* The same for n records just appended (an enqueue batch's automatic
 * approvals): seqs[i] released at release_at[i] (outcome_release_at), in
 * one statement. */
enum so_status pg_outcome_record_many(struct pgq *p, const int64_t *seqs,
                                      const int64_t *release_at, size_t n,
                                      struct so_error *err);

/* SO_OK when orig may be undone (outcome_may_undo: not once the producer
 * recorded its action). Call under the draft's row lock. */
enum so_status pg_outcome_may_undo(struct pgq *p, const struct so_decision *orig,
                                  struct so_error *err);

/* The outcome seq (if it is one) was undone at at. */
enum so_status pg_outcome_reverted(struct pgq *p, int64_t seq, int64_t at,
                                  struct so_error *err);

#endif
