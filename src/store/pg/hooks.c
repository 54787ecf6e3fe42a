/*
 * store_pg_hooks: the webhook tables on the PostgreSQL store (see
 * hooks.h). A delivery is claimed by one statement: the first due row
 * (pending, its time come, no live lease, its record released by the
 * feed's head, no earlier pending row of the same hook and draft, its hook
 * enabled) is locked FOR UPDATE SKIP LOCKED, so servers claiming at once
 * take different rows, and given a lease on the database's clock and a new
 * fencing token; the result is written only under that token. An earlier
 * pending row of a draft, leased or not, holds its later ones back: per
 * draft in order across servers. A sender killed mid-attempt leaves a
 * lease that runs out and the row is claimed again (at least once). Only
 * SQL; the rules are webhook.h's.
 */
#include "signoff/store/pg/hooks.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/admin.h"
#include "signoff/store/pg/admin.h"
#include "signoff/store/pg/events.h"
#include "signoff/store/pg/gold.h"
#include "signoff/store/rules.h"
#include "signoff/webhook.h"

#define HOOK_COLS                                                              \
    "SELECT h.id, h.workflow, h.url, h.secret, h.events, h.enabled,"           \
    " h.auto_disabled, h.disabled_reason, h.fail_streak, h.max_failures,"      \
    " h.retry_for_ms, h.allow_private, h.created_at"

static const char sql_wf_exists[] =
    "SELECT EXISTS (SELECT 1 FROM workflows WHERE name = $1)::int";

static const char sql_add[] =
    "INSERT INTO hooks(workflow, url, secret, events, max_failures,"
    " retry_for_ms, allow_private, created_at) VALUES ($1, $2, $3, $4, $5,"
    " $6, $7, $8) RETURNING id";

static const char sql_list[] =
    HOOK_COLS ", (SELECT count(*) FROM deliveries d WHERE d.hook = h.id AND"
    " d.state = 'pending'), (SELECT count(*) FROM deliveries d WHERE"
    " d.hook = h.id AND d.state = 'delivered'), (SELECT count(*) FROM"
    " deliveries d WHERE d.hook = h.id AND d.state = 'dead')"
    " FROM hooks h ORDER BY h.id";

static const char sql_enable[] =
    "UPDATE hooks SET enabled = $2, auto_disabled = 0, fail_streak = 0,"
    " disabled_reason = CASE WHEN $2::int = 1 THEN NULL"
    " ELSE 'disabled by hand' END WHERE id = $1 RETURNING id";

static const char sql_replay[] =
    "INSERT INTO deliveries(hook, seq, draft, next_at)"
    " SELECT h.id, x.seq, x.draft, $3 FROM hooks h"
    " JOIN decisions x ON x.seq >= $2"
    " JOIN drafts d ON d.id = x.draft AND d.workflow = h.workflow"
    " WHERE h.id = $1 AND (h.events = 'all' OR x.action <> 'escalate'"
    " AND x.action <> 'applied') AND" PG_NOT_GOLD("x")
    " ON CONFLICT (hook, seq) DO UPDATE SET state = 'pending', attempts = 0,"
    " next_at = excluded.next_at, first_at = 0, lease_until = 0"
    " RETURNING id";

static const char sql_log[] =
    "SELECT delivery, seq, at, ms, status, draft, state, error"
    " FROM delivery_attempts WHERE hook = $1 ORDER BY id DESC LIMIT $2";

static const char sql_dead[] =
    "SELECT id, seq, coalesce(delivered_at, next_at), 0,"
    " coalesce(last_status, 0), draft, state, last_error FROM deliveries"
    " WHERE hook = $1 AND state = 'dead' ORDER BY seq DESC LIMIT $2";

/* The claim: $1 the feed's head, $2 the lease in ms. */
static const char sql_claim[] =
    "UPDATE deliveries SET lease_until = " PG_NOW_MS " + $2::bigint,"
    " lease_token = lease_token + 1 WHERE id = ("
    " SELECT d.id FROM deliveries d JOIN hooks h ON h.id = d.hook"
    " WHERE d.state = 'pending' AND d.next_at <= " PG_NOW_MS
    " AND d.lease_until <= " PG_NOW_MS " AND d.seq <= $1 AND h.enabled = 1"
    " AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.hook = d.hook"
    "  AND e.draft = d.draft AND e.seq < d.seq AND e.state = 'pending')"
    " ORDER BY d.next_at, d.seq LIMIT 1 FOR UPDATE OF d SKIP LOCKED)"
    " RETURNING id, lease_token, seq, attempts, first_at, hook";

static const char sql_hook_one[] = HOOK_COLS " FROM hooks h WHERE h.id = $1";

