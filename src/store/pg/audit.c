/*
 * store_pg_audit: the chain of a PostgreSQL queue, paged for verify and
 * export (see audit.h). Each page is one autocommit SELECT by seq range.
 * The range ends where the chain ended when the head was read, in the same
 * statement: records appended later are left for the next run, and a
 * record past the head (a head moved back) is read and named, as on a
 * queue file.
 */
#include "signoff/store/pg/audit.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/store/pg/db.h"
#include "signoff/store/pg/drafts.h"

static const char sql_head[] =
    "SELECT seq, hash, greatest(seq, (SELECT coalesce(max(seq), 0) FROM"
    " decisions)) FROM chain_head WHERE one";

static const char sql_start[] =
    "SELECT coalesce((SELECT min(seq) FROM decisions WHERE decided_at >= $1"
    " AND seq <= $2), $2 + 1) - 1";

/* Each record with, last, whether it is on a gold draft (marked in
 * exports, gold.h). */
static const char sql_page[] =
    PG_DECISION_COLS_X(", (EXISTS (SELECT 1 FROM gold g"
                       " WHERE g.draft_id = decisions.draft))::int")
    " WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3";

struct pg_audit {
    struct pgq *p;
    struct verify_head head;
    int64_t end; /* the last record when the head was read */
    int64_t start, last;
    PGresult *page;
    int row, rows;
};

enum so_status pg_audit_open(struct queue *q, int64_t since_ms,
                             struct pg_audit **out, struct so_error *err)
{
    struct pg_audit *a = xcalloc(1, sizeof *a);
    PGresult *r;
    a->p = q->impl;
    *out = NULL;
    enum so_status code = pg_run(a->p, sql_head, NULL, &r, err);
    if (code != SO_OK) {
        free(a);
        return code;
    }
    a->head.seq = pg_int(r, 0, 0);
    pg_buf(r, 0, 1, a->head.hash, sizeof a->head.hash);
    a->end = pg_int(r, 0, 2);
    PQclear(r);
    struct pg_args s = {0};
    pg_arg_int(&s, since_ms);
    pg_arg_int(&s, a->end);
    code = pg_run(a->p, sql_start, &s, &r, err);
    if (code != SO_OK) {
        free(a);
        return code;
    }
    a->start = a->last = pg_int(r, 0, 0);
    PQclear(r);
    *out = a;
    return SO_OK;
}

const struct verify_head *pg_audit_head(const struct pg_audit *a)
{
    return &a->head;
}

int64_t pg_audit_count(const struct pg_audit *a)
{
    return a->end - a->start;
}

static enum so_status next(void *ctx, struct so_decision *d,
                           struct so_error *err)
{
    struct pg_audit *a = ctx;
    if (a->row == a->rows) {
        PQclear(a->page);
        a->page = NULL;
        a->row = a->rows = 0;
        if (a->last >= a->end)
            return SO_EMPTY;
        struct pg_args g = {0};
        pg_arg_int(&g, a->last);
        pg_arg_int(&g, a->end);
        pg_arg_int(&g, PG_AUDIT_PAGE);
        enum so_status code = pg_run(a->p, sql_page, &g, &a->page, err);
        if (code != SO_OK)
            return code;
        a->rows = PQntuples(a->page);
        if (a->rows == 0)
            return SO_EMPTY;
    }
    pg_read_decision(a->page, a->row, d);
    d->gold = (int)pg_int(a->page, a->row++, PG_DECISION_NCOLS);
    a->last = d->seq;
    return SO_OK;
}

struct verify_source pg_audit_source(struct pg_audit *a)
{
    struct verify_source s = {next, a};
    return s;
}

void pg_audit_close(struct pg_audit *a)
{
    if (!a)
        return;
    PQclear(a->page);
    free(a);
}
