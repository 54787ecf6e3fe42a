/*
 * store_pg_events: the feed read and its wait, and the action record, for
 * the PostgreSQL store (see events.h). As on SQLite the
 * feed is read in two statements: the head (the chain head, or just
 * before the first outcome still held back), then the records up to it.
 * Appends queue on the chain head row, so they commit in seq order: every
 * record up to a committed head is committed, and the records up to a head
 * never change what outcome.h makes of them. Release times are compared
 * with the database's clock, the one every server shares. The wait is
 * LISTEN signoff_events (the schema's trigger notifies at the commit of
 * every append, whichever server made it), looked at again at least every
 * second, so a pooler that drops LISTEN (PgBouncer in transaction mode)
 * costs wake-up time, never an event. Only SQL; never prints.
 */
#define _GNU_SOURCE
#include "signoff/store/pg/events.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/audit.h"
#include "signoff/outcome.h"
#include "signoff/store/pg/chain.h"
#include "signoff/store/pg/decide.h"
#include "signoff/store/pg/drafts.h"
#include "signoff/store/pg/gold.h"
#include "signoff/store/pg/lease.h"
#include "signoff/store/pg/rollup.h"
#include "signoff/store/rules.h"

/* The longest wait between looks when no notification comes. */
#define PG_EVENTS_FALLBACK_MS 1000

static const char sql_live_outcome[] =
    "SELECT seq, release_at FROM outcomes WHERE draft = $1"
    " AND reverted_at IS NULL ORDER BY seq DESC LIMIT 1";

static const char sql_outcome_applied[] =
    "UPDATE outcomes SET applied_seq = $1 WHERE seq = $2"
    " AND applied_seq <= 0";

/* The workflow's first action record at $2: what was released before it
 * is not expected to get one (OUTCOME_NOT_EXPECTED, outcome.h). */
#define OUTCOME_WF "(SELECT workflow FROM outcomes WHERE seq = $1)"
static const char sql_not_expected[] =
    "UPDATE outcomes SET applied_seq = $3 WHERE workflow = " OUTCOME_WF
    " AND applied_seq = 0 AND reverted_at IS NULL AND release_at < $2"
    " AND NOT EXISTS (SELECT 1 FROM outcomes a WHERE a.workflow = "
    OUTCOME_WF " AND a.applied_seq > 0)";

/* The chain head, the first outcome still held back and its release, and
 * the database's clock they were compared with. */
static const char sql_head[] =
    "SELECT (SELECT seq FROM chain_head WHERE one),"
    " (SELECT min(seq) FROM outcomes WHERE release_at > n.now"
    "  AND reverted_at IS NULL),"
    " (SELECT min(release_at) FROM outcomes WHERE release_at > n.now"
    "  AND reverted_at IS NULL), n.now"
    " FROM (SELECT " PG_NOW_MS " AS now) n";

static const char sql_events[] =
    "SELECT d.seq, d.draft, d.request_id, d.reviewer, d.action, d.kind,"
    " d.reason, d.note, d.final_body, d.edit_size, d.body_sha, d.final_sha,"
    " d.shown_at, d.decided_at, d.active_ms, d.reverts_seq, d.prev_hash,"
    " d.hash, coalesce(dr.workflow, CASE WHEN d.kind = 'admin' AND"
    " substr(d.draft, 1, 9) = 'workflow/' THEN substr(d.draft, 10) END),"
    " dr.body, o.seq, o.release_at, o.reverted_at,"
    " ro.seq, ro.release_at, ro.reverted_at"
    " FROM decisions d LEFT JOIN drafts dr ON dr.id = d.draft"
    " LEFT JOIN outcomes o ON o.seq = d.seq"
    " LEFT JOIN outcomes ro ON d.reverts_seq > 0 AND ro.seq = d.reverts_seq"
    " WHERE d.seq > $1 AND d.seq <= $2 AND" PG_NOT_GOLD("d")
    " AND ($3::text IS NULL OR dr.workflow = $3"
    " OR (d.kind = 'admin' AND d.draft = 'workflow/' || $3))"
    " ORDER BY d.seq LIMIT $4";

/* ---- the feed ---------------------------------------------------------- */

/* The head, the next release, the database's clock now and the chain's
 * last seq (chain may be NULL). */
static enum so_status read_head(struct pgq *p, int64_t *head,
                                int64_t *next_release, int64_t *now,
                                int64_t *chain, struct so_error *err)
{
    PGresult *r;
    enum so_status code = pg_run(p, sql_head, NULL, &r, err);
    if (code != SO_OK)
        return code;
    *head = pg_int(r, 0, 0);
    if (chain)
        *chain = *head;
    if (!PQgetisnull(r, 0, 1))
        *head = pg_int(r, 0, 1) - 1;
    *next_release = pg_int(r, 0, 2);
    *now = pg_int(r, 0, 3);
    PQclear(r);
    return SO_OK;
}