static const char sql_token[] =
    "SELECT lease_token, hook, seq, draft FROM deliveries WHERE id = $1"
    " FOR UPDATE";

static const char sql_result[] =
    "UPDATE deliveries SET state = $2, next_at = $3,"
    " attempts = attempts + $4::int, lease_until = 0,"
    " first_at = CASE WHEN first_at = 0 AND $4::int = 1 THEN $5::bigint"
    "  ELSE first_at END,"
    " last_status = CASE WHEN $4::int = 1 THEN $6::int ELSE last_status END,"
    " last_error = CASE WHEN $4::int = 1 THEN $7::text ELSE last_error END,"
    " delivered_at = CASE WHEN $2::text = 'delivered' THEN $5::bigint"
    "  ELSE delivered_at END WHERE id = $1";

static const char sql_attempt[] =
    "INSERT INTO delivery_attempts(delivery, hook, seq, draft, at, status,"
    " ms, state, error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/* The attempts of a hook past the newest WEBHOOK_LOG_KEEP. */
static const char sql_prune[] =
    "DELETE FROM delivery_attempts WHERE hook = $1 AND id <="
    " (SELECT id FROM delivery_attempts WHERE hook = $1"
    "  ORDER BY id DESC LIMIT 1 OFFSET $2)";

static const char sql_streak[] =
    "UPDATE hooks SET fail_streak = CASE WHEN $2::int = 1 THEN 0"
    " ELSE fail_streak + 1 END,"
    " enabled = CASE WHEN $3::int = 1 THEN 0 ELSE enabled END,"
    " auto_disabled = CASE WHEN $3::int = 1 THEN 1 ELSE auto_disabled END,"
    " disabled_reason = CASE WHEN $3::int = 1 THEN $4 ELSE disabled_reason"
    " END WHERE id = $1";

static void read_hook(const PGresult *r, int i, struct so_hook *h)
{
    memset(h, 0, sizeof *h);
    h->id = pg_int(r, i, 0);
    h->workflow = pg_str(r, i, 1);
    h->url = pg_str(r, i, 2);
    h->secret = pg_str(r, i, 3);
    h->events = pg_str(r, i, 4);
    h->enabled = (int)pg_int(r, i, 5);
    h->auto_disabled = (int)pg_int(r, i, 6);
    h->disabled_reason = pg_str(r, i, 7);
    h->fail_streak = (int)pg_int(r, i, 8);
    h->max_failures = (int)pg_int(r, i, 9);
    h->retry_for_ms = pg_int(r, i, 10);
    h->allow_private = (int)pg_int(r, i, 11);
    h->created_at = pg_int(r, i, 12);
}

static const char sql_one[] = HOOK_COLS " FROM hooks h WHERE h.id = $1"
                                " FOR UPDATE";

/* Hook id into *h (locked); SO_ERR_NOTFOUND naming it when none. */
static enum so_status hook_get(struct pgq *p, int64_t id, struct so_hook *h,
                               struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    pg_arg_int(&a, id);
    enum so_status code = pg_run(p, sql_one, &a, &r, err);
    if (code != SO_OK)
        return code;
    int found = PQntuples(r) > 0;
    if (found)
        read_hook(r, 0, h);
    PQclear(r);
    return found ? SO_OK
                 : so_fail(err, SO_ERR_NOTFOUND, "hook %lld: no such hook",
                           (long long)id);
}

/* The admin record of a change of hook h (admin_hook_detail), subject its
 * workflow, in the change's transaction (as on SQLite). */
static enum so_status hook_admin(struct pgq *p, const struct so_hook *h,
                                 const char *verb, int64_t from,
                                 int64_t queued, struct so_error *err)
{
    char *subject = xasprintf("workflow/%s", h->workflow);
    enum so_status code = pg_admin_append(
        p, verb, subject, admin_hook_detail(h, verb, from, queued), err);
    free(subject);
    return code;
}

/* What a hook change does in its transaction: add (h), enable or disable
 * (id, on) or replay (id, from; *n queued). */
struct hook_change {
    const struct so_hook *h;
    int64_t id, from, *n;
    int on;
    const char *verb;
};

