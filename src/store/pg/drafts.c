/*
 * store_pg_drafts: enqueue and the reads of the PostgreSQL store (see
 * drafts.h). Which drafts a store takes is store_rules_draft's to say;
 * here is only SQL. Filters are parameters of one prepared statement
 * (NULL: any), never text pasted into SQL.
 */
#include "signoff/store/pg/drafts.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/draft_json.h"
#include "signoff/filter.h"
#include "signoff/grounding.h"
#include "signoff/store/pg/cost.h"
#include "signoff/store/pg/gold.h"
#include "signoff/store/pg/route.h"
#include "signoff/store/pg/workflow.h"
#include "signoff/store/rules.h"

#define DAY_MS 86400000LL

static const char sql_draft[] =
    "SELECT id, workflow, model, confidence, title, input, body, priority,"
    " metadata, status, created_at, claimed_by, lease_until, lease_token,"
    " attempts, reviews_needed, reviews_done, final_action"
    " FROM drafts WHERE rid = $1";

static const char sql_citations[] =
    "SELECT n, title, uri, excerpt, quote FROM citations"
    " WHERE draft = $1 ORDER BY ord";

static const char sql_rid[] = "SELECT rid FROM drafts WHERE id = $1";

/* A pending four-eyes draft with a review is "under review": replacing
 * its text would make the reviews disagree about what they reviewed. */
static const char sql_find[] =
    "SELECT rid, content_sha, CASE WHEN status = 'pending'"
    " AND reviews_done > 0 THEN 'under review' ELSE status END"
    " FROM drafts WHERE id = $1 FOR UPDATE";

/* $13 the route (pg_route_of), $14 the batch's time: a draft routed 1
 * (AUTOMATE_AUTO) is written decided, approve (its record comes with the
 * batch's: pg_route_finish), so its row is written once. */
#define ROUTED_STATE(r, at)                                                    \
    "CASE WHEN " r " = 1 THEN 'decided' ELSE 'pending' END, CASE WHEN " r     \
    " = 1 THEN 'approve' END, CASE WHEN " r " = 1 THEN " at "::bigint END"

static const char sql_insert[] =
    "INSERT INTO drafts(id, workflow, model, confidence, band, title, input,"
    " body, priority, metadata, content_sha, flags, route, status,"
    " final_action, decided_at, reviews_needed, created_at) VALUES ($1, $2,"
    " $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::int,"
    " " ROUTED_STATE("$13", "$14") ","
    " (SELECT reviews FROM workflows WHERE name = $2), " PG_NOW_MS ")"
    " RETURNING rid";

/* $15 the pending row replaced */
static const char sql_replace[] =
    "UPDATE drafts SET workflow = $2, model = $3, confidence = $4, band = $5,"
    " title = $6, input = $7, body = $8, priority = $9, metadata = $10,"
    " content_sha = $11, flags = $12, route = $13::int, (status,"
    " final_action, decided_at) = (" ROUTED_STATE("$13", "$14") "),"
    " lease_until = CASE WHEN $13 = 1 THEN 0 ELSE lease_until END,"
    " reviews_needed = (SELECT reviews FROM workflows WHERE name = $2)"
    " WHERE rid = $15 AND id = $1 RETURNING rid";

static const char sql_now[] = "SELECT " PG_NOW_MS;

static const char sql_drop_citations[] =
    "DELETE FROM citations WHERE draft = $1";

static const char sql_citation[] =
    "INSERT INTO citations(draft, ord, n, title, uri, excerpt, quote)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7)";

/* Every filter of so_list_req as a parameter: $1 status ('open': not
 * decided), $2 workflow, $3 model, $4 below, $5 at least, $6 grounding,
 * $7 escalated, $8 the LIKE patterns of the text's terms (all must match),
 * $9..$11 the keyset cursor (NULL: first page), $12 limit, $13 mine (the
 * drafts I can act on now: free or mine, a resolve step mine to take,
 * escalated ones for a supervisor, none I reviewed), $14 me, $15
 * supervisor. */
