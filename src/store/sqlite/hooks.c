/*
 * store_hooks: the webhook tables of schema v9. A delivery is claimed in
 * one BEGIN IMMEDIATE transaction: the first due row (pending, its time
 * come, no live lease, its record released by the feed's head, no earlier
 * pending row of the same hook and draft, its hook enabled) gets a lease
 * and a new fencing token; the result is written only under that token.
 * A sender killed mid-attempt leaves a lease that runs out: the row is
 * claimed again (at least once). Only SQL; the rules are webhook.h's.
 */
#include "signoff/store/sqlite/hooks.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/admin.h"
#include "signoff/store/sqlite/admin.h"
#include "signoff/store/sqlite/events.h"
#include "signoff/store/rules.h"
#include "signoff/webhook.h"

#define HOOK_COLS                                                              \
    "SELECT h.id, h.workflow, h.url, h.secret, h.events, h.enabled,"           \
    " h.auto_disabled, h.disabled_reason, h.fail_streak, h.max_failures,"      \
    " h.retry_for_ms, h.allow_private, h.created_at"

static const char sql_add[] =
    "INSERT INTO hooks(workflow, url, secret, events, max_failures,"
    " retry_for_ms, allow_private, created_at) VALUES (:wf, :url, :secret,"
    " :events, :max, :retry, :private, :now)";

static const char sql_wf_exists[] =
    "SELECT EXISTS (SELECT 1 FROM workflows WHERE name = :wf)";

static const char sql_list[] =
    HOOK_COLS ", (SELECT count(*) FROM deliveries d WHERE d.hook = h.id AND"
    " d.state = 'pending'), (SELECT count(*) FROM deliveries d WHERE"
    " d.hook = h.id AND d.state = 'delivered'), (SELECT count(*) FROM"
    " deliveries d WHERE d.hook = h.id AND d.state = 'dead')"
    " FROM hooks h ORDER BY h.id";

static const char sql_enable[] =
    "UPDATE hooks SET enabled = :on, auto_disabled = 0, fail_streak = 0,"
    " disabled_reason = CASE WHEN :on THEN NULL ELSE 'disabled by hand' END"
    " WHERE id = :id";

static const char sql_replay[] =
    "INSERT INTO deliveries(hook, seq, draft, next_at)"
    " SELECT h.id, x.seq, x.draft, :now FROM hooks h"
    " JOIN decisions x ON x.seq >= :from"
    " JOIN drafts d ON d.id = x.draft AND d.workflow = h.workflow"
    " WHERE h.id = :id AND (h.events = 'all' OR x.action <> 'escalate'"
    " AND x.action <> 'applied')"
    " AND NOT EXISTS (SELECT 1 FROM gold g WHERE g.draft_id = x.draft)"
    " ON CONFLICT(hook, seq) DO UPDATE SET state = 'pending', attempts = 0,"
    " next_at = :now, first_at = 0, lease_until = 0";

static const char sql_log[] =
    "SELECT delivery, seq, at, ms, status, draft, state, error"
    " FROM delivery_attempts WHERE hook = :id ORDER BY id DESC LIMIT :limit";

static const char sql_dead[] =
    "SELECT id, seq, coalesce(delivered_at, next_at), 0,"
    " coalesce(last_status, 0), draft, state, last_error FROM deliveries"
    " WHERE hook = :id AND state = 'dead' ORDER BY seq DESC LIMIT :limit";

static const char sql_due[] =
    "SELECT d.id FROM deliveries d JOIN hooks h ON h.id = d.hook"
    " WHERE d.state = 'pending' AND d.next_at <= :now"
    " AND d.lease_until <= :now AND d.seq <= :head AND h.enabled = 1"
    " AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.hook = d.hook"
    "  AND e.draft = d.draft AND e.seq < d.seq AND e.state = 'pending')"
    " ORDER BY d.next_at, d.seq LIMIT 1";

static const char sql_lease[] =
    "UPDATE deliveries SET lease_until = :until,"
    " lease_token = lease_token + 1 WHERE id = :id"
    " RETURNING lease_token, seq, attempts, first_at, hook";

