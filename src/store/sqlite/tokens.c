/*
 * store_tokens: the tokens table (store/sqlite/tokens.h). Prepared
 * statements with bound parameters; the rules are token.c's.
 */
#include "signoff/store/sqlite/tokens.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/admin.h"
#include "signoff/store/sqlite/admin.h"
#include "signoff/store/sqlite/db.h"
#include "signoff/token.h"

#define COLS                                                                   \
    "id, hash, prev_hash, prev_until, reviewer, role, scope, note,"           \
    " created_by, created_at, expires_at, revoked_at, last_used_at,"          \
    " last_addr"

static void read_row(sqlite3_stmt *st, struct so_token *t)
{
    t->id = store_db_col_str(st, 0);
    t->hash = store_db_col_str(st, 1);
    t->prev_hash = store_db_col_str(st, 2);
    t->prev_until = sqlite3_column_int64(st, 3);
    t->reviewer = store_db_col_str(st, 4);
    t->role = store_db_col_str(st, 5);
    t->scope = store_db_col_str(st, 6);
    t->note = store_db_col_str(st, 7);
    t->created_by = store_db_col_str(st, 8);
    t->created_at = sqlite3_column_int64(st, 9);
    t->expires_at = sqlite3_column_int64(st, 10);
    t->revoked_at = sqlite3_column_int64(st, 11);
    t->last_used_at = sqlite3_column_int64(st, 12);
    t->last_addr = store_db_col_str(st, 13);
}

/* The admin record of verb on token id (its row as it is now), in the
 * caller's transaction. */
static enum so_status token_admin(struct queue *q, const char *id,
                                  const char *verb, struct so_error *err)
{
    struct so_token t;
    enum so_status code = store_token_find(q, id, NULL, &t, err);
    if (code != SO_OK)
        return code;
    char *subject = xasprintf("token/%s", id);
    code = store_admin_append(q->impl, verb, subject,
                              admin_token_detail(&t, verb), err);
    free(subject);
    so_token_clear(&t);
    return code;
}

/* Run one write statement in its own transaction, with the admin record of
 * verb on token id when it changed a row (verb NULL: none); *changed gets
 * the rows it changed. */
static enum so_status write_one(struct queue *q, sqlite3_stmt *st,
                                const char *id, const char *verb,
                                int *changed, struct so_error *err)
{
    struct store *s = q->impl;
    enum so_status code = store_db_begin(s, err);
    if (code != SO_OK) {
        sqlite3_reset(st);
        return code;
    }
    code = store_db_run(s, st, err);
    int n = sqlite3_changes(s->db);
    if (changed)
        *changed = n;
    if (code == SO_OK && verb && n > 0)
        code = token_admin(q, id, verb, err);
    if (code == SO_OK)
        return store_db_commit(s, err);
    store_db_rollback(s);
    return code;
}

enum so_status store_token_add(struct queue *q, const struct so_token *t,
                               struct so_error *err)
{
    struct store *s = q->impl;
    sqlite3_stmt *st = store_db_stmt(
        s,
        "INSERT INTO tokens (id, hash, reviewer, role, scope, note,"
        " created_by, created_at, expires_at) VALUES (:id, :hash,"
        " :reviewer, :role, :scope, :note, :by, :at, :expires)",
        err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":id", t->id);
    store_db_bind_text(st, ":hash", t->hash);
    store_db_bind_text(st, ":reviewer", t->reviewer);
    store_db_bind_text(st, ":role", t->role);
    store_db_bind_text(st, ":scope", t->scope);
    store_db_bind_text(st, ":note", t->note);
    store_db_bind_text(st, ":by", t->created_by);
    store_db_bind_int(st, ":at", t->created_at);
    store_db_bind_int(st, ":expires", t->expires_at);
    return write_one(q, st, t->id, "token.create", NULL, err);
}

