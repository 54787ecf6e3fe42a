/*
 * test_store_review: the four-eyes rules of the SQLite store through the
 * queue interface: one live review per reviewer per draft (claim next,
 * claim by id, decide), undo of my review and of the last review, blind
 * `decisions` for reviewers (reveal after and never), the resolve step and
 * who may take it, the rollup counting final outcomes only, and the
 * agreement cells and resolutions the agreement op returns; escalation as
 * open work for supervisors (the escalated status, the final decision,
 * undo on both sides, the rollup, the v10 -> v11 migration). The rollup
 * and agreement are read through the interface, so the same tests run on
 * PostgreSQL (tests/pg/unit_store_review.sh); the migration is a file's.
 */
#include "store_fixture.h"

#include "signoff/agreement.h"
#include "signoff/backends.h"

#define NOW 1795000000000LL

static struct queue *open_as(const char *path, const char *who,
                             const char *role)
{
    struct queue_opts o;
    memset(&o, 0, sizeof o);
    o.reviewer = who;
    o.role = role;
    struct queue *q = NULL;
    struct so_error err;
    if (queue_open(path, &o, &q, &err) != SO_OK)
        fail_msg("open %s: %s", path, err.msg);
    return q;
}

/* Queue file with workflow "refunds" at reviews = n and drafts R-1..R-k. */
static void setup_refunds(struct fx *f, int n, const char *reveal,
                          const char *resolver, int k)
{
    fx_now(NOW);
    struct queue *q = fx_open(f->path, "admin");
    struct so_workflow w;
    memset(&w, 0, sizeof w);
    w.name = "refunds";
    w.reviews = n;
    w.reveal = (char *)reveal;
    w.resolver = (char *)resolver;
    struct so_error err;
    assert_int_equal(q->ops->workflow_set(q, &w,
                                          SO_WF_REVIEWS | SO_WF_REVEAL |
                                              SO_WF_RESOLVER,
                                          &err),
                     SO_OK);
    for (int i = 1; i <= k; i++) {
        char id[16], body[32];
        snprintf(id, sizeof id, "R-%d", i);
        snprintf(body, sizeof body, "refund %d", i);
        fx_add(q, id, "refunds", body);
    }
    queue_close(q);
}

/* The rollup summed over every cell: approved, edited, rejected,
 * escalated. */
static void rollup_counts(struct queue *q, int64_t out[4])
{
    struct so_stats_req sr = {0, 0, NULL, 0};
    struct so_rollup r;
    struct so_error err;
    assert_int_equal(q->ops->rollup(q, &sr, &r, &err), SO_OK);
    memset(out, 0, 4 * sizeof *out);
    for (size_t i = 0; i < r.n; i++) {
        out[0] += r.rows[i].approved;
        out[1] += r.rows[i].edited;
        out[2] += r.rows[i].rejected;
        out[3] += r.rows[i].escalated;
    }
    so_rollup_free(&r);
}

static void check_counts(struct queue *q, int64_t a, int64_t e, int64_t r,
                         int64_t x)
{
    int64_t c[4];
    rollup_counts(q, c);
    assert_int_equal(c[0], a);
    assert_int_equal(c[1], e);
    assert_int_equal(c[2], r);
    assert_int_equal(c[3], x);
}

/* Rollup cells (reviewer NULL: all of them, else that reviewer's). */
static int64_t rollup_cells(struct queue *q, const char *reviewer)
{
    struct so_stats_req sr = {0, 0, NULL, 0};
    struct so_rollup r;
    struct so_error err;
    assert_int_equal(q->ops->rollup(q, &sr, &r, &err), SO_OK);
    int64_t n = 0;
    for (size_t i = 0; i < r.n; i++)
        n += !reviewer || strcmp(r.rows[i].reviewer, reviewer) == 0;
    so_rollup_free(&r);
    return n;
}

/* The agreement op summed: shared drafts counted in its cells, and the
 * resolutions that stand. */