static enum so_status add_tx(struct pgq *p, void *ctx, struct so_error *err)
{
    struct hook_change *c = ctx;
    const struct so_hook *h = c->h;
    struct pg_args a = {0}, w = {0};
    PGresult *r;
    int64_t exists = 0;
    pg_arg_text(&w, h->workflow);
    enum so_status code = pg_one_int(p, sql_wf_exists, &w, &exists, NULL, err);
    if (code == SO_OK)
        code = store_rules_hook_workflow(h->workflow, exists != 0, err);
    if (code != SO_OK)
        return code;
    pg_arg_text(&a, h->workflow);
    pg_arg_text(&a, h->url);
    pg_arg_text(&a, h->secret);
    pg_arg_text(&a, h->events ? h->events : "outcome");
    pg_arg_int(&a, h->max_failures);
    pg_arg_int(&a, h->retry_for_ms);
    pg_arg_int(&a, h->allow_private ? 1 : 0);
    pg_arg_int(&a, so_now_ms());
    code = pg_run(p, sql_add, &a, &r, err);
    if (code != SO_OK)
        return code;
    struct so_hook added = *h;
    added.id = *c->n = pg_int(r, 0, 0);
    PQclear(r);
    return hook_admin(p, &added, "hook.add", 0, 0, err);
}

enum so_status pg_hook_add(struct queue *q, const struct so_hook *h,
                           int64_t *id, struct so_error *err)
{
    struct hook_change c = {.h = h, .n = id};
    *id = 0;
    return pg_tx(q->impl, add_tx, &c, err);
}

/* enable, disable or replay hook c->id, then its admin record. */
static enum so_status change_tx(struct pgq *p, void *ctx,
                                struct so_error *err)
{
    struct hook_change *c = ctx;
    struct so_hook h;
    struct pg_args a = {0};
    int64_t v, rows = 0;
    memset(&h, 0, sizeof h);
    *c->n = 0;
    enum so_status code = hook_get(p, c->id, &h, err);
    pg_arg_int(&a, c->id);
    if (strcmp(c->verb, "hook.replay") == 0) {
        pg_arg_int(&a, c->from);
        pg_arg_int(&a, so_now_ms());
        if (code == SO_OK)
            code = pg_one_int(p, sql_replay, &a, &v, c->n, err);
    } else {
        pg_arg_int(&a, c->on ? 1 : 0);
        if (code == SO_OK)
            code = pg_one_int(p, sql_enable, &a, &v, &rows, err);
    }
    if (code == SO_OK)
        code = hook_admin(p, &h, c->verb, c->from, *c->n, err);
    so_hook_clear(&h);
    return code;
}

enum so_status pg_hook_list(struct queue *q, struct so_hook **out, size_t *n,
                            struct so_error *err)
{
    PGresult *r;
    *out = NULL;
    *n = 0;
    enum so_status code = pg_run(q->impl, sql_list, NULL, &r, err);
    if (code != SO_OK)
        return code;
    int rows = PQntuples(r);
    *out = rows ? xcalloc((size_t)rows, sizeof **out) : NULL;
    for (int i = 0; i < rows; i++) {
        struct so_hook *h = &(*out)[i];
        read_hook(r, i, h);
        h->pending = pg_int(r, i, 13);
        h->delivered = pg_int(r, i, 14);
        h->dead = pg_int(r, i, 15);
    }
    *n = (size_t)rows;
    PQclear(r);
    return SO_OK;
}

enum so_status pg_hook_enable(struct queue *q, int64_t id, int on,
                              struct so_error *err)
{
    int64_t n = 0;
    struct hook_change c = {.id = id, .on = on, .n = &n,
                            .verb = on ? "hook.enable" : "hook.disable"};
    return pg_tx(q->impl, change_tx, &c, err);
}

enum so_status pg_hook_replay(struct queue *q, int64_t id, int64_t from,
                              int64_t *n, struct so_error *err)
{
    struct hook_change c = {.id = id, .from = from, .n = n,
                            .verb = "hook.replay"};
    enum so_status code = pg_tx(q->impl, change_tx, &c, err);
    if (code != SO_OK)
        *n = 0;
    return code;
}

enum so_status pg_hook_log(struct queue *q, int64_t id, int failed_only,
                           int limit, struct so_hook_attempt **out, size_t *n,
                           struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    *out = NULL;
    *n = 0;
    pg_arg_int(&a, id);
    pg_arg_int(&a, limit);
    enum so_status code =
        pg_run(q->impl, failed_only ? sql_dead : sql_log, &a, &r, err);
    if (code != SO_OK)
        return code;
    int rows = PQntuples(r);
    *out = xcalloc((size_t)rows + 1, sizeof **out);
    for (int i = 0; i < rows; i++) {
        struct so_hook_attempt *t = &(*out)[i];
        t->delivery = pg_int(r, i, 0);
        t->seq = pg_int(r, i, 1);
        t->at = pg_int(r, i, 2);
        t->ms = pg_int(r, i, 3);
        t->status = (int)pg_int(r, i, 4);
        t->draft = pg_str(r, i, 5);
        t->state = pg_str(r, i, 6);
        t->error = pg_str(r, i, 7);
    }
    *n = (size_t)rows;
    PQclear(r);
    return SO_OK;
}

