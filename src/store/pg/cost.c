/*
 * store_pg_cost: cost and service levels on the PostgreSQL store (see
 * cost.h). One statement per operation, each with bound parameters.
 */
#include "signoff/store/pg/cost.h"

#include <stdio.h>
#include <string.h>

#include "signoff/store/rules.h"

static const char sql_draft_write[] =
    "UPDATE drafts SET cost_micros = $2::bigint, currency = $3,"
    " tokens = $4::bigint, latency_ms = $5::bigint WHERE rid = $1";

static const char sql_draft_read[] =
    "SELECT cost_micros, currency, tokens, latency_ms FROM drafts"
    " WHERE rid = $1";

static const char sql_currency[] =
    "SELECT coalesce((SELECT currency FROM workflows WHERE name = $1),"
    " '" SO_DEFAULT_CURRENCY "')";

static const char sql_wf_set[] =
    "UPDATE workflows SET"
    " currency = CASE WHEN $2::int & 1 <> 0 THEN $3 ELSE currency END,"
    " hourly_rate = CASE WHEN $2::int & 2 <> 0 THEN $4::float8"
    "  ELSE hourly_rate END,"
    " sla_ms = CASE WHEN $2::int & 4 <> 0 THEN $5::bigint ELSE sla_ms END,"
    " sla_alert = CASE WHEN $2::int & 8 <> 0 THEN $6::float8"
    "  ELSE sla_alert END WHERE name = $1";

static const char sql_wf_read[] =
    "SELECT currency, hourly_rate, sla_ms, sla_alert,"
    " (SELECT min(created_at) FROM drafts d WHERE d.workflow = w.name"
    " AND d.status <> 'decided'),"
    " CASE WHEN w.sla_ms > 0 THEN (SELECT count(*) FROM drafts d"
    " WHERE d.workflow = w.name AND d.status <> 'decided'"
    " AND d.created_at < " PG_NOW_MS " - w.sla_ms) ELSE 0 END"
    " FROM workflows w WHERE w.name = $1";

/* v as a parameter, NULL when < 0 (not reported). */
static void arg_or_null(struct pg_args *a, int64_t v)
{
    if (v >= 0)
        pg_arg_int(a, v);
    else
        pg_arg_text(a, NULL);
}

enum so_status pg_cost_draft_write(struct pgq *p, int64_t rid,
                                   const struct so_draft *d,
                                   struct so_error *err)
{
    struct pg_args a = {0};
    pg_arg_int(&a, rid);
    arg_or_null(&a, d->cost_micros);
    pg_arg_text(&a, d->cost_micros >= 0 ? d->currency : NULL);
    arg_or_null(&a, d->tokens);
    arg_or_null(&a, d->latency_ms);
    return pg_run(p, sql_draft_write, &a, NULL, err);
}

/* Column col of row 0 of r, -1 when NULL. */
static int64_t int_or_none(const PGresult *r, int col)
{
    return PQgetisnull(r, 0, col) ? -1 : pg_int(r, 0, col);
}

enum so_status pg_cost_draft_read(struct pgq *p, int64_t rid,
                                  struct so_draft *d, struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    pg_arg_int(&a, rid);
    enum so_status code = pg_run(p, sql_draft_read, &a, &r, err);
    if (code != SO_OK)
        return code;
    if (PQntuples(r)) {
        d->cost_micros = int_or_none(r, 0);
        pg_buf(r, 0, 1, d->currency, sizeof d->currency);
        d->tokens = int_or_none(r, 2);
        d->latency_ms = int_or_none(r, 3);
    }
    PQclear(r);
    return SO_OK;
}

enum so_status pg_cost_check(struct pgq *p, const struct so_draft *d,
                             struct so_error *res, int *bad,
                             struct so_error *err)
{
    *bad = 0;
    if (d->cost_micros < 0)
        return SO_OK;
    struct pg_args a = {0};
    PGresult *r;
    char cur[4] = "";
    pg_arg_text(&a, d->workflow);
    enum so_status code = pg_run(p, sql_currency, &a, &r, err);
    if (code != SO_OK)
        return code;
    pg_buf(r, 0, 0, cur, sizeof cur);
    PQclear(r);
    *bad = store_rules_draft_cost(d, cur, res) != SO_OK;
    return SO_OK;
}

enum so_status pg_cost_workflow_set(struct pgq *p, const struct so_workflow *w,
                                    unsigned mask, struct so_error *err)
{
    int bits = (mask & SO_WF_CURRENCY ? 1 : 0) | (mask & SO_WF_RATE ? 2 : 0) |
               (mask & SO_WF_SLA ? 4 : 0) | (mask & SO_WF_SLA_ALERT ? 8 : 0);
    if (!bits)
        return SO_OK;
    struct pg_args a = {0};
    pg_arg_text(&a, w->name);
    pg_arg_int(&a, bits);
    pg_arg_text(&a, w->currency);
    pg_arg_double(&a, w->hourly_rate);
    pg_arg_int(&a, w->sla_ms);
    pg_arg_double(&a, w->sla_alert);
    return pg_run(p, sql_wf_set, &a, NULL, err);
}

enum so_status pg_cost_workflow_read(struct pgq *p, struct so_workflow *w,
                                     struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    pg_arg_text(&a, w->name);
    enum so_status code = pg_run(p, sql_wf_read, &a, &r, err);
    if (code != SO_OK)
        return code;
    if (PQntuples(r)) {
        pg_buf(r, 0, 0, w->currency, sizeof w->currency);
        w->hourly_rate = pg_double(r, 0, 1);
        w->sla_ms = pg_int(r, 0, 2);
        w->sla_alert = pg_double(r, 0, 3);
        w->oldest_pending_at = PQgetisnull(r, 0, 4) ? 0 : pg_int(r, 0, 4);
        w->sla_open_past = pg_int(r, 0, 5);
    }
    PQclear(r);
    return SO_OK;
}
