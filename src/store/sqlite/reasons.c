/*
 * store_reasons: a workflow's reason codes on the SQLite store (see
 * store/sqlite/reasons.h). Statements are cached; must not begin or
 * commit a transaction.
 */
#include "signoff/store/sqlite/reasons.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/store/rules.h"

/* A workflow's own rows when it has any, else the default set's. */
static const char sql_list[] =
    "SELECT code, label, workflow <> '' FROM reasons WHERE workflow ="
    " CASE WHEN EXISTS (SELECT 1 FROM reasons WHERE workflow = :wf)"
    " THEN :wf ELSE '' END ORDER BY id";

static const char sql_drop[] = "DELETE FROM reasons WHERE workflow = :wf";

static const char sql_add[] =
    "INSERT INTO reasons(workflow, code, label) VALUES (:wf, :code, :label)";

enum so_status store_reasons_read(struct store *s, struct so_workflow *w,
                                  struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_list, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":wf", w->name);
    enum so_status code;
    size_t cap = 0;
    while ((code = store_db_step(s, st, "read reason codes", err)) == SO_OK) {
        if (w->nreasons == cap) {
            cap = cap ? cap * 2 : 8;
            w->reasons = xrealloc(w->reasons, cap * sizeof *w->reasons);
        }
        struct so_reason *r = &w->reasons[w->nreasons++];
        r->code = store_db_col_str(st, 0);
        r->label = store_db_col_str(st, 1);
        w->reasons_own = sqlite3_column_int(st, 2);
    }
    return store_db_finish(s, st, code, err);
}

enum so_status store_reasons_write(struct store *s, const char *name,
                                   const struct so_reason *v, size_t n,
                                   struct so_error *err)
{
    enum so_status code = store_rules_reasons(v, n, err);
    sqlite3_stmt *st = code == SO_OK ? store_db_stmt(s, sql_drop, err) : NULL;
    if (!st)
        return err->code;
    store_db_bind_text(st, ":wf", name);
    code = store_db_run(s, st, err);
    for (size_t i = 0; code == SO_OK && i < n; i++) {
        st = store_db_stmt(s, sql_add, err);
        if (!st)
            return err->code;
        store_db_bind_text(st, ":wf", name);
        store_db_bind_text(st, ":code", v[i].code);
        store_db_bind_text(st, ":label", v[i].label);
        code = store_db_run(s, st, err);
    }
    return code;
}

enum so_status store_reasons_check(struct store *s, const char *id,
                                   const char *workflow, const char *code,
                                   struct so_error *err)
{
    struct so_workflow w;
    memset(&w, 0, sizeof w);
    w.name = (char *)workflow;
    enum so_status st = store_reasons_read(s, &w, err);
    if (st == SO_OK)
        st = store_rules_reason_in(id, &w, code, err);
    w.name = NULL;
    so_workflow_clear(&w);
    return st;
}
