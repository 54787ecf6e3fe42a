/*
 * store_pg_route: the automation policy on the PostgreSQL store (see
 * route.h). The rules (eligibility, sample, always-review, the record)
 * are automate.h's and store/rules.h's; this file holds the SQL.
 */
#include "signoff/store/pg/route.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/outcome.h"
#include "signoff/stats.h"
#include "signoff/store/pg/chain.h"
#include "signoff/store/pg/outcomes.h"
#include "signoff/store/rules.h"

static const char sql_policy[] =
    "SELECT automate, paused, automate_from, sample_pct, sample_seed,"
    " always_review, (SELECT coalesce(max(id), 0) FROM policy_events e"
    " WHERE e.workflow = w.name), release_after_ms, gold_pct FROM workflows w"
    " WHERE name = $1";

/* Human final outcomes standing (a draft decided, not undone: an undo
 * reopens it) on drafts at or above the band, not decided automatically,
 * in the window; a gold draft's (gold.h) is no outcome. */
static const char sql_evidence[] =
    "SELECT count(*), count(*) FILTER (WHERE final_action IN ('edit',"
    " 'reject')) FROM drafts WHERE workflow = $1 AND status = 'decided'"
    " AND route <> 1 AND final_action IN ('approve', 'edit', 'reject')"
    " AND decided_at >= $2 AND confidence >= $3::float8"
    " AND NOT EXISTS (SELECT 1 FROM gold g WHERE g.draft_id = drafts.id)";

static const char sql_sampled[] =
    "SELECT count(*), count(*) FILTER (WHERE final_action IN ('edit',"
    " 'reject')) FROM drafts WHERE workflow = $1 AND route = 2"
    " AND status = 'decided' AND decided_at >= $2";

static const char sql_policy_event[] =
    "INSERT INTO policy_events(workflow, automate, automate_from, sample_pct,"
    " always_review, decided, upper, forced, reason, by, at)"
    " SELECT name, automate, automate_from, sample_pct, always_review,"
    " $2, $3::float8, $4, $5, $6, $7 FROM workflows WHERE name = $1";

static const char sql_route_of[] = "SELECT route FROM drafts WHERE id = $1";

void pg_route_cache_clear(struct pg_route_cache *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].workflow);
        automate_policy_clear(&c->v[i].p);
    }
    free(c->v);
    memset(c, 0, sizeof *c);
}

static enum so_status load(struct pgq *p, struct pg_route_policy *c,
                           const char *workflow, struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    memset(c, 0, sizeof *c);
    pg_arg_text(&a, workflow);
    enum so_status code = pg_run(p, sql_policy, &a, &r, err);
    if (code != SO_OK)
        return code;
    if (PQntuples(r)) {
        automate_policy_load(&c->p, (int)pg_int(r, 0, 0), (int)pg_int(r, 0, 1),
                             pg_double(r, 0, 2), pg_double(r, 0, 3),
                             PQgetisnull(r, 0, 4) ? NULL : PQgetvalue(r, 0, 4),
                             PQgetisnull(r, 0, 5) ? NULL : PQgetvalue(r, 0, 5));
        c->policy_id = pg_int(r, 0, 6);
        c->release_after_ms = pg_int(r, 0, 7);
        c->gold_pct = pg_double(r, 0, 8);
    }
    PQclear(r);
    c->workflow = xstrdup(workflow);
    return SO_OK;
}

static const struct pg_route_policy *find(const struct pg_route_cache *c,
                                          const char *workflow)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->v[i].workflow, workflow) == 0)
            return &c->v[i];
    return NULL;
}

enum so_status pg_route_of(struct pgq *p, struct pg_route_cache *c,
                           const struct so_draft *d,
                           enum automate_route *route, struct so_error *err)
{
    *route = AUTOMATE_HUMAN;
    const struct pg_route_policy *pol = find(c, d->workflow);
    if (!pol) {
        struct pg_route_policy one;
        enum so_status code = load(p, &one, d->workflow, err);
        if (code != SO_OK)
            return code;
        c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
        c->v[c->n] = one;
        pol = &c->v[c->n++];
    }
    *route = automate_route(&pol->p, d);
    return SO_OK;
}

double pg_route_gold_pct(const struct pg_route_cache *c, const char *workflow)
{
    const struct pg_route_policy *pol = find(c, workflow);
    return pol ? pol->gold_pct : 0;
}

enum so_status pg_route_finish(struct pgq *p, const struct pg_route_cache *c,
                               const struct pg_route_batch *t,
                               struct so_error *err)
{
    enum so_status code = SO_OK;
    struct pg_chain_run run = {.batch = 1};
    int64_t *seqs = xcalloc(t->n ? t->n : 1, sizeof *seqs);
    int64_t *release = xcalloc(t->n ? t->n : 1, sizeof *release);
    size_t nauto = 0;
    for (size_t i = 0; code == SO_OK && i < t->n; i++) {
        if (!t->rids[i] || t->routes[i] != AUTOMATE_AUTO)
            continue;
        const struct so_draft *d = t->drafts[i];
        const struct pg_route_policy *pol = find(c, d->workflow);
        char request_id[SO_AUTO_RQ_MAX], note[128];
        struct so_decision rec;
        store_rules_auto_ids(d, pol->p.from, pol->p.sample_pct,
                             pol->policy_id, request_id, note);
        store_rules_auto_record(d, request_id, note, t->now, &rec);
        code = pg_chain_append_in(p, &run, &rec, err);
        seqs[nauto] = rec.seq;
        release[nauto++] = outcome_release_at(t->now, pol->release_after_ms);
    }
    if (code == SO_OK)
        code = pg_chain_run_end(p, &run, err);
    pg_chain_run_clear(&run);
    /* outcomes like any other: held for the release delay, then in the
     * feed */
    if (code == SO_OK)
        code = pg_outcome_record_many(p, seqs, release, nauto, err);
    free(seqs);
    free(release);
    return code;
}

