/*
 * store_enqueue: validate and insert drafts with their citations. Each
 * batch is one BEGIN IMMEDIATE transaction: a bad draft is reported in its
 * result and the others still land; a database error rolls the whole batch
 * back. Must not change drafts that are claimed or decided.
 */
#include "signoff/store/sqlite/enqueue.h"

#include <string.h>

#include "signoff/draft_json.h"
#include "signoff/grounding.h"
#include "signoff/store/rules.h"
#include "signoff/store/sqlite/chain.h"
#include "signoff/store/sqlite/db.h"
#include "signoff/store/sqlite/gold.h"
#include "signoff/store/sqlite/route.h"
#include "signoff/store/sqlite/workflow.h"

#define DRAFT_VALUES                                                           \
    "workflow = :wf, model = :model, confidence = :conf, band = :band,"        \
    " title = :title, input = :input, body = :body, priority = :prio,"         \
    " metadata = :meta, content_sha = :sha, flags = :flags, route = :route,"    \
    " cost_micros = :cost, currency = :cur, tokens = :tok, latency_ms = :lat"

/* A pending four-eyes draft with a review is "under review": replacing
 * its text would leave that review about other words. */
static const char sql_find[] =
    "SELECT rid, content_sha, CASE WHEN status = 'pending'"
    " AND reviews_done > 0 THEN 'under review' ELSE status END"
    " FROM drafts WHERE id = :id";

static const char sql_insert[] =
    "INSERT INTO drafts(id, workflow, model, confidence, band, title, input,"
    " body, priority, metadata, content_sha, flags, route, cost_micros,"
    " currency, tokens, latency_ms, reviews_needed,"
    " created_at, status, final_action, decided_at) VALUES (:id, :wf, :model,"
    " :conf, :band, :title, :input, :body, :prio, :meta, :sha, :flags, :route,"
    " :cost, :cur, :tok, :lat,"
    " (SELECT reviews FROM workflows WHERE name = :wf), :now,"
    " CASE :route WHEN 1 THEN 'decided' ELSE 'pending' END,"
    " CASE :route WHEN 1 THEN 'approve' END, CASE :route WHEN 1 THEN :now END)"
    " RETURNING rid";

static const char sql_replace[] =
    "UPDATE drafts SET " DRAFT_VALUES ","
    " reviews_needed = (SELECT reviews FROM workflows WHERE name = :wf)"
    " WHERE rid = :rid";

static const char sql_drop_citations[] =
    "DELETE FROM citations WHERE draft = :rid";

static const char sql_citation[] =
    "INSERT INTO citations(draft, ord, n, title, uri, excerpt, quote)"
    " VALUES (:rid, :ord, :n, :title, :uri, :excerpt, :quote)";

static const char sql_currency[] =
    "SELECT coalesce((SELECT currency FROM workflows WHERE name = :wf),"
    " '" SO_DEFAULT_CURRENCY "')";

/* A reported cost must be in the workflow's currency (store_rules). */
static enum so_status check_cost(struct store *s, const struct so_draft *d,
                                 struct so_enq_result *res,
                                 struct so_error *err)
{
    if (d->cost_micros < 0)
        return SO_OK;
    sqlite3_stmt *st = store_db_stmt(s, sql_currency, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":wf", d->workflow);
    char cur[4] = "";
    enum so_status code = store_db_step(s, st, "enqueue", err);
    if (code == SO_OK)
        store_db_col_buf(st, 0, cur, sizeof cur);
    code = store_db_finish(s, st, code, err);
    if (code == SO_OK &&
        store_rules_draft_cost(d, cur[0] ? cur : NULL, &res->err) != SO_OK)
        res->outcome = SO_ENQ_FAILED;
    return code;
}

