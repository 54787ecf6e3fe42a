/*
 * store_pg_tokens: the tokens table on the PostgreSQL store (see
 * tokens.h). Each write that changes a token runs in one transaction with
 * its admin record; a use is noted by a statement that skips a row another
 * server is writing, so a busy token never becomes a row every request
 * waits on.
 */
#include "signoff/store/pg/tokens.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/admin.h"
#include "signoff/store/pg/admin.h"
#include "signoff/store/pg/db.h"
#include "signoff/token.h"

#define COLS                                                                   \
    "SELECT id, hash, prev_hash, prev_until, reviewer, role, scope, note,"     \
    " created_by, created_at, expires_at, revoked_at, last_used_at,"          \
    " last_addr FROM tokens"

static const char sql_list[] = COLS " ORDER BY created_at, made";
static const char sql_by_id[] = COLS " WHERE id = $1";
static const char sql_by_hash[] =
    COLS " WHERE hash = $1 UNION ALL " COLS " WHERE prev_hash = $1 LIMIT 1";

static const char sql_add[] =
    "INSERT INTO tokens (id, hash, reviewer, role, scope, note, created_by,"
    " created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    " RETURNING id";

static const char sql_revoke[] =
    "UPDATE tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at = 0"
    " RETURNING id";

static const char sql_rotate[] =
    "UPDATE tokens SET prev_hash = hash, prev_until = $3, hash = $2"
    " WHERE id = $1 AND revoked_at = 0 RETURNING id";

/* Only news is written (the server asks at most once a minute per
 * address), and a row locked by another server's note is skipped. */
static const char sql_used[] =
    "UPDATE tokens SET last_used_at = $2, last_addr = $3 WHERE id ="
    " (SELECT id FROM tokens WHERE id = $1 AND (last_used_at < $2"
    " OR last_addr IS DISTINCT FROM $3) FOR UPDATE SKIP LOCKED)";

static void read_row(const PGresult *r, int i, struct so_token *t)
{
    memset(t, 0, sizeof *t);
    t->id = pg_str(r, i, 0);
    t->hash = pg_str(r, i, 1);
    t->prev_hash = pg_str(r, i, 2);
    t->prev_until = pg_int(r, i, 3);
    t->reviewer = pg_str(r, i, 4);
    t->role = pg_str(r, i, 5);
    t->scope = pg_str(r, i, 6);
    t->note = pg_str(r, i, 7);
    t->created_by = pg_str(r, i, 8);
    t->created_at = pg_int(r, i, 9);
    t->expires_at = pg_int(r, i, 10);
    t->revoked_at = pg_int(r, i, 11);
    t->last_used_at = pg_int(r, i, 12);
    t->last_addr = pg_str(r, i, 13);
}

static enum so_status find_in(struct pgq *p, const char *id, const char *hash,
                              struct so_token *out, struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    memset(out, 0, sizeof *out);
    pg_arg_text(&a, id ? id : hash);
    enum so_status code = pg_run(p, id ? sql_by_id : sql_by_hash, &a, &r, err);
    if (code != SO_OK)
        return code;
    if (PQntuples(r))
        read_row(r, 0, out);
    else
        code = so_fail(err, SO_ERR_NOTFOUND, "%s: no such token",
                       id ? id : "the bearer token");
    PQclear(r);
    return code;
}

enum so_status pg_token_find(struct queue *q, const char *id,
                             const char *hash, struct so_token *out,
                             struct so_error *err)
{
    return find_in(q->impl, id, hash, out, err);
}

enum so_status pg_token_list(struct queue *q, struct so_token **out,
                             size_t *n, struct so_error *err)
{
    PGresult *r;
    *out = NULL;
    *n = 0;
    enum so_status code = pg_run(q->impl, sql_list, NULL, &r, err);
    if (code != SO_OK)
        return code;
    int rows = PQntuples(r);
    *out = rows ? xcalloc((size_t)rows, sizeof **out) : NULL;
    for (int i = 0; i < rows; i++)
        read_row(r, i, &(*out)[i]);
    *n = (size_t)rows;
    PQclear(r);
    return SO_OK;
}

/* One write to token id and, when it changed the row, the admin record of
 * verb (the row as it is now), in one transaction. */
struct write_ctx {
    const char *sql, *id, *verb;
    struct pg_args a;
    int changed;
};

static enum so_status write_tx(struct pgq *p, void *ctx, struct so_error *err)
{
    struct write_ctx *w = ctx;
    PGresult *r;
    enum so_status code = pg_run(p, w->sql, &w->a, &r, err);
    if (code != SO_OK)
        return code;
    w->changed = PQntuples(r); /* RETURNING id */
    PQclear(r);
    if (!w->changed)
        return SO_OK;
    struct so_token t;
    code = find_in(p, w->id, NULL, &t, err);
    if (code != SO_OK)
        return code;
    char *subject = xasprintf("token/%s", w->id);
    code = pg_admin_append(p, w->verb, subject, admin_token_detail(&t, w->verb),
                           err);
    free(subject);
    so_token_clear(&t);
    return code;
}

/* The changed-row count of a write to a token: 0 names the token. */
static enum so_status write_one(struct queue *q, struct write_ctx *w,
                                const char *why, struct so_error *err)
{
    enum so_status code = pg_tx(q->impl, write_tx, w, err);
    if (code == SO_OK && !w->changed)
        return so_fail(err, SO_ERR_NOTFOUND, "%s: no such token%s", w->id,
                       why);
    return code;
}

enum so_status pg_token_add(struct queue *q, const struct so_token *t,
                            struct so_error *err)
{
    struct write_ctx w = {.sql = sql_add, .id = t->id,
                          .verb = "token.create"};
    pg_arg_text(&w.a, t->id);
    pg_arg_text(&w.a, t->hash);
    pg_arg_text(&w.a, t->reviewer);
    pg_arg_text(&w.a, t->role);
    pg_arg_text(&w.a, t->scope);
    pg_arg_text(&w.a, t->note);
    pg_arg_text(&w.a, t->created_by);
    pg_arg_int(&w.a, t->created_at);
    pg_arg_int(&w.a, t->expires_at);
    return write_one(q, &w, "", err);
}

enum so_status pg_token_revoke(struct queue *q, const char *id, int64_t at,
                               struct so_error *err)
{
    struct write_ctx w = {.sql = sql_revoke, .id = id,
                          .verb = "token.revoke"};
    pg_arg_text(&w.a, id);
    pg_arg_int(&w.a, at);
    return write_one(q, &w, " (or already revoked)", err);
}

enum so_status pg_token_rotate(struct queue *q, const char *id,
                               const char *hash, int64_t prev_until,
                               struct so_error *err)
{
    struct write_ctx w = {.sql = sql_rotate, .id = id,
                          .verb = "token.rotate"};
    pg_arg_text(&w.a, id);
    pg_arg_text(&w.a, hash);
    pg_arg_int(&w.a, prev_until);
    return write_one(q, &w, " (or revoked)", err);
}

enum so_status pg_token_used(struct queue *q, const char *id, int64_t at,
                             const char *addr, struct so_error *err)
{
    struct pg_args a = {0};
    pg_arg_text(&a, id);
    pg_arg_int(&a, at);
    pg_arg_text(&a, addr);
    return pg_run(q->impl, sql_used, &a, NULL, err);
}
