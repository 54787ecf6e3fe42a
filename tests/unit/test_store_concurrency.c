/* test_store_concurrency: 8 processes claim and decide from one queue of
 * 2,000 drafts until it is empty. Every draft must be decided exactly once,
 * and a worker killed with SIGKILL while holding a claim leaves its draft to
 * be reclaimed by the others once its short lease runs out. On PostgreSQL
 * (tests/pg/unit_store_concurrency.sh) the queue holds 500 drafts, as
 * tests/pg/concurrency.sh does: the same race, a lighter pass. */
#define _GNU_SOURCE
#include "store_fixture.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include "signoff/backends.h"

#define NDRAFTS 2000
#define NDRAFTS_PG 500
static int ndrafts = NDRAFTS;
#define NWORKERS 8
#define VICTIM_LEASE_MS 300
#define VICTIM_AFTER 20 /* decisions before the victim claims and dies */

static struct queue *open_as(const char *path, const char *name)
{
    struct queue_opts o;
    memset(&o, 0, sizeof o);
    o.reviewer = name;
    o.sync_normal = 1; /* fsyncs test the disk, not the claims: keep it quick */
    struct queue *q = NULL;
    struct so_error err;
    if (queue_open(path, &o, &q, &err) != SO_OK) {
        fprintf(stderr, "%s: %s\n", name, err.msg);
        _exit(20);
    }
    return q;
}

static int64_t claimed_left(struct queue *q)
{
    struct so_list_req lr = {
        .status = "claimed", .conf_below = -1, .conf_atleast = -1};
    int64_t n = -1;
    struct so_error err;
    if (q->ops->count(q, &lr, &n, &err) != SO_OK)
        return -1;
    return n;
}

static int decide_one(struct queue *q, const struct so_draft *d)
{
    char rq[37];
    so_uuid(rq);
    struct so_decide_req req;
    memset(&req, 0, sizeof req);
    req.draft_id = d->id;
    req.request_id = rq;
    req.action = d->id[1] % 2 ? SO_ACT_APPROVE : SO_ACT_REJECT;
    req.lease_token = d->lease_token;
    struct so_decide_result res;
    struct so_error err;
    enum so_status st;
    while ((st = q->ops->decide(q, &req, &res, &err)) == SO_ERR_BUSY)
        ;
    if (st != SO_OK)
        fprintf(stderr, "decide %s: %s\n", d->id, err.msg);
    return st == SO_OK ? 0 : -1;
}

/* Claim and decide until nothing is claimable and nobody holds a claim.
 * The victim (fd >= 0) instead reports one claimed id and waits to die. */
static void worker(const char *path, int idx, int fd)
{
    char name[16];
    snprintf(name, sizeof name, "w%d", idx);
    struct queue *q = open_as(path, name);
    struct so_claim_req req = {NULL, NULL, 60000};
    int done = 0;
    for (;;) {
        struct so_draft *d = NULL;
        /* Only the claim the victim dies holding has the short lease. */
        if (fd >= 0 && done == VICTIM_AFTER)
            req.lease_ms = VICTIM_LEASE_MS;
        struct so_error err;
        enum so_status st = q->ops->claim(q, &req, &d, &err);
        if (st == SO_OK && fd >= 0 && done == VICTIM_AFTER) {
            if (write(fd, d->id, strlen(d->id) + 1) < 0)
                _exit(21);
            for (;;)
                pause();
        }
        if (st == SO_OK) {
            int bad = decide_one(q, d);
            so_draft_free(d);
            if (bad)
                _exit(22);
            done++;
        } else if (st == SO_EMPTY) {
            int64_t left = claimed_left(q);
            if (left == 0)
                break;
            struct timespec ts = {0, 20 * 1000000L};
            nanosleep(&ts, NULL);
        } else if (st != SO_ERR_BUSY) {
            fprintf(stderr, "%s: claim: %s\n", name, err.msg);
            _exit(23);
        }
    }
    queue_close(q);
    _exit(0);
}

