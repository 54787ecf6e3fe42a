/*
 * store_pg_copy: `signoff copy` on a PostgreSQL queue (see copy.h). A dump
 * reads each table of copy_tables the database has in one REPEATABLE READ
 * READ ONLY transaction (one snapshot), 500 rows at a time through a
 * cursor; a load writes rows into an empty database in one transaction and
 * moves each id sequence past the ids it was given. The counters kept in
 * shards against hot rows (rollup, agreement: schema v7) travel as a queue
 * file keeps them: a dump sums the shards, a load writes shard 0. Statements
 * that name a
 * table or its columns are built from names that passed copy_name_ok (our
 * schema's names), prepared once per load; every value is a parameter.
 */
#include "signoff/store/pg/copy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/copy.h"
#include "signoff/store/pg/db.h"

#define FETCH_ROWS "500"
#define MAX_COLS 64

/* pg_type oids of the columns a dump reads as numbers. */
#define OID_BOOL 16
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_NUMERIC 1700

static const char sql_has_table[] =
    "SELECT to_regclass(quote_ident($1)) IS NOT NULL";
static const char sql_columns[] =
    "SELECT column_name FROM information_schema.columns WHERE table_schema ="
    " current_schema() AND table_name = $1 ORDER BY ordinal_position";
static const char sql_head[] = "SELECT seq, hash FROM chain_head";
static const char sql_set_head[] =
    "UPDATE chain_head SET seq = $1, hash = $2";
static const char sql_used[] =
    "SELECT (SELECT count(*) FROM drafts), (SELECT count(*) FROM decisions),"
    " (SELECT count(*) FROM workflows) + (SELECT count(*) FROM tokens)"
    " + (SELECT count(*) FROM hooks)";
static const char sql_clear_reasons[] = "DELETE FROM reasons";
/* The id columns a sequence fills: moved past the copied ids at the end. */
static const char sql_serials[] =
    "SELECT table_name, column_name, pg_get_serial_sequence("
    "quote_ident(table_name), column_name) FROM information_schema.columns"
    " WHERE table_schema = current_schema() AND column_default LIKE"
    " 'nextval(%'";
static const char sql_setval[] = "SELECT setval($1::regclass, $2)";

#define SUM(c) "sum(" c ")::bigint AS " c
#define COST_SUM(c) ", " SUM(#c)
/* The sharded counters, read with their shards summed. */
static const struct folded {
    const char *table;
    const char *sql;
} folded[] = {
    {"rollup",
     "SELECT day, workflow, model, reviewer, band, " SUM("approved") ", "
     SUM("edited") ", " SUM("rejected") ", " SUM("escalated") ", "
     SUM("fast_approvals") ", " SUM("active_ms_sum") ", "
     SUM("edit_words_sum") SO_ROLLUP_COST_LIST(COST_SUM) " FROM rollup"
     " GROUP BY day, workflow, model, reviewer, band ORDER BY 1, 2, 3, 4, 5"},
    {"rollup_hist",
     "SELECT day, workflow, model, reviewer, band, metric, bucket, "
     SUM("count") " FROM rollup_hist GROUP BY day, workflow, model,"
     " reviewer, band, metric, bucket ORDER BY 1, 2, 3, 4, 5, 6, 7"},
    {"rollup_reasons",
     "SELECT day, workflow, reason, " SUM("count") " FROM rollup_reasons"
     " GROUP BY day, workflow, reason ORDER BY 1, 2, 3"},
    {"agreement",
     "SELECT day, workflow, reviewer_a, reviewer_b, action_a, action_b, "
     SUM("n") " FROM agreement GROUP BY day, workflow, reviewer_a,"
     " reviewer_b, action_a, action_b ORDER BY 1, 2, 3, 4, 5, 6"},
    {"resolutions",
     "SELECT day, workflow, " SUM("resolved") ", " SUM("sided_ai")
     " FROM resolutions GROUP BY day, workflow ORDER BY 1, 2"},
};
#undef COST_SUM
#undef SUM

/* The summing read of a sharded table, or NULL. */
static const char *folded_sql(const char *table)
{
    for (size_t i = 0; i < sizeof folded / sizeof folded[0]; i++)
        if (strcmp(folded[i].table, table) == 0)
            return folded[i].sql;
    return NULL;
}

/* One statement of the load, prepared as "so_copy_<i>". */
struct load_stmt {
    char *sql;
    char name[32];
};

/* An id column and the largest id loaded into it. */
struct serial {
    char *table, *column, *seq;
    int64_t max;
};

struct pg_load {
    struct load_stmt *stmts;
    size_t nstmts;
    struct serial *serials;
    size_t nserials;
};