static void agreement_sums(struct queue *q, int64_t *shared, int64_t *resolved)
{
    struct so_stats_req sr = {0};
    struct so_agreement ag;
    struct so_error err;
    assert_int_equal(q->ops->agreement(q, &sr, &ag, &err), SO_OK);
    *shared = *resolved = 0;
    for (size_t i = 0; i < ag.ncells; i++)
        *shared += ag.cells[i].n;
    for (size_t i = 0; i < ag.nresolves; i++)
        *resolved += ag.resolves[i].resolved;
    agreement_free(&ag);
}

/* Claim id and decide it; returns the decide status. */
static enum so_status review(struct queue *q, const char *id,
                             enum so_action a, struct so_decide_result *res,
                             struct so_error *err)
{
    struct so_claim_req req = {NULL, id, 0};
    struct so_draft *d = NULL;
    enum so_status st = q->ops->claim(q, &req, &d, err);
    so_draft_free(d);
    if (st != SO_OK)
        return st;
    char rq[37];
    so_uuid(rq);
    return fx_decide(q, id, a, a == SO_ACT_EDIT ? "changed text" : NULL, rq,
                     res, err);
}

static void test_one_review_each(void **state)
{
    fx_needs(FX_FOUREYES);
    fx_needs(FX_ROLLUP);
    struct fx *f = *state;
    setup_refunds(f, 2, "after", "supervisor", 1);
    struct queue *alice = open_as(f->path, "alice", NULL);
    struct queue *bob = open_as(f->path, "bob", NULL);
    struct so_decide_result res;
    struct so_error err;
    assert_int_equal(review(alice, "R-1", SO_ACT_APPROVE, &res, &err), SO_OK);
    assert_string_equal(res.draft_status, "pending");
    assert_int_equal(res.reviews_done, 1);
    assert_int_equal(res.review_agreed, -1);
    /* alice cannot claim it again: by id, nor as the next draft */
    struct so_claim_req next = {NULL, NULL, 0};
    struct so_draft *d = NULL;
    assert_int_equal(alice->ops->claim(alice, &next, &d, &err), SO_EMPTY);
    assert_int_equal(review(alice, "R-1", SO_ACT_APPROVE, &res, &err),
                     SO_ERR_CONFLICT);
    /* blind: bob sees no decision while the draft is under review */
    struct so_decision *v = NULL;
    size_t n = 9;
    assert_int_equal(bob->ops->decisions(bob, "R-1", &v, &n, &err), SO_OK);
    assert_int_equal(n, 0);
    free(v);
    assert_int_equal(review(bob, "R-1", SO_ACT_APPROVE, &res, &err), SO_OK);
    assert_string_equal(res.draft_status, "decided");
    assert_int_equal(res.review_agreed, 1);
    /* reveal after: now bob sees both */
    assert_int_equal(bob->ops->decisions(bob, "R-1", &v, &n, &err), SO_OK);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++)
        so_decision_clear(&v[i]);
    free(v);
    /* the rollup has the final outcome once, under bob */
    int64_t c[4];
    rollup_counts(alice, c);
    assert_int_equal(c[0], 1);
    assert_int_equal(rollup_cells(alice, "bob"), 1);
    queue_close(alice);
    queue_close(bob);
}

