/*
 * store_review: four-eyes rules on the SQLite store (see store_review.h).
 * A decision is live while no revert points at it; every rule here reads
 * live decisions only, so an undo of my review makes the draft mine to
 * review again and nobody else's review is lost. Runs in the caller's
 * transaction; must not begin or commit one.
 */
#include "signoff/store/sqlite/review.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/store/rules.h"
#include "signoff/store/sqlite/read.h"
#include "signoff/store/sqlite/schema.h"

#define DAY_MS 86400000LL

#define LIVE                                                                   \
    " action <> 'revert' AND NOT EXISTS (SELECT 1 FROM decisions r"            \
    " WHERE r.reverts_seq = d.seq AND r.reverts_seq > 0)"

static const char sql_info[] =
    "SELECT d.status, d.reviews_needed, d.claimed_by, w.resolver, w.reveal"
    " FROM drafts d JOIN workflows w ON w.name = d.workflow WHERE d.id = :id";

static const char sql_mine[] =
    "SELECT count(*) FROM decisions d WHERE draft = :id AND reviewer = :me"
    " AND kind = 'review' AND" LIVE;

static const char sql_votes[] =
    "SELECT seq, reviewer, action FROM decisions d WHERE draft = :id"
    " AND kind = 'review' AND" LIVE " ORDER BY seq";

static const char sql_pair[] =
    "INSERT INTO agreement(day, workflow, reviewer_a, reviewer_b, action_a,"
    " action_b, n) VALUES (:day, :wf, :a, :b, :xa, :xb, :n)"
    " ON CONFLICT(day, workflow, reviewer_a, reviewer_b, action_a, action_b)"
    " DO UPDATE SET n = n + :n";

static const char sql_resolution[] =
    "INSERT INTO resolutions(day, workflow, resolved, sided_ai)"
    " VALUES (:day, :wf, :n, :ai) ON CONFLICT(day, workflow) DO UPDATE SET"
    " resolved = resolved + :n, sided_ai = sided_ai + :ai";

static const char sql_cells[] =
    "SELECT workflow, reviewer_a, reviewer_b, action_a, action_b, sum(n)"
    " FROM agreement WHERE day >= :d0 AND day < :d1"
    " AND (:wf IS NULL OR workflow = :wf)"
    " GROUP BY workflow, reviewer_a, reviewer_b, action_a, action_b"
    " HAVING sum(n) > 0 ORDER BY 1, 2, 3, 4, 5";

static const char sql_resolves[] =
    "SELECT workflow, sum(resolved), sum(sided_ai) FROM resolutions"
    " WHERE day >= :d0 AND day < :d1 AND (:wf IS NULL OR workflow = :wf)"
    " GROUP BY workflow HAVING sum(resolved) > 0 ORDER BY workflow";

enum so_status store_review_info(struct store *s, const char *id,
                                 struct store_review_info *out,
                                 struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_info, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":id", id);
    enum so_status code = store_db_step(s, st, "read reviews", err);
    if (code == SO_EMPTY) {
        sqlite3_reset(st);
        return so_fail(err, SO_ERR_NOTFOUND, "%s: no such draft", id);
    }
    if (code != SO_OK)
        return code;
    char text[16];
    store_db_col_buf(st, 0, text, sizeof text);
    out->status = (enum so_dstatus)so_dstatus_from_name(text);
    out->reviews_needed = sqlite3_column_int(st, 1);
    store_db_col_buf(st, 2, out->claimed_by, sizeof out->claimed_by);
    store_db_col_buf(st, 3, text, sizeof text);
    out->reviewer_resolves = strcmp(text, "reviewer") == 0;
    store_db_col_buf(st, 4, text, sizeof text);
    out->reveal_after = strcmp(text, "after") == 0;
    return store_db_done(s, st, err);
}

