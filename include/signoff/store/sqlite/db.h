/*
 * store_db: the SQLite handle under the store, shared by the store_* files
 * and by nothing else: a cache of prepared statements (each prepared once
 * per handle and reused), transactions, the jittered busy handler and the
 * mapping of SQLite errors to so_status. Must not know the schema beyond
 * what its callers pass in, and never prints.
 */
#ifndef SIGNOFF_STORE_DB_H
#define SIGNOFF_STORE_DB_H

#include <sqlite3.h>
#include <stdint.h>

#include "signoff/util.h"

struct store_stmt_slot; /* one cached statement (store/sqlite/db.c) */

/* The open store. Owned by the struct queue that wraps it. */
struct store {
    sqlite3 *db;
    char *path;     /* as given (owned) */
    char *reviewer; /* borrowed from the queue */
    int readonly;
    int supervisor;         /* opened with role supervisor (four-eyes) */
    int sync_full;          /* synchronous=FULL configured (the default) */
    int64_t busy_budget_ms; /* how long a writer waits for the lock */
    int64_t busy_started;   /* mono ms of the first retry of this wait */
    unsigned rand_state;    /* jitter of the busy handler */
    struct store_stmt_slot *stmts;
    size_t nstmts, capstmts;
    /* A run of chain appends in one transaction (store_chain_run_begin):
     * the head read once and written once at the end. */
    int chain_run, chain_held, chain_dirty;
    int64_t chain_seq;
    char chain_hash[65];
};

/* Default busy budget; $SIGNOFF_BUSY_TIMEOUT_MS overrides it. */
#define STORE_BUSY_DEFAULT_MS 10000

/* Install the jittered busy handler on s->db: budget_ms when positive,
 * else $SIGNOFF_BUSY_TIMEOUT_MS, else STORE_BUSY_DEFAULT_MS. */
void store_db_busy_init(struct store *s, int64_t budget_ms);

/*
 * The prepared statement for sql, reset and with bindings cleared, ready to
 * bind. Prepared on first use and cached (keyed by the text). NULL with err
 * set on failure. Callers reset it (store_db_done) right after reading so
 * no idle statement pins a read snapshot.
 */
sqlite3_stmt *store_db_stmt(struct store *s, const char *sql,
                            struct so_error *err);
/* Reset st; returns the error status the reset reports, mapped. */
enum so_status store_db_done(struct store *s, sqlite3_stmt *st,
                             struct so_error *err);
/* Step st in a row loop: SO_OK on a row, SO_EMPTY when done, else the
 * mapped error naming what was read (st reset). */
enum so_status store_db_step(struct store *s, sqlite3_stmt *st,
                             const char *what, struct so_error *err);
/* End a row loop: an error code passes through; SO_OK or SO_EMPTY (the
 * normal end) resets st (store_db_done). */
enum so_status store_db_finish(struct store *s, sqlite3_stmt *st,
                               enum so_status code, struct so_error *err);
/* Run a statement with no result rows and reset it. */
enum so_status store_db_run(struct store *s, sqlite3_stmt *st,
                            struct so_error *err);
/* Finalize every cached statement (before sqlite3_close). */
void store_db_finalize(struct store *s);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK through cached statements. A failed
 * commit rolls back. Rollback is safe to call when no transaction is open. */
enum so_status store_db_begin(struct store *s, struct so_error *err);
enum so_status store_db_commit(struct store *s, struct so_error *err);
void store_db_rollback(struct store *s);

/* Run fn(s, arg, err) in one BEGIN IMMEDIATE transaction: committed when
 * it returns SO_OK, rolled back otherwise (its status is returned). */
enum so_status store_db_tx(struct store *s,
                           enum so_status (*fn)(struct store *s, void *arg,
                                                struct so_error *err),
                           void *arg, struct so_error *err);

/*
 * Commit without fsync (durable = 0) or with it again (durable = 1), for
 * writes whose loss in a power cut is harmless: a claim, renewal or
 * release (the lease would run out anyway). The next durable commit syncs
 * them too, in order. No-op when the handle runs synchronous=NORMAL.
 */
void store_db_durable(struct store *s, int durable);

/* Map the handle's last SQLite error to a status and a sentence naming the
 * path and what was being done. */
enum so_status store_db_fail(struct store *s, const char *what,
                             struct so_error *err);
/* "file:PATH?immutable=1" with the URI's special characters escaped: how a
 * reader who may not write the directory (no -shm can be made) opens a
 * WAL file with no -wal pages beside it. Owned by the caller. */
char *store_db_immutable_uri(const char *path);

/* May a reader who cannot write the directory (so cannot make the -shm
 * file WAL needs) read path as immutable? Yes when no -wal file beside it
 * holds a page: none, or an empty one (as a copy of a quiet queue's
 * directory has). Else SO_ERR_READONLY in err, saying what to do. */
enum so_status store_db_immutable_ok(const char *path, struct so_error *err);

/* The status for one SQLite result code (extended codes accepted). */
enum so_status store_db_status(int rc);

/* Bind helpers: NULL text binds SQL NULL. Named parameters that are absent
 * from the statement are skipped, so optional filters can share code. */
void store_db_bind_text(sqlite3_stmt *st, const char *name, const char *v);
void store_db_bind_int(sqlite3_stmt *st, const char *name, int64_t v);
void store_db_bind_double(sqlite3_stmt *st, const char *name, double v);

/* Column helpers: an owned copy of a text column (NULL for SQL NULL), and
 * a copy into a fixed buffer (empty for NULL). */
char *store_db_col_str(sqlite3_stmt *st, int col);
void store_db_col_buf(sqlite3_stmt *st, int col, char *out, size_t size);

#endif
