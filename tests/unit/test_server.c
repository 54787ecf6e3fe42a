/*
 * test_server: the tokens file (format, refusals that never quote the
 * token, the permission check) and the metrics text (counters by route
 * and status, the latency histogram, queue gauges with escaped labels and
 * the override rate over each workflow's window), and the guard
 * (connections per address and in all, the oldest one still sending its
 * head pushed out first, the head deadline, the cap on bodies in memory).
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

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>

#include "signoff/server/guard.h"
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
    struct so_rollup r = {rows, 3, NULL, 0, NULL, 0};
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

/* ---- the guard ---------------------------------------------------- */

/* One fake connection: the guard's end of a socket pair, and ours. */
struct gconn {
    int fd[2];
    struct guard_conn *c;
};

static char guard_log_text[4096];
static pthread_mutex_t guard_log_mu = PTHREAD_MUTEX_INITIALIZER;

static void guard_log(void *arg, const char *line)
{
    (void)arg;
    pthread_mutex_lock(&guard_log_mu);
    strncat(guard_log_text, line,
            sizeof guard_log_text - strlen(guard_log_text) - 2);
    strcat(guard_log_text, "\n");
    pthread_mutex_unlock(&guard_log_mu);
}

static void gopen(struct guard *g, struct gconn *k, const char *ip)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    inet_pton(AF_INET, ip, &a.sin_addr);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, k->fd), 0);
    k->c = guard_open(g, k->fd[0], (struct sockaddr *)&a);
}

/* Was k's connection shut down by the guard? (Our end then reads EOF.) */
static int gcut(struct gconn *k)
{
    char b;
    return recv(k->fd[1], &b, 1, MSG_DONTWAIT) == 0;
}

static void gclose(struct guard *g, struct gconn *k)
{
    guard_close(g, k->c);
    close(k->fd[0]);
    close(k->fd[1]);
}

static void test_guard_limits(void **state)
{
    (void)state;
    struct guard_limits lim = {.per_addr = 2, .total = 3, .head_ms = 60000,
                               .buffered = 100};
    guard_log_text[0] = '\0';
    struct guard *g = guard_new(&lim, guard_log, NULL);
    assert_non_null(g);
    struct gconn a1, a2, a3, a4, b1, c1;
    gopen(g, &a1, "10.0.0.1");
    gopen(g, &a2, "10.0.0.1");
    assert_false(gcut(&a1) || gcut(&a2));
    /* A third from the same address pushes out the oldest still sending
     * its head. */
    gopen(g, &a3, "10.0.0.1");
    assert_true(gcut(&a1));
    assert_false(gcut(&a2) || gcut(&a3));
    /* With every connection of the address in a request, a new one is
     * refused instead. */
    guard_head_done(g, a2.c);
    guard_head_done(g, a3.c);
    gopen(g, &a4, "10.0.0.1");
    assert_true(gcut(&a4));
    assert_false(gcut(&a2) || gcut(&a3));
    /* The server's total: b1 makes three; c1 pushes out b1, the only one
     * still waiting for its head. */
    gopen(g, &b1, "10.0.0.2");
    assert_false(gcut(&b1));
    gopen(g, &c1, "10.0.0.3");
    assert_true(gcut(&b1));
    assert_false(gcut(&c1));
    /* Bodies in memory: at most 100 bytes in all. */
    assert_int_equal(guard_hold(g, 60), 0);
    assert_int_equal(guard_hold(g, 41), -1);
    assert_int_equal(guard_hold(g, 40), 0);
    guard_unhold(g, 100);
    assert_int_equal(guard_hold(g, 100), 0);
    guard_unhold(g, 100);
    struct gconn *all[] = {&a1, &a2, &a3, &a4, &b1, &c1};
    for (size_t i = 0; i < 6; i++)
        gclose(g, all[i]);
    guard_free(g);
    assert_non_null(strstr(guard_log_text,
                           "limit: 10.0.0.1 has 2 connections; closed the "
                           "oldest one still sending its request head"));
    assert_non_null(strstr(guard_log_text,
                           "limit: request bodies in memory would pass 100"));
}

