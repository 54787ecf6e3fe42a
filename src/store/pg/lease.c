/*
 * store_pg_lease: claims on the PostgreSQL store (see lease.h). The next
 * claim is one statement: a MATERIALIZED CTE picks the first claimable row
 * in claim order with FOR UPDATE SKIP LOCKED (two servers never wait on
 * each other's pick), and the UPDATE takes it; an expired lease matches
 * the same condition, so no reaper runs. Separate prepared statements for
 * "any workflow" and "this workflow" keep each plan on its partial index.
 * Whose claim a write may go through is store_rules' to say.
 */
#include "signoff/store/pg/lease.h"

#include <string.h>

#include "signoff/store/pg/drafts.h"
#include "signoff/store/pg/review.h"
#include "signoff/store/rules.h"

/* A draft in the resolve step or escalated keeps its status while
 * claimed, so that the step is never lost with a lease. */
#define CLAIM_SET                                                              \
    "UPDATE drafts d SET status = CASE WHEN d.status IN ('resolve',"           \
    " 'escalated') THEN d.status ELSE 'claimed' END, claimed_by = $1,"         \
    " lease_until = " PG_NOW_MS " + $2, lease_token = lease_token + 1,"        \
    " attempts = attempts + 1, claimed_at = " PG_NOW_MS

/* $4: 1 for a supervisor. The four-eyes rules (store_rules_may_take) as a
 * condition: never a draft I gave a live review of (cheap: most open rows
 * have reviews_done = 0); a resolve step only for a supervisor or when its
 * workflow lets a reviewer resolve; an escalated draft only for a
 * supervisor. */
#define CLAIMABLE                                                              \
    " (status = 'pending' OR (status = 'claimed' AND lease_until < "           \
    PG_NOW_MS ") OR (status = 'resolve' AND lease_until < " PG_NOW_MS          \
    " AND ($4::int = 1 OR (SELECT resolver FROM workflows w"                   \
    " WHERE w.name = drafts.workflow) = 'reviewer'))"                          \
    " OR (status = 'escalated' AND $4::int = 1 AND lease_until < "             \
    PG_NOW_MS "))"                                                             \
    " AND (reviews_done = 0 OR NOT EXISTS (SELECT 1 FROM decisions x"          \
    " WHERE x.draft = drafts.id AND x.reviewer = $1 AND x.action <> 'revert'"  \
    " AND NOT EXISTS (SELECT 1 FROM decisions r WHERE r.reverts_seq = x.seq"   \
    " AND r.reverts_seq > 0)))"

static const char sql_claim_next[] =
    "WITH c AS MATERIALIZED (SELECT rid FROM drafts WHERE status IN"
    " ('pending', 'claimed', 'resolve', 'escalated') AND" CLAIMABLE
    " AND $3::text IS NULL ORDER BY priority DESC, created_at, rid LIMIT 1"
    " FOR UPDATE SKIP LOCKED) " CLAIM_SET " FROM c WHERE d.rid = c.rid"
    " RETURNING d.rid";

static const char sql_claim_next_wf[] =
    "WITH c AS MATERIALIZED (SELECT rid FROM drafts WHERE workflow = $3 AND"
    " status IN ('pending', 'claimed', 'resolve', 'escalated') AND" CLAIMABLE
    " ORDER BY priority DESC, created_at, rid LIMIT 1"
    " FOR UPDATE SKIP LOCKED) " CLAIM_SET " FROM c WHERE d.rid = c.rid"
    " RETURNING d.rid";

static const char sql_take[] = CLAIM_SET " WHERE rid = $3";

/* Back to the queue; an escalated draft stays escalated. */

static const char sql_lock[] =
    "SELECT rid, status, claimed_by, lease_until, lease_token, claimed_at, "
    PG_NOW_MS ", reviews_needed FROM drafts WHERE id = $1 FOR UPDATE";

static const char sql_extend[] =
    "UPDATE drafts SET lease_until = " PG_NOW_MS " + $2 WHERE rid = $1"
    " RETURNING lease_until";

static const char sql_release[] =
    "UPDATE drafts SET status = CASE WHEN status IN ('resolve', 'escalated')"
    " THEN status ELSE 'pending' END, claimed_by = NULL,"
    " lease_until = 0 WHERE rid = $1 AND $2::bigint IS NOT NULL"
    " RETURNING lease_until";

/* A supervisor's reassignment: the token moves on so the holder's next
 * write fails its fencing check; a resolve or escalated step stays one. */
