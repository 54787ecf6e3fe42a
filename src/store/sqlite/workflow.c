/*
 * store_workflow: workflow rows and the kill switch. Settings are checked
 * here as well as by SQL CHECK constraints, so a bad value gets a sentence
 * rather than "constraint failed". Must not touch drafts or decisions.
 */
#include "signoff/store/sqlite/workflow.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/automate.h"
#include "signoff/admin.h"
#include "signoff/names.h"
#include "signoff/store/rules.h"
#include "signoff/store/sqlite/admin.h"
#include "signoff/store/sqlite/reasons.h"
#include "signoff/store/sqlite/route.h"

static const char sql_ensure[] =
    "INSERT INTO workflows(name, created_at) VALUES (:name, :now)"
    " ON CONFLICT(name) DO NOTHING";

static const char sql_flip[] =
    "UPDATE workflows SET paused = :paused, automation_reason = :reason,"
    " automation_by = :by, automation_at = :at WHERE name = :name";

static const char sql_event[] =
    "INSERT INTO workflow_events(workflow, paused, reason, by, at)"
    " VALUES (:name, :paused, :reason, :by, :at)";

/* Decided drafts of route r (automate.h) in the workflow's window (whole
 * UTC days, stats_window_for), and cond. */
#define ROUTED(r, cond)                                                        \
    " (SELECT count(*) FROM drafts d WHERE d.workflow = w.name"                \
    " AND d.route = " #r " AND d.status = 'decided' AND d.decided_at >="      \
    " ((:now / 86400000) - max((w.window_ms + 86399999) / 86400000, 1) + 1)"  \
    " * 86400000" cond ")"
/* Decisions of the workflow ever recorded with this action. */
#define DECISIONS_EVER(action)                                                 \
    " (SELECT coalesce(sum(n), 0) FROM decision_counts e"                      \
    " WHERE e.workflow = w.name AND e.action = '" action "')"
#define WF_COLS                                                                \
    "SELECT name, owner, threshold, window_ms, min_decisions, paused,"         \
    " automation_reason, automation_by, automation_at, auto_pause, reviews,"   \
    " reveal, resolver, min_seen_ms, confirm_flagged,"                        \
    " (SELECT coalesce(sum(n), 0) FROM draft_counts c"                         \
    " WHERE c.workflow = w.name AND c.status <> 'decided'),"                   \
    DECISIONS_EVER("approve") "," DECISIONS_EVER("edit") ","                  \
    DECISIONS_EVER("reject") "," DECISIONS_EVER("escalate") ","               \
    DECISIONS_EVER("revert") "," DECISIONS_EVER("applied") ","               \
    DECISIONS_EVER("admin") ","                                                \
    " release_after_ms, applied_within_ms, CASE WHEN EXISTS (SELECT 1"        \
    " FROM outcomes a WHERE a.workflow = w.name AND a.applied_seq > 0)"       \
    " THEN (SELECT count(*) FROM outcomes o"                                   \
    " WHERE o.workflow = w.name AND o.applied_seq = 0"                         \
    " AND o.reverted_at IS NULL"                                               \
    " AND o.release_at <= :now - w.applied_within_ms) END,"                   \
    " guidelines, (SELECT count(*) FROM hooks h WHERE h.workflow = w.name"    \
    " AND h.auto_disabled = 1), automate, automate_from, sample_pct,"         \
    " always_review," ROUTED(1, "") "," ROUTED(2, "")  ","                    \
    ROUTED(2, " AND d.final_action IN ('edit', 'reject')")                    \
    ", currency, hourly_rate, sla_ms, sla_alert,"                             \
    " (SELECT min(created_at) FROM drafts o INDEXED BY drafts_open_age"       \
    " WHERE o.workflow = w.name AND o.status <> 'decided'),"                  \
    " CASE WHEN w.sla_ms > 0 THEN (SELECT count(*) FROM drafts o"             \
    " INDEXED BY drafts_open_age WHERE o.workflow = w.name"                   \
    " AND o.status <> 'decided' AND o.created_at < :now - w.sla_ms) END"     \
    ", gold_pct, gold_bar, (SELECT count(*) FROM gold g"                       \
    " WHERE g.workflow = w.name AND g.released_at IS NULL),"                   \
    " (SELECT count(*) FROM gold g WHERE g.workflow = w.name"                  \
    " AND g.released_at IS NOT NULL)"                                          \
    " FROM workflows w"

