/*
 * store_pg_decide: a decision on the PostgreSQL store, one READ COMMITTED
 * transaction in this order (DESIGN.md section 10): lock the draft row;
 * look up the request id (a retry answers as the first time, only to the
 * reviewer who made it); check claimant and fencing token; update the
 * draft; lock the chain head row last, append the record, move the head.
 * Locking the head last keeps the time it is held short, and since every
 * append goes through that one row the chain never forks under several
 * servers; UNIQUE(request_id), PRIMARY KEY(seq) and UNIQUE(hash) are the
 * backstops. The record and its hash are store_rules' and audit.c's, so
 * the bytes hashed are those SQLite would hash. Serialization failures
 * and deadlocks rerun the transaction with the same request id (pg_tx).
 */
#include "signoff/store/pg/decide.h"

#include <stdio.h>
#include <string.h>

#include "signoff/audit.h"
#include "signoff/outcome.h"
#include "signoff/store/pg/drafts.h"
#include "signoff/store/pg/gold.h"
#include "signoff/store/pg/outcomes.h"
#include "signoff/store/pg/lease.h"
#include "signoff/store/pg/review.h"
#include "signoff/store/pg/rollup.h"
#include "signoff/store/pg/workflow.h"
#include "signoff/store/rules.h"

static const char sql_request[] =
    PG_DECISION_COLS " WHERE request_id = $1";

static const char sql_mark[] =
    "UPDATE drafts SET status = 'decided', final_action = $2,"
    " decided_at = $3, reviews_done = reviews_done + $4, lease_until = 0"
    " WHERE rid = $1";

/* A decision that is not the last word: back to the queue for the next
 * reviewer (pending), for the resolver (resolve) or for a supervisor
 * (escalated). */
static const char sql_step[] =
    "UPDATE drafts SET status = $2, claimed_by = NULL, lease_until = 0,"
    " reviews_done = reviews_done + $3 WHERE rid = $1";

/* The four-eyes counts a decision's first reply gave: the live reviews of
 * its draft as of its seq, and the reviews the draft needs. */
static const char sql_reviews_at[] =
    "SELECT (SELECT reviews_needed FROM drafts WHERE id = $1),"
    " (SELECT count(*) FROM decisions x WHERE x.draft = $1"
    "  AND x.kind = 'review' AND x.action <> 'revert' AND x.seq <= $2"
    "  AND NOT EXISTS (SELECT 1 FROM decisions r WHERE r.reverts_seq = x.seq"
    "  AND r.reverts_seq > 0 AND r.seq <= $2))";

/* The latest live decision on a draft: only it may be undone. */
static const char sql_latest_on[] =
    "SELECT coalesce(max(seq), 0) FROM decisions d WHERE draft = $1"
    " AND action <> 'revert' AND kind <> 'action'"
    " AND NOT EXISTS (SELECT 1 FROM decisions r WHERE r.reverts_seq = d.seq"
    " AND r.reverts_seq > 0)";

static const char sql_latest_mine[] =
    PG_DECISION_COLS " d WHERE reviewer = $1 AND action <> 'revert'"
    " AND kind <> 'action' AND kind <> 'admin'"
    " AND NOT EXISTS (SELECT 1 FROM decisions r WHERE r.reverts_seq = d.seq"
    " AND r.reverts_seq > 0)"
    " ORDER BY seq DESC LIMIT 1";

/* A live escalation before seq: the draft was escalated when seq came. */
static const char sql_escalated_before[] =
    "SELECT count(*) FROM decisions d WHERE draft = $1 AND seq < $2"
    " AND action = 'escalate' AND NOT EXISTS (SELECT 1 FROM decisions r"
    " WHERE r.reverts_seq = d.seq AND r.reverts_seq > 0)";

static const char sql_reopen[] =
    "UPDATE drafts SET status = $2, final_action = NULL, decided_at = NULL,"
    " reviews_done = greatest(reviews_done - $3, 0) WHERE rid = $1";