static const char sql_hook_one[] = HOOK_COLS " FROM hooks h WHERE h.id = :id";

static const char sql_token[] =
    "SELECT lease_token, hook, seq, draft FROM deliveries WHERE id = :id";

static const char sql_result[] =
    "UPDATE deliveries SET state = :state, next_at = :next,"
    " attempts = attempts + :att, lease_until = 0,"
    " first_at = CASE WHEN first_at = 0 AND :att THEN :now ELSE first_at END,"
    " last_status = CASE WHEN :att THEN :status ELSE last_status END,"
    " last_error = CASE WHEN :att THEN :error ELSE last_error END,"
    " delivered_at = CASE WHEN :state = 'delivered' THEN :now"
    "  ELSE delivered_at END WHERE id = :id";

static const char sql_attempt[] =
    "INSERT INTO delivery_attempts(delivery, hook, seq, draft, at, status,"
    " ms, state, error) VALUES (:id, :hook, :seq, :draft, :now, :status,"
    " :ms, :state, :error)";

/* The attempts of a hook past the newest WEBHOOK_LOG_KEEP (the index on
 * (hook, id) finds the cut without a scan). */
static const char sql_prune[] =
    "DELETE FROM delivery_attempts WHERE hook = :hook AND id <="
    " (SELECT id FROM delivery_attempts WHERE hook = :hook"
    "  ORDER BY id DESC LIMIT 1 OFFSET :keep)";

static const char sql_streak[] =
    "UPDATE hooks SET fail_streak = CASE WHEN :ok THEN 0"
    " ELSE fail_streak + 1 END,"
    " enabled = CASE WHEN :disable THEN 0 ELSE enabled END,"
    " auto_disabled = CASE WHEN :disable THEN 1 ELSE auto_disabled END,"
    " disabled_reason = CASE WHEN :disable THEN :why ELSE disabled_reason END"
    " WHERE id = :hook";

static void read_hook(sqlite3_stmt *st, struct so_hook *h)
{
    memset(h, 0, sizeof *h);
    h->id = sqlite3_column_int64(st, 0);
    h->workflow = store_db_col_str(st, 1);
    h->url = store_db_col_str(st, 2);
    h->secret = store_db_col_str(st, 3);
    h->events = store_db_col_str(st, 4);
    h->enabled = sqlite3_column_int(st, 5);
    h->auto_disabled = sqlite3_column_int(st, 6);
    h->disabled_reason = store_db_col_str(st, 7);
    h->fail_streak = sqlite3_column_int(st, 8);
    h->max_failures = sqlite3_column_int(st, 9);
    h->retry_for_ms = sqlite3_column_int64(st, 10);
    h->allow_private = sqlite3_column_int(st, 11);
    h->created_at = sqlite3_column_int64(st, 12);
}

static const char sql_one[] = HOOK_COLS " FROM hooks h WHERE h.id = :id";

/* Hook id into *h; SO_ERR_NOTFOUND naming it when there is none. */
static enum so_status hook_get(struct store *s, int64_t id, struct so_hook *h,
                               struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_one, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":id", id);
    enum so_status found = store_db_step(s, st, "hooks", err);
    if (found == SO_OK)
        read_hook(st, h);
    enum so_status code = store_db_finish(s, st, found, err);
    if (code == SO_OK && found == SO_EMPTY)
        return so_fail(err, SO_ERR_NOTFOUND, "hook %lld: no such hook",
                       (long long)id);
    return code;
}

/* The admin record of a change of hook h (admin_hook_detail), subject its
 * workflow, in the change's transaction. */
static enum so_status hook_admin(struct store *s, const struct so_hook *h,
                                 const char *verb, int64_t from,
                                 int64_t queued, struct so_error *err)
{
    char *subject = xasprintf("workflow/%s", h->workflow);
    enum so_status code =
        store_admin_append(s, verb, subject,
                           admin_hook_detail(h, verb, from, queued), err);
    free(subject);
    return code;
}