#define LIST_WHERE                                                             \
    " WHERE ($1::text IS NULL OR ($1 = 'open' AND status <> 'decided')"        \
    " OR status = $1) AND ($2::text IS NULL OR workflow = $2)"                 \
    " AND ($3::text IS NULL OR model = $3)"                                    \
    " AND ($4::float8 IS NULL OR confidence < $4)"                             \
    " AND ($5::float8 IS NULL OR confidence >= $5)"                            \
    " AND ($6::int = 0 OR (flags & 1) <> 0)"                                   \
    " AND ($7::int = 0 OR status = 'escalated')"                               \
    " AND NOT EXISTS (SELECT 1 FROM unnest($8::text[]) t"                      \
    " WHERE NOT (id ILIKE t OR title ILIKE t OR body ILIKE t))"                \
    " AND ($13::int = 0 OR (status <> 'decided' AND (status = 'pending'"       \
    " OR ((status = 'claimed' OR (status = 'resolve' AND ($15::int = 1"        \
    " OR (SELECT resolver FROM workflows w WHERE w.name = drafts.workflow)"    \
    " = 'reviewer')) OR (status = 'escalated' AND $15::int = 1))"              \
    " AND (lease_until < " PG_NOW_MS " OR claimed_by = $14 OR $15 = 1)))"      \
    " AND (reviews_done = 0 OR NOT EXISTS (SELECT 1 FROM decisions d"          \
    " WHERE d.draft = drafts.id AND d.reviewer = $14 AND d.action <> 'revert'" \
    " AND NOT EXISTS (SELECT 1 FROM decisions r WHERE r.reverts_seq = d.seq"   \
    " AND r.reverts_seq > 0)))))"                                                \
    " AND ($16::int = 0 OR ($16 = 1) = " PG_SLA_DUE ")"

static const char sql_list[] =
    "SELECT rid, id, workflow, model, confidence, title, priority,"
    " created_at, status, claimed_by, lease_until, flags, final_action,"
    " reviews_needed, reviews_done" PG_SLA_COLS " FROM drafts" LIST_WHERE
    " AND ($9::int IS NULL OR priority < $9 OR (priority = $9 AND"
    " (created_at > $10::bigint OR (created_at = $10 AND rid > $11::bigint))))"
    " ORDER BY CASE WHEN $16 = 1 THEN (SELECT drafts.created_at + sw.sla_ms"
    " FROM workflows sw WHERE sw.name = drafts.workflow) END,"
    " priority DESC, created_at, rid LIMIT $12";

static const char sql_count[] =
    "SELECT count(*) FROM drafts" LIST_WHERE
    " AND $9::int IS NULL AND $10::bigint IS NULL AND $11::bigint IS NULL"
    " AND $12::int IS NULL";

static const char sql_decisions[] =
    PG_DECISION_COLS " WHERE draft = $1 ORDER BY seq";

static const char sql_my_today[] =
    "SELECT count(*) FROM decisions d WHERE reviewer = $1"
    " AND decided_at >= $2 AND action <> 'revert' AND kind <> 'admin'"
    " AND kind <> 'action'"
    " AND NOT EXISTS (SELECT 1 FROM decisions r WHERE r.reverts_seq = d.seq"
    " AND r.reverts_seq > 0)";

static enum so_status read_citations(struct pgq *p, int64_t rid,
                                     struct so_draft *d, struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    pg_arg_int(&a, rid);
    enum so_status code = pg_run(p, sql_citations, &a, &r, err);
    if (code != SO_OK)
        return code;
    int n = PQntuples(r);
    d->citations = n ? xcalloc((size_t)n, sizeof *d->citations) : NULL;
    for (int i = 0; i < n; i++) {
        struct so_citation *c = &d->citations[i];
        c->n = (int)pg_int(r, i, 0);
        c->title = pg_str(r, i, 1);
        c->uri = pg_str(r, i, 2);
        c->excerpt = pg_str(r, i, 3);
        c->quote = pg_str(r, i, 4);
    }
    d->ncitations = (size_t)n;
    PQclear(r);
    return SO_OK;
}