static const char sql_mine[] =
    "SELECT d.seq, d.draft, d.request_id, d.reviewer, d.action, d.kind,"
    " d.reason, d.note, d.final_body, d.edit_size, d.body_sha, d.final_sha,"
    " d.shown_at, d.decided_at, d.active_ms, d.reverts_seq, d.prev_hash,"
    " d.hash, (SELECT max(r.seq) FROM decisions r WHERE r.reverts_seq = d.seq"
    " AND r.reverts_seq > 0) FROM decisions d"
    " WHERE d.reviewer = $1 AND d.decided_at >= $2"
    " AND d.action <> 'revert' AND d.kind <> 'action' AND d.kind <> 'admin'"
    " ORDER BY d.decided_at DESC, d.seq DESC LIMIT $3";

struct decide_ctx {
    const struct so_decide_req *req;
    struct so_decide_result *res;
};

/* A request id seen before: the same decision by the same reviewer gets
 * the first reply; anything else a conflict that reveals nothing. */
static enum so_status replay(struct pgq *p, const struct so_decide_req *req,
                             const PGresult *found,
                             struct so_decide_result *res,
                             struct so_error *err)
{
    struct so_decision d, mine;
    struct so_draft *dr = NULL;
    struct pg_claim c;
    pg_read_decision(found, 0, &d);
    enum so_status code = store_rules_replay_owner(p->reviewer, req, &d, err);
    if (code == SO_OK)
        code = pg_lease_lock(p, d.draft_id, &c, err);
    if (code == SO_OK)
        code = pg_read_draft(p, c.rid, &dr, err);
    if (code == SO_OK) {
        store_rules_record(p->reviewer, req, dr, 0, c.now, &mine);
        if (!store_rules_same_decision(req, &mine, &d))
            code = so_fail(err, SO_ERR_CONFLICT,
                           "%s: request_id %s already used for a different "
                           "decision; make a new one",
                           req->draft_id, req->request_id);
    }
    PGresult *r = NULL;
    if (code == SO_OK) {
        struct pg_args a = {0};
        pg_arg_text(&a, d.draft_id);
        pg_arg_int(&a, d.seq);
        code = pg_run(p, sql_reviews_at, &a, &r, err);
    }
    if (code == SO_OK) {
        store_rules_result(&d, so_dstatus_name(c.status), 1, res);
        res->reviews_needed = (int)pg_int(r, 0, 0);
        res->reviews_done = (int)pg_int(r, 0, 1);
        res->resolution = d.kind && strcmp(d.kind, "resolve") == 0;
        PQclear(r);
    }
    so_draft_free(dr);
    so_decision_clear(&d);
    return code;
}

/* The reason of req is one of workflow's codes (store_rules_reason_in). */
static enum so_status reason_ok(struct pgq *p, const struct so_decide_req *req,
                                const char *workflow, struct so_error *err)
{
    struct so_workflow w;
    memset(&w, 0, sizeof w);
    w.name = (char *)workflow;
    enum so_status code = pg_reasons_read(p, &w, err);
    if (code == SO_OK)
        code = store_rules_reason_in(req->draft_id, &w, req->reason, err);
    w.name = NULL;
    so_workflow_clear(&w);
    return code;
}

static enum so_status mark(struct pgq *p, const struct so_decision *d,
                           int64_t rid, const struct store_settle *o,
                           struct so_error *err)
{
    struct pg_args m = {0};
    pg_arg_int(&m, rid);
    if (strcmp(o->status, "decided") != 0) {
        pg_arg_text(&m, o->status);
        pg_arg_int(&m, o->reviews_inc);
        return pg_run(p, sql_step, &m, NULL, err);
    }
    pg_arg_text(&m, so_action_name(d->action));
    pg_arg_int(&m, d->decided_at);
    pg_arg_int(&m, o->reviews_inc);
    return pg_run(p, sql_mark, &m, NULL, err);
}

