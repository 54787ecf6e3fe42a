/*
 * store_audit: the decision chain of a queue file, read in seq order on a
 * private read-only connection inside one read transaction (head and
 * records from the same snapshot). The statement is stepped through the
 * walk; it is finalized at close, which ends the snapshot, so a verify
 * never holds back checkpoints longer than it runs. Must not write.
 */
#include "signoff/store/sqlite/audit.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "signoff/store/sqlite/db.h"
#include "signoff/store/sqlite/backend.h"

struct store_audit {
    sqlite3 *db;
    sqlite3_stmt *rows;
    char *path;
    long version;
    struct verify_head head;
    int64_t count;
};

#define AUDIT_ROWS(gold)                                                       \
    "SELECT seq, draft, request_id, reviewer, action, kind, reason, note,"    \
    " final_body, edit_size, body_sha, final_sha, shown_at, decided_at,"      \
    " active_ms, reverts_seq, prev_hash, hash, " gold " FROM decisions"       \
    " WHERE seq >= coalesce((SELECT min(seq) FROM decisions"                  \
    "                        WHERE decided_at >= ?1), 1 << 62)"               \
    "    OR ?1 = 0"                                                            \
    " ORDER BY seq"
/* From schema v19 a record on a gold draft is marked (gold.h). */
static const char sql_rows[] = AUDIT_ROWS(
    "EXISTS (SELECT 1 FROM gold g WHERE g.draft_id = decisions.draft)");
static const char sql_rows_v18[] = AUDIT_ROWS("0");
#define AUDIT_GOLD_SCHEMA 19

static const char sql_count[] =
    "SELECT count(*) FROM decisions WHERE seq >= coalesce((SELECT min(seq)"
    " FROM decisions WHERE decided_at >= ?1), 1 << 62) OR ?1 = 0";

static enum so_status audit_fail(struct store_audit *a, const char *what,
                                 int rc, struct so_error *err)
{
    return so_fail(err, store_db_status(rc), "%s: %s: %s", a->path, what,
                   a->db ? sqlite3_errmsg(a->db) : sqlite3_errstr(rc));
}

/* One-row, one-column text query into out (empty when no row). */
static int query_text(struct store_audit *a, const char *sql, int64_t arg,
                      char *out, size_t size)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(a->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, arg);
        rc = sqlite3_step(st);
        out[0] = '\0';
        if (rc == SQLITE_ROW) {
            const unsigned char *t = sqlite3_column_text(st, 0);
            snprintf(out, size, "%s", t ? (const char *)t : "");
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static enum so_status read_head(struct store_audit *a, int64_t since_ms,
                                struct so_error *err)
{
    char seq[32], count[32];
    int rc = query_text(a, "SELECT value FROM meta WHERE key = 'chain_seq'",
                        0, seq, sizeof seq);
    if (rc == SQLITE_OK)
        rc = query_text(a, "SELECT value FROM meta WHERE key = 'chain_hash'", 0,
                        a->head.hash, sizeof a->head.hash);
    if (rc == SQLITE_OK)
        rc = query_text(a, sql_count, since_ms, count, sizeof count);
    if (rc != SQLITE_OK)
        return audit_fail(a, "reading the audit chain", rc, err);
    long v = 0;
    if (so_parse_long(seq, 0, INT64_MAX, &v) != 0 ||
        strlen(a->head.hash) != 64)
        return so_fail(err, SO_ERR_INVALID,
                       "%s: the chain head in the meta table is damaged",
                       a->path);
    a->head.seq = v;
    a->count = strtoll(count, NULL, 10);
    return SO_OK;
}

static enum so_status check_version(struct store_audit *a, struct so_error *err)
{
    char v[32];
    int rc = query_text(a, "PRAGMA user_version", 0, v, sizeof v);
    if (rc != SQLITE_OK)
        return audit_fail(a, "opening", rc, err);
    long version = strtol(v, NULL, 10);
    a->version = version;
    if (version > STORE_SCHEMA_VERSION)
        return so_fail(err, SO_ERR_SCHEMA,
                       "%s: written by a newer signoff (schema %ld, this one "
                       "reads up to %d)", a->path, version, STORE_SCHEMA_VERSION);
    if (version < 1)
        return so_fail(err, SO_ERR_INVALID, "%s: not a signoff queue", a->path);
    return SO_OK;
}

/* Open read-only; an auditor who may not write the directory cannot make
 * the -shm file WAL needs, so with no -wal pages beside the file (no
 * writer with pages not yet in it) read it as immutable, as list and show
 * do (store_db_immutable_ok, which says why not). */
static enum so_status audit_connect(struct store_audit *a, struct so_error *err)
{
    int rc = sqlite3_open_v2(a->path, &a->db, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK)
        return audit_fail(a, "opening", rc, err);
    sqlite3_busy_timeout(a->db, STORE_BUSY_DEFAULT_MS);
    enum so_status st = check_version(a, err);
    if ((st != SO_ERR_READONLY && st != SO_ERR_IO) ||
        store_db_immutable_ok(a->path, err) != SO_OK)
        return st == SO_ERR_READONLY || st == SO_ERR_IO ? err->code : st;
    sqlite3_close(a->db);
    a->db = NULL;
    char *uri = store_db_immutable_uri(a->path);
    rc = sqlite3_open_v2(uri, &a->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
                         NULL);
    free(uri);
    if (rc != SQLITE_OK)
        return audit_fail(a, "opening", rc, err);
    return check_version(a, err);
}

static enum so_status audit_start(struct store_audit *a, int64_t since_ms,
                                  struct so_error *err)
{
    enum so_status st = audit_connect(a, err);
    if (st != SO_OK)
        return st;
    int rc = sqlite3_exec(a->db, "BEGIN", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(a->db,
                                a->version >= AUDIT_GOLD_SCHEMA ? sql_rows
                                                                : sql_rows_v18,
                                -1, &a->rows, NULL);
    if (rc != SQLITE_OK)
        return audit_fail(a, "reading the audit chain", rc, err);
    sqlite3_bind_int64(a->rows, 1, since_ms);
    return read_head(a, since_ms, err);
}

enum so_status store_audit_open(const char *path, int64_t since_ms,
                                struct store_audit **out,
                                struct so_error *err)
{
    struct store_audit *a = xcalloc(1, sizeof *a);
    a->path = xstrdup(path);
    *out = NULL;
    if (access(path, F_OK) != 0) {
        enum so_status st = so_fail(err, SO_ERR_NOTFOUND,
                                    "%s: no such queue file", path);
        store_audit_close(a);
        return st;
    }
    enum so_status st = audit_start(a, since_ms, err);
    if (st != SO_OK) {
        store_audit_close(a);
        return st;
    }
    *out = a;
    return SO_OK;
}

enum so_status store_audit_check(struct store_audit *a, int full,
                                 struct so_error *err)
{
    const char *what = full ? "integrity_check" : "quick_check";
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(a->db,
                                full ? "PRAGMA integrity_check(5)"
                                     : "PRAGMA quick_check(5)",
                                -1, &st, NULL);
    struct buf b;
    buf_init(&b);
    int n = 0;
    if (rc == SQLITE_OK) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *t = (const char *)sqlite3_column_text(st, 0);
            if (n++)
                buf_adds(&b, "; ");
            for (; t && *t; t++) /* one line: its report has newlines */
                buf_addc(&b, *t == '\n' ? ' ' : *t);
        }
    }
    sqlite3_finalize(st);
    enum so_status code = SO_OK;
    if (rc != SQLITE_DONE)
        code = so_fail(err, SO_ERR_CORRUPT,
                       "%s: the database is damaged (%s could not run: %s);"
                       " restore it from a backup",
                       a->path, what, sqlite3_errstr(rc));
    else if (n != 1 || strcmp(buf_cstr(&b), "ok") != 0)
        code = so_fail(err, SO_ERR_CORRUPT,
                       "%s: the database is damaged (%s: %.300s); restore it"
                       " from a backup",
                       a->path, what, buf_cstr(&b));
    buf_free(&b);
    return code;
}