enum so_status pg_read_draft(struct pgq *p, int64_t rid, struct so_draft **out,
                             struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    *out = NULL;
    pg_arg_int(&a, rid);
    enum so_status code = pg_run(p, sql_draft, &a, &r, err);
    if (code != SO_OK)
        return code;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return so_fail(err, SO_ERR_NOTFOUND, "no such draft");
    }
    struct so_draft *d = so_draft_new();
    d->id = pg_str(r, 0, 0);
    d->workflow = pg_str(r, 0, 1);
    d->model = pg_str(r, 0, 2);
    d->confidence = pg_double(r, 0, 3);
    d->title = pg_str(r, 0, 4);
    d->input = pg_str(r, 0, 5);
    d->body = pg_str(r, 0, 6);
    d->priority = (int)pg_int(r, 0, 7);
    d->metadata_json = pg_str(r, 0, 8);
    d->status = (enum so_dstatus)so_dstatus_from_name(PQgetvalue(r, 0, 9));
    d->created_at = pg_int(r, 0, 10);
    d->claimed_by = pg_str(r, 0, 11);
    d->lease_until = pg_int(r, 0, 12);
    d->lease_token = pg_int(r, 0, 13);
    d->attempts = (int)pg_int(r, 0, 14);
    d->reviews_needed = (int)pg_int(r, 0, 15);
    d->reviews_done = (int)pg_int(r, 0, 16);
    d->last_action = pg_str(r, 0, 17);
    PQclear(r);
    code = pg_cost_draft_read(p, rid, d, err);
    if (code == SO_OK)
        code = read_citations(p, rid, d, err);
    if (code != SO_OK) {
        so_draft_free(d);
        return code;
    }
    *out = d;
    return SO_OK;
}

static enum so_status rid_of(struct pgq *p, const char *id, int64_t *rid,
                             struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    pg_arg_text(&a, id);
    enum so_status code = pg_run(p, sql_rid, &a, &r, err);
    if (code != SO_OK)
        return code;
    *rid = PQntuples(r) ? pg_int(r, 0, 0) : 0;
    PQclear(r);
    return *rid ? SO_OK : so_fail(err, SO_ERR_NOTFOUND, "%s: no such draft", id);
}

enum so_status pg_get(struct queue *q, const char *id, struct so_draft **out,
                      struct so_error *err)
{
    struct pgq *p = q->impl;
    int64_t rid;
    *out = NULL;
    enum so_status code = rid_of(p, id, &rid, err);
    if (code == SO_OK)
        code = pg_read_draft(p, rid, out, err);
    return code;
}

/* The draft's columns as parameters $1..$12, in sql_insert's order. */
static void draft_args(struct pg_args *a, const struct so_draft *d,
                       const char *sha)
{
    struct grounding g;
    grounding_check(d, &g);
    int flags = grounding_row_flags(&g);
    grounding_clear(&g);
    pg_arg_text(a, d->id);
    pg_arg_text(a, d->workflow);
    pg_arg_text(a, d->model);
    if (d->confidence >= 0)
        pg_arg_double(a, d->confidence);
    else
        pg_arg_text(a, NULL);
    pg_arg_int(a, so_conf_band(d->confidence));
    pg_arg_text(a, d->title);
    pg_arg_text(a, d->input);
    pg_arg_text(a, d->body);
    pg_arg_int(a, d->priority);
    pg_arg_text(a, d->metadata_json);
    pg_arg_text(a, sha);
    pg_arg_int(a, flags);
}

