/*
 * store_route: the automation policy applied at enqueue (see route.h). The
 * rules (eligibility, sample, always-review, the record) are automate.h's
 * and store/rules.h's; this file holds the SQL.
 */
#include "signoff/store/sqlite/route.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/outcome.h"
#include "signoff/stats.h"
#include "signoff/store/rules.h"
#include "signoff/store/sqlite/chain.h"
#include "signoff/store/sqlite/outcomes.h"
#include "signoff/store/sqlite/read.h"

static const char sql_policy[] =
    "SELECT automate, paused, automate_from, sample_pct, sample_seed,"
    " always_review, (SELECT coalesce(max(id), 0) FROM policy_events e"
    " WHERE e.workflow = w.name), release_after_ms, gold_pct, gold_due"
    " FROM workflows w"
    " WHERE name = :name";

static const char sql_decided[] =
    "UPDATE drafts SET status = 'decided', final_action = 'approve',"
    " decided_at = :at, lease_until = 0 WHERE rid = :rid";

void store_route_cache_clear(struct store_route_cache *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].workflow);
        automate_policy_clear(&c->v[i].p);
    }
    free(c->v);
    memset(c, 0, sizeof *c);
}

static enum so_status load(struct store *s, struct store_route_policy *c,
                           const char *workflow, struct so_error *err)
{
    memset(c, 0, sizeof *c);
    sqlite3_stmt *st = store_db_stmt(s, sql_policy, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":name", workflow);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        automate_policy_load(&c->p, sqlite3_column_int(st, 0),
                             sqlite3_column_int(st, 1),
                             sqlite3_column_double(st, 2),
                             sqlite3_column_double(st, 3),
                             (const char *)sqlite3_column_text(st, 4),
                             (const char *)sqlite3_column_text(st, 5));
        c->policy_id = sqlite3_column_int64(st, 6);
        c->release_after_ms = sqlite3_column_int64(st, 7);
        c->gold_pct = sqlite3_column_double(st, 8);
        c->gold_due = sqlite3_column_double(st, 9);
    }
    enum so_status code = rc == SQLITE_ROW || rc == SQLITE_DONE
                              ? SO_OK
                              : store_db_fail(s, "workflow policy", err);
    sqlite3_reset(st);
    if (code == SO_OK)
        c->workflow = xstrdup(workflow);
    return code;
}

enum so_status store_route_of(struct store *s, struct store_route_cache *c,
                              const struct so_draft *d,
                              enum automate_route *route,
                              struct so_error *err)
{
    *route = AUTOMATE_HUMAN;
    struct store_route_policy *p = NULL;
    for (size_t i = 0; !p && i < c->n; i++)
        if (strcmp(c->v[i].workflow, d->workflow) == 0)
            p = &c->v[i];
    if (!p) {
        struct store_route_policy one;
        enum so_status code = load(s, &one, d->workflow, err);
        if (code != SO_OK)
            return code;
        c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
        c->v[c->n] = one;
        p = &c->v[c->n++];
    }
    c->last = p;
    *route = automate_route(&p->p, d);
    return SO_OK;
}

void store_route_defer(struct store_route_batch *b,
                       const struct store_route_cache *c,
                       const struct so_draft *d, int64_t rid, int64_t now)
{
    const struct store_route_policy *p = c->last;
    b->v = xrealloc(b->v, (b->n + 1) * sizeof *b->v);
    struct store_route_auto *a = &b->v[b->n++];
    a->d = d;
    a->rid = rid;
    a->now = now;
    a->release_after_ms = p->release_after_ms;
    store_rules_auto_ids(d, p->p.from, p->p.sample_pct, p->policy_id,
                         a->request_id, a->note);
}

static enum so_status mark_decided(struct store *s,
                                   const struct store_route_auto *a,
                                   struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_decided, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":at", a->now);
    store_db_bind_int(st, ":rid", a->rid);
    return store_db_run(s, st, err);
}

enum so_status store_route_finish(struct store *s, struct store_route_batch *b,
                                  struct so_error *err)
{
    size_t n = b->n;
    enum so_status code = SO_OK;
    if (!n)
        return SO_OK;
    struct so_decision *rec = xcalloc(n, sizeof *rec);
    struct store_outcome_row *out = xcalloc(n, sizeof *out);
    for (size_t i = 0; i < n; i++)
        store_rules_auto_record(b->v[i].d, b->v[i].request_id, b->v[i].note,
                                b->v[i].now, &rec[i]);
    code = store_chain_append_many(s, rec, n, err);
    for (size_t i = 0; code == SO_OK && i < n; i++) {
        out[i].seq = rec[i].seq;
        out[i].draft = b->v[i].d->id;
        out[i].workflow = b->v[i].d->workflow;
        out[i].release_at =
            outcome_release_at(rec[i].decided_at, b->v[i].release_after_ms);
        if (b->v[i].rid)
            code = mark_decided(s, &b->v[i], err);
    }
    if (code == SO_OK)
        code = store_outcomes_record_many(s, out, n, err);
    free(out);
    free(rec);
    return code;
}

