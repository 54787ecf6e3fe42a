/* test_session: the reviewer's session over a fake queue: claiming, lease
 * renewal between keys, idempotent retry of a failed decision, skip, undo
 * and the filter-driven choice of the next draft. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "signoff/ui/session.h"

/* What the fake queue saw and will answer. */
struct fake {
    int claims, renews, releases, decides, undos, lists, workflow_gets;
    int fail_decides;      /* the next N decides fail with SO_ERR_BUSY */
    int64_t lease_ms;      /* lease given by claim */
    char request_ids[4][37];
    char last_claim_id[32];
    int next;              /* drafts F-1, F-2 ... handed out */
};

static struct fake fk;

static struct so_draft *make_draft(const char *id)
{
    struct so_draft *d = so_draft_new();
    d->id = xstrdup(id);
    d->workflow = xstrdup("w");
    d->body = xstrdup("body");
    d->lease_until = so_now_ms() + fk.lease_ms;
    d->lease_token = 7;
    return d;
}

static enum so_status f_claim(struct queue *q, const struct so_claim_req *r,
                              struct so_draft **out, struct so_error *err)
{
    (void)q;
    (void)err;
    fk.claims++;
    char id[32];
    if (r->draft_id)
        snprintf(id, sizeof id, "%s", r->draft_id);
    else
        snprintf(id, sizeof id, "F-%d", ++fk.next);
    snprintf(fk.last_claim_id, sizeof fk.last_claim_id, "%s", id);
    *out = make_draft(id);
    return SO_OK;
}

static enum so_status f_renew(struct queue *q, const char *id, int64_t tok,
                              int64_t ms, int64_t *until, struct so_error *e)
{
    (void)q;
    (void)id;
    (void)ms;
    (void)e;
    assert_int_equal(tok, 7);
    fk.renews++;
    *until = so_now_ms() + SO_DEFAULT_LEASE_MS;
    return SO_OK;
}

static enum so_status f_release(struct queue *q, const char *id, int64_t tok,
                                struct so_error *err)
{
    (void)q;
    (void)id;
    (void)tok;
    (void)err;
    fk.releases++;
    return SO_OK;
}

static enum so_status f_decide(struct queue *q, const struct so_decide_req *r,
                               struct so_decide_result *res,
                               struct so_error *err)
{
    (void)q;
    assert_int_equal(r->lease_token, 7);
    assert_true(r->shown_at > 0);
    if (fk.decides < 4)
        memcpy(fk.request_ids[fk.decides], r->request_id, 37);
    fk.decides++;
    if (fk.fail_decides > 0) {
        fk.fail_decides--;
        return so_fail(err, SO_ERR_BUSY, "database is busy");
    }
    res->action = r->action;
    res->seq = fk.decides;
    return SO_OK;
}

static enum so_status f_undo(struct queue *q, const char *rid,
                             struct so_draft **out, struct so_error *err)
{
    (void)q;
    (void)rid;
    (void)err;
    fk.undos++;
    *out = make_draft("F-1");
    return SO_OK;
}

/* Rows I can act on: F-10 (skipped below) and F-11. */
static enum so_status f_list(struct queue *q, const struct so_list_req *r,
                             struct so_draft_page *out, struct so_error *err)
{
    (void)q;
    (void)err;
    fk.lists++;
    assert_string_equal(r->status, "open");
    assert_int_equal(r->mine, 1);
    assert_string_equal(r->text, "refund");
    out->n = 2;
    out->rows = xcalloc(2, sizeof *out->rows);
    out->rows[0].id = xstrdup("F-10");
    out->rows[1].id = xstrdup("F-11");
    out->next_cursor = NULL;
    return SO_OK;
}

/* Workflow w: two reason codes (what the reject menu lists). */
static enum so_status f_workflow_get(struct queue *q, const char *name,
                                     struct so_workflow *out,
                                     struct so_error *err)
{
    (void)q;
    (void)err;
    fk.workflow_gets++;
    memset(out, 0, sizeof *out);
    out->name = xstrdup(name);
    out->min_seen_ms = 0;
    out->confirm_flagged = 1;
    out->reasons = xcalloc(2, sizeof *out->reasons);
    out->reasons[0].code = xstrdup("tone");
    out->reasons[0].label = xstrdup("Tone");
    out->reasons[1].code = xstrdup("factual");
    out->reasons[1].label = xstrdup("Factual error");
    out->nreasons = 2;
    return SO_OK;
}

static const struct queue_ops fake_ops = {
    .name = "fake",
    .claim = f_claim,
    .renew = f_renew,
    .release = f_release,
    .decide = f_decide,
    .undo = f_undo,
    .list = f_list,
    .workflow_get = f_workflow_get,
};

static int setup(void **state)
{
    (void)state;
    memset(&fk, 0, sizeof fk);
    fk.lease_ms = SO_DEFAULT_LEASE_MS;
    return 0;
}

