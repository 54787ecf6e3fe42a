/*
 * test_outbox: the local outbox on its own (put, idempotent put, order,
 * failed table), and the remote backend's promise that a decision is never
 * lost: a real server in this process is stopped mid-review, decisions go
 * to the outbox as "queued", sync fails while the server is away and
 * drains after it is back, nothing is recorded twice, and a decision whose
 * lease was taken over meanwhile moves to the failed table.
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

#include "signoff/draft_json.h"
#include "signoff/backends.h"
#include "signoff/remote/outbox.h"
#include "signoff/remote/http.h"
#include "signoff/server/server.h"
#include "signoff/store/sqlite/backend.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/so-outbox.XXXXXX");
    assert_non_null(mkdtemp(dir));
    char *st = xasprintf("%s/state", dir);
    setenv("XDG_STATE_HOME", st, 1);
    setenv("XDG_CONFIG_HOME", st, 1);
    setenv("SIGNOFF_HTTP_TIMEOUT", "2", 1);
    free(st);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char *cmd = xasprintf("rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    return 0;
}

static void test_outbox_table(void **state)
{
    (void)state;
    struct outbox *ob = NULL;
    struct so_error err;
    char *path = xasprintf("%s/ob.db", dir);
    assert_int_equal(outbox_open(path, &ob, &err), SO_OK);
    assert_int_equal(outbox_put(ob, "http://a", "A", NULL, "r1", "D1", "{}", &err),
                     SO_OK);
    assert_int_equal(outbox_put(ob, "http://a", "A", NULL, "r2", "D2", "{\"x\":1}",
                                &err),
                     SO_OK);
    assert_int_equal(outbox_put(ob, "http://a", "A", NULL, "r1", "D1", "{}", &err),
                     SO_OK);
    assert_int_equal(outbox_put(ob, "http://b", "A", NULL, "r3", "D3", "{}", &err),
                     SO_OK);
    int64_t n = -1;
    assert_int_equal(outbox_count(ob, "http://a", "A", NULL, &n, &err), SO_OK);
    assert_int_equal(n, 2); /* same request_id twice is one entry */
    struct outbox_entry *e = NULL;
    size_t ne = 0;
    assert_int_equal(outbox_pending(ob, "http://a", "A", NULL, 10, &e, &ne, &err),
                     SO_OK);
    assert_int_equal(ne, 2);
    assert_string_equal(e[0].request_id, "r1");
    assert_string_equal(e[1].body, "{\"x\":1}");
    outbox_entries_free(e, ne);
    assert_int_equal(outbox_touch(ob, "r2", &err), SO_OK);
    assert_int_equal(outbox_fail(ob, "r2", "lease_lost", "lease lost", &err),
                     SO_OK);
    assert_int_equal(outbox_count(ob, "http://a", "A", NULL, &n, &err), SO_OK);
    assert_int_equal(n, 1);
    assert_int_equal(outbox_failed_count(ob, "http://a", "A", NULL, &n, &err), SO_OK);
    assert_int_equal(n, 1);
    assert_int_equal(outbox_remove(ob, "r1", &err), SO_OK);
    assert_int_equal(outbox_count(ob, "http://a", "A", NULL, &n, &err), SO_OK);
    assert_int_equal(n, 0);
    assert_int_equal(outbox_count(ob, "http://b", "A", NULL, &n, &err), SO_OK);
    assert_int_equal(n, 1);
    outbox_close(ob);
    free(path);
}

/* Issue 17, finding 6: one outbox file, two identities on one queue: each
 * sees and sends only its own rows; a failure of one is not the other's. */
static void test_outbox_identities(void **state)
{
    (void)state;
    struct outbox *ob = NULL;
    struct so_error err;
    char *path = xasprintf("%s/ob2.db", dir);
    assert_int_equal(outbox_open(path, &ob, &err), SO_OK);
    assert_int_equal(outbox_put(ob, "http://q", "bob", NULL, "rb", "D1", "{}", &err),
                     SO_OK);
    assert_int_equal(outbox_put(ob, "http://q", "alice", NULL, "ra", "D2", "{}",
                                &err),
                     SO_OK);
    int64_t n = -1;
    struct outbox_entry *e = NULL;
    size_t ne = 0;
    assert_int_equal(outbox_pending(ob, "http://q", "alice", NULL, 10, &e, &ne, &err),
                     SO_OK);
    assert_int_equal(ne, 1);
    assert_string_equal(e[0].request_id, "ra");
    outbox_entries_free(e, ne);
    assert_int_equal(outbox_fail(ob, "ra", "lease_lost", "lost", &err), SO_OK);
    assert_int_equal(outbox_count(ob, "http://q", "bob", NULL, &n, &err), SO_OK);
    assert_int_equal(n, 1);
    assert_int_equal(outbox_failed_count(ob, "http://q", "bob", NULL, &n, &err),
                     SO_OK);
    assert_int_equal(n, 0);
    assert_int_equal(outbox_failed_count(ob, "http://q", "alice", NULL, &n, &err),
                     SO_OK);
    assert_int_equal(n, 1);
    outbox_close(ob);
    free(path);
}

