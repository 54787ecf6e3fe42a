/*
 * store_pg_workflow: workflow rows and the kill switch on the PostgreSQL
 * store. Which settings are valid, that pausing needs a reason and that
 * resuming needs an owner are store_rules'; here is only SQL.
 */
#include "signoff/store/pg/workflow.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/admin.h"
#include "signoff/automate.h"
#include "signoff/store/pg/admin.h"
#include "signoff/store/pg/cost.h"
#include "signoff/store/pg/route.h"
#include "signoff/store/rules.h"

/* Decided drafts of route r (automate.h) in the workflow's window (whole
 * UTC days, stats_window_for, ending at parameter now), and cond. */
#define ROUTED(r, now, cond)                                                   \
    " (SELECT count(*) FROM drafts d WHERE d.workflow = w.name"                \
    " AND d.route = " #r " AND d.status = 'decided' AND d.decided_at >="      \
    " ((" now "::bigint / 86400000) - greatest((w.window_ms + 86399999)"      \
    " / 86400000, 1) + 1) * 86400000" cond ")"
/* Decisions of the workflow ever recorded with this action, summed over
 * the shards of decision_counts (schema v8): the counters of /metrics. */
#define DECISIONS_EVER(id, action)                                             \
    ", (SELECT coalesce(sum(n), 0) FROM decision_counts e"                     \
    " WHERE e.workflow = w.name AND e.action = '" action "')"
#define WF_COLS(now)                                                           \
    "SELECT name, owner, threshold, window_ms, min_decisions, paused,"         \
    " automation_reason, automation_by, automation_at, auto_pause, reviews,"   \
    " reveal, resolver, min_seen_ms, confirm_flagged,"                        \
    " (SELECT count(*) FROM drafts d WHERE d.workflow = w.name"                \
    " AND d.status <> 'decided'),"                                             \
    " release_after_ms, applied_within_ms, guidelines,"                       \
    " CASE WHEN EXISTS (SELECT 1 FROM outcomes a WHERE a.workflow = w.name"   \
    " AND a.applied_seq > 0) THEN (SELECT count(*) FROM outcomes o"           \
    " WHERE o.workflow = w.name AND o.applied_seq = 0"                         \
    " AND o.reverted_at IS NULL"                                               \
    " AND o.release_at <= " PG_NOW_MS " - w.applied_within_ms) END,"          \
    " (SELECT count(*) FROM hooks h WHERE h.workflow = w.name"                \
    " AND h.auto_disabled = 1),"                                               \
    " automate, automate_from, sample_pct, always_review,"                    \
    ROUTED(1, now, "") "," ROUTED(2, now, "") ","                              \
    ROUTED(2, now, " AND d.final_action IN ('edit', 'reject')")                \
    SO_ACTION_LIST(DECISIONS_EVER) " FROM workflows w"

static const char sql_get[] = WF_COLS("$2") " WHERE name = $1";
static const char sql_list[] = WF_COLS("$1") " ORDER BY name";

/* The automation policy (owner only: pg_workflow_set): the sample seed is
 * made when a policy is first set, and kept. */
static const char sql_automate[] =
    "UPDATE workflows SET automate = $2, automate_from = $3, sample_pct = $4,"
    " sample_seed = coalesce($5, sample_seed,"
    " replace(gen_random_uuid()::text, '-', '')) WHERE name = $1";
static const char sql_always[] =
    "UPDATE workflows SET always_review = $2 WHERE name = $1";

static const char sql_ensure[] =
    "INSERT INTO workflows(name, created_at) VALUES ($1, " PG_NOW_MS ")"
    " ON CONFLICT (name) DO NOTHING";

/* Every field in one statement: $2 is the mask, a field changes when its
 * bit is set. */
