/*
 * store_fixture: helpers shared by the store's unit tests: a temporary
 * directory per test, opening a queue as a reviewer, building and enqueuing
 * drafts, and raw SQL on the file for checks the API does not expose.
 * Header-only (static inline functions) because each test is one binary.
 *
 * With SIGNOFF_TEST_BACKEND=pg (tests/pg/unit_*.sh, on the cluster of
 * tests/pg_cluster.sh: SIGNOFF_PG_HOST, SIGNOFF_PG_USER) every test's queue
 * is a database of its own instead of a file, and the raw SQL runs there.
 * A test of an operation the PostgreSQL store still refuses ("not yet
 * supported") is skipped saying so (fx_needs), found by asking the store,
 * so the skip goes away when the operation lands.
 */
#ifndef SIGNOFF_TEST_STORE_FIXTURE_H
#define SIGNOFF_TEST_STORE_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "signoff/agreement.h"
#include "signoff/backends.h"
#include "signoff/queue.h"
#include "signoff/store/pg/dl_pq.h"
#include "signoff/store/sqlite/backend.h"

struct fx {
    char dir[64];
    char path[200]; /* the queue: a file in dir, or a PostgreSQL URI */
    char db[64];    /* PostgreSQL: the test's database, else "" */
};

/* 1 when the tests run on PostgreSQL (SIGNOFF_TEST_BACKEND=pg). */
static inline int fx_pg(void)
{
    const char *b = getenv("SIGNOFF_TEST_BACKEND");
    return b && strcmp(b, "pg") == 0;
}

/* A libpq connection to database db of the test cluster (or a failed
 * test). */
static inline PGconn *fx_pg_connect(const char *db)
{
    struct so_error err;
    if (dl_pq_load(&err) != SO_OK)
        fail_msg("%s", err.msg);
    const char *host = getenv("SIGNOFF_PG_HOST"), *user = getenv("SIGNOFF_PG_USER");
    if (!host || !user)
        fail_msg("SIGNOFF_TEST_BACKEND=pg without SIGNOFF_PG_HOST and "
                 "SIGNOFF_PG_USER (tests/pg_cluster.sh)");
    char info[512];
    snprintf(info, sizeof info, "postgresql:///%s?host=%s&user=%s", db, host,
             user);
    PGconn *c = PQconnectdb(info);
    if (PQstatus(c) != CONNECTION_OK)
        fail_msg("connect %s: %s", info, PQerrorMessage(c));
    return c;
}

/* Run sql on db of the test cluster; the first column of the first row as
 * an integer ('t' is 1), or -1 with no rows. */
static inline int64_t fx_pg_sql(const char *db, const char *sql)
{
    PGconn *c = fx_pg_connect(db);
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(c));
    int64_t v = -1;
    if (st == PGRES_TUPLES_OK && PQntuples(r) > 0)
        v = PQgetvalue(r, 0, 0)[0] == 't' ? 1
                                          : strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    PQfinish(c);
    return v;
}

/* A new empty database from the cluster's template; its queue spec in
 * path. */
static inline void fx_pg_newdb(char *db, size_t dbsize, char *path,
                               size_t pathsize, const char *name)
{
    static int n;
    snprintf(db, dbsize, "so_u%ld_%s%d", (long)getpid(), name, ++n);
    char sql[128];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE so_template", db);
    fx_pg_sql("postgres", sql);
    snprintf(path, pathsize, "postgresql:///%s?host=%s&user=%s", db,
             getenv("SIGNOFF_PG_HOST"), getenv("SIGNOFF_PG_USER"));
}

static inline int fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/so-store-XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    if (fx_pg())
        fx_pg_newdb(f->db, sizeof f->db, f->path, sizeof f->path, "t");
    else
        snprintf(f->path, sizeof f->path, "%s/q.db", f->dir);
    unsetenv("SIGNOFF_NOW_MS");
    unsetenv("SIGNOFF_BUSY_TIMEOUT_MS");
    *state = f;
    return 0;
}