/* A token rotated while its decisions waited (issue 17, finding 6): the
 * rows are the person's, so their next token sees and sends them; another
 * person's token, or the same person under another role, does not. A row
 * put offline (who unknown) takes who the server last named its token. */
static void test_outbox_person(void **state)
{
    (void)state;
    struct outbox *ob = NULL;
    struct so_error err;
    char *path = xasprintf("%s/ob3.db", dir);
    assert_int_equal(outbox_open(path, &ob, &err), SO_OK);
    assert_int_equal(outbox_own(ob, "http://q", "A", "bob\treviewer", &err),
                     SO_OK);
    assert_int_equal(outbox_put(ob, "http://q", "A", NULL, "r1", "D1", "{}",
                                &err),
                     SO_OK);
    assert_int_equal(outbox_put(ob, "http://q", "C", NULL, "r2", "D2", "{}",
                                &err),
                     SO_OK);
    int64_t n = -1;
    assert_int_equal(outbox_count(ob, "http://q", "B", "bob\treviewer", &n,
                                  &err),
                     SO_OK);
    assert_int_equal(n, 1); /* r1: bob's, from his old token A */
    assert_int_equal(outbox_count(ob, "http://q", "X", "alice\treviewer", &n,
                                  &err),
                     SO_OK);
    assert_int_equal(n, 0);
    assert_int_equal(outbox_count(ob, "http://q", "S", "bob\tsupervisor", &n,
                                  &err),
                     SO_OK);
    assert_int_equal(n, 0);
    /* C's row had no person: once the server names C, it is theirs. */
    assert_int_equal(outbox_count(ob, "http://q", "D", "carol\treviewer", &n,
                                  &err),
                     SO_OK);
    assert_int_equal(n, 0);
    assert_int_equal(outbox_own(ob, "http://q", "C", "carol\treviewer", &err),
                     SO_OK);
    struct outbox_entry *e = NULL;
    size_t ne = 0;
    assert_int_equal(outbox_pending(ob, "http://q", "D", "carol\treviewer", 10,
                                    &e, &ne, &err),
                     SO_OK);
    assert_int_equal(ne, 1);
    assert_string_equal(e[0].request_id, "r2");
    outbox_entries_free(e, ne);
    outbox_close(ob);
    free(path);
}

/* A queue file with n drafts D-0..D-(n-1), and a tokens file. */
static char *make_queue(int n)
{
    char *path = xasprintf("%s/q.db", dir);
    struct queue *q = NULL;
    struct queue_opts o = {.reviewer = "setup", .create = 1};
    struct so_error err;
    assert_int_equal(store_open(path, &o, &q, &err), SO_OK);
    for (int i = 0; i < n; i++) {
        char *line = xasprintf("{\"id\":\"D-%d\",\"workflow\":\"w\","
                               "\"body\":\"text %d\"}",
                               i, i);
        struct so_draft *d = NULL;
        struct so_enq_result res;
        assert_int_equal(draft_from_jsonl(line, strlen(line), &d, &err), SO_OK);
        assert_int_equal(q->ops->enqueue(q, &d, 1, 0, &res, &err), SO_OK);
        assert_int_equal(res.outcome, SO_ENQ_ADDED);
        so_draft_free(d);
        free(line);
    }
    queue_close(q);
    char *tok = xasprintf("%s/tokens", dir);
    FILE *f = fopen(tok, "w");
    assert_non_null(f);
    fprintf(f, "alice-token-0123456789 alice reviewer\n");
    fclose(f);
    chmod(tok, 0600);
    char *mine = xasprintf("%s/token", dir);
    f = fopen(mine, "w");
    assert_non_null(f);
    fprintf(f, "alice-token-0123456789\n");
    fclose(f);
    chmod(mine, 0600);
    free(tok);
    free(mine);
    return path;
}

static struct server *start(const char *qpath, int *port)
{
    struct server_tokens t;
    struct so_error err;
    char *tok = xasprintf("%s/tokens", dir);
    assert_int_equal(server_tokens_load(tok, &t, &err), SO_OK);
    struct server_opts o = {.queue_path = qpath, .host = "127.0.0.1",
                            .port = *port, .threads = 2, .timeout_s = 5};
    struct server *srv = NULL;
    assert_int_equal(server_start(&o, &t, &srv, port, &err), SO_OK);
    server_tokens_free(&t);
    free(tok);
    return srv;
}

