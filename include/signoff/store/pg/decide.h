/*
 * store_pg_decide: decide on the PostgreSQL store, one transaction, and
 * the audit chain's append. Internal to store/pg.
 */
#ifndef SIGNOFF_STORE_PG_DECIDE_H
#define SIGNOFF_STORE_PG_DECIDE_H

#include "signoff/store/pg/db.h"

enum so_status pg_decide(struct queue *q, const struct so_decide_req *req,
                         struct so_decide_result *res, struct so_error *err);

/* Give d the next seq after the chain head (locked FOR UPDATE: call it
 * last in the transaction), hash it (audit.h), insert it, move the head. */
enum so_status pg_chain_append(struct pgq *p, struct so_decision *d,
                               struct so_error *err);

#endif
