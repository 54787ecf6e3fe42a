/*
 * store_read: read-only queries of the SQLite store. Every statement is
 * reset as soon as its rows are copied out, so an idle reader never pins a
 * WAL snapshot (which would stop checkpoints and grow the -wal file).
 * List filters are assembled from fixed SQL pieces (never from input) and
 * every value is a bound parameter; each assembled text is prepared once
 * per handle. Must not write.
 */
#include "signoff/store/sqlite/read.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/filter.h"
#include "signoff/store/rules.h"
#include "signoff/store/sqlite/rules.h"

#define DAY_MS 86400000LL

static const char sql_draft[] =
    "SELECT id, workflow, model, confidence, title, input, body, priority,"
    " metadata, status, created_at, claimed_by, lease_until, lease_token,"
    " attempts, reviews_needed, reviews_done, final_action, cost_micros,"
    " currency, tokens, latency_ms FROM drafts WHERE rid = :rid";

static const char sql_citations[] =
    "SELECT n, title, uri, excerpt, quote FROM citations"
    " WHERE draft = :rid ORDER BY ord";

static const char sql_rid[] = "SELECT rid FROM drafts WHERE id = :id";

#define DECISION_COLS                                                          \
    "SELECT seq, draft, request_id, reviewer, action, kind, reason, note,"     \
    " final_body, edit_size, body_sha, final_sha, shown_at, decided_at,"       \
    " active_ms, reverts_seq, prev_hash, hash FROM decisions"

static const char sql_decision[] = DECISION_COLS " WHERE seq = :seq";
static const char sql_decisions_of[] =
    DECISION_COLS " WHERE draft = :id ORDER BY seq";
static const char sql_request[] =
    "SELECT seq FROM decisions WHERE request_id = :rq";

static const char sql_my_today[] =
    "SELECT count(*) FROM decisions d WHERE reviewer = :me"
    " AND decided_at >= :since AND action <> 'revert' AND kind <> 'admin'"
    " AND kind <> 'action'"
    " AND NOT EXISTS (SELECT 1 FROM decisions r WHERE r.reverts_seq = d.seq"
    " AND r.reverts_seq > 0)";

/* The columns of DECISION_COLS on d, then the revert that undid it. */
static const char sql_mine[] =
    "SELECT d.seq, d.draft, d.request_id, d.reviewer, d.action, d.kind,"
    " d.reason, d.note, d.final_body, d.edit_size, d.body_sha, d.final_sha,"
    " d.shown_at, d.decided_at, d.active_ms, d.reverts_seq, d.prev_hash,"
    " d.hash, (SELECT max(r.seq) FROM decisions r WHERE r.reverts_seq = d.seq"
    " AND r.reverts_seq > 0) FROM decisions d INDEXED BY decisions_by_reviewer"
    " WHERE d.reviewer = :me AND d.decided_at >= :since"
    " AND d.action <> 'revert' AND d.kind <> 'action' AND d.kind <> 'admin'"
    " ORDER BY d.decided_at DESC, d.seq DESC LIMIT :limit";

static const char sql_counters[] =
    "SELECT coalesce(sum(n), 0) FROM draft_counts"
    " WHERE (:wf IS NULL OR workflow = :wf)"
    " AND (:status IS NULL OR status = :status)"
    " AND (:open = 0 OR status <> 'decided')";

/* Open drafts I cannot act on now, among the few that can be such: those
 * in a step (claimed, resolve, escalated) and those I reviewed. Every
 * other open draft is pending and mine to take. */
static const char sql_waiting[] =
    "SELECT count(*) FROM drafts WHERE rid IN (SELECT rid FROM drafts"
    " WHERE status = 'claimed' OR status = 'resolve' OR status = 'escalated'"
    " UNION SELECT x.rid FROM decisions d JOIN drafts x ON x.id = d.draft"
    " WHERE d.reviewer = :me AND x.status = 'pending')"
    " AND (:wf IS NULL OR workflow = :wf) AND NOT (" STORE_REVIEW_ACTIONABLE
    ")";

/* The cells summed over the folded dimensions (:fm model, :fr reviewer),
 * in the key order sql_hist uses too, so the two merge in one pass. */