static const char sql_reassign[] =
    "UPDATE drafts SET status = CASE WHEN status IN ('resolve', 'escalated')"
    " THEN status WHEN $2::text IS NULL THEN 'pending' ELSE 'claimed' END,"
    " claimed_by = $2, lease_until = CASE WHEN $2::text IS NULL THEN 0"
    " ELSE " PG_NOW_MS " + $3 END, lease_token = lease_token + 1"
    " WHERE rid = $1";

/* Lease changes need not wait for the WAL flush (see pg_claim). */
static const char SYNC_OFF[] = "SET LOCAL synchronous_commit = off";

static int64_t lease_len(int64_t lease_ms)
{
    return lease_ms > 0 ? lease_ms : SO_DEFAULT_LEASE_MS;
}

enum so_status pg_lease_lock(struct pgq *p, const char *id,
                             struct pg_claim *out, struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    pg_arg_text(&a, id);
    enum so_status code = pg_run(p, sql_lock, &a, &r, err);
    if (code != SO_OK)
        return code;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return so_fail(err, SO_ERR_NOTFOUND, "%s: no such draft", id);
    }
    out->rid = pg_int(r, 0, 0);
    out->status = (enum so_dstatus)so_dstatus_from_name(PQgetvalue(r, 0, 1));
    pg_buf(r, 0, 2, out->claimed_by, sizeof out->claimed_by);
    out->lease_until = pg_int(r, 0, 3);
    out->lease_token = pg_int(r, 0, 4);
    out->claimed_at = pg_int(r, 0, 5);
    out->now = pg_int(r, 0, 6);
    out->reviews_needed = (int)pg_int(r, 0, 7);
    PQclear(r);
    return SO_OK;
}

static struct store_claim claim_of(const struct pg_claim *c)
{
    struct store_claim s = {c->status, c->claimed_by, c->lease_until,
                            c->lease_token};
    return s;
}

struct claim_ctx {
    const struct so_claim_req *req;
    struct so_draft *out;
};

/* Run sql (sql_extend or sql_release) on rid with the lease length. */
static enum so_status on_rid(struct pgq *p, const char *sql, int64_t rid,
                             int64_t len, int64_t *until, struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    pg_arg_int(&a, rid);
    pg_arg_int(&a, len);
    enum so_status code = pg_run(p, sql, &a, &r, err);
    if (code != SO_OK)
        return code;
    if (until)
        *until = pg_int(r, 0, 0);
    PQclear(r);
    return SO_OK;
}

/* Claim exactly one draft: mine again (renewed, same token), free or
 * expired; a live claim of someone else is refused. */
static enum so_status claim_one(struct pgq *p, const struct so_claim_req *req,
                                int64_t *rid, struct so_error *err)
{
    struct pg_claim c;
    enum so_status code = pg_lease_lock(p, req->draft_id, &c, err);
    if (code != SO_OK)
        return code;
    *rid = c.rid;
    if (c.status == SO_DS_DECIDED)
        return so_fail(err, SO_ERR_CONFLICT, "%s: already decided",
                       req->draft_id);
    int live = c.status != SO_DS_PENDING && c.claimed_by[0] &&
               c.lease_until >= c.now;
    if (live && strcmp(c.claimed_by, p->reviewer) == 0)
        return on_rid(p, sql_extend, c.rid, lease_len(req->lease_ms), NULL,
                      err);
    struct store_review_state st;
    char by[SO_MAX_ID + 1];
    code = pg_review_state(p, req->draft_id, &st, by, err);
    if (code == SO_OK)
        code = store_rules_may_take(req->draft_id, &st, p->supervisor, err);
    if (code != SO_OK)
        return code;
    struct store_claim sc = claim_of(&c);
    code = store_rules_not_others(p->reviewer, req->draft_id, &sc, NULL, c.now,
                                  err);
    if (code != SO_OK)
        return code;
    return pg_lease_take(p, c.rid, req->lease_ms, err);
}

enum so_status pg_lease_take(struct pgq *p, int64_t rid, int64_t lease_ms,
                             struct so_error *err)
{
    struct pg_args a = {0};
    pg_arg_text(&a, p->reviewer);
    pg_arg_int(&a, lease_len(lease_ms));
    pg_arg_int(&a, rid);
    return pg_run(p, sql_take, &a, NULL, err);
}