const struct verify_head *store_audit_head(const struct store_audit *a)
{
    return &a->head;
}

int64_t store_audit_count(const struct store_audit *a)
{
    return a->count;
}

static char *col_str(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? xstrdup((const char *)t) : NULL;
}

static void col_sha(sqlite3_stmt *st, int col, char out[65])
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(out, 65, "%s", t ? (const char *)t : "");
}

static enum so_status audit_next(void *ctx, struct so_decision *d,
                                 struct so_error *err)
{
    struct store_audit *a = ctx;
    int rc = sqlite3_step(a->rows);
    if (rc == SQLITE_DONE)
        return SO_EMPTY;
    if (rc != SQLITE_ROW)
        return audit_fail(a, "reading the audit chain", rc, err);
    sqlite3_stmt *st = a->rows;
    d->seq = sqlite3_column_int64(st, 0);
    d->draft_id = col_str(st, 1);
    d->request_id = col_str(st, 2);
    d->reviewer = col_str(st, 3);
    const unsigned char *action = sqlite3_column_text(st, 4);
    int act = so_action_from_name(action ? (const char *)action : "");
    /* An action the schema forbids can only be tampering: let the hash
     * check name the record. */
    d->action = act < 0 ? SO_ACT_COUNT : (enum so_action)act;
    d->kind = col_str(st, 5);
    d->reason = col_str(st, 6);
    d->note = col_str(st, 7);
    d->final_body = col_str(st, 8);
    d->edit_size = sqlite3_column_int64(st, 9);
    col_sha(st, 10, d->body_sha);
    col_sha(st, 11, d->final_sha);
    d->shown_at = sqlite3_column_int64(st, 12);
    d->decided_at = sqlite3_column_int64(st, 13);
    d->active_ms = sqlite3_column_int64(st, 14);
    d->reverts_seq = sqlite3_column_int64(st, 15);
    col_sha(st, 16, d->prev_hash);
    col_sha(st, 17, d->hash);
    d->gold = sqlite3_column_int(st, 18);
    return SO_OK;
}

struct verify_source store_audit_source(struct store_audit *a)
{
    struct verify_source src = {audit_next, a};
    return src;
}

void store_audit_close(struct store_audit *a)
{
    if (!a)
        return;
    sqlite3_finalize(a->rows);
    if (a->db)
        sqlite3_close(a->db);
    free(a->path);
    free(a);
}