#define COST_SUM(c) ", sum(" #c ")"
#define COST_COL(c) ", " #c
static const char sql_rollup[] =
    "SELECT day, workflow, CASE WHEN :fm THEN '' ELSE model END AS m,"
    " CASE WHEN :fr THEN '' ELSE reviewer END AS r, band, sum(approved),"
    " sum(edited), sum(rejected), sum(escalated), sum(fast_approvals),"
    " sum(active_ms_sum), sum(edit_words_sum)"
    SO_ROLLUP_COST_LIST(COST_SUM) " FROM rollup"
    " WHERE day >= :d0 AND day < :d1 AND (:wf IS NULL OR workflow = :wf)"
    " GROUP BY day, workflow, m, r, band"
    " HAVING sum(approved + edited + rejected + escalated) > 0"
    " ORDER BY day, workflow, m, r, band";

static const char sql_hist[] =
    "SELECT day, workflow, CASE WHEN :fm THEN '' ELSE model END AS m,"
    " CASE WHEN :fr THEN '' ELSE reviewer END AS r, band, metric, bucket,"
    " sum(count) FROM rollup_hist"
    " WHERE day >= :d0 AND day < :d1 AND (:wf IS NULL OR workflow = :wf)"
    " GROUP BY day, workflow, m, r, band, metric, bucket"
    " ORDER BY day, workflow, m, r, band, metric, bucket";

/* The same two reads when both model and reviewer are folded: the coarse
 * tables (schema v4) hold exactly those sums, already in key order. */
static const char sql_rollup_wf[] =
    "SELECT day, workflow, '', '', band, approved, edited, rejected,"
    " escalated, fast_approvals, active_ms_sum, edit_words_sum"
    SO_ROLLUP_COST_LIST(COST_COL) " FROM rollup_wf"
    " WHERE day >= :d0 AND day < :d1 AND (:wf IS NULL OR workflow = :wf)"
    " AND approved + edited + rejected + escalated > 0"
    " ORDER BY day, workflow, band";

static const char sql_hist_wf[] =
    "SELECT day, workflow, '', '', band, metric, bucket, count"
    " FROM rollup_wf_hist"
    " WHERE day >= :d0 AND day < :d1 AND (:wf IS NULL OR workflow = :wf)"
    " ORDER BY day, workflow, band, metric, bucket";

static const char sql_reasons[] =
    "SELECT workflow, reason, sum(count) FROM rollup_reasons"
    " WHERE day >= :d0 AND day < :d1 AND (:wf IS NULL OR workflow = :wf)"
    " GROUP BY workflow, reason HAVING sum(count) > 0"
    " ORDER BY workflow, sum(count) DESC, reason";

/* An integer column, -1 when NULL (a figure the producer did not report). */
static int64_t col_or_none(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL
               ? -1
               : sqlite3_column_int64(st, col);
}

void store_read_usage(sqlite3_stmt *st, int col, struct so_draft *d)
{
    d->cost_micros = col_or_none(st, col);
    store_db_col_buf(st, col + 1, d->currency, sizeof d->currency);
    d->tokens = col_or_none(st, col + 2);
    d->latency_ms = col_or_none(st, col + 3);
}

static void read_draft_row(sqlite3_stmt *st, struct so_draft *d)
{
    d->id = store_db_col_str(st, 0);
    d->workflow = store_db_col_str(st, 1);
    d->model = store_db_col_str(st, 2);
    d->confidence = sqlite3_column_type(st, 3) == SQLITE_NULL
                        ? -1
                        : sqlite3_column_double(st, 3);
    d->title = store_db_col_str(st, 4);
    d->input = store_db_col_str(st, 5);
    d->body = store_db_col_str(st, 6);
    d->priority = sqlite3_column_int(st, 7);
    d->metadata_json = store_db_col_str(st, 8);
    d->status = (enum so_dstatus)so_dstatus_from_name(
        (const char *)sqlite3_column_text(st, 9));
    d->created_at = sqlite3_column_int64(st, 10);
    d->claimed_by = store_db_col_str(st, 11);
    d->lease_until = sqlite3_column_int64(st, 12);
    d->lease_token = sqlite3_column_int64(st, 13);
    d->attempts = sqlite3_column_int(st, 14);
    d->reviews_needed = sqlite3_column_int(st, 15);
    d->reviews_done = sqlite3_column_int(st, 16);
    d->last_action = store_db_col_str(st, 17);
    store_read_usage(st, 18, d);
}