void pg_load_free(struct pgq *p)
{
    struct pg_load *l = p->load;
    if (!l)
        return;
    for (size_t i = 0; i < l->nstmts; i++) {
        char sql[64];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", l->stmts[i].name);
        struct so_error ignored;
        pg_cmd(p, sql, &ignored);
        free(l->stmts[i].sql);
    }
    for (size_t i = 0; i < l->nserials; i++) {
        free(l->serials[i].table);
        free(l->serials[i].column);
        free(l->serials[i].seq);
    }
    free(l->stmts);
    free(l->serials);
    free(l);
    p->load = NULL;
}

static void read_val(const PGresult *r, int row, int col, struct so_val *v)
{
    memset(v, 0, sizeof *v);
    if (PQgetisnull(r, row, col)) {
        v->kind = SO_VAL_NULL;
        return;
    }
    const char *text = PQgetvalue(r, row, col);
    switch (PQftype(r, col)) {
    case OID_BOOL:
        v->kind = SO_VAL_INT;
        v->i = text[0] == 't';
        break;
    case OID_INT8:
    case OID_INT2:
    case OID_INT4:
        v->kind = SO_VAL_INT;
        v->i = strtoll(text, NULL, 10);
        break;
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUMERIC:
        v->kind = SO_VAL_REAL;
        v->r = strtod(text, NULL);
        break;
    default:
        v->kind = SO_VAL_TEXT;
        v->s = text;
    }
}

/* Hand the rows of one fetched page to fn. */
static enum so_status dump_page(const PGresult *r, const char *table,
                                so_row_fn fn, void *ctx, struct so_error *err)
{
    int n = PQnfields(r);
    if (n > MAX_COLS)
        return so_fail(err, SO_ERR, "copy: %s has %d columns", table, n);
    const char *cols[MAX_COLS];
    struct so_val vals[MAX_COLS];
    for (int i = 0; i < n; i++)
        cols[i] = PQfname(r, i);
    enum so_status code = SO_OK;
    for (int row = 0; row < PQntuples(r) && code == SO_OK; row++) {
        for (int i = 0; i < n; i++)
            read_val(r, row, i, &vals[i]);
        struct so_row out = {table, (size_t)n, cols, vals};
        code = fn(ctx, &out, err);
    }
    return code;
}

static enum so_status dump_table(struct pgq *p, const char *table,
                                 so_row_fn fn, void *ctx, struct so_error *err)
{
    const char *sum = folded_sql(table);
    char *sql = sum ? xasprintf("DECLARE so_copy NO SCROLL CURSOR FOR %s", sum)
                    : xasprintf("DECLARE so_copy NO SCROLL CURSOR FOR SELECT *"
                                " FROM %s ORDER BY 1",
                                table);
    enum so_status code = pg_cmd(p, sql, err);
    free(sql);
    while (code == SO_OK) {
        PGresult *r = PQexec(p->c, "FETCH " FETCH_ROWS " FROM so_copy");
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            code = pg_fail(p, r, err);
            PQclear(r);
            break;
        }
        int rows = PQntuples(r);
        code = dump_page(r, table, fn, ctx, err);
        PQclear(r);
        if (rows == 0)
            break;
    }
    if (code == SO_OK)
        code = pg_cmd(p, "CLOSE so_copy", err);
    return code;
}

static enum so_status dump_head(struct pgq *p, so_row_fn fn, void *ctx,
                                struct so_error *err)
{
    PGresult *r;
    enum so_status code = pg_run(p, sql_head, NULL, &r, err);
    if (code != SO_OK)
        return code;
    if (PQntuples(r) != 1) {
        PQclear(r);
        return so_fail(err, SO_ERR_CORRUPT, "%s: no chain head", p->spec);
    }
    static const char *const cols[] = {"seq", "hash"};
    struct so_val vals[2] = {{SO_VAL_INT, pg_int(r, 0, 0), 0, NULL},
                             {SO_VAL_TEXT, 0, 0, PQgetvalue(r, 0, 1)}};
    struct so_row row = {COPY_CHAIN_HEAD, 2, cols, vals};
    code = fn(ctx, &row, err);
    PQclear(r);
    return code;
}

static int has_table(struct pgq *p, const char *table, struct so_error *err,
                     enum so_status *code)
{
    struct pg_args a = {0};
    pg_arg_text(&a, table);
    PGresult *r;
    *code = pg_run(p, sql_has_table, &a, &r, err);
    if (*code != SO_OK)
        return 0;
    int yes = PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    return yes;
}

