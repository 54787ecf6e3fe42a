/*
 * store_outcomes: the outcomes table of the SQLite store, one row per final
 * outcome, written by the decision (or automatic approval) that makes it
 * and marked by the undo that takes it back, in their transactions. The
 * feed reads them (events.h). Internal to the store; never prints.
 */
#ifndef SIGNOFF_STORE_SQLITE_OUTCOMES_H
#define SIGNOFF_STORE_SQLITE_OUTCOMES_H

#include "signoff/queue.h"
#include "signoff/store/sqlite/db.h"

/* In the decision's transaction: d made its draft (of workflow) final. */
enum so_status store_outcomes_record(struct store *s,
                                     const struct so_decision *d,
                                     const char *workflow,
                                     struct so_error *err);

/* The same, the workflow's release delay (release_after_ms) known. */
enum so_status store_outcomes_record_after(struct store *s,
                                           const struct so_decision *d,
                                           const char *workflow,
                                           int64_t after,
                                           struct so_error *err);

/* The outcome rows of a batch (the automatic approvals of an enqueue),
 * many to a statement; v's strings must live until the call returns. */
struct store_outcome_row {
    int64_t seq;          /* the record that made the draft final */
    const char *draft;    /* borrowed */
    const char *workflow; /* borrowed */
    int64_t release_at;   /* outcome_release_at */
};
enum so_status store_outcomes_record_many(struct store *s,
                                          const struct store_outcome_row *v,
                                          size_t n, struct so_error *err);
/* In undo's transaction, before orig is reverted: SO_ERR_CONFLICT when
 * the producer already acted on it (outcome_may_undo); then, once the
 * revert is appended, store_outcomes_reverted marks the outcome undone. */
enum so_status store_outcomes_may_undo(struct store *s,
                                       const struct so_decision *orig,
                                       struct so_error *err);
enum so_status store_outcomes_reverted(struct store *s, int64_t seq,
                                       int64_t at, struct so_error *err);

#endif