static const char sql_get[] = WF_COLS " WHERE name = :name";
static const char sql_list[] = WF_COLS " ORDER BY name";

/* Each field of set is its own statement: a mask picks which run. */
static const struct {
    unsigned bit;
    const char *sql;
} setters[] = {
    {SO_WF_OWNER, "UPDATE workflows SET owner = :v WHERE name = :name"},
    {SO_WF_THRESHOLD, "UPDATE workflows SET threshold = :v WHERE name = :name"},
    {SO_WF_WINDOW, "UPDATE workflows SET window_ms = :v WHERE name = :name"},
    {SO_WF_MIN, "UPDATE workflows SET min_decisions = :v WHERE name = :name"},
    {SO_WF_AUTOPAUSE,
     "UPDATE workflows SET auto_pause = :v WHERE name = :name"},
    {SO_WF_REVIEWS, "UPDATE workflows SET reviews = :v WHERE name = :name"},
    {SO_WF_REVEAL, "UPDATE workflows SET reveal = :v WHERE name = :name"},
    {SO_WF_RESOLVER, "UPDATE workflows SET resolver = :v WHERE name = :name"},
    {SO_WF_MIN_SEEN,
     "UPDATE workflows SET min_seen_ms = :v WHERE name = :name"},
    {SO_WF_CONFIRM_FLAGGED,
     "UPDATE workflows SET confirm_flagged = :v WHERE name = :name"},
    {SO_WF_RELEASE,
     "UPDATE workflows SET release_after_ms = :v WHERE name = :name"},
    {SO_WF_APPLIED_WITHIN,
     "UPDATE workflows SET applied_within_ms = :v WHERE name = :name"},
    {SO_WF_GUIDELINES,
     "UPDATE workflows SET guidelines = :v WHERE name = :name"},
    {SO_WF_AUTOMATE,
     "UPDATE workflows SET automate = :v, automate_from = :from,"
     " sample_pct = :pct, sample_seed = coalesce(:seed, sample_seed,"
     " lower(hex(randomblob(16)))) WHERE name = :name"},
    {SO_WF_ALWAYS_REVIEW,
     "UPDATE workflows SET always_review = :v WHERE name = :name"},
    {SO_WF_CURRENCY, "UPDATE workflows SET currency = :v WHERE name = :name"},
    {SO_WF_RATE, "UPDATE workflows SET hourly_rate = :v WHERE name = :name"},
    {SO_WF_SLA, "UPDATE workflows SET sla_ms = :v WHERE name = :name"},
    {SO_WF_SLA_ALERT,
     "UPDATE workflows SET sla_alert = :v WHERE name = :name"},
    {SO_WF_GOLD, "UPDATE workflows SET gold_pct = :v WHERE name = :name"},
    {SO_WF_GOLD_BAR, "UPDATE workflows SET gold_bar = :v WHERE name = :name"},
};

/* The readiness figure behind a band: human final outcomes (not undone,
 * not decided automatically) on drafts at or above it in the window. */
static const char sql_evidence[] =
    "SELECT count(*), coalesce(sum(d.action IN ('edit', 'reject')), 0)"
    " FROM outcomes o JOIN decisions d ON d.seq = o.seq"
    " JOIN drafts dr ON dr.id = o.draft"
    " WHERE o.workflow = :wf AND o.reverted_at IS NULL"
    " AND d.decided_at >= :since AND dr.route <> 1"
    " AND d.action IN ('approve', 'edit', 'reject')"
    " AND dr.confidence >= :from";

/* A change of the policy, as it stands after the change. */
static const char sql_policy_event[] =
    "INSERT INTO policy_events(workflow, automate, automate_from, sample_pct,"
    " always_review, decided, upper, forced, reason, by, at)"
    " SELECT name, automate, automate_from, sample_pct, always_review,"
    " :decided, :upper, :forced, :reason, :by, :at FROM workflows"
    " WHERE name = :name";

enum so_status store_workflow_ensure(struct store *s, const char *name,
                                     struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_ensure, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":name", name);
    store_db_bind_int(st, ":now", so_now_ms());
    return store_db_run(s, st, err);
}