static enum so_status read_citations(struct store *s, int64_t rid,
                                     struct so_draft *d, struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_citations, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":rid", rid);
    size_t cap = 0;
    enum so_status code;
    while ((code = store_db_step(s, st, "read", err)) == SO_OK) {
        if (d->ncitations == cap) {
            cap = cap ? cap * 2 : 4;
            d->citations = xrealloc(d->citations, cap * sizeof *d->citations);
        }
        struct so_citation *c = &d->citations[d->ncitations++];
        c->n = sqlite3_column_int(st, 0);
        c->title = store_db_col_str(st, 1);
        c->uri = store_db_col_str(st, 2);
        c->excerpt = store_db_col_str(st, 3);
        c->quote = store_db_col_str(st, 4);
    }
    return store_db_finish(s, st, code, err);
}

enum so_status store_read_draft(struct store *s, int64_t rid,
                                struct so_draft **out, struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_draft, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":rid", rid);
    enum so_status code = store_db_step(s, st, "read", err);
    if (code == SO_EMPTY) {
        sqlite3_reset(st);
        return so_fail(err, SO_ERR_NOTFOUND, "no such draft");
    }
    if (code != SO_OK)
        return code;
    struct so_draft *d = xcalloc(1, sizeof *d);
    read_draft_row(st, d);
    code = store_db_done(s, st, err);
    if (code == SO_OK)
        code = read_citations(s, rid, d, err);
    if (code != SO_OK) {
        so_draft_free(d);
        return code;
    }
    *out = d;
    return SO_OK;
}

void store_read_decision_row(sqlite3_stmt *st, struct so_decision *d)
{
    d->seq = sqlite3_column_int64(st, 0);
    d->draft_id = store_db_col_str(st, 1);
    d->request_id = store_db_col_str(st, 2);
    d->reviewer = store_db_col_str(st, 3);
    d->action = (enum so_action)so_action_from_name(
        (const char *)sqlite3_column_text(st, 4));
    d->kind = store_db_col_str(st, 5);
    d->reason = store_db_col_str(st, 6);
    d->note = store_db_col_str(st, 7);
    d->final_body = store_db_col_str(st, 8);
    d->edit_size = sqlite3_column_int64(st, 9);
    store_db_col_buf(st, 10, d->body_sha, sizeof d->body_sha);
    store_db_col_buf(st, 11, d->final_sha, sizeof d->final_sha);
    d->shown_at = sqlite3_column_int64(st, 12);
    d->decided_at = sqlite3_column_int64(st, 13);
    d->active_ms = sqlite3_column_int64(st, 14);
    d->reverts_seq = sqlite3_column_int64(st, 15);
    store_db_col_buf(st, 16, d->prev_hash, sizeof d->prev_hash);
    store_db_col_buf(st, 17, d->hash, sizeof d->hash);
}

enum so_status store_read_decision(struct store *s, int64_t seq,
                                   struct so_decision *out,
                                   struct so_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = store_db_stmt(s, sql_decision, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":seq", seq);
    enum so_status code = store_db_step(s, st, "read", err);
    if (code == SO_EMPTY) {
        sqlite3_reset(st);
        return so_fail(err, SO_ERR_NOTFOUND, "no decision %" PRId64, seq);
    }
    if (code != SO_OK)
        return code;
    store_read_decision_row(st, out);
    return store_db_done(s, st, err);
}

/* One integer from a one-row query already bound. */
static enum so_status scalar(struct store *s, sqlite3_stmt *st, int64_t *v,
                             struct so_error *err)
{
    enum so_status code = store_db_step(s, st, "read", err);
    *v = code == SO_OK ? sqlite3_column_int64(st, 0) : 0;
    return store_db_finish(s, st, code, err);
}

enum so_status store_read_request(struct store *s, const char *request_id,
                                  int64_t *seq, struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_request, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":rq", request_id);
    return scalar(s, st, seq, err);
}

enum so_status store_read_get(struct queue *q, const char *id,
                              struct so_draft **out, struct so_error *err)
{
    struct store *s = q->impl;
    *out = NULL;
    sqlite3_stmt *st = store_db_stmt(s, sql_rid, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":id", id);
    int64_t rid;
    enum so_status code = scalar(s, st, &rid, err);
    if (code != SO_OK)
        return code;
    if (rid == 0)
        return so_fail(err, SO_ERR_NOTFOUND, "%s: no such draft", id);
    return store_read_draft(s, rid, out, err);
}

/* The words and phrases of the text filter (filter_terms); 0 on error. */
static size_t text_terms(const struct so_list_req *req, char ***terms,
                         struct so_error *err)
{
    size_t n = 0;
    *terms = NULL;
    if (req->text && filter_terms(req->text, terms, &n, err) != SO_OK)
        return 0;
    return n;
}