static const char sql_set[] =
    "UPDATE workflows SET"
    " owner = CASE WHEN $2::int & 1 <> 0 THEN $3 ELSE owner END,"
    " threshold = CASE WHEN $2::int & 2 <> 0 THEN $4::float8"
    "  ELSE threshold END,"
    " window_ms = CASE WHEN $2::int & 4 <> 0 THEN $5::bigint"
    "  ELSE window_ms END,"
    " min_decisions = CASE WHEN $2::int & 8 <> 0 THEN $6::int"
    "  ELSE min_decisions END,"
    " reveal = CASE WHEN $2::int & 64 <> 0 THEN $7 ELSE reveal END,"
    " resolver = CASE WHEN $2::int & 128 <> 0 THEN $8 ELSE resolver END,"
    " min_seen_ms = CASE WHEN $2::int & 256 <> 0 THEN $9::bigint"
    "  ELSE min_seen_ms END,"
    " confirm_flagged = CASE WHEN $2::int & 512 <> 0 THEN $10::int"
    "  ELSE confirm_flagged END,"
    " release_after_ms = CASE WHEN $2::int & 1024 <> 0 THEN $11::bigint"
    "  ELSE release_after_ms END,"
    " applied_within_ms = CASE WHEN $2::int & 2048 <> 0 THEN $12::bigint"
    "  ELSE applied_within_ms END,"
    " guidelines = CASE WHEN $2::int & 4096 <> 0 THEN $13 ELSE guidelines END,"
    " auto_pause = CASE WHEN $2::int & 16 <> 0 THEN $14::int"
    "  ELSE auto_pause END,"
    " reviews = CASE WHEN $2::int & 32 <> 0 THEN $15::int ELSE reviews END"
    " WHERE name = $1";

static const char sql_flip[] =
    "UPDATE workflows SET paused = $2, automation_reason = $3,"
    " automation_by = $4, automation_at = " PG_NOW_MS " WHERE name = $1";

static const char sql_event[] =
    "INSERT INTO workflow_events(workflow, paused, reason, by, at)"
    " VALUES ($1, $2, $3, $4, " PG_NOW_MS ")";

/* A workflow's own reason codes when it has any, else the default set. */
static const char sql_reasons[] =
    "SELECT code, label, (workflow <> '')::int FROM reasons WHERE workflow ="
    " CASE WHEN EXISTS (SELECT 1 FROM reasons WHERE workflow = $1)"
    " THEN $1 ELSE '' END ORDER BY id";
static const char sql_reasons_drop[] =
    "DELETE FROM reasons WHERE workflow = $1";
static const char sql_reasons_add[] =
    "INSERT INTO reasons(workflow, code, label) VALUES ($1, $2, $3)";

static const char sql_ensure_for[] =
    "INSERT INTO workflows(name, created_at) VALUES ($1, " PG_NOW_MS ")"
    " ON CONFLICT (name) DO NOTHING RETURNING 1";

enum so_status pg_workflow_ensure_for(struct pgq *p, const struct so_draft *d,
                                      const char *by, struct so_error *err)
{
    struct pg_args w = {0};
    int64_t one, made = 0;
    pg_arg_text(&w, d->workflow);
    enum so_status code = pg_one_int(p, sql_ensure_for, &w, &one, &made, err);
    if (code != SO_OK || !made)
        return code;
    char *subject = xasprintf("workflow/%s", d->workflow);
    code = pg_admin_append(p, "workflow.create", subject,
                           admin_draft_create_detail(by, d->id), err);
    free(subject);
    return code;
}

enum so_status pg_reasons_read(struct pgq *p, struct so_workflow *w,
                               struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    pg_arg_text(&a, w->name);
    enum so_status code = pg_run(p, sql_reasons, &a, &r, err);
    if (code != SO_OK)
        return code;
    int rows = PQntuples(r);
    w->reasons = rows ? xcalloc((size_t)rows, sizeof *w->reasons) : NULL;
    for (int i = 0; i < rows; i++) {
        w->reasons[i].code = pg_str(r, i, 0);
        w->reasons[i].label = pg_str(r, i, 1);
        w->reasons_own = (int)pg_int(r, i, 2);
    }
    w->nreasons = (size_t)rows;
    PQclear(r);
    return SO_OK;
}

static enum so_status reasons_write(struct pgq *p, const struct so_workflow *w,
                                    struct so_error *err)
{
    struct pg_args a = {0};
    pg_arg_text(&a, w->name);
    enum so_status code = pg_run(p, sql_reasons_drop, &a, NULL, err);
    for (size_t i = 0; code == SO_OK && i < w->nreasons; i++) {
        struct pg_args b = {0};
        pg_arg_text(&b, w->name);
        pg_arg_text(&b, w->reasons[i].code);
        pg_arg_text(&b, w->reasons[i].label);
        code = pg_run(p, sql_reasons_add, &b, NULL, err);
    }
    return code;
}

