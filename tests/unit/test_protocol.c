/*
 * test_protocol: the JSON shapes of protocol v1 both ways (what the server
 * writes the client reads back unchanged), the error object and the
 * status <-> HTTP mapping, and the refusals: bad actions, an edit without
 * its text, deep nesting, a non-object root, hostile error messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "signoff/remote/protocol.h"

static cJSON *reparse(cJSON *j)
{
    char *t = proto_print(j);
    cJSON_Delete(j);
    cJSON *out = NULL;
    struct so_error err;
    assert_int_equal(proto_parse(t, strlen(t), &out, &err), SO_OK);
    free(t);
    return out;
}

static void test_decide_roundtrip(void **state)
{
    (void)state;
    struct so_decide_req in = {.draft_id = "D-1", .request_id = "rid-1",
                               .action = SO_ACT_EDIT, .reason = "tone",
                               .note = "n", .final_body = "new text",
                               .shown_at = 1795514400000LL, .active_ms = 900,
                               .lease_token = 7};
    cJSON *j = reparse(proto_decide_req_to_json(&in));
    assert_null(cJSON_GetObjectItemCaseSensitive(j, "draft_id"));
    struct so_decide_req out;
    struct so_error err;
    assert_int_equal(proto_decide_req_from_json(j, "D-1", &out, &err), SO_OK);
    assert_string_equal(out.draft_id, "D-1");
    assert_string_equal(out.request_id, "rid-1");
    assert_int_equal(out.action, SO_ACT_EDIT);
    assert_string_equal(out.reason, "tone");
    assert_string_equal(out.final_body, "new text");
    assert_int_equal(out.shown_at, 1795514400000LL);
    assert_int_equal(out.active_ms, 900);
    assert_int_equal(out.lease_token, 7);
    cJSON_Delete(j);

    struct so_decide_result r = {.seq = 42, .replayed = 1,
                                 .action = SO_ACT_APPROVE,
                                 .decided_at = 5, .review_agreed = -1};
    memset(r.hash, 'a', 64);
    strcpy(r.draft_status, "decided");
    j = reparse(proto_decide_result_to_json(&r));
    struct so_decide_result back;
    assert_int_equal(proto_decide_result_from_json(j, &back, &err), SO_OK);
    assert_int_equal(back.seq, 42);
    assert_int_equal(back.replayed, 1);
    assert_string_equal(back.hash, r.hash);
    assert_string_equal(back.draft_status, "decided");
    assert_int_equal(back.review_agreed, -1);
    cJSON_Delete(j);
}

/* claim_next in the request, next in the reply; a reply without it (a
 * server before claim_next) reads as not filled. */
static void test_decide_claim_next(void **state)
{
    (void)state;
    struct so_claim_req next = {.workflow = "support"};
    struct so_decide_req in = {.request_id = "rid-2",
                               .action = SO_ACT_APPROVE, .claim_next = &next};
    cJSON *j = reparse(proto_decide_req_to_json(&in));
    struct so_claim_req got;
    struct so_error err;
    int present = 0;
    assert_int_equal(proto_claim_next_from_json(j, &got, &present, &err),
                     SO_OK);
    assert_int_equal(present, 1);
    assert_string_equal(got.workflow, "support");
    cJSON_Delete(j);
    in.claim_next = NULL;
    j = reparse(proto_decide_req_to_json(&in));
    assert_int_equal(proto_claim_next_from_json(j, &got, &present, &err),
                     SO_OK);
    assert_int_equal(present, 0);
    cJSON_Delete(j);
    const char *named = "{\"claim_next\":{\"draft_id\":\"X\"}}";
    assert_int_equal(proto_parse(named, strlen(named), &j, &err), SO_OK);
    assert_int_equal(proto_claim_next_from_json(j, &got, &present, &err),
                     SO_ERR_INVALID);
    assert_non_null(strstr(err.msg, "claim_next.draft_id"));
    cJSON_Delete(j);

    struct so_draft *d = so_draft_new();
    d->id = xstrdup("D-2");
    d->workflow = xstrdup("support");
    d->body = xstrdup("next body");
    struct so_decide_result r = {.seq = 3, .action = SO_ACT_APPROVE};
    r.next = (struct so_decide_next){.filled = 1, .status = SO_OK,
                                     .draft = d, .pending = 4,
                                     .my_today = 9};
    j = reparse(proto_decide_result_to_json(&r));
    struct so_decide_result back;
    assert_int_equal(proto_decide_result_from_json(j, &back, &err), SO_OK);
    assert_true(back.next.filled);
    assert_int_equal(back.next.status, SO_OK);
    assert_string_equal(back.next.draft->id, "D-2");
    assert_string_equal(back.next.draft->body, "next body");
    assert_int_equal(back.next.pending, 4);
    assert_int_equal(back.next.my_today, 9);
    so_decide_result_clear(&back);
    cJSON_Delete(j);
    so_decide_result_clear(&r);

    r.next = (struct so_decide_next){.filled = 1, .status = SO_ERR_BUSY,
                                     .pending = -1, .my_today = 2};
    strcpy(r.next.error, "queue busy\x1b[2J");
    j = reparse(proto_decide_result_to_json(&r));
    assert_int_equal(proto_decide_result_from_json(j, &back, &err), SO_OK);
    assert_int_equal(back.next.status, SO_ERR_BUSY);
    assert_null(back.next.draft);
    assert_string_equal(back.next.error, "queue busy?[2J");
    assert_int_equal(back.next.pending, -1);
    cJSON_Delete(j);

    r.next.filled = 0;
    j = reparse(proto_decide_result_to_json(&r));
    assert_null(cJSON_GetObjectItemCaseSensitive(j, "next"));
    assert_int_equal(proto_decide_result_from_json(j, &back, &err), SO_OK);
    assert_false(back.next.filled);
    cJSON_Delete(j);
}

