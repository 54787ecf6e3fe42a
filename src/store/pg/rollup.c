/*
 * store_pg_rollup: the sharded counters of the PostgreSQL store (see
 * rollup.h). A write is one upsert per table into this connection's
 * shard; a read groups the shards away. Names are sorted with COLLATE "C"
 * (strcmp's order, as SQLite's BINARY), so the histogram rows merge into
 * the cells in one pass and the figures come out in SQLite's order.
 */
#include "signoff/store/pg/rollup.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/automate.h"
#include "signoff/store/pg/gold.h"
#include "signoff/store/pg/workflow.h"

#define DAY_MS 86400000LL

#define COST_NAME(c) ", " #c
#define COST_SET(c) ", " #c " = rollup." #c " + excluded." #c
/* $6..$12 the counts and sums, then one parameter per cost column. */
static const char sql_bump[] =
    "INSERT INTO rollup(day, workflow, model, reviewer, band, shard, approved,"
    " edited, rejected, escalated, fast_approvals, active_ms_sum,"
    " edit_words_sum" SO_ROLLUP_COST_LIST(COST_NAME) ") VALUES ($1, $2, $3,"
    " $4, $5, " PG_SHARD ", $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,"
    " $16, $17, $18, $19, $20, $21, $22, $23) ON CONFLICT (day, workflow,"
    " model, reviewer, band, shard) DO UPDATE SET"
    " approved = rollup.approved + excluded.approved,"
    " edited = rollup.edited + excluded.edited,"
    " rejected = rollup.rejected + excluded.rejected,"
    " escalated = rollup.escalated + excluded.escalated,"
    " fast_approvals = rollup.fast_approvals + excluded.fast_approvals,"
    " active_ms_sum = rollup.active_ms_sum + excluded.active_ms_sum,"
    " edit_words_sum = rollup.edit_words_sum + excluded.edit_words_sum"
    SO_ROLLUP_COST_LIST(COST_SET);
_Static_assert(STORE_COST_COUNT == 11, "sql_bump: one parameter per cost");

/* Reviewing time of the draft's live reviews so far (the deciding record,
 * not appended yet, adds its own), as SQLite counts up to its seq. */
static const char sql_review_time[] =
    "SELECT coalesce(sum(x.active_ms), 0) FROM decisions x"
    " WHERE x.draft = $1 AND x.action <> 'revert'"
    " AND x.kind <> 'action' AND x.kind <> 'admin'"
    " AND NOT EXISTS (SELECT 1 FROM decisions r WHERE r.reverts_seq = x.seq"
    " AND r.reverts_seq > 0)";

static const char sql_rate[] =
    "SELECT hourly_rate, sla_ms FROM workflows WHERE name = $1";

static const char sql_task_keep[] =
    "UPDATE outcomes SET human_ms = $2, human_cost = $3, sla_missed = $4"
    " WHERE seq = $1";

static const char sql_task_read[] =
    "SELECT human_ms, human_cost, sla_missed FROM outcomes WHERE seq = $1";

/* The key of the cell an outcome was counted in, and the draft's age. */
static const char sql_acted_key[] =
    "SELECT d.decided_at, dr.workflow, dr.model, d.reviewer, dr.confidence,"
    " dr.created_at, dr.route FROM decisions d JOIN drafts dr"
    " ON dr.id = d.draft WHERE d.seq = $1";

static const char sql_hist[] =
    "INSERT INTO rollup_hist(day, workflow, model, reviewer, band, metric,"
    " bucket, shard, count) VALUES ($1, $2, $3, $4, $5, $6, $7, " PG_SHARD
    ", $8) ON CONFLICT (day, workflow, model, reviewer, band, metric, bucket,"
    " shard) DO UPDATE SET count = rollup_hist.count + excluded.count";

static const char sql_reason[] =
    "INSERT INTO rollup_reasons(day, workflow, reason, shard, count)"
    " VALUES ($1, $2, $3, " PG_SHARD ", $4) ON CONFLICT (day, workflow,"
    " reason, shard) DO UPDATE SET count = rollup_reasons.count"
    " + excluded.count";

static const char sql_rule[] =
    "SELECT auto_pause, paused, threshold, window_ms, min_decisions"
    " FROM workflows WHERE name = $1";

static const char sql_window[] =
    "SELECT coalesce(sum(approved), 0), coalesce(sum(edited + rejected), 0)"
    " FROM rollup WHERE workflow = $1 AND day >= $2 AND day <= $3";

/* $1 d0, $2 d1 (days [d0, d1)), $3 workflow (NULL: all), $4 fold the
 * model, $5 fold the reviewer. */
