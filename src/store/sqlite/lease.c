/*
 * store_lease: claim, renew and release on the SQLite store. Every claim
 * runs in BEGIN IMMEDIATE (a deferred transaction that reads then writes
 * gets SQLITE_BUSY at once under contention) and is one UPDATE ... RETURNING
 * served by the partial index of claimable rows. A paused workflow's drafts
 * stay claimable: the kill switch stops automation, not human review. The
 * four-eyes rules (store_review.h) are part of the claimable condition.
 * Must not decide drafts.
 */
#include "signoff/store/sqlite/lease.h"

#include <stdio.h>
#include <string.h>

#include "signoff/store/rules.h"
#include "signoff/store/sqlite/read.h"
#include "signoff/store/sqlite/review.h"
#include "signoff/store/sqlite/rules.h"

/* A draft in the resolve step or escalated keeps its status while
 * claimed, so that the step is never lost with a lease. */
#define CLAIM_SET                                                              \
    "UPDATE drafts SET status = CASE WHEN status IN ('resolve', 'escalated')"  \
    " THEN status ELSE 'claimed' END, claimed_by = :me,"                       \
    " lease_until = :until, lease_token = lease_token + 1,"                    \
    " attempts = attempts + 1, claimed_at = :at"

/* Four-eyes: never a draft I have a live review on (cheap: most open rows
 * have reviews_done = 0); a resolve draft only for a supervisor (:sup) or
 * when its workflow lets a reviewer resolve; an escalated draft only for a
 * supervisor. */
#define CLAIMABLE                                                              \
    " status <> 'decided'"                                                     \
    " AND (status = 'pending' OR (status = 'claimed' AND lease_until < :now)"  \
    " OR (status = 'resolve' AND lease_until < :now AND"                       \
    STORE_REVIEW_MAY_RESOLVE ")"                                               \
    " OR (status = 'escalated' AND lease_until < :now AND :sup = 1))"          \
    " AND" STORE_REVIEW_NOT_MINE

static const char sql_claim_next[] = CLAIM_SET
    " WHERE rid = (SELECT rid FROM drafts INDEXED BY drafts_open"
    " WHERE" CLAIMABLE " ORDER BY priority DESC, created_at, rid LIMIT 1)"
    " RETURNING rid";

static const char sql_claim_next_wf[] =
    CLAIM_SET " WHERE rid = (SELECT rid FROM drafts INDEXED BY drafts_open_wf"
              " WHERE workflow = :wf AND" CLAIMABLE
              " ORDER BY priority DESC, created_at, rid LIMIT 1)"
              " RETURNING rid";

static const char sql_claim_rid[] = CLAIM_SET " WHERE rid = :rid";

static const char sql_state[] =
    "SELECT rid, status, claimed_by, lease_until, lease_token, claimed_at"
    " FROM drafts WHERE id = :id";

static const char sql_extend[] =
    "UPDATE drafts SET lease_until = :until WHERE rid = :rid";

/* A supervisor's reassignment: the token moves on so the holder's next
 * write fails its fencing check; a resolve or escalated step stays one. */
static const char sql_reassign[] =
    "UPDATE drafts SET status = CASE WHEN status IN ('resolve', 'escalated')"
    " THEN status WHEN :to IS NULL THEN 'pending' ELSE 'claimed' END,"
    " claimed_by = :to,"
    " lease_until = :until, lease_token = lease_token + 1 WHERE rid = :rid";

static const char sql_release[] =
    "UPDATE drafts SET status = CASE WHEN status IN ('resolve', 'escalated')"
    " THEN status ELSE 'pending' END, claimed_by = NULL, lease_until = 0"
    " WHERE rid = :rid";

static int64_t lease_len(int64_t lease_ms)
{
    return lease_ms > 0 ? lease_ms : SO_DEFAULT_LEASE_MS;
}

enum so_status store_lease_state(struct store *s, const char *id,
                                 struct store_claim_state *out,
                                 struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_state, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":id", id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(st);
        return so_fail(err, SO_ERR_NOTFOUND, "%s: no such draft", id);
    }
    if (rc != SQLITE_ROW) {
        enum so_status code = store_db_fail(s, "read draft", err);
        sqlite3_reset(st);
        return code;
    }
    char status[16];
    out->rid = sqlite3_column_int64(st, 0);
    store_db_col_buf(st, 1, status, sizeof status);
    out->status = (enum so_dstatus)so_dstatus_from_name(status);
    store_db_col_buf(st, 2, out->claimed_by, sizeof out->claimed_by);
    out->lease_until = sqlite3_column_int64(st, 3);
    out->lease_token = sqlite3_column_int64(st, 4);
    out->claimed_at = sqlite3_column_int64(st, 5);
    return store_db_done(s, st, err);
}

