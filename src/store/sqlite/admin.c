/*
 * store_admin: admin records in the SQLite store's chain (store/sqlite/
 * admin.h). The record is made by admin.c; this file appends it.
 */
#include "signoff/store/sqlite/admin.h"

#include <string.h>

#include "signoff/admin.h"
#include "signoff/store/sqlite/chain.h"

enum so_status store_admin_append(struct store *s, const char *verb,
                                  const char *subject, char *detail,
                                  struct so_error *err)
{
    struct so_decision d;
    admin_record_init(&d, verb, subject, s->reviewer, detail, so_now_ms());
    enum so_status code = store_chain_append(s, &d, err);
    so_decision_clear(&d);
    return code;
}

enum so_status store_admin_record(struct queue *q, const char *verb,
                                  const char *subject, const char *detail,
                                  struct so_decide_result *res,
                                  struct so_error *err)
{
    struct store *s = q->impl;
    memset(res, 0, sizeof *res);
    enum so_status code = store_db_begin(s, err);
    if (code != SO_OK)
        return code;
    struct so_decision d;
    admin_record_init(&d, verb, subject, s->reviewer, xstrdup(detail),
                      so_now_ms());
    code = store_chain_append(s, &d, err);
    if (code == SO_OK) {
        res->seq = d.seq;
        memcpy(res->hash, d.hash, sizeof res->hash);
        res->action = SO_ACT_ADMIN;
        res->decided_at = d.decided_at;
    }
    so_decision_clear(&d);
    if (code == SO_OK)
        return store_db_commit(s, err);
    store_db_rollback(s);
    return code;
}

enum so_status store_admin_last(struct queue *q, const char *verb,
                                struct so_decision *out, struct so_error *err)
{
    struct store *s = q->impl;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = store_db_stmt(
        s,
        "SELECT seq, reviewer, decided_at, note FROM decisions"
        " INDEXED BY decisions_admin WHERE kind = 'admin' AND reason = :verb"
        " ORDER BY seq DESC LIMIT 1",
        err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":verb", verb);
    enum so_status found = store_db_step(s, st, "admin records", err);
    if (found == SO_OK) {
        out->seq = sqlite3_column_int64(st, 0);
        out->reviewer = store_db_col_str(st, 1);
        out->decided_at = sqlite3_column_int64(st, 2);
        out->note = store_db_col_str(st, 3);
        out->reason = xstrdup(verb);
        out->kind = xstrdup("admin");
        out->action = SO_ACT_ADMIN;
    }
    enum so_status code = store_db_finish(s, st, found, err);
    if (code != SO_OK) {
        so_decision_clear(out);
        return code;
    }
    return found;
}