/* Commit when code is SO_OK, else roll back; code. */
static enum so_status finish_tx(struct store *s, enum so_status code,
                                struct so_error *err)
{
    if (code == SO_OK)
        return store_db_commit(s, err);
    store_db_rollback(s);
    return code;
}

enum so_status store_hooks_add(struct queue *q, const struct so_hook *h,
                               int64_t *id, struct so_error *err)
{
    struct store *s = q->impl;
    enum so_status code = store_db_begin(s, err);
    if (code != SO_OK)
        return code;
    sqlite3_stmt *st = store_db_stmt(s, sql_wf_exists, err);
    if (!st)
        return finish_tx(s, err->code, err);
    store_db_bind_text(st, ":wf", h->workflow);
    int rc = sqlite3_step(st);
    int exists = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return finish_tx(s, store_db_fail(s, "hook add", err), err);
    code = store_rules_hook_workflow(h->workflow, exists, err);
    st = code == SO_OK ? store_db_stmt(s, sql_add, err) : NULL;
    if (!st)
        return finish_tx(s, err->code, err);
    store_db_bind_text(st, ":wf", h->workflow);
    store_db_bind_text(st, ":url", h->url);
    store_db_bind_text(st, ":secret", h->secret);
    store_db_bind_text(st, ":events", h->events ? h->events : "outcome");
    store_db_bind_int(st, ":max", h->max_failures);
    store_db_bind_int(st, ":retry", h->retry_for_ms);
    store_db_bind_int(st, ":private", h->allow_private ? 1 : 0);
    store_db_bind_int(st, ":now", so_now_ms());
    code = store_db_run(s, st, err);
    if (code == SO_OK) {
        struct so_hook added = *h;
        added.id = *id = sqlite3_last_insert_rowid(s->db);
        code = hook_admin(s, &added, "hook.add", 0, 0, err);
    }
    return finish_tx(s, code, err);
}

enum so_status store_hooks_list(struct queue *q, struct so_hook **out,
                                size_t *n, struct so_error *err)
{
    struct store *s = q->impl;
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = store_db_stmt(s, sql_list, err);
    if (!st)
        return err->code;
    size_t cap = 0;
    enum so_status code;
    while ((code = store_db_step(s, st, "hooks", err)) == SO_OK) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        struct so_hook *h = &(*out)[(*n)++];
        read_hook(st, h);
        h->pending = sqlite3_column_int64(st, 13);
        h->delivered = sqlite3_column_int64(st, 14);
        h->dead = sqlite3_column_int64(st, 15);
    }
    code = store_db_finish(s, st, code, err);
    if (code != SO_OK) {
        for (size_t i = 0; i < *n; i++)
            so_hook_clear(&(*out)[i]);
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return code;
}

enum so_status store_hooks_enable(struct queue *q, int64_t id, int on,
                                  struct so_error *err)
{
    struct store *s = q->impl;
    struct so_hook h;
    memset(&h, 0, sizeof h);
    enum so_status code = store_db_begin(s, err);
    if (code != SO_OK)
        return code;
    code = hook_get(s, id, &h, err);
    sqlite3_stmt *st =
        code == SO_OK ? store_db_stmt(s, sql_enable, err) : NULL;
    if (code == SO_OK && !st)
        code = err->code;
    if (code == SO_OK) {
        store_db_bind_int(st, ":on", on ? 1 : 0);
        store_db_bind_int(st, ":id", id);
        code = store_db_run(s, st, err);
    }
    if (code == SO_OK)
        code = hook_admin(s, &h, on ? "hook.enable" : "hook.disable", 0, 0,
                          err);
    so_hook_clear(&h);
    return finish_tx(s, code, err);
}