/* The claim state as the shared rules read it. */
static struct store_claim claim_of(const struct store_claim_state *cs)
{
    struct store_claim c = {cs->status, cs->claimed_by, cs->lease_until,
                            cs->lease_token};
    return c;
}

enum so_status store_lease_verdict(struct store *s, const char *id,
                                   const struct store_claim_state *cs,
                                   int64_t token, struct so_error *err)
{
    struct store_claim c = claim_of(cs);
    return store_rules_lease_verdict(s->reviewer, id, &c, token, so_now_ms(),
                                     err);
}

enum so_status store_lease_not_others(struct store *s, const char *id,
                                      const struct store_claim_state *cs,
                                      const char *what, struct so_error *err)
{
    struct store_claim c = claim_of(cs);
    return store_rules_not_others(s->reviewer, id, &c, what, so_now_ms(), err);
}

enum so_status store_lease_take(struct store *s, int64_t rid, int64_t lease_ms,
                                struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_claim_rid, err);
    if (!st)
        return err->code;
    int64_t now = so_now_ms();
    store_db_bind_text(st, ":me", s->reviewer);
    store_db_bind_int(st, ":until", now + lease_len(lease_ms));
    store_db_bind_int(st, ":at", now);
    store_db_bind_int(st, ":rid", rid);
    return store_db_run(s, st, err);
}

static enum so_status run_on_rid(struct store *s, const char *sql, int64_t rid,
                                 int64_t until, struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":rid", rid);
    store_db_bind_int(st, ":until", until);
    return store_db_run(s, st, err);
}

/* Claim exactly one draft: mine again (renewed, same token), free, or
 * expired; a live claim of someone else is refused. */
static enum so_status claim_one(struct store *s, const char *id,
                                int64_t lease_ms, int64_t *rid,
                                struct so_error *err)
{
    struct store_claim_state cs;
    enum so_status code = store_lease_state(s, id, &cs, err);
    if (code != SO_OK)
        return code;
    *rid = cs.rid;
    if (cs.status == SO_DS_DECIDED)
        return so_fail(err, SO_ERR_CONFLICT, "%s: already decided", id);
    int live = cs.status != SO_DS_PENDING && cs.claimed_by[0] &&
               cs.lease_until >= so_now_ms();
    int mine = strcmp(cs.claimed_by, s->reviewer) == 0;
    if (live && mine)
        return run_on_rid(s, sql_extend, cs.rid,
                          so_now_ms() + lease_len(lease_ms), err);
    code = store_review_may_take(s, id, err);
    if (code == SO_OK)
        code = store_lease_not_others(s, id, &cs, NULL, err);
    if (code != SO_OK)
        return code;
    return store_lease_take(s, cs.rid, lease_ms, err);
}

static enum so_status claim_next(struct store *s,
                                 const struct so_claim_req *req, int64_t *rid,
                                 struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(
        s, req->workflow ? sql_claim_next_wf : sql_claim_next, err);
    if (!st)
        return err->code;
    int64_t now = so_now_ms();
    store_db_bind_text(st, ":me", s->reviewer);
    store_db_bind_int(st, ":until", now + lease_len(req->lease_ms));
    store_db_bind_int(st, ":now", now);
    store_db_bind_int(st, ":at", now);
    store_db_bind_int(st, ":sup", s->supervisor);
    store_db_bind_text(st, ":wf", req->workflow);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *rid = sqlite3_column_int64(st, 0);
    else if (rc != SQLITE_DONE) {
        enum so_status code = store_db_fail(s, "claim", err);
        sqlite3_reset(st);
        return code;
    }
    enum so_status code = store_db_done(s, st, err);
    if (code == SO_OK && rc == SQLITE_DONE)
        return so_fail(err, SO_EMPTY, "nothing to claim");
    return code;
}

