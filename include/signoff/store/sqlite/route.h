/*
 * store_route: the automation policy at enqueue on the SQLite store: the
 * workflow's policy read once per batch, each new draft's route asked of
 * automate.h, and a draft routed AUTOMATE_AUTO decided in the enqueue's
 * transaction (chain record by reviewer "auto", draft final, outcome held
 * for the release delay like any other). Internal to the store; never
 * prints.
 */
#ifndef SIGNOFF_STORE_ROUTE_H
#define SIGNOFF_STORE_ROUTE_H

#include "signoff/automate.h"
#include "signoff/store/rules.h"
#include "signoff/store/sqlite/db.h"

/* The policies of the workflows seen in a batch (each read once). */
struct store_route_policy {
    char *workflow;
    struct automate_policy p;
    int64_t policy_id; /* the policy's last change in policy_events */
    int64_t release_after_ms; /* the workflow's release delay */
    double gold_pct;  /* gold checks (gold.h): the mix rate */
    double gold_due;  /* the share toward the next gold draft */
};
struct store_route_cache {
    struct store_route_policy *v;
    size_t n;
    struct store_route_policy *last; /* of the last store_route_of */
};
void store_route_cache_clear(struct store_route_cache *c);

/* The route of draft d (its workflow exists); c->last is its policy. */
enum so_status store_route_of(struct store *s, struct store_route_cache *c,
                              const struct so_draft *d,
                              enum automate_route *route,
                              struct so_error *err);

/* The automatic approvals of a batch, decided at its end
 * (store_route_finish): their records go into the chain together, the
 * head read and moved once, many rows to a statement. */
struct store_route_auto {
    const struct so_draft *d; /* borrowed: the batch's draft */
    int64_t rid;              /* > 0: a replaced draft, marked decided */
    int64_t now;              /* when it was written */
    int64_t release_after_ms; /* its workflow's release delay */
    char request_id[SO_AUTO_RQ_MAX], note[128];
};
struct store_route_batch {
    struct store_route_auto *v;
    size_t n;
};

/* Keep draft d, just routed AUTOMATE_AUTO by store_route_of(c) and written
 * at now, for store_route_finish; rid > 0 (a replaced draft) marks the
 * row decided there (a new row is inserted decided). */
void store_route_defer(struct store_route_batch *b,
                       const struct store_route_cache *c,
                       const struct so_draft *d, int64_t rid, int64_t now);

/* In the batch's transaction, after its drafts: each kept draft's chain
 * record (reviewer "auto", the policy in its note) in the order kept, and
 * its outcome held for the release delay like any other. */
enum so_status store_route_finish(struct store *s, struct store_route_batch *b,
                                  struct so_error *err);
void store_route_batch_clear(struct store_route_batch *b);

/* Run sql (binding :wf, :since, the start of the window of window_ms
 * ending now, and :from when from >= 0) and read its one row of two
 * counts: decided and overrides. */
enum so_status store_route_counts(struct store *s, const char *sql,
                                  const char *workflow, int64_t window_ms,
                                  double from, int64_t *decided,
                                  int64_t *overrides, struct so_error *err);

/* The sampled drafts of workflow decided by people in the window of
 * window_ms ending now, and their overrides (edit or reject). */
enum so_status store_route_sampled(struct store *s, const char *workflow,
                                   int64_t window_ms, int64_t *decided,
                                   int64_t *overrides, struct so_error *err);

/* The kill switch's second half, in the pause's transaction: every
 * automatic outcome of workflow still inside its release delay (not
 * released, not undone, not acted on) is pulled back: a revert record by
 * who with the pause's reason in its note, the outcome retracted (it never
 * reaches the producer), the draft pending again for people (route 3).
 * *pulled counts them. */
enum so_status store_route_pull_back(struct store *s, const char *workflow,
                                     const char *who, const char *reason,
                                     size_t *pulled, struct so_error *err);

#endif