enum so_status store_workflow_ensure_for(struct store *s,
                                         const struct so_draft *d,
                                         const char *by,
                                         struct so_error *err)
{
    enum so_status code = store_workflow_ensure(s, d->workflow, err);
    if (code != SO_OK || sqlite3_changes(s->db) == 0)
        return code;
    char *subject = xasprintf("workflow/%s", d->workflow);
    code = store_admin_append(s, "workflow.create", subject,
                              admin_draft_create_detail(by, d->id), err);
    free(subject);
    return code;
}

enum so_status store_workflow_flip(struct store *s, const char *name,
                                   int paused, const char *reason,
                                   const char *by, struct so_error *err)
{
    int64_t now = so_now_ms();
    const char *sqls[] = {sql_flip, sql_event};
    enum so_status code = SO_OK;
    for (size_t i = 0; code == SO_OK && i < SO_ARRAY_LEN(sqls); i++) {
        sqlite3_stmt *st = store_db_stmt(s, sqls[i], err);
        if (!st)
            return err->code;
        store_db_bind_text(st, ":name", name);
        store_db_bind_int(st, ":paused", paused);
        store_db_bind_text(st, ":reason", reason);
        store_db_bind_text(st, ":by", by);
        store_db_bind_int(st, ":at", now);
        code = store_db_run(s, st, err);
    }
    /* Paused (by a person or auto-pause): automatic outcomes still held by
     * the release delay come back to people. */
    size_t pulled;
    if (code == SO_OK && paused)
        code = store_route_pull_back(s, name, by, reason, &pulled, err);
    return code;
}

static void read_row(sqlite3_stmt *st, struct so_workflow *w)
{
    memset(w, 0, sizeof *w);
    w->name = store_db_col_str(st, 0);
    w->owner = store_db_col_str(st, 1);
    w->threshold = sqlite3_column_double(st, 2);
    w->window_ms = sqlite3_column_int64(st, 3);
    w->min_decisions = sqlite3_column_int(st, 4);
    w->automation_paused = sqlite3_column_int(st, 5);
    w->automation_reason = store_db_col_str(st, 6);
    w->automation_by = store_db_col_str(st, 7);
    w->automation_at = sqlite3_column_int64(st, 8);
    w->auto_pause = sqlite3_column_int(st, 9);
    w->reviews = sqlite3_column_int(st, 10);
    w->reveal = store_db_col_str(st, 11);
    w->resolver = store_db_col_str(st, 12);
    w->min_seen_ms = sqlite3_column_int64(st, 13);
    w->confirm_flagged = sqlite3_column_int(st, 14);
    w->pending = sqlite3_column_int64(st, 15);
    for (int a = 0; a < SO_ACT_COUNT; a++) /* in SO_ACTION_LIST order */
        w->recorded[a] = sqlite3_column_int64(st, 16 + a);
    w->release_after_ms = sqlite3_column_int64(st, 16 + SO_ACT_COUNT);
    w->applied_within_ms = sqlite3_column_int64(st, 17 + SO_ACT_COUNT);
    /* NULL: the producer never recorded an action (no backlog) */
    w->records_actions =
        sqlite3_column_type(st, 18 + SO_ACT_COUNT) != SQLITE_NULL;
    w->unapplied = sqlite3_column_int64(st, 18 + SO_ACT_COUNT);
    w->guidelines = store_db_col_str(st, 19 + SO_ACT_COUNT);
    w->hooks_disabled = sqlite3_column_int64(st, 20 + SO_ACT_COUNT);
    w->automate = sqlite3_column_int(st, 21 + SO_ACT_COUNT);
    w->automate_from = sqlite3_column_double(st, 22 + SO_ACT_COUNT);
    w->sample_pct = sqlite3_column_double(st, 23 + SO_ACT_COUNT);
    w->always_review = store_db_col_str(st, 24 + SO_ACT_COUNT);
    w->auto_decided = sqlite3_column_int64(st, 25 + SO_ACT_COUNT);
    w->sampled_decided = sqlite3_column_int64(st, 26 + SO_ACT_COUNT);
    w->sampled_overrides = sqlite3_column_int64(st, 27 + SO_ACT_COUNT);
    store_db_col_buf(st, 28 + SO_ACT_COUNT, w->currency, sizeof w->currency);
    w->hourly_rate = sqlite3_column_double(st, 29 + SO_ACT_COUNT);
    w->sla_ms = sqlite3_column_int64(st, 30 + SO_ACT_COUNT);
    w->sla_alert = sqlite3_column_double(st, 31 + SO_ACT_COUNT);
    w->oldest_pending_at = sqlite3_column_int64(st, 32 + SO_ACT_COUNT);
    w->sla_open_past = sqlite3_column_int64(st, 33 + SO_ACT_COUNT);
    w->gold_pct = sqlite3_column_double(st, 34 + SO_ACT_COUNT);
    w->gold_bar = sqlite3_column_double(st, 35 + SO_ACT_COUNT);
    w->gold_pool = sqlite3_column_int64(st, 36 + SO_ACT_COUNT);
    w->gold_released = sqlite3_column_int64(st, 37 + SO_ACT_COUNT);
}