/* Automatic outcomes of a workflow still held by the release delay (on
 * the database's clock, as the feed), not undone and not acted on
 * (automate.h: what a pause pulls back), with their drafts. */
static const char sql_held_auto[] =
    "SELECT o.seq, dr.rid, dr.id, dr.body, " PG_NOW_MS " FROM outcomes o"
    " JOIN drafts dr ON dr.id = o.draft WHERE o.workflow = $1"
    " AND o.reverted_at IS NULL AND o.applied_seq = 0"
    " AND o.release_at > " PG_NOW_MS " AND dr.route = 1 ORDER BY o.seq"
    " FOR UPDATE OF dr";

static const char sql_reopen_auto[] =
    "UPDATE drafts SET status = 'pending', final_action = NULL,"
    " decided_at = NULL, claimed_by = NULL, lease_until = 0, route = 3"
    " WHERE rid = $1";

/* One held automatic outcome (row i of held) pulled back: the draft open
 * again for people, the outcome retracted, a revert by who in the chain. */
static enum so_status pull_one(struct pgq *p, const PGresult *held, int i,
                               const char *who, const char *note,
                               struct so_error *err)
{
    int64_t now = pg_int(held, i, 4);
    struct so_draft dr;
    struct so_decision rv;
    char rq[37];
    memset(&dr, 0, sizeof dr);
    dr.id = PQgetvalue(held, i, 2);
    dr.body = PQgetvalue(held, i, 3);
    so_uuid(rq);
    store_rules_pull_back_record(&dr, pg_int(held, i, 0), rq, who, note, now,
                                 &rv);
    struct pg_args a = {0};
    pg_arg_int(&a, pg_int(held, i, 1));
    enum so_status code = pg_run(p, sql_reopen_auto, &a, NULL, err);
    if (code == SO_OK)
        code = pg_outcome_reverted(p, rv.reverts_seq, now, err);
    if (code == SO_OK)
        code = pg_chain_append(p, &rv, err);
    return code;
}

enum so_status pg_route_pull_back(struct pgq *p, const char *workflow,
                                  const char *who, const char *reason,
                                  struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    pg_arg_text(&a, workflow);
    enum so_status code = pg_run(p, sql_held_auto, &a, &r, err);
    if (code != SO_OK)
        return code;
    char *note = xasprintf("pulled back into review by the pause: %s",
                           reason ? reason : "");
    for (int i = 0; code == SO_OK && i < PQntuples(r); i++)
        code = pull_one(p, r, i, who, note, err);
    free(note);
    PQclear(r);
    return code;
}

/* Run sql with $1 workflow, $2 the start of the window of window_ms
 * ending now (whole UTC days: stats_window_for) and, when from >= 0, $3
 * from; read its one row of two counts. */
static enum so_status counts(struct pgq *p, const char *sql,
                             const char *workflow, int64_t window_ms,
                             double from, int64_t *decided,
                             int64_t *overrides, struct so_error *err)
{
    struct stats_window win;
    struct pg_args a = {0};
    PGresult *r;
    stats_window_for(window_ms, so_now_ms(), &win);
    *decided = *overrides = 0;
    pg_arg_text(&a, workflow);
    pg_arg_int(&a, stats_window_since_ms(&win));
    if (from >= 0)
        pg_arg_double(&a, from);
    enum so_status code = pg_run(p, sql, &a, &r, err);
    if (code != SO_OK)
        return code;
    *decided = pg_int(r, 0, 0);
    *overrides = pg_int(r, 0, 1);
    PQclear(r);
    return SO_OK;
}

enum so_status pg_route_evidence(struct pgq *p, const struct so_workflow *cur,
                                 double from, struct automate_evidence *e,
                                 struct so_error *err)
{
    memset(e, 0, sizeof *e);
    enum so_status code = counts(p, sql_evidence, cur->name, cur->window_ms,
                                 from, &e->decided, &e->overrides, err);
    automate_evidence_finish(e);
    return code;
}

enum so_status pg_route_sampled(struct pgq *p, const char *workflow,
                                int64_t window_ms, int64_t *decided,
                                int64_t *overrides, struct so_error *err)
{
    return counts(p, sql_sampled, workflow, window_ms, -1, decided, overrides,
                  err);
}

enum so_status pg_route_policy_record(struct pgq *p,
                                      const struct so_workflow *req,
                                      const struct automate_evidence *e,
                                      struct so_error *err)
{
    struct pg_args a = {0};
    pg_arg_text(&a, req->name);
    pg_arg_int(&a, e->decided);
    if (e->hi >= 0)
        pg_arg_double(&a, e->hi);
    else
        pg_arg_text(&a, NULL);
    pg_arg_int(&a, req->force ? 1 : 0);
    pg_arg_text(&a, req->policy_reason);
    pg_arg_text(&a, p->reviewer);
    pg_arg_int(&a, so_now_ms());
    return pg_run(p, sql_policy_event, &a, NULL, err);
}

enum so_status pg_route_stored(struct pgq *p, const char *id,
                               enum automate_route *route,
                               struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    *route = AUTOMATE_HUMAN;
    pg_arg_text(&a, id);
    enum so_status code = pg_run(p, sql_route_of, &a, &r, err);
    if (code != SO_OK)
        return code;
    if (PQntuples(r))
        *route = (enum automate_route)pg_int(r, 0, 0);
    PQclear(r);
    return SO_OK;
}