static void bind_draft(sqlite3_stmt *st, const struct so_draft *d,
                       const char *sha, enum automate_route route, int64_t now)
{
    struct grounding g;
    grounding_check(d, &g);
    int flags = grounding_row_flags(&g);
    grounding_clear(&g);
    store_db_bind_text(st, ":id", d->id);
    store_db_bind_text(st, ":wf", d->workflow);
    store_db_bind_text(st, ":model", d->model);
    if (d->confidence >= 0)
        store_db_bind_double(st, ":conf", d->confidence);
    store_db_bind_int(st, ":band", so_conf_band(d->confidence));
    store_db_bind_text(st, ":title", d->title);
    store_db_bind_text(st, ":input", d->input);
    store_db_bind_text(st, ":body", d->body);
    store_db_bind_int(st, ":prio", d->priority);
    store_db_bind_text(st, ":meta", d->metadata_json);
    store_db_bind_text(st, ":sha", sha);
    store_db_bind_int(st, ":flags", flags);
    store_db_bind_int(st, ":route", route);
    store_db_bind_int(st, ":now", now);
    if (d->cost_micros >= 0) {
        store_db_bind_int(st, ":cost", d->cost_micros);
        store_db_bind_text(st, ":cur", d->currency);
    }
    if (d->tokens >= 0)
        store_db_bind_int(st, ":tok", d->tokens);
    if (d->latency_ms >= 0)
        store_db_bind_int(st, ":lat", d->latency_ms);
}

static enum so_status add_citations(struct store *s, int64_t rid,
                                    const struct so_draft *d,
                                    struct so_error *err)
{
    enum so_status code = SO_OK;
    for (size_t i = 0; code == SO_OK && i < d->ncitations; i++) {
        const struct so_citation *c = &d->citations[i];
        sqlite3_stmt *st = store_db_stmt(s, sql_citation, err);
        if (!st)
            return err->code;
        store_db_bind_int(st, ":rid", rid);
        store_db_bind_int(st, ":ord", (int64_t)i);
        store_db_bind_int(st, ":n", c->n);
        store_db_bind_text(st, ":title", c->title);
        store_db_bind_text(st, ":uri", c->uri);
        store_db_bind_text(st, ":excerpt", c->excerpt);
        store_db_bind_text(st, ":quote", c->quote);
        code = store_db_run(s, st, err);
    }
    return code;
}

static enum so_status insert_draft(struct store *s, const struct so_draft *d,
                                   const char *sha, enum automate_route route,
                                   int64_t now, int64_t *rid_out,
                                   struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_insert, err);
    if (!st)
        return err->code;
    bind_draft(st, d, sha, route, now);
    if (sqlite3_step(st) != SQLITE_ROW) {
        enum so_status code = store_db_fail(s, "enqueue", err);
        sqlite3_reset(st);
        return code;
    }
    int64_t rid = sqlite3_column_int64(st, 0);
    *rid_out = rid;
    enum so_status code = store_db_done(s, st, err);
    return code == SO_OK ? add_citations(s, rid, d, err) : code;
}

static enum so_status replace_draft(struct store *s, int64_t rid,
                                    const struct so_draft *d, const char *sha,
                                    enum automate_route route, int64_t now,
                                    struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_replace, err);
    if (!st)
        return err->code;
    bind_draft(st, d, sha, route, now);
    store_db_bind_int(st, ":rid", rid);
    enum so_status code = store_db_run(s, st, err);
    if (code != SO_OK)
        return code;
    st = store_db_stmt(s, sql_drop_citations, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":rid", rid);
    code = store_db_run(s, st, err);
    return code == SO_OK ? add_citations(s, rid, d, err) : code;
}

struct existing {
    int64_t rid; /* 0: new id */
    char sha[65];
    char status[16];
};

static enum so_status find(struct store *s, const char *id, struct existing *ex,
                           struct so_error *err)
{
    memset(ex, 0, sizeof *ex);
    sqlite3_stmt *st = store_db_stmt(s, sql_find, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":id", id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        ex->rid = sqlite3_column_int64(st, 0);
        store_db_col_buf(st, 1, ex->sha, sizeof ex->sha);
        store_db_col_buf(st, 2, ex->status, sizeof ex->status);
    } else if (rc != SQLITE_DONE) {
        enum so_status code = store_db_fail(s, "enqueue", err);
        sqlite3_reset(st);
        return code;
    }
    return store_db_done(s, st, err);
}

/* Gold checks (gold.h): after a new draft routed to people, p's share
 * grows by its rate; when one is due, the next gold draft of the pool
 * joins the human queue right behind it, a draft like any other. */