enum so_status pg_events_head(struct pgq *p, int64_t *head,
                              int64_t *next_release, struct so_error *err)
{
    int64_t now;
    return read_head(p, head, next_release, &now, NULL, err);
}

static void read_event(const PGresult *r, int i, struct so_event *e)
{
    memset(e, 0, sizeof *e);
    pg_read_decision(r, i, &e->rec);
    e->workflow = pg_str(r, i, 18);
    struct outcome_facts f = {
        .is_outcome = !PQgetisnull(r, i, 20),
        .release_at = pg_int(r, i, 21),
        .reverted_at = pg_int(r, i, 22),
        .reverts_outcome = !PQgetisnull(r, i, 23),
        .r_release_at = pg_int(r, i, 24),
        .r_reverted_at = pg_int(r, i, 25),
        .draft_body = PQgetisnull(r, i, 19) ? NULL : PQgetvalue(r, i, 19),
    };
    outcome_classify(&f, e);
}

/* Records after `after` up to `head` (of workflow, at most limit). */
static enum so_status read_range(struct pgq *p, int64_t after, int64_t head,
                                 const char *workflow, int limit,
                                 PGresult **r, struct so_error *err)
{
    struct pg_args a = {0};
    pg_arg_int(&a, after);
    pg_arg_int(&a, head);
    pg_arg_text(&a, workflow);
    pg_arg_int(&a, limit);
    return pg_run(p, sql_events, &a, r, err);
}

/* A page after the cursor, up to the head; the cursor is first checked
 * against the chain (outcome_cursor_check). */
static enum so_status read_page(struct pgq *p, const struct so_event_req *req,
                                int64_t after, struct so_event_page *out,
                                int64_t *next_release, int64_t *now,
                                struct so_error *err)
{
    int64_t head = 0, chain = 0;
    enum so_status code = read_head(p, &head, next_release, now, &chain, err);
    if (code == SO_OK)
        code = outcome_cursor_check(after, chain, err);
    if (code != SO_OK)
        return code;
    out->next_after = head > after ? head : after;
    out->head = head;
    if (head <= after)
        return SO_OK;
    PGresult *r;
    code = read_range(p, after, head, req->workflow, req->limit, &r, err);
    if (code != SO_OK)
        return code;
    int rows = PQntuples(r);
    out->v = xcalloc((size_t)req->limit, sizeof *out->v);
    for (int i = 0; i < rows; i++)
        read_event(r, i, &out->v[out->n++]);
    PQclear(r);
    if (out->n == (size_t)req->limit)
        out->next_after = out->v[out->n - 1].rec.seq;
    return SO_OK;
}

enum so_status pg_events_at(struct pgq *p, int64_t seq, struct so_event *out,
                            struct so_error *err)
{
    PGresult *r;
    enum so_status code = read_range(p, seq - 1, seq, NULL, 1, &r, err);
    if (code != SO_OK)
        return code;
    if (PQntuples(r))
        read_event(r, 0, out);
    else
        code = so_fail(err, SO_ERR_NOTFOUND, "seq %lld: no such record",
                       (long long)seq);
    PQclear(r);
    return code;
}

/* 1 when a notification was waiting (drains them). */
static int drain(struct pgq *p)
{
    int hit = 0;
    PGnotify *n;
    while ((n = PQnotifies(p->c)) != NULL) {
        PQfreemem(n);
        hit = 1;
    }
    return hit;
}

/* Sleep until a notification comes or ms pass. */
static void wait_notify(struct pgq *p, int64_t ms)
{
    if (ms <= 0 || drain(p))
        return;
    struct pollfd pf = {.fd = PQsocket(p->c), .events = POLLIN};
    if (poll(&pf, pf.fd >= 0 ? 1 : 0, (int)ms) > 0 && PQconsumeInput(p->c))
        drain(p);
}

