/*
 * store_db: prepared-statement cache, transactions, busy handling and error
 * mapping for the SQLite store. Knows nothing of the schema. Never prints.
 */
#define _GNU_SOURCE
#include "signoff/store/sqlite/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct store_stmt_slot {
    char *sql; /* owned copy: the cache key */
    sqlite3_stmt *st;
};

static int busy_handler(void *arg, int count)
{
    struct store *s = arg;
    int64_t now = so_mono_ms();
    if (count == 0)
        s->busy_started = now;
    if (now - s->busy_started >= s->busy_budget_ms)
        return 0;
    /* Short jittered sleeps (1-10 ms): SQLite's own busy_timeout backs off
     * to 100 ms naps, so a steady stream of writers starves a waiter. */
    struct timespec ts = {0,
                          (long)(1 + rand_r(&s->rand_state) % 10) * 1000000L};
    nanosleep(&ts, NULL);
    return 1;
}

void store_db_busy_init(struct store *s, int64_t budget_ms)
{
    long v;
    const char *env = getenv("SIGNOFF_BUSY_TIMEOUT_MS");
    s->busy_budget_ms = STORE_BUSY_DEFAULT_MS;
    if (budget_ms > 0)
        s->busy_budget_ms = budget_ms;
    else if (env && so_parse_long(env, 0, 3600L * 1000, &v) == 0)
        s->busy_budget_ms = v;
    s->rand_state = (unsigned)so_mono_ms() ^ (unsigned)(uintptr_t)s;
    sqlite3_busy_handler(s->db, busy_handler, s);
}

sqlite3_stmt *store_db_stmt(struct store *s, const char *sql,
                            struct so_error *err)
{
    for (size_t i = 0; i < s->nstmts; i++) {
        struct store_stmt_slot *slot = &s->stmts[i];
        if (strcmp(slot->sql, sql) == 0) {
            sqlite3_reset(slot->st);
            sqlite3_clear_bindings(slot->st);
            return slot->st;
        }
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
                           NULL) != SQLITE_OK) {
        store_db_fail(s, "prepare", err);
        return NULL;
    }
    if (s->nstmts == s->capstmts) {
        s->capstmts = s->capstmts ? s->capstmts * 2 : 32;
        s->stmts = xrealloc(s->stmts, s->capstmts * sizeof *s->stmts);
    }
    s->stmts[s->nstmts].sql = xstrdup(sql);
    s->stmts[s->nstmts].st = st;
    s->nstmts++;
    return st;
}

enum so_status store_db_done(struct store *s, sqlite3_stmt *st,
                             struct so_error *err)
{
    int rc = sqlite3_reset(st);
    if (rc != SQLITE_OK)
        return store_db_fail(s, "query", err);
    return SO_OK;
}

enum so_status store_db_step(struct store *s, sqlite3_stmt *st,
                             const char *what, struct so_error *err)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        return SO_OK;
    if (rc == SQLITE_DONE)
        return SO_EMPTY;
    enum so_status code = store_db_fail(s, what, err);
    sqlite3_reset(st);
    return code;
}

enum so_status store_db_finish(struct store *s, sqlite3_stmt *st,
                               enum so_status code, struct so_error *err)
{
    if (code != SO_OK && code != SO_EMPTY)
        return code;
    return store_db_done(s, st, err);
}

enum so_status store_db_run(struct store *s, sqlite3_stmt *st,
                            struct so_error *err)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        enum so_status code = store_db_fail(s, "write", err);
        sqlite3_reset(st);
        return code;
    }
    return store_db_done(s, st, err);
}

void store_db_finalize(struct store *s)
{
    for (size_t i = 0; i < s->nstmts; i++) {
        sqlite3_finalize(s->stmts[i].st);
        free(s->stmts[i].sql);
    }
    free(s->stmts);
    s->stmts = NULL;
    s->nstmts = s->capstmts = 0;
}

enum so_status store_db_begin(struct store *s, struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, "BEGIN IMMEDIATE", err);
    if (!st)
        return err ? err->code : SO_ERR;
    return store_db_run(s, st, err);
}

enum so_status store_db_commit(struct store *s, struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, "COMMIT", err);
    enum so_status code = st ? store_db_run(s, st, err) : SO_ERR;
    if (code != SO_OK)
        store_db_rollback(s);
    return code;
}