static void gopen6(struct guard *g, struct gconn *k, const char *ip)
{
    struct sockaddr_in6 a = {.sin6_family = AF_INET6};
    inet_pton(AF_INET6, ip, &a.sin6_addr);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, k->fd), 0);
    k->c = guard_open(g, k->fd[0], (struct sockaddr *)&a);
}

/* An IPv6 host has a /64 to itself: its addresses share one allowance
 * (one address per connection would pass any per-address limit). The log
 * still names each peer; a v4-mapped peer is its IPv4 address. */
static void test_guard_ipv6_prefix(void **state)
{
    (void)state;
    struct guard_limits lim = {.per_addr = 2, .head_ms = 60000};
    guard_log_text[0] = '\0';
    struct guard *g = guard_new(&lim, guard_log, NULL);
    struct gconn a1, a2, a3, b1, m1;
    gopen6(g, &a1, "2001:db8:1:2::1");
    gopen6(g, &a2, "2001:db8:1:2::2");
    gopen6(g, &b1, "2001:db8:1:3::1");
    assert_false(gcut(&a1) || gcut(&a2) || gcut(&b1));
    gopen6(g, &a3, "2001:db8:1:2:ffff:ffff:ffff:ffff");
    assert_true(gcut(&a1));
    assert_false(gcut(&a2) || gcut(&a3) || gcut(&b1));
    assert_string_equal(guard_addr(a3.c), "2001:db8:1:2:ffff:ffff:ffff:ffff");
    assert_string_equal(guard_key(a3.c), "2001:db8:1:2::/64");
    gopen6(g, &m1, "::ffff:10.0.0.7");
    assert_string_equal(guard_addr(m1.c), "10.0.0.7");
    assert_string_equal(guard_key(m1.c), "10.0.0.7");
    struct gconn *all[] = {&a1, &a2, &a3, &b1, &m1};
    for (size_t i = 0; i < 5; i++)
        gclose(g, all[i]);
    guard_free(g);
    assert_non_null(strstr(guard_log_text,
                           "limit: 2001:db8:1:2::/64 has 2 connections; closed "
                           "the oldest one still sending its request head "
                           "(from 2001:db8:1:2::1)"));
}

/* The request head has a total deadline: bytes that trickle in do not
 * extend it, a completed head stops it, a finished request restarts it. */
static void test_guard_head_deadline(void **state)
{
    (void)state;
    struct guard_limits lim = {.head_ms = 300};
    guard_log_text[0] = '\0';
    struct guard *g = guard_new(&lim, guard_log, NULL);
    struct gconn slow, done;
    gopen(g, &slow, "10.0.0.1");
    gopen(g, &done, "10.0.0.1");
    guard_head_done(g, done.c);
    int64_t t0 = so_mono_ms();
    while (!gcut(&slow) && so_mono_ms() - t0 < 5000) {
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
    int64_t took = so_mono_ms() - t0;
    assert_true(gcut(&slow));
    assert_true(took >= 250 && took < 3000);
    assert_false(gcut(&done));
    guard_head_wait(g, done.c); /* its request ended: a new head is due */
    t0 = so_mono_ms();
    while (!gcut(&done) && so_mono_ms() - t0 < 5000) {
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
    assert_true(gcut(&done));
    gclose(g, &slow);
    gclose(g, &done);
    guard_free(g);
    assert_non_null(strstr(guard_log_text,
                           "limit: 10.0.0.1 sent no complete request head "
                           "within 300 ms"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens_ok),
        cmocka_unit_test(test_tokens_refused),
        cmocka_unit_test(test_metrics_requests),
        cmocka_unit_test(test_metrics_queue),
        cmocka_unit_test(test_guard_limits),
        cmocka_unit_test(test_guard_ipv6_prefix),
        cmocka_unit_test(test_guard_head_deadline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
