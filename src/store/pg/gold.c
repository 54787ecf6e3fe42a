/*
 * store_pg_gold: gold checks on the PostgreSQL store (see gold.h). The
 * rules are gold.h's and store/rules.h's; this file holds the SQL, that
 * of store/sqlite/gold.c with the workflow row locked while its share
 * toward the next gold draft moves.
 */
#include "signoff/store/pg/gold.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/draft_json.h"
#include "signoff/store/pg/workflow.h"
#include "signoff/store/rules.h"

static const char sql_taken[] =
    "SELECT (EXISTS (SELECT 1 FROM drafts WHERE id = $1)"
    " OR EXISTS (SELECT 1 FROM gold WHERE draft_id = $1))::int";

static const char sql_add[] =
    "INSERT INTO gold(draft_id, workflow, draft, expected, reasons, added_by,"
    " added_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";

/* Only a workflow mixing gold in is locked (the lock is on the rows
 * returned). NO KEY UPDATE: the enqueue's own draft insert already holds
 * the row's KEY SHARE (the drafts foreign key), as every concurrent
 * enqueue into it does; FOR UPDATE would wait on theirs while they wait
 * on this one (a deadlock). */
static const char sql_due_lock[] =
    "SELECT gold_pct, gold_due FROM workflows WHERE name = $1"
    " AND gold_pct > 0 FOR NO KEY UPDATE";

static const char sql_next[] =
    "UPDATE gold SET released_at = $2 WHERE id = (SELECT id FROM gold"
    " WHERE workflow = $1 AND released_at IS NULL ORDER BY id LIMIT 1)"
    " RETURNING draft";

static const char sql_due[] =
    "UPDATE workflows SET gold_due = $2::float8 WHERE name = $1";

static const char sql_of[] =
    "SELECT expected, reasons FROM gold WHERE draft_id = $1"
    " AND released_at IS NOT NULL";

static const char sql_answer[] =
    "INSERT INTO gold_answers(seq, draft_id, workflow, reviewer, action,"
    " reason, correct, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

static const char sql_unanswer[] = "DELETE FROM gold_answers WHERE seq = $1";

static const char sql_undelivered[] = "DELETE FROM deliveries WHERE seq = $1";

static const char sql_counts[] =
    "SELECT workflow, reviewer, count(*), sum(correct) FROM gold_answers"
    " WHERE at >= $1 AND ($2::bigint <= 0 OR at < $2)"
    " AND ($3::text IS NULL OR workflow = $3)"
    " GROUP BY workflow, reviewer ORDER BY workflow, reviewer";

/* One reason of a gold draft is one of its workflow's codes: a failure
 * goes to res (*bad set), a database error returned. */
static enum so_status reasons_ok(struct pgq *p, const struct gold_item *g,
                                 struct so_error *res, int *bad,
                                 struct so_error *err)
{
    struct so_workflow w;
    memset(&w, 0, sizeof w);
    w.name = g->draft->workflow;
    enum so_status code = pg_reasons_read(p, &w, err);
    for (const char *r = g->reasons; code == SO_OK && r && *r && !*bad;) {
        size_t n = strcspn(r, "\n");
        char *one = xstrndup(r, n);
        *bad = store_rules_reason_in(g->draft->id, &w, one, res) != SO_OK;
        free(one);
        r += n + (r[n] == '\n');
    }
    w.name = NULL;
    so_workflow_clear(&w);
    return code;
}

/* One item's checks; a failure goes to res, a database error returned. */
static enum so_status add_one(struct pgq *p, const struct gold_item *g,
                              struct so_enq_result *res, struct so_error *err)
{
    const struct so_draft *d = g->draft;
    memset(res, 0, sizeof *res);
    res->outcome = SO_ENQ_FAILED;
    if (store_rules_gold(g, &res->err) != SO_OK)
        return SO_OK;
    struct pg_args a = {0};
    int64_t taken = 0;
    pg_arg_text(&a, d->id);
    enum so_status code = pg_one_int(p, sql_taken, &a, &taken, NULL, err);
    if (code != SO_OK)
        return code;
    if (taken) {
        so_fail(&res->err, SO_ERR_CONFLICT,
                "draft.id: %s is already a draft or a gold draft", d->id);
        return SO_OK;
    }
    int bad = 0;
    code = reasons_ok(p, g, &res->err, &bad, err);
    if (code == SO_OK && !bad)
        code = pg_workflow_ensure_for(p, d, "gold", err);
    if (code != SO_OK || bad)
        return code;
    char *json = draft_to_json(d, 0);
    struct pg_args b = {0};
    pg_arg_text(&b, d->id);
    pg_arg_text(&b, d->workflow);
    pg_arg_text(&b, json);
    pg_arg_text(&b, so_action_name(g->expected));
    pg_arg_text(&b, g->reasons);
    pg_arg_text(&b, p->reviewer);
    pg_arg_int(&b, so_now_ms());
    code = pg_run(p, sql_add, &b, NULL, err);
    free(json);
    if (code == SO_OK)
        res->outcome = SO_ENQ_ADDED;
    return code;
}

struct add_ctx {
    const struct gold_item *items;
    size_t n;
    struct so_enq_result *results;
};