static int64_t decisions_in(const char *qpath, const char *id)
{
    struct queue *q = NULL;
    struct queue_opts o = {.reviewer = "check"};
    struct so_error err;
    struct so_decision *v = NULL;
    size_t n = 0;
    assert_int_equal(store_open(qpath, &o, &q, &err), SO_OK);
    assert_int_equal(q->ops->decisions(q, id, &v, &n, &err), SO_OK);
    for (size_t i = 0; i < n; i++)
        so_decision_clear(&v[i]);
    free(v);
    queue_close(q);
    return (int64_t)n;
}

static void decide(struct queue *q, const char *id, const char *rid,
                   int64_t token, const char *expect_status)
{
    struct so_decide_req r = {.draft_id = id, .request_id = rid,
                              .action = SO_ACT_APPROVE, .lease_token = token};
    struct so_decide_result res;
    struct so_error err;
    assert_int_equal(q->ops->decide(q, &r, &res, &err), SO_OK);
    assert_string_equal(res.draft_status, expect_status);
}

static struct so_draft *claim(struct queue *q, const char *id, int64_t ms)
{
    struct so_claim_req r = {.draft_id = id, .lease_ms = ms};
    struct so_draft *d = NULL;
    struct so_error err;
    assert_int_equal(q->ops->claim(q, &r, &d, &err), SO_OK);
    return d;
}

static void test_offline_then_sync(void **state)
{
    (void)state;
    char *qpath = make_queue(3);
    int port = 0;
    struct server *srv = start(qpath, &port);
    char *url = xasprintf("http://127.0.0.1:%d", port);
    char *tokfile = xasprintf("%s/token", dir);
    struct queue_opts o = {.token_file = tokfile};
    struct queue *q = NULL;
    struct so_error err;
    assert_int_equal(queue_open(url, &o, &q, &err), SO_OK);
    assert_string_equal(q->reviewer, "alice");
    struct so_draft *d0 = claim(q, "D-0", 0), *d1 = claim(q, "D-1", 0);
    struct so_draft *d2 = claim(q, "D-2", 1000);
    decide(q, "D-0", "rid-0", d0->lease_token, "decided");

    server_stop(srv); /* the server goes away mid-review */
    decide(q, "D-1", "rid-1", d1->lease_token, "queued");
    decide(q, "D-2", "rid-2", d2->lease_token, "queued");
    int64_t n = 0, sent = -1;
    assert_int_equal(q->ops->unsent(q, &n, &err), SO_OK);
    assert_int_equal(n, 2);
    usleep(1100 * 1000);
    assert_int_equal(q->ops->sync(q, &sent, &err), SO_ERR_NETWORK);
    assert_int_equal(sent, 0);

    /* Meanwhile D-2's lease runs out and bob decides it locally. */
    struct queue *bob = NULL;
    struct queue_opts bo = {.reviewer = "bob"};
    assert_int_equal(store_open(qpath, &bo, &bob, &err), SO_OK);
    struct so_draft *b2 = claim(bob, "D-2", 0);
    decide(bob, "D-2", "rid-bob", b2->lease_token, "decided");
    queue_close(bob);

    srv = start(qpath, &port); /* back, on the same port */
    usleep(2100 * 1000);       /* past the client's offline pause */
    assert_int_equal(q->ops->sync(q, &sent, &err), SO_ERR_CONFLICT);
    assert_int_equal(sent, 1);
    assert_non_null(strstr(err.msg, "failed table"));
    assert_non_null(strstr(err.msg, "draft D-2"));
    assert_int_equal(q->ops->unsent(q, &n, &err), SO_OK);
    assert_int_equal(n, 0);
    assert_int_equal(q->ops->sync(q, &sent, &err), SO_OK);
    assert_int_equal(sent, 0);

    assert_int_equal(decisions_in(qpath, "D-0"), 1);
    assert_int_equal(decisions_in(qpath, "D-1"), 1);
    assert_int_equal(decisions_in(qpath, "D-2"), 1); /* bob's only */
    decide(q, "D-1", "rid-1", d1->lease_token, "decided"); /* a replay */
    assert_int_equal(decisions_in(qpath, "D-1"), 1);

    so_draft_free(d0);
    so_draft_free(d1);
    so_draft_free(d2);
    so_draft_free(b2);
    queue_close(q);
    server_stop(srv);
    free(url);
    free(tokfile);
    free(qpath);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outbox_table),
        cmocka_unit_test(test_outbox_identities),
        cmocka_unit_test(test_outbox_person),
        cmocka_unit_test(test_offline_then_sync),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