enum so_status store_review_mine(struct store *s, const char *id, int *has,
                                 struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_mine, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":id", id);
    store_db_bind_text(st, ":me", s->reviewer);
    enum so_status code = store_db_step(s, st, "read reviews", err);
    if (code == SO_EMPTY)
        return so_fail(err, SO_ERR, "%s: count reviews: no row", id);
    if (code != SO_OK)
        return code;
    *has = sqlite3_column_int64(st, 0) > 0;
    return store_db_done(s, st, err);
}

/* The state the rules read: the draft's and whether I reviewed it. */
static enum so_status review_state(struct store *s, const char *id,
                                  struct store_review_info *info,
                                  struct store_review_state *st,
                                  struct so_error *err)
{
    int mine = 0;
    enum so_status code = store_review_info(s, id, info, err);
    if (code == SO_OK)
        code = store_review_mine(s, id, &mine, err);
    if (code != SO_OK)
        return code;
    st->status = info->status;
    st->reviews_needed = info->reviews_needed;
    st->reviewer_resolves = info->reviewer_resolves;
    st->reveal_after = info->reveal_after;
    st->claimed_by = info->claimed_by;
    st->mine = mine;
    return SO_OK;
}

enum so_status store_review_may_take(struct store *s, const char *id,
                                     struct so_error *err)
{
    struct store_review_info info;
    struct store_review_state st;
    enum so_status code = review_state(s, id, &info, &st, err);
    if (code != SO_OK)
        return code;
    return store_rules_may_take(id, &st, s->supervisor, err);
}

enum so_status store_review_votes(struct store *s, const char *id,
                                  struct store_vote **out, size_t *n,
                                  struct so_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = store_db_stmt(s, sql_votes, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":id", id);
    size_t cap = 0;
    enum so_status code;
    while ((code = store_db_step(s, st, "read reviews", err)) == SO_OK) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 4;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        struct store_vote *v = &(*out)[(*n)++];
        v->seq = sqlite3_column_int64(st, 0);
        v->reviewer = store_db_col_str(st, 1);
        v->action = (enum so_action)so_action_from_name(
            (const char *)sqlite3_column_text(st, 2));
    }
    code = store_db_finish(s, st, code, err);
    if (code != SO_OK) {
        store_rules_votes_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return code;
}

struct pair_ctx {
    struct store *s;
    const char *workflow;
    int64_t day;
    int sign;
};

static enum so_status bump_pair(void *ctx, const struct store_vote *x,
                                const struct store_vote *y,
                                struct so_error *err)
{
    const struct pair_ctx *c = ctx;
    sqlite3_stmt *st = store_db_stmt(c->s, sql_pair, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":day", c->day);
    store_db_bind_text(st, ":wf", c->workflow);
    store_db_bind_text(st, ":a", x->reviewer);
    store_db_bind_text(st, ":b", y->reviewer);
    store_db_bind_text(st, ":xa", so_action_name(x->action));
    store_db_bind_text(st, ":xb", so_action_name(y->action));
    store_db_bind_int(st, ":n", c->sign);
    return store_db_run(c->s, st, err);
}

enum so_status store_review_pairs(struct store *s, const char *workflow,
                                  int64_t at, const struct store_vote *v,
                                  size_t n, int sign, struct so_error *err)
{
    struct pair_ctx c = {s, workflow, at / DAY_MS, sign};
    return store_rules_pairs(v, n, bump_pair, &c, err);
}

enum so_status store_review_resolution(struct store *s, const char *workflow,
                                       int64_t at, int sided_ai, int sign,
                                       struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_resolution, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":day", at / DAY_MS);
    store_db_bind_text(st, ":wf", workflow);
    store_db_bind_int(st, ":n", sign);
    store_db_bind_int(st, ":ai", sided_ai ? sign : 0);
    return store_db_run(s, st, err);
}

enum so_status store_review_visible(struct store *s, const char *id, int *all,
                                    struct so_error *err)
{
    struct store_review_info info;
    struct store_review_state st;
    enum so_status code = review_state(s, id, &info, &st, err);
    if (code == SO_OK)
        *all = store_rules_visible(&st, s->reviewer, s->supervisor);
    return code;
}