/*
 * Apply record d to its draft dr (row rid) as store_rules_settle says: the
 * draft's next step, the agreement pairs, the rollup, the resolution count
 * and auto-pause. The live reviews are read before d is appended (the
 * chain head is locked last), so d joins them here as the newest.
 */
static enum so_status settle(struct pgq *p, const struct so_decision *d,
                             const struct so_draft *dr, int64_t rid,
                             const struct store_review_state *st,
                             int was_escalated, int gold,
                             struct store_settle *o,
                             struct store_rollup_entry *e,
                             struct so_error *err)
{
    struct store_vote *v = NULL;
    size_t n = 0;
    enum so_status code = SO_OK;
    if (store_rules_needs_votes(d, dr->reviews_needed)) {
        code = pg_review_votes(p, d->draft_id, &v, &n, err);
        if (code == SO_OK) {
            v[n].reviewer = xstrdup(d->reviewer);
            v[n++].action = d->action;
        }
    }
    if (code == SO_OK)
        store_rules_settle(d, dr->reviews_needed, was_escalated,
                           st->reveal_after, v, n, o);
    if (code == SO_OK && gold)
        store_rules_settle_gold(o);
    if (code == SO_OK && o->pairs)
        code = pg_review_pairs(p, dr->workflow, d->decided_at, v, n, 1, err);
    store_rules_votes_free(v, n);
    if (code == SO_OK)
        code = mark(p, d, rid, o, err);
    store_rules_rollup_entry(d, dr, e);
    int decided = strcmp(o->status, "decided") == 0;
    if (code == SO_OK && o->rollup && decided)
        code = pg_rollup_task(p, dr, d->active_ms, e, err);
    if (code == SO_OK && o->rollup)
        code = pg_rollup_apply(p, e, 1, err);
    if (code == SO_OK && o->resolution)
        code = pg_review_resolution(p, dr->workflow, d->decided_at,
                                    d->action == SO_ACT_APPROVE, 1, err);
    if (code == SO_OK && decided && o->rollup)
        code = pg_rollup_autopause(p, dr->workflow, d->decided_at, err);
    return code;
}

/* The decision itself, once the claim is known to be mine and the rules
 * let me take it; the chain head last. */
static enum so_status record(struct pgq *p, const struct so_decide_req *req,
                             const struct pg_claim *c,
                             const struct store_review_state *st,
                             const struct so_draft *dr,
                             struct so_decide_result *res,
                             struct so_error *err)
{
    struct so_decision d;
    struct store_settle o;
    store_rules_record(p->reviewer, req, dr, c->claimed_at, c->now, &d);
    int escalated = c->status == SO_DS_ESCALATED;
    if (c->status == SO_DS_RESOLVE || escalated)
        d.kind = "resolve";
    struct store_rollup_entry e;
    struct store_gold_key gk = {0};
    enum so_status code = pg_gold_of(p, d.draft_id, &gk, err);
    if (code == SO_OK)
        code = settle(p, &d, dr, c->rid, st, escalated, gk.gold, &o, &e, err);
    if (code == SO_OK) /* the head last */
        code = pg_chain_append(p, &d, err);
    if (code == SO_OK && o.feed && outcome_is_final(d.action, o.status))
        code = pg_outcome_record(p, &d, dr->workflow, err);
    if (code == SO_OK && outcome_is_final(d.action, o.status) && o.rollup)
        code = pg_rollup_task_keep(p, d.seq, &e, err);
    if (code == SO_OK && gk.gold) /* its answer; never delivered */
        code = pg_gold_answer(p, &d, dr->workflow, &gk, err);
    store_gold_key_clear(&gk);
    if (code == SO_OK) {
        store_rules_result(&d, o.status, 0, res);
        res->review_agreed = o.agreed;
        res->resolution = strcmp(d.kind, "resolve") == 0;
        res->reviews_needed = dr->reviews_needed;
        res->reviews_done = dr->reviews_done + !res->resolution;
    }
    return code;
}