static enum so_status add_citations(struct pgq *p, int64_t rid,
                                    const struct so_draft *d,
                                    struct so_error *err)
{
    enum so_status code = SO_OK;
    for (size_t i = 0; code == SO_OK && i < d->ncitations; i++) {
        const struct so_citation *c = &d->citations[i];
        struct pg_args a = {0};
        pg_arg_int(&a, rid);
        pg_arg_int(&a, (int64_t)i);
        pg_arg_int(&a, c->n);
        pg_arg_text(&a, c->title);
        pg_arg_text(&a, c->uri);
        pg_arg_text(&a, c->excerpt);
        pg_arg_text(&a, c->quote);
        code = pg_run(p, sql_citation, &a, NULL, err);
    }
    return code;
}

/* Insert d, or with rid > 0 replace that pending draft's content, routed
 * route at now; *row gets its rid. */
static enum so_status write_draft(struct pgq *p, const struct so_draft *d,
                                  const char *sha, enum automate_route route,
                                  int64_t now, int64_t rid, int64_t *row,
                                  struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    draft_args(&a, d, sha);
    pg_arg_int(&a, route);
    pg_arg_int(&a, now);
    if (rid)
        pg_arg_int(&a, rid);
    enum so_status code =
        pg_run(p, rid ? sql_replace : sql_insert, &a, &r, err);
    if (code != SO_OK)
        return code;
    *row = pg_int(r, 0, 0);
    PQclear(r);
    code = pg_cost_draft_write(p, *row, d, err);
    if (code == SO_OK && rid) {
        struct pg_args c = {0};
        pg_arg_int(&c, rid);
        code = pg_run(p, sql_drop_citations, &c, NULL, err);
    }
    return code == SO_OK ? add_citations(p, *row, d, err) : code;
}

/* Gold checks (gold.h): after a new draft routed to people, the next gold
 * draft of its workflow's pool joins the human queue right behind it when
 * one is due, a draft like any other (route human). */
static enum so_status mix_gold(struct pgq *p, const char *workflow,
                               double pct, int64_t now, struct so_error *err)
{
    struct so_draft *g = NULL;
    enum so_status code = pg_gold_mix(p, workflow, pct, now, &g, err);
    if (code == SO_OK && g) {
        char sha[65];
        int64_t row;
        draft_content_sha(g, sha);
        code = write_draft(p, g, sha, AUTOMATE_HUMAN, now, 0, &row, err);
    }
    so_draft_free(g);
    return code;
}

/* One draft: its outcome in *res; a database error is returned. The
 * existing row is locked, so two servers enqueueing one id agree. Its
 * route under the workflow's automation policy (c) in *route and the row
 * written in *rid (0: none), stored and acted on after the batch
 * (pg_route_finish). */
static enum so_status enqueue_one(struct pgq *p, const struct so_draft *d,
                                  int replace, int64_t now,
                                  struct pg_route_cache *c,
                                  enum automate_route *route, int64_t *rid,
                                  struct so_enq_result *res,
                                  struct so_error *err)
{
    char sha[65], ex_sha[65] = "", status[16] = "";
    int64_t ex_rid = 0;
    memset(res, 0, sizeof *res);
    if (store_rules_draft(d, &res->err) != SO_OK) {
        res->outcome = SO_ENQ_FAILED;
        return SO_OK;
    }
    draft_content_sha(d, sha);
    struct pg_args a = {0};
    PGresult *r;
    pg_arg_text(&a, d->id);
    enum so_status code = pg_run(p, sql_find, &a, &r, err);
    if (code != SO_OK)
        return code;
    if (PQntuples(r)) {
        ex_rid = pg_int(r, 0, 0);
        pg_buf(r, 0, 1, ex_sha, sizeof ex_sha);
        pg_buf(r, 0, 2, status, sizeof status);
    }
    PQclear(r);
    if (ex_rid && strcmp(ex_sha, sha) == 0) {
        res->outcome = SO_ENQ_SAME;
        return SO_OK;
    }
    if (ex_rid && !(replace && strcmp(status, "pending") == 0)) {
        res->outcome = SO_ENQ_FAILED;
        if (replace)
            so_fail(&res->err, SO_ERR_CONFLICT,
                    "id: already %s: only a pending draft can be replaced",
                    status);
        else
            so_fail(&res->err, SO_ERR_CONFLICT,
                    "id: already queued with other content (only a "
                    "pending draft can be replaced)");
        return SO_OK;
    }
    int bad = 0;
    code = pg_cost_check(p, d, &res->err, &bad, err);
    if (code != SO_OK || bad) {
        res->outcome = bad ? SO_ENQ_FAILED : res->outcome;
        return code;
    }
    code = pg_workflow_ensure_for(p, d, "enqueue", err);
    if (code != SO_OK)
        return code;
    code = pg_route_of(p, c, d, route, err);
    if (code != SO_OK)
        return code;
    res->outcome = ex_rid ? SO_ENQ_REPLACED : SO_ENQ_ADDED;
    code = write_draft(p, d, sha, *route, now, ex_rid, rid, err);
    if (code == SO_OK && !ex_rid && *route != AUTOMATE_AUTO)
        code = mix_gold(p, d->workflow, pg_route_gold_pct(c, d->workflow),
                        now, err);
    return code;
}