enum so_status store_token_list(struct queue *q, struct so_token **out,
                                size_t *n, struct so_error *err)
{
    struct store *s = q->impl;
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = store_db_stmt(
        s, "SELECT " COLS " FROM tokens ORDER BY created_at, rowid", err);
    if (!st)
        return err->code;
    size_t cap = 0;
    enum so_status code;
    while ((code = store_db_step(s, st, "tokens", err)) == SO_OK) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        memset(&(*out)[*n], 0, sizeof **out);
        read_row(st, &(*out)[(*n)++]);
    }
    code = store_db_finish(s, st, code, err);
    if (code != SO_EMPTY && code != SO_OK) {
        for (size_t i = 0; i < *n; i++)
            so_token_clear(&(*out)[i]);
        free(*out);
        *out = NULL;
        *n = 0;
        return code;
    }
    return SO_OK;
}

enum so_status store_token_find(struct queue *q, const char *id,
                                const char *hash, struct so_token *out,
                                struct so_error *err)
{
    struct store *s = q->impl;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = store_db_stmt(
        s,
        id ? "SELECT " COLS " FROM tokens WHERE id = :id"
           : "SELECT " COLS " FROM tokens WHERE hash = :hash"
             " UNION ALL SELECT " COLS " FROM tokens WHERE prev_hash = :hash"
             " LIMIT 1",
        err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":id", id);
    store_db_bind_text(st, ":hash", hash);
    enum so_status found = store_db_step(s, st, "tokens", err);
    if (found == SO_OK)
        read_row(st, out);
    enum so_status code = store_db_finish(s, st, found, err);
    if (code != SO_OK)
        so_token_clear(out);
    else if (found == SO_EMPTY)
        return so_fail(err, SO_ERR_NOTFOUND, "%s: no such token",
                       id ? id : "the bearer token");
    return code;
}

/* The changed-row count of a write to a token: 0 names the token. */
static enum so_status changed_or_missing(int changed, const char *id,
                                         const char *why,
                                         struct so_error *err)
{
    return changed ? SO_OK
                   : so_fail(err, SO_ERR_NOTFOUND, "%s: no such token%s", id,
                             why);
}

enum so_status store_token_revoke(struct queue *q, const char *id, int64_t at,
                                  struct so_error *err)
{
    struct store *s = q->impl;
    sqlite3_stmt *st = store_db_stmt(
        s,
        "UPDATE tokens SET revoked_at = :at WHERE id = :id AND"
        " revoked_at = 0",
        err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":id", id);
    store_db_bind_int(st, ":at", at);
    int changed = 0;
    enum so_status code = write_one(q, st, id, "token.revoke", &changed, err);
    return code != SO_OK ? code
                         : changed_or_missing(changed, id, " (or already "
                                              "revoked)", err);
}

enum so_status store_token_rotate(struct queue *q, const char *id,
                                  const char *hash, int64_t prev_until,
                                  struct so_error *err)
{
    struct store *s = q->impl;
    sqlite3_stmt *st = store_db_stmt(
        s,
        "UPDATE tokens SET prev_hash = hash, prev_until = :until,"
        " hash = :hash WHERE id = :id AND revoked_at = 0",
        err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":id", id);
    store_db_bind_text(st, ":hash", hash);
    store_db_bind_int(st, ":until", prev_until);
    int changed = 0;
    enum so_status code = write_one(q, st, id, "token.rotate", &changed, err);
    return code != SO_OK ? code
                         : changed_or_missing(changed, id, " (or revoked)",
                                              err);
}

enum so_status store_token_used(struct queue *q, const char *id, int64_t at,
                                const char *addr, struct so_error *err)
{
    struct store *s = q->impl;
    sqlite3_stmt *st = store_db_stmt(
        s,
        "UPDATE tokens SET last_used_at = :at, last_addr = :addr"
        " WHERE id = :id",
        err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":id", id);
    store_db_bind_int(st, ":at", at);
    store_db_bind_text(st, ":addr", addr);
    return write_one(q, st, id, NULL, NULL, err);
}