void store_route_batch_clear(struct store_route_batch *b)
{
    free(b->v);
    memset(b, 0, sizeof *b);
}

static const char sql_sampled[] =
    "SELECT count(*), coalesce(sum(final_action IN ('edit', 'reject')), 0)"
    " FROM drafts WHERE workflow = :wf AND route = 2 AND status = 'decided'"
    " AND decided_at >= :since";

enum so_status store_route_counts(struct store *s, const char *sql,
                                  const char *workflow, int64_t window_ms,
                                  double from, int64_t *decided,
                                  int64_t *overrides, struct so_error *err)
{
    struct stats_window win;
    stats_window_for(window_ms, so_now_ms(), &win);
    *decided = *overrides = 0;
    sqlite3_stmt *st = store_db_stmt(s, sql, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":wf", workflow);
    store_db_bind_int(st, ":since", stats_window_since_ms(&win));
    if (from >= 0)
        store_db_bind_double(st, ":from", from);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *decided = sqlite3_column_int64(st, 0);
        *overrides = sqlite3_column_int64(st, 1);
    }
    enum so_status code =
        rc == SQLITE_ROW ? SO_OK : store_db_fail(s, "counts", err);
    sqlite3_reset(st);
    return code;
}

enum so_status store_route_sampled(struct store *s, const char *workflow,
                                   int64_t window_ms, int64_t *decided,
                                   int64_t *overrides, struct so_error *err)
{
    return store_route_counts(s, sql_sampled, workflow, window_ms, -1,
                              decided, overrides, err);
}

/* Automatic outcomes of a workflow still held by the release delay, not
 * undone and not acted on (automate.h: what a pause pulls back). */
static const char sql_held_auto[] =
    "SELECT o.seq, dr.rid FROM outcomes o JOIN drafts dr ON dr.id = o.draft"
    " WHERE o.workflow = :wf AND o.reverted_at IS NULL"
    " AND o.applied_seq = 0 AND o.release_at > :now AND dr.route = 1"
    " ORDER BY o.seq";

static const char sql_reopen_auto[] =
    "UPDATE drafts SET status = 'pending', final_action = NULL,"
    " decided_at = NULL, claimed_by = NULL, lease_until = 0, route = 3"
    " WHERE rid = :rid";

struct held {
    int64_t seq, rid;
};

static enum so_status held_auto(struct store *s, const char *workflow,
                                int64_t now, struct held **v, size_t *n,
                                struct so_error *err)
{
    *v = NULL;
    *n = 0;
    sqlite3_stmt *st = store_db_stmt(s, sql_held_auto, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":wf", workflow);
    store_db_bind_int(st, ":now", now);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *v = xrealloc(*v, (*n + 1) * sizeof **v);
        (*v)[*n].seq = sqlite3_column_int64(st, 0);
        (*v)[(*n)++].rid = sqlite3_column_int64(st, 1);
    }
    enum so_status code =
        rc == SQLITE_DONE ? SO_OK : store_db_fail(s, "held outcomes", err);
    sqlite3_reset(st);
    return code;
}

/* One held automatic outcome pulled back: a revert by who in the chain,
 * the outcome retracted, the draft open again for people. */
static enum so_status pull_one(struct store *s, const struct held *h,
                               const char *who, const char *note,
                               int64_t now, struct so_error *err)
{
    struct so_draft *dr = NULL;
    enum so_status code = store_read_draft(s, h->rid, &dr, err);
    if (code != SO_OK)
        return code;
    char rq[37];
    struct so_decision rv;
    so_uuid(rq);
    store_rules_pull_back_record(dr, h->seq, rq, who, note, now, &rv);
    code = store_chain_append(s, &rv, err);
    if (code == SO_OK)
        code = store_outcomes_reverted(s, h->seq, now, err);
    so_draft_free(dr);
    if (code != SO_OK)
        return code;
    sqlite3_stmt *st = store_db_stmt(s, sql_reopen_auto, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":rid", h->rid);
    return store_db_run(s, st, err);
}

enum so_status store_route_pull_back(struct store *s, const char *workflow,
                                     const char *who, const char *reason,
                                     size_t *pulled, struct so_error *err)
{
    struct held *v = NULL;
    size_t n = 0;
    int64_t now = so_now_ms();
    *pulled = 0;
    enum so_status code = held_auto(s, workflow, now, &v, &n, err);
    char *note = xasprintf("pulled back into review by the pause: %s",
                           reason ? reason : "");
    for (size_t i = 0; code == SO_OK && i < n; i++)
        code = pull_one(s, &v[i], who, note, now, err);
    if (code == SO_OK)
        *pulled = n;
    free(note);
    free(v);
    return code;
}
