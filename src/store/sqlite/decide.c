/*
 * store_decide: decide and undo on the SQLite store, each one transaction:
 * claim check, chain append, draft update, rollup, auto-pause. The chain
 * head (last seq and hash) lives in the meta table, so seq comes from the
 * head, not from max(seq): a deleted tail cannot be silently refilled.
 * Must not print or open a second transaction.
 */
#include "signoff/store/sqlite/decide.h"

#include <stdio.h>
#include <string.h>

#include "signoff/audit.h"
#include "signoff/outcome.h"
#include "signoff/store/rules.h"
#include "signoff/store/sqlite/chain.h"
#include "signoff/store/sqlite/gold.h"
#include "signoff/store/sqlite/outcomes.h"
#include "signoff/store/sqlite/lease.h"
#include "signoff/store/sqlite/read.h"
#include "signoff/store/sqlite/reasons.h"
#include "signoff/store/sqlite/review.h"
#include "signoff/store/sqlite/rollup.h"

static const char sql_mark[] =
    "UPDATE drafts SET status = 'decided', final_action = :action,"
    " decided_at = :at, reviews_done = reviews_done + :inc, lease_until = 0"
    " WHERE rid = :rid";

/* A decision that is not the last word: back to the queue for the next
 * reviewer (pending), for the resolver (resolve) or for a supervisor
 * (escalated). */
static const char sql_step[] =
    "UPDATE drafts SET status = :status, claimed_by = NULL, lease_until = 0,"
    " reviews_done = reviews_done + :inc WHERE rid = :rid";

/* A live escalation before seq: the draft was escalated when seq came. */
static const char sql_escalated_before[] =
    "SELECT count(*) FROM decisions d WHERE draft = :id AND seq < :seq"
    " AND action = 'escalate' AND NOT EXISTS (SELECT 1 FROM decisions r"
    " WHERE r.reverts_seq = d.seq AND r.reverts_seq > 0)";

static const char sql_reopen[] =
    "UPDATE drafts SET status = :status, final_action = NULL,"
    " decided_at = NULL, reviews_done = max(reviews_done - :dec, 0)"
    " WHERE rid = :rid";

/* The latest live decision on a draft: only it may be undone. */
static const char sql_latest_on[] =
    "SELECT max(seq) FROM decisions d WHERE draft = :id"
    " AND action <> 'revert' AND kind <> 'action'"
    " AND NOT EXISTS (SELECT 1 FROM decisions r WHERE r.reverts_seq = d.seq"
    " AND r.reverts_seq > 0)";

static const char sql_latest_mine[] =
    "SELECT seq FROM decisions d WHERE reviewer = :me AND action <> 'revert'"
    " AND kind <> 'action' AND kind <> 'admin'"
    " AND NOT EXISTS (SELECT 1 FROM decisions r WHERE r.reverts_seq = d.seq"
    " AND r.reverts_seq > 0)"
    " ORDER BY seq DESC LIMIT 1";

static const char sql_rid[] = "SELECT rid FROM drafts WHERE id = :id";


/* d borrows every string from req, dr and s: it is never cleared. The
 * reported times are bounded by the claim taken at claimed_at. */
static void build_record(struct store *s, const struct so_decide_req *req,
                         const struct so_draft *dr, int64_t claimed_at,
                         struct so_decision *d)
{
    store_rules_record(s->reviewer, req, dr, claimed_at, so_now_ms(), d);
}

/* Whether req asks for what the stored decision d records: the action and
 * edited text it would record on draft rid (an edit that changes no word
 * is an approve), the reason and the note. */
static enum so_status same_content(struct store *s,
                                   const struct so_decide_req *req,
                                   const struct so_decision *d, int64_t rid,
                                   int *same, struct so_error *err)
{
    struct so_draft *dr = NULL;
    struct so_decision mine;
    enum so_status code = store_read_draft(s, rid, &dr, err);
    if (code != SO_OK)
        return code;
    build_record(s, req, dr, 0, &mine);
    *same = store_rules_same_decision(req, &mine, d);
    so_draft_free(dr);
    return SO_OK;
}

/* The four-eyes counts a decision's first reply gave: the live reviews of
 * its draft as of its seq, and the reviews the draft needs. */
