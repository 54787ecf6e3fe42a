/*
 * store_rollup: keep the rollup tables in step with the decisions, and the
 * auto-pause rule. Runs inside the caller's decide/undo transaction, so a
 * decision and its statistics commit or vanish together. Must not begin or
 * commit transactions.
 */
#include "signoff/store/sqlite/rollup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/automate.h"
#include "signoff/store/rules.h"
#include "signoff/store/sqlite/route.h"
#include "signoff/store/sqlite/workflow.h"

#define DAY_MS 86400000LL

#define COST_NAME(c) ", " #c
#define COST_PARAM(c) ", :" #c
#define COST_SET(c) ", " #c " = " #c " + :" #c
static const char sql_bump[] =
    "INSERT INTO rollup(day, workflow, model, reviewer, band, approved,"
    " edited, rejected, escalated, fast_approvals, active_ms_sum,"
    " edit_words_sum" SO_ROLLUP_COST_LIST(COST_NAME) ")"
    " VALUES (:day, :wf, :model, :rev, :band, :a, :e, :r, :x, :f, :t, :w"
    SO_ROLLUP_COST_LIST(COST_PARAM) ")"
    " ON CONFLICT(day, workflow, model, reviewer, band) DO UPDATE SET"
    " approved = approved + :a, edited = edited + :e,"
    " rejected = rejected + :r, escalated = escalated + :x,"
    " fast_approvals = fast_approvals + :f,"
    " active_ms_sum = active_ms_sum + :t, edit_words_sum = edit_words_sum + :w"
    SO_ROLLUP_COST_LIST(COST_SET);

static const char *const cost_params[] = {
#define COST_BIND(c) ":" #c,
    SO_ROLLUP_COST_LIST(COST_BIND)
#undef COST_BIND
};

/* Reviewing time of the live reviews of a draft up to seq (an undo after
 * seq does not change what seq counted). */
static const char sql_review_time[] =
    "SELECT coalesce(sum(x.active_ms), 0) FROM decisions x"
    " WHERE x.draft = :id AND x.seq <= :seq AND x.action <> 'revert'"
    " AND x.kind <> 'action' AND x.kind <> 'admin'"
    " AND NOT EXISTS (SELECT 1 FROM decisions r WHERE r.reverts_seq = x.seq"
    " AND r.reverts_seq > 0 AND r.seq < :seq)";

static const char sql_rate[] =
    "SELECT hourly_rate, sla_ms FROM workflows WHERE name = :wf";

static const char sql_task_keep[] =
    "UPDATE outcomes SET human_ms = :ms, human_cost = :cost,"
    " sla_missed = :missed WHERE seq = :seq";

static const char sql_task_read[] =
    "SELECT human_ms, human_cost, sla_missed FROM outcomes WHERE seq = :seq";

/* The key of the cell an outcome was counted in, and the draft's age. */
static const char sql_acted_key[] =
    "SELECT d.decided_at, dr.workflow, dr.model, d.reviewer, dr.confidence,"
    " dr.created_at, dr.route FROM decisions d JOIN drafts dr"
    " ON dr.id = d.draft WHERE d.seq = :seq";

static const char sql_hist[] =
    "INSERT INTO rollup_hist(day, workflow, model, reviewer, band, metric,"
    " bucket, count) VALUES (:day, :wf, :model, :rev, :band, :metric,"
    " :bucket, :n)"
    " ON CONFLICT(day, workflow, model, reviewer, band, metric, bucket)"
    " DO UPDATE SET count = count + :n";

static const char sql_reason[] =
    "INSERT INTO rollup_reasons(day, workflow, reason, count)"
    " VALUES (:day, :wf, :reason, :n)"
    " ON CONFLICT(day, workflow, reason) DO UPDATE SET count = count + :n";

static const char sql_rule[] =
    "SELECT auto_pause, paused, threshold, window_ms, min_decisions"
    " FROM workflows WHERE name = :wf";

static const char sql_window[] =
    "SELECT coalesce(sum(approved), 0), coalesce(sum(edited + rejected), 0)"
    " FROM rollup_wf WHERE workflow = :wf AND day >= :d0 AND day <= :d1";

static void bind_key(sqlite3_stmt *st, const struct store_rollup_entry *e)
{
    store_db_bind_int(st, ":day", e->decided_at / DAY_MS);
    store_db_bind_text(st, ":wf", e->workflow);
    store_db_bind_text(st, ":model", e->model ? e->model : "");
    store_db_bind_text(st, ":rev", e->reviewer);
    store_db_bind_int(st, ":band", so_conf_band(e->confidence));
}

