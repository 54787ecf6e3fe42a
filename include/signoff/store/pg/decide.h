/*
 * store_pg_decide: decide on the PostgreSQL store, one transaction, and
 * the audit chain's append. Internal to store/pg.
 */
#ifndef SIGNOFF_STORE_PG_DECIDE_H
#define SIGNOFF_STORE_PG_DECIDE_H

#include "signoff/store/pg/chain.h" /* pg_chain_append */
#include "signoff/store/pg/db.h"

enum so_status pg_decide(struct queue *q, const struct so_decide_req *req,
                         struct so_decide_result *res, struct so_error *err);

/* Revert my latest live decision (the undo rule: store_rules_undo). */
enum so_status pg_undo(struct queue *q, const char *request_id,
                       struct so_draft **out, struct so_error *err);
/* My reviews and resolutions since since_ms, newest first. */
enum so_status pg_my_decisions(struct queue *q, int64_t since_ms, int limit,
                               struct so_decision **out, size_t *n,
                               struct so_error *err);

#endif