static inline int fx_teardown(void **state)
{
    struct fx *f = *state;
    char cmd[128];
    if (f->db[0]) {
        snprintf(cmd, sizeof cmd, "DROP DATABASE %s WITH (FORCE)", f->db);
        fx_pg_sql("postgres", cmd);
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    unsetenv("SIGNOFF_NOW_MS");
    return rc == 0 ? 0 : -1;
}

/* What fx_needs asks a store about. */
enum fx_op {
    FX_ROLLUP,    /* stats: the rollup */
    FX_AGREEMENT, /* four-eyes agreement */
    FX_FOUREYES,  /* a workflow of two reviews */
    FX_AUTOPAUSE, /* auto-pause on a workflow */
    FX_REASSIGN,  /* a supervisor's reassign */
    FX_COUNTERS,  /* the decision counters of a workflow (recorded[]) */
    FX_OPS
};

/* Ask a scratch queue of the backend under test whether it still refuses
 * op: the refusal's message ("...: not yet supported ..."), or NULL. */
static inline const char *fx_refusal(enum fx_op op)
{
    static char why[FX_OPS][sizeof ((struct so_error *)0)->msg];
    static int asked[FX_OPS];
    if (!fx_pg())
        return NULL;
    if (asked[op])
        return why[op][0] ? why[op] : NULL;
    asked[op] = 1;
    char db[64], path[200];
    fx_pg_newdb(db, sizeof db, path, sizeof path, "probe");
    struct queue_opts o;
    memset(&o, 0, sizeof o);
    o.reviewer = "fx-probe";
    o.role = "supervisor";
    o.create = 1;
    struct queue *q = NULL;
    struct so_error err;
    if (queue_open(path, &o, &q, &err) != SO_OK)
        fail_msg("open %s: %s", path, err.msg);
    enum so_status st = SO_OK;
    struct so_stats_req sr = {0, 0, NULL, 0};
    struct so_workflow w;
    memset(&w, 0, sizeof w);
    w.name = "probe";
    if (op == FX_ROLLUP) {
        struct so_rollup r;
        st = q->ops->rollup(q, &sr, &r, &err);
        if (st == SO_OK)
            so_rollup_free(&r);
    } else if (op == FX_AGREEMENT) {
        struct so_agreement a;
        memset(&a, 0, sizeof a);
        st = q->ops->agreement(q, &sr, &a, &err);
        if (st == SO_OK)
            agreement_free(&a);
    } else if (op == FX_FOUREYES) {
        w.reviews = 2;
        st = q->ops->workflow_set(q, &w, SO_WF_REVIEWS, &err);
    } else if (op == FX_AUTOPAUSE) {
        w.auto_pause = 1;
        st = q->ops->workflow_set(q, &w, SO_WF_AUTOPAUSE, &err);
    } else if (op == FX_REASSIGN) {
        st = q->ops->reassign(q, "probe", NULL, 0, &err);
    } else if (op == FX_COUNTERS) {
        /* Not refused but not kept either: a decision the counters miss. */
        struct so_draft *d = so_draft_new();
        d->id = xstrdup("probe");
        d->workflow = xstrdup("probe");
        d->body = xstrdup("probe");
        struct so_draft *const one[] = {d};
        struct so_enq_result er;
        struct so_claim_req cr = {NULL, "probe", 0};
        struct so_draft *got = NULL;
        struct so_decide_req dr;
        memset(&dr, 0, sizeof dr);
        dr.draft_id = "probe";
        dr.request_id = "probe";
        dr.action = SO_ACT_APPROVE;
        struct so_decide_result res;
        if (q->ops->enqueue(q, one, 1, 0, &er, &err) != SO_OK ||
            q->ops->claim(q, &cr, &got, &err) != SO_OK ||
            q->ops->decide(q, &dr, &res, &err) != SO_OK ||
            q->ops->workflow_get(q, "probe", &w, &err) != SO_OK)
            fail_msg("probe the decision counters: %s", err.msg);
        if (w.recorded[SO_ACT_APPROVE] != 1) {
            st = SO_ERR_USAGE;
            snprintf(err.msg, sizeof err.msg,
                     "the decision counters of a workflow (recorded, "
                     "/metrics) are not yet supported on PostgreSQL queues");
        }
        so_workflow_clear(&w);
        so_draft_free(got);
        so_draft_free(d);
    }
    queue_close(q);
    char sql[128];
    snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", db);
    fx_pg_sql("postgres", sql);
    if (st != SO_OK && strstr(err.msg, "not yet supported"))
        snprintf(why[op], sizeof why[op], "%s", err.msg);
    return why[op][0] ? why[op] : NULL;
}

/* Skip the calling test, saying why, when the backend under test still
 * refuses op. Call it first, before anything is allocated. */
#define fx_needs(op)                                                           \
    do {                                                                       \
        const char *fx_why_ = fx_refusal(op);                                  \
        if (fx_why_) {                                                         \
            print_message("# SKIP on PostgreSQL: %s\n", fx_why_);              \
            skip();                                                            \
        }                                                                      \
    } while (0)
/* SQL that takes a current file back to schema v19: the decision
 * counters and deliveries kept by triggers on decisions, here stand-ins
 * (their names are what the older steps drop and make; v20 drops them:
 * the append writes both). */
#define FX_AS_V19                                                              \
    " CREATE TRIGGER decision_counts_ins AFTER INSERT ON decisions"            \
    " BEGIN SELECT 1; END; CREATE TRIGGER deliveries_ins AFTER INSERT ON"      \
    " decisions BEGIN SELECT 1; END;"
/* SQL that takes a current file back to schema v18 (no gold checks). */
#define FX_AS_V18                                                              \
    FX_AS_V19 " DROP TABLE gold; DROP TABLE gold_answers; ALTER TABLE workflows DROP"     \
    " gold_pct; ALTER TABLE workflows DROP gold_bar;"                          \
    " ALTER TABLE workflows DROP gold_due;"
/* SQL that takes a current file back to schema v17 (no cost columns):
 * the coarse rollup's triggers are dropped with the columns they name and
 * stand-ins made, which v18 drops and makes again. */
#define FX_V18_COLS(P)                                                         \
    P(ai_cost) P(ai_cost_n) P(tokens) P(tokens_n) P(gen_ms) P(gen_n)           \
    P(human_ms) P(human_cost) P(sla_n) P(sla_missed) P(acted)
#define FX_DROP_ROLLUP(c) " ALTER TABLE rollup DROP " #c ";"
#define FX_DROP_ROLLUP_WF(c) " ALTER TABLE rollup_wf DROP " #c ";"
#define FX_STANDIN(name, ev)                                                   \
    " CREATE TRIGGER " name " AFTER " ev " ON rollup BEGIN SELECT 1; END;"
#define FX_AS_V17                                                              \
    FX_AS_V18 " DROP INDEX drafts_open_age; DROP TRIGGER rollup_wf_ins;"                 \
    " DROP TRIGGER rollup_wf_del; DROP TRIGGER rollup_wf_upd;"                 \
    " DROP TRIGGER rollup_wf_move;"                                            \
    " ALTER TABLE drafts DROP cost_micros;"                             \
    " ALTER TABLE drafts DROP currency;"                                 \
    " ALTER TABLE drafts DROP tokens;"                                   \
    " ALTER TABLE drafts DROP latency_ms;"                               \
    " ALTER TABLE workflows DROP currency;"                              \
    " ALTER TABLE workflows DROP hourly_rate;"                           \
    " ALTER TABLE workflows DROP sla_ms;"                                \
    " ALTER TABLE workflows DROP sla_alert;"                             \
    " ALTER TABLE outcomes DROP human_ms;"                               \
    " ALTER TABLE outcomes DROP human_cost;"                             \
    " ALTER TABLE outcomes DROP sla_missed;"                             \
    FX_V18_COLS(FX_DROP_ROLLUP) FX_V18_COLS(FX_DROP_ROLLUP_WF)                 \
    FX_STANDIN("rollup_wf_ins", "INSERT") FX_STANDIN("rollup_wf_del", "DELETE") \
    FX_STANDIN("rollup_wf_upd", "UPDATE") FX_STANDIN("rollup_wf_move", "UPDATE")

/* SQL that takes a current file back to schema v14 (no automation
 * policy), for the migration tests that start from an older version. */
#define FX_AS_V14                                                              \
    FX_AS_V17                                                                  \
    " DROP INDEX decisions_admin; DROP INDEX drafts_routed;"                   \
    " DROP INDEX policy_events_by_workflow; DROP TABLE policy_events;"        \
    " ALTER TABLE drafts DROP COLUMN route;"                                   \
    " ALTER TABLE workflows DROP COLUMN automate;"                             \
    " ALTER TABLE workflows DROP COLUMN automate_from;"                        \
    " ALTER TABLE workflows DROP COLUMN sample_pct;"                           \
    " ALTER TABLE workflows DROP COLUMN always_review;"                        \
    " ALTER TABLE workflows DROP COLUMN sample_seed;"

static inline void fx_now(int64_t ms)
{
    char v[32];
    snprintf(v, sizeof v, "%lld", (long long)ms);
    setenv("SIGNOFF_NOW_MS", v, 1);
}

static inline struct queue *fx_open(const char *path, const char *reviewer)
{
    struct queue_opts o;
    memset(&o, 0, sizeof o);
    o.reviewer = reviewer;
    o.create = 1;
    struct queue *q = NULL;
    struct so_error err;
    enum so_status st = queue_open(path, &o, &q, &err);
    if (st != SO_OK)
        fail_msg("open %s: %s", path, err.msg);
    return q;
}

static inline struct so_draft *fx_draft(const char *id, const char *wf,
                                        const char *body)
{
    struct so_draft *d = so_draft_new();
    d->id = xstrdup(id);
    d->workflow = xstrdup(wf);
    d->body = xstrdup(body);
    d->title = xasprintf("Title of %s", id);
    d->model = xstrdup("m-1");
    d->confidence = 0.75;
    return d;
}

/* Enqueue one draft (freed) and return its outcome. */
static inline enum so_enq_outcome fx_enq(struct queue *q, struct so_draft *d,
                                         int replace, char *why, size_t whylen)
{
    struct so_enq_result r;
    struct so_error err;
    struct so_draft *const list[] = {d};
    if (q->ops->enqueue(q, list, 1, replace, &r, &err) != SO_OK)
        fail_msg("enqueue %s: %s", d->id, err.msg);
    if (why)
        snprintf(why, whylen, "%s",
                 r.outcome == SO_ENQ_FAILED ? r.err.msg : "");
    so_draft_free(d);
    return r.outcome;
}

static inline void fx_add(struct queue *q, const char *id, const char *wf,
                          const char *body)
{
    assert_int_equal(fx_enq(q, fx_draft(id, wf, body), 0, NULL, 0),
                     SO_ENQ_ADDED);
}

/* First column of the first row of sql on the queue (file or database),
 * as an integer. */
static inline int64_t fx_sql_int(const char *path, const char *sql)
{
    if (strncmp(path, "postgresql:///", 14) == 0) {
        char db[64];
        snprintf(db, sizeof db, "%.*s", (int)strcspn(path + 14, "?"), path + 14);
        return fx_pg_sql(db, sql);
    }
    sqlite3 *db;
    sqlite3_stmt *st;
    int64_t v = -1;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static inline void fx_sql_exec(const char *path, const char *sql)
{
    if (strncmp(path, "postgresql:///", 14) == 0) {
        fx_sql_int(path, sql);
        return;
    }
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* Claim draft id (or the next one when id is NULL); returns the token. */
static inline int64_t fx_claim(struct queue *q, const char *id,
                               int64_t lease_ms)
{
    struct so_claim_req req = {NULL, id, lease_ms};
    struct so_draft *d = NULL;
    struct so_error err;
    enum so_status st = q->ops->claim(q, &req, &d, &err);
    if (st != SO_OK)
        fail_msg("claim %s: %s", id ? id : "(next)", err.msg);
    int64_t token = d->lease_token;
    so_draft_free(d);
    return token;
}

static inline enum so_status fx_decide(struct queue *q, const char *id,
                                       enum so_action action,
                                       const char *final_body, const char *rq,
                                       struct so_decide_result *res,
                                       struct so_error *err)
{
    struct so_decide_req req;
    memset(&req, 0, sizeof req);
    req.draft_id = id;
    req.request_id = rq;
    req.action = action;
    req.final_body = final_body;
    req.reason = action == SO_ACT_REJECT ? "tone" : NULL;
    req.active_ms = 5000;
    return q->ops->decide(q, &req, res, err);
}

#endif