static void fill(const char *path)
{
    struct queue *q = fx_open(path, "producer");
    struct so_draft *batch[NDRAFTS];
    struct so_enq_result *res = calloc(NDRAFTS, sizeof *res);
    char id[16];
    for (int i = 0; i < ndrafts; i++) {
        snprintf(id, sizeof id, "d%04d", i);
        batch[i] = fx_draft(id, i % 3 ? "support" : "refunds", "a short body");
    }
    struct so_error err;
    assert_int_equal(q->ops->enqueue(q, batch, (size_t)ndrafts, 0, res, &err),
                     SO_OK);
    for (int i = 0; i < ndrafts; i++) {
        assert_int_equal(res[i].outcome, SO_ENQ_ADDED);
        so_draft_free(batch[i]);
    }
    free(res);
    queue_close(q);
}

static void test_many_workers_one_killed(void **state)
{
    struct fx *f = *state;
    fill(f->path);
    int pfd[2];
    assert_int_equal(pipe(pfd), 0);
    pid_t pids[NWORKERS];
    for (int i = 0; i < NWORKERS; i++) {
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0) {
            close(pfd[0]);
            worker(f->path, i, i == 0 ? pfd[1] : -1);
        }
    }
    close(pfd[1]);
    char victim_draft[16] = "";
    assert_true(read(pfd[0], victim_draft, sizeof victim_draft) > 0);
    close(pfd[0]);
    assert_int_equal(kill(pids[0], SIGKILL), 0);
    for (int i = 0; i < NWORKERS; i++) {
        int status;
        assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
        if (i == 0) {
            assert_true(WIFSIGNALED(status));
            continue;
        }
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    assert_int_equal(fx_sql_int(f->path, "SELECT count(*) FROM decisions WHERE kind <> 'admin'"),
                     ndrafts);
    assert_int_equal(
        fx_sql_int(f->path, "SELECT count(*) FROM (SELECT draft FROM decisions"
                            " GROUP BY draft HAVING count(*) <> 1) AS x"),
        0);
    assert_int_equal(
        fx_sql_int(f->path,
                   "SELECT count(*) FROM drafts WHERE status <> 'decided'"),
        0);
    assert_int_equal(fx_sql_int(f->path, fx_pg() ? "SELECT seq FROM chain_head"
                                                 : "SELECT value FROM meta"
                                                   " WHERE key = 'chain_seq'"),
                     ndrafts + fx_sql_int(f->path, "SELECT count(*) FROM"
                                                   " decisions WHERE kind ="
                                                   " 'admin'"));
    /* The victim's draft was claimed twice and decided by someone else. */
    char sql[160];
    snprintf(
        sql, sizeof sql,
        "SELECT attempts FROM drafts WHERE id = '%s' AND claimed_by <> 'w0'",
        victim_draft);
    assert_int_equal(fx_sql_int(f->path, sql), 2);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM decisions WHERE draft = '%s'"
             " AND reviewer <> 'w0'",
             victim_draft);
    assert_int_equal(fx_sql_int(f->path, sql), 1);
    /* The rollup saw every decision once (read through the interface). */
    const char *why = fx_refusal(FX_ROLLUP);
    if (why) {
        print_message("# SKIP the rollup check on PostgreSQL: %s\n", why);
        return;
    }
    struct queue *q = fx_open(f->path, "checker");
    struct so_stats_req sr = {0, 0, NULL, 0};
    struct so_rollup r;
    struct so_error err;
    assert_int_equal(q->ops->rollup(q, &sr, &r, &err), SO_OK);
    int64_t counted = 0;
    for (size_t i = 0; i < r.n; i++)
        counted += r.rows[i].approved + r.rows[i].rejected;
    so_rollup_free(&r);
    queue_close(q);
    assert_int_equal(counted, ndrafts);
}

int main(void)
{
    if (fx_pg())
        ndrafts = NDRAFTS_PG;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_many_workers_one_killed, fx_setup,
                                        fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
