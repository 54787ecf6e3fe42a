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

#include "signoff/store/pg/workflow.h"

#define DAY_MS 86400000LL

static const char sql_bump[] =
    "INSERT INTO rollup(day, workflow, model, reviewer, band, shard, approved,"
    " edited, rejected, escalated, fast_approvals, active_ms_sum,"
    " edit_words_sum) VALUES ($1, $2, $3, $4, $5, " PG_SHARD ", $6, $7, $8,"
    " $9, $10, $11, $12) ON CONFLICT (day, workflow, model, reviewer, band,"
    " shard) DO UPDATE SET approved = rollup.approved + excluded.approved,"
    " edited = rollup.edited + excluded.edited,"
    " rejected = rollup.rejected + excluded.rejected,"
    " escalated = rollup.escalated + excluded.escalated,"
    " fast_approvals = rollup.fast_approvals + excluded.fast_approvals,"
    " active_ms_sum = rollup.active_ms_sum + excluded.active_ms_sum,"
    " edit_words_sum = rollup.edit_words_sum + excluded.edit_words_sum";

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

static const char sql_cells[] =
    "SELECT " CELL_KEY ", sum(approved), sum(edited), sum(rejected),"
    " sum(escalated), sum(fast_approvals), sum(active_ms_sum),"
    " sum(edit_words_sum) FROM rollup" RANGE
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
    enum so_status code = pg_run(p, sql_bump, &a, NULL, err);
    if (code == SO_OK)
        code = bump_hist(p, e, "t", e->active_ms, sign, err);
    if (code == SO_OK && e->action == SO_ACT_EDIT)
        code = bump_hist(p, e, "e", e->edit_size, sign, err);
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
        int64_t *hist = PQgetvalue(r, i, 5)[0] == 'e' ? out->rows[k].edit_hist
                                                      : out->rows[k].time_hist;
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
    return SO_OK;
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
