/*
 * store_pg_db: connection helpers of the PostgreSQL store (see db.h).
 * Statements are prepared on first use under the name "s<slot>", so each
 * text is parsed once per connection; parameters travel as text. Errors
 * are read by SQLSTATE, never by message text.
 */
#include "signoff/store/pg/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PG_TX_TRIES 8

void pg_arg_text(struct pg_args *a, const char *s)
{
    a->v[a->n++] = s;
}

void pg_arg_int(struct pg_args *a, int64_t v)
{
    snprintf(a->num[a->n], sizeof a->num[a->n], "%lld", (long long)v);
    a->v[a->n] = a->num[a->n];
    a->n++;
}

void pg_arg_double(struct pg_args *a, double v)
{
    snprintf(a->num[a->n], sizeof a->num[a->n], "%.17g", v);
    a->v[a->n] = a->num[a->n];
    a->n++;
}

enum so_status pg_fail(struct pgq *p, const PGresult *res,
                              struct so_error *err)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
                          : NULL;
    if (!msg)
        msg = PQerrorMessage(p->c);
    char text[400];
    snprintf(text, sizeof text, "%s", msg ? msg : "unknown error");
    size_t n = strlen(text);
    while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
        text[--n] = '\0';
    if (!state || PQstatus(p->c) != CONNECTION_OK)
        return so_fail(err, SO_ERR_NETWORK, "%s: connection lost: %s", p->spec,
                       text);
    /* 40001 serialization failure, 40P01 deadlock, 23505 a unique key
     * another server took first: rerun the whole transaction. */
    if (!strcmp(state, "40001") || !strcmp(state, "40P01") ||
        !strcmp(state, "23505")) {
        p->retry = 1;
        return so_fail(err, SO_ERR_BUSY, "%s: queue busy (%s)", p->spec, text);
    }
    /* 55P03 lock_timeout, 57014 statement_timeout: as SQLite's busy. */
    if (!strcmp(state, "55P03") || !strcmp(state, "57014"))
        return so_fail(err, SO_ERR_BUSY,
                       "%s: queue busy: locked by another process past the "
                       "busy timeout (%lld ms)",
                       p->spec, (long long)p->busy_ms);
    if (!strncmp(state, "08", 2))
        return so_fail(err, SO_ERR_NETWORK, "%s: %s", p->spec, text);
    if (!strcmp(state, "42501"))
        return so_fail(err, SO_ERR_READONLY, "%s: %s", p->spec, text);
    if (!strcmp(state, "53100"))
        return so_fail(err, SO_ERR_FULL, "%s: %s", p->spec, text);
    return so_fail(err, SO_ERR, "%s: %s (SQLSTATE %s)", p->spec, text, state);
}

static int slot_of(struct pgq *p, const char *sql, struct so_error *err,
                   enum so_status *code)
{
    for (int i = 0; i < p->nprepared; i++)
        if (p->prepared[i] == sql)
            return i;
    if (p->nprepared == PG_MAX_PREP) {
        *code = so_fail(err, SO_ERR, "too many statements");
        return -1;
    }
    char name[16];
    snprintf(name, sizeof name, "s%d", p->nprepared);
    PGresult *r = PQprepare(p->c, name, sql, 0, NULL);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        *code = pg_fail(p, r, err);
        PQclear(r);
        return -1;
    }
    PQclear(r);
    p->prepared[p->nprepared] = sql;
    return p->nprepared++;
}

static const char sql_pin_clock[] =
    "SELECT set_config('signoff.now_ms', $1, false)";

/* Hand SIGNOFF_NOW_MS (the tests' clock pin) to the session when it
 * changed since the last statement: PG_NOW_MS reads it. */