enum so_status pg_request_locked(struct pgq *p, const char *draft_id,
                                 const char *request_id, struct pg_claim *c,
                                 enum so_status *lock, PGresult **found,
                                 struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    *found = NULL;
    /* The draft row first: writes on one draft queue here. */
    *lock = pg_lease_lock(p, draft_id, c, err);
    if (*lock != SO_OK && *lock != SO_ERR_NOTFOUND)
        return *lock;
    pg_arg_text(&a, request_id);
    enum so_status code = pg_run(p, sql_request, &a, &r, err);
    if (code != SO_OK)
        return code;
    if (PQntuples(r))
        *found = r;
    else
        PQclear(r);
    return SO_OK;
}

static enum so_status decide_tx(struct pgq *p, void *ctx,
                                struct so_error *err)
{
    struct decide_ctx *x = ctx;
    const struct so_decide_req *req = x->req;
    struct pg_claim c;
    PGresult *r;
    enum so_status lock;
    enum so_status code = pg_request_locked(p, req->draft_id, req->request_id,
                                            &c, &lock, &r, err);
    if (code != SO_OK)
        return code;
    if (r) {
        code = replay(p, req, r, x->res, err);
        PQclear(r);
        return code;
    }
    if (lock != SO_OK)
        return so_fail(err, SO_ERR_NOTFOUND, "%s: no such draft",
                       req->draft_id);
    struct store_claim sc = {c.status, c.claimed_by, c.lease_until,
                             c.lease_token};
    struct store_review_state st;
    char by[SO_MAX_ID + 1];
    code = store_rules_lease_verdict(p->reviewer, req->draft_id, &sc,
                                     req->lease_token, c.now, err);
    if (code == SO_OK) /* four-eyes, also for a claim that predates a rule */
        code = pg_review_state(p, req->draft_id, &st, by, err);
    if (code == SO_OK)
        code = store_rules_may_take(req->draft_id, &st, p->supervisor, err);
    if (code == SO_OK)
        code = store_rules_escalate_again(req->draft_id, c.status,
                                          req->action, err);
    if (code != SO_OK)
        return code;
    struct so_draft *dr = NULL;
    code = pg_read_draft(p, c.rid, &dr, err);
    if (code == SO_OK && req->reason) /* the workflow's own codes */
        code = reason_ok(p, req, dr->workflow, err);
    if (code == SO_OK)
        code = record(p, req, &c, &st, dr, x->res, err);
    so_draft_free(dr);
    return code;
}

enum so_status pg_decide(struct queue *q, const struct so_decide_req *req,
                         struct so_decide_result *res, struct so_error *err)
{
    memset(res, 0, sizeof *res);
    enum so_status code = store_rules_decide_req(req, err);
    if (code != SO_OK)
        return code;
    struct decide_ctx x = {req, res};
    code = pg_tx(q->impl, decide_tx, &x, err);
    if (code == SO_OK && req->claim_next)
        queue_decide_next(q, req->claim_next, &res->next);
    return code;
}

static enum so_status one_int(struct pgq *p, const char *sql,
                              const struct pg_args *a, int64_t *v,
                              struct so_error *err)
{
    PGresult *r;
    enum so_status code = pg_run(p, sql, a, &r, err);
    if (code != SO_OK)
        return code;
    *v = PQntuples(r) ? pg_int(r, 0, 0) : 0;
    PQclear(r);
    return SO_OK;
}

struct undo_ctx {
    const char *request_id;
    struct so_draft *out;
};

/* Take back what settle wrote for orig (store_rules_unsettle): the
 * rollup if it made the draft final or escalated it, and the resolution
 * count. A review that completed a four-eyes set (and wrote the agreement
 * pairs) is never undone (store_rules_undo). */