/* The open drafts nearing or past their workflow's SLA (SO_SLA_NEAR of
 * it), found by a range on drafts_open_age per workflow with one. */
#define SLA_DUE                                                                \
    " rid IN (SELECT d.rid FROM workflows w JOIN drafts d"                     \
    " INDEXED BY drafts_open_age ON d.workflow = w.name"                       \
    " AND d.status <> 'decided'"                                               \
    " AND d.created_at <= :now - w.sla_ms * 4 / 5 WHERE w.sla_ms > 0)"
/* Assemble the WHERE clause of a list or count from fixed pieces. */
static void where_clause(struct buf *sql, const struct so_list_req *req,
                         int keyset)
{
    buf_adds(sql, " WHERE 1");
    if (store_rules_list_open(req))
        buf_adds(sql, " AND status <> 'decided'");
    else if (req->status)
        buf_adds(sql, " AND status = :status");
    if (req->workflow)
        buf_adds(sql, " AND workflow = :wf");
    if (req->model)
        buf_adds(sql, " AND model = :model");
    if (req->conf_below >= 0)
        buf_adds(sql, " AND confidence < :below");
    if (req->conf_atleast >= 0)
        buf_adds(sql, " AND confidence >= :atleast");
    if (req->grounding_only)
        buf_adds(sql, " AND (flags & 1) <> 0");
    if (req->escalated_only)
        buf_adds(sql, " AND status = 'escalated'");
    if (req->mine)
        buf_adds(sql, " AND status <> 'decided' AND" STORE_REVIEW_ACTIONABLE);
    /* Every word or phrase, in the id, the title or the body
     * (filter_terms): a reviewer told "look at CL-20954" finds it. */
    char **terms = NULL;
    size_t n = text_terms(req, &terms, NULL);
    for (size_t i = 0; i < n; i++)
        buf_addf(sql,
                 " AND (id LIKE :t%zu ESCAPE '\\'"
                 " OR title LIKE :t%zu ESCAPE '\\'"
                 " OR body LIKE :t%zu ESCAPE '\\')",
                 i, i, i);
    filter_terms_free(terms, n);
    if (req->sla == SO_LIST_SLA_DUE)
        buf_adds(sql, " AND" SLA_DUE);
    else if (req->sla == SO_LIST_SLA_REST)
        buf_adds(sql, " AND NOT" SLA_DUE);
    if (keyset)
        buf_adds(sql,
                 " AND (priority < :cp OR (priority = :cp AND"
                 " (created_at > :cc OR (created_at = :cc AND rid > :cr))))");
}

/* "%text%" with LIKE's wildcards and the escape character escaped. */
static char *like_pattern(const char *text)
{
    struct buf b;
    buf_init(&b);
    buf_addc(&b, '%');
    for (const char *p = text; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            buf_addc(&b, '\\');
        buf_addc(&b, *p);
    }
    buf_addc(&b, '%');
    return buf_steal(&b);
}

static void bind_filters(struct store *s, sqlite3_stmt *st,
                         const struct so_list_req *req)
{
    store_db_bind_text(st, ":status", req->status);
    store_db_bind_text(st, ":wf", req->workflow);
    store_db_bind_text(st, ":model", req->model);
    store_db_bind_double(st, ":below", req->conf_below);
    store_db_bind_double(st, ":atleast", req->conf_atleast);
    store_db_bind_int(st, ":now", so_now_ms());
    if (req->mine) {
        store_db_bind_text(st, ":me", s->reviewer);
        store_db_bind_int(st, ":sup", s->supervisor);
    }
    char **terms = NULL;
    size_t n = text_terms(req, &terms, NULL);
    for (size_t i = 0; i < n; i++) {
        char name[32], *pat = like_pattern(terms[i]);
        snprintf(name, sizeof name, ":t%zu", i);
        store_db_bind_text(st, name, pat);
        free(pat);
    }
    filter_terms_free(terms, n);
}

/* A row's SLA bits (SO_ROW_SLA_*) and its deadline (0: no SLA). */
#define ROW_SLA(col)                                                           \
    " (SELECT CASE WHEN w.sla_ms <= 0 OR drafts.status = 'decided' THEN 0"     \
    " ELSE " col " END FROM workflows w WHERE w.name = drafts.workflow)"
