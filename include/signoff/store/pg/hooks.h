/*
 * store_pg_hooks: webhooks on the PostgreSQL store (as
 * store/sqlite/hooks.h): the hooks, their delivery rows (made by the
 * schema's trigger in the record's transaction) and attempts, and the
 * claim of one due delivery by one sender at a time across every server
 * on the database (FOR UPDATE SKIP LOCKED, a lease on the database's
 * clock, a fencing token). Internal to store/pg.
 */
#ifndef SIGNOFF_STORE_PG_HOOKS_H
#define SIGNOFF_STORE_PG_HOOKS_H

#include "signoff/store/pg/db.h"

/* The queue_ops of webhooks (queue.h). */
enum so_status pg_hook_add(struct queue *q, const struct so_hook *h,
                           int64_t *id, struct so_error *err);
enum so_status pg_hook_list(struct queue *q, struct so_hook **out, size_t *n,
                            struct so_error *err);
enum so_status pg_hook_enable(struct queue *q, int64_t id, int on,
                              struct so_error *err);
enum so_status pg_hook_replay(struct queue *q, int64_t id, int64_t from,
                              int64_t *n, struct so_error *err);
enum so_status pg_hook_log(struct queue *q, int64_t id, int failed_only,
                           int limit, struct so_hook_attempt **out, size_t *n,
                           struct so_error *err);
enum so_status pg_delivery_claim(struct queue *q, int64_t lease_ms,
                                 struct so_delivery *out,
                                 struct so_error *err);
enum so_status pg_delivery_finish(struct queue *q,
                                  const struct so_delivery_result *r,
                                  struct so_error *err);

#endif