/* The readiness of w's neighbouring bands (so_workflow.near_*), with
 * automate on. */
static enum so_status near_read(struct store *s, struct so_workflow *w,
                                struct so_error *err)
{
    enum so_status code = SO_OK;
    for (int k = 0; w->automate && code == SO_OK && k < 2; k++)
        code = store_route_counts(s, sql_evidence, w->name, w->window_ms,
                                  automate_near_from(w->automate_from, k),
                                  &w->near_decided[k], &w->near_overrides[k],
                                  err);
    return code;
}

enum so_status store_workflow_list(struct queue *q, struct so_workflow **out,
                                   size_t *n, struct so_error *err)
{
    struct store *s = q->impl;
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = store_db_stmt(s, sql_list, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":now", so_now_ms());
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        read_row(st, &(*out)[(*n)++]);
    }
    enum so_status code =
        rc == SQLITE_DONE ? SO_OK : store_db_fail(s, "workflows", err);
    sqlite3_reset(st);
    for (size_t i = 0; code == SO_OK && i < *n; i++)
        code = store_reasons_read(s, &(*out)[i], err);
    for (size_t i = 0; code == SO_OK && i < *n; i++)
        code = near_read(s, &(*out)[i], err);
    if (code != SO_OK) {
        for (size_t i = 0; i < *n; i++)
            so_workflow_clear(&(*out)[i]);
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return code;
}

static enum so_status get_in(struct store *s, const char *name,
                             struct so_workflow *out, struct so_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = store_db_stmt(s, sql_get, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":name", name);
    store_db_bind_int(st, ":now", so_now_ms());
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_row(st, out);
    enum so_status code =
        rc == SQLITE_ROW ? SO_OK
        : rc == SQLITE_DONE
            ? so_fail(err, SO_ERR_NOTFOUND, "%s: no such workflow", name)
            : store_db_fail(s, "workflow", err);
    sqlite3_reset(st);
    if (code == SO_OK)
        code = store_reasons_read(s, out, err);
    if (code == SO_OK)
        code = near_read(s, out, err);
    if (code != SO_OK && rc == SQLITE_ROW)
        so_workflow_clear(out);
    return code;
}

enum so_status store_workflow_get(struct queue *q, const char *name,
                                  struct so_workflow *out, struct so_error *err)
{
    return get_in(q->impl, name, out, err);
}