#define ROW_COLS                                                               \
    "SELECT rid, id, workflow, model, confidence, title, priority,"            \
    " created_at, status, claimed_by, lease_until, flags, final_action,"       \
    " reviews_needed, reviews_done,"                                           \
    ROW_SLA("CASE WHEN :now - drafts.created_at > w.sla_ms THEN 8"             \
            " WHEN (:now - drafts.created_at) * 5 >= w.sla_ms * 4 THEN 4"        \
            " ELSE 0 END") " AS sla_bits,"                                       \
    ROW_SLA("drafts.created_at + w.sla_ms") " AS sla_due"

static void read_list_row(sqlite3_stmt *st, struct so_draft_row *r)
{
    r->id = store_db_col_str(st, 1);
    r->workflow = store_db_col_str(st, 2);
    r->model = store_db_col_str(st, 3);
    r->confidence = sqlite3_column_type(st, 4) == SQLITE_NULL
                        ? -1
                        : sqlite3_column_double(st, 4);
    r->title = store_db_col_str(st, 5);
    r->priority = sqlite3_column_int(st, 6);
    r->created_at = sqlite3_column_int64(st, 7);
    r->status = (enum so_dstatus)so_dstatus_from_name(
        (const char *)sqlite3_column_text(st, 8));
    r->claimed_by = store_db_col_str(st, 9);
    r->lease_until = sqlite3_column_int64(st, 10);
    r->flags = sqlite3_column_int(st, 11) & SO_ROW_GROUNDING;
    if (r->status == SO_DS_ESCALATED)
        r->flags |= SO_ROW_ESCALATED;
    r->flags |= sqlite3_column_int(st, 15) & (SO_ROW_SLA_NEAR | SO_ROW_SLA_PAST);
    r->reviews_needed = sqlite3_column_int(st, 13);
    r->reviews_done = sqlite3_column_int(st, 14);
}

/* Open drafts page through the partial index in claim order; without the
 * hint the planner sorts the whole backlog for every page. */
static const char *from_clause(const struct so_list_req *req)
{
    if (!store_rules_list_open(req) || req->sla == SO_LIST_SLA_DUE)
        return " FROM drafts";
    return req->workflow ? " FROM drafts INDEXED BY drafts_open_wf"
                         : " FROM drafts INDEXED BY drafts_open";
}

static sqlite3_stmt *list_stmt(struct store *s, const struct so_list_req *req,
                               int limit, struct so_error *err)
{
    struct store_cursor c = {0, 0, 0};
    if (store_rules_list_req(req, err) != SO_OK)
        return NULL;
    if (req->after && store_rules_cursor(req->after, &c, err) != SO_OK)
        return NULL;
    struct buf sql;
    buf_init(&sql);
    buf_adds(&sql, ROW_COLS);
    buf_adds(&sql, from_clause(req));
    int due = req->sla == SO_LIST_SLA_DUE;
    where_clause(&sql, req, req->after != NULL && !due);
    buf_adds(&sql, due ? " ORDER BY sla_due, priority DESC, rid LIMIT :limit"
                       : " ORDER BY priority DESC, created_at, rid"
                         " LIMIT :limit");
    sqlite3_stmt *st = store_db_stmt(s, buf_cstr(&sql), err);
    buf_free(&sql);
    if (!st)
        return NULL;
    bind_filters(s, st, req);
    store_db_bind_int(st, ":cp", c.priority);
    store_db_bind_int(st, ":cc", c.created_at);
    store_db_bind_int(st, ":cr", c.rid);
    store_db_bind_int(st, ":limit", limit + 1);
    return st;
}

enum so_status store_read_list(struct queue *q, const struct so_list_req *req,
                               struct so_draft_page *out, struct so_error *err)
{
    struct store *s = q->impl;
    memset(out, 0, sizeof *out);
    int limit = req->limit > 0 && req->limit <= 1000 ? req->limit : 50;
    sqlite3_stmt *st = list_stmt(s, req, limit, err);
    if (!st)
        return err->code;
    out->rows = xcalloc((size_t)limit, sizeof *out->rows);
    int64_t last_rid = 0;
    enum so_status code;
    while ((code = store_db_step(s, st, "read", err)) == SO_OK) {
        if (out->n == (size_t)limit && req->sla == SO_LIST_SLA_DUE)
            break; /* the due drafts are one page, most overdue first */
        if (out->n == (size_t)limit) { /* one more: there is a next page */
            const struct so_draft_row *last = &out->rows[out->n - 1];
            struct store_cursor c = {last->priority, last->created_at,
                                     last_rid};
            out->next_cursor = store_rules_cursor_text(&c);
            break;
        }
        last_rid = sqlite3_column_int64(st, 0);
        read_list_row(st, &out->rows[out->n++]);
    }
    code = store_db_finish(s, st, code, err);
    if (code != SO_OK)
        so_draft_page_free(out);
    return code;
}