static enum so_status add_tx(struct pgq *p, void *ctx, struct so_error *err)
{
    struct add_ctx *c = ctx;
    enum so_status code = SO_OK;
    for (size_t i = 0; code == SO_OK && i < c->n; i++)
        code = add_one(p, &c->items[i], &c->results[i], err);
    return code;
}

enum so_status pg_gold_add(struct queue *q, const struct gold_item *items,
                           size_t n, struct so_enq_result *results,
                           struct so_error *err)
{
    struct add_ctx c = {items, n, results};
    return pg_tx(q->impl, add_tx, &c, err);
}

enum so_status pg_gold_mix(struct pgq *p, const char *workflow, double pct,
                           int64_t now, struct so_draft **out,
                           struct so_error *err)
{
    *out = NULL;
    if (pct <= 0)
        return SO_OK;
    struct pg_args a = {0};
    PGresult *r;
    pg_arg_text(&a, workflow);
    enum so_status code = pg_run(p, sql_due_lock, &a, &r, err);
    if (code != SO_OK)
        return code;
    int rows = PQntuples(r);
    double due = rows ? pg_double(r, 0, 1) : 0;
    pct = rows ? pg_double(r, 0, 0) : 0; /* as it is now, row locked */
    PQclear(r);
    if (!rows)
        return SO_OK;
    char *json = NULL;
    if (gold_due_step(&due, pct)) {
        struct pg_args b = {0};
        pg_arg_text(&b, workflow);
        pg_arg_int(&b, now);
        code = pg_run(p, sql_next, &b, &r, err);
        if (code != SO_OK)
            return code;
        json = PQntuples(r) ? pg_str(r, 0, 0) : NULL;
        PQclear(r);
    }
    if (json && draft_from_jsonl(json, strlen(json), out, err) != SO_OK)
        code = so_fail(err, SO_ERR_CORRUPT, "gold draft of %s: %s", workflow,
                       err->msg);
    free(json);
    struct pg_args c = {0};
    pg_arg_text(&c, workflow);
    pg_arg_double(&c, due);
    if (code == SO_OK)
        code = pg_run(p, sql_due, &c, NULL, err);
    return code;
}

enum so_status pg_gold_of(struct pgq *p, const char *draft_id,
                          struct store_gold_key *k, struct so_error *err)
{
    memset(k, 0, sizeof *k);
    struct pg_args a = {0};
    PGresult *r;
    pg_arg_text(&a, draft_id);
    enum so_status code = pg_run(p, sql_of, &a, &r, err);
    if (code != SO_OK)
        return code;
    if (PQntuples(r)) {
        k->gold = 1;
        k->expected = (enum so_action)so_action_from_name(PQgetvalue(r, 0, 0));
        k->reasons = pg_str(r, 0, 1);
    }
    PQclear(r);
    return SO_OK;
}

enum so_status pg_gold_answer(struct pgq *p, const struct so_decision *d,
                              const char *workflow,
                              const struct store_gold_key *k,
                              struct so_error *err)
{
    struct pg_args a = {0};
    pg_arg_int(&a, d->seq);
    pg_arg_text(&a, d->draft_id);
    pg_arg_text(&a, workflow);
    pg_arg_text(&a, d->reviewer);
    pg_arg_text(&a, so_action_name(d->action));
    pg_arg_text(&a, d->reason);
    pg_arg_int(&a, gold_correct(k->expected, k->reasons, d->action,
                                d->reason));
    pg_arg_int(&a, d->decided_at);
    enum so_status code = pg_run(p, sql_answer, &a, NULL, err);
    return code == SO_OK ? pg_gold_undelivered(p, d->seq, err) : code;
}

/* Run sql with the one parameter seq. */
static enum so_status by_seq(struct pgq *p, const char *sql, int64_t seq,
                             struct so_error *err)
{
    struct pg_args a = {0};
    pg_arg_int(&a, seq);
    return pg_run(p, sql, &a, NULL, err);
}

enum so_status pg_gold_undelivered(struct pgq *p, int64_t seq,
                                   struct so_error *err)
{
    return by_seq(p, sql_undelivered, seq, err);
}

enum so_status pg_gold_unanswer(struct pgq *p, int64_t seq,
                                struct so_error *err)
{
    return by_seq(p, sql_unanswer, seq, err);
}

enum so_status pg_gold_counts(struct pgq *p, const struct so_stats_req *req,
                              struct so_rollup *out, struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    pg_arg_int(&a, req->since_ms);
    pg_arg_int(&a, req->until_ms);
    pg_arg_text(&a, req->workflow);
    enum so_status code = pg_run(p, sql_counts, &a, &r, err);
    if (code != SO_OK)
        return code;
    int rows = PQntuples(r);
    out->golds = rows ? xcalloc((size_t)rows, sizeof *out->golds) : NULL;
    for (int i = 0; i < rows; i++) {
        struct so_gold_count *g = &out->golds[out->ngolds++];
        g->workflow = pg_str(r, i, 0);
        g->reviewer = pg_str(r, i, 1);
        g->decided = pg_int(r, i, 2);
        g->correct = pg_int(r, i, 3);
    }
    PQclear(r);
    return SO_OK;
}
