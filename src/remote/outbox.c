/*
 * outbox: decisions written locally before they are sent (see outbox.h).
 * One small SQLite file shared by every signoff process of the user, so
 * a busy handler and short transactions; statements are prepared once.
 * Never talks to the network, never prints.
 */
#include "signoff/remote/outbox.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OUTBOX_BUSY_MS 10000

/* ident: the token that made the decision, who: the person the server
 * names for it (outbox.h); '' for a row written before rows had an owner,
 * or who the server never named. owners: who each token of a queue is,
 * as the server last said. held: the drafts each token claimed and has
 * not yet released or decided (outbox_hold). */
static const char outbox_schema[] =
    "CREATE TABLE IF NOT EXISTS outbox ("
    " request_id TEXT PRIMARY KEY, url TEXT NOT NULL,"
    " draft_id TEXT NOT NULL, body TEXT NOT NULL,"
    " created_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
    " ident TEXT NOT NULL DEFAULT '', who TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX IF NOT EXISTS outbox_url ON outbox(url, created_at);"
    "CREATE TABLE IF NOT EXISTS failed ("
    " request_id TEXT PRIMARY KEY, url TEXT NOT NULL,"
    " draft_id TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL,"
    " failed_at INTEGER NOT NULL, code TEXT NOT NULL, message TEXT NOT NULL,"
    " ident TEXT NOT NULL DEFAULT '', who TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE IF NOT EXISTS owners ("
    " url TEXT NOT NULL, ident TEXT NOT NULL, who TEXT NOT NULL,"
    " PRIMARY KEY (url, ident));"
    "CREATE TABLE IF NOT EXISTS held ("
    " url TEXT NOT NULL, ident TEXT NOT NULL, draft_id TEXT NOT NULL,"
    " PRIMARY KEY (url, ident, draft_id));";

/* An outbox from before identities, or before persons: add the columns
 * to both tables (each upgrade, by the column the outbox lacks). */
static const char *const outbox_upgrades[][2] = {
    {"ident", "ALTER TABLE outbox ADD COLUMN ident TEXT NOT NULL DEFAULT '';"
              "ALTER TABLE failed ADD COLUMN ident TEXT NOT NULL DEFAULT '';"},
    {"who", "ALTER TABLE outbox ADD COLUMN who TEXT NOT NULL DEFAULT '';"
            "ALTER TABLE failed ADD COLUMN who TEXT NOT NULL DEFAULT '';"},
};
static const char outbox_has_column[] =
    "SELECT count(*) FROM pragma_table_info('outbox') WHERE name = ?1";

/* The rows of one identity on one queue: its token's (?2), the ownerless
 * old ones, and those the same person made with another token (?4, when
 * the server named the person: a token rotated while decisions waited). */
#define MINE " WHERE url = ?1 AND (ident IN (?2, '') OR (?4 <> '' AND who = ?4))"

enum outbox_stmt {
    ST_PUT,
    ST_REMOVE,
    ST_TOUCH,
    ST_TO_FAILED,
    ST_COUNT,
    ST_FAILED_COUNT,
    ST_PENDING,
    ST_OWN,
    ST_ADOPT,
    ST_HOLD,
    ST_UNHOLD,
    ST_HOLDS,
    ST_COUNT_OF_STMTS
};

