/*
 * store_pg_admin: admin records in the PostgreSQL store's chain (see
 * admin.h). The record is made by admin.c; this file appends it through
 * pg_chain_append, the one append of this store.
 */
#include "signoff/store/pg/admin.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/admin.h"
#include "signoff/store/pg/chain.h"

static const char sql_last[] =
    "SELECT seq, reviewer, decided_at, note FROM decisions"
    " WHERE kind = 'admin' AND reason = $1 ORDER BY seq DESC LIMIT 1";

enum so_status pg_admin_append(struct pgq *p, const char *verb,
                               const char *subject, char *detail,
                               struct so_error *err)
{
    struct so_decision d;
    admin_record_init(&d, verb, subject, p->reviewer, detail, so_now_ms());
    enum so_status code = pg_chain_append(p, &d, err);
    so_decision_clear(&d);
    return code;
}

struct record_ctx {
    const char *verb, *subject, *detail;
    struct so_decide_result *res;
};

static enum so_status record_tx(struct pgq *p, void *ctx,
                                struct so_error *err)
{
    struct record_ctx *c = ctx;
    struct so_decision d;
    admin_record_init(&d, c->verb, c->subject, p->reviewer,
                      xstrdup(c->detail), so_now_ms());
    enum so_status code = pg_chain_append(p, &d, err);
    if (code == SO_OK) {
        c->res->seq = d.seq;
        memcpy(c->res->hash, d.hash, sizeof c->res->hash);
        c->res->action = SO_ACT_ADMIN;
        c->res->decided_at = d.decided_at;
    }
    so_decision_clear(&d);
    return code;
}

enum so_status pg_admin_record(struct queue *q, const char *verb,
                               const char *subject, const char *detail,
                               struct so_decide_result *res,
                               struct so_error *err)
{
    memset(res, 0, sizeof *res);
    struct record_ctx c = {verb, subject, detail, res};
    return pg_tx(q->impl, record_tx, &c, err);
}

enum so_status pg_admin_last(struct queue *q, const char *verb,
                             struct so_decision *out, struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    memset(out, 0, sizeof *out);
    pg_arg_text(&a, verb);
    enum so_status code = pg_run(q->impl, sql_last, &a, &r, err);
    if (code != SO_OK)
        return code;
    if (!PQntuples(r)) {
        PQclear(r);
        return SO_EMPTY;
    }
    out->seq = pg_int(r, 0, 0);
    out->reviewer = pg_str(r, 0, 1);
    out->decided_at = pg_int(r, 0, 2);
    out->note = pg_str(r, 0, 3);
    out->reason = xstrdup(verb);
    out->kind = xstrdup("admin");
    out->action = SO_ACT_ADMIN;
    PQclear(r);
    return SO_OK;
}