static enum so_status bump_hist(struct store *s,
                                const struct store_rollup_entry *e,
                                const char *metric, int64_t value, int sign,
                                struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_hist, err);
    if (!st)
        return err->code;
    bind_key(st, e);
    store_db_bind_text(st, ":metric", metric);
    store_db_bind_int(st, ":bucket", so_hist_bucket(value));
    store_db_bind_int(st, ":n", sign);
    return store_db_run(s, st, err);
}

static enum so_status bump_reason(struct store *s,
                                  const struct store_rollup_entry *e, int sign,
                                  struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_reason, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":day", e->decided_at / DAY_MS);
    store_db_bind_text(st, ":wf", e->workflow);
    store_db_bind_text(st, ":reason", e->reason);
    store_db_bind_int(st, ":n", sign);
    return store_db_run(s, st, err);
}

enum so_status store_rollup_apply(struct store *s,
                                  const struct store_rollup_entry *e, int sign,
                                  struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_bump, err);
    if (!st)
        return err->code;
    bind_key(st, e);
    store_db_bind_int(st, ":a", e->action == SO_ACT_APPROVE ? sign : 0);
    store_db_bind_int(st, ":e", e->action == SO_ACT_EDIT ? sign : 0);
    store_db_bind_int(st, ":r", e->action == SO_ACT_REJECT ? sign : 0);
    store_db_bind_int(st, ":x", e->action == SO_ACT_ESCALATE ? sign : 0);
    store_db_bind_int(st, ":f", store_rules_is_fast(e) ? sign : 0);
    store_db_bind_int(st, ":t", sign * e->active_ms);
    store_db_bind_int(st, ":w", sign * e->edit_size);
    for (int i = 0; i < STORE_COST_COUNT; i++)
        store_db_bind_int(st, cost_params[i], sign * e->cost[i]);
    enum so_status code = store_db_run(s, st, err);
    for (const char *m = STORE_ROLLUP_HISTS; code == SO_OK && *m; m++) {
        char metric[2] = {*m, '\0'};
        int64_t v;
        if (store_rules_rollup_hist(e, *m, &v))
            code = bump_hist(s, e, metric, v, sign, err);
    }
    if (code == SO_OK && e->action == SO_ACT_REJECT && e->reason && *e->reason)
        code = bump_reason(s, e, sign, err);
    return code;
}

/* One row of a bound statement: SO_OK with a row, SO_EMPTY without. */
static enum so_status row_of(struct store *s, sqlite3_stmt *st,
                             struct so_error *err)
{
    return store_db_step(s, st, "rollup", err);
}

static enum so_status task_count(struct store *s, int64_t seq,
                                 const struct so_draft *dr,
                                 struct store_rollup_entry *e,
                                 struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_review_time, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":id", dr->id);
    store_db_bind_int(st, ":seq", seq);
    enum so_status code = row_of(s, st, err);
    int64_t ms = code == SO_OK ? sqlite3_column_int64(st, 0) : 0;
    code = store_db_finish(s, st, code, err);
    double rate = 0;
    int64_t sla = 0;
    if (code == SO_OK && (st = store_db_stmt(s, sql_rate, err)) == NULL)
        return err->code;
    if (code == SO_OK) {
        store_db_bind_text(st, ":wf", dr->workflow);
        code = row_of(s, st, err);
        if (code == SO_OK) {
            rate = sqlite3_column_double(st, 0);
            sla = sqlite3_column_int64(st, 1);
        }
        code = store_db_finish(s, st, code, err);
    }
    store_rules_rollup_task(dr, ms, rate, sla, e);
    int64_t cost, missed;
    store_rules_task_kept(e, &ms, &cost, &missed);
    if (code != SO_OK || (st = store_db_stmt(s, sql_task_keep, err)) == NULL)
        return code != SO_OK ? code : err->code;
    store_db_bind_int(st, ":ms", ms);
    store_db_bind_int(st, ":cost", cost);
    store_db_bind_int(st, ":missed", missed);
    store_db_bind_int(st, ":seq", seq);
    return store_db_run(s, st, err);
}

static enum so_status task_recall(struct store *s, int64_t seq,
                                  const struct so_draft *dr,
                                  struct store_rollup_entry *e,
                                  struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_task_read, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":seq", seq);
    enum so_status code = row_of(s, st, err);
    int64_t ms = 0, cost = 0, missed = -1;
    if (code == SO_OK) {
        ms = sqlite3_column_int64(st, 0);
        cost = sqlite3_column_int64(st, 1);
        missed = sqlite3_column_int64(st, 2);
    }
    store_rules_rollup_recall(dr, ms, cost, missed, e);
    return store_db_finish(s, st, code, err);
}

