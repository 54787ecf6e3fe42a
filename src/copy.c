/*
 * copy: `signoff copy` as one run (see copy.h). The source's dump calls
 * back with each row; the run keeps only the columns the target has (asked
 * once per table), counts what the target has no place for, and hands the
 * row to the target's load. Both stores' rules stay where they are: a copy
 * moves rows, it decides nothing.
 */
#include "signoff/copy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const copy_tables[] = {
    "workflows",   "reasons",     "workflow_events", "policy_events",
    "drafts",      "citations",   "decisions",       "outcomes",
    "tokens",      "hooks",       "deliveries",      "delivery_attempts",
    "rollup",      "rollup_hist", "rollup_reasons",  "agreement",
    "resolutions", "gold",        "gold_answers",    NULL,
};

int copy_name_ok(const char *name)
{
    size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_");
    return n > 0 && n < 64 && name[n] == '\0' &&
           !(name[0] >= '0' && name[0] <= '9');
}

char *copy_insert_sql(const struct so_row *row, int dollar,
                      struct so_error *err)
{
    if (!copy_name_ok(row->table)) {
        so_fail(err, SO_ERR_INVALID, "copy: not a table name: %.80s",
                row->table);
        return NULL;
    }
    struct buf b;
    buf_init(&b);
    buf_addf(&b, "INSERT INTO %s (", row->table);
    for (size_t i = 0; i < row->n; i++) {
        if (!copy_name_ok(row->cols[i])) {
            buf_free(&b);
            so_fail(err, SO_ERR_INVALID, "copy: %s: not a column name: %.80s",
                    row->table, row->cols[i]);
            return NULL;
        }
        buf_addf(&b, "%s%s", i ? ", " : "", row->cols[i]);
    }
    buf_adds(&b, ") VALUES (");
    for (size_t i = 0; i < row->n; i++) {
        if (dollar)
            buf_addf(&b, "%s$%zu", i ? ", " : "", i + 1);
        else
            buf_adds(&b, i ? ", ?" : "?");
    }
    buf_adds(&b, ")");
    return buf_steal(&b);
}

/* A table or column the target lacks, with what it held. */
struct lost {
    char *what;
    int64_t n;
    int table; /* 1: a whole table (n rows), 0: a column (n values) */
};

struct run {
    struct queue *to;
    struct copy_report *r;
    char *table;  /* the table being copied */
    char **cols;  /* the target's columns of it; NULL: no such table */
    struct lost *lost;
    size_t nlost;
    const char **keep_cols; /* the row as loaded */
    struct so_val *keep_vals;
    size_t cap;
};

static void free_cols(char **cols)
{
    for (size_t i = 0; cols && cols[i]; i++)
        free(cols[i]);
    free(cols);
}

void copy_report_clear(struct copy_report *r)
{
    free(r->not_copied);
    memset(r, 0, sizeof *r);
}

static int has_col(char *const *cols, const char *name)
{
    for (size_t i = 0; cols[i]; i++)
        if (strcmp(cols[i], name) == 0)
            return 1;
    return 0;
}

static int is_value(const struct so_val *v)
{
    return (v->kind == SO_VAL_INT && v->i != 0) ||
           (v->kind == SO_VAL_REAL && v->r != 0) ||
           (v->kind == SO_VAL_TEXT && v->s && *v->s);
}

/* Count n more of what (a table or TABLE.COLUMN) as not copied. */
static void lose(struct run *u, const char *what, int table, int64_t n)
{
    for (size_t i = 0; i < u->nlost; i++)
        if (strcmp(u->lost[i].what, what) == 0) {
            u->lost[i].n += n;
            return;
        }
    u->lost = xrealloc(u->lost, (u->nlost + 1) * sizeof *u->lost);
    u->lost[u->nlost].what = xstrdup(what);
    u->lost[u->nlost].n = n;
    u->lost[u->nlost].table = table;
    u->nlost++;
}

/* A new table begins: ask the target for its columns. */
static enum so_status next_table(struct run *u, const char *table,
                                 struct so_error *err)
{
    free(u->table);
    free_cols(u->cols);
    u->cols = NULL;
    u->table = xstrdup(table);
    return u->to->ops->load_columns(u->to, table, &u->cols, err);
}

