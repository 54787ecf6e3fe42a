/*
 * dl_pq: the libpq functions the PostgreSQL store calls, defined here and
 * forwarded to libpq dlopened on first use (see dl_pq.h for why). A libpq
 * function that store/pg starts to call must be added to PQ_FUNCS and
 * given a forwarder below, or the binary links libpq again (the Makefile
 * links it as-needed; tests/cli/lazy_libs.sh then fails). Must not do
 * anything but forward: no policy lives here.
 */
#include "signoff/store/pg/dl_pq.h"

#include <libpq-fe.h>
#include <pthread.h>

#include "signoff/dl.h"

/* The soname the build's -lpq resolves to (the Makefile reads it from the
 * library); libpq.so.5 has been libpq's soname since PostgreSQL 8.3. */
#ifndef SIGNOFF_LIBPQ_SONAME
#define SIGNOFF_LIBPQ_SONAME "libpq.so.5"
#endif

/* X(return type, name, parameters): every libpq function forwarded. */
#define PQ_FUNCS(X)                                                            \
    X(PGconn *, PQconnectdb, (const char *))                                   \
    X(ConnStatusType, PQstatus, (const PGconn *))                              \
    X(char *, PQerrorMessage, (const PGconn *))                                \
    X(void, PQfinish, (PGconn *))                                              \
    X(PGresult *, PQexec, (PGconn *, const char *))                            \
    X(PGresult *, PQprepare,                                                   \
      (PGconn *, const char *, const char *, int, const Oid *))                \
    X(PGresult *, PQexecPrepared,                                              \
      (PGconn *, const char *, int, const char *const *, const int *,         \
       const int *, int))                                                      \
    X(ExecStatusType, PQresultStatus, (const PGresult *))                      \
    X(char *, PQresultErrorField, (const PGresult *, int))                     \
    X(int, PQntuples, (const PGresult *))                                      \
    X(char *, PQgetvalue, (const PGresult *, int, int))                        \
    X(int, PQgetisnull, (const PGresult *, int, int))                          \
    X(void, PQclear, (PGresult *))                                             \
    X(PGTransactionStatusType, PQtransactionStatus, (const PGconn *))          \
    X(PQconninfoOption *, PQconninfoParse, (const char *, char **))            \
    X(void, PQconninfoFree, (PQconninfoOption *))                              \
    X(void, PQfreemem, (void *))                                               \
    X(int, PQsocket, (const PGconn *))                                         \
    X(int, PQconsumeInput, (PGconn *))                                         \
    X(PGnotify *, PQnotifies, (PGconn *))                                      \
    X(int, PQnfields, (const PGresult *))                                      \
    X(char *, PQfname, (const PGresult *, int))                                \
    X(Oid, PQftype, (const PGresult *, int))

/* The library's functions; set once by dl_open, read-only after. */
static struct {
#define PQ_X_FIELD(ret, name, params) ret(*name) params;
    PQ_FUNCS(PQ_X_FIELD)
#undef PQ_X_FIELD
} real;

static const struct dl_sym pq_syms[] = {
#define PQ_X_SYM(ret, name, params) {#name, &real.name},
    PQ_FUNCS(PQ_X_SYM)
#undef PQ_X_SYM
};

static struct dl_lib pq_lib = {
    .need = "PostgreSQL queues need libpq",
    .soname = SIGNOFF_LIBPQ_SONAME,
    .syms = pq_syms,
    .nsyms = sizeof pq_syms / sizeof pq_syms[0],
};

static pthread_once_t pq_once = PTHREAD_ONCE_INIT;

static void pq_load(void)
{
    dl_open(&pq_lib);
}

/* 1 once libpq is loaded (pthread_once also publishes `real`). */
static int ready(void)
{
    pthread_once(&pq_once, pq_load);
    return pq_lib.handle != NULL;
}

enum so_status dl_pq_load(struct so_error *err)
{
    return ready() ? SO_OK : dl_fail(&pq_lib, err);
}

/* ---- the forwarders: <libpq-fe.h> documents each. Without libpq they
 * fail as libpq fails without memory (NULL, CONNECTION_BAD,
 * PGRES_FATAL_ERROR); the store calls dl_pq_load before any of them. ---- */

/* PQconnectdb: a connection from a conninfo string or URI. */
PGconn *PQconnectdb(const char *conninfo)
{
    return ready() ? real.PQconnectdb(conninfo) : NULL;
}

