/*
 * store_pg_review: four-eyes review on the PostgreSQL store (see
 * review.h). A decision is live while no revert points at it; every read
 * here counts live decisions only, as on SQLite. The counters are sharded
 * (schema v7): each write adds to this connection's shard, reads sum.
 */
#include "signoff/store/pg/review.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/store/pg/drafts.h"

#define DAY_MS 86400000LL

#define LIVE                                                                   \
    " action <> 'revert' AND NOT EXISTS (SELECT 1 FROM decisions r"            \
    " WHERE r.reverts_seq = d.seq AND r.reverts_seq > 0)"

static const char sql_state[] =
    "SELECT f.status, f.reviews_needed, f.claimed_by, w.resolver, w.reveal,"
    " EXISTS (SELECT 1 FROM decisions d WHERE draft = $1 AND reviewer = $2"
    " AND kind = 'review' AND" LIVE ")"
    " FROM drafts f JOIN workflows w ON w.name = f.workflow WHERE f.id = $1";

static const char sql_votes[] =
    "SELECT seq, reviewer, action FROM decisions d WHERE draft = $1"
    " AND kind = 'review' AND" LIVE " ORDER BY seq";

static const char sql_pair[] =
    "INSERT INTO agreement(day, workflow, reviewer_a, reviewer_b, action_a,"
    " action_b, shard, n) VALUES ($1, $2, $3, $4, $5, $6, " PG_SHARD ", $7)"
    " ON CONFLICT (day, workflow, reviewer_a, reviewer_b, action_a, action_b,"
    " shard) DO UPDATE SET n = agreement.n + excluded.n";

static const char sql_resolution[] =
    "INSERT INTO resolutions(day, workflow, shard, resolved, sided_ai)"
    " VALUES ($1, $2, " PG_SHARD ", $3, $4) ON CONFLICT (day, workflow, shard)"
    " DO UPDATE SET resolved = resolutions.resolved + excluded.resolved,"
    " sided_ai = resolutions.sided_ai + excluded.sided_ai";

/* Names in strcmp order (COLLATE "C"), as SQLite's BINARY sorts them. */
static const char sql_cells[] =
    "SELECT workflow, reviewer_a, reviewer_b, action_a, action_b, sum(n)"
    " FROM agreement WHERE day >= $1 AND day < $2"
    " AND ($3::text IS NULL OR workflow = $3)"
    " GROUP BY workflow, reviewer_a, reviewer_b, action_a, action_b"
    " HAVING sum(n) > 0 ORDER BY workflow COLLATE \"C\","
    " reviewer_a COLLATE \"C\", reviewer_b COLLATE \"C\","
    " action_a COLLATE \"C\", action_b COLLATE \"C\"";

static const char sql_resolves[] =
    "SELECT workflow, sum(resolved), sum(sided_ai) FROM resolutions"
    " WHERE day >= $1 AND day < $2 AND ($3::text IS NULL OR workflow = $3)"
    " GROUP BY workflow HAVING sum(resolved) > 0"
    " ORDER BY workflow COLLATE \"C\"";

enum so_status pg_review_state(struct pgq *p, const char *id,
                               struct store_review_state *st, char *by,
                               struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    pg_arg_text(&a, id);
    pg_arg_text(&a, p->reviewer);
    enum so_status code = pg_run(p, sql_state, &a, &r, err);
    if (code != SO_OK)
        return code;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return so_fail(err, SO_ERR_NOTFOUND, "%s: no such draft", id);
    }
    st->status = (enum so_dstatus)so_dstatus_from_name(PQgetvalue(r, 0, 0));
    st->reviews_needed = (int)pg_int(r, 0, 1);
    pg_buf(r, 0, 2, by, SO_MAX_ID + 1);
    st->claimed_by = by;
    st->reviewer_resolves = strcmp(PQgetvalue(r, 0, 3), "reviewer") == 0;
    st->reveal_after = strcmp(PQgetvalue(r, 0, 4), "after") == 0;
    st->mine = PQgetvalue(r, 0, 5)[0] == 't';
    PQclear(r);
    return SO_OK;
}

enum so_status pg_review_votes(struct pgq *p, const char *id,
                               struct store_vote **out, size_t *n,
                               struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    *out = NULL;
    *n = 0;
    pg_arg_text(&a, id);
    enum so_status code = pg_run(p, sql_votes, &a, &r, err);
    if (code != SO_OK)
        return code;
    int rows = PQntuples(r);
    *out = xcalloc((size_t)rows + 1, sizeof **out);
    for (int i = 0; i < rows; i++) {
        struct store_vote *v = &(*out)[i];
        v->seq = pg_int(r, i, 0);
        v->reviewer = pg_str(r, i, 1);
        v->action = (enum so_action)so_action_from_name(PQgetvalue(r, i, 2));
    }
    *n = (size_t)rows;
    PQclear(r);
    return SO_OK;
}

