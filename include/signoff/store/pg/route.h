/*
 * store_pg_route: the automation policy on the PostgreSQL store, as on
 * SQLite (store/sqlite/route.h): the readiness figure behind a band and
 * the record of each change of the policy; at enqueue each new draft's
 * route asked of automate.h (the workflow's policy read once per batch),
 * and a draft routed AUTOMATE_AUTO decided in the enqueue's transaction
 * (chain record by reviewer "auto", the draft final, its outcome held
 * for the release delay like any other); what a pause pulls back; the
 * automation's sampled figures for auto-pause. The rules are automate.h's and
 * store/rules.h's; here is only SQL. Internal to store/pg; never prints.
 */
#ifndef SIGNOFF_STORE_PG_ROUTE_H
#define SIGNOFF_STORE_PG_ROUTE_H

#include "signoff/automate.h"
#include "signoff/store/pg/db.h"

/* The policies of the workflows seen in a batch (each read once). */
struct pg_route_policy {
    char *workflow;
    struct automate_policy p;
    int64_t policy_id; /* the policy's last change in policy_events */
    int64_t release_after_ms; /* the workflow's release delay */
    double gold_pct;          /* gold checks (gold.h): the mix rate */
};
struct pg_route_cache {
    struct pg_route_policy *v;
    size_t n;
};
void pg_route_cache_clear(struct pg_route_cache *c);

/* The route of draft d (its workflow exists). */
enum so_status pg_route_of(struct pgq *p, struct pg_route_cache *c,
                           const struct so_draft *d,
                           enum automate_route *route, struct so_error *err);

/* The gold mix rate of workflow as read by pg_route_of (0: not read). */
double pg_route_gold_pct(const struct pg_route_cache *c, const char *workflow);
/* The drafts of one enqueue batch as written: drafts[i] stored as row
 * rids[i] (0: not written: the same, or refused) with its route routes[i]
 * (pg_route_of; routed AUTOMATE_AUTO: written decided, approve, at now),
 * now the database's clock. */
struct pg_route_batch {
    struct so_draft *const *drafts;
    const int64_t *rids;
    const enum automate_route *routes;
    size_t n;
    int64_t now;
};

/* After every draft of batch t is written: append the chain records of the automatic approvals, reviewer "auto", in one
 * run (the head locked once, last), and their outcomes, held for the
 * release delay like any other. */
enum so_status pg_route_finish(struct pgq *p, const struct pg_route_cache *c,
                               const struct pg_route_batch *t,
                               struct so_error *err);

/* The kill switch's second half, in the pause's transaction (the chain
 * head locked by its records: call it after every other write but the
 * pause's own admin record): every automatic outcome of workflow still
 * inside its release delay (not released, not undone, not acted on) is
 * pulled back: a revert record by who with the pause's reason in
 * its note, the outcome retracted (it never reaches the producer), the
 * draft pending again for people (route 3). */
enum so_status pg_route_pull_back(struct pgq *p, const char *workflow,
                                  const char *who, const char *reason,
                                  struct so_error *err);

/* The readiness figure of workflow cur for a band from: human final
 * outcomes (not undone, not decided automatically) on drafts at or above
 * it in the window (automate_evidence_finish applied). */
enum so_status pg_route_evidence(struct pgq *p, const struct so_workflow *cur,
                                 double from, struct automate_evidence *e,
                                 struct so_error *err);

/* Record a change of workflow name's policy, as it stands after the
 * change, by the store's reviewer with the readiness figure e, whether
 * req forced it and its reason. */
enum so_status pg_route_policy_record(struct pgq *p,
                                      const struct so_workflow *req,
                                      const struct automate_evidence *e,
                                      struct so_error *err);

/* The sampled drafts of workflow decided by people in the window of
 * window_ms ending now, and their overrides (edit or reject). */
enum so_status pg_route_sampled(struct pgq *p, const char *workflow,
                                int64_t window_ms, int64_t *decided,
                                int64_t *overrides, struct so_error *err);

/* The route stored with the draft of id (AUTOMATE_HUMAN when none). */
enum so_status pg_route_stored(struct pgq *p, const char *id,
                               enum automate_route *route,
                               struct so_error *err);

#endif