enum so_status store_review_decisions(struct queue *q, const char *draft_id,
                                      struct so_decision **out, size_t *n,
                                      struct so_error *err)
{
    struct store *s = q->impl;
    int all = 0;
    enum so_status code = store_review_visible(s, draft_id, &all, err);
    if (code == SO_OK)
        code = store_read_decisions(q, draft_id, out, n, err);
    if (code != SO_OK || all)
        return code;
    size_t kept = 0;
    for (size_t i = 0; i < *n; i++) {
        if (strcmp((*out)[i].reviewer, s->reviewer) == 0)
            (*out)[kept++] = (*out)[i];
        else
            so_decision_clear(&(*out)[i]);
    }
    *n = kept;
    return SO_OK;
}

static enum so_status read_cells(struct store *s, sqlite3_stmt *st,
                                 struct so_agreement *out, struct so_error *err)
{
    size_t cap = 0;
    enum so_status code;
    while ((code = store_db_step(s, st, "read reviews", err)) == SO_OK) {
        if (out->ncells == cap) {
            cap = cap ? cap * 2 : 16;
            out->cells = xrealloc(out->cells, cap * sizeof *out->cells);
        }
        struct so_agree_cell *c = &out->cells[out->ncells++];
        c->workflow = store_db_col_str(st, 0);
        c->reviewer_a = store_db_col_str(st, 1);
        c->reviewer_b = store_db_col_str(st, 2);
        c->cat_a = agreement_category((const char *)sqlite3_column_text(st, 3));
        c->cat_b = agreement_category((const char *)sqlite3_column_text(st, 4));
        c->n = sqlite3_column_int64(st, 5);
    }
    return store_db_finish(s, st, code, err);
}

static enum so_status read_resolves(struct store *s, sqlite3_stmt *st,
                                    struct so_agreement *out,
                                    struct so_error *err)
{
    size_t cap = 0;
    enum so_status code;
    while ((code = store_db_step(s, st, "read reviews", err)) == SO_OK) {
        if (out->nresolves == cap) {
            cap = cap ? cap * 2 : 8;
            out->resolves =
                xrealloc(out->resolves, cap * sizeof *out->resolves);
        }
        struct so_resolve_count *r = &out->resolves[out->nresolves++];
        r->workflow = store_db_col_str(st, 0);
        r->resolved = sqlite3_column_int64(st, 1);
        r->sided_ai = sqlite3_column_int64(st, 2);
    }
    return store_db_finish(s, st, code, err);
}

static sqlite3_stmt *range_stmt(struct store *s, const char *sql, int64_t d0,
                                int64_t d1, const char *wf,
                                struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql, err);
    if (st) {
        store_db_bind_int(st, ":d0", d0);
        store_db_bind_int(st, ":d1", d1);
        store_db_bind_text(st, ":wf", wf);
    }
    return st;
}

enum so_status store_review_agreement(struct queue *q,
                                      const struct so_stats_req *req,
                                      struct so_agreement *out,
                                      struct so_error *err)
{
    struct store *s = q->impl;
    memset(out, 0, sizeof *out);
    int version = 0;
    enum so_status code = store_schema_read(s, &version, err);
    if (code != SO_OK || version < 2) /* a read-only look at a v1 file */
        return code;
    int64_t d0, d1;
    store_rules_stats_days(req, so_now_ms(), &d0, &d1);
    sqlite3_stmt *st = range_stmt(s, sql_cells, d0, d1, req->workflow, err);
    code = st ? read_cells(s, st, out, err) : err->code;
    if (code == SO_OK) {
        st = range_stmt(s, sql_resolves, d0, d1, req->workflow, err);
        code = st ? read_resolves(s, st, out, err) : err->code;
    }
    if (code != SO_OK)
        agreement_free(out);
    return code;
}