static enum so_status unsettle(struct pgq *p, const struct so_decision *orig,
                               const struct so_draft *dr,
                               const struct store_unsettle *u,
                               struct so_error *err)
{
    enum so_status code = SO_OK;
    if (u->rollup) {
        struct store_rollup_entry e;
        store_rules_rollup_entry(orig, dr, &e);
        if (orig->action != SO_ACT_ESCALATE)
            code = pg_rollup_task_recall(p, orig->seq, dr, &e, err);
        if (code == SO_OK)
            code = pg_rollup_apply(p, &e, -1, err);
    }
    if (code == SO_OK && u->resolution)
        code = pg_review_resolution(p, dr->workflow, orig->decided_at,
                                    orig->action == SO_ACT_APPROVE, -1, err);
    return code;
}

/* Whether orig was a supervisor's decision on an escalated draft: a live
 * escalation came before it. */
static enum so_status on_escalated(struct pgq *p,
                                   const struct so_decision *orig, int *yes,
                                   struct so_error *err)
{
    int64_t n = 0;
    *yes = 0;
    if (!store_rules_maybe_on_escalated(orig))
        return SO_OK;
    struct pg_args e = {0};
    pg_arg_text(&e, orig->draft_id);
    pg_arg_int(&e, orig->seq);
    enum so_status code = one_int(p, sql_escalated_before, &e, &n, err);
    *yes = n > 0;
    return code;
}

/* Append the revert of orig (the draft row locked: c), take back what it
 * counted, and take the draft back to the step orig was taken in, claimed
 * by me again; the chain head last. */
static enum so_status revert(struct pgq *p, const char *request_id,
                             const struct so_decision *orig,
                             const struct pg_claim *c, struct so_error *err)
{
    struct so_draft *dr = NULL;
    struct store_unsettle u;
    struct store_gold_key gk = {0};
    int escalated = 0;
    enum so_status code = pg_read_draft(p, c->rid, &dr, err);
    if (code == SO_OK)
        code = on_escalated(p, orig, &escalated, err);
    if (code == SO_OK)
        code = pg_gold_of(p, orig->draft_id, &gk, err);
    int gold = gk.gold;
    store_gold_key_clear(&gk);
    if (code == SO_OK) {
        store_rules_unsettle(orig, dr->status, escalated, &u);
        if (gold)
            store_rules_unsettle_gold(&u);
        code = unsettle(p, orig, dr, &u, err);
    }
    if (code == SO_OK && gold) /* its score goes with it */
        code = pg_gold_unanswer(p, orig->seq, err);
    if (code != SO_OK) {
        so_draft_free(dr);
        return code;
    }
    struct so_decision rv;
    memset(&rv, 0, sizeof rv);
    rv.draft_id = orig->draft_id;
    rv.request_id = (char *)request_id;
    rv.reviewer = (char *)p->reviewer;
    rv.kind = orig->kind ? orig->kind : "review";
    rv.action = SO_ACT_REVERT;
    rv.reverts_seq = orig->seq;
    audit_sha256_hex(dr->body, strlen(dr->body), rv.body_sha);
    rv.decided_at = c->now;
    so_draft_free(dr);
    code = pg_outcome_may_undo(p, orig, err);
    if (code == SO_OK)
        code = pg_outcome_reverted(p, orig->seq, rv.decided_at, err);
    if (code != SO_OK)
        return code;
    struct pg_args a = {0};
    pg_arg_int(&a, c->rid);
    pg_arg_text(&a, u.status);
    pg_arg_int(&a, u.reviews_dec);
    code = pg_run(p, sql_reopen, &a, NULL, err);
    if (code == SO_OK)
        code = pg_lease_take(p, c->rid, 0, err);
    if (code == SO_OK) /* the head last */
        code = pg_chain_append(p, &rv, err);
    if (code == SO_OK && gold)
        code = pg_gold_undelivered(p, rv.seq, err);
    return code;
}