static const char sql_reviews_at[] =
    "SELECT (SELECT reviews_needed FROM drafts WHERE id = :id),"
    " (SELECT count(*) FROM decisions x WHERE x.draft = :id"
    "  AND x.kind = 'review' AND x.action <> 'revert' AND x.seq <= :seq"
    "  AND NOT EXISTS (SELECT 1 FROM decisions r WHERE r.reverts_seq = x.seq"
    "  AND r.reverts_seq > 0 AND r.seq <= :seq))";

static enum so_status reviews_at(struct store *s, const struct so_decision *d,
                                 struct so_decide_result *res,
                                 struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_reviews_at, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":id", d->draft_id);
    store_db_bind_int(st, ":seq", d->seq);
    if (sqlite3_step(st) != SQLITE_ROW) {
        enum so_status code = store_db_fail(s, "read reviews", err);
        sqlite3_reset(st);
        return code;
    }
    res->reviews_needed = sqlite3_column_int(st, 0);
    res->reviews_done = sqlite3_column_int(st, 1);
    res->resolution = d->kind && strcmp(d->kind, "resolve") == 0;
    return store_db_done(s, st, err);
}

/*
 * A request_id seen before. It answers only to the reviewer who made it,
 * with the same content: then as the first time (a retry). Anyone else
 * gets a conflict that says nothing of the stored decision (request ids
 * are not secrets, and a blind review must stay blind); the same reviewer
 * with other content gets a conflict too, never the old result as if the
 * new request had been recorded.
 */
static enum so_status replay(struct store *s, const struct so_decide_req *req,
                             int64_t seq, struct so_decide_result *res,
                             struct so_error *err)
{
    struct so_decision d;
    struct store_claim_state cs;
    int same = 0;
    enum so_status code = store_read_decision(s, seq, &d, err);
    if (code != SO_OK)
        return code;
    code = store_rules_replay_owner(s->reviewer, req, &d, err);
    if (code == SO_OK)
        code = store_lease_state(s, d.draft_id, &cs, err);
    if (code == SO_OK)
        code = same_content(s, req, &d, cs.rid, &same, err);
    if (code == SO_OK && !same)
        code = so_fail(err, SO_ERR_CONFLICT,
                       "%s: request_id %s already used for a different "
                       "decision; make a new one",
                       req->draft_id, req->request_id);
    if (code == SO_OK) {
        store_rules_result(&d, so_dstatus_name(cs.status), 1, res);
        code = reviews_at(s, &d, res, err);
    }
    so_decision_clear(&d);
    return code;
}

static enum so_status mark_decided(struct store *s, const struct so_decision *d,
                                   int64_t rid, int inc, struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_mark, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":action", so_action_name(d->action));
    store_db_bind_int(st, ":at", d->decided_at);
    store_db_bind_int(st, ":inc", inc);
    store_db_bind_int(st, ":rid", rid);
    return store_db_run(s, st, err);
}

static enum so_status mark_step(struct store *s, int64_t rid,
                                const char *status, int inc,
                                struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_step, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":status", status);
    store_db_bind_int(st, ":inc", inc);
    store_db_bind_int(st, ":rid", rid);
    return store_db_run(s, st, err);
}

/* The live reviews of d's draft (d among them) when the rules need them
 * to settle d. */
static enum so_status votes_for(struct store *s, const struct so_decision *d,
                                const struct so_draft *dr,
                                struct store_review_info *info,
                                struct store_vote **v, size_t *n,
                                struct so_error *err)
{
    *v = NULL;
    *n = 0;
    info->reveal_after = 0;
    if (!store_rules_needs_votes(d, dr->reviews_needed))
        return SO_OK;
    enum so_status code = store_review_info(s, d->draft_id, info, err);
    return code == SO_OK ? store_review_votes(s, d->draft_id, v, n, err)
                         : code;
}

/*
 * Apply decision d to its draft as store_rules_settle says: the draft's
 * next step, the agreement pairs, the rollup (final outcomes and
 * escalations), the resolution count, the outcome feed and auto-pause.
 * was_escalated: d is a supervisor's decision on an escalated draft (not a
 * four-eyes resolution).
 */