void store_db_rollback(struct store *s)
{
    if (sqlite3_get_autocommit(s->db))
        return;
    sqlite3_stmt *st = store_db_stmt(s, "ROLLBACK", NULL);
    if (st) {
        sqlite3_step(st);
        sqlite3_reset(st);
    }
}

void store_db_durable(struct store *s, int durable)
{
    if (!s->sync_full)
        return;
    sqlite3_stmt *st = store_db_stmt(
        s, durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL",
        NULL);
    if (st) {
        sqlite3_step(st);
        sqlite3_reset(st);
    }
}

enum so_status store_db_status(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
        return SO_OK;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return SO_ERR_BUSY;
    case SQLITE_FULL:
        return SO_ERR_FULL;
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return SO_ERR_READONLY;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        return SO_ERR_CORRUPT;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
        return SO_ERR_IO;
    case SQLITE_CONSTRAINT:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
        return SO_ERR_INVALID;
    default:
        return SO_ERR;
    }
}

enum so_status store_db_fail(struct store *s, const char *what,
                             struct so_error *err)
{
    int rc = sqlite3_extended_errcode(s->db);
    enum so_status code = store_db_status(rc);
    switch (code) {
    case SO_ERR_BUSY:
        return so_fail(err, code,
                       "%s: locked by another process past the busy "
                       "timeout (%lld ms)",
                       s->path, (long long)s->busy_budget_ms);
    case SO_ERR_CORRUPT:
        return so_fail(err, code, "%s: not a signoff queue (%s)", s->path,
                       sqlite3_errmsg(s->db));
    case SO_ERR_READONLY:
        return so_fail(err, code, "%s: read-only: %s", s->path,
                       sqlite3_errmsg(s->db));
    default:
        return so_fail(err, code == SO_OK ? SO_ERR : code, "%s: %s: %s",
                       s->path, what, sqlite3_errmsg(s->db));
    }
}

static int param(sqlite3_stmt *st, const char *name)
{
    return sqlite3_bind_parameter_index(st, name);
}

void store_db_bind_text(sqlite3_stmt *st, const char *name, const char *v)
{
    int i = param(st, name);
    if (i == 0)
        return;
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

void store_db_bind_int(sqlite3_stmt *st, const char *name, int64_t v)
{
    int i = param(st, name);
    if (i)
        sqlite3_bind_int64(st, i, v);
}

void store_db_bind_double(sqlite3_stmt *st, const char *name, double v)
{
    int i = param(st, name);
    if (i)
        sqlite3_bind_double(st, i, v);
}

char *store_db_col_str(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? xstrdup((const char *)t) : NULL;
}

void store_db_col_buf(sqlite3_stmt *st, int col, char *out, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(out, size, "%s", t ? (const char *)t : "");
}

enum so_status store_db_immutable_ok(const char *path, struct so_error *err)
{
    char *wal = xasprintf("%s-wal", path);
    struct stat sb;
    int pages = stat(wal, &sb) == 0 && sb.st_size > 0;
    free(wal);
    if (!pages)
        return SO_OK;
    return so_fail(err, SO_ERR_READONLY,
                   "%s: cannot be read from here: its -wal file holds pages "
                   "not yet in the file, and this directory cannot be written "
                   "(for the -shm file); read a copy made with sqlite3's "
                   ".backup, or run where the queue is written",
                   path);
}

/* "file:PATH?immutable=1" with the URI's special characters escaped. */
char *store_db_immutable_uri(const char *path)
{
    struct buf b;
    buf_init(&b);
    buf_adds(&b, "file:");
    for (const char *p = path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#')
            buf_addf(&b, "%%%02x", (unsigned char)*p);
        else
            buf_addc(&b, *p);
    }
    buf_adds(&b, "?immutable=1");
    return buf_steal(&b);
}

enum so_status store_db_tx(struct store *s,
                           enum so_status (*fn)(struct store *s, void *arg,
                                                struct so_error *err),
                           void *arg, struct so_error *err)
{
    enum so_status code = store_db_begin(s, err);
    if (code != SO_OK)
        return code;
    code = fn(s, arg, err);
    if (code == SO_OK)
        return store_db_commit(s, err);
    store_db_rollback(s);
    return code;
}