enum so_status store_rollup_task(struct store *s, int64_t seq,
                                 const struct so_draft *dr, int undo,
                                 struct store_rollup_entry *e,
                                 struct so_error *err)
{
    return undo ? task_recall(s, seq, dr, e, err)
                : task_count(s, seq, dr, e, err);
}

enum so_status store_rollup_acted(struct store *s, int64_t seq, int64_t at,
                                  struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_acted_key, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":seq", seq);
    enum so_status code = row_of(s, st, err);
    if (code != SO_OK)
        return store_db_finish(s, st, code, err);
    int64_t decided_at = sqlite3_column_int64(st, 0);
    char *wf = store_db_col_str(st, 1), *model = store_db_col_str(st, 2);
    char *rev = store_db_col_str(st, 3);
    double confidence = sqlite3_column_type(st, 4) == SQLITE_NULL
                            ? -1
                            : sqlite3_column_double(st, 4);
    int64_t created = sqlite3_column_int64(st, 5);
    int automatic = sqlite3_column_int(st, 6) == AUTOMATE_AUTO;
    code = store_db_done(s, st, err);
    struct store_rollup_entry e;
    if (store_rules_rollup_acted(decided_at, wf, model, rev, confidence,
                                 created, automatic, at, &e) &&
        code == SO_OK)
        code = store_rollup_apply(s, &e, 1, err);
    free(wf);
    free(model);
    free(rev);
    return code;
}

struct rule {
    int auto_pause, paused, min_decisions;
    double threshold;
    int64_t window_ms;
};

static enum so_status read_rule(struct store *s, const char *workflow,
                                struct rule *r, struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_rule, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":wf", workflow);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        r->auto_pause = sqlite3_column_int(st, 0);
        r->paused = sqlite3_column_int(st, 1);
        r->threshold = sqlite3_column_double(st, 2);
        r->window_ms = sqlite3_column_int64(st, 3);
        r->min_decisions = sqlite3_column_int(st, 4);
    } else if (rc != SQLITE_DONE) {
        enum so_status code = store_db_fail(s, "read workflow", err);
        sqlite3_reset(st);
        return code;
    } else {
        r->auto_pause = 0;
    }
    return store_db_done(s, st, err);
}

/* Auto-pause on the automation's measured error rate: people's override
 * rate on the sampled drafts (automate_sampled_over). */
static enum so_status sampled_autopause(struct store *s, const char *workflow,
                                        const struct rule *r, int *paused,
                                        struct so_error *err)
{
    struct so_workflow w;
    memset(&w, 0, sizeof w);
    w.auto_pause = r->auto_pause;
    w.threshold = r->threshold;
    w.min_decisions = r->min_decisions;
    enum so_status code =
        store_route_sampled(s, workflow, r->window_ms, &w.sampled_decided,
                            &w.sampled_overrides, err);
    if (code != SO_OK || !automate_sampled_over(&w))
        return code;
    char reason[160];
    automate_sampled_reason(&w, reason);
    *paused = 1;
    return store_workflow_flip(s, workflow, 1, reason, "signoff", err);
}

enum so_status store_rollup_autopause(struct store *s, const char *workflow,
                                      int *paused, struct so_error *err)
{
    struct rule r = {0, 0, 0, 0, 0};
    *paused = 0;
    enum so_status code = read_rule(s, workflow, &r, err);
    if (code != SO_OK || !r.auto_pause || r.paused)
        return code;
    int64_t d0, d1;
    store_rules_window_days(so_now_ms(), r.window_ms, &d0, &d1);
    sqlite3_stmt *st = store_db_stmt(s, sql_window, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":wf", workflow);
    store_db_bind_int(st, ":d0", d0);
    store_db_bind_int(st, ":d1", d1);
    if (sqlite3_step(st) != SQLITE_ROW) {
        code = store_db_fail(s, "read rollup", err);
        sqlite3_reset(st);
        return code;
    }
    int64_t approved = sqlite3_column_int64(st, 0);
    int64_t overrides = sqlite3_column_int64(st, 1);
    code = store_db_done(s, st, err);
    if (code != SO_OK)
        return code;
    char reason[128];
    if (!store_rules_autopause(r.threshold, r.min_decisions, approved,
                               overrides, reason))
        return sampled_autopause(s, workflow, &r, paused, err);
    *paused = 1;
    return store_workflow_flip(s, workflow, 1, reason, "signoff", err);
}