static const char *const outbox_sql[ST_COUNT_OF_STMTS] = {
    [ST_PUT] = "INSERT OR IGNORE INTO outbox(request_id, url, draft_id, body,"
               " created_at, ident, who) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
               " coalesce(nullif(?7, ''), (SELECT who FROM owners"
               " WHERE url = ?2 AND ident = ?6), ''))",
    [ST_REMOVE] = "DELETE FROM outbox WHERE request_id = ?1",
    [ST_TOUCH] = "UPDATE outbox SET attempts = attempts + 1"
                 " WHERE request_id = ?1",
    [ST_TO_FAILED] = "INSERT OR REPLACE INTO failed(request_id, url, draft_id,"
                     " body, created_at, failed_at, code, message, ident,"
                     " who) SELECT request_id, url, draft_id, body,"
                     " created_at, ?2, ?3, ?4, ident, who FROM outbox"
                     " WHERE request_id = ?1",
    [ST_COUNT] = "SELECT count(*) FROM outbox" MINE,
    [ST_FAILED_COUNT] = "SELECT count(*) FROM failed" MINE,
    [ST_PENDING] = "SELECT request_id, draft_id, body, created_at, attempts"
                   " FROM outbox" MINE
                   " ORDER BY created_at, request_id LIMIT ?3",
    [ST_OWN] = "INSERT INTO owners(url, ident, who) VALUES (?1, ?2, ?3)"
               " ON CONFLICT(url, ident) DO UPDATE SET who = excluded.who"
               " WHERE who <> excluded.who",
    [ST_ADOPT] = "UPDATE outbox SET who = ?3"
                 " WHERE url = ?1 AND ident = ?2 AND who = ''",
    [ST_HOLD] = "INSERT OR IGNORE INTO held(url, ident, draft_id)"
                " VALUES (?1, ?2, ?3)",
    [ST_UNHOLD] = "DELETE FROM held WHERE url = ?1 AND ident = ?2"
                  " AND draft_id = ?3",
    [ST_HOLDS] = "SELECT count(*) FROM held WHERE url = ?1 AND ident = ?2"
                 " AND draft_id = ?3",
};

struct outbox {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *st[ST_COUNT_OF_STMTS];
};

static enum so_status db_fail(struct outbox *ob, struct so_error *err,
                              const char *what)
{
    int rc = sqlite3_errcode(ob->db);
    enum so_status code = rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? SO_ERR_BUSY
                          : rc == SQLITE_FULL                      ? SO_ERR_FULL
                          : rc == SQLITE_READONLY ? SO_ERR_READONLY
                                                  : SO_ERR_IO;
    return so_fail(err, code, "%s: %s: %s", ob->path, what,
                   sqlite3_errmsg(ob->db));
}

/* Run a statement that returns no rows, then reset it. */
static enum so_status step_done(struct outbox *ob, sqlite3_stmt *st,
                                const char *what, struct so_error *err)
{
    int rc = sqlite3_step(st);
    enum so_status s = SO_OK;
    if (rc != SQLITE_DONE)
        s = db_fail(ob, err, what);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return s;
}