#define RANGE                                                                  \
    " WHERE day >= $1 AND day < $2 AND ($3::text IS NULL OR workflow = $3)"
#define CELL_KEY                                                               \
    "day, workflow COLLATE \"C\" AS wf,"                                       \
    " (CASE WHEN $4::int = 1 THEN '' ELSE model END) COLLATE \"C\" AS m,"      \
    " (CASE WHEN $5::int = 1 THEN '' ELSE reviewer END) COLLATE \"C\" AS r,"   \
    " band"

#define COST_SUM(c) ", sum(" #c ")"
static const char sql_cells[] =
    "SELECT " CELL_KEY ", sum(approved), sum(edited), sum(rejected),"
    " sum(escalated), sum(fast_approvals), sum(active_ms_sum),"
    " sum(edit_words_sum)" SO_ROLLUP_COST_LIST(COST_SUM) " FROM rollup" RANGE
    " GROUP BY day, wf, m, r, band"
    " HAVING sum(approved + edited + rejected + escalated) > 0"
    " ORDER BY day, wf, m, r, band";

static const char sql_hists[] =
    "SELECT " CELL_KEY ", metric, bucket, sum(count) FROM rollup_hist" RANGE
    " GROUP BY day, wf, m, r, band, metric, bucket"
    " ORDER BY day, wf, m, r, band, metric, bucket";

static const char sql_reasons[] =
    "SELECT workflow COLLATE \"C\" AS wf, reason COLLATE \"C\" AS rs,"
    " sum(count) AS n FROM rollup_reasons" RANGE
    " AND $4::int IS NOT NULL AND $5::int IS NOT NULL"
    " GROUP BY wf, rs HAVING sum(count) > 0 ORDER BY wf, n DESC, rs";

static const char SNAPSHOT[] =
    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";

static void key_args(struct pg_args *a, const struct store_rollup_entry *e)
{
    pg_arg_int(a, e->decided_at / DAY_MS);
    pg_arg_text(a, e->workflow);
    pg_arg_text(a, e->model ? e->model : "");
    pg_arg_text(a, e->reviewer);
    pg_arg_int(a, so_conf_band(e->confidence));
}

static enum so_status bump_hist(struct pgq *p,
                                const struct store_rollup_entry *e,
                                const char *metric, int64_t value, int sign,
                                struct so_error *err)
{
    struct pg_args a = {0};
    key_args(&a, e);
    pg_arg_text(&a, metric);
    pg_arg_int(&a, so_hist_bucket(value));
    pg_arg_int(&a, sign);
    return pg_run(p, sql_hist, &a, NULL, err);
}

enum so_status pg_rollup_apply(struct pgq *p, const struct store_rollup_entry *e,
                               int sign, struct so_error *err)
{
    struct pg_args a = {0};
    key_args(&a, e);
    pg_arg_int(&a, e->action == SO_ACT_APPROVE ? sign : 0);
    pg_arg_int(&a, e->action == SO_ACT_EDIT ? sign : 0);
    pg_arg_int(&a, e->action == SO_ACT_REJECT ? sign : 0);
    pg_arg_int(&a, e->action == SO_ACT_ESCALATE ? sign : 0);
    pg_arg_int(&a, store_rules_is_fast(e) ? sign : 0);
    pg_arg_int(&a, sign * e->active_ms);
    pg_arg_int(&a, sign * e->edit_size);
    for (int i = 0; i < STORE_COST_COUNT; i++)
        pg_arg_int(&a, sign * e->cost[i]);
    enum so_status code = pg_run(p, sql_bump, &a, NULL, err);
    for (const char *m = STORE_ROLLUP_HISTS; code == SO_OK && *m; m++) {
        char metric[2] = {*m, '\0'};
        int64_t v;
        if (store_rules_rollup_hist(e, *m, &v))
            code = bump_hist(p, e, metric, v, sign, err);
    }
    if (code == SO_OK && e->action == SO_ACT_REJECT && e->reason &&
        *e->reason) {
        struct pg_args r = {0};
        pg_arg_int(&r, e->decided_at / DAY_MS);
        pg_arg_text(&r, e->workflow);
        pg_arg_text(&r, e->reason);
        pg_arg_int(&r, sign);
        code = pg_run(p, sql_reason, &r, NULL, err);
    }
    return code;
}

