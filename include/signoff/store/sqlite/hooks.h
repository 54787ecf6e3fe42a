/*
 * store_hooks: webhooks of the SQLite store: the hooks table, the
 * deliveries a trigger adds with every audit record, their lease, their
 * results and the attempts log. Holds SQL and transactions only: what an
 * attempt's result means (retry when, dead, disable the hook) is decided
 * above it (webhook.h) and handed in. Internal to the store; never prints,
 * never logs a secret.
 */
#ifndef SIGNOFF_STORE_HOOKS_H
#define SIGNOFF_STORE_HOOKS_H

#include "signoff/queue.h"
#include "signoff/store/sqlite/db.h"

/* The queue_ops of webhooks (queue.h). */
enum so_status store_hooks_add(struct queue *q, const struct so_hook *h,
                               int64_t *id, struct so_error *err);
enum so_status store_hooks_list(struct queue *q, struct so_hook **out,
                                size_t *n, struct so_error *err);
enum so_status store_hooks_enable(struct queue *q, int64_t id, int on,
                                  struct so_error *err);
enum so_status store_hooks_replay(struct queue *q, int64_t id, int64_t from,
                                  int64_t *n, struct so_error *err);
enum so_status store_hooks_log(struct queue *q, int64_t id, int failed_only,
                               int limit, struct so_hook_attempt **out,
                               size_t *n, struct so_error *err);
enum so_status store_hooks_claim(struct queue *q, int64_t lease_ms,
                                 struct so_delivery *out,
                                 struct so_error *err);
enum so_status store_hooks_finish(struct queue *q,
                                  const struct so_delivery_result *r,
                                  struct so_error *err);

#endif
