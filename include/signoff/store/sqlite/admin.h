/*
 * store_admin: admin records (admin.h) appended to the SQLite store's audit
 * chain, in the transaction of the change they describe, and the queue op
 * for a change made elsewhere (an access review). Holds no rule of what a
 * record says; never prints.
 */
#ifndef SIGNOFF_STORE_ADMIN_H
#define SIGNOFF_STORE_ADMIN_H

#include "signoff/queue.h"
#include "signoff/store/sqlite/db.h"

/* Append the admin record of verb on subject by the store's reviewer, in
 * the caller's transaction; takes detail (admin_record_init). */
enum so_status store_admin_append(struct store *s, const char *verb,
                                  const char *subject, char *detail,
                                  struct so_error *err);

/* queue_ops.admin_record: the same in its own transaction; res gets the
 * record's seq and hash. */
enum so_status store_admin_record(struct queue *q, const char *verb,
                                  const char *subject, const char *detail,
                                  struct so_decide_result *res,
                                  struct so_error *err);

/* queue_ops.admin_last: the last admin record of verb (SO_EMPTY: none). */
enum so_status store_admin_last(struct queue *q, const char *verb,
                                struct so_decision *out, struct so_error *err);

#endif
