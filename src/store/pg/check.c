/*
 * store_pg_check: the database check verify runs on a PostgreSQL queue
 * before the chain (see audit.h, pg_audit_check): what quick_check and
 * integrity_check are to a queue file, PostgreSQL's amcheck extension is
 * here. verify_heapam reads every page of every table of the queue's
 * schema; bt_index_check checks every B-tree index (with full, also that
 * each row is in each index: heapallindexed). One read-only transaction
 * without the session's statement timeout (a large queue takes a while).
 * Without the extension, or the right to run it, the database is not
 * checked and the caller is told why; never a guess that it is sound.
 */
#include "signoff/store/pg/audit.h"

#include <stdio.h>
#include <string.h>

#include "signoff/store/pg/db.h"

/* Whether amcheck is there at all. */
static const char sql_has_amcheck[] =
    "SELECT count(*) FROM pg_extension WHERE extname = 'amcheck'";

/* The first problems verify_heapam finds in the schema's tables. */
static const char sql_heap[] =
    "SELECT c.relname || ', block ' || v.blkno || ': ' || v.msg"
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,"
    " LATERAL verify_heapam(c.oid) v"
    " WHERE n.nspname = current_schema() AND c.relkind = 'r' LIMIT 3";

/* Every B-tree index of the schema (heapallindexed: also every row in
 * it); an error names a damaged one. */
#define SQL_INDEX(HEAPALLINDEXED)                                              \
    "SELECT count(bt_index_check(c.oid, " HEAPALLINDEXED "))"                  \
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"           \
    " JOIN pg_am a ON a.oid = c.relam"                                         \
    " WHERE n.nspname = current_schema() AND c.relkind = 'i'"                  \
    " AND a.amname = 'btree'"
static const char sql_index_quick[] = SQL_INDEX("false");
static const char sql_index_full[] = SQL_INDEX("true");

/* One statement; SO_OK with its result, or why not (the SQLSTATE in
 * state, "" when the connection failed). */
static enum so_status exec(struct pgq *p, const char *sql, PGresult **out,
                           char state[6], char msg[300])
{
    PGresult *r = PQexec(p->c, sql);
    ExecStatusType st = PQresultStatus(r);
    *out = NULL;
    state[0] = msg[0] = '\0';
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
        *out = r;
        return SO_OK;
    }
    const char *s = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *m = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    snprintf(state, 6, "%s", s ? s : "");
    snprintf(msg, 300, "%s", m ? m : PQerrorMessage(p->c));
    for (char *c = msg; *c; c++)
        if (*c == '\n')
            *c = ' ';
    PQclear(r);
    return SO_ERR;
}

/* The checks in their transaction; how says what ran or why nothing did. */
static enum so_status run_checks(struct pgq *p, int full, char *how,
                                 size_t howlen, struct so_error *err)
{
    PGresult *r = NULL;
    char state[6], msg[300];
    if (exec(p, sql_has_amcheck, &r, state, msg) != SO_OK)
        return so_fail(err, SO_ERR, "%s: database check: %s", p->spec, msg);
    int has = PQntuples(r) && strcmp(PQgetvalue(r, 0, 0), "0") != 0;
    PQclear(r);
    if (!has) {
        snprintf(how, howlen,
                 "not checked: the amcheck extension is not installed in "
                 "this database (CREATE EXTENSION amcheck)");
        return SO_OK;
    }
    enum so_status code = exec(p, sql_heap, &r, state, msg);
    if (code == SO_OK && PQntuples(r) > 0) {
        snprintf(msg, sizeof msg, "%s", PQgetvalue(r, 0, 0));
        PQclear(r);
        return so_fail(err, SO_ERR_CORRUPT,
                       "%s: the database is damaged (amcheck: %s); restore "
                       "it from a backup",
                       p->spec, msg);
    }
    PQclear(r);
    if (code == SO_OK) {
        code = exec(p, full ? sql_index_full : sql_index_quick, &r, state,
                    msg);
        PQclear(r);
    }
    if (code == SO_OK) {
        snprintf(how, howlen, "amcheck%s", full ? ", heapallindexed" : "");
        return SO_OK;
    }
    /* 42501: no right to run it; 42883: not on the search path. */
    if (!strcmp(state, "42501") || !strcmp(state, "42883")) {
        snprintf(how, howlen, "not checked: %s", msg);
        return SO_OK;
    }
    /* XX001 data corrupted, XX002 index corrupted, and any other failure
     * of the check itself: not a database to trust. */
    if (state[0])
        return so_fail(err, SO_ERR_CORRUPT,
                       "%s: the database is damaged (amcheck: %s); restore "
                       "it from a backup",
                       p->spec, msg);
    return so_fail(err, SO_ERR_NETWORK, "%s: connection lost: %s", p->spec,
                   msg);
}

enum so_status pg_audit_check(struct queue *q, int full, char *how,
                              size_t howlen, struct so_error *err)
{
    struct pgq *p = q->impl;
    enum so_status code = pg_cmd(
        p, "BEGIN READ ONLY; SET LOCAL statement_timeout = 0", err);
    if (code != SO_OK)
        return code;
    code = run_checks(p, full, how, howlen, err);
    struct so_error ignored;
    pg_cmd(p, "ROLLBACK", &ignored);
    return code;
}