/* Only status and workflow asked: the trigger-kept counters answer. */
static int counters_suffice(const struct so_list_req *req)
{
    return !req->model && req->conf_below < 0 && req->conf_atleast < 0 &&
           !req->grounding_only && !req->escalated_only && !req->sla &&
           !(req->text && *req->text);
}

/* What I can act on of the open drafts (of a workflow): the open count
 * from the counters less the waiting ones, without a scan of the backlog. */
static enum so_status count_mine(struct store *s, const struct so_list_req *req,
                                 int64_t *n, struct so_error *err)
{
    int64_t open = 0, waiting = 0;
    sqlite3_stmt *st = store_db_stmt(s, sql_counters, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":wf", req->workflow);
    store_db_bind_text(st, ":status", NULL);
    store_db_bind_int(st, ":open", 1);
    enum so_status code = scalar(s, st, &open, err);
    st = code == SO_OK ? store_db_stmt(s, sql_waiting, err) : NULL;
    if (!st)
        return err->code;
    store_db_bind_text(st, ":wf", req->workflow);
    store_db_bind_text(st, ":me", s->reviewer);
    store_db_bind_int(st, ":sup", s->supervisor);
    store_db_bind_int(st, ":now", so_now_ms());
    code = scalar(s, st, &waiting, err);
    *n = open - waiting;
    return code;
}

enum so_status store_read_count(struct queue *q, const struct so_list_req *req,
                                int64_t *n, struct so_error *err)
{
    struct store *s = q->impl;
    int open = store_rules_list_open(req);
    sqlite3_stmt *st;
    if (store_rules_list_req(req, err) != SO_OK)
        return err->code;
    if (counters_suffice(req) && req->mine && open)
        return count_mine(s, req, n, err);
    if (counters_suffice(req) && !req->mine) {
        st = store_db_stmt(s, sql_counters, err);
        if (!st)
            return err->code;
        store_db_bind_text(st, ":wf", req->workflow);
        store_db_bind_text(st, ":status", open ? NULL : req->status);
        store_db_bind_int(st, ":open", open);
        return scalar(s, st, n, err);
    }
    struct buf sql;
    buf_init(&sql);
    buf_adds(&sql, "SELECT count(*) FROM drafts");
    where_clause(&sql, req, 0);
    st = store_db_stmt(s, buf_cstr(&sql), err);
    buf_free(&sql);
    if (!st)
        return err->code;
    bind_filters(s, st, req);
    return scalar(s, st, n, err);
}

/* Step st (bound) to its end, one decision per row (DECISION_COLS; column
 * undone_col, when >= 0, is undone_by). Nothing is kept on an error. */
static enum so_status read_decision_rows(struct store *s, sqlite3_stmt *st,
                                         int undone_col,
                                         struct so_decision **out, size_t *n,
                                         struct so_error *err)
{
    size_t cap = 0;
    enum so_status code;
    while ((code = store_db_step(s, st, "read", err)) == SO_OK) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        struct so_decision *d = &(*out)[(*n)++];
        memset(d, 0, sizeof *d);
        store_read_decision_row(st, d);
        if (undone_col >= 0)
            d->undone_by = sqlite3_column_int64(st, undone_col);
    }
    code = store_db_finish(s, st, code, err);
    if (code != SO_OK) {
        for (size_t i = 0; i < *n; i++)
            so_decision_clear(&(*out)[i]);
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return code;
}

enum so_status store_read_decisions(struct queue *q, const char *draft_id,
                                    struct so_decision **out, size_t *n,
                                    struct so_error *err)
{
    struct store *s = q->impl;
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = store_db_stmt(s, sql_decisions_of, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":id", draft_id);
    return read_decision_rows(s, st, -1, out, n, err);
}

enum so_status store_read_my_decisions(struct queue *q, int64_t since_ms,
                                       int limit, struct so_decision **out,
                                       size_t *n, struct so_error *err)
{
    struct store *s = q->impl;
    *out = NULL;
    *n = 0;
    if (limit < 1 || limit > 1000)
        return so_fail(err, SO_ERR_INVALID, "limit: not in 1..1000");
    sqlite3_stmt *st = store_db_stmt(s, sql_mine, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":me", s->reviewer);
    store_db_bind_int(st, ":since", since_ms);
    store_db_bind_int(st, ":limit", limit);
    return read_decision_rows(s, st, 18, out, n, err);
}