/* ---- claim and finish -------------------------------------------------- */

static enum so_status load_hook(struct pgq *p, int64_t id, struct so_hook *h,
                                struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    pg_arg_int(&a, id);
    enum so_status code = pg_run(p, sql_hook_one, &a, &r, err);
    if (code != SO_OK)
        return code;
    if (PQntuples(r))
        read_hook(r, 0, h);
    else
        code = so_fail(err, SO_ERR_NOTFOUND, "hook %lld: no such hook",
                       (long long)id);
    PQclear(r);
    return code;
}

enum so_status pg_delivery_claim(struct queue *q, int64_t lease_ms,
                                 struct so_delivery *out,
                                 struct so_error *err)
{
    struct pgq *p = q->impl;
    int64_t head = 0, next = 0;
    memset(out, 0, sizeof *out);
    enum so_status code = pg_events_head(p, &head, &next, err);
    if (code != SO_OK)
        return code;
    struct pg_args a = {0};
    PGresult *r;
    pg_arg_int(&a, head);
    pg_arg_int(&a, lease_ms);
    /* one statement: the lease is taken and committed at once */
    code = pg_run(p, sql_claim, &a, &r, err);
    if (code != SO_OK)
        return code;
    if (!PQntuples(r)) {
        PQclear(r);
        return SO_EMPTY;
    }
    out->id = pg_int(r, 0, 0);
    out->lease_token = pg_int(r, 0, 1);
    int64_t seq = pg_int(r, 0, 2);
    out->attempts = (int)pg_int(r, 0, 3);
    out->first_at = pg_int(r, 0, 4);
    int64_t hook = pg_int(r, 0, 5);
    PQclear(r);
    code = load_hook(p, hook, &out->hook, err);
    if (code == SO_OK)
        code = pg_events_at(p, seq, &out->event, err);
    if (code != SO_OK)
        so_delivery_clear(out);
    return code;
}

static enum so_status finish_tx(struct pgq *p, void *ctx, struct so_error *err)
{
    const struct so_delivery_result *res = ctx;
    int64_t now = so_now_ms();
    struct pg_args t = {0};
    PGresult *r;
    pg_arg_int(&t, res->id);
    enum so_status code = pg_run(p, sql_token, &t, &r, err);
    if (code != SO_OK)
        return code;
    if (!PQntuples(r) || pg_int(r, 0, 0) != res->lease_token) {
        PQclear(r);
        return so_fail(err, SO_ERR_LEASE,
                       "delivery %lld: its lease was taken over",
                       (long long)res->id);
    }
    int64_t hook = pg_int(r, 0, 1), seq = pg_int(r, 0, 2);
    char *draft = pg_str(r, 0, 3);
    PQclear(r);
    struct pg_args u = {0};
    pg_arg_int(&u, res->id);
    pg_arg_text(&u, res->state);
    pg_arg_int(&u, res->next_at);
    pg_arg_int(&u, res->attempted ? 1 : 0);
    pg_arg_int(&u, now);
    pg_arg_int(&u, res->status);
    pg_arg_text(&u, res->error);
    code = pg_run(p, sql_result, &u, NULL, err);
    if (code == SO_OK && res->attempted) {
        struct pg_args a = {0};
        pg_arg_int(&a, res->id);
        pg_arg_int(&a, hook);
        pg_arg_int(&a, seq);
        pg_arg_text(&a, draft);
        pg_arg_int(&a, now);
        pg_arg_int(&a, res->status);
        pg_arg_int(&a, res->ms);
        pg_arg_text(&a, res->state);
        pg_arg_text(&a, res->error);
        code = pg_run(p, sql_attempt, &a, NULL, err);
    }
    if (code == SO_OK && res->attempted) {
        struct pg_args k = {0};
        pg_arg_int(&k, hook);
        pg_arg_int(&k, WEBHOOK_LOG_KEEP);
        code = pg_run(p, sql_prune, &k, NULL, err);
    }
    if (code == SO_OK && res->attempted) {
        struct pg_args s = {0};
        pg_arg_int(&s, hook);
        pg_arg_int(&s, strcmp(res->state, "delivered") == 0);
        pg_arg_int(&s, res->disable_hook ? 1 : 0);
        pg_arg_text(&s, "failed too many times in a row");
        code = pg_run(p, sql_streak, &s, NULL, err);
    }
    free(draft);
    return code;
}

enum so_status pg_delivery_finish(struct queue *q,
                                  const struct so_delivery_result *r,
                                  struct so_error *err)
{
    return pg_tx(q->impl, finish_tx, (void *)r, err);
}