static void expect_bad_decision(const char *text, const char *needle)
{
    cJSON *j = NULL;
    struct so_error err;
    struct so_decide_req r;
    assert_int_equal(proto_parse(text, strlen(text), &j, &err), SO_OK);
    assert_int_equal(proto_decide_req_from_json(j, "D", &r, &err),
                     SO_ERR_INVALID);
    assert_non_null(strstr(err.msg, needle));
    cJSON_Delete(j);
}

static void test_decide_refusals(void **state)
{
    (void)state;
    expect_bad_decision("{\"request_id\":\"r\",\"action\":\"revert\"}",
                        "action");
    expect_bad_decision("{\"request_id\":\"r\",\"action\":\"explode\"}",
                        "action");
    expect_bad_decision("{\"request_id\":\"r\",\"action\":\"edit\"}",
                        "final_body");
    expect_bad_decision("{\"action\":\"approve\"}", "request_id");
    expect_bad_decision("{\"request_id\":\"\",\"action\":\"approve\"}",
                        "request_id");
    expect_bad_decision(
        "{\"request_id\":\"r\",\"action\":\"approve\",\"lease_token\":1.5}",
        "lease_token");
}

static void test_parse_refusals(void **state)
{
    (void)state;
    cJSON *j = NULL;
    struct so_error err;
    char deep[200] = "";
    for (int i = 0; i < 40; i++)
        strcat(deep, "[");
    for (int i = 0; i < 40; i++)
        strcat(deep, "]");
    assert_int_equal(proto_parse(deep, strlen(deep), &j, &err),
                     SO_ERR_INVALID);
    assert_int_equal(proto_parse("[1]", 3, &j, &err), SO_ERR_INVALID);
    assert_non_null(strstr(err.msg, "object"));
    assert_int_equal(proto_parse("{\"a\":1} x", 9, &j, &err), SO_ERR_INVALID);
    assert_int_equal(proto_parse("{\"a\":1,\"a\":2}", 13, &j, &err),
                     SO_ERR_INVALID);
}

static void test_errors(void **state)
{
    (void)state;
    assert_int_equal(proto_http_status(SO_ERR_LEASE), 409);
    assert_int_equal(proto_http_status(SO_ERR_AUTH), 401);
    assert_int_equal(proto_http_status(SO_ERR_FORBIDDEN), 403);
    assert_int_equal(proto_http_status(SO_ERR_TOOLARGE), 413);
    assert_int_equal(proto_http_status(SO_ERR_INVALID), 400);
    assert_int_equal(proto_http_status(SO_ERR_BUSY), 503);
    assert_int_equal(proto_http_status(SO_ERR_IO), 500);
    char *b = proto_error_body(SO_ERR_LEASE, "D-1: claimed by bob");
    assert_string_equal(
        b, "{\"error\":{\"code\":\"lease_lost\",\"message\":\"D-1: claimed by "
           "bob\"}}");
    struct so_error err;
    assert_int_equal(proto_error_from_reply(409, b, strlen(b), &err),
                     SO_ERR_LEASE);
    assert_string_equal(err.msg, "D-1: claimed by bob");
    free(b);
    /* No error object: the HTTP code decides; 5xx reads as network. */
    assert_int_equal(proto_error_from_reply(502, "<html>", 6, &err),
                     SO_ERR_NETWORK);
    assert_string_equal(err.msg, "server answered HTTP 502");
    assert_int_equal(proto_error_from_reply(404, "", 0, &err),
                     SO_ERR_NOTFOUND);
    /* A hostile message never reaches the terminal raw. */
    const char *evil = "{\"error\":{\"code\":\"invalid\",\"message\":"
                       "\"ok\\u001b[2J\\r\\u202e\"}}";
    assert_int_equal(proto_error_from_reply(400, evil, strlen(evil), &err),
                     SO_ERR_INVALID);
    assert_string_equal(err.msg, "ok?[2J????");
}

