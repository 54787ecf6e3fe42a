/*
 * store_pg_admin: admin records (admin.h) appended to the PostgreSQL
 * store's audit chain, in the transaction of the change they describe,
 * and the queue ops for a change made elsewhere (an access review). The
 * record is admin.c's, the hash audit.c's: the bytes are those SQLite
 * hashes. Internal to store/pg; never prints.
 */
#ifndef SIGNOFF_STORE_PG_ADMIN_H
#define SIGNOFF_STORE_PG_ADMIN_H

#include "signoff/store/pg/db.h"

/* Append the admin record of verb on subject by the store's reviewer, in
 * the caller's transaction (the chain head locked: call it last); takes
 * detail (admin_record_init). */
enum so_status pg_admin_append(struct pgq *p, const char *verb,
                               const char *subject, char *detail,
                               struct so_error *err);

/* queue_ops.admin_record: the same in its own transaction; res gets the
 * record's seq and hash. */
enum so_status pg_admin_record(struct queue *q, const char *verb,
                               const char *subject, const char *detail,
                               struct so_decide_result *res,
                               struct so_error *err);

/* queue_ops.admin_last: the last admin record of verb (SO_EMPTY: none). */
enum so_status pg_admin_last(struct queue *q, const char *verb,
                             struct so_decision *out, struct so_error *err);

#endif