static enum so_status claim_in_tx(struct store *s,
                                  const struct so_claim_req *req,
                                  struct so_draft **out, struct so_error *err)
{
    int64_t rid = 0;
    enum so_status code = store_db_begin(s, err);
    if (code != SO_OK)
        return code;
    if (req->draft_id)
        code = claim_one(s, req->draft_id, req->lease_ms, &rid, err);
    else
        code = claim_next(s, req, &rid, err);
    if (code == SO_OK)
        code = store_read_draft(s, rid, out, err);
    if (code == SO_OK)
        code = store_db_commit(s, err);
    else
        store_db_rollback(s);
    if (code != SO_OK && *out) {
        so_draft_free(*out);
        *out = NULL;
    }
    return code;
}

/* Lease changes commit without fsync (store_db_durable): losing one in a
 * power cut only means the lease is gone, and the decision that follows
 * syncs it anyway. That halves the fsyncs of a claim + decide. */
enum so_status store_lease_claim(struct queue *q,
                                 const struct so_claim_req *req,
                                 struct so_draft **out, struct so_error *err)
{
    struct store *s = q->impl;
    *out = NULL;
    store_db_durable(s, 0);
    enum so_status code = claim_in_tx(s, req, out, err);
    store_db_durable(s, 1);
    return code;
}

/* Check my claim on draft_id in a write transaction, then run sql on it. */
static enum so_status on_my_claim(struct store *s, const char *draft_id,
                                  int64_t token, const char *sql, int64_t until,
                                  struct so_error *err)
{
    struct store_claim_state cs;
    store_db_durable(s, 0);
    enum so_status code = store_db_begin(s, err);
    if (code == SO_OK)
        code = store_lease_state(s, draft_id, &cs, err);
    if (code == SO_OK)
        code = store_lease_verdict(s, draft_id, &cs, token, err);
    if (code == SO_OK)
        code = run_on_rid(s, sql, cs.rid, until, err);
    if (code == SO_OK)
        code = store_db_commit(s, err);
    else
        store_db_rollback(s);
    store_db_durable(s, 1);
    return code;
}

enum so_status store_lease_renew(struct queue *q, const char *draft_id,
                                 int64_t lease_token, int64_t lease_ms,
                                 int64_t *lease_until, struct so_error *err)
{
    int64_t until = so_now_ms() + lease_len(lease_ms);
    enum so_status code =
        on_my_claim(q->impl, draft_id, lease_token, sql_extend, until, err);
    if (code == SO_OK && lease_until)
        *lease_until = until;
    return code;
}

static enum so_status reassign_check(struct store *s, const char *id,
                                     const struct store_claim_state *cs,
                                     const char *to, struct so_error *err)
{
    struct so_draft *d = NULL;
    enum so_status code = store_read_draft(s, cs->rid, &d, err);
    if (code == SO_OK)
        code = store_rules_reassign(id, s->supervisor, cs->status, to,
                                    d->reviews_needed, err);
    so_draft_free(d);
    return code;
}

enum so_status store_lease_reassign(struct queue *q, const char *draft_id,
                                    const char *to, int64_t lease_ms,
                                    struct so_error *err)
{
    struct store *s = q->impl;
    struct store_claim_state cs;
    store_db_durable(s, 0);
    enum so_status code = store_db_begin(s, err);
    if (code == SO_OK)
        code = store_lease_state(s, draft_id, &cs, err);
    if (code == SO_OK)
        code = reassign_check(s, draft_id, &cs, to, err);
    sqlite3_stmt *st = code == SO_OK ? store_db_stmt(s, sql_reassign, err)
                                     : NULL;
    if (code == SO_OK && !st)
        code = err->code;
    if (code == SO_OK) {
        store_db_bind_text(st, ":to", to);
        store_db_bind_int(st, ":until",
                          to ? so_now_ms() + lease_len(lease_ms) : 0);
        store_db_bind_int(st, ":rid", cs.rid);
        code = store_db_run(s, st, err);
    }
    if (code == SO_OK)
        code = store_db_commit(s, err);
    else
        store_db_rollback(s);
    store_db_durable(s, 1);
    return code;
}

enum so_status store_lease_release(struct queue *q, const char *draft_id,
                                   int64_t lease_token, struct so_error *err)
{
    return on_my_claim(q->impl, draft_id, lease_token, sql_release, 0, err);
}
