/*
 * store_pg_decide: a decision on the PostgreSQL store, one READ COMMITTED
 * transaction in this order (DESIGN.md section 10): lock the draft row;
 * look up the request id (a retry answers as the first time, only to the
 * reviewer who made it); check claimant and fencing token; update the
 * draft; lock the chain head row last, append the record, move the head.
 * Locking the head last keeps the time it is held short, and since every
 * append goes through that one row the chain never forks under several
 * servers; UNIQUE(request_id), PRIMARY KEY(seq) and UNIQUE(hash) are the
 * backstops. The record and its hash are store_rules' and audit.c's, so
 * the bytes hashed are those SQLite would hash. Serialization failures
 * and deadlocks rerun the transaction with the same request id (pg_tx).
 */
#include "signoff/store/pg/decide.h"

#include <stdio.h>
#include <string.h>

#include "signoff/audit.h"
#include "signoff/store/pg/drafts.h"
#include "signoff/store/pg/lease.h"
#include "signoff/store/rules.h"

static const char sql_request[] =
    PG_DECISION_COLS " WHERE request_id = $1";

static const char sql_mark[] =
    "UPDATE drafts SET status = 'decided', final_action = $2,"
    " decided_at = $3, reviews_done = reviews_done + 1, lease_until = 0"
    " WHERE rid = $1";

static const char sql_head[] =
    "SELECT seq, hash FROM chain_head WHERE one FOR UPDATE";

static const char sql_insert[] =
    "INSERT INTO decisions(seq, draft, request_id, reviewer, action, kind,"
    " reason, note, final_body, edit_size, body_sha, final_sha, shown_at,"
    " decided_at, active_ms, reverts_seq, prev_hash, hash)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
    " $15, $16, $17, $18)";

static const char sql_set_head[] =
    "UPDATE chain_head SET seq = $1, hash = $2 WHERE one";

enum so_status pg_chain_append(struct pgq *p, struct so_decision *d,
                               struct so_error *err)
{
    PGresult *r;
    enum so_status code = pg_run(p, sql_head, NULL, &r, err);
    if (code != SO_OK)
        return code;
    d->seq = pg_int(r, 0, 0) + 1;
    pg_buf(r, 0, 1, d->prev_hash, sizeof d->prev_hash);
    PQclear(r);
    audit_record_hash(d->prev_hash, d, d->hash);
    struct pg_args a = {0};
    pg_arg_int(&a, d->seq);
    pg_arg_text(&a, d->draft_id);
    pg_arg_text(&a, d->request_id);
    pg_arg_text(&a, d->reviewer);
    pg_arg_text(&a, so_action_name(d->action));
    pg_arg_text(&a, d->kind);
    pg_arg_text(&a, d->reason && *d->reason ? d->reason : NULL);
    pg_arg_text(&a, d->note && *d->note ? d->note : NULL);
    pg_arg_text(&a, d->final_body);
    pg_arg_int(&a, d->edit_size);
    pg_arg_text(&a, d->body_sha);
    pg_arg_text(&a, d->final_sha[0] ? d->final_sha : NULL);
    pg_arg_int(&a, d->shown_at);
    pg_arg_int(&a, d->decided_at);
    pg_arg_int(&a, d->active_ms);
    pg_arg_int(&a, d->reverts_seq);
    pg_arg_text(&a, d->prev_hash);
    pg_arg_text(&a, d->hash);
    code = pg_run(p, sql_insert, &a, NULL, err);
    if (code != SO_OK)
        return code;
    struct pg_args h = {0};
    pg_arg_int(&h, d->seq);
    pg_arg_text(&h, d->hash);
    return pg_run(p, sql_set_head, &h, NULL, err);
}

static void fill_result(const struct so_decision *d, const char *status,
                        int replayed, struct so_decide_result *res)
{
    memset(res, 0, sizeof *res);
    res->seq = d->seq;
    memcpy(res->hash, d->hash, sizeof res->hash);
    res->replayed = replayed;
    res->action = d->action;
    res->decided_at = d->decided_at;
    snprintf(res->draft_status, sizeof res->draft_status, "%s", status);
    res->review_agreed = -1;
    res->reviews_needed = 1;
    res->reviews_done = 1;
}