static void bind_field(sqlite3_stmt *st, const struct so_workflow *w,
                       unsigned bit)
{
    switch (bit) {
    case SO_WF_OWNER:
        store_db_bind_text(st, ":v", w->owner && *w->owner ? w->owner : NULL);
        break;
    case SO_WF_THRESHOLD:
        store_db_bind_double(st, ":v", w->threshold);
        break;
    case SO_WF_WINDOW:
        store_db_bind_int(st, ":v", w->window_ms);
        break;
    case SO_WF_MIN:
        store_db_bind_int(st, ":v", w->min_decisions);
        break;
    case SO_WF_AUTOPAUSE:
        store_db_bind_int(st, ":v", w->auto_pause ? 1 : 0);
        break;
    case SO_WF_REVIEWS:
        store_db_bind_int(st, ":v", w->reviews);
        break;
    case SO_WF_REVEAL:
        store_db_bind_text(st, ":v", w->reveal);
        break;
    case SO_WF_MIN_SEEN:
        store_db_bind_int(st, ":v", w->min_seen_ms);
        break;
    case SO_WF_CONFIRM_FLAGGED:
        store_db_bind_int(st, ":v", w->confirm_flagged ? 1 : 0);
        break;
    case SO_WF_RELEASE:
        store_db_bind_int(st, ":v", w->release_after_ms);
        break;
    case SO_WF_APPLIED_WITHIN:
        store_db_bind_int(st, ":v", w->applied_within_ms);
        break;
    case SO_WF_GUIDELINES:
        store_db_bind_text(st, ":v", w->guidelines && *w->guidelines
                                         ? w->guidelines : NULL);
        break;
    case SO_WF_AUTOMATE:
        store_db_bind_int(st, ":v", w->automate ? 1 : 0);
        store_db_bind_double(st, ":from", w->automate ? w->automate_from : 1);
        store_db_bind_double(st, ":pct", w->automate ? w->sample_pct : 0);
        store_db_bind_text(st, ":seed", w->sample_seed);
        break;
    case SO_WF_ALWAYS_REVIEW:
        store_db_bind_text(st, ":v", w->always_review && *w->always_review
                                         ? w->always_review : NULL);
        break;
    case SO_WF_CURRENCY:
        store_db_bind_text(st, ":v", w->currency);
        break;
    case SO_WF_RATE:
        store_db_bind_double(st, ":v", w->hourly_rate);
        break;
    case SO_WF_SLA:
        store_db_bind_int(st, ":v", w->sla_ms);
        break;
    case SO_WF_SLA_ALERT:
        store_db_bind_double(st, ":v", w->sla_alert);
        break;
    case SO_WF_GOLD:
        store_db_bind_double(st, ":v", w->gold_pct);
        break;
    case SO_WF_GOLD_BAR:
        store_db_bind_double(st, ":v", w->gold_bar);
        break;
    default:
        store_db_bind_text(st, ":v", w->resolver);
        break;
    }
}

static enum so_status set_in(struct store *s, const struct so_workflow *w,
                             unsigned mask, struct so_error *err)
{
    enum so_status code = store_workflow_ensure(s, w->name, err);
    for (size_t i = 0; code == SO_OK && i < SO_ARRAY_LEN(setters); i++) {
        if (!(mask & setters[i].bit))
            continue;
        sqlite3_stmt *st = store_db_stmt(s, setters[i].sql, err);
        if (!st)
            return err->code;
        store_db_bind_text(st, ":name", w->name);
        bind_field(st, w, setters[i].bit);
        code = store_db_run(s, st, err);
    }
    if (code == SO_OK && (mask & SO_WF_REASONS))
        code = store_reasons_write(s, w->name, w->reasons, w->nreasons, err);
    return code;
}

static enum so_status evidence(struct store *s, const struct so_workflow *cur,
                               double from, struct automate_evidence *e,
                               struct so_error *err)
{
    memset(e, 0, sizeof *e);
    enum so_status code =
        store_route_counts(s, sql_evidence, cur->name, cur->window_ms, from,
                           &e->decided, &e->overrides, err);
    automate_evidence_finish(e);
    return code;
}

/* The policy part of a set: the owner and readiness rule, then the change
 * recorded. Runs before set_in writes anything. */
static enum so_status policy_check(struct store *s, const struct so_workflow *w,
                                   unsigned mask, struct automate_evidence *e,
                                   struct so_error *err)
{
    struct so_workflow cur;
    memset(e, 0, sizeof *e);
    automate_evidence_finish(e);
    enum so_status code = get_in(s, w->name, &cur, err);
    if (code == SO_ERR_NOTFOUND)
        return so_fail(err, SO_ERR_FORBIDDEN,
                       "workflow %s has no owner: only its owner sets the "
                       "automation policy (name one with --owner first)",
                       w->name);
    if (code == SO_OK && (mask & SO_WF_AUTOMATE) && w->automate)
        code = evidence(s, &cur, w->automate_from, e, err);
    if (code == SO_OK)
        code = store_rules_policy(&cur, s->reviewer, w, mask, e, err);
    so_workflow_clear(&cur);
    return code;
}