static enum so_status mix_gold(struct store *s, struct store_route_policy *p,
                               int64_t now, struct so_error *err)
{
    if (p->gold_pct <= 0)
        return SO_OK;
    int due = gold_due_step(&p->gold_due, p->gold_pct);
    struct so_draft *g = NULL;
    enum so_status code =
        due ? store_gold_release(s, p->workflow, now, &g, err) : SO_OK;
    if (code == SO_OK && g) {
        char sha[65];
        int64_t rid;
        draft_content_sha(g, sha);
        code = insert_draft(s, g, sha, AUTOMATE_HUMAN, now, &rid, err);
    }
    so_draft_free(g);
    return code == SO_OK ? store_gold_due_save(s, p->workflow, p->gold_due, err)
                         : code;
}

/* One draft: its outcome in *res; a database error is returned. Its route
 * under the workflow's automation policy (c) is stored with it, and a
 * draft routed to automatic approval is decided here. */
static enum so_status enqueue_one(struct store *s, const struct so_draft *d,
                                  int replace, struct store_route_cache *c,
                                  struct store_route_batch *b,
                                  struct so_enq_result *res,
                                  struct so_error *err)
{
    struct existing ex;
    char sha[65];
    memset(res, 0, sizeof *res);
    if (store_rules_draft(d, &res->err) != SO_OK) {
        res->outcome = SO_ENQ_FAILED;
        return SO_OK;
    }
    draft_content_sha(d, sha);
    enum so_status code = find(s, d->id, &ex, err);
    if (code != SO_OK)
        return code;
    if (ex.rid && strcmp(ex.sha, sha) == 0) {
        res->outcome = SO_ENQ_SAME;
        return SO_OK;
    }
    if (ex.rid && !(replace && strcmp(ex.status, "pending") == 0)) {
        res->outcome = SO_ENQ_FAILED;
        if (replace)
            so_fail(&res->err, SO_ERR_CONFLICT,
                    "id: already %s: only a pending draft can be replaced",
                    ex.status);
        else
            so_fail(&res->err, SO_ERR_CONFLICT,
                    "id: already queued with other content (only a "
                    "pending draft can be replaced)");
        return SO_OK;
    }
    code = check_cost(s, d, res, err);
    if (code == SO_OK && res->outcome != SO_ENQ_FAILED)
        code = store_workflow_ensure_for(s, d, "enqueue", err);
    if (code != SO_OK || res->outcome == SO_ENQ_FAILED)
        return code;
    enum automate_route route;
    code = store_route_of(s, c, d, &route, err);
    if (code != SO_OK)
        return code;
    res->outcome = ex.rid ? SO_ENQ_REPLACED : SO_ENQ_ADDED;
    int64_t rid = ex.rid, now = so_now_ms();
    code = ex.rid ? replace_draft(s, ex.rid, d, sha, route, now, err)
                  : insert_draft(s, d, sha, route, now, &rid, err);
    /* A new draft routed to auto was inserted decided; its record comes
     * with the batch's (store_route_finish), which marks a replaced one. */
    if (code == SO_OK && route == AUTOMATE_AUTO)
        store_route_defer(b, c, d, ex.rid ? rid : 0, now);
    else if (code == SO_OK && !ex.rid)
        code = mix_gold(s, c->last, now, err);
    return code;
}

enum so_status store_enqueue(struct queue *q, struct so_draft *const *drafts,
                             size_t n, unsigned flags,
                             struct so_enq_result *results,
                             struct so_error *err)
{
    struct store *s = q->impl;
    int replace = (flags & SO_ENQ_REPLACE) != 0;
    if (flags & SO_ENQ_MORE)
        store_db_durable(s, 0);
    struct store_route_cache c = {0};
    struct store_route_batch b = {0};
    enum so_status code = store_db_begin(s, err);
    if (code == SO_OK)
        store_chain_run_begin(s);
    for (size_t i = 0; code == SO_OK && i < n; i++)
        code = enqueue_one(s, drafts[i], replace, &c, &b, &results[i], err);
    if (code == SO_OK)
        code = store_route_finish(s, &b, err);
    store_route_batch_clear(&b);
    store_route_cache_clear(&c);
    if (code == SO_OK)
        code = store_chain_run_end(s, 1, err);
    else
        store_chain_run_end(s, 0, NULL);
    if (code == SO_OK)
        code = store_db_commit(s, err);
    else
        store_db_rollback(s);
    if (flags & SO_ENQ_MORE)
        store_db_durable(s, 1);
    return code;
}