struct enqueue_ctx {
    struct so_draft *const *drafts;
    size_t n;
    int replace;
    struct so_enq_result *results;
    enum automate_route *routes;
    int64_t *rids;
};

/* The drafts, then the chain records of those decided automatically: the
 * chain head is locked last, for the batch's end alone. */
static enum so_status enqueue_tx(struct pgq *p, void *ctx,
                                 struct so_error *err)
{
    struct enqueue_ctx *e = ctx;
    struct pg_route_cache c = {0};
    PGresult *r;
    enum so_status code = pg_run(p, sql_now, NULL, &r, err);
    if (code != SO_OK)
        return code;
    struct pg_route_batch t = {e->drafts, e->rids, e->routes, e->n,
                               pg_int(r, 0, 0)};
    PQclear(r);
    for (size_t i = 0; code == SO_OK && i < e->n; i++) {
        e->routes[i] = AUTOMATE_HUMAN;
        e->rids[i] = 0;
        code = enqueue_one(p, e->drafts[i], e->replace, t.now, &c,
                           &e->routes[i], &e->rids[i], &e->results[i], err);
    }
    if (code == SO_OK)
        code = pg_route_finish(p, &c, &t, err);
    pg_route_cache_clear(&c);
    return code;
}

enum so_status pg_enqueue(struct queue *q, struct so_draft *const *drafts,
                          size_t n, unsigned flags,
                          struct so_enq_result *results, struct so_error *err)
{
    size_t m = n ? n : 1;
    struct enqueue_ctx e = {drafts, n, (flags & SO_ENQ_REPLACE) != 0, results,
                            xcalloc(m, sizeof *e.routes),
                            xcalloc(m, sizeof *e.rids)};
    enum so_status code = pg_tx(q->impl, enqueue_tx, &e, err);
    free(e.routes);
    free(e.rids);
    return code;
}

/* The text's terms (filter_terms) as a text[] literal of "%term%" LIKE
 * patterns, wildcards and the escape character escaped, each element
 * quoted for the array parser: a parameter value, never SQL. */
static char *like_patterns(const struct so_list_req *req, struct so_error *err)
{
    char **terms = NULL;
    size_t n = 0;
    if (req->text && filter_terms(req->text, &terms, &n, err) != SO_OK)
        return NULL;
    struct buf b;
    buf_init(&b);
    buf_addc(&b, '{');
    for (size_t i = 0; i < n; i++) {
        buf_adds(&b, i ? ",\"%" : "\"%");
        for (const char *t = terms[i]; *t; t++) {
            if (*t == '%' || *t == '_' || *t == '\\')
                buf_adds(&b, "\\\\"); /* LIKE's escape, escaped again */
            if (*t == '"' || *t == '\\')
                buf_addc(&b, '\\');
            buf_addc(&b, *t);
        }
        buf_adds(&b, "%\"");
    }
    buf_addc(&b, '}');
    filter_terms_free(terms, n);
    return buf_steal(&b);
}