enum so_status store_read_my_today(struct queue *q, int64_t *n,
                                   struct so_error *err)
{
    struct store *s = q->impl;
    sqlite3_stmt *st = store_db_stmt(s, sql_my_today, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":me", s->reviewer);
    store_db_bind_int(st, ":since", so_now_ms() / DAY_MS * DAY_MS);
    return scalar(s, st, n, err);
}

/* The range of a rollup read, bound the same way into each query. */
struct rollup_range {
    int64_t d0, d1; /* days [d0, d1) */
    const char *wf; /* NULL = all */
    unsigned fold;  /* SO_FOLD_* */
};

#define FOLD_BOTH (SO_FOLD_MODEL | SO_FOLD_REVIEWER)

/* fine when the cells keep model or reviewer, else coarse. */
static const char *rollup_sql(const struct rollup_range *rg, const char *fine,
                              const char *coarse)
{
    return (rg->fold & FOLD_BOTH) == FOLD_BOTH ? coarse : fine;
}

static void bind_range(sqlite3_stmt *st, const struct rollup_range *rg)
{
    store_db_bind_int(st, ":d0", rg->d0);
    store_db_bind_int(st, ":d1", rg->d1);
    store_db_bind_text(st, ":wf", rg->wf);
    store_db_bind_int(st, ":fm", (rg->fold & SO_FOLD_MODEL) != 0);
    store_db_bind_int(st, ":fr", (rg->fold & SO_FOLD_REVIEWER) != 0);
}

static int cmp_int(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

static int cmp_col(const char *a, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return strcmp(a ? a : "", t ? (const char *)t : "");
}

/* Order of row r against the key (day, workflow, model, reviewer, band) in
 * the first columns of st: SQLite's BINARY collation is strcmp's order. */
static int cell_cmp(const struct so_rollup_row *r, sqlite3_stmt *st)
{
    int c = cmp_int(r->day, sqlite3_column_int64(st, 0));
    if (!c)
        c = cmp_col(r->workflow, st, 1);
    if (!c)
        c = cmp_col(r->model, st, 2);
    if (!c)
        c = cmp_col(r->reviewer, st, 3);
    return c ? c : cmp_int(r->band, sqlite3_column_int64(st, 4));
}

/* Add the bucket of the rollup_hist row at st to r. */
static void hist_add(struct so_rollup_row *r, sqlite3_stmt *st)
{
    int b = sqlite3_column_int(st, 6);
    if (b < 0 || b >= SO_HIST_BUCKETS)
        return;
    const unsigned char *metric = sqlite3_column_text(st, 5);
    int64_t *hist = !metric            ? NULL
                    : metric[0] == 'e' ? r->edit_hist
                    : metric[0] == 't' ? r->time_hist
                    : metric[0] == 'd' ? r->decision_hist
                    : metric[0] == 'a' ? r->action_hist
                                       : NULL;
    if (hist)
        hist[b] = sqlite3_column_int64(st, 7);
}

/* Fill the histograms of out's rows (sorted by key) from one ordered scan
 * of rollup_hist: a merge join, not one query per cell. */
static enum so_status read_hists(struct store *s, const struct rollup_range *rg,
                                 struct so_rollup *out, struct so_error *err)
{
    sqlite3_stmt *st =
        store_db_stmt(s, rollup_sql(rg, sql_hist, sql_hist_wf), err);
    if (!st)
        return err->code;
    bind_range(st, rg);
    size_t i = 0;
    enum so_status code = SO_OK;
    while (i < out->n && (code = store_db_step(s, st, "read", err)) == SO_OK) {
        int c = -1;
        while (i < out->n && (c = cell_cmp(&out->rows[i], st)) < 0)
            i++;
        if (c == 0)
            hist_add(&out->rows[i], st);
    }
    return store_db_finish(s, st, code, err);
}

static void read_rollup_row(sqlite3_stmt *st, struct so_rollup_row *r)
{
    memset(r, 0, sizeof *r);
    r->day = sqlite3_column_int64(st, 0);
    r->workflow = store_db_col_str(st, 1);
    r->model = store_db_col_str(st, 2);
    if (r->model && !*r->model) {
        free(r->model);
        r->model = NULL;
    }
    r->reviewer = store_db_col_str(st, 3);
    r->band = sqlite3_column_int(st, 4);
    r->approved = sqlite3_column_int64(st, 5);
    r->edited = sqlite3_column_int64(st, 6);
    r->rejected = sqlite3_column_int64(st, 7);
    r->escalated = sqlite3_column_int64(st, 8);
    r->fast_approvals = sqlite3_column_int64(st, 9);
    r->active_ms_sum = sqlite3_column_int64(st, 10);
    r->edit_words_sum = sqlite3_column_int64(st, 11);
    int col = 12;
#define COST_READ(c) r->c = sqlite3_column_int64(st, col++);
    SO_ROLLUP_COST_LIST(COST_READ)
#undef COST_READ
}

static enum so_status read_rollup_rows(struct store *s,
                                       const struct rollup_range *rg,
                                       struct so_rollup *out,
                                       struct so_error *err)
{
    sqlite3_stmt *st =
        store_db_stmt(s, rollup_sql(rg, sql_rollup, sql_rollup_wf), err);
    if (!st)
        return err->code;
    bind_range(st, rg);
    size_t cap = 0;
    enum so_status code;
    while ((code = store_db_step(s, st, "read", err)) == SO_OK) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 16;
            out->rows = xrealloc(out->rows, cap * sizeof *out->rows);
        }
        read_rollup_row(st, &out->rows[out->n++]);
    }
    return store_db_finish(s, st, code, err);
}