enum so_status pg_dump(struct queue *q, so_row_fn fn, void *ctx,
                       struct so_error *err)
{
    struct pgq *p = q->impl;
    enum so_status code = pg_cmd(
        p, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err);
    if (code != SO_OK)
        return code;
    for (size_t i = 0; copy_tables[i] && code == SO_OK; i++)
        if (has_table(p, copy_tables[i], err, &code))
            code = dump_table(p, copy_tables[i], fn, ctx, err);
    if (code == SO_OK)
        code = dump_head(p, fn, ctx, err);
    struct so_error ignored;
    pg_cmd(p, code == SO_OK ? "COMMIT" : "ROLLBACK", &ignored);
    return code;
}

enum so_status pg_load_columns(struct queue *q, const char *table,
                               char ***cols, struct so_error *err)
{
    struct pgq *p = q->impl;
    struct pg_args a = {0};
    pg_arg_text(&a, table);
    PGresult *r;
    *cols = NULL;
    enum so_status code = pg_run(p, sql_columns, &a, &r, err);
    if (code != SO_OK)
        return code;
    int n = PQntuples(r);
    if (n > 0) {
        *cols = xcalloc((size_t)n + 1, sizeof **cols);
        for (int i = 0; i < n; i++)
            (*cols)[i] = pg_str(r, i, 0);
    }
    PQclear(r);
    return SO_OK;
}

/* The id columns of the database and their sequences. */
static enum so_status read_serials(struct pgq *p, struct pg_load *l,
                                   struct so_error *err)
{
    PGresult *r;
    enum so_status code = pg_run(p, sql_serials, NULL, &r, err);
    if (code != SO_OK)
        return code;
    int n = PQntuples(r);
    l->serials = xcalloc((size_t)n + 1, sizeof *l->serials);
    for (int i = 0; i < n; i++) {
        if (PQgetisnull(r, i, 2))
            continue;
        struct serial *s = &l->serials[l->nserials++];
        s->table = pg_str(r, i, 0);
        s->column = pg_str(r, i, 1);
        s->seq = pg_str(r, i, 2);
    }
    PQclear(r);
    return SO_OK;
}

enum so_status pg_load_begin(struct queue *q, struct so_error *err)
{
    struct pgq *p = q->impl;
    pg_load_free(p);
    enum so_status code = pg_cmd(p, "BEGIN", err);
    if (code != SO_OK)
        return code;
    PGresult *r;
    code = pg_run(p, sql_used, NULL, &r, err);
    if (code == SO_OK) {
        int64_t drafts = pg_int(r, 0, 0), decisions = pg_int(r, 0, 1),
                other = pg_int(r, 0, 2);
        PQclear(r);
        if (drafts + decisions + other > 0)
            code = so_fail(err, SO_ERR_CONFLICT,
                           "%s: not empty (%lld drafts, %lld decisions): copy "
                           "into a new queue",
                           p->spec, (long long)drafts, (long long)decisions);
    }
    if (code == SO_OK)
        code = pg_run(p, sql_clear_reasons, NULL, NULL, err);
    if (code == SO_OK) {
        p->load = xcalloc(1, sizeof *p->load);
        code = read_serials(p, p->load, err);
    }
    if (code != SO_OK) {
        struct so_error ignored;
        pg_cmd(p, "ROLLBACK", &ignored);
        pg_load_free(p);
    }
    return code;
}

/* The load's statement for this row's table and columns, prepared on first
 * use; NULL with err set. */
static const char *load_stmt(struct pgq *p, const struct so_row *row,
                             struct so_error *err)
{
    char *sql = copy_insert_sql(row, 1, err);
    if (!sql)
        return NULL;
    struct pg_load *l = p->load;
    for (size_t i = 0; i < l->nstmts; i++)
        if (strcmp(l->stmts[i].sql, sql) == 0) {
            free(sql);
            return l->stmts[i].name;
        }
    struct load_stmt s;
    snprintf(s.name, sizeof s.name, "so_copy_%zu", l->nstmts);
    PGresult *r = PQprepare(p->c, s.name, sql, 0, NULL);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        pg_fail(p, r, err);
        PQclear(r);
        free(sql);
        return NULL;
    }
    PQclear(r);
    s.sql = sql;
    l->stmts = xrealloc(l->stmts, (l->nstmts + 1) * sizeof *l->stmts);
    l->stmts[l->nstmts] = s;
    return l->stmts[l->nstmts++].name;
}

/* Note the ids this row gives to its table's id columns. */
static void note_ids(struct pg_load *l, const struct so_row *row)
{
    for (size_t k = 0; k < l->nserials; k++) {
        struct serial *s = &l->serials[k];
        if (strcmp(s->table, row->table) != 0)
            continue;
        for (size_t i = 0; i < row->n; i++)
            if (strcmp(row->cols[i], s->column) == 0 &&
                row->vals[i].kind == SO_VAL_INT && row->vals[i].i > s->max)
                s->max = row->vals[i].i;
    }
}