/* PQstatus: whether the connection is good. */
ConnStatusType PQstatus(const PGconn *conn)
{
    return ready() ? real.PQstatus(conn) : CONNECTION_BAD;
}

/* PQerrorMessage: the connection's last error text. */
char *PQerrorMessage(const PGconn *conn)
{
    static char none[] = "libpq is not loaded";
    return ready() ? real.PQerrorMessage(conn) : none;
}

/* PQfinish: close and free a connection (NULL is fine). */
void PQfinish(PGconn *conn)
{
    if (ready())
        real.PQfinish(conn);
}

/* PQexec: run a command string (no parameters). */
PGresult *PQexec(PGconn *conn, const char *query)
{
    return ready() ? real.PQexec(conn, query) : NULL;
}

/* PQprepare: prepare a named statement. */
PGresult *PQprepare(PGconn *conn, const char *name, const char *query,
                    int nparams, const Oid *types)
{
    return ready() ? real.PQprepare(conn, name, query, nparams, types) : NULL;
}

/* PQexecPrepared: run a prepared statement with text parameters. */
PGresult *PQexecPrepared(PGconn *conn, const char *name, int nparams,
                         const char *const *values, const int *lengths,
                         const int *formats, int result_format)
{
    return ready() ? real.PQexecPrepared(conn, name, nparams, values, lengths,
                                         formats, result_format)
                   : NULL;
}

/* PQresultStatus: the outcome of a command (NULL: fatal). */
ExecStatusType PQresultStatus(const PGresult *res)
{
    return ready() ? real.PQresultStatus(res) : PGRES_FATAL_ERROR;
}

/* PQresultErrorField: one field of the error (SQLSTATE, message). */
char *PQresultErrorField(const PGresult *res, int field)
{
    return ready() ? real.PQresultErrorField(res, field) : NULL;
}

/* PQntuples: rows in a result. */
int PQntuples(const PGresult *res)
{
    return ready() ? real.PQntuples(res) : 0;
}

/* PQgetvalue: one field's text ("" for NULL). */
char *PQgetvalue(const PGresult *res, int row, int col)
{
    static char empty[] = "";
    return ready() ? real.PQgetvalue(res, row, col) : empty;
}

/* PQgetisnull: 1 when the field is NULL. */
int PQgetisnull(const PGresult *res, int row, int col)
{
    return ready() ? real.PQgetisnull(res, row, col) : 1;
}

/* PQclear: free a result (NULL is fine). */
void PQclear(PGresult *res)
{
    if (ready())
        real.PQclear(res);
}

/* PQtransactionStatus: idle, in a transaction, or in a failed one. */
PGTransactionStatusType PQtransactionStatus(const PGconn *conn)
{
    return ready() ? real.PQtransactionStatus(conn) : PQTRANS_UNKNOWN;
}

/* PQconninfoParse: the options of a conninfo string or URI, NULL and
 * *errmsg (to free with PQfreemem) when it does not parse. */
PQconninfoOption *PQconninfoParse(const char *conninfo, char **errmsg)
{
    if (errmsg)
        *errmsg = NULL;
    return ready() ? real.PQconninfoParse(conninfo, errmsg) : NULL;
}

/* PQconninfoFree: free what PQconninfoParse returned. */
void PQconninfoFree(PQconninfoOption *opts)
{
    if (ready())
        real.PQconninfoFree(opts);
}

/* PQfreemem: free what libpq allocated for the caller. */
void PQfreemem(void *p)
{
    if (ready())
        real.PQfreemem(p);
}

/* PQsocket: the connection's socket, -1 when none. */
int PQsocket(const PGconn *conn)
{
    return ready() ? real.PQsocket(conn) : -1;
}

/* PQconsumeInput: read what the server sent (notifications); 0 on error. */
int PQconsumeInput(PGconn *conn)
{
    return ready() ? real.PQconsumeInput(conn) : 0;
}

/* PQnotifies: the next notification received (free with PQfreemem), or
 * NULL. */
PGnotify *PQnotifies(PGconn *conn)
{
    return ready() ? real.PQnotifies(conn) : NULL;
}

/* PQnfields: columns in a result. */
int PQnfields(const PGresult *res)
{
    return ready() ? real.PQnfields(res) : 0;
}

/* PQfname: a column's name. */
char *PQfname(const PGresult *res, int col)
{
    return ready() ? real.PQfname(res, col) : NULL;
}

/* PQftype: a column's type (its pg_type oid). */
Oid PQftype(const PGresult *res, int col)
{
    return ready() ? real.PQftype(res, col) : 0;
}
