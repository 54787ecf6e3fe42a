/*
 * store_decide: recording decisions in the SQLite store. One BEGIN
 * IMMEDIATE transaction per decision checks the claim and its fencing
 * token, appends the record to the hash chain (audit.h), marks the draft,
 * updates the rollup and applies the auto-pause rule. A repeated
 * request_id answers with the first result (replayed = 1), checked before
 * the claim so a retry after success gets the same answer.
 *
 * Four-eyes workflows (store_review.h): a review that is not the last
 * sends the draft back to pending, the last one makes it final or sends it
 * to resolve, the resolver's decision is final. The rollup counts only the
 * decision that makes a draft final. An escalation in a review step is
 * final at once. Undo works on the latest live decision of a draft only.
 *
 * Escalation is a decision like the others (action escalate, in the chain):
 * the draft leaves the queue (status decided, final action escalate) for
 * whoever handles escalations outside signoff; the rollup counts it apart
 * from approvals and overrides. Undo appends a revert record and subtracts
 * the undone decision from the rollup; the draft is claimed by me again.
 * Internal to the store.
 */
#ifndef SIGNOFF_STORE_DECIDE_H
#define SIGNOFF_STORE_DECIDE_H

#include "signoff/queue.h"
#include "signoff/store/sqlite/db.h"

/* queue_ops.decide. Errors: SO_ERR_NOTFOUND (unknown draft),
 * SO_ERR_CONFLICT (already decided; request_id of another draft; I
 * already reviewed it), SO_ERR_FORBIDDEN (a resolve step I may not take),
 * SO_ERR_LEASE (not my claim, token changed, taken over), SO_ERR_INVALID. */
enum so_status store_decide(struct queue *q, const struct so_decide_req *req,
                            struct so_decide_result *res, struct so_error *err);

/* queue_ops.undo: SO_ERR_NOTFOUND when I have nothing left to undo,
 * SO_ERR_CONFLICT when someone decided the draft after me. */
enum so_status store_decide_undo(struct queue *q, const char *request_id,
                                 struct so_draft **out, struct so_error *err);

#endif