struct decide_ctx {
    const struct so_decide_req *req;
    struct so_decide_result *res;
};

/* A request id seen before: the same decision by the same reviewer gets
 * the first reply; anything else a conflict that reveals nothing. */
static enum so_status replay(struct pgq *p, const struct so_decide_req *req,
                             const PGresult *found,
                             struct so_decide_result *res,
                             struct so_error *err)
{
    struct so_decision d, mine;
    struct so_draft *dr = NULL;
    struct pg_claim c;
    pg_read_decision(found, 0, &d);
    enum so_status code = store_rules_replay_owner(p->reviewer, req, &d, err);
    if (code == SO_OK)
        code = pg_lease_lock(p, d.draft_id, &c, err);
    if (code == SO_OK)
        code = pg_read_draft(p, c.rid, &dr, err);
    if (code == SO_OK) {
        store_rules_record(p->reviewer, req, dr, 0, c.now, &mine);
        if (!store_rules_same_decision(req, &mine, &d))
            code = so_fail(err, SO_ERR_CONFLICT,
                           "%s: request_id %s already used for a different "
                           "decision; make a new one",
                           req->draft_id, req->request_id);
    }
    if (code == SO_OK)
        fill_result(&d, so_dstatus_name(c.status), 1, res);
    so_draft_free(dr);
    so_decision_clear(&d);
    return code;
}

static enum so_status decide_tx(struct pgq *p, void *ctx,
                                struct so_error *err)
{
    struct decide_ctx *x = ctx;
    const struct so_decide_req *req = x->req;
    struct pg_claim c;
    struct pg_args a = {0};
    PGresult *r;
    /* The draft row first: decisions on one draft queue here. */
    enum so_status lock = pg_lease_lock(p, req->draft_id, &c, err);
    if (lock != SO_OK && lock != SO_ERR_NOTFOUND)
        return lock;
    pg_arg_text(&a, req->request_id);
    enum so_status code = pg_run(p, sql_request, &a, &r, err);
    if (code != SO_OK)
        return code;
    if (PQntuples(r)) {
        code = replay(p, req, r, x->res, err);
        PQclear(r);
        return code;
    }
    PQclear(r);
    if (lock != SO_OK)
        return so_fail(err, SO_ERR_NOTFOUND, "%s: no such draft",
                       req->draft_id);
    struct store_claim sc = {c.status, c.claimed_by, c.lease_until,
                             c.lease_token};
    code = store_rules_lease_verdict(p->reviewer, req->draft_id, &sc,
                                     req->lease_token, c.now, err);
    if (code != SO_OK)
        return code;
    if (c.reviews_needed > 1)
        return so_fail(err, SO_ERR_USAGE,
                       "%s: four-eyes review (reviews %d) is not yet "
                       "supported on PostgreSQL queues",
                       req->draft_id, c.reviews_needed);
    struct so_draft *dr = NULL;
    struct so_decision d;
    code = pg_read_draft(p, c.rid, &dr, err);
    if (code != SO_OK)
        return code;
    store_rules_record(p->reviewer, req, dr, c.claimed_at, c.now, &d);
    struct pg_args m = {0};
    pg_arg_int(&m, c.rid);
    pg_arg_text(&m, so_action_name(d.action));
    pg_arg_int(&m, d.decided_at);
    code = pg_run(p, sql_mark, &m, NULL, err);
    if (code == SO_OK) /* the head last */
        code = pg_chain_append(p, &d, err);
    if (code == SO_OK)
        fill_result(&d, "decided", 0, x->res);
    so_draft_free(dr);
    return code;
}

enum so_status pg_decide(struct queue *q, const struct so_decide_req *req,
                         struct so_decide_result *res, struct so_error *err)
{
    memset(res, 0, sizeof *res);
    enum so_status code = store_rules_decide_req(req, err);
    if (code != SO_OK)
        return code;
    struct decide_ctx x = {req, res};
    code = pg_tx(q->impl, decide_tx, &x, err);
    if (code == SO_OK && req->claim_next)
        queue_decide_next(q, req->claim_next, &res->next);
    return code;
}