static void test_claim_decide_retry(void **state)
{
    (void)state;
    struct queue q = {.ops = &fake_ops};
    struct ui_session s;
    struct filter f;
    struct so_error err;
    struct so_decide_result res;
    ui_session_init(&s, &q);
    filter_parse(NULL, &f, &err);
    assert_int_equal(ui_session_claim(&s, &f, NULL, &err), SO_OK);
    assert_string_equal(s.draft->id, "F-1");
    assert_true(ui_session_lease_left(&s) > 0);
    /* The workflow's guard and reasons are read as its first draft opens
     * (the reject menu's list if the server goes), once per workflow. */
    assert_int_equal(fk.workflow_gets, 1);
    struct ui_guard g = ui_session_guard(&s);
    assert_int_equal(g.nreasons, 2);
    assert_string_equal(g.reasons[1].code, "factual");
    assert_string_equal(g.reasons[1].label, "Factual error");
    /* Never drawn: no decision, nothing sent. */
    assert_int_equal(ui_session_seen_ms(&s), -1);
    assert_int_equal(ui_session_decide(&s, SO_ACT_APPROVE, NULL, NULL, NULL,
                                       NULL, &res, &err),
                     SO_ERR_USAGE);
    assert_int_equal(fk.decides, 0);
    assert_int_equal(ui_session_shown(&s), 1); /* the first draw */
    assert_int_equal(ui_session_shown(&s), 0);
    assert_true(ui_session_seen_ms(&s) >= 0);
    fk.fail_decides = 1;
    assert_int_equal(ui_session_decide(&s, SO_ACT_REJECT, "tone", "n", NULL,
                                       NULL, &res, &err),
                     SO_ERR_BUSY);
    assert_non_null(s.draft); /* kept for the retry */
    assert_int_equal(ui_session_decide(&s, SO_ACT_REJECT, "tone", "n", NULL,
                                       NULL, &res, &err),
                     SO_OK);
    assert_null(s.draft);
    /* The retry reused the request id: the queue can dedupe it. */
    assert_string_equal(fk.request_ids[0], fk.request_ids[1]);
    assert_int_equal(res.action, SO_ACT_REJECT);
    /* A different decision after a failure gets a new id. */
    assert_int_equal(ui_session_claim(&s, &f, NULL, &err), SO_OK);
    assert_int_equal(fk.workflow_gets, 1); /* w's guard kept */
    ui_session_shown(&s);
    fk.fail_decides = 1;
    ui_session_decide(&s, SO_ACT_APPROVE, NULL, NULL, NULL, NULL, &res,
                      &err);
    assert_int_equal(ui_session_decide(&s, SO_ACT_ESCALATE, NULL, NULL, NULL,
                                       NULL, &res, &err),
                     SO_OK);
    assert_string_not_equal(fk.request_ids[2], fk.request_ids[3]);
    ui_session_fini(&s);
    filter_clear(&f);
}

static void test_renewal(void **state)
{
    (void)state;
    struct queue q = {.ops = &fake_ops};
    struct ui_session s;
    struct filter f;
    struct so_error err;
    ui_session_init(&s, &q);
    filter_parse(NULL, &f, &err);
    fk.lease_ms = 5000; /* well under UI_SESSION_RENEW_MS */
    assert_int_equal(ui_session_claim(&s, &f, NULL, &err), SO_OK);
    assert_int_equal(ui_session_tick(&s, &err), SO_OK);
    assert_int_equal(fk.renews, 1);
    assert_true(ui_session_lease_left(&s) > UI_SESSION_RENEW_MS);
    /* Not due again right away. */
    assert_int_equal(ui_session_tick(&s, &err), SO_OK);
    assert_int_equal(fk.renews, 1);
    ui_session_fini(&s);
    assert_int_equal(fk.releases, 1); /* quitting releases the claim */
    filter_clear(&f);
}

static void test_skip_undo_and_filter(void **state)
{
    (void)state;
    struct queue q = {.ops = &fake_ops};
    struct ui_session s;
    struct filter f;
    struct so_error err;
    ui_session_init(&s, &q);
    assert_int_equal(filter_parse("refund", &f, &err), SO_OK);
    /* A filter beyond the workflow picks from a listing. */
    assert_int_equal(ui_session_claim(&s, &f, NULL, &err), SO_OK);
    assert_int_equal(fk.lists, 1);
    assert_string_equal(s.draft->id, "F-10");
    assert_int_equal(ui_session_skip(&s, &err), SO_OK);
    assert_null(s.draft);
    assert_int_equal(ui_session_claim(&s, &f, NULL, &err), SO_OK);
    assert_string_equal(s.draft->id, "F-11"); /* the skipped one is passed */
    /* Undo releases what I hold and gives the reverted draft back. */
    assert_int_equal(ui_session_undo(&s, &err), SO_OK);
    assert_int_equal(fk.undos, 1);
    assert_string_equal(s.draft->id, "F-1");
    assert_int_equal(fk.releases, 2);
    ui_session_fini(&s);
    filter_clear(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_claim_decide_retry, setup),
        cmocka_unit_test_setup(test_renewal, setup),
        cmocka_unit_test_setup(test_skip_undo_and_filter, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
