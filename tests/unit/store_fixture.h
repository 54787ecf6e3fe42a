/*
 * store_fixture: helpers shared by the store's unit tests: a temporary
 * directory per test, opening a queue as a reviewer, building and enqueuing
 * drafts, and raw SQL on the file for checks the API does not expose.
 * Header-only (static inline functions) because each test is one binary.
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
#include <sqlite3.h>

#include "signoff/queue.h"
#include "signoff/backends.h"
#include "signoff/store/sqlite/backend.h"

struct fx {
    char dir[64];
    char path[128];
};

static inline int fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/so-store-XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
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
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    unsetenv("SIGNOFF_NOW_MS");
    return rc == 0 ? 0 : -1;
}

/* SQL that takes a current file back to schema v14 (no automation
 * policy), for the migration tests that start from an older version. */
#define FX_AS_V14                                                              \
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
    assert_int_equal(q->ops->enqueue(q, list, 1, replace, &r, &err), SO_OK);
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

/* First column of the first row of sql on the file, as an integer. */
static inline int64_t fx_sql_int(const char *path, const char *sql)
{
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