static enum so_status claim_next(struct pgq *p, const struct so_claim_req *req,
                                 int64_t *rid, struct so_error *err)
{
    struct pg_args a = {0};
    PGresult *r;
    pg_arg_text(&a, p->reviewer);
    pg_arg_int(&a, lease_len(req->lease_ms));
    pg_arg_text(&a, req->workflow);
    pg_arg_int(&a, p->supervisor);
    enum so_status code = pg_run(
        p, req->workflow ? sql_claim_next_wf : sql_claim_next, &a, &r, err);
    if (code != SO_OK)
        return code;
    *rid = PQntuples(r) ? pg_int(r, 0, 0) : 0;
    PQclear(r);
    return *rid ? SO_OK : so_fail(err, SO_EMPTY, "nothing to claim");
}

static enum so_status claim_tx(struct pgq *p, void *ctx, struct so_error *err)
{
    struct claim_ctx *c = ctx;
    int64_t rid = 0;
    so_draft_free(c->out);
    c->out = NULL;
    enum so_status code = pg_cmd(p, SYNC_OFF, err);
    if (code != SO_OK)
        return code;
    code = c->req->draft_id ? claim_one(p, c->req, &rid, err)
                                           : claim_next(p, c->req, &rid, err);
    if (code == SO_OK)
        code = pg_read_draft(p, rid, &c->out, err);
    return code;
}

/* Claims commit with synchronous_commit off: losing one in a crash only
 * loses the lease; the decision that follows re-checks the token under the
 * row lock and commits durably. */
enum so_status pg_claim(struct queue *q, const struct so_claim_req *req,
                        struct so_draft **out, struct so_error *err)
{
    struct claim_ctx c = {req, NULL};
    enum so_status code = pg_tx(q->impl, claim_tx, &c, err);
    if (code != SO_OK) {
        so_draft_free(c.out);
        c.out = NULL;
    }
    *out = c.out;
    return code;
}

struct mine_ctx {
    const char *id;
    int64_t token, len, until;
    const char *sql;
};

static enum so_status mine_tx(struct pgq *p, void *ctx, struct so_error *err)
{
    struct mine_ctx *m = ctx;
    struct pg_claim c;
    enum so_status code = pg_cmd(p, SYNC_OFF, err);
    if (code == SO_OK)
        code = pg_lease_lock(p, m->id, &c, err);
    if (code != SO_OK)
        return code;
    struct store_claim sc = claim_of(&c);
    code = store_rules_lease_verdict(p->reviewer, m->id, &sc, m->token, c.now,
                                     err);
    if (code == SO_OK)
        code = on_rid(p, m->sql, c.rid, m->len, &m->until, err);
    return code;
}

enum so_status pg_renew(struct queue *q, const char *draft_id,
                        int64_t lease_token, int64_t lease_ms,
                        int64_t *lease_until, struct so_error *err)
{
    struct mine_ctx m = {draft_id, lease_token, lease_len(lease_ms), 0,
                         sql_extend};
    enum so_status code = pg_tx(q->impl, mine_tx, &m, err);
    if (code == SO_OK && lease_until)
        *lease_until = m.until;
    return code;
}

enum so_status pg_release(struct queue *q, const char *draft_id,
                          int64_t lease_token, struct so_error *err)
{
    struct mine_ctx m = {draft_id, lease_token, 0, 0, sql_release};
    return pg_tx(q->impl, mine_tx, &m, err);
}

struct reassign_ctx {
    const char *id, *to;
    int64_t lease_ms;
};

static enum so_status reassign_tx(struct pgq *p, void *ctx,
                                  struct so_error *err)
{
    const struct reassign_ctx *x = ctx;
    struct pg_claim c;
    enum so_status code = pg_cmd(p, SYNC_OFF, err);
    if (code == SO_OK)
        code = pg_lease_lock(p, x->id, &c, err);
    if (code == SO_OK)
        code = store_rules_reassign(x->id, p->supervisor, c.status, x->to,
                                    c.reviews_needed, err);
    if (code != SO_OK)
        return code;
    struct pg_args a = {0};
    pg_arg_int(&a, c.rid);
    pg_arg_text(&a, x->to);
    pg_arg_int(&a, lease_len(x->lease_ms));
    return pg_run(p, sql_reassign, &a, NULL, err);
}

enum so_status pg_reassign(struct queue *q, const char *draft_id,
                           const char *to, int64_t lease_ms,
                           struct so_error *err)
{
    struct reassign_ctx x = {draft_id, to, lease_ms};
    return pg_tx(q->impl, reassign_tx, &x, err);
}