enum so_status pg_rollup_task(struct pgq *p, const struct so_draft *dr,
                              int64_t active_ms, struct store_rollup_entry *e,
                              struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    int64_t ms = 0;
    pg_arg_text(&a, dr->id);
    enum so_status code = pg_one_int(p, sql_review_time, &a, &ms, NULL, err);
    if (code != SO_OK)
        return code;
    struct pg_args w = {0};
    pg_arg_text(&w, dr->workflow);
    code = pg_run(p, sql_rate, &w, &r, err);
    if (code != SO_OK)
        return code;
    double rate = PQntuples(r) ? pg_double(r, 0, 0) : 0;
    int64_t sla = PQntuples(r) ? pg_int(r, 0, 1) : 0;
    PQclear(r);
    store_rules_rollup_task(dr, ms + active_ms, rate, sla, e);
    return SO_OK;
}

enum so_status pg_rollup_task_keep(struct pgq *p, int64_t seq,
                                   const struct store_rollup_entry *e,
                                   struct so_error *err)
{
    struct pg_args a = {0};
    int64_t ms, cost, missed;
    store_rules_task_kept(e, &ms, &cost, &missed);
    pg_arg_int(&a, seq);
    pg_arg_int(&a, ms);
    pg_arg_int(&a, cost);
    pg_arg_int(&a, missed);
    return pg_run(p, sql_task_keep, &a, NULL, err);
}

enum so_status pg_rollup_task_recall(struct pgq *p, int64_t seq,
                                     const struct so_draft *dr,
                                     struct store_rollup_entry *e,
                                     struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    pg_arg_int(&a, seq);
    enum so_status code = pg_run(p, sql_task_read, &a, &r, err);
    if (code != SO_OK)
        return code;
    int found = PQntuples(r) > 0;
    store_rules_rollup_recall(dr, found ? pg_int(r, 0, 0) : 0,
                              found ? pg_int(r, 0, 1) : 0,
                              found ? pg_int(r, 0, 2) : -1, e);
    PQclear(r);
    return SO_OK;
}

enum so_status pg_rollup_acted(struct pgq *p, int64_t seq, int64_t at,
                               struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    pg_arg_int(&a, seq);
    enum so_status code = pg_run(p, sql_acted_key, &a, &r, err);
    if (code != SO_OK || !PQntuples(r)) {
        if (code == SO_OK)
            PQclear(r);
        return code;
    }
    struct store_rollup_entry e;
    const char *model = PQgetisnull(r, 0, 2) ? NULL : PQgetvalue(r, 0, 2);
    double confidence = PQgetisnull(r, 0, 4) ? -1 : pg_double(r, 0, 4);
    if (store_rules_rollup_acted(pg_int(r, 0, 0), PQgetvalue(r, 0, 1), model,
                                 PQgetvalue(r, 0, 3), confidence,
                                 pg_int(r, 0, 5),
                                 pg_int(r, 0, 6) == AUTOMATE_AUTO, at, &e))
        code = pg_rollup_apply(p, &e, 1, err);
    PQclear(r);
    return code;
}

enum so_status pg_rollup_autopause(struct pgq *p, const char *workflow,
                                   int64_t now, struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    pg_arg_text(&a, workflow);
    enum so_status code = pg_run(p, sql_rule, &a, &r, err);
    if (code != SO_OK)
        return code;
    int on = PQntuples(r) && pg_int(r, 0, 0) && !pg_int(r, 0, 1);
    double threshold = on ? pg_double(r, 0, 2) : 0;
    int64_t window_ms = on ? pg_int(r, 0, 3) : 0;
    int min = on ? (int)pg_int(r, 0, 4) : 0;
    PQclear(r);
    if (!on)
        return SO_OK;
    int64_t d0, d1;
    store_rules_window_days(now, window_ms, &d0, &d1);
    pg_arg_int(&a, d0);
    pg_arg_int(&a, d1);
    code = pg_run(p, sql_window, &a, &r, err);
    if (code != SO_OK)
        return code;
    int64_t approved = pg_int(r, 0, 0), overrides = pg_int(r, 0, 1);
    PQclear(r);
    char reason[128];
    if (!store_rules_autopause(threshold, min, approved, overrides, reason))
        return pg_workflow_autopause_sampled(p, workflow, err);
    return pg_workflow_flip(p, workflow, 1, reason, "signoff", err);
}

struct read_ctx {
    const struct so_stats_req *req;
    struct so_rollup *out;
};

static void range_args(struct pg_args *a, const struct so_stats_req *req)
{
    int64_t d0, d1;
    store_rules_stats_days(req, so_now_ms(), &d0, &d1);
    pg_arg_int(a, d0);
    pg_arg_int(a, d1);
    pg_arg_text(a, req->workflow);
    pg_arg_int(a, (req->fold & SO_FOLD_MODEL) != 0);
    pg_arg_int(a, (req->fold & SO_FOLD_REVIEWER) != 0);
}