static void test_undo(void **state)
{
    fx_needs(FX_FOUREYES);
    fx_needs(FX_ROLLUP);
    fx_needs(FX_AGREEMENT);
    struct fx *f = *state;
    setup_refunds(f, 2, "never", "supervisor", 1);
    struct queue *alice = open_as(f->path, "alice", NULL);
    struct queue *bob = open_as(f->path, "bob", NULL);
    struct so_decide_result res;
    struct so_error err;
    struct so_draft *d = NULL;
    assert_int_equal(review(alice, "R-1", SO_ACT_REJECT, &res, &err), SO_OK);
    /* undo of my review: mine to review again, nothing counted */
    assert_int_equal(alice->ops->undo(alice, NULL, &d, &err), SO_OK);
    assert_int_equal(d->reviews_done, 0);
    assert_string_equal(d->claimed_by, "alice");
    so_draft_free(d);
    char rq[37];
    so_uuid(rq);
    assert_int_equal(fx_decide(alice, "R-1", SO_ACT_APPROVE, NULL, rq, &res,
                               &err),
                     SO_OK);
    assert_int_equal(review(bob, "R-1", SO_ACT_APPROVE, &res, &err), SO_OK);
    assert_int_equal(res.review_agreed, -1); /* reveal never */
    assert_string_equal(res.draft_status, "decided");
    int64_t shared, resolved;
    agreement_sums(alice, &shared, &resolved);
    assert_int_equal(shared, 1);
    /* alice's review is no longer the latest: her undo is refused */
    assert_int_equal(alice->ops->undo(alice, NULL, &d, &err),
                     SO_ERR_CONFLICT);
    /* bob's review completed them and made the draft final: it stands */
    assert_int_equal(bob->ops->undo(bob, NULL, &d, &err), SO_ERR_CONFLICT);
    assert_non_null(strstr(err.msg, "is final"));
    int64_t c[4];
    rollup_counts(bob, c);
    assert_int_equal(c[0], 1);
    /* reveal never: even when final, a reviewer sees only their own */
    struct so_decision *v = NULL;
    size_t n = 0;
    assert_int_equal(bob->ops->decisions(bob, "R-1", &v, &n, &err), SO_OK);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(v[i].reviewer, "bob");
        so_decision_clear(&v[i]);
    }
    free(v);
    assert_int_equal(n, 1);
    queue_close(alice);
    queue_close(bob);
}

static void test_resolve(void **state)
{
    fx_needs(FX_FOUREYES);
    fx_needs(FX_ROLLUP);
    fx_needs(FX_AGREEMENT);
    struct fx *f = *state;
    setup_refunds(f, 2, "after", "reviewer", 2);
    struct queue *alice = open_as(f->path, "alice", NULL);
    struct queue *bob = open_as(f->path, "bob", NULL);
    struct queue *carol = open_as(f->path, "carol", NULL);
    struct queue *sue = open_as(f->path, "sue", "supervisor");
    struct so_decide_result res;
    struct so_error err;
    assert_int_equal(review(alice, "R-1", SO_ACT_APPROVE, &res, &err), SO_OK);
    assert_int_equal(review(bob, "R-1", SO_ACT_EDIT, &res, &err), SO_OK);
    assert_string_equal(res.draft_status, "resolve");
    assert_int_equal(res.review_agreed, 0);
    assert_int_equal(rollup_cells(alice, NULL), 0);
    /* the supervisor sees both reviews before resolving */
    struct so_decision *v = NULL;
    size_t n = 0;
    assert_int_equal(sue->ops->decisions(sue, "R-1", &v, &n, &err), SO_OK);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++)
        so_decision_clear(&v[i]);
    free(v);
    /* resolver = reviewer: carol, who gave no review, claims it next */
    struct so_claim_req next = {NULL, NULL, 0};
    struct so_draft *d = NULL;
    assert_int_equal(carol->ops->claim(carol, &next, &d, &err), SO_OK);
    assert_string_equal(d->id, "R-1");
    assert_int_equal(d->status, SO_DS_RESOLVE);
    so_draft_free(d);
    assert_int_equal(carol->ops->decisions(carol, "R-1", &v, &n, &err), SO_OK);
    assert_int_equal(n, 2); /* the holder of the resolve claim sees all */
    for (size_t i = 0; i < n; i++)
        so_decision_clear(&v[i]);
    free(v);
    char rq[37];
    so_uuid(rq);
    assert_int_equal(fx_decide(carol, "R-1", SO_ACT_APPROVE, NULL, rq, &res,
                               &err),
                     SO_OK);
    assert_true(res.resolution);
    assert_string_equal(res.draft_status, "decided");
    assert_int_equal(fx_sql_int(f->path, "SELECT count(*) FROM decisions"
                                         " WHERE kind = 'resolve'"),
                     1);
    struct so_stats_req sr = {0};
    struct so_agreement ag;
    assert_int_equal(sue->ops->agreement(sue, &sr, &ag, &err), SO_OK);
    assert_int_equal(ag.ncells, 1);
    assert_string_equal(ag.cells[0].reviewer_a, "alice");
    assert_int_equal(ag.cells[0].cat_a, 0);
    assert_int_equal(ag.cells[0].cat_b, 1);
    assert_int_equal(ag.nresolves, 1);
    assert_int_equal(ag.resolves[0].sided_ai, 1);
    agreement_free(&ag);
    queue_close(alice);
    queue_close(bob);
    queue_close(carol);
    queue_close(sue);
}