static const char sql_gold_set[] =
    "UPDATE workflows SET"
    " gold_pct = CASE WHEN $2::int & 1 <> 0 THEN $3::float8 ELSE gold_pct END,"
    " gold_bar = CASE WHEN $2::int & 2 <> 0 THEN $4::float8 ELSE gold_bar END"
    " WHERE name = $1";

static const char sql_gold_read[] =
    "SELECT gold_pct, gold_bar, (SELECT count(*) FROM gold g"
    " WHERE g.workflow = w.name AND g.released_at IS NULL),"
    " (SELECT count(*) FROM gold g WHERE g.workflow = w.name"
    " AND g.released_at IS NOT NULL) FROM workflows w WHERE name = $1";

/* The SO_WF_GOLD and SO_WF_GOLD_BAR fields of a set (gold.h). */
static enum so_status gold_set(struct pgq *p, const struct so_workflow *w,
                               unsigned mask, struct so_error *err)
{
    int bits = ((mask & SO_WF_GOLD) ? 1 : 0) |
               ((mask & SO_WF_GOLD_BAR) ? 2 : 0);
    if (!bits)
        return SO_OK;
    struct pg_args a = {0};
    pg_arg_text(&a, w->name);
    pg_arg_int(&a, bits);
    pg_arg_double(&a, w->gold_pct);
    pg_arg_double(&a, w->gold_bar);
    return pg_run(p, sql_gold_set, &a, NULL, err);
}

/* w's gold_pct, gold_bar, gold_pool and gold_released (gold.h). */
static enum so_status gold_read(struct pgq *p, struct so_workflow *w,
                                struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    pg_arg_text(&a, w->name);
    enum so_status code = pg_run(p, sql_gold_read, &a, &r, err);
    if (code != SO_OK)
        return code;
    if (PQntuples(r)) {
        w->gold_pct = pg_double(r, 0, 0);
        w->gold_bar = pg_double(r, 0, 1);
        w->gold_pool = pg_int(r, 0, 2);
        w->gold_released = pg_int(r, 0, 3);
    }
    PQclear(r);
    return SO_OK;
}

static void read_row(const PGresult *r, int i, struct so_workflow *w)
{
    memset(w, 0, sizeof *w);
    w->name = pg_str(r, i, 0);
    w->owner = pg_str(r, i, 1);
    w->threshold = pg_double(r, i, 2);
    w->window_ms = pg_int(r, i, 3);
    w->min_decisions = (int)pg_int(r, i, 4);
    w->automation_paused = (int)pg_int(r, i, 5);
    w->automation_reason = pg_str(r, i, 6);
    w->automation_by = pg_str(r, i, 7);
    w->automation_at = pg_int(r, i, 8);
    w->auto_pause = (int)pg_int(r, i, 9);
    w->reviews = (int)pg_int(r, i, 10);
    w->reveal = pg_str(r, i, 11);
    w->resolver = pg_str(r, i, 12);
    w->min_seen_ms = pg_int(r, i, 13);
    w->confirm_flagged = (int)pg_int(r, i, 14);
    w->pending = pg_int(r, i, 15);
    w->release_after_ms = pg_int(r, i, 16);
    w->applied_within_ms = pg_int(r, i, 17);
    w->guidelines = pg_str(r, i, 18);
    /* NULL: the producer never recorded an action (no backlog) */
    w->records_actions = !PQgetisnull(r, i, 19);
    w->unapplied = pg_int(r, i, 19);
    w->hooks_disabled = pg_int(r, i, 20);
    w->automate = (int)pg_int(r, i, 21);
    w->automate_from = pg_double(r, i, 22);
    w->sample_pct = pg_double(r, i, 23);
    w->always_review = pg_str(r, i, 24);
    w->auto_decided = pg_int(r, i, 25);
    w->sampled_decided = pg_int(r, i, 26);
    w->sampled_overrides = pg_int(r, i, 27);
    for (int a = 0; a < SO_ACT_COUNT; a++) /* in SO_ACTION_LIST order */
        w->recorded[a] = pg_int(r, i, 28 + a);
}

/* The readiness of w's neighbouring bands (so_workflow.near_*), with
 * automate on, counted as workflow set counts a band's. */