enum so_status pg_events(struct queue *q, const struct so_event_req *req,
                         struct so_event_page *out, struct so_error *err)
{
    struct pgq *p = q->impl;
    memset(out, 0, sizeof *out);
    if (req->limit < 1 || req->limit > 1000)
        return so_fail(err, SO_ERR_INVALID, "events: limit not in 1..1000");
    if (req->after < 0)
        return so_fail(err, SO_ERR_INVALID, "events: after is negative");
    int64_t deadline = so_mono_ms() + (req->wait_ms > 0 ? req->wait_ms : 0);
    int64_t after = req->after, next_release = 0, now = 0;
    enum so_status code;
    for (;;) {
        code = read_page(p, req, after, out, &next_release, &now, err);
        if (code != SO_OK || out->n > 0 || so_mono_ms() >= deadline)
            break;
        after = out->next_after;
        free(out->v);
        out->v = NULL;
        if (!p->listening) {
            /* then read again: a commit may have come before LISTEN */
            code = pg_cmd(p, "LISTEN signoff_events", err);
            if (code != SO_OK)
                break;
            p->listening = 1;
            continue;
        }
        int64_t left = deadline - so_mono_ms();
        if (left > PG_EVENTS_FALLBACK_MS)
            left = PG_EVENTS_FALLBACK_MS;
        if (next_release > 0 && next_release - now + 1 < left)
            left = next_release - now + 1;
        wait_notify(p, left);
    }
    if (code != SO_OK)
        so_event_page_free(out);
    return code;
}

/* ---- the action record ------------------------------------------------- */

struct applied_ctx {
    const struct so_applied_req *req;
    struct so_decide_result *res;
};

static enum so_status applied_replay(struct pgq *p,
                                     const struct so_applied_req *req,
                                     const PGresult *found,
                                     struct so_decide_result *res,
                                     struct so_error *err)
{
    struct so_decision d;
    pg_read_decision(found, 0, &d);
    enum so_status code = store_rules_applied_replay(p->reviewer, req, &d, err);
    if (code == SO_OK)
        store_rules_result(&d, "decided", 1, res);
    so_decision_clear(&d);
    return code;
}

/* The draft's live outcome (found), released at release_at; its seq. */
static enum so_status live_outcome(struct pgq *p, const char *id, int *found,
                                   int64_t *seq, int64_t *release_at,
                                   struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    pg_arg_text(&a, id);
    enum so_status code = pg_run(p, sql_live_outcome, &a, &r, err);
    if (code != SO_OK)
        return code;
    *found = PQntuples(r) > 0;
    *seq = *found ? pg_int(r, 0, 0) : 0;
    *release_at = *found ? pg_int(r, 0, 1) : 0;
    PQclear(r);
    return SO_OK;
}

static enum so_status applied_tx(struct pgq *p, void *ctx,
                                 struct so_error *err)
{
    struct applied_ctx *x = ctx;
    const struct so_applied_req *req = x->req;
    struct pg_claim c;
    PGresult *r;
    enum so_status lock;
    /* The draft row first, as a decision and an undo take it: an undo and
     * an action record on one draft queue here. */
    enum so_status code = pg_request_locked(p, req->draft_id, req->request_id,
                                            &c, &lock, &r, err);
    if (code != SO_OK)
        return code;
    if (r) {
        code = applied_replay(p, req, r, x->res, err);
        PQclear(r);
        return code;
    }
    if (lock != SO_OK)
        return so_fail(err, SO_ERR_NOTFOUND, "%s: no such draft",
                       req->draft_id);
    struct so_draft *dr = NULL;
    char sha[65] = "";
    int found = 0;
    int64_t oseq = 0, release_at = 0;
    code = pg_read_draft(p, c.rid, &dr, err);
    if (code == SO_OK) {
        audit_sha256_hex(dr->body, strlen(dr->body), sha);
        code = live_outcome(p, req->draft_id, &found, &oseq, &release_at, err);
    }
    so_draft_free(dr);
    if (code == SO_OK)
        code = outcome_may_apply(req->draft_id, found, release_at, c.now, err);
    if (code != SO_OK)
        return code;
    struct so_decision d;
    store_rules_applied_record(p->reviewer, req, sha, c.now, &d);
    code = pg_chain_append(p, &d, err);
    if (code == SO_OK) {
        struct pg_args m = {0};
        pg_arg_int(&m, oseq);
        pg_arg_int(&m, d.decided_at);
        pg_arg_int(&m, OUTCOME_NOT_EXPECTED);
        code = pg_run(p, sql_not_expected, &m, NULL, err);
    }
    if (code == SO_OK) {
        struct pg_args u = {0};
        pg_arg_int(&u, d.seq);
        pg_arg_int(&u, oseq);
        code = pg_run(p, sql_outcome_applied, &u, NULL, err);
    }
    if (code == SO_OK)
        code = pg_rollup_acted(p, oseq, d.decided_at, err);
    if (code == SO_OK)
        store_rules_result(&d, "decided", 0, x->res);
    return code;
}

enum so_status pg_applied(struct queue *q, const struct so_applied_req *req,
                          struct so_decide_result *res, struct so_error *err)
{
    memset(res, 0, sizeof *res);
    struct applied_ctx x = {req, res};
    enum so_status code = store_rules_applied_req(req, err);
    return code == SO_OK ? pg_tx(q->impl, applied_tx, &x, err) : code;
}