static void test_resolve_supervisor_only(void **state)
{
    fx_needs(FX_FOUREYES);
    struct fx *f = *state;
    setup_refunds(f, 2, "after", "supervisor", 1);
    struct queue *alice = open_as(f->path, "alice", NULL);
    struct queue *bob = open_as(f->path, "bob", NULL);
    struct queue *carol = open_as(f->path, "carol", NULL);
    struct so_decide_result res;
    struct so_error err;
    assert_int_equal(review(alice, "R-1", SO_ACT_APPROVE, &res, &err), SO_OK);
    assert_int_equal(review(bob, "R-1", SO_ACT_REJECT, &res, &err), SO_OK);
    struct so_claim_req next = {NULL, NULL, 0};
    struct so_draft *d = NULL;
    assert_int_equal(carol->ops->claim(carol, &next, &d, &err), SO_EMPTY);
    assert_int_equal(review(carol, "R-1", SO_ACT_APPROVE, &res, &err),
                     SO_ERR_FORBIDDEN);
    queue_close(alice);
    queue_close(bob);
    queue_close(carol);
}

/* Issue 17, finding 3: alice rejects, bob approves, the draft goes to
 * resolve and the supervisor claims it; bob's undo must neither take the
 * supervisor's lease nor reopen the review, so the supervisor's decision
 * lands and is the final word. */
static void test_undo_after_resolve(void **state)
{
    fx_needs(FX_FOUREYES);
    struct fx *f = *state;
    setup_refunds(f, 2, "after", "supervisor", 1);
    struct queue *alice = open_as(f->path, "alice", NULL);
    struct queue *bob = open_as(f->path, "bob", NULL);
    struct queue *sue = open_as(f->path, "sue", "supervisor");
    struct so_decide_result res;
    struct so_error err;
    struct so_draft *d = NULL;
    assert_int_equal(review(alice, "R-1", SO_ACT_REJECT, &res, &err), SO_OK);
    assert_int_equal(review(bob, "R-1", SO_ACT_APPROVE, &res, &err), SO_OK);
    assert_string_equal(res.draft_status, "resolve");
    /* in resolve, before anyone claims it: the reviews stand */
    assert_int_equal(bob->ops->undo(bob, NULL, &d, &err), SO_ERR_CONFLICT);
    assert_non_null(strstr(err.msg, "the reviews are complete"));
    assert_null(d);
    struct so_claim_req req = {NULL, "R-1", 0};
    assert_int_equal(sue->ops->claim(sue, &req, &d, &err), SO_OK);
    so_draft_free(d);
    d = NULL;
    assert_int_equal(bob->ops->undo(bob, NULL, &d, &err), SO_ERR_LEASE);
    assert_non_null(strstr(err.msg, "claimed by sue"));
    assert_int_equal(fx_sql_int(f->path, "SELECT count(*) FROM decisions"
                                         " WHERE action = 'revert'"),
                     0);
    char rq[37];
    so_uuid(rq);
    assert_int_equal(fx_decide(sue, "R-1", SO_ACT_REJECT, NULL, rq, &res,
                               &err),
                     SO_OK);
    assert_true(res.resolution);
    assert_string_equal(res.draft_status, "decided");
    /* the resolver may take back her own resolution: back to resolve,
     * hers again */
    assert_int_equal(sue->ops->undo(sue, NULL, &d, &err), SO_OK);
    assert_int_equal(d->status, SO_DS_RESOLVE);
    assert_string_equal(d->claimed_by, "sue");
    so_draft_free(d);
    queue_close(alice);
    queue_close(bob);
    queue_close(sue);
}

/* Undo never takes a lease someone else holds: alice's first review, then
 * bob claims the draft for the second; alice's undo is refused until bob
 * lets go, and then it is hers again. */