static enum so_status settle(struct store *s, const struct so_decision *d,
                             const struct so_draft *dr, int64_t rid,
                             int was_escalated, int gold,
                             struct store_settle *o, struct so_error *err)
{
    struct store_review_info info;
    struct store_vote *v = NULL;
    size_t n = 0;
    enum so_status code = votes_for(s, d, dr, &info, &v, &n, err);
    if (code == SO_OK)
        store_rules_settle(d, dr->reviews_needed, was_escalated,
                           info.reveal_after, v, n, o);
    if (code == SO_OK && gold)
        store_rules_settle_gold(o);
    if (code == SO_OK && o->pairs)
        code = store_review_pairs(s, dr->workflow, d->decided_at, v, n, 1, err);
    store_rules_votes_free(v, n);
    if (code != SO_OK)
        return code;
    int decided = strcmp(o->status, "decided") == 0;
    code = decided ? mark_decided(s, d, rid, o->reviews_inc, err)
                   : mark_step(s, rid, o->status, o->reviews_inc, err);
    if (code == SO_OK && decided && o->feed &&
        outcome_is_final(d->action, o->status))
        code = store_outcomes_record(s, d, dr->workflow, err);
    struct store_rollup_entry e;
    store_rules_rollup_entry(d, dr, &e);
    if (code == SO_OK && o->rollup && decided)
        code = store_rollup_task(s, d->seq, dr, 0, &e, err);
    if (code == SO_OK && o->rollup)
        code = store_rollup_apply(s, &e, 1, err);
    if (code == SO_OK && o->resolution)
        code = store_review_resolution(s, dr->workflow, d->decided_at,
                                       d->action == SO_ACT_APPROVE, 1, err);
    int paused = 0;
    if (code == SO_OK && decided && o->rollup)
        code = store_rollup_autopause(s, dr->workflow, &paused, err);
    return code;
}

/* The decision itself, once the claim is known to be mine. */
static enum so_status record(struct store *s, const struct so_decide_req *req,
                             const struct store_claim_state *cs,
                             struct so_decide_result *res,
                             struct so_error *err)
{
    struct so_draft *dr = NULL;
    struct so_decision d;
    struct store_settle o;
    enum so_status code = store_read_draft(s, cs->rid, &dr, err);
    if (code == SO_OK && req->reason) /* the workflow's own codes */
        code = store_reasons_check(s, req->draft_id, dr->workflow,
                                   req->reason, err);
    if (code != SO_OK) {
        so_draft_free(dr);
        return code;
    }
    build_record(s, req, dr, cs->claimed_at, &d);
    int escalated = cs->status == SO_DS_ESCALATED;
    if (cs->status == SO_DS_RESOLVE || escalated)
        d.kind = "resolve";
    struct store_gold_key gk = {0};
    code = store_gold_of(s, d.draft_id, &gk, err);
    if (code == SO_OK)
        code = store_chain_append(s, &d, err);
    if (code == SO_OK)
        code = settle(s, &d, dr, cs->rid, escalated, gk.gold, &o, err);
    if (code == SO_OK && gk.gold)
        code = store_gold_answer(s, &d, dr->workflow, &gk, err);
    store_gold_key_clear(&gk);
    if (code == SO_OK) {
        store_rules_result(&d, o.status, 0, res);
        res->review_agreed = o.agreed;
        res->resolution = strcmp(d.kind, "resolve") == 0;
        res->reviews_needed = dr->reviews_needed;
        res->reviews_done = dr->reviews_done + !res->resolution;
    }
    so_draft_free(dr);
    return code;
}

static enum so_status decide_in_tx(struct store *s,
                                   const struct so_decide_req *req,
                                   struct so_decide_result *res,
                                   struct so_error *err)
{
    int64_t seq;
    enum so_status code = store_read_request(s, req->request_id, &seq, err);
    if (code != SO_OK)
        return code;
    if (seq > 0)
        return replay(s, req, seq, res, err);
    struct store_claim_state cs;
    code = store_lease_state(s, req->draft_id, &cs, err);
    if (code == SO_OK)
        code =
            store_lease_verdict(s, req->draft_id, &cs, req->lease_token, err);
    if (code == SO_OK) /* four-eyes, also for a claim that predates a rule */
        code = store_review_may_take(s, req->draft_id, err);
    if (code == SO_OK)
        code = store_rules_escalate_again(req->draft_id, cs.status,
                                          req->action, err);
    if (code == SO_OK)
        code = record(s, req, &cs, res, err);
    return code;
}

enum so_status store_decide(struct queue *q, const struct so_decide_req *req,
                            struct so_decide_result *res, struct so_error *err)
{
    struct store *s = q->impl;
    enum so_status code = store_rules_decide_req(req, err);
    if (code == SO_OK)
        code = store_db_begin(s, err);
    if (code != SO_OK)
        return code;
    code = decide_in_tx(s, req, res, err);
    if (code == SO_OK)
        return store_db_commit(s, err);
    store_db_rollback(s);
    return code;
}