/* $1..$8 of LIST_WHERE; *pattern is owned by the caller (NULL: the text
 * does not split into terms, err says why). */
static void filter_args(struct pg_args *a, const struct so_list_req *req,
                        char **pattern, struct so_error *err)
{
    pg_arg_text(a, req->status);
    pg_arg_text(a, req->workflow);
    pg_arg_text(a, req->model);
    if (req->conf_below >= 0)
        pg_arg_double(a, req->conf_below);
    else
        pg_arg_text(a, NULL);
    if (req->conf_atleast >= 0)
        pg_arg_double(a, req->conf_atleast);
    else
        pg_arg_text(a, NULL);
    pg_arg_int(a, req->grounding_only != 0);
    pg_arg_int(a, req->escalated_only != 0);
    *pattern = like_patterns(req, err);
    pg_arg_text(a, *pattern);
}

/* $13..$15 of LIST_WHERE. */
static void mine_args(struct pg_args *a, const struct pgq *p,
                      const struct so_list_req *req)
{
    pg_arg_int(a, req->mine != 0);
    pg_arg_text(a, p->reviewer);
    pg_arg_int(a, p->supervisor);
}

enum so_status pg_list(struct queue *q, const struct so_list_req *req,
                       struct so_draft_page *out, struct so_error *err)
{
    struct pgq *p = q->impl;
    memset(out, 0, sizeof *out);
    int limit = req->limit > 0 && req->limit <= 1000 ? req->limit : 50;
    struct store_cursor c = {0, 0, 0};
    if (store_rules_list_req(req, err) != SO_OK)
        return err->code;
    if (req->after && store_rules_cursor(req->after, &c, err) != SO_OK)
        return err->code;
    struct pg_args a = {0};
    char *pattern;
    filter_args(&a, req, &pattern, err);
    if (!pattern)
        return err->code;
    if (req->after) {
        pg_arg_int(&a, c.priority);
        pg_arg_int(&a, c.created_at);
        pg_arg_int(&a, c.rid);
    } else {
        pg_arg_text(&a, NULL);
        pg_arg_text(&a, NULL);
        pg_arg_text(&a, NULL);
    }
    pg_arg_int(&a, limit + 1);
    mine_args(&a, p, req);
    pg_arg_int(&a, req->sla);
    PGresult *r;
    enum so_status code = pg_run(p, sql_list, &a, &r, err);
    free(pattern);
    if (code != SO_OK)
        return code;
    int n = PQntuples(r);
    out->rows = xcalloc((size_t)limit, sizeof *out->rows);
    for (int i = 0; i < n && i < limit; i++) {
        struct so_draft_row *w = &out->rows[out->n++];
        w->id = pg_str(r, i, 1);
        w->workflow = pg_str(r, i, 2);
        w->model = pg_str(r, i, 3);
        w->confidence = pg_double(r, i, 4);
        w->title = pg_str(r, i, 5);
        w->priority = (int)pg_int(r, i, 6);
        w->created_at = pg_int(r, i, 7);
        w->status = (enum so_dstatus)so_dstatus_from_name(PQgetvalue(r, i, 8));
        w->claimed_by = pg_str(r, i, 9);
        w->lease_until = pg_int(r, i, 10);
        w->flags = (int)pg_int(r, i, 11) & SO_ROW_GROUNDING;
        if (w->status == SO_DS_ESCALATED)
            w->flags |= SO_ROW_ESCALATED;
        w->flags |= (int)pg_int(r, i, 15) & (SO_ROW_SLA_NEAR | SO_ROW_SLA_PAST);
        w->reviews_needed = (int)pg_int(r, i, 13);
        w->reviews_done = (int)pg_int(r, i, 14);
    }
    if (n > limit && req->sla != SO_LIST_SLA_DUE) { /* due: one page */
        struct store_cursor next = {out->rows[limit - 1].priority,
                                    out->rows[limit - 1].created_at,
                                    pg_int(r, limit - 1, 0)};
        out->next_cursor = store_rules_cursor_text(&next);
    }
    PQclear(r);
    return SO_OK;
}

