/*
 * store_events: the outcome feed of the SQLite store (outcome.h holds its
 * rules; the outcomes rows are outcomes.h's, marked here when the
 * producer records its action): the feed read up to the release head; the
 * wait for a commit by another process (inotify on the -wal file, a
 * bounded fallback); and the action record itself. Internal to the store;
 * never prints.
 */
#ifndef SIGNOFF_STORE_EVENTS_H
#define SIGNOFF_STORE_EVENTS_H

#include "signoff/queue.h"
#include "signoff/store/sqlite/db.h"

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