static enum so_status policy_record(struct store *s,
                                    const struct so_workflow *w,
                                    const struct automate_evidence *e,
                                    struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_policy_event, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":name", w->name);
    store_db_bind_int(st, ":decided", e->decided);
    if (e->hi >= 0)
        store_db_bind_double(st, ":upper", e->hi);
    store_db_bind_int(st, ":forced", w->force ? 1 : 0);
    store_db_bind_text(st, ":reason", w->policy_reason);
    store_db_bind_text(st, ":by", s->reviewer);
    store_db_bind_int(st, ":at", so_now_ms());
    return store_db_run(s, st, err);
}

/* The admin record of a set: workflow.create or workflow.set with the
 * fields that changed (none changed: no record), in the transaction. */
static enum so_status set_admin(struct queue *q, const struct so_workflow *w,
                                unsigned mask, int existed,
                                const struct so_workflow *before, int takeover,
                                struct so_error *err)
{
    struct so_workflow after = {0};
    enum so_status code = store_workflow_get(q, w->name, &after, err);
    if (code != SO_OK)
        return code;
    const char *verb;
    char *detail = admin_workflow_set(existed ? before : NULL, &after, w, mask,
                                      takeover, &verb);
    if (detail) {
        char *subject = xasprintf("workflow/%s", w->name);
        code = store_admin_append(q->impl, verb, subject, detail, err);
        free(subject);
    }
    so_workflow_clear(&after);
    return code;
}

/* The kill switch in the caller's transaction: the resume rule on the
 * row as it stands, the flip, then its admin record (workflow.pause or
 * workflow.resume). */
static enum so_status switch_in(struct store *s, const char *name, int paused,
                                const char *reason, struct so_error *err)
{
    struct so_workflow w;
    enum so_status code = get_in(s, name, &w, err);
    if (code != SO_OK)
        return code;
    if (!paused)
        code = store_rules_resume(&w, s->reviewer, err);
    so_workflow_clear(&w);
    if (code == SO_OK)
        code = store_workflow_flip(s, name, paused, reason, s->reviewer, err);
    if (code == SO_OK) {
        char *subject = xasprintf("workflow/%s", name);
        code = store_admin_append(s, paused ? "workflow.pause"
                                            : "workflow.resume",
                                  subject, admin_switch_detail(paused, reason),
                                  err);
        free(subject);
    }
    return code;
}

enum so_status store_workflow_set(struct queue *q, const struct so_workflow *w,
                                  unsigned mask, struct so_error *err)
{
    struct store *s = q->impl;
    unsigned policy = mask & (SO_WF_AUTOMATE | SO_WF_ALWAYS_REVIEW);
    struct automate_evidence e;
    enum so_status code = store_rules_workflow(w, mask, err);
    if (code == SO_OK)
        code = store_db_begin(s, err);
    if (code != SO_OK)
        return code;
    struct so_workflow before = {0};
    struct so_error none;
    int existed = store_workflow_get(q, w->name, &before, &none) == SO_OK;
    int takeover = 0, pause = 0;
    code = store_rules_owner(existed ? &before : NULL, s->reviewer, w, mask,
                             &takeover, &pause, err);
    if (code == SO_OK && policy)
        code = policy_check(s, w, mask, &e, err);
    if (code == SO_OK)
        code = set_in(s, w, mask, err);
    if (code == SO_OK && policy)
        code = policy_record(s, w, &e, err);
    if (code == SO_OK)
        code = set_admin(q, w, mask, existed, &before, takeover, err);
    if (code == SO_OK && pause) /* the takeover's: the new owner resumes */
        code = switch_in(s, w->name, 1, w->owner_reason, err);
    if (code == SO_OK && (mask & SO_WF_SWITCH))
        code = switch_in(s, w->name, w->automation_paused,
                         w->automation_reason, err);
    so_workflow_clear(&before);
    if (code == SO_OK)
        return store_db_commit(s, err);
    store_db_rollback(s);
    return code;
}

enum so_status store_workflow_pause(struct queue *q, const char *name,
                                    int paused, const char *reason,
                                    struct so_error *err)
{
    struct store *s = q->impl;
    enum so_status code = store_rules_pause(name, paused, reason, err);
    if (code == SO_OK)
        code = store_db_begin(s, err);
    if (code != SO_OK)
        return code;
    code = switch_in(s, name, paused, reason, err);
    if (code == SO_OK)
        return store_db_commit(s, err);
    store_db_rollback(s);
    return code;
}
