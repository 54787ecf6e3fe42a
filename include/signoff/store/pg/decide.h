/*
 * store_pg_decide: decide on the PostgreSQL store, one transaction, and
 * the audit chain's append. Internal to store/pg.
 */
#ifndef SIGNOFF_STORE_PG_DECIDE_H
#define SIGNOFF_STORE_PG_DECIDE_H

#include "signoff/store/pg/chain.h" /* pg_chain_append */
#include "signoff/store/pg/db.h"
#include "signoff/store/pg/lease.h"

enum so_status pg_decide(struct queue *q, const struct so_decide_req *req,
                         struct so_decide_result *res, struct so_error *err);

/* How every write carrying a request id on a draft begins (a decision,
 * an action record): the draft row locked (*lock: SO_OK, or
 * SO_ERR_NOTFOUND when there is no such draft), then the record the
 * request id already names, if any (*found: a PG_DECISION_COLS row to
 * PQclear, else NULL), so a retry is answered under the same lock. */
enum so_status pg_request_locked(struct pgq *p, const char *draft_id,
                                 const char *request_id, struct pg_claim *c,
                                 enum so_status *lock, PGresult **found,
                                 struct so_error *err);

/* Revert my latest live decision (the undo rule: store_rules_undo). */
enum so_status pg_undo(struct queue *q, const char *request_id,
                       struct so_draft **out, struct so_error *err);
/* My reviews and resolutions since since_ms, newest first. */
enum so_status pg_my_decisions(struct queue *q, int64_t since_ms, int limit,
                               struct so_decision **out, size_t *n,
                               struct so_error *err);

#endif