static enum so_status read_reasons(struct store *s,
                                   const struct rollup_range *rg,
                                   struct so_rollup *out, struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_reasons, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":d0", rg->d0);
    store_db_bind_int(st, ":d1", rg->d1);
    store_db_bind_text(st, ":wf", rg->wf);
    size_t cap = 0;
    enum so_status code;
    while ((code = store_db_step(s, st, "read", err)) == SO_OK) {
        if (out->nreasons == cap) {
            cap = cap ? cap * 2 : 8;
            out->reasons = xrealloc(out->reasons, cap * sizeof *out->reasons);
        }
        struct so_reason_count *rc = &out->reasons[out->nreasons++];
        rc->workflow = store_db_col_str(st, 0);
        rc->reason = store_db_col_str(st, 1);
        rc->count = sqlite3_column_int64(st, 2);
    }
    return store_db_finish(s, st, code, err);
}

/* People's answers on gold drafts (gold.h) per (workflow, reviewer). */
static const char sql_counts[] =
    "SELECT workflow, reviewer, count(*), sum(correct) FROM gold_answers"
    " WHERE at >= :since AND (:until <= 0 OR at < :until)"
    " AND (:wf IS NULL OR workflow = :wf)"
    " GROUP BY workflow, reviewer ORDER BY workflow, reviewer";

static enum so_status read_golds(struct store *s,
                                 const struct so_stats_req *req,
                                 struct so_rollup *r, struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_counts, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":since", req->since_ms);
    store_db_bind_int(st, ":until", req->until_ms);
    store_db_bind_text(st, ":wf", req->workflow);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        r->golds = xrealloc(r->golds, (r->ngolds + 1) * sizeof *r->golds);
        struct so_gold_count *g = &r->golds[r->ngolds++];
        g->workflow = store_db_col_str(st, 0);
        g->reviewer = store_db_col_str(st, 1);
        g->decided = sqlite3_column_int64(st, 2);
        g->correct = sqlite3_column_int64(st, 3);
    }
    enum so_status code =
        rc == SQLITE_DONE ? SO_OK : store_db_fail(s, "gold answers", err);
    sqlite3_reset(st);
    return code;
}

/* Cells, histograms and reasons come from one read transaction, so the
 * figures are of one snapshot even while reviewers decide. */
enum so_status store_read_rollup(struct queue *q,
                                 const struct so_stats_req *req,
                                 struct so_rollup *out, struct so_error *err)
{
    struct store *s = q->impl;
    memset(out, 0, sizeof *out);
    struct rollup_range rg = {.wf = req->workflow, .fold = req->fold};
    store_rules_stats_days(req, so_now_ms(), &rg.d0, &rg.d1);
    sqlite3_stmt *begin = store_db_stmt(s, "BEGIN", err);
    enum so_status code = begin ? store_db_run(s, begin, err) : err->code;
    if (code == SO_OK)
        code = read_rollup_rows(s, &rg, out, err);
    if (code == SO_OK)
        code = read_hists(s, &rg, out, err);
    if (code == SO_OK)
        code = read_reasons(s, &rg, out, err);
    if (code == SO_OK)
        code = read_golds(s, req, out, err);
    if (code == SO_OK)
        code = store_db_commit(s, err);
    if (code != SO_OK) {
        store_db_rollback(s);
        so_rollup_free(out);
    }
    return code;
}