static enum so_status load_head(struct pgq *p, const struct so_row *row,
                                struct so_error *err)
{
    struct pg_args a = {0};
    const struct so_val *seq = NULL, *hash = NULL;
    for (size_t i = 0; i < row->n; i++) {
        if (strcmp(row->cols[i], "seq") == 0)
            seq = &row->vals[i];
        else if (strcmp(row->cols[i], "hash") == 0)
            hash = &row->vals[i];
    }
    if (!seq || !hash || seq->kind != SO_VAL_INT || hash->kind != SO_VAL_TEXT)
        return so_fail(err, SO_ERR_INVALID,
                       "copy: a chain head without its seq and hash");
    pg_arg_int(&a, seq->i);
    pg_arg_text(&a, hash->s);
    return pg_run(p, sql_set_head, &a, NULL, err);
}

/* Insert one row as it is. A counter row (counted: 1) that this schema's
 * constraints refuse (a histogram of the file's this store does not keep)
 * is left out under a savepoint: SO_EMPTY, for the copy to name. */
static enum so_status load_plain(struct pgq *p, const struct so_row *row,
                                 int counter, struct so_error *err)
{
    const char *name = load_stmt(p, row, err);
    if (!name)
        return err->code;
    const char *v[MAX_COLS];
    char num[MAX_COLS][32];
    for (size_t i = 0; i < row->n; i++) {
        const struct so_val *x = &row->vals[i];
        v[i] = num[i];
        if (x->kind == SO_VAL_INT)
            snprintf(num[i], sizeof num[i], "%lld", (long long)x->i);
        else if (x->kind == SO_VAL_REAL)
            snprintf(num[i], sizeof num[i], "%.17g", x->r);
        else
            v[i] = x->kind == SO_VAL_TEXT ? x->s : NULL;
    }
    enum so_status code =
        counter ? pg_cmd(p, "SAVEPOINT so_copy_row", err) : SO_OK;
    if (code != SO_OK)
        return code;
    PGresult *r = PQexecPrepared(p->c, name, (int)row->n, v, NULL, NULL, 0);
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    if (counter && state && strcmp(state, "23514") == 0) {
        PQclear(r);
        code = pg_cmd(p, "ROLLBACK TO SAVEPOINT so_copy_row", err);
        return code == SO_OK ? SO_EMPTY : code;
    }
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        code = pg_fail(p, r, err);
        char why[sizeof err->msg];
        memcpy(why, err->msg, sizeof why);
        so_fail(err, code, "copy: %s: %.400s", row->table, why);
    }
    PQclear(r);
    if (code == SO_OK)
        note_ids(p->load, row);
    return code;
}

enum so_status pg_load_row(struct queue *q, const struct so_row *row,
                           struct so_error *err)
{
    struct pgq *p = q->impl;
    if (!p->load)
        return so_fail(err, SO_ERR_USAGE, "copy: no load under way");
    if (strcmp(row->table, COPY_CHAIN_HEAD) == 0)
        return load_head(p, row, err);
    if (row->n + 1 > MAX_COLS)
        return so_fail(err, SO_ERR_INVALID, "copy: %s: %zu columns",
                       row->table, row->n);
    /* A sharded counter's row comes summed: it goes to shard 0. */
    const char *cols[MAX_COLS];
    struct so_val vals[MAX_COLS];
    if (folded_sql(row->table)) {
        struct so_row one = *row;
        int has_shard = 0;
        for (size_t i = 0; i < row->n; i++) {
            cols[i] = row->cols[i];
            vals[i] = row->vals[i];
            has_shard |= strcmp(row->cols[i], "shard") == 0;
        }
        if (!has_shard) {
            cols[row->n] = "shard";
            vals[row->n] = (struct so_val){SO_VAL_INT, 0, 0, NULL};
            one.n = row->n + 1;
            one.cols = cols;
            one.vals = vals;
        }
        return load_plain(p, &one, 1, err);
    }
    return load_plain(p, row, 0, err);
}


enum so_status pg_load_end(struct queue *q, int commit, struct so_error *err)
{
    struct pgq *p = q->impl;
    enum so_status code = SO_OK;
    struct pg_load *l = p->load;
    for (size_t k = 0; commit && l && k < l->nserials && code == SO_OK; k++) {
        if (l->serials[k].max <= 0)
            continue;
        struct pg_args a = {0};
        pg_arg_text(&a, l->serials[k].seq);
        pg_arg_int(&a, l->serials[k].max);
        code = pg_run(p, sql_setval, &a, NULL, err);
    }
    if (commit && code == SO_OK)
        code = pg_cmd(p, "COMMIT", err);
    if (PQtransactionStatus(p->c) != PQTRANS_IDLE) {
        struct so_error ignored;
        pg_cmd(p, "ROLLBACK", &ignored);
    }
    pg_load_free(p);
    return code;
}
