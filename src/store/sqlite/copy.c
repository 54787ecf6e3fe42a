/*
 * store_copy: `signoff copy` on a queue file (see copy.h). A dump reads
 * each table of copy_tables the file has in one read transaction (one
 * snapshot), rows as SQLite holds them; a load writes rows into an empty
 * file in one BEGIN IMMEDIATE transaction, the triggers keeping the
 * counters (draft_counts, rollup_wf) as on any insert and the decision
 * counters counted at the end (the append writes them: chain.c).
 * Statements name tables and columns, so they are built from names that
 * passed copy_name_ok (our schema's names: the source's and the catalog's
 * answers are checked, never trusted); every value is bound.
 */
#include "signoff/store/sqlite/copy.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/copy.h"
#include "signoff/store/sqlite/chain.h"
#include "signoff/store/sqlite/db.h"

static const char sql_has_table[] =
    "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = :t";
static const char sql_columns[] =
    "SELECT name FROM pragma_table_info(:t) ORDER BY cid";
/* What init writes is the default reasons and the chain's genesis; any
 * other row makes the queue not empty. */
static const char sql_used[] =
    "SELECT (SELECT count(*) FROM drafts), (SELECT count(*) FROM decisions),"
    " (SELECT count(*) FROM workflows) + (SELECT count(*) FROM tokens)"
    " + (SELECT count(*) FROM hooks)";
static const char sql_clear_reasons[] = "DELETE FROM reasons";

static int has_table(struct store *s, const char *table, struct so_error *err,
                     enum so_status *code)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_has_table, err);
    if (!st) {
        *code = err->code;
        return 0;
    }
    store_db_bind_text(st, ":t", table);
    *code = store_db_step(s, st, "the tables", err);
    int yes = *code == SO_OK;
    *code = store_db_finish(s, st, *code, err);
    return yes;
}

/* Dump one table: its rows as they are, in rowid or key order. */
static enum so_status dump_table(struct store *s, const char *table,
                                 so_row_fn fn, void *ctx, struct so_error *err)
{
    char *sql = xasprintf("SELECT * FROM %s ORDER BY 1", table);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    free(sql);
    if (rc != SQLITE_OK)
        return store_db_fail(s, "copy: read", err);
    size_t n = (size_t)sqlite3_column_count(st);
    const char **cols = xcalloc(n ? n : 1, sizeof *cols);
    struct so_val *vals = xcalloc(n ? n : 1, sizeof *vals);
    for (size_t i = 0; i < n; i++)
        cols[i] = sqlite3_column_name(st, (int)i);
    enum so_status code = SO_OK;
    while (code == SO_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (size_t i = 0; i < n; i++) {
            struct so_val *v = &vals[i];
            memset(v, 0, sizeof *v);
            switch (sqlite3_column_type(st, (int)i)) {
            case SQLITE_NULL:
                v->kind = SO_VAL_NULL;
                break;
            case SQLITE_INTEGER:
                v->kind = SO_VAL_INT;
                v->i = sqlite3_column_int64(st, (int)i);
                break;
            case SQLITE_FLOAT:
                v->kind = SO_VAL_REAL;
                v->r = sqlite3_column_double(st, (int)i);
                break;
            default:
                v->kind = SO_VAL_TEXT;
                v->s = (const char *)sqlite3_column_text(st, (int)i);
                break;
            }
        }
        struct so_row row = {table, n, cols, vals};
        code = fn(ctx, &row, err);
    }
    if (code == SO_OK && rc != SQLITE_DONE)
        code = store_db_fail(s, "copy: read", err);
    sqlite3_finalize(st);
    free(cols);
    free(vals);
    return code;
}

static enum so_status dump_head(struct store *s, so_row_fn fn, void *ctx,
                                struct so_error *err)
{
    int64_t seq;
    char hash[65];
    enum so_status code = store_chain_head(s, &seq, hash, err);
    if (code != SO_OK)
        return code;
    static const char *const cols[] = {"seq", "hash"};
    struct so_val vals[2] = {{SO_VAL_INT, seq, 0, NULL},
                             {SO_VAL_TEXT, 0, 0, hash}};
    struct so_row row = {COPY_CHAIN_HEAD, 2, cols, vals};
    return fn(ctx, &row, err);
}

enum so_status store_dump(struct queue *q, so_row_fn fn, void *ctx,
                          struct so_error *err)
{
    struct store *s = q->impl;
    if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return store_db_fail(s, "copy: begin", err);
    enum so_status code = SO_OK;
    for (size_t i = 0; copy_tables[i] && code == SO_OK; i++) {
        if (has_table(s, copy_tables[i], err, &code))
            code = dump_table(s, copy_tables[i], fn, ctx, err);
    }
    if (code == SO_OK)
        code = dump_head(s, fn, ctx, err);
    sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    return code;
}