static enum so_status near_read(struct pgq *p, struct so_workflow *w,
                                struct so_error *err)
{
    enum so_status code = SO_OK;
    for (int k = 0; w->automate && code == SO_OK && k < 2; k++) {
        struct automate_evidence e;
        code = pg_route_evidence(p, w, automate_near_from(w->automate_from, k),
                                 &e, err);
        w->near_decided[k] = e.decided;
        w->near_overrides[k] = e.overrides;
    }
    return code;
}

enum so_status pg_workflow_list(struct queue *q, struct so_workflow **out,
                                size_t *n, struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    *out = NULL;
    *n = 0;
    pg_arg_int(&a, so_now_ms());
    enum so_status code = pg_run(q->impl, sql_list, &a, &r, err);
    if (code != SO_OK)
        return code;
    int rows = PQntuples(r);
    *out = rows ? xcalloc((size_t)rows, sizeof **out) : NULL;
    for (int i = 0; i < rows; i++)
        read_row(r, i, &(*out)[i]);
    *n = (size_t)rows;
    PQclear(r);
    for (size_t i = 0; code == SO_OK && i < *n; i++)
        code = pg_reasons_read(q->impl, &(*out)[i], err);
    for (size_t i = 0; code == SO_OK && i < *n; i++)
        code = near_read(q->impl, &(*out)[i], err);
    for (size_t i = 0; code == SO_OK && i < *n; i++)
        code = pg_cost_workflow_read(q->impl, &(*out)[i], err);
    for (size_t i = 0; code == SO_OK && i < *n; i++)
        code = gold_read(q->impl, &(*out)[i], err);
    if (code != SO_OK) {
        for (size_t i = 0; i < *n; i++)
            so_workflow_clear(&(*out)[i]);
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return code;
}

static enum so_status get_in(struct pgq *p, const char *name,
                             struct so_workflow *out, struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    memset(out, 0, sizeof *out);
    pg_arg_text(&a, name);
    pg_arg_int(&a, so_now_ms());
    enum so_status code = pg_run(p, sql_get, &a, &r, err);
    if (code != SO_OK)
        return code;
    if (PQntuples(r))
        read_row(r, 0, out);
    else
        code = so_fail(err, SO_ERR_NOTFOUND, "%s: no such workflow", name);
    PQclear(r);
    if (code == SO_OK)
        code = pg_reasons_read(p, out, err);
    if (code == SO_OK)
        code = near_read(p, out, err);
    if (code == SO_OK)
        code = pg_cost_workflow_read(p, out, err);
    if (code == SO_OK)
        code = gold_read(p, out, err);
    if (code != SO_OK) /* out zeroed or read: clearing is safe */
        so_workflow_clear(out);
    return code;
}

enum so_status pg_workflow_get(struct queue *q, const char *name,
                               struct so_workflow *out, struct so_error *err)
{
    return get_in(q->impl, name, out, err);
}

struct set_ctx {
    const struct so_workflow *w;
    unsigned mask;
};

static enum so_status policy_write(struct pgq *p, const struct so_workflow *w,
                                   struct so_error *err)
{
    struct pg_args a = {0};
    pg_arg_text(&a, w->name);
    pg_arg_int(&a, w->automate ? 1 : 0);
    pg_arg_double(&a, w->automate ? w->automate_from : 1);
    pg_arg_double(&a, w->automate ? w->sample_pct : 0);
    pg_arg_text(&a, w->sample_seed);
    return pg_run(p, sql_automate, &a, NULL, err);
}

static enum so_status set_tx(struct pgq *p, void *ctx, struct so_error *err)
{
    const struct set_ctx *c = ctx;
    const struct so_workflow *w = c->w;
    struct pg_args a = {0};
    pg_arg_text(&a, w->name);
    enum so_status code = pg_run(p, sql_ensure, &a, NULL, err);
    if (code != SO_OK)
        return code;
    pg_arg_int(&a, c->mask);
    pg_arg_text(&a, w->owner && *w->owner ? w->owner : NULL);
    pg_arg_double(&a, w->threshold);
    pg_arg_int(&a, w->window_ms);
    pg_arg_int(&a, w->min_decisions);
    pg_arg_text(&a, w->reveal);
    pg_arg_text(&a, w->resolver);
    pg_arg_int(&a, w->min_seen_ms);
    pg_arg_int(&a, w->confirm_flagged ? 1 : 0);
    pg_arg_int(&a, w->release_after_ms);
    pg_arg_int(&a, w->applied_within_ms);
    pg_arg_text(&a, w->guidelines && *w->guidelines ? w->guidelines : NULL);
    pg_arg_int(&a, w->auto_pause ? 1 : 0);
    pg_arg_int(&a, w->reviews);
    code = pg_run(p, sql_set, &a, NULL, err);
    if (code == SO_OK)
        code = pg_cost_workflow_set(p, w, c->mask, err);
    if (code == SO_OK)
        code = gold_set(p, w, c->mask, err);
    if (code == SO_OK && (c->mask & SO_WF_REASONS))
        code = reasons_write(p, w, err);
    if (code == SO_OK && (c->mask & SO_WF_AUTOMATE))
        code = policy_write(p, w, err);
    if (code == SO_OK && (c->mask & SO_WF_ALWAYS_REVIEW)) {
        struct pg_args b = {0};
        pg_arg_text(&b, w->name);
        pg_arg_text(&b, w->always_review && *w->always_review
                            ? w->always_review : NULL);
        code = pg_run(p, sql_always, &b, NULL, err);
    }
    return code;
}

/* The policy part of a set: the owner and readiness rule (store_rules_
 * policy) on the workflow as it is (cur; NULL: none yet), before anything
 * is written. */
static enum so_status policy_check(struct pgq *p, const struct so_workflow *cur,
                                   const struct so_workflow *w, unsigned mask,
                                   struct automate_evidence *e,
                                   struct so_error *err)
{
    memset(e, 0, sizeof *e);
    automate_evidence_finish(e);
    if (!cur)
        return so_fail(err, SO_ERR_FORBIDDEN,
                       "workflow %s has no owner: only its owner sets the "
                       "automation policy (name one with --owner first)",
                       w->name);
    enum so_status code = SO_OK;
    if ((mask & SO_WF_AUTOMATE) && w->automate)
        code = pg_route_evidence(p, cur, w->automate_from, e, err);
    if (code == SO_OK)
        code = store_rules_policy(cur, p->reviewer, w, mask, e, err);
    return code;
}

/* The admin record of a set: workflow.create or workflow.set (policy.set
 * for the automation policy) with the fields that changed (none changed:
 * no record), in the set's transaction, the chain head last. */
static enum so_status set_admin(struct pgq *p, const struct so_workflow *w,
                                unsigned mask, int existed,
                                const struct so_workflow *before, int takeover,
                                struct so_error *err)
{
    struct so_workflow after;
    enum so_status code = get_in(p, w->name, &after, err);
    if (code != SO_OK)
        return code;
    const char *verb;
    char *detail = admin_workflow_set(existed ? before : NULL, &after, w, mask,
                                      takeover, &verb);
    if (detail) {
        char *subject = xasprintf("workflow/%s", w->name);
        code = pg_admin_append(p, verb, subject, detail, err);
        free(subject);
    }
    so_workflow_clear(&after);
    return code;
}

/* The kill switch in the caller's transaction: the resume rule on the
 * row as it stands, the flip, then its admin record (workflow.pause or
 * workflow.resume), the chain head last. */
static enum so_status switch_in(struct pgq *p, const char *name, int paused,
                                const char *reason, struct so_error *err)
{
    struct so_workflow w;
    enum so_status code = get_in(p, name, &w, err);
    if (code != SO_OK)
        return code;
    if (!paused)
        code = store_rules_resume(&w, p->reviewer, err);
    so_workflow_clear(&w);
    if (code == SO_OK)
        code = pg_workflow_flip(p, name, paused, reason, p->reviewer, err);
    if (code == SO_OK) {
        char *subject = xasprintf("workflow/%s", name);
        code = pg_admin_append(p, paused ? "workflow.pause"
                                         : "workflow.resume",
                               subject, admin_switch_detail(paused, reason),
                               err);
        free(subject);
    }
    return code;
}

static enum so_status set_with_admin(struct pgq *p, void *ctx,
                                     struct so_error *err)
{
    const struct set_ctx *c = ctx;
    struct so_workflow before;
    struct so_error none;
    struct automate_evidence e;
    int existed = get_in(p, c->w->name, &before, &none) == SO_OK;
    int policy = (c->mask & (SO_WF_AUTOMATE | SO_WF_ALWAYS_REVIEW)) != 0;
    int takeover = 0, pause = 0;
    enum so_status code =
        store_rules_owner(existed ? &before : NULL, p->reviewer, c->w,
                          c->mask, &takeover, &pause, err);
    if (code == SO_OK && policy)
        code = policy_check(p, existed ? &before : NULL, c->w, c->mask, &e,
                            err);
    if (code == SO_OK)
        code = set_tx(p, ctx, err);
    if (code == SO_OK && policy)
        code = pg_route_policy_record(p, c->w, &e, err);
    if (code == SO_OK)
        code = set_admin(p, c->w, c->mask, existed, &before, takeover, err);
    if (code == SO_OK && pause) /* the takeover's: the new owner resumes */
        code = switch_in(p, c->w->name, 1, c->w->owner_reason, err);
    if (code == SO_OK && (c->mask & SO_WF_SWITCH))
        code = switch_in(p, c->w->name, c->w->automation_paused,
                         c->w->automation_reason, err);
    if (existed)
        so_workflow_clear(&before);
    return code;
}

enum so_status pg_workflow_set(struct queue *q, const struct so_workflow *w,
                               unsigned mask, struct so_error *err)
{
    enum so_status code = store_rules_workflow(w, mask, err);
    if (code == SO_OK && (mask & SO_WF_REASONS))
        code = store_rules_reasons(w->reasons, w->nreasons, err);
    if (code != SO_OK)
        return code;
    struct set_ctx c = {w, mask};
    return pg_tx(q->impl, set_with_admin, &c, err);
}

enum so_status pg_workflow_flip(struct pgq *p, const char *name, int paused,
                                const char *reason, const char *by,
                                struct so_error *err)
{
    const char *sqls[] = {sql_flip, sql_event};
    enum so_status code = SO_OK;
    for (size_t i = 0; code == SO_OK && i < SO_ARRAY_LEN(sqls); i++) {
        struct pg_args a = {0};
        pg_arg_text(&a, name);
        pg_arg_int(&a, paused);
        pg_arg_text(&a, reason);
        pg_arg_text(&a, by);
        code = pg_run(p, sqls[i], &a, NULL, err);
    }
    /* Paused (by a person or auto-pause): automatic outcomes still held by
     * the release delay come back to people. */
    if (code == SO_OK && paused)
        code = pg_route_pull_back(p, name, by, reason, err);
    return code;
}

static const char sql_rule[] =
    "SELECT auto_pause, paused, threshold, window_ms, min_decisions"
    " FROM workflows WHERE name = $1";

enum so_status pg_workflow_autopause_sampled(struct pgq *p,
                                             const char *workflow,
                                             struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    struct so_workflow w;
    memset(&w, 0, sizeof w);
    pg_arg_text(&a, workflow);
    enum so_status code = pg_run(p, sql_rule, &a, &r, err);
    if (code != SO_OK)
        return code;
    int paused = PQntuples(r) ? (int)pg_int(r, 0, 1) : 1;
    if (PQntuples(r)) {
        w.auto_pause = (int)pg_int(r, 0, 0);
        w.threshold = pg_double(r, 0, 2);
        w.window_ms = pg_int(r, 0, 3);
        w.min_decisions = (int)pg_int(r, 0, 4);
    }
    PQclear(r);
    if (!w.auto_pause || paused)
        return SO_OK;
    code = pg_route_sampled(p, workflow, w.window_ms, &w.sampled_decided,
                            &w.sampled_overrides, err);
    if (code != SO_OK || !automate_sampled_over(&w))
        return code;
    char reason[160];
    automate_sampled_reason(&w, reason);
    return pg_workflow_flip(p, workflow, 1, reason, "signoff", err);
}

struct pause_ctx {
    const char *name, *reason;
    int paused;
};

static enum so_status pause_tx(struct pgq *p, void *ctx, struct so_error *err)
{
    const struct pause_ctx *c = ctx;
    return switch_in(p, c->name, c->paused, c->reason, err);
}

enum so_status pg_workflow_pause(struct queue *q, const char *name, int paused,
                                 const char *reason, struct so_error *err)
{
    enum so_status code = store_rules_pause(name, paused, reason, err);
    if (code != SO_OK)
        return code;
    struct pause_ctx c = {name, reason, paused};
    return pg_tx(q->impl, pause_tx, &c, err);
}
