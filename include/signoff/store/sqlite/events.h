/*
 * store_events: the outcome feed of the SQLite store (outcome.h holds its
 * rules): the outcomes table written in the transaction of the record that
 * made a draft final, marked when that record is undone and when the
 * producer records its action; the feed read up to the release head; the
 * wait for a commit by another process (inotify on the -wal file, a
 * bounded fallback); and the action record itself. Internal to the store;
 * never prints.
 */
#ifndef SIGNOFF_STORE_EVENTS_H
#define SIGNOFF_STORE_EVENTS_H

#include "signoff/queue.h"
#include "signoff/store/sqlite/db.h"

/* In the decision's transaction: d made its draft (of workflow) final. */
enum so_status store_events_outcome(struct store *s,
                                    const struct so_decision *d,
                                    const char *workflow,
                                    struct so_error *err);

/* The same, the workflow's release delay (release_after_ms) known. */
enum so_status store_events_outcome_after(struct store *s,
                                          const struct so_decision *d,
                                          const char *workflow,
                                          int64_t after,
                                          struct so_error *err);

/* In undo's transaction, before orig is reverted: SO_ERR_CONFLICT when
 * the producer already acted on it (outcome_may_undo); then, once the
 * revert is appended, store_events_reverted marks the outcome undone. */
enum so_status store_events_may_undo(struct store *s,
                                     const struct so_decision *orig,
                                     struct so_error *err);
enum so_status store_events_reverted(struct store *s, int64_t seq, int64_t at,
                                     struct so_error *err);

/* The last seq a reader may see at now (the chain head, or just before
 * the first outcome still held back) and when that outcome is released
 * (0: none is held); chain (may be NULL) gets the chain's last seq. */
enum so_status store_events_head(struct store *s, int64_t now, int64_t *head,
                                 int64_t *next_release, int64_t *chain,
                                 struct so_error *err);

/* The event of record seq (whatever the head). */
enum so_status store_events_at(struct store *s, int64_t seq,
                               struct so_event *out, struct so_error *err);

/* queue_ops.events. */
enum so_status store_events_read(struct queue *q, const struct so_event_req *req,
                                 struct so_event_page *out,
                                 struct so_error *err);

/* queue_ops.applied. */
enum so_status store_events_applied(struct queue *q,
                                    const struct so_applied_req *req,
                                    struct so_decide_result *res,
                                    struct so_error *err);

#endif