static void test_undo_not_while_held(void **state)
{
    fx_needs(FX_FOUREYES);
    struct fx *f = *state;
    setup_refunds(f, 2, "after", "supervisor", 1);
    struct queue *alice = open_as(f->path, "alice", NULL);
    struct queue *bob = open_as(f->path, "bob", NULL);
    struct so_decide_result res;
    struct so_error err;
    struct so_draft *d = NULL;
    assert_int_equal(review(alice, "R-1", SO_ACT_APPROVE, &res, &err), SO_OK);
    struct so_claim_req req = {NULL, "R-1", 0};
    assert_int_equal(bob->ops->claim(bob, &req, &d, &err), SO_OK);
    int64_t token = d->lease_token;
    so_draft_free(d);
    d = NULL;
    assert_int_equal(alice->ops->undo(alice, NULL, &d, &err), SO_ERR_LEASE);
    assert_non_null(strstr(err.msg, "claimed by bob"));
    assert_int_equal(bob->ops->release(bob, "R-1", token, &err), SO_OK);
    assert_int_equal(alice->ops->undo(alice, NULL, &d, &err), SO_OK);
    assert_string_equal(d->claimed_by, "alice");
    so_draft_free(d);
    queue_close(alice);
    queue_close(bob);
}

static const char *status_of(struct queue *q, const char *id)
{
    static char buf[16];
    struct so_draft *d = NULL;
    struct so_error err;
    assert_int_equal(q->ops->get(q, id, &d, &err), SO_OK);
    snprintf(buf, sizeof buf, "%s", so_dstatus_name(d->status));
    so_draft_free(d);
    return buf;
}

/* An escalation is open work for supervisors, not an outcome: reviewers
 * cannot take it, a supervisor gives the final decision, the escalation is
 * counted apart and the final decision as the outcome. */
static void test_escalation(void **state)
{
    fx_needs(FX_ROLLUP);
    fx_needs(FX_AGREEMENT);
    struct fx *f = *state;
    setup_refunds(f, 1, "after", "supervisor", 2);
    struct queue *alice = open_as(f->path, "alice", NULL);
    struct queue *bob = open_as(f->path, "bob", NULL);
    struct queue *sue = open_as(f->path, "sue", "supervisor");
    struct so_decide_result res;
    struct so_error err;
    assert_int_equal(review(alice, "R-1", SO_ACT_ESCALATE, &res, &err), SO_OK);
    assert_string_equal(res.draft_status, "escalated");
    assert_string_equal(status_of(alice, "R-1"), "escalated");
    check_counts(alice, 0, 0, 0, 1);

    /* Reviewers: not claimable, not decidable. */
    struct so_claim_req next = {NULL, NULL, 0};
    struct so_draft *d = NULL;
    assert_int_equal(bob->ops->claim(bob, &next, &d, &err), SO_OK);
    assert_string_equal(d->id, "R-2");
    so_draft_free(d);
    assert_int_equal(review(bob, "R-1", SO_ACT_APPROVE, &res, &err),
                     SO_ERR_FORBIDDEN);
    assert_non_null(strstr(err.msg, "escalated; a supervisor decides it"));

    /* The supervisor's inbox. */
    struct so_list_req lr = {.conf_below = -1, .conf_atleast = -1,
                             .escalated_only = 1, .status = "open"};
    struct so_draft_page page;
    assert_int_equal(sue->ops->list(sue, &lr, &page, &err), SO_OK);
    assert_int_equal(page.n, 1);
    assert_string_equal(page.rows[0].id, "R-1");
    assert_int_equal(page.rows[0].status, SO_DS_ESCALATED);
    assert_int_equal(page.rows[0].flags & SO_ROW_ESCALATED, SO_ROW_ESCALATED);
    so_draft_page_free(&page);

    /* Escalating again is refused; the next claim is the escalated one. */
    assert_int_equal(sue->ops->claim(sue, &next, &d, &err), SO_OK);
    assert_string_equal(d->id, "R-1");
    assert_int_equal(d->status, SO_DS_ESCALATED);
    so_draft_free(d);
    assert_int_equal(
        fx_decide(sue, "R-1", SO_ACT_ESCALATE, NULL, "x2", &res, &err),
        SO_ERR_CONFLICT);
    assert_non_null(strstr(err.msg, "already escalated"));
    assert_int_equal(fx_decide(sue, "R-1", SO_ACT_REJECT, NULL, "s1", &res,
                               &err),
                     SO_OK);
    assert_string_equal(res.draft_status, "decided");
    assert_int_equal(res.resolution, 1);
    assert_int_equal(fx_sql_int(f->path, "SELECT count(*) FROM drafts WHERE"
                                         " id = 'R-1' AND status = 'decided'"
                                         " AND final_action = 'reject'"),
                     1);
    assert_int_equal(fx_sql_int(f->path, "SELECT count(*) FROM decisions"
                                         " WHERE request_id = 's1' AND"
                                         " kind = 'resolve'"),
                     1);
    check_counts(sue, 0, 0, 1, 1);
    /* Not a four-eyes resolution. */
    int64_t shared, resolved;
    agreement_sums(sue, &shared, &resolved);
    assert_int_equal(resolved, 0);

    /* Undo of the final decision: escalated again, held by sue. */
    assert_int_equal(sue->ops->undo(sue, "u1", &d, &err), SO_OK);
    assert_int_equal(d->status, SO_DS_ESCALATED);
    assert_string_equal(d->claimed_by, "sue");
    so_draft_free(d);
    check_counts(sue, 0, 0, 0, 1);
    assert_int_equal(sue->ops->release(sue, "R-1", 0, &err), SO_OK);
    assert_string_equal(status_of(sue, "R-1"), "escalated");

    /* Undo of the escalation: the reviewer holds it again, uncounted. */
    assert_int_equal(alice->ops->undo(alice, "u2", &d, &err), SO_OK);
    assert_int_equal(d->status, SO_DS_CLAIMED);
    assert_string_equal(d->claimed_by, "alice");
    so_draft_free(d);
    check_counts(alice, 0, 0, 0, 0);
    queue_close(alice);
    queue_close(bob);
    queue_close(sue);
}

