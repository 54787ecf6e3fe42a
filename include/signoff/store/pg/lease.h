/*
 * store_pg_lease: claim, renew and release on the PostgreSQL store, and
 * the locked claim state a decision checks. Leases are compared with the
 * database's clock (PG_NOW_MS), never a host's. Internal to store/pg.
 */
#ifndef SIGNOFF_STORE_PG_LEASE_H
#define SIGNOFF_STORE_PG_LEASE_H

#include "signoff/store/pg/db.h"

/* A draft's claim columns, read under its row lock, with the database's
 * clock at that moment. */
struct pg_claim {
    int64_t rid;
    enum so_dstatus status;
    char claimed_by[SO_MAX_ID + 1];
    int64_t lease_until, lease_token, claimed_at, now;
    int reviews_needed;
};

/* SELECT ... FOR UPDATE of draft id; SO_ERR_NOTFOUND when none. */
enum so_status pg_lease_lock(struct pgq *p, const char *id,
                             struct pg_claim *out, struct so_error *err);

/* Give draft rid to the queue's reviewer with a fresh lease and the next
 * token, in the caller's transaction. */
enum so_status pg_lease_take(struct pgq *p, int64_t rid, int64_t lease_ms,
                             struct so_error *err);

enum so_status pg_claim(struct queue *q, const struct so_claim_req *req,
                        struct so_draft **out, struct so_error *err);
enum so_status pg_renew(struct queue *q, const char *draft_id,
                        int64_t lease_token, int64_t lease_ms,
                        int64_t *lease_until, struct so_error *err);
enum so_status pg_release(struct queue *q, const char *draft_id,
                          int64_t lease_token, struct so_error *err);
/* queue_ops.reassign: a supervisor takes draft_id from whoever holds it
 * (store_rules_reassign) and leaves it pending (to NULL) or held for to;
 * the token moves on, so the holder's next write is fenced off. */
enum so_status pg_reassign(struct queue *q, const char *draft_id,
                           const char *to, int64_t lease_ms,
                           struct so_error *err);

#endif