static enum so_status one_int(struct store *s, sqlite3_stmt *st, int64_t *v,
                              struct so_error *err)
{
    int rc = sqlite3_step(st);
    *v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        enum so_status code = store_db_fail(s, "read", err);
        sqlite3_reset(st);
        return code;
    }
    return store_db_done(s, st, err);
}

static enum so_status draft_rid(struct store *s, const char *id, int64_t *rid,
                                struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_rid, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":id", id);
    enum so_status code = one_int(s, st, rid, err);
    if (code == SO_OK && *rid == 0)
        return so_fail(err, SO_ERR_NOTFOUND, "%s: no such draft", id);
    return code;
}

/* Whether orig was a supervisor's decision on an escalated draft. */
static enum so_status on_escalated(struct store *s,
                                   const struct so_decision *orig, int *yes,
                                   struct so_error *err)
{
    int64_t n = 0;
    *yes = 0;
    if (!store_rules_maybe_on_escalated(orig))
        return SO_OK;
    sqlite3_stmt *st = store_db_stmt(s, sql_escalated_before, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":id", orig->draft_id);
    store_db_bind_int(st, ":seq", orig->seq);
    enum so_status code = one_int(s, st, &n, err);
    *yes = n > 0;
    return code;
}

/* Back to the step orig was taken in, claimed by me again. */
static enum so_status reopen(struct store *s, int64_t rid,
                             const struct store_unsettle *u,
                             struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_reopen, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":status", u->status);
    store_db_bind_int(st, ":dec", u->reviews_dec);
    store_db_bind_int(st, ":rid", rid);
    enum so_status code = store_db_run(s, st, err);
    return code == SO_OK ? store_lease_take(s, rid, 0, err) : code;
}

/* Take back what settle wrote for orig, the latest live decision on dr
 * (store_rules_unsettle): the rollup if it made the draft final or
 * escalated it, and the resolution count. A review that completed a
 * four-eyes set (and wrote the agreement pairs) is never undone
 * (store_rules_undo). */
static enum so_status unsettle(struct store *s, const struct so_decision *orig,
                               const struct so_draft *dr,
                               const struct store_unsettle *u,
                               struct so_error *err)
{
    enum so_status code = SO_OK;
    if (u->rollup) {
        struct store_rollup_entry e;
        store_rules_rollup_entry(orig, dr, &e);
        if (orig->action != SO_ACT_ESCALATE)
            code = store_rollup_task(s, orig->seq, dr, 1, &e, err);
        if (code == SO_OK)
            code = store_rollup_apply(s, &e, -1, err);
    }
    if (code == SO_OK && u->resolution)
        code = store_review_resolution(s, dr->workflow, orig->decided_at,
                                       orig->action == SO_ACT_APPROVE, -1, err);
    return code;
}

/* Append the revert of orig, take its draft back, and fix the rollup. */
static enum so_status revert(struct store *s, const char *request_id,
                             const struct so_decision *orig, int64_t rid,
                             struct so_draft **out, struct so_error *err)
{
    struct so_draft *dr = NULL;
    enum so_status code = store_read_draft(s, rid, &dr, err);
    if (code != SO_OK)
        return code;
    struct so_decision rv;
    memset(&rv, 0, sizeof rv);
    rv.draft_id = orig->draft_id;
    rv.request_id = (char *)request_id;
    rv.reviewer = s->reviewer;
    rv.kind = orig->kind ? orig->kind : "review";
    rv.action = SO_ACT_REVERT;
    rv.reverts_seq = orig->seq;
    audit_sha256_hex(dr->body, strlen(dr->body), rv.body_sha);
    rv.decided_at = so_now_ms();
    int escalated = 0;
    struct store_unsettle u;
    code = store_outcomes_may_undo(s, orig, err);
    if (code == SO_OK)
        code = on_escalated(s, orig, &escalated, err);
    store_rules_unsettle(orig, dr->status, escalated, &u);
    struct store_gold_key gk = {0};
    if (code == SO_OK)
        code = store_gold_of(s, orig->draft_id, &gk, err);
    int gold = gk.gold;
    store_gold_key_clear(&gk);
    if (gold)
        store_rules_unsettle_gold(&u);
    if (code == SO_OK && gold) /* its score goes with it */
        code = store_gold_unanswer(s, orig->seq, err);
    if (code == SO_OK) /* while orig is still live */
        code = unsettle(s, orig, dr, &u, err);
    if (code == SO_OK)
        code = store_chain_append(s, &rv, err);
    if (code == SO_OK && gold)
        code = store_gold_undelivered(s, rv.seq, err);
    if (code == SO_OK)
        code = store_outcomes_reverted(s, orig->seq, rv.decided_at, err);
    so_draft_free(dr);
    if (code == SO_OK)
        code = reopen(s, rid, &u, err);
    if (code == SO_OK)
        code = store_read_draft(s, rid, out, err);
    return code;
}