struct pair_ctx {
    struct pgq *p;
    const char *workflow;
    int64_t day;
    int sign;
};

static enum so_status bump_pair(void *ctx, const struct store_vote *x,
                                const struct store_vote *y,
                                struct so_error *err)
{
    const struct pair_ctx *c = ctx;
    struct pg_args a = {0};
    pg_arg_int(&a, c->day);
    pg_arg_text(&a, c->workflow);
    pg_arg_text(&a, x->reviewer);
    pg_arg_text(&a, y->reviewer);
    pg_arg_text(&a, so_action_name(x->action));
    pg_arg_text(&a, so_action_name(y->action));
    pg_arg_int(&a, c->sign);
    return pg_run(c->p, sql_pair, &a, NULL, err);
}

enum so_status pg_review_pairs(struct pgq *p, const char *workflow, int64_t at,
                               const struct store_vote *v, size_t n, int sign,
                               struct so_error *err)
{
    struct pair_ctx c = {p, workflow, at / DAY_MS, sign};
    return store_rules_pairs(v, n, bump_pair, &c, err);
}

enum so_status pg_review_resolution(struct pgq *p, const char *workflow,
                                    int64_t at, int sided_ai, int sign,
                                    struct so_error *err)
{
    struct pg_args a = {0};
    pg_arg_int(&a, at / DAY_MS);
    pg_arg_text(&a, workflow);
    pg_arg_int(&a, sign);
    pg_arg_int(&a, sided_ai ? sign : 0);
    return pg_run(p, sql_resolution, &a, NULL, err);
}

enum so_status pg_review_decisions(struct queue *q, const char *draft_id,
                                   struct so_decision **out, size_t *n,
                                   struct so_error *err)
{
    struct pgq *p = q->impl;
    struct store_review_state st;
    char by[SO_MAX_ID + 1];
    *out = NULL;
    *n = 0;
    enum so_status code = pg_review_state(p, draft_id, &st, by, err);
    if (code == SO_OK)
        code = pg_decisions(q, draft_id, out, n, err);
    if (code != SO_OK ||
        store_rules_visible(&st, p->reviewer, p->supervisor))
        return code;
    size_t kept = 0;
    for (size_t i = 0; i < *n; i++) {
        if (strcmp((*out)[i].reviewer, p->reviewer) == 0)
            (*out)[kept++] = (*out)[i];
        else
            so_decision_clear(&(*out)[i]);
    }
    *n = kept;
    return SO_OK;
}

static enum so_status range_run(struct pgq *p, const char *sql, int64_t d0,
                                int64_t d1, const char *wf, PGresult **r,
                                struct so_error *err)
{
    struct pg_args a = {0};
    pg_arg_int(&a, d0);
    pg_arg_int(&a, d1);
    pg_arg_text(&a, wf);
    return pg_run(p, sql, &a, r, err);
}

static void read_cells(const PGresult *r, struct so_agreement *out)
{
    int rows = PQntuples(r);
    out->cells = rows ? xcalloc((size_t)rows, sizeof *out->cells) : NULL;
    for (int i = 0; i < rows; i++) {
        struct so_agree_cell *c = &out->cells[out->ncells++];
        c->workflow = pg_str(r, i, 0);
        c->reviewer_a = pg_str(r, i, 1);
        c->reviewer_b = pg_str(r, i, 2);
        c->cat_a = agreement_category(PQgetvalue(r, i, 3));
        c->cat_b = agreement_category(PQgetvalue(r, i, 4));
        c->n = pg_int(r, i, 5);
    }
}

static void read_resolves(const PGresult *r, struct so_agreement *out)
{
    int rows = PQntuples(r);
    out->resolves = rows ? xcalloc((size_t)rows, sizeof *out->resolves) : NULL;
    for (int i = 0; i < rows; i++) {
        struct so_resolve_count *c = &out->resolves[out->nresolves++];
        c->workflow = pg_str(r, i, 0);
        c->resolved = pg_int(r, i, 1);
        c->sided_ai = pg_int(r, i, 2);
    }
}

enum so_status pg_agreement(struct queue *q, const struct so_stats_req *req,
                            struct so_agreement *out, struct so_error *err)
{
    struct pgq *p = q->impl;
    int64_t d0, d1;
    PGresult *r;
    memset(out, 0, sizeof *out);
    store_rules_stats_days(req, so_now_ms(), &d0, &d1);
    enum so_status code = range_run(p, sql_cells, d0, d1, req->workflow, &r,
                                    err);
    if (code != SO_OK)
        return code;
    read_cells(r, out);
    PQclear(r);
    code = range_run(p, sql_resolves, d0, d1, req->workflow, &r, err);
    if (code == SO_OK) {
        read_resolves(r, out);
        PQclear(r);
    } else {
        agreement_free(out);
    }
    return code;
}