static enum so_status undo_tx(struct pgq *p, void *ctx, struct so_error *err)
{
    struct undo_ctx *u = ctx;
    struct pg_args a = {0};
    PGresult *r;
    struct so_decision orig;
    struct pg_claim c;
    so_draft_free(u->out);
    u->out = NULL;
    pg_arg_text(&a, u->request_id);
    enum so_status code = pg_run(p, sql_request, &a, &r, err);
    if (code != SO_OK)
        return code;
    if (!PQntuples(r)) {
        PQclear(r);
        struct pg_args m = {0};
        pg_arg_text(&m, p->reviewer);
        code = pg_run(p, sql_latest_mine, &m, &r, err);
        if (code != SO_OK)
            return code;
        if (!PQntuples(r)) {
            PQclear(r);
            return so_fail(err, SO_ERR_NOTFOUND, "nothing to undo");
        }
        pg_read_decision(r, 0, &orig);
        PQclear(r);
        int64_t latest = 0;
        struct pg_args l = {0};
        pg_arg_text(&l, orig.draft_id);
        /* The draft row first, then what the rule reads under it. */
        code = pg_lease_lock(p, orig.draft_id, &c, err);
        if (code == SO_OK)
            code = one_int(p, sql_latest_on, &l, &latest, err);
        struct store_claim sc = {c.status, c.claimed_by, c.lease_until,
                                 c.lease_token};
        if (code == SO_OK)
            code = store_rules_undo(p->reviewer, &orig, latest, &sc,
                                    c.reviews_needed, c.now, err);
        if (code == SO_OK)
            code = revert(p, u->request_id, &orig, &c, err);
    } else { /* a retry of an undo that landed */
        pg_read_decision(r, 0, &orig);
        PQclear(r);
        if (orig.action != SO_ACT_REVERT || !orig.reviewer ||
            strcmp(orig.reviewer, p->reviewer) != 0)
            code = so_fail(err, SO_ERR_CONFLICT,
                           "undo: request_id %s already used", u->request_id);
        if (code == SO_OK)
            code = pg_lease_lock(p, orig.draft_id, &c, err);
    }
    if (code == SO_OK)
        code = pg_read_draft(p, c.rid, &u->out, err);
    so_decision_clear(&orig);
    return code;
}

enum so_status pg_undo(struct queue *q, const char *request_id,
                       struct so_draft **out, struct so_error *err)
{
    char fresh[37];
    *out = NULL;
    if (!request_id || !*request_id) {
        so_uuid(fresh);
        request_id = fresh;
    }
    if (store_rules_request_id("undo", NULL, request_id, err) != SO_OK)
        return err->code;
    struct undo_ctx u = {request_id, NULL};
    enum so_status code = pg_tx(q->impl, undo_tx, &u, err);
    if (code != SO_OK) {
        so_draft_free(u.out);
        u.out = NULL;
    }
    *out = u.out;
    return code;
}

enum so_status pg_my_decisions(struct queue *q, int64_t since_ms, int limit,
                               struct so_decision **out, size_t *n,
                               struct so_error *err)
{
    struct pgq *p = q->impl;
    struct pg_args a = {0};
    PGresult *r;
    *out = NULL;
    *n = 0;
    if (limit < 1 || limit > 1000)
        return so_fail(err, SO_ERR_INVALID, "limit: not in 1..1000");
    pg_arg_text(&a, p->reviewer);
    pg_arg_int(&a, since_ms);
    pg_arg_int(&a, limit);
    enum so_status code = pg_run(p, sql_mine, &a, &r, err);
    if (code != SO_OK)
        return code;
    int rows = PQntuples(r);
    *out = rows ? xcalloc((size_t)rows, sizeof **out) : NULL;
    for (int i = 0; i < rows; i++) {
        pg_read_decision(r, i, &(*out)[i]);
        (*out)[i].undone_by = pg_int(r, i, 18);
    }
    *n = (size_t)rows;
    PQclear(r);
    return SO_OK;
}
