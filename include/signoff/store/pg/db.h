/*
 * store_pg_db: the PostgreSQL store's connection (one per queue handle, so
 * one per thread), its prepared statements (prepared on first use, named by
 * their slot), text parameters, transactions retried on serialization
 * failures and deadlocks, and SQLSTATEs mapped to signoff's statuses
 * ("queue busy" as on SQLite). Internal to store/pg; never prints.
 */
#ifndef SIGNOFF_STORE_PG_DB_H
#define SIGNOFF_STORE_PG_DB_H

#include <libpq-fe.h>

#include "signoff/queue.h"

#define PG_MAX_PREP 96
#define PG_MAX_PARAMS 24

struct pgq {
    PGconn *c;
    char *spec;           /* as given (never holds a password) */
    const char *reviewer; /* the queue's (owned by struct queue) */
    int supervisor;
    int64_t busy_ms;      /* lock_timeout */
    int retry;            /* set by pg_fail: the transaction may be rerun */
    int listening;        /* LISTEN signoff_events done (store_pg_events) */
    const char *prepared[PG_MAX_PREP]; /* statement texts, by slot */
    int nprepared;
    char now_pin[32];     /* SIGNOFF_NOW_MS as the session last got it */
    int now_unsure;       /* a rollback may have undone that */
    struct pg_load *load; /* a copy's load under way (store_pg_copy) */
};

/* Parameters of one statement, as text (NULL is SQL NULL). */
struct pg_args {
    const char *v[PG_MAX_PARAMS];
    char num[PG_MAX_PARAMS][32];
    int n;
};
void pg_arg_text(struct pg_args *a, const char *s);
void pg_arg_int(struct pg_args *a, int64_t v);
void pg_arg_double(struct pg_args *a, double v);

/* Run sql (a static string: prepared once per connection) with args
 * (may be NULL). SO_OK with *res set (PQclear it; res may be NULL when no
 * rows are wanted), or an error mapped by pg_fail. */
enum so_status pg_run(struct pgq *p, const char *sql, const struct pg_args *a,
                      PGresult **res, struct so_error *err);
/* The error of res (or of the connection when res is NULL) as a status,
 * for a statement run without pg_run (a statement made at run time). */
enum so_status pg_fail(struct pgq *p, const PGresult *res,
                       struct so_error *err);
/* Run a fixed command with no parameters and no rows (BEGIN, SET ...). */
enum so_status pg_cmd(struct pgq *p, const char *sql, struct so_error *err);

/* Run fn(p, ctx, err) in one READ COMMITTED transaction; rerun it (the
 * same request: the same request id) on a serialization failure, a
 * deadlock or a unique violation raced by another server, up to 8 times. */
enum so_status pg_tx(struct pgq *p,
                     enum so_status (*fn)(struct pgq *, void *,
                                          struct so_error *),
                     void *ctx, struct so_error *err);

/* Run sql with a (may be NULL): *v the first row's first column as an
 * integer (0 with no row), *rows how many rows (rows may be NULL). */
enum so_status pg_one_int(struct pgq *p, const char *sql,
                          const struct pg_args *a, int64_t *v, int64_t *rows,
                          struct so_error *err);

/* Column helpers on row r of res. */
int64_t pg_int(const PGresult *res, int r, int col);
double pg_double(const PGresult *res, int r, int col); /* NULL: -1 */
char *pg_str(const PGresult *res, int r, int col);     /* owned; NULL */
void pg_buf(const PGresult *res, int r, int col, char *out, size_t size);

/* The database's clock in ms (the one leases are compared with). Tests pin
 * it with SIGNOFF_NOW_MS, as they pin the host's (signoff(1)): pg_run hands
 * the pin to the session as signoff.now_ms; unset, the clock runs. */
#define PG_NOW_MS                                                              \
    "coalesce(nullif(current_setting('signoff.now_ms', true), '')::bigint,"  \
    " (extract(epoch from clock_timestamp()) * 1000)::bigint)"

/* The shard of a counter row this connection writes: one of PG_SHARDS by
 * the backend's pid, so concurrent deciders add to different rows of one
 * (day, workflow, ...) key; reads sum over the shards (store_pg_rollup). */
#define PG_SHARDS 16
#define PG_SHARD "(pg_backend_pid() % 16)::smallint"

#endif