/* A v10 file: a draft decided with the outcome escalate becomes open
 * supervisor work; its escalation stays counted. */
static void test_escalation_migration(void **state)
{
    struct fx *f = *state;
    setup_refunds(f, 1, "after", "supervisor", 1);
    fx_sql_exec(f->path,
                "BEGIN;" FX_AS_V14 " DROP TRIGGER deliveries_ins;"
                " DROP TABLE delivery_attempts; DROP TABLE deliveries;"
                " DROP TABLE hooks; PRAGMA writable_schema = ON;"
                " UPDATE sqlite_schema SET sql = replace(sql,"
                " ' OR status = ''escalated''', '') WHERE name = 'drafts';"
                " PRAGMA writable_schema = RESET;"
                " UPDATE drafts SET status = 'decided', final_action ="
                " 'escalate', decided_at = 1 WHERE id = 'R-1';"
                " DROP TABLE reasons; DROP TABLE tokens;"
                " PRAGMA user_version = 10; COMMIT;");
    assert_int_equal(fx_sql_int(f->path, "SELECT count(*) FROM sqlite_schema"
                                         " WHERE sql LIKE '%''escalated''%'"),
                     0);
    struct queue *sue = open_as(f->path, "sue", "supervisor");
    assert_string_equal(status_of(sue, "R-1"), "escalated");
    assert_int_equal(fx_sql_int(f->path, "PRAGMA user_version"),
                     STORE_SCHEMA_VERSION);
    assert_int_equal(fx_sql_int(f->path, "SELECT count(*) FROM drafts WHERE"
                                         " final_action IS NULL AND"
                                         " decided_at IS NULL"),
                     1);
    queue_close(sue);
}

int main(void)
{
    const struct CMUnitTest file_tests[] = {
        cmocka_unit_test_setup_teardown(test_escalation_migration, fx_setup,
                                        fx_teardown),
    };
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_one_review_each, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_undo, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_resolve, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_resolve_supervisor_only,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_undo_after_resolve, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_undo_not_while_held, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_escalation, fx_setup,
                                        fx_teardown),
    };
    if (fx_pg())
        return cmocka_run_group_tests_name("four-eyes on PostgreSQL", tests,
                                           NULL, NULL);
    return cmocka_run_group_tests_name("four-eyes file", file_tests, NULL,
                                       NULL) |
           cmocka_run_group_tests_name("four-eyes", tests, NULL, NULL);
}