/* The latest live decision on orig's draft (0: none). */
static enum so_status latest_on(struct store *s, const struct so_decision *orig,
                                int64_t *latest, struct so_error *err)
{
    *latest = 0;
    sqlite3_stmt *st = store_db_stmt(s, sql_latest_on, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":id", orig->draft_id);
    return one_int(s, st, latest, err);
}

/* The undo rule is store_rules_undo's; here is what it reads. */
static enum so_status check_undoable(struct store *s,
                                     const struct so_decision *orig,
                                     int64_t *rid, struct so_error *err)
{
    struct store_claim_state cs;
    struct store_review_info info;
    int64_t latest = 0;
    enum so_status code = latest_on(s, orig, &latest, err);
    if (code == SO_OK)
        code = store_lease_state(s, orig->draft_id, &cs, err);
    if (code == SO_OK)
        code = store_review_info(s, orig->draft_id, &info, err);
    if (code != SO_OK)
        return code;
    *rid = cs.rid;
    struct store_claim c = {info.status, cs.claimed_by, cs.lease_until,
                            cs.lease_token};
    return store_rules_undo(s->reviewer, orig, latest, &c, info.reviews_needed,
                            so_now_ms(), err);
}

static enum so_status undo_in_tx(struct store *s, const char *request_id,
                                 struct so_draft **out, struct so_error *err)
{
    int64_t seq, rid;
    struct so_decision orig;
    enum so_status code = store_read_request(s, request_id, &seq, err);
    if (code == SO_OK && seq > 0) { /* a retry of an undo that landed */
        code = store_read_decision(s, seq, &orig, err);
        if (code == SO_OK && (orig.action != SO_ACT_REVERT || !orig.reviewer ||
                              strcmp(orig.reviewer, s->reviewer) != 0))
            code = so_fail(err, SO_ERR_CONFLICT,
                           "undo: request_id %s already used", request_id);
        if (code == SO_OK)
            code = draft_rid(s, orig.draft_id, &rid, err);
        if (code == SO_OK)
            code = store_read_draft(s, rid, out, err);
        so_decision_clear(&orig);
        return code;
    }
    sqlite3_stmt *st =
        code == SO_OK ? store_db_stmt(s, sql_latest_mine, err) : NULL;
    if (!st)
        return err->code;
    store_db_bind_text(st, ":me", s->reviewer);
    code = one_int(s, st, &seq, err);
    if (code == SO_OK && seq == 0)
        return so_fail(err, SO_ERR_NOTFOUND, "nothing to undo");
    if (code == SO_OK)
        code = store_read_decision(s, seq, &orig, err);
    if (code != SO_OK)
        return code;
    code = check_undoable(s, &orig, &rid, err);
    if (code == SO_OK)
        code = revert(s, request_id, &orig, rid, out, err);
    so_decision_clear(&orig);
    return code;
}

enum so_status store_decide_undo(struct queue *q, const char *request_id,
                                 struct so_draft **out, struct so_error *err)
{
    struct store *s = q->impl;
    char fresh[37];
    *out = NULL;
    if (!request_id || !*request_id) {
        so_uuid(fresh);
        request_id = fresh;
    }
    if (store_rules_request_id("undo", NULL, request_id, err) != SO_OK)
        return err->code;
    enum so_status code = store_db_begin(s, err);
    if (code != SO_OK)
        return code;
    code = undo_in_tx(s, request_id, out, err);
    if (code == SO_OK)
        code = store_db_commit(s, err);
    else
        store_db_rollback(s);
    if (code != SO_OK) {
        so_draft_free(*out);
        *out = NULL;
    }
    return code;
}
