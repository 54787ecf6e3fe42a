/*
 * store_review: the four-eyes rules of the SQLite store. A draft of a
 * workflow with reviews = N needs N live reviews (decisions of kind review
 * not undone) by N different reviewers; "no two live reviews by one
 * reviewer on one draft" is checked here for claim and decide. When the
 * last review lands, reviews that all approve or all reject make the draft
 * final; anything else (a disagreement, any edit) sends it to status
 * resolve, where a supervisor (or, with resolver = reviewer, a reviewer who
 * gave none of its reviews) records the final decision (kind resolve).
 * Also the agreement cells and resolution counts (schema v2) and who may
 * see which decisions (blind review). Internal to the store; runs in the
 * caller's transaction, never opens one, never prints.
 */
#ifndef SIGNOFF_STORE_REVIEW_H
#define SIGNOFF_STORE_REVIEW_H

#include "signoff/agreement.h"
#include "signoff/queue.h"
#include "signoff/store/rules.h"
#include "signoff/store/sqlite/db.h"

/* The four-eyes state of one draft and its workflow's settings. */
struct store_review_info {
    enum so_dstatus status;
    int reviews_needed;
    int reviewer_resolves;          /* workflow resolver = reviewer */
    int reveal_after;               /* workflow reveal = after */
    char claimed_by[SO_MAX_ID + 1]; /* "" when unclaimed */
};

/* Read the state of draft id; SO_ERR_NOTFOUND when there is none. */
enum so_status store_review_info(struct store *s, const char *id,
                                 struct store_review_info *out,
                                 struct so_error *err);

/* *has = 1 when s->reviewer gave a live review of draft id (a resolution
 * is not a review). */
enum so_status store_review_mine(struct store *s, const char *id, int *has,
                                 struct so_error *err);

/* SO_OK when s->reviewer may take draft id (store_rules_may_take on what
 * the store reads). */
enum so_status store_review_may_take(struct store *s, const char *id,
                                     struct so_error *err);

/* The live reviews of draft id, oldest first. Free with
 * store_rules_votes_free. */
enum so_status store_review_votes(struct store *s, const char *id,
                                  struct store_vote **out, size_t *n,
                                  struct so_error *err);

/* Add (sign 1) or remove (sign -1) the agreement cells of every pair of
 * votes (store_rules_pairs), on the UTC day of at. */
enum so_status store_review_pairs(struct store *s, const char *workflow,
                                  int64_t at, const struct store_vote *v,
                                  size_t n, int sign, struct so_error *err);

/* Count (sign 1) or uncount (-1) one resolution on the day of at. */
enum so_status store_review_resolution(struct store *s, const char *workflow,
                                       int64_t at, int sided_ai, int sign,
                                       struct so_error *err);

/* Blind review: *all = 1 when s->reviewer may see every decision of draft
 * id (store_rules_visible). */
enum so_status store_review_visible(struct store *s, const char *id, int *all,
                                    struct so_error *err);

/* queue_ops.decisions with the blind rule of store_review_visible: the
 * decisions of others are left out when they may not be seen. */
enum so_status store_review_decisions(struct queue *q, const char *draft_id,
                                      struct so_decision **out, size_t *n,
                                      struct so_error *err);

/* queue_ops.agreement: cells and resolutions summed over the days of req
 * (the day rule of the rollup). */
enum so_status store_review_agreement(struct queue *q,
                                      const struct so_stats_req *req,
                                      struct so_agreement *out,
                                      struct so_error *err);

#endif