enum so_status pg_count(struct queue *q, const struct so_list_req *req,
                        int64_t *n, struct so_error *err)
{
    struct pg_args a = {0};
    char *pattern;
    *n = 0;
    if (store_rules_list_req(req, err) != SO_OK)
        return err->code;
    filter_args(&a, req, &pattern, err);
    if (!pattern)
        return err->code;
    for (int i = 0; i < 4; i++)
        pg_arg_text(&a, NULL);
    mine_args(&a, q->impl, req);
    pg_arg_int(&a, req->sla);
    PGresult *r;
    enum so_status code = pg_run(q->impl, sql_count, &a, &r, err);
    free(pattern);
    if (code != SO_OK)
        return code;
    *n = pg_int(r, 0, 0);
    PQclear(r);
    return SO_OK;
}

void pg_read_decision(const PGresult *res, int r, struct so_decision *d)
{
    memset(d, 0, sizeof *d);
    d->seq = pg_int(res, r, 0);
    d->draft_id = pg_str(res, r, 1);
    d->request_id = pg_str(res, r, 2);
    d->reviewer = pg_str(res, r, 3);
    d->action = (enum so_action)so_action_from_name(PQgetvalue(res, r, 4));
    d->kind = pg_str(res, r, 5);
    d->reason = pg_str(res, r, 6);
    d->note = pg_str(res, r, 7);
    d->final_body = pg_str(res, r, 8);
    d->edit_size = pg_int(res, r, 9);
    pg_buf(res, r, 10, d->body_sha, sizeof d->body_sha);
    pg_buf(res, r, 11, d->final_sha, sizeof d->final_sha);
    d->shown_at = pg_int(res, r, 12);
    d->decided_at = pg_int(res, r, 13);
    d->active_ms = pg_int(res, r, 14);
    d->reverts_seq = pg_int(res, r, 15);
    pg_buf(res, r, 16, d->prev_hash, sizeof d->prev_hash);
    pg_buf(res, r, 17, d->hash, sizeof d->hash);
}

enum so_status pg_decisions(struct queue *q, const char *draft_id,
                            struct so_decision **out, size_t *n,
                            struct so_error *err)
{
    struct pgq *p = q->impl;
    int64_t rid;
    *out = NULL;
    *n = 0;
    enum so_status code = rid_of(p, draft_id, &rid, err);
    struct pg_args a = {0};
    PGresult *r;
    pg_arg_text(&a, draft_id);
    if (code == SO_OK)
        code = pg_run(p, sql_decisions, &a, &r, err);
    if (code != SO_OK)
        return code;
    int rows = PQntuples(r);
    *out = rows ? xcalloc((size_t)rows, sizeof **out) : NULL;
    for (int i = 0; i < rows; i++)
        pg_read_decision(r, i, &(*out)[i]);
    *n = (size_t)rows;
    PQclear(r);
    return SO_OK;
}

enum so_status pg_my_today(struct queue *q, int64_t *n, struct so_error *err)
{
    struct pgq *p = q->impl;
    struct pg_args a = {0};
    PGresult *r;
    pg_arg_text(&a, p->reviewer);
    pg_arg_int(&a, so_now_ms() / DAY_MS * DAY_MS);
    enum so_status code = pg_run(p, sql_my_today, &a, &r, err);
    if (code != SO_OK)
        return code;
    *n = pg_int(r, 0, 0);
    PQclear(r);
    return SO_OK;
}