enum so_status store_hooks_replay(struct queue *q, int64_t id, int64_t from,
                                  int64_t *n, struct so_error *err)
{
    struct store *s = q->impl;
    struct so_hook h;
    memset(&h, 0, sizeof h);
    *n = 0;
    enum so_status code = store_db_begin(s, err);
    if (code != SO_OK)
        return code;
    code = hook_get(s, id, &h, err);
    sqlite3_stmt *st = code == SO_OK ? store_db_stmt(s, sql_replay, err) : NULL;
    if (code == SO_OK && !st)
        code = err->code;
    if (code == SO_OK) {
        store_db_bind_int(st, ":id", id);
        store_db_bind_int(st, ":from", from);
        store_db_bind_int(st, ":now", so_now_ms());
        code = store_db_run(s, st, err);
        *n = code == SO_OK ? sqlite3_changes(s->db) : 0;
    }
    if (code == SO_OK)
        code = hook_admin(s, &h, "hook.replay", from, *n, err);
    so_hook_clear(&h);
    if (code != SO_OK)
        *n = 0;
    return finish_tx(s, code, err);
}

enum so_status store_hooks_log(struct queue *q, int64_t id, int failed_only,
                               int limit, struct so_hook_attempt **out,
                               size_t *n, struct so_error *err)
{
    struct store *s = q->impl;
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = store_db_stmt(s, failed_only ? sql_dead : sql_log, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":id", id);
    store_db_bind_int(st, ":limit", limit);
    *out = xcalloc((size_t)limit + 1, sizeof **out);
    enum so_status code;
    while ((code = store_db_step(s, st, "hook log", err)) == SO_OK) {
        struct so_hook_attempt *a = &(*out)[(*n)++];
        a->delivery = sqlite3_column_int64(st, 0);
        a->seq = sqlite3_column_int64(st, 1);
        a->at = sqlite3_column_int64(st, 2);
        a->ms = sqlite3_column_int64(st, 3);
        a->status = sqlite3_column_int(st, 4);
        a->draft = store_db_col_str(st, 5);
        a->state = store_db_col_str(st, 6);
        a->error = store_db_col_str(st, 7);
    }
    return store_db_finish(s, st, code, err);
}

/* ---- claim and finish -------------------------------------------------- */

struct claim {
    int64_t lease_ms;
    struct so_delivery *out;
    int found;
};

static enum so_status load_hook(struct store *s, int64_t id,
                                struct so_hook *h, struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_hook_one, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":id", id);
    enum so_status code = store_db_step(s, st, "hook", err);
    if (code == SO_OK)
        read_hook(st, h);
    return store_db_finish(s, st, code, err);
}

static enum so_status claim_in(struct store *s, void *arg,
                               struct so_error *err)
{
    struct claim *c = arg;
    int64_t now = so_now_ms(), head = 0, next = 0, id = 0, hook = 0, seq = 0;
    enum so_status code = store_events_head(s, now, &head, &next, NULL, err);
    sqlite3_stmt *st = code == SO_OK ? store_db_stmt(s, sql_due, err) : NULL;
    if (!st)
        return code == SO_OK ? err->code : code;
    store_db_bind_int(st, ":now", now);
    store_db_bind_int(st, ":head", head);
    code = store_db_step(s, st, "deliveries", err);
    if (code == SO_OK)
        id = sqlite3_column_int64(st, 0);
    code = store_db_finish(s, st, code, err);
    if (code != SO_OK || id == 0)
        return code;
    st = store_db_stmt(s, sql_lease, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":until", now + c->lease_ms);
    store_db_bind_int(st, ":id", id);
    code = store_db_step(s, st, "deliveries", err);
    if (code == SO_OK) {
        c->out->id = id;
        c->out->lease_token = sqlite3_column_int64(st, 0);
        seq = sqlite3_column_int64(st, 1);
        c->out->attempts = sqlite3_column_int(st, 2);
        c->out->first_at = sqlite3_column_int64(st, 3);
        hook = sqlite3_column_int64(st, 4);
    }
    code = store_db_finish(s, st, code, err);
    if (code == SO_OK)
        code = load_hook(s, hook, &c->out->hook, err);
    if (code == SO_OK)
        code = store_events_at(s, seq, &c->out->event, err);
    c->found = code == SO_OK;
    return code;
}