static enum so_status pin_clock(struct pgq *p, struct so_error *err)
{
    const char *pin = getenv("SIGNOFF_NOW_MS");
    char want[sizeof p->now_pin] = "";
    /* Digits only, as so_now_ms takes it; anything else lets the clock run. */
    if (pin && *pin && strlen(pin) < 19 && !pin[strspn(pin, "0123456789")])
        snprintf(want, sizeof want, "%s", pin);
    if (!strcmp(want, p->now_pin) && !p->now_unsure)
        return SO_OK;
    enum so_status code = SO_OK;
    int slot = slot_of(p, sql_pin_clock, err, &code);
    if (slot < 0)
        return code;
    char name[16];
    snprintf(name, sizeof name, "s%d", slot);
    const char *v[] = {want};
    PGresult *r = PQexecPrepared(p->c, name, 1, v, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        code = pg_fail(p, r, err);
    PQclear(r);
    if (code == SO_OK) {
        memcpy(p->now_pin, want, sizeof want);
        p->now_unsure = 0;
    }
    return code;
}

enum so_status pg_run(struct pgq *p, const char *sql, const struct pg_args *a,
                      PGresult **res, struct so_error *err)
{
    enum so_status code = pin_clock(p, err);
    if (res)
        *res = NULL;
    if (code != SO_OK)
        return code;
    int slot = slot_of(p, sql, err, &code);
    if (slot < 0)
        return code;
    char name[16];
    snprintf(name, sizeof name, "s%d", slot);
    PGresult *r = PQexecPrepared(p->c, name, a ? a->n : 0, a ? a->v : NULL,
                                 NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        code = pg_fail(p, r, err);
        PQclear(r);
        return code;
    }
    if (res)
        *res = r;
    else
        PQclear(r);
    return SO_OK;
}

enum so_status pg_cmd(struct pgq *p, const char *sql, struct so_error *err)
{
    PGresult *r = PQexec(p->c, sql);
    ExecStatusType st = PQresultStatus(r);
    enum so_status code = SO_OK;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        code = pg_fail(p, r, err);
    PQclear(r);
    return code;
}

enum so_status pg_tx(struct pgq *p,
                     enum so_status (*fn)(struct pgq *, void *,
                                          struct so_error *),
                     void *ctx, struct so_error *err)
{
    enum so_status code = SO_ERR;
    for (int i = 0; i < PG_TX_TRIES; i++) {
        p->retry = 0;
        code = pg_cmd(p, "BEGIN", err);
        if (code != SO_OK)
            return code;
        code = fn(p, ctx, err);
        if (code == SO_OK)
            code = pg_cmd(p, "COMMIT", err);
        if (PQtransactionStatus(p->c) != PQTRANS_IDLE) {
            struct so_error ignored;
            pg_cmd(p, "ROLLBACK", &ignored);
            p->now_unsure = 1; /* a pin set in it is undone */
        }
        if (code == SO_OK || !p->retry)
            return code;
    }
    return code;
}

enum so_status pg_one_int(struct pgq *p, const char *sql,
                          const struct pg_args *a, int64_t *v, int64_t *rows,
                          struct so_error *err)
{
    PGresult *r;
    enum so_status code = pg_run(p, sql, a, &r, err);
    if (code != SO_OK)
        return code;
    *v = PQntuples(r) ? pg_int(r, 0, 0) : 0;
    if (rows)
        *rows = PQntuples(r);
    PQclear(r);
    return SO_OK;
}

int64_t pg_int(const PGresult *res, int r, int col)
{
    return PQgetisnull(res, r, col) ? 0
                                    : strtoll(PQgetvalue(res, r, col), NULL, 10);
}

double pg_double(const PGresult *res, int r, int col)
{
    return PQgetisnull(res, r, col) ? -1 : strtod(PQgetvalue(res, r, col), NULL);
}

char *pg_str(const PGresult *res, int r, int col)
{
    return PQgetisnull(res, r, col) ? NULL : xstrdup(PQgetvalue(res, r, col));
}

void pg_buf(const PGresult *res, int r, int col, char *out, size_t size)
{
    snprintf(out, size, "%s",
             PQgetisnull(res, r, col) ? "" : PQgetvalue(res, r, col));
}