static void read_cell(const PGresult *r, int i, struct so_rollup_row *w)
{
    memset(w, 0, sizeof *w);
    w->day = pg_int(r, i, 0);
    w->workflow = pg_str(r, i, 1);
    w->model = PQgetvalue(r, i, 2)[0] ? pg_str(r, i, 2) : NULL;
    w->reviewer = pg_str(r, i, 3);
    w->band = (int)pg_int(r, i, 4);
    w->approved = pg_int(r, i, 5);
    w->edited = pg_int(r, i, 6);
    w->rejected = pg_int(r, i, 7);
    w->escalated = pg_int(r, i, 8);
    w->fast_approvals = pg_int(r, i, 9);
    w->active_ms_sum = pg_int(r, i, 10);
    w->edit_words_sum = pg_int(r, i, 11);
    int col = 12;
#define COST_READ(c) w->c = pg_int(r, i, col++);
    SO_ROLLUP_COST_LIST(COST_READ)
#undef COST_READ
}

static int cmp_int(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

/* Order of cell w against the key in the first columns of row i. */
static int cell_cmp(const struct so_rollup_row *w, const PGresult *r, int i)
{
    int c = cmp_int(w->day, pg_int(r, i, 0));
    if (!c)
        c = strcmp(w->workflow, PQgetvalue(r, i, 1));
    if (!c)
        c = strcmp(w->model ? w->model : "", PQgetvalue(r, i, 2));
    if (!c)
        c = strcmp(w->reviewer, PQgetvalue(r, i, 3));
    return c ? c : cmp_int(w->band, pg_int(r, i, 4));
}

/* The histogram rows (in key order) merged into the cells (the same). */
static void merge_hists(const PGresult *r, struct so_rollup *out)
{
    size_t k = 0;
    int rows = PQntuples(r);
    for (int i = 0; i < rows && k < out->n; i++) {
        int c = -1;
        while (k < out->n && (c = cell_cmp(&out->rows[k], r, i)) < 0)
            k++;
        int b = (int)pg_int(r, i, 6);
        if (c != 0 || b < 0 || b >= SO_HIST_BUCKETS)
            continue;
        struct so_rollup_row *w = &out->rows[k];
        char metric = PQgetvalue(r, i, 5)[0];
        int64_t *hist = metric == 'e'   ? w->edit_hist
                        : metric == 't' ? w->time_hist
                        : metric == 'd' ? w->decision_hist
                        : metric == 'a' ? w->action_hist
                                        : NULL;
        if (hist)
            hist[b] = pg_int(r, i, 7);
    }
}

static void read_reasons(const PGresult *r, struct so_rollup *out)
{
    int rows = PQntuples(r);
    out->reasons = rows ? xcalloc((size_t)rows, sizeof *out->reasons) : NULL;
    for (int i = 0; i < rows; i++) {
        struct so_reason_count *c = &out->reasons[out->nreasons++];
        c->workflow = pg_str(r, i, 0);
        c->reason = pg_str(r, i, 1);
        c->count = pg_int(r, i, 2);
    }
}

static enum so_status read_tx(struct pgq *p, void *ctx, struct so_error *err)
{
    struct read_ctx *x = ctx;
    struct pg_args a = {0};
    PGresult *r;
    so_rollup_free(x->out);
    memset(x->out, 0, sizeof *x->out);
    range_args(&a, x->req);
    enum so_status code = pg_cmd(p, SNAPSHOT, err);
    if (code == SO_OK)
        code = pg_run(p, sql_cells, &a, &r, err);
    if (code != SO_OK)
        return code;
    int rows = PQntuples(r);
    x->out->rows = rows ? xcalloc((size_t)rows, sizeof *x->out->rows) : NULL;
    for (int i = 0; i < rows; i++)
        read_cell(r, i, &x->out->rows[x->out->n++]);
    PQclear(r);
    code = pg_run(p, sql_hists, &a, &r, err);
    if (code != SO_OK)
        return code;
    merge_hists(r, x->out);
    PQclear(r);
    code = pg_run(p, sql_reasons, &a, &r, err);
    if (code != SO_OK)
        return code;
    read_reasons(r, x->out);
    PQclear(r);
    return pg_gold_counts(p, x->req, x->out, err);
}

enum so_status pg_rollup(struct queue *q, const struct so_stats_req *req,
                         struct so_rollup *out, struct so_error *err)
{
    struct read_ctx x = {req, out};
    memset(out, 0, sizeof *out);
    enum so_status code = pg_tx(q->impl, read_tx, &x, err);
    if (code != SO_OK)
        so_rollup_free(out);
    return code;
}