enum so_status store_load_columns(struct queue *q, const char *table,
                                  char ***cols, struct so_error *err)
{
    struct store *s = q->impl;
    *cols = NULL;
    sqlite3_stmt *st = store_db_stmt(s, sql_columns, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":t", table);
    size_t n = 0;
    char **v = NULL;
    enum so_status code;
    while ((code = store_db_step(s, st, "the columns", err)) == SO_OK) {
        v = xrealloc(v, (n + 2) * sizeof *v);
        v[n++] = store_db_col_str(st, 0);
        v[n] = NULL;
    }
    code = store_db_finish(s, st, code, err);
    *cols = v;
    return code;
}

enum so_status store_load_begin(struct queue *q, struct so_error *err)
{
    struct store *s = q->impl;
    enum so_status code = store_db_begin(s, err);
    if (code != SO_OK)
        return code;
    sqlite3_stmt *st = store_db_stmt(s, sql_used, err);
    if (!st) {
        store_db_rollback(s);
        return err->code;
    }
    code = store_db_step(s, st, "the queue", err);
    int64_t drafts = sqlite3_column_int64(st, 0),
            decisions = sqlite3_column_int64(st, 1),
            other = sqlite3_column_int64(st, 2);
    code = store_db_finish(s, st, code, err);
    if (code == SO_OK && drafts + decisions + other > 0)
        code = so_fail(err, SO_ERR_CONFLICT,
                       "%s: not empty (%lld drafts, %lld decisions): copy "
                       "into a new queue",
                       s->path, (long long)drafts, (long long)decisions);
    if (code == SO_OK) {
        st = store_db_stmt(s, sql_clear_reasons, err);
        code = st ? store_db_run(s, st, err) : err->code;
    }
    if (code != SO_OK)
        store_db_rollback(s);
    return code;
}

static void bind_val(sqlite3_stmt *st, int i, const struct so_val *v)
{
    switch (v->kind) {
    case SO_VAL_NULL:
        sqlite3_bind_null(st, i);
        break;
    case SO_VAL_INT:
        sqlite3_bind_int64(st, i, v->i);
        break;
    case SO_VAL_REAL:
        sqlite3_bind_double(st, i, v->r);
        break;
    case SO_VAL_TEXT:
        sqlite3_bind_text(st, i, v->s, -1, SQLITE_TRANSIENT);
        break;
    }
}

static const struct so_val *col_of(const struct so_row *row, const char *name)
{
    for (size_t i = 0; i < row->n; i++)
        if (strcmp(row->cols[i], name) == 0)
            return &row->vals[i];
    return NULL;
}

enum so_status store_load_row(struct queue *q, const struct so_row *row,
                              struct so_error *err)
{
    struct store *s = q->impl;
    sqlite3_stmt *st;
    if (strcmp(row->table, COPY_CHAIN_HEAD) == 0) {
        const struct so_val *seq = col_of(row, "seq"), *hash = col_of(row, "hash");
        if (!seq || !hash || seq->kind != SO_VAL_INT || hash->kind != SO_VAL_TEXT)
            return so_fail(err, SO_ERR_INVALID, "copy: a chain head without "
                                                "its seq and hash");
        return store_chain_set_head(s, seq->i, hash->s, err);
    }
    char *sql = copy_insert_sql(row, 0, err);
    if (!sql)
        return err->code;
    st = store_db_stmt(s, sql, err);
    free(sql);
    if (!st)
        return err->code;
    for (size_t i = 0; i < row->n; i++)
        bind_val(st, (int)i + 1, &row->vals[i]);
    enum so_status code = store_db_run(s, st, err);
    if (code != SO_OK) {
        char why[sizeof err->msg];
        memcpy(why, err->msg, sizeof why);
        return so_fail(err, code, "copy: %s: %.400s", row->table, why);
    }
    return code;
}

static const char sql_count_decisions[] =
    "INSERT INTO decision_counts(workflow, action, n)"
    " SELECT d.workflow, x.action, count(*) FROM decisions x"
    " JOIN drafts d ON d.id = x.draft GROUP BY d.workflow, x.action";

enum so_status store_load_end(struct queue *q, int commit, struct so_error *err)
{
    struct store *s = q->impl;
    if (commit) {
        sqlite3_stmt *st = store_db_stmt(s, sql_count_decisions, err);
        enum so_status code = st ? store_db_run(s, st, err) : err->code;
        if (code == SO_OK)
            return store_db_commit(s, err);
        store_db_rollback(s);
        return code;
    }
    store_db_rollback(s);
    return SO_OK;
}
