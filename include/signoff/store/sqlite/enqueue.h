/*
 * store_enqueue: adding drafts to the SQLite store, a batch per
 * transaction. Same id and same content again is a no-op (SO_ENQ_SAME);
 * other content is refused unless SO_ENQ_REPLACE is set and the draft is
 * still pending. Unknown workflows are created with the defaults. The
 * grounding flag and the content hash are computed here, once. With
 * SO_ENQ_MORE the batch commits without fsync (a bulk load syncs once, at
 * its last batch; a crash before that loses whole batches, never part of
 * one, and enqueueing again is idempotent). Internal to the store.
 */
#ifndef SIGNOFF_STORE_ENQUEUE_H
#define SIGNOFF_STORE_ENQUEUE_H

#include "signoff/queue.h"

/* queue_ops.enqueue: results[i].err.msg is "field: why" for a bad draft. */
enum so_status store_enqueue(struct queue *q, struct so_draft *const *drafts,
                             size_t n, unsigned flags,
                             struct so_enq_result *results,
                             struct so_error *err);

#endif
