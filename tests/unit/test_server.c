/*
 * test_server: the tokens file (format, refusals that never quote the
 * token, the permission check) and the metrics text (counters by route
 * and status, the latency histogram, queue gauges with escaped labels and
 * the override rate over each workflow's window).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "signoff/server/metrics.h"
#include "signoff/server/server.h"

#define DAY 86400000LL

static char *write_tokens(const char *text, int mode)
{
    char *path = xasprintf("/tmp/so-tokens.%d", (int)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    chmod(path, (mode_t)mode);
    return path;
}

static enum so_status load(const char *text, int mode,
                           struct server_tokens *t, struct so_error *err)
{
    char *path = write_tokens(text, mode);
    enum so_status s = server_tokens_load(path, t, err);
    remove(path);
    free(path);
    return s;
}

static void test_tokens_ok(void **state)
{
    (void)state;
    struct server_tokens t;
    struct so_error err;
    assert_int_equal(load("# comment\n\nalice-token-0123456789 alice reviewer\n"
                          "  sue-token-0123456789ab\tsue supervisor  \n"
                          "pat-token-0123456789ab pat producer\n",
                          0600, &t, &err),
                     SO_OK);
    assert_int_equal(t.n, 3);
    assert_string_equal(t.v[0].reviewer, "alice");
    assert_int_equal(t.v[0].role, SERVER_ROLE_REVIEWER);
    assert_string_equal(t.v[1].token, "sue-token-0123456789ab");
    assert_int_equal(t.v[1].role, SERVER_ROLE_SUPERVISOR);
    assert_int_equal(t.v[2].role, SERVER_ROLE_PRODUCER);
    server_tokens_free(&t);
}

static void expect_refused(const char *text, int mode, const char *needle)
{
    struct server_tokens t;
    struct so_error err;
    assert_int_not_equal(load(text, mode, &t, &err), SO_OK);
    assert_non_null(strstr(err.msg, needle));
    assert_null(strstr(err.msg, "secret"));
    assert_int_equal(t.n, 0);
}

static void test_tokens_refused(void **state)
{
    (void)state;
    expect_refused("secret-token-0123456 alice reviewer\n", 0640,
                   "chmod 600");
    expect_refused("secret-token-0123456 alice reviewer\n", 0604,
                   "chmod 600");
    expect_refused("secret-token-0123456 alice admin\n", 0600, ":1: role");
    expect_refused("secret alice reviewer\n", 0600, ":1: token shorter");
    expect_refused("secret-token-0123456 alice\n", 0600, ":1: expected");
    expect_refused("secret-token-0123456 alice reviewer extra\n", 0600,
                   ":1: expected");
    expect_refused("secret-token-0123456 alice reviewer\n"
                   "secret-token-0123456 bob reviewer\n",
                   0600, ":2: token repeated");
    expect_refused("# nothing\n", 0600, "no tokens");
}

static void test_metrics_requests(void **state)
{
    (void)state;
    static const char *const names[] = {"claim", "decision"};
    struct metrics *m = metrics_new(names, 2);
    metrics_observe(m, 0, 200, 300);     /* 0.3 ms */
    metrics_observe(m, 0, 204, 700);     /* 0.7 ms */
    metrics_observe(m, 1, 409, 20000);   /* 20 ms */
    metrics_observe(m, 7, 200, 1);       /* unknown route: ignored */
    struct buf b;
    buf_init(&b);
    metrics_render_requests(m, &b);
    const char *t = buf_cstr(&b);
    assert_non_null(strstr(t, "signoff_http_requests_total{route=\"claim\","
                              "code=\"200\"} 1\n"));
    assert_non_null(strstr(t, "signoff_http_requests_total{route=\"claim\","
                              "code=\"204\"} 1\n"));
    assert_non_null(strstr(t, "signoff_http_requests_total{route=\"decision\","
                              "code=\"409\"} 1\n"));
    assert_non_null(strstr(t, "_bucket{le=\"0.0005\"} 1\n"));
    assert_non_null(strstr(t, "_bucket{le=\"0.001\"} 2\n"));
    assert_non_null(strstr(t, "_bucket{le=\"0.025\"} 3\n"));
    assert_non_null(strstr(t, "_bucket{le=\"+Inf\"} 3\n"));
    assert_non_null(strstr(t, "signoff_http_request_duration_seconds_sum "
                              "0.021000\n"));
    assert_non_null(strstr(t, "_count 3\n"));
    buf_free(&b);
    metrics_free(m);
}

static void test_metrics_queue(void **state)
{
    (void)state;
    int64_t now = 20416 * DAY + 3600000;
    struct so_workflow wf[2] = {
        {.name = "sup\"port\n", .pending = 4, .window_ms = 2 * DAY,
         .recorded = {9, 1, 12, 2, 3}},
        {.name = "quiet", .pending = 0, .window_ms = 7 * DAY},
    };
    struct so_rollup_row rows[3] = {
        {.day = 20416, .workflow = "sup\"port\n", .approved = 6, .edited = 1,
         .rejected = 1},
        {.day = 20415, .workflow = "sup\"port\n", .approved = 2},
        {.day = 20400, .workflow = "sup\"port\n", .rejected = 10,
         .escalated = 2}, /* outside the 2-day window */
    };
    struct so_rollup r = {rows, 3, NULL, 0};
    struct buf b;
    buf_init(&b);
    metrics_render_queue(&b, wf, 2, &r, now);
    const char *t = buf_cstr(&b);
    assert_non_null(strstr(t, "signoff_pending_drafts{workflow="
                              "\"sup\\\"port\\n\"} 4\n"));
    /* counters from what was recorded, undone or not */
    assert_non_null(strstr(t, "signoff_decisions_total{workflow="
                              "\"sup\\\"port\\n\",action=\"reject\"} 12\n"));
    assert_non_null(strstr(t, "signoff_undos_total{workflow="
                              "\"sup\\\"port\\n\"} 3\n"));
    /* current outcomes from the rollup */
    assert_non_null(strstr(t, "signoff_decided_drafts{workflow="
                              "\"sup\\\"port\\n\",action=\"reject\"} 11\n"));
    assert_non_null(strstr(t, "action=\"escalate\"} 2\n"));
    assert_non_null(strstr(t, "signoff_override_ratio{workflow="
                              "\"sup\\\"port\\n\"} 0.200000\n"));
    /* nothing decided: no ratio at all, never NaN or -1 */
    assert_null(strstr(t, "signoff_override_ratio{workflow=\"quiet\"}"));
    assert_non_null(strstr(t, "signoff_override_decided{workflow=\"quiet\"} "
                              "0\n"));
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens_ok),
        cmocka_unit_test(test_tokens_refused),
        cmocka_unit_test(test_metrics_requests),
        cmocka_unit_test(test_metrics_queue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