static void count(struct copy_report *r, const char *table)
{
    r->rows++;
    if (strcmp(table, "drafts") == 0)
        r->drafts++;
    else if (strcmp(table, "decisions") == 0)
        r->decisions++;
    else if (strcmp(table, "workflows") == 0)
        r->workflows++;
}

static enum so_status on_row(void *ctx, const struct so_row *row,
                             struct so_error *err)
{
    struct run *u = ctx;
    if (strcmp(row->table, COPY_CHAIN_HEAD) == 0) {
        for (size_t i = 0; i < row->n; i++) {
            if (strcmp(row->cols[i], "seq") == 0)
                u->r->head_seq = row->vals[i].i;
            else if (strcmp(row->cols[i], "hash") == 0 && row->vals[i].s)
                snprintf(u->r->head_hash, sizeof u->r->head_hash, "%s",
                         row->vals[i].s);
        }
        return u->to->ops->load_row(u->to, row, err);
    }
    if (!u->table || strcmp(u->table, row->table) != 0) {
        enum so_status code = next_table(u, row->table, err);
        if (code != SO_OK)
            return code;
    }
    if (!u->cols) {
        lose(u, row->table, 1, 1);
        return SO_OK;
    }
    if (row->n > u->cap) {
        u->cap = row->n;
        u->keep_cols = xrealloc(u->keep_cols, u->cap * sizeof *u->keep_cols);
        u->keep_vals = xrealloc(u->keep_vals, u->cap * sizeof *u->keep_vals);
    }
    struct so_row keep = {row->table, 0, u->keep_cols, u->keep_vals};
    for (size_t i = 0; i < row->n; i++) {
        if (has_col(u->cols, row->cols[i])) {
            u->keep_cols[keep.n] = row->cols[i];
            u->keep_vals[keep.n++] = row->vals[i];
        } else if (is_value(&row->vals[i])) {
            char *what = xasprintf("%s.%s", row->table, row->cols[i]);
            lose(u, what, 0, 1);
            free(what);
        }
    }
    enum so_status code = u->to->ops->load_row(u->to, &keep, err);
    if (code == SO_EMPTY) { /* a row the target's schema cannot hold */
        lose(u, row->table, 1, 1);
        return SO_OK;
    }
    if (code == SO_OK)
        count(u->r, row->table);
    return code;
}

/* "TABLE (N rows), TABLE.COLUMN (N values)", or NULL. */
static char *describe_lost(const struct run *u)
{
    if (!u->nlost)
        return NULL;
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < u->nlost; i++)
        buf_addf(&b, "%s%s (%lld %s%s)", i ? ", " : "", u->lost[i].what,
                   (long long)u->lost[i].n, u->lost[i].table ? "row" : "value",
                   u->lost[i].n == 1 ? "" : "s");
    return buf_steal(&b);
}

enum so_status copy_queue(struct queue *from, struct queue *to,
                          struct copy_report *r, struct so_error *err)
{
    memset(r, 0, sizeof *r);
    if (!from->ops->dump)
        return so_fail(err, SO_ERR_USAGE,
                       "%s: a %s queue cannot be copied from here: copy on "
                       "the host that holds it",
                       from->spec, from->ops->name);
    if (!to->ops->load_begin)
        return so_fail(err, SO_ERR_USAGE,
                       "%s: a %s queue cannot be copied to from here: copy "
                       "on the host that holds it",
                       to->spec, to->ops->name);
    enum so_status code = to->ops->load_begin(to, err);
    if (code != SO_OK)
        return code;
    struct run u = {to, r, NULL, NULL, NULL, 0, NULL, NULL, 0};
    code = from->ops->dump(from, on_row, &u, err);
    struct so_error end_err;
    enum so_status end = to->ops->load_end(to, code == SO_OK, &end_err);
    if (code == SO_OK && end != SO_OK) {
        *err = end_err;
        code = end;
    }
    if (code == SO_OK)
        r->not_copied = describe_lost(&u);
    for (size_t i = 0; i < u.nlost; i++)
        free(u.lost[i].what);
    free(u.lost);
    free(u.table);
    free_cols(u.cols);
    free(u.keep_cols);
    free(u.keep_vals);
    return code;
}