static void test_page_roundtrip(void **state)
{
    (void)state;
    struct so_draft_row rows[2] = {
        {.id = "A", .workflow = "w", .model = "m", .confidence = 0.25,
         .title = "t", .priority = 3, .created_at = 10,
         .status = SO_DS_CLAIMED, .claimed_by = "alice", .lease_until = 99,
         .flags = SO_ROW_GROUNDING},
        {.id = "B", .workflow = "w", .confidence = -1,
         .status = SO_DS_PENDING, .flags = SO_ROW_ESCALATED},
    };
    struct so_draft_page p = {rows, 2, "cursor-1"};
    cJSON *j = reparse(proto_page_to_json(&p));
    struct so_draft_page back;
    struct so_error err;
    assert_int_equal(proto_page_from_json(j, &back, &err), SO_OK);
    assert_int_equal(back.n, 2);
    assert_string_equal(back.rows[0].claimed_by, "alice");
    assert_int_equal(back.rows[0].status, SO_DS_CLAIMED);
    assert_int_equal(back.rows[0].flags, SO_ROW_GROUNDING);
    assert_float_equal(back.rows[0].confidence, 0.25, 1e-9);
    assert_int_equal(back.rows[0].priority, 3);
    assert_null(back.rows[1].model);
    assert_float_equal(back.rows[1].confidence, -1, 1e-9);
    assert_int_equal(back.rows[1].flags, SO_ROW_ESCALATED);
    assert_string_equal(back.next_cursor, "cursor-1");
    so_draft_page_free(&back);
    cJSON_Delete(j);
}

static void test_workflow_mask(void **state)
{
    (void)state;
    /* A workflow as a store keeps it: the window and applied-within
     * hold their defaults (a reply outside their ranges is refused). */
    struct so_workflow w = {.name = "support", .owner = "sue",
                            .threshold = 0.3, .reviews = 2,
                            .window_ms = 604800000,
                            .applied_within_ms = 86400000};
    cJSON *j = reparse(
        proto_workflow_set_to_json(&w, SO_WF_THRESHOLD | SO_WF_REVIEWS));
    struct so_workflow back;
    unsigned mask = 0;
    struct so_error err;
    assert_int_equal(proto_workflow_from_json(j, &back, &mask, &err), SO_OK);
    assert_int_equal(mask, SO_WF_THRESHOLD | SO_WF_REVIEWS);
    assert_float_equal(back.threshold, 0.3, 1e-9);
    assert_int_equal(back.reviews, 2);
    assert_null(back.owner);
    so_workflow_clear(&back);
    cJSON_Delete(j);

    w.automation_paused = 1;
    w.automation_by = "sue";
    w.pending = 12;
    j = reparse(proto_workflow_to_json(&w));
    assert_int_equal(proto_workflow_from_json(j, &back, &mask, &err), SO_OK);
    assert_int_equal(back.automation_paused, 1);
    assert_string_equal(back.automation_by, "sue");
    assert_string_equal(back.name, "support");
    assert_int_equal(back.pending, 12);
    so_workflow_clear(&back);
    cJSON_Delete(j);
}

static void test_rollup_and_enqueue(void **state)
{
    (void)state;
    struct so_rollup_row row = {.day = 20416, .workflow = "w", .model = "m",
                                .reviewer = "alice", .band = 5,
                                .approved = 3, .edited = 1, .rejected = 2};
    row.time_hist[4] = 6;
    struct so_reason_count rc = {"w", "factual", 2};
    struct so_rollup r = {&row, 1, &rc, 1, NULL, 0};
    cJSON *j = reparse(proto_rollup_to_json(&r));
    struct so_rollup back;
    struct so_error err;
    assert_int_equal(proto_rollup_from_json(j, &back, &err), SO_OK);
    assert_int_equal(back.n, 1);
    assert_int_equal(back.rows[0].day, 20416);
    assert_int_equal(back.rows[0].band, 5);
    assert_int_equal(back.rows[0].rejected, 2);
    assert_int_equal(back.rows[0].time_hist[4], 6);
    assert_int_equal(back.nreasons, 1);
    assert_string_equal(back.reasons[0].reason, "factual");
    so_rollup_free(&back);
    cJSON_Delete(j);

    struct so_enq_result e = {.outcome = SO_ENQ_FAILED};
    so_fail(&e.err, SO_ERR_CONFLICT, "T-1: other content");
    j = reparse(proto_enq_result_to_json(&e));
    struct so_enq_result eb;
    assert_int_equal(proto_enq_result_from_json(j, &eb, &err), SO_OK);
    assert_int_equal(eb.outcome, SO_ENQ_FAILED);
    assert_int_equal(eb.err.code, SO_ERR_CONFLICT);
    assert_string_equal(eb.err.msg, "T-1: other content");
    cJSON_Delete(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decide_roundtrip),
        cmocka_unit_test(test_decide_claim_next),
        cmocka_unit_test(test_decide_refusals),
        cmocka_unit_test(test_parse_refusals),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_page_roundtrip),
        cmocka_unit_test(test_workflow_mask),
        cmocka_unit_test(test_rollup_and_enqueue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