/* Whether a delivery is due, read without the write lock: a deliverer
 * wakes on every commit, and most commits of a queue make none due. */
static enum so_status any_due(struct store *s, int *due, struct so_error *err)
{
    int64_t now = so_now_ms(), head = 0, next = 0;
    enum so_status code = store_events_head(s, now, &head, &next, NULL, err);
    sqlite3_stmt *st = code == SO_OK ? store_db_stmt(s, sql_due, err) : NULL;
    if (!st)
        return code == SO_OK ? err->code : code;
    store_db_bind_int(st, ":now", now);
    store_db_bind_int(st, ":head", head);
    code = store_db_step(s, st, "deliveries", err);
    *due = code == SO_OK;
    return store_db_finish(s, st, code, err);
}

enum so_status store_hooks_claim(struct queue *q, int64_t lease_ms,
                                 struct so_delivery *out,
                                 struct so_error *err)
{
    struct claim c = {lease_ms, out, 0};
    int due = 0;
    memset(out, 0, sizeof *out);
    enum so_status first = any_due(q->impl, &due, err);
    if (first != SO_OK || !due)
        return first == SO_OK ? SO_EMPTY : first;
    enum so_status code = store_db_tx(q->impl, claim_in, &c, err);
    if (code != SO_OK) {
        so_delivery_clear(out);
        return code;
    }
    return c.found ? SO_OK : SO_EMPTY;
}

static enum so_status finish_in(struct store *s, void *arg,
                                struct so_error *err)
{
    const struct so_delivery_result *r = arg;
    int64_t now = so_now_ms();
    sqlite3_stmt *st = store_db_stmt(s, sql_token, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":id", r->id);
    enum so_status code = store_db_step(s, st, "deliveries", err);
    int64_t token = code == SO_OK ? sqlite3_column_int64(st, 0) : -1;
    int64_t hook = code == SO_OK ? sqlite3_column_int64(st, 1) : 0;
    int64_t seq = code == SO_OK ? sqlite3_column_int64(st, 2) : 0;
    char *draft = code == SO_OK ? store_db_col_str(st, 3) : NULL;
    code = store_db_finish(s, st, code, err);
    if (code == SO_OK && token != r->lease_token)
        code = so_fail(err, SO_ERR_LEASE,
                       "delivery %lld: its lease was taken over",
                       (long long)r->id);
    const char *sqls[] = {sql_result, sql_attempt, sql_prune, sql_streak};
    for (size_t i = 0; code == SO_OK && i < SO_ARRAY_LEN(sqls); i++) {
        if (i > 0 && !r->attempted)
            break;
        st = store_db_stmt(s, sqls[i], err);
        if (!st) {
            code = err->code;
            break;
        }
        store_db_bind_int(st, ":id", r->id);
        store_db_bind_int(st, ":hook", hook);
        store_db_bind_int(st, ":seq", seq);
        store_db_bind_text(st, ":draft", draft);
        store_db_bind_int(st, ":now", now);
        store_db_bind_text(st, ":state", r->state);
        store_db_bind_int(st, ":next", r->next_at);
        store_db_bind_int(st, ":att", r->attempted ? 1 : 0);
        store_db_bind_int(st, ":status", r->status);
        store_db_bind_text(st, ":error", r->error);
        store_db_bind_int(st, ":ms", r->ms);
        store_db_bind_int(st, ":ok", strcmp(r->state, "delivered") == 0);
        store_db_bind_int(st, ":disable", r->disable_hook);
        store_db_bind_text(st, ":why", "failed too many times in a row");
        store_db_bind_int(st, ":keep", WEBHOOK_LOG_KEEP);
        code = store_db_run(s, st, err);
    }
    free(draft);
    return code;
}

enum so_status store_hooks_finish(struct queue *q,
                                  const struct so_delivery_result *r,
                                  struct so_error *err)
{
    return store_db_tx(q->impl, finish_in, (void *)r, err);
}
