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