static enum so_status outbox_setup(struct outbox *ob, struct so_error *err)
{
    sqlite3_busy_timeout(ob->db, OUTBOX_BUSY_MS);
    if (sqlite3_exec(ob->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(ob->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(ob->db, outbox_schema, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(ob, err, "cannot set up the outbox");
    for (size_t u = 0; u < sizeof outbox_upgrades / sizeof *outbox_upgrades;
         u++) {
        sqlite3_stmt *st = NULL;
        int has = 0;
        if (sqlite3_prepare_v2(ob->db, outbox_has_column, -1, &st, NULL) ==
                SQLITE_OK &&
            sqlite3_bind_text(st, 1, outbox_upgrades[u][0], -1,
                              SQLITE_STATIC) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            has = sqlite3_column_int(st, 0) > 0;
        sqlite3_finalize(st);
        if (!has && sqlite3_exec(ob->db, outbox_upgrades[u][1], NULL, NULL,
                                 NULL) != SQLITE_OK)
            return db_fail(ob, err, "cannot upgrade the outbox");
    }
    for (int i = 0; i < ST_COUNT_OF_STMTS; i++)
        if (sqlite3_prepare_v3(ob->db, outbox_sql[i], -1,
                               SQLITE_PREPARE_PERSISTENT, &ob->st[i],
                               NULL) != SQLITE_OK)
            return db_fail(ob, err, "cannot prepare a statement");
    return SO_OK;
}

static char *outbox_default_path(struct so_error *err)
{
    char *dir = so_xdg_dir("STATE");
    if (so_mkdirs(dir, 0700, err) != SO_OK) {
        free(dir);
        return NULL;
    }
    char *path = xasprintf("%s/outbox.db", dir);
    free(dir);
    return path;
}

/* The outbox holds decisions nobody else may read: created 0600 and never
 * through a symbolic link; an older outbox of ours that others could read
 * is narrowed to 0600 (its -wal and -shm take the file's mode when SQLite
 * makes them). */
static enum so_status private_file(const char *path, struct so_error *err)
{
    int created;
    struct stat sb;
    enum so_status s = so_file_ensure(path, 0600, &created, err);
    if (s != SO_OK || created)
        return s;
    if (stat(path, &sb) == 0 && sb.st_uid == geteuid() &&
        (sb.st_mode & 077) && chmod(path, 0600) != 0)
        return so_fail(err, SO_ERR_IO, "%s: %s", path, strerror(errno));
    return SO_OK;
}

enum so_status outbox_open(const char *path, struct outbox **out,
                           struct so_error *err)
{
    char *p = path ? xstrdup(path) : outbox_default_path(err);
    if (!p)
        return err ? err->code : SO_ERR_IO;
    enum so_status s = private_file(p, err);
    if (s != SO_OK) {
        free(p);
        return s;
    }
    struct outbox *ob = xcalloc(1, sizeof *ob);
    ob->path = p;
    int rc = sqlite3_open_v2(p, &ob->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                 SQLITE_OPEN_NOMUTEX,
                             NULL);
    s = rc == SQLITE_OK ? outbox_setup(ob, err)
                                       : so_fail(err, SO_ERR_IO,
                                                 "%s: cannot open the outbox",
                                                 p);
    if (s != SO_OK) {
        outbox_close(ob);
        return s;
    }
    *out = ob;
    return SO_OK;
}

void outbox_close(struct outbox *ob)
{
    if (!ob)
        return;
    for (int i = 0; i < ST_COUNT_OF_STMTS; i++)
        sqlite3_finalize(ob->st[i]);
    sqlite3_close(ob->db);
    free(ob->path);
    free(ob);
}

enum so_status outbox_put(struct outbox *ob, const char *url,
                          const char *ident, const char *who,
                          const char *request_id, const char *draft_id,
                          const char *body, struct so_error *err)
{
    sqlite3_stmt *st = ob->st[ST_PUT];
    sqlite3_bind_text(st, 6, ident, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, who ? who : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 1, request_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, url, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, draft_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, body, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, so_now_ms());
    return step_done(ob, st, "cannot write the decision", err);
}

static enum so_status by_request(struct outbox *ob, enum outbox_stmt which,
                                 const char *request_id, const char *what,
                                 struct so_error *err)
{
    sqlite3_stmt *st = ob->st[which];
    sqlite3_bind_text(st, 1, request_id, -1, SQLITE_STATIC);
    return step_done(ob, st, what, err);
}

enum so_status outbox_remove(struct outbox *ob, const char *request_id,
                             struct so_error *err)
{
    return by_request(ob, ST_REMOVE, request_id, "cannot remove a decision",
                      err);
}

enum so_status outbox_touch(struct outbox *ob, const char *request_id,
                            struct so_error *err)
{
    return by_request(ob, ST_TOUCH, request_id, "cannot count an attempt",
                      err);
}

enum so_status outbox_fail(struct outbox *ob, const char *request_id,
                           const char *code, const char *message,
                           struct so_error *err)
{
    if (sqlite3_exec(ob->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(ob, err, "cannot begin");
    sqlite3_stmt *st = ob->st[ST_TO_FAILED];
    sqlite3_bind_text(st, 1, request_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, so_now_ms());
    sqlite3_bind_text(st, 3, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, message, -1, SQLITE_STATIC);
    enum so_status s = step_done(ob, st, "cannot keep a failed decision", err);
    if (s == SO_OK)
        s = outbox_remove(ob, request_id, err);
    if (s != SO_OK) {
        sqlite3_exec(ob->db, "ROLLBACK", NULL, NULL, NULL);
        return s;
    }
    if (sqlite3_exec(ob->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        s = db_fail(ob, err, "cannot commit");
        sqlite3_exec(ob->db, "ROLLBACK", NULL, NULL, NULL);
    }
    return s;
}

enum so_status outbox_own(struct outbox *ob, const char *url,
                          const char *ident, const char *who,
                          struct so_error *err)
{
    enum so_status s = SO_OK;
    for (int which = ST_OWN; which <= ST_ADOPT && s == SO_OK; which++) {
        sqlite3_stmt *st = ob->st[which];
        sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, ident, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, who, -1, SQLITE_STATIC);
        s = step_done(ob, st, "cannot record whose token it is", err);
    }
    return s;
}

/* Bind url, ident and draft_id to a statement on held. */
static sqlite3_stmt *held_stmt(struct outbox *ob, enum outbox_stmt which,
                               const char *url, const char *ident,
                               const char *draft_id)
{
    sqlite3_stmt *st = ob->st[which];
    sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, ident, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, draft_id, -1, SQLITE_STATIC);
    return st;
}

enum so_status outbox_hold(struct outbox *ob, const char *url,
                           const char *ident, const char *draft_id, int held,
                           struct so_error *err)
{
    return step_done(ob,
                     held_stmt(ob, held ? ST_HOLD : ST_UNHOLD, url, ident,
                               draft_id),
                     "cannot note a claim", err);
}

enum so_status outbox_holds(struct outbox *ob, const char *url,
                            const char *ident, const char *draft_id,
                            int *held, struct so_error *err)
{
    sqlite3_stmt *st = held_stmt(ob, ST_HOLDS, url, ident, draft_id);
    enum so_status s = SO_OK;
    if (sqlite3_step(st) == SQLITE_ROW)
        *held = sqlite3_column_int(st, 0) > 0;
    else
        s = db_fail(ob, err, "cannot read the claims");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return s;
}

static enum so_status count_of(struct outbox *ob, enum outbox_stmt which,
                               const char *url, const char *ident,
                               const char *who, int64_t *n,
                               struct so_error *err)
{
    sqlite3_stmt *st = ob->st[which];
    sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, ident, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, who ? who : "", -1, SQLITE_STATIC);
    enum so_status s = SO_OK;
    if (sqlite3_step(st) == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0);
    else
        s = db_fail(ob, err, "cannot count decisions");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return s;
}

enum so_status outbox_count(struct outbox *ob, const char *url,
                            const char *ident, const char *who, int64_t *n,
                            struct so_error *err)
{
    return count_of(ob, ST_COUNT, url, ident, who, n, err);
}

enum so_status outbox_failed_count(struct outbox *ob, const char *url,
                                   const char *ident, const char *who,
                                   int64_t *n, struct so_error *err)
{
    return count_of(ob, ST_FAILED_COUNT, url, ident, who, n, err);
}

static char *column_dup(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return xstrdup(t ? (const char *)t : "");
}

enum so_status outbox_pending(struct outbox *ob, const char *url,
                              const char *ident, const char *who, size_t max,
                              struct outbox_entry **out, size_t *n,
                              struct so_error *err)
{
    sqlite3_stmt *st = ob->st[ST_PENDING];
    sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, ident, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, who ? who : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)max);
    struct outbox_entry *e = NULL;
    size_t len = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        e = xrealloc(e, (len + 1) * sizeof *e);
        e[len].request_id = column_dup(st, 0);
        e[len].draft_id = column_dup(st, 1);
        e[len].body = column_dup(st, 2);
        e[len].created_at = sqlite3_column_int64(st, 3);
        e[len].attempts = sqlite3_column_int(st, 4);
        len++;
    }
    enum so_status s = SO_OK;
    if (rc != SQLITE_DONE) {
        s = db_fail(ob, err, "cannot read the outbox");
        outbox_entries_free(e, len);
        e = NULL;
        len = 0;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    *out = e;
    *n = len;
    return s;
}

void outbox_entries_free(struct outbox_entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(e[i].request_id);
        free(e[i].draft_id);
        free(e[i].body);
    }
    free(e);
}
