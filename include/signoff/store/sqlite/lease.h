/*
 * store_lease: claims on drafts in the SQLite store. A claim is a lease
 * (claimed_by, lease_until) with a fencing token (lease_token, bumped on
 * every new claim) so a reviewer whose lease ran out and was taken over can
 * never write over the new holder. Expired leases are claimable again by
 * the same query: no reaper. Internal to the store (queue ops behind
 * store_sqlite_ops); must not decide drafts.
 */
#ifndef SIGNOFF_STORE_LEASE_H
#define SIGNOFF_STORE_LEASE_H

#include "signoff/queue.h"
#include "signoff/store/sqlite/db.h"

/* The claim columns of one draft. */
struct store_claim_state {
    int64_t rid;
    enum so_dstatus status;
    char claimed_by[SO_MAX_ID + 1]; /* "" when unclaimed */
    int64_t lease_until;
    int64_t lease_token;
    int64_t claimed_at; /* when the current claim was taken; 0: unknown */
};

/* Read the claim state of draft id; SO_ERR_NOTFOUND when there is none. */
enum so_status store_lease_state(struct store *s, const char *id,
                                 struct store_claim_state *out,
                                 struct so_error *err);

/*
 * SO_OK if s->reviewer holds the claim on draft id under token (0: my
 * current claim). A lease that expired but that nobody took still holds.
 * Else SO_ERR_CONFLICT (already decided) or SO_ERR_LEASE with why.
 */
enum so_status store_lease_verdict(struct store *s, const char *id,
                                   const struct store_claim_state *cs,
                                   int64_t token, struct so_error *err);

/* SO_OK unless someone other than s->reviewer holds a live claim on draft
 * id (cs from store_lease_state); else SO_ERR_LEASE "ID: [WHAT: ]claimed by
 * NAME until HH:MM UTC". Nothing may take such a claim away: not a claim
 * by id, not an undo. */
enum so_status store_lease_not_others(struct store *s, const char *id,
                                      const struct store_claim_state *cs,
                                      const char *what, struct so_error *err);

/* Give draft rid to s->reviewer with a fresh lease and the next token, in
 * the caller's transaction. */
enum so_status store_lease_take(struct store *s, int64_t rid, int64_t lease_ms,
                                struct so_error *err);

/* queue_ops.claim: BEGIN IMMEDIATE, one UPDATE ... RETURNING of the first
 * claimable draft (priority, then age), or exactly req->draft_id. */
enum so_status store_lease_claim(struct queue *q,
                                 const struct so_claim_req *req,
                                 struct so_draft **out, struct so_error *err);
/* queue_ops.renew: extend my claim (token checked). */
enum so_status store_lease_renew(struct queue *q, const char *draft_id,
                                 int64_t lease_token, int64_t lease_ms,
                                 int64_t *lease_until, struct so_error *err);
/* queue_ops.reassign: a supervisor takes a draft from its holder (fencing
 * the holder's token) and leaves it pending or held for another. */
enum so_status store_lease_reassign(struct queue *q, const char *draft_id,
                                    const char *to, int64_t lease_ms,
                                    struct so_error *err);
/* queue_ops.release: hand my claim back to the queue (token checked). */
enum so_status store_lease_release(struct queue *q, const char *draft_id,
                                   int64_t lease_token, struct so_error *err);

#endif
