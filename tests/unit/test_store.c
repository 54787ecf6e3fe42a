/* test_store: the store behind the queue interface: opening and its
 * refusals, schema migrations, enqueue, claim and leases, decide and its
 * idempotency, the audit chain, the rollup, undo, auto-pause, workflows,
 * list paging and filters, the busy timeout. The tests of the queue
 * interface run on PostgreSQL too (SIGNOFF_TEST_BACKEND=pg,
 * tests/pg/unit_store.sh); those of a queue file's own nature (opening a
 * file, its migrations, pragmas, group and lock) on SQLite only. */
#define _GNU_SOURCE
#include "store_fixture.h"

#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "signoff/audit.h"
#include "signoff/backends.h"

#define T0 1795000000000LL /* a fixed "now": 2026-11-18 */
#define DAY 86400000LL

static void test_open_missing(void **state)
{
    struct fx *f = *state;
    struct queue *q = NULL;
    struct so_error err;
    struct queue_opts o = {0};
    assert_int_equal(queue_open(f->path, &o, &q, &err), SO_ERR_NOTFOUND);
    assert_null(q);
    char want[256];
    snprintf(want, sizeof want,
             "%s: no such queue (create it with signoff init)", f->path);
    assert_string_equal(err.msg, want);
    assert_int_equal(access(f->path, F_OK), -1); /* nothing created */
}

static void test_open_directory(void **state)
{
    struct fx *f = *state;
    struct queue *q = NULL;
    struct so_error err;
    struct queue_opts o = {0};
    assert_int_equal(queue_open(f->dir, &o, &q, &err), SO_ERR_INVALID);
    assert_non_null(strstr(err.msg, "is a directory"));
}

static void test_open_not_a_database(void **state)
{
    struct fx *f = *state;
    struct queue *q = NULL;
    struct so_error err;
    struct queue_opts o = {0};
    FILE *fp = fopen(f->path, "w");
    fputs("this is a text file, not a queue, and it is long enough to "
          "fill the sqlite header of one hundred bytes..........\n",
          fp);
    fclose(fp);
    assert_int_equal(queue_open(f->path, &o, &q, &err), SO_ERR_CORRUPT);
    assert_non_null(strstr(err.msg, "not a signoff queue"));

    /* A real SQLite file of another program is not ours either. */
    unlink(f->path);
    fx_sql_exec(f->path, "CREATE TABLE t(x)");
    o.create = 1;
    assert_int_equal(queue_open(f->path, &o, &q, &err), SO_ERR_CORRUPT);
    char want[256];
    snprintf(want, sizeof want, "%s: not a signoff queue", f->path);
    assert_string_equal(err.msg, want);
    assert_int_equal(fx_sql_int(f->path, "PRAGMA user_version"), 0);
}

static void test_schema_migrate_and_newer(void **state)
{
    struct fx *f = *state;
    struct queue *q = fx_open(f->path, "ana");
    queue_close(q);
    assert_int_equal(fx_sql_int(f->path, "PRAGMA user_version"),
                     STORE_SCHEMA_VERSION);
    assert_int_equal(
        fx_sql_int(f->path, "SELECT count(*) FROM sqlite_schema WHERE name IN"
                            " ('drafts','decisions','workflows','rollup',"
                            "'rollup_hist','rollup_reasons','meta',"
                            "'citations','draft_counts','workflow_events')"),
        10);
    /* Reopening does not migrate again (the data is kept). */
    q = fx_open(f->path, "ana");
    fx_add(q, "a", "wf", "body");
    queue_close(q);
    q = fx_open(f->path, "ana");
    queue_close(q);
    assert_int_equal(fx_sql_int(f->path, "SELECT count(*) FROM drafts"), 1);

    fx_sql_exec(f->path, "PRAGMA user_version = 99");
    struct so_error err;
    struct queue_opts o = {0};
    assert_int_equal(queue_open(f->path, &o, &q, &err), SO_ERR_SCHEMA);
    assert_non_null(strstr(err.msg, "created by a newer signoff (schema 99"));
}

/* Ephemeral tables SQLite builds to run sql on the file (EXPLAIN). */
static int ephemeral_tables(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int n = 0;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
        n += strcmp((const char *)sqlite3_column_text(st, 1),
                    "OpenEphemeral") == 0;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static const char explain_claim[] =
    "EXPLAIN UPDATE drafts SET status = 'claimed' WHERE rid = 1";
static const char decision_row[] =
    "INSERT INTO decisions(draft, request_id, reviewer, action, body_sha,"
    " decided_at, prev_hash, hash) VALUES ('a', 'r', 'ana', 'approve', 's',"
    " 0, 'p', 'h')";

/* The file as schema v13 left it: no API tokens (and, FX_AS_V14, no
 * automation policy). */
#define AS_V13 FX_AS_V14 " DROP TABLE tokens;"
/* The file as schema v12 left it: no webhooks. */
#define AS_V12                                                                 \
    AS_V13 " DROP TRIGGER deliveries_ins; DROP TABLE delivery_attempts;"      \
    " DROP TABLE deliveries; DROP TABLE hooks;"
/* The file as schema v11 left it: no reasons table. */
#define AS_V11 AS_V12 " DROP TABLE reasons;"
static const char as_v11[] =
    "BEGIN; " AS_V11 " PRAGMA user_version = 11; COMMIT;";
/* The file as schema v9 left it: no claim times. */
#define AS_V9 AS_V11 " ALTER TABLE drafts DROP COLUMN claimed_at;"
/* The file as schema v8 left it: no guidelines. */
#define AS_V8 AS_V9 " ALTER TABLE workflows DROP COLUMN guidelines;"
static const char as_v8[] = "BEGIN; " AS_V8 " PRAGMA user_version = 8; COMMIT;";
/* The file as schema v6 left it: no outcomes, no action records. */
#define AS_V6                                                                  \
    AS_V8 " DROP INDEX outcomes_applied;"                                     \
    " ALTER TABLE workflows DROP COLUMN release_after_ms;"                     \
    " ALTER TABLE workflows DROP COLUMN applied_within_ms;"                    \
    " DROP TABLE outcomes; PRAGMA writable_schema = ON;"                       \
    " UPDATE sqlite_schema SET sql = replace(replace(sql,"                     \
    " ' OR action = ''applied''', ''), 'kind = ''review'' OR kind ="           \
    " ''resolve'' OR kind = ''action''', 'kind IN (''review'', ''resolve'')')" \
    " WHERE name = 'decisions'; PRAGMA writable_schema = RESET;"
static const char as_v6[] = "BEGIN; " AS_V6 " PRAGMA user_version = 6; COMMIT;";
/* The file as schema v5 left it: no decision counters. */
#define AS_V5                                                                  \
    AS_V6 " DROP TRIGGER decision_counts_ins; DROP TABLE decision_counts;"
static const char as_v5[] = "BEGIN; " AS_V5 " PRAGMA user_version = 5; COMMIT;";

/* The file as schema v4 left it: no UI guards in workflows. */
#define AS_V4                                                                  \
    AS_V5 " ALTER TABLE workflows DROP COLUMN min_seen_ms;"                    \
    " ALTER TABLE workflows DROP COLUMN confirm_flagged;"
/* The file as schema v3 left it: no coarse rollup. */
#define AS_V3                                                                  \
    AS_V4 " DROP TRIGGER rollup_wf_ins; DROP TRIGGER rollup_wf_del;"                  \
    " DROP TRIGGER rollup_wf_upd; DROP TRIGGER rollup_wf_move;"                \
    " DROP TRIGGER rollup_wf_hist_ins; DROP TRIGGER rollup_wf_hist_del;"       \
    " DROP TRIGGER rollup_wf_hist_upd; DROP TRIGGER rollup_wf_hist_move;"      \
    " DROP TABLE rollup_wf; DROP TABLE rollup_wf_hist;"
static const char as_v3[] = "BEGIN; " AS_V3 " PRAGMA user_version = 3; COMMIT;";

/* The file as schema v2 left it: IN lists in a partial index and a CHECK. */
static const char as_v2[] =
    "BEGIN; " AS_V3 " DROP INDEX drafts_open; CREATE INDEX drafts_open ON"
    " drafts(priority DESC, created_at, rid) WHERE status IN ('pending',"
    " 'claimed', 'resolve'); DROP INDEX drafts_open_wf; CREATE INDEX"
    " drafts_open_wf ON drafts(workflow, priority DESC, created_at, rid)"
    " WHERE status IN ('pending', 'claimed', 'resolve');"
    " PRAGMA writable_schema = ON;"
    " UPDATE sqlite_schema SET sql = replace(sql, 'status = ''pending'' OR"
    " status = ''claimed'' OR status = ''decided'' OR status = ''resolve''',"
    " 'status IN (''pending'', ''claimed'', ''decided'', ''resolve'')')"
    " WHERE name = 'drafts'; PRAGMA writable_schema = RESET;"
    " PRAGMA user_version = 2; COMMIT;";

/* v12: a v11 file gets the reasons table with the default set, which
 * every workflow takes until it has its own list; decide checks the
 * reason against it. */
static void test_schema_v12_reasons(void **state)
{
    struct fx *f = *state;
    struct queue *q = fx_open(f->path, "ana");
    fx_add(q, "a", "wf", "body a");
    queue_close(q);
    fx_sql_exec(f->path, as_v11);
    q = fx_open(f->path, "ana");
    assert_int_equal(fx_sql_int(f->path, "PRAGMA user_version"),
                     STORE_SCHEMA_VERSION);
    struct so_workflow w;
    struct so_error err;
    assert_int_equal(q->ops->workflow_get(q, "wf", &w, &err), SO_OK);
    assert_int_equal(w.nreasons, 6);
    assert_string_equal(w.reasons[0].code, "factual");
    assert_string_equal(w.reasons[5].label, "Other");
    assert_int_equal(w.reasons_own, 0);
    so_workflow_clear(&w);
    struct so_reason own[] = {{"legal", "Legal"}};
    struct so_workflow set = {.name = "wf", .reasons = own, .nreasons = 1};
    assert_int_equal(q->ops->workflow_set(q, &set, SO_WF_REASONS, &err),
                     SO_OK);
    struct so_decide_result res;
    fx_claim(q, "a", 0);
    struct so_decide_req rq = {.draft_id = "a", .request_id = "r1",
                               .action = SO_ACT_REJECT, .reason = "factual"};
    assert_int_equal(q->ops->decide(q, &rq, &res, &err), SO_ERR_INVALID);
    assert_string_equal(err.msg, "a: reason: 'factual' is not a reason code "
                                 "of workflow wf (legal)");
    rq.reason = "legal";
    assert_int_equal(q->ops->decide(q, &rq, &res, &err), SO_OK);
    queue_close(q);
}

/* v7: a v6 file's final outcomes become outcome rows, released and marked
 * as older than action records (no backlog); an escalation and an
 * undecided draft make none; after it, an action record can be added. */
static void test_schema_v7_outcomes(void **state)
{
    struct fx *f = *state;
    struct queue *q = fx_open(f->path, "ana");
    struct so_decide_result res;
    struct so_error err;
    fx_add(q, "a", "wf", "body a");
    fx_add(q, "b", "wf", "body b");
    fx_add(q, "c", "wf", "body c");
    fx_claim(q, "a", 0);
    assert_int_equal(fx_decide(q, "a", SO_ACT_APPROVE, NULL, "r1", &res, &err),
                     SO_OK);
    fx_claim(q, "b", 0);
    assert_int_equal(
        fx_decide(q, "b", SO_ACT_ESCALATE, NULL, "r2", &res, &err), SO_OK);
    queue_close(q);
    fx_sql_exec(f->path, as_v6);
    q = fx_open(f->path, "ana");
    assert_int_equal(fx_sql_int(f->path, "PRAGMA user_version"),
                     STORE_SCHEMA_VERSION);
    assert_int_equal(fx_sql_int(f->path, "SELECT count(*) FROM outcomes"), 1);
    assert_int_equal(fx_sql_int(f->path, "SELECT seq * 10 + applied_seq FROM"
                                         " outcomes WHERE draft = 'a'"),
                     20 - 1); /* seq 2: 1 is workflow wf's admin record */
    struct so_workflow w;
    assert_int_equal(q->ops->workflow_get(q, "wf", &w, &err), SO_OK);
    assert_int_equal(w.unapplied, 0);
    assert_int_equal(w.release_after_ms, 0);
    so_workflow_clear(&w);
    struct so_applied_req ar = {"a", "ap-1", "ticket 1", NULL};
    assert_int_equal(q->ops->applied(q, &ar, &res, &err), SO_OK);
    assert_int_equal(res.seq, 4);
    ar.draft_id = "b";
    ar.request_id = "ap-2";
    assert_int_equal(q->ops->applied(q, &ar, &res, &err), SO_ERR_CONFLICT);
    assert_non_null(strstr(err.msg, "no final outcome"));
    queue_close(q);
}

/* v3: a change of status and a decision row build no ephemeral table (an
 * IN list of three or more constants does, each time it is tested), and
 * a v2 file is migrated with its rows and its constraints kept. */
static void test_schema_v3_no_ephemeral_tables(void **state)
{
    struct fx *f = *state;
    char explain_decision[512];
    snprintf(explain_decision, sizeof explain_decision, "EXPLAIN %s",
             decision_row);
    struct queue *q = fx_open(f->path, "ana");
    fx_add(q, "a", "wf", "body");
    queue_close(q);
    assert_int_equal(ephemeral_tables(f->path, explain_claim), 0);
    assert_int_equal(ephemeral_tables(f->path, explain_decision), 0);

    fx_sql_exec(f->path, as_v2);
    assert_int_equal(ephemeral_tables(f->path, explain_claim), 5);
    q = fx_open(f->path, "ana");
    fx_claim(q, NULL, 0); /* served by the rebuilt partial index */
    queue_close(q);
    assert_int_equal(fx_sql_int(f->path, "PRAGMA user_version"),
                     STORE_SCHEMA_VERSION);
    assert_int_equal(ephemeral_tables(f->path, explain_claim), 0);
    assert_int_equal(
        fx_sql_int(f->path, "SELECT count(*) FROM sqlite_schema WHERE"
                            " sql LIKE '%status IN (%'"
                            " OR sql LIKE '%action IN (%'"),
        0);
    assert_int_equal(fx_sql_int(f->path, "SELECT count(*) FROM drafts"
                                         " WHERE id = 'a' AND status = "
                                         "'claimed'"),
                     1);

    /* The constraints still hold. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db, "UPDATE drafts SET status = 'lost'", NULL, NULL, NULL),
        SQLITE_CONSTRAINT);
    assert_int_equal(sqlite3_exec(db, decision_row, NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "UPDATE decisions SET action = 'shrug'",
                                  NULL, NULL, NULL),
                     SQLITE_CONSTRAINT);
    sqlite3_close(db);
}

static void test_open_pragmas(void **state)
{
    struct fx *f = *state;
    struct queue *q = fx_open(f->path, "ana");
    /* A claim, and a batch of a bulk enqueue that says more follow, commit
     * without fsync; then the handle is durable again. */
    fx_add(q, "a", "wf", "x");
    fx_claim(q, NULL, 0);
    struct so_draft *d = fx_draft("b", "wf", "y");
    struct so_enq_result r;
    struct so_error err;
    assert_int_equal(q->ops->enqueue(q, &d, 1, SO_ENQ_MORE, &r, &err), SO_OK);
    assert_int_equal(r.outcome, SO_ENQ_ADDED);
    so_draft_free(d);
    sqlite3 *db = ((struct store_probe { sqlite3 *db; } *)q->impl)->db;
    sqlite3_stmt *st;
    const char *checks[][2] = {{"PRAGMA journal_mode", "wal"},
                               {"PRAGMA foreign_keys", "1"},
                               {"PRAGMA synchronous", "2"},
                               {"PRAGMA journal_size_limit", "67108864"},
                               {"PRAGMA wal_autocheckpoint", "4000"}};
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        assert_int_equal(sqlite3_prepare_v2(db, checks[i][0], -1, &st, NULL),
                         SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_string_equal((const char *)sqlite3_column_text(st, 0),
                            checks[i][1]);
        sqlite3_finalize(st);
    }
    queue_close(q);
}

/* As a user who may not write: root bypasses permissions, so the check runs
 * in a child that drops to nobody. */
static void test_open_readonly(void **state)
{
    struct fx *f = *state;
    struct queue *q = fx_open(f->path, "ana");
    fx_add(q, "a", "wf", "body");
    queue_close(q);
    chmod(f->dir, 0755);
    chmod(f->path, 0444);
    /* The queue is owner-only and SQLite gives its -wal and -shm files the
     * database's mode: a reader allowed in (as a --group member is) can
     * read them too. */
    char side[4096];
    snprintf(side, sizeof side, "%s-wal", f->path);
    chmod(side, 0644);
    snprintf(side, sizeof side, "%s-shm", f->path);
    chmod(side, 0644);
    pid_t pid = fork();
    if (pid == 0) {
        if (getuid() == 0 && setuid(65534) != 0)
            _exit(10);
        struct queue_opts o = {0};
        struct so_error err;
        struct queue *rq = NULL;
        if (queue_open(f->path, &o, &rq, &err) != SO_ERR_READONLY ||
            !strstr(err.msg, "read-only"))
            _exit(11);
        o.readonly = 1;
        if (queue_open(f->path, &o, &rq, &err) != SO_OK) {
            fprintf(stderr, "%s\n", err.msg);
            _exit(12);
        }
        int64_t n = 0;
        struct so_list_req lr = {.conf_below = -1, .conf_atleast = -1};
        int bad = rq->ops->count(rq, &lr, &n, &err) != SO_OK || n != 1;
        queue_close(rq);
        _exit(bad ? 13 : 0);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    /* Opened read-only, a write is refused with SO_ERR_READONLY. */
    chmod(f->path, 0644);
    struct queue_opts o = {0};
    o.readonly = 1;
    struct so_error err;
    assert_int_equal(queue_open(f->path, &o, &q, &err), SO_OK);
    struct so_enq_result r;
    struct so_draft *d = fx_draft("b", "wf", "x");
    struct so_draft *const list[] = {d};
    assert_int_equal(q->ops->enqueue(q, list, 1, 0, &r, &err), SO_ERR_READONLY);
    so_draft_free(d);
    queue_close(q);
}

static void test_init_group(void **state)
{
    struct fx *f = *state;
    struct group *g = getgrgid(getgid());
    assert_non_null(g);
    char path[192];
    snprintf(path, sizeof path, "%s/shared/q.db", f->dir);
    struct queue_opts o = {0};
    o.create = 1;
    o.group = g->gr_name;
    struct queue *q = NULL;
    struct so_error err;
    assert_int_equal(queue_open(path, &o, &q, &err), SO_OK);
    queue_close(q);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0660);
    snprintf(path, sizeof path, "%s/shared", f->dir);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 02770);
    o.group = "no-such-group-signoff";
    assert_int_equal(queue_open(path, &o, &q, &err), SO_ERR_INVALID);
}

static void test_enqueue_outcomes(void **state)
{
    struct fx *f = *state;
    struct queue *q = fx_open(f->path, "ana");
    char why[512];
    assert_int_equal(
        fx_enq(q, fx_draft("a", "support", "hello"), 0, why, sizeof why),
        SO_ENQ_ADDED);
    assert_int_equal(
        fx_enq(q, fx_draft("a", "support", "hello"), 0, why, sizeof why),
        SO_ENQ_SAME);
    assert_int_equal(
        fx_enq(q, fx_draft("a", "support", "changed"), 0, why, sizeof why),
        SO_ENQ_FAILED);
    assert_string_equal(
        why, "id: already queued with other content (only a pending draft "
             "can be replaced)");
    assert_int_equal(
        fx_enq(q, fx_draft("a", "support", "changed"), 1, why, sizeof why),
        SO_ENQ_REPLACED);
    struct so_draft *d = NULL;
    struct so_error err;
    assert_int_equal(q->ops->get(q, "a", &d, &err), SO_OK);
    assert_string_equal(d->body, "changed");
    so_draft_free(d);

    fx_claim(q, "a", 0);
    assert_int_equal(
        fx_enq(q, fx_draft("a", "support", "third"), 1, why, sizeof why),
        SO_ENQ_FAILED);
    assert_string_equal(why, "id: already claimed: only a pending draft can be "
                             "replaced");
    struct so_draft *bad = fx_draft("b", "support", "x");
    free(bad->body);
    bad->body = NULL;
    assert_int_equal(fx_enq(q, bad, 0, why, sizeof why), SO_ENQ_FAILED);
    assert_string_equal(why, "body: required");

    /* The unknown workflow was created with the defaults. */
    struct so_workflow w;
    assert_int_equal(q->ops->workflow_get(q, "support", &w, &err), SO_OK);
    assert_true(w.threshold > 0.199 && w.threshold < 0.201);
    assert_int_equal(w.window_ms, 7 * DAY);
    assert_int_equal(w.min_decisions, 30);
    assert_int_equal(w.reviews, 1);
    assert_int_equal(w.automation_paused, 0);
    assert_int_equal(w.pending, 1);
    so_workflow_clear(&w);
    queue_close(q);
}

static void test_enqueue_citations_and_grounding(void **state)
{
    struct fx *f = *state;
    struct queue *q = fx_open(f->path, "ana");
    struct so_draft *d = fx_draft("g", "wf", "Refunds allowed [1] and [2].");
    d->ncitations = 1;
    d->citations = xcalloc(1, sizeof *d->citations);
    d->citations[0].n = 1;
    d->citations[0].title = xstrdup("Policy");
    d->citations[0].uri = xstrdup("https://kb/1");
    d->citations[0].excerpt = xstrdup("refunds within 30 days");
    d->citations[0].quote = xstrdup("within 30 days");
    assert_int_equal(fx_enq(q, d, 0, NULL, 0), SO_ENQ_ADDED);
    fx_add(q, "ok", "wf", "No markers here.");
    struct so_draft *got = NULL;
    struct so_error err;
    assert_int_equal(q->ops->get(q, "g", &got, &err), SO_OK);
    assert_int_equal(got->ncitations, 1);
    assert_string_equal(got->citations[0].quote, "within 30 days");
    assert_string_equal(got->citations[0].uri, "https://kb/1");
    assert_true(got->confidence > 0.74 && got->confidence < 0.76);
    so_draft_free(got);
    struct so_list_req lr = {
        .conf_below = -1, .conf_atleast = -1, .grounding_only = 1};
    struct so_draft_page page;
    assert_int_equal(q->ops->list(q, &lr, &page, &err), SO_OK);
    assert_int_equal(page.n, 1);
    assert_string_equal(page.rows[0].id, "g");
    assert_int_equal(page.rows[0].flags & SO_ROW_GROUNDING, SO_ROW_GROUNDING);
    so_draft_page_free(&page);
    queue_close(q);
}

static void test_claim_order_and_filters(void **state)
{
    struct fx *f = *state;
    struct queue *q = fx_open(f->path, "ana");
    fx_now(T0 + 1000);
    fx_add(q, "old-low", "wf", "x");
    fx_now(T0 + 2000);
    struct so_draft *d = fx_draft("new-high", "wf", "x");
    d->priority = 5;
    fx_enq(q, d, 0, NULL, 0);
    fx_now(T0 + 3000);
    fx_add(q, "new-low", "wf", "x");
    fx_add(q, "other", "other-wf", "x");
    struct so_error err;
    assert_int_equal(q->ops->workflow_pause(q, "wf", 1, "testing", &err),
                     SO_OK);

    const char *want[] = {"new-high", "old-low", "new-low"};
    for (size_t i = 0; i < 3; i++) {
        struct so_claim_req req = {"wf", NULL, 0};
        struct so_draft *got = NULL;
        assert_int_equal(q->ops->claim(q, &req, &got, &err), SO_OK);
        assert_string_equal(got->id, want[i]);
        assert_string_equal(got->claimed_by, "ana");
        assert_int_equal(got->status, SO_DS_CLAIMED);
        assert_int_equal(got->lease_until, T0 + 3000 + SO_DEFAULT_LEASE_MS);
        assert_int_equal(got->lease_token, 1);
        assert_int_equal(got->attempts, 1);
        so_draft_free(got);
    }
    struct so_claim_req req = {"wf", NULL, 0};
    struct so_draft *got = NULL;
    assert_int_equal(q->ops->claim(q, &req, &got, &err), SO_EMPTY);
    assert_null(got);
    req.workflow = NULL;
    assert_int_equal(q->ops->claim(q, &req, &got, &err), SO_OK);
    assert_string_equal(got->id, "other");
    so_draft_free(got);
    queue_close(q);
}

static void test_claim_by_id(void **state)
{
    struct fx *f = *state;
    struct queue *ana = fx_open(f->path, "ana");
    struct queue *bob = fx_open(f->path, "bob");
    fx_now(T0);
    fx_add(ana, "x", "wf", "x");
    int64_t tok = fx_claim(ana, "x", 60000);
    struct so_claim_req req = {NULL, "x", 0};
    struct so_draft *d = NULL;
    struct so_error err;
    assert_int_equal(bob->ops->claim(bob, &req, &d, &err), SO_ERR_LEASE);
    char want[128], hhmm[32];
    so_format_time(T0 + 60000, hhmm);
    snprintf(want, sizeof want, "x: claimed by ana until %.5s UTC", hhmm + 11);
    assert_string_equal(err.msg, want);
    /* Re-claiming my own live claim renews it and keeps the token. */
    fx_now(T0 + 1000);
    assert_int_equal(ana->ops->claim(ana, &req, &d, &err), SO_OK);
    assert_int_equal(d->lease_token, tok);
    assert_int_equal(d->lease_until, T0 + 1000 + SO_DEFAULT_LEASE_MS);
    so_draft_free(d);
    req.draft_id = "nope";
    assert_int_equal(ana->ops->claim(ana, &req, &d, &err), SO_ERR_NOTFOUND);
    queue_close(ana);
    queue_close(bob);
}

static void test_lease_lost_after_takeover(void **state)
{
    struct fx *f = *state;
    struct queue *ana = fx_open(f->path, "ana");
    struct queue *bob = fx_open(f->path, "bob");
    fx_now(T0);
    fx_add(ana, "x", "wf", "body");
    fx_add(ana, "y", "wf", "body");
    int64_t tok = fx_claim(ana, "x", 1000);
    /* Expired, nobody took it: Ana may still decide. */
    fx_claim(ana, "y", 1000);
    fx_now(T0 + 5000);
    struct so_decide_result res;
    struct so_error err;
    assert_int_equal(
        fx_decide(ana, "y", SO_ACT_APPROVE, NULL, "r-y", &res, &err), SO_OK);
    /* Expired and taken over: lease lost, nothing written. */
    assert_int_equal(fx_claim(bob, NULL, 0), tok + 1);
    struct so_decide_req req;
    memset(&req, 0, sizeof req);
    req.draft_id = "x";
    req.request_id = "r-x";
    req.action = SO_ACT_APPROVE;
    req.lease_token = tok;
    assert_int_equal(ana->ops->decide(ana, &req, &res, &err), SO_ERR_LEASE);
    assert_non_null(strstr(err.msg, "x: lease lost"));
    assert_int_equal(fx_sql_int(f->path, "SELECT count(*) FROM decisions WHERE kind <> 'admin'"), 1);
    /* A stale token of my own claim is refused too. */
    req.request_id = "r-x2";
    assert_int_equal(bob->ops->decide(bob, &req, &res, &err), SO_ERR_LEASE);
    assert_string_equal(err.msg, "x: lease lost: claimed again since");
    req.lease_token = tok + 1;
    assert_int_equal(bob->ops->decide(bob, &req, &res, &err), SO_OK);
    queue_close(ana);
    queue_close(bob);
}

static void test_decide_errors_and_replay(void **state)
{
    struct fx *f = *state;
    struct queue *q = fx_open(f->path, "ana");
    fx_now(T0);
    fx_add(q, "a", "wf", "body");
    struct so_decide_result res, res2;
    struct so_error err;
    assert_int_equal(
        fx_decide(q, "nope", SO_ACT_APPROVE, NULL, "r0", &res, &err),
        SO_ERR_NOTFOUND);
    assert_string_equal(err.msg, "nope: no such draft");
    assert_int_equal(fx_decide(q, "a", SO_ACT_APPROVE, NULL, "r0", &res, &err),
                     SO_ERR_LEASE);
    assert_string_equal(err.msg, "a: lease lost: not claimed by you");
    assert_int_equal(fx_decide(q, "a", SO_ACT_EDIT, NULL, "r0", &res, &err),
                     SO_ERR_INVALID);
    /* A request id is kept in the chain and printed: a name (names.h). */
    assert_int_equal(
        fx_decide(q, "a", SO_ACT_APPROVE, NULL, "r\033]0;x\a", &res, &err),
        SO_ERR_INVALID);
    assert_string_equal(err.msg, "request_id: control character U+001B at byte 1");
    struct so_draft *u = NULL;
    assert_int_equal(q->ops->undo(q, "undo\xe2\x80\xae", &u, &err),
                     SO_ERR_INVALID);
    assert_string_equal(err.msg, "request_id: bidi control U+202E at byte 4");
    assert_null(u);
    fx_claim(q, "a", 0);
    assert_int_equal(fx_decide(q, "a", SO_ACT_REJECT, NULL, "r1", &res, &err),
                     SO_OK);
    assert_int_equal(res.replayed, 0);
    assert_int_equal(res.seq, 2); /* 1: workflow wf made by the enqueue */
    assert_int_equal(res.action, SO_ACT_REJECT);
    assert_string_equal(res.draft_status, "decided");
    /* The same request again: the first answer, replayed. */
    fx_now(T0 + 1000);
    assert_int_equal(fx_decide(q, "a", SO_ACT_REJECT, NULL, "r1", &res2, &err),
                     SO_OK);
    assert_int_equal(res2.replayed, 1);
    assert_int_equal(res2.seq, res.seq);
    assert_string_equal(res2.hash, res.hash);
    assert_int_equal(res2.decided_at, T0);
    /* A new request on a decided draft is a conflict. */
    assert_int_equal(fx_decide(q, "a", SO_ACT_APPROVE, NULL, "r2", &res2, &err),
                     SO_ERR_CONFLICT);
    assert_string_equal(err.msg, "a: already decided");
    assert_int_equal(fx_sql_int(f->path, "SELECT count(*) FROM decisions WHERE kind <> 'admin'"), 1);
    queue_close(q);
}

/* A request id answers only to its reviewer, and only with the same
 * content (issue 17, finding 10). */
static void test_decide_replay_is_mine_only(void **state)
{
    struct fx *f = *state;
    struct queue *ana = fx_open(f->path, "ana");
    struct queue *bob = fx_open(f->path, "bob");
    fx_now(T0);
    fx_add(ana, "a", "wf", "body");
    fx_add(ana, "b", "wf", "body");
    fx_claim(ana, "a", 0);
    fx_claim(bob, "b", 0);
    struct so_decide_result res;
    struct so_error err;
    assert_int_equal(fx_decide(ana, "a", SO_ACT_REJECT, NULL, "r1", &res, &err),
                     SO_OK);
    assert_int_equal(fx_decide(bob, "a", SO_ACT_REJECT, NULL, "r1", &res, &err),
                     SO_ERR_CONFLICT);
    assert_string_equal(err.msg, "a: request_id r1 is already used by another"
                                 " reviewer; make a new one");
    assert_int_equal(fx_decide(bob, "b", SO_ACT_APPROVE, NULL, "r1", &res, &err),
                     SO_ERR_CONFLICT);
    assert_null(strstr(err.msg, "reject"));
    assert_int_equal(
        fx_decide(ana, "a", SO_ACT_APPROVE, NULL, "r1", &res, &err),
        SO_ERR_CONFLICT);
    assert_string_equal(err.msg, "a: request_id r1 already used for a "
                                 "different decision; make a new one");
    assert_int_equal(fx_decide(ana, "a", SO_ACT_REJECT, NULL, "r1", &res, &err),
                     SO_OK);
    assert_int_equal(res.replayed, 1);
    assert_int_equal(fx_sql_int(f->path, "SELECT count(*) FROM decisions WHERE kind <> 'admin'"), 1);
    queue_close(ana);
    queue_close(bob);
}

/* Client-reported times are bounded by the claim (issue 17, finding 8):
 * active time at most the time since the claim, shown_at within it. */
static void test_decide_clamps_times(void **state)
{
    fx_needs(FX_ROLLUP);
    struct fx *f = *state;
    struct queue *q = fx_open(f->path, "ana");
    fx_now(T0);
    fx_add(q, "a", "wf", "body");
    fx_add(q, "b", "wf", "body");
    fx_add(q, "c", "wf", "body");
    fx_claim(q, "a", 0);
    fx_claim(q, "b", 0);
    fx_claim(q, "c", 0);
    fx_now(T0 + 30000);
    struct so_decide_req req;
    struct so_decide_result res;
    struct so_error err;
    memset(&req, 0, sizeof req);
    req.action = SO_ACT_APPROVE;
    req.draft_id = "a";
    req.request_id = "r1";
    req.active_ms = 9007199254740991LL; /* 2^53 - 1 */
    req.shown_at = 9007199254740991LL;  /* the year 287396 */
    assert_int_equal(q->ops->decide(q, &req, &res, &err), SO_OK);
    req.draft_id = "b";
    req.request_id = "r2";
    req.active_ms = 12000;
    req.shown_at = 1; /* before the claim */
    assert_int_equal(q->ops->decide(q, &req, &res, &err), SO_OK);
    req.draft_id = "c";
    req.request_id = "r3";
    req.active_ms = 0;
    req.shown_at = 0; /* not reported */
    assert_int_equal(q->ops->decide(q, &req, &res, &err), SO_OK);
    assert_int_equal(fx_sql_int(f->path, "SELECT active_ms FROM decisions"
                                         " WHERE draft = 'a'"),
                     30000);
    assert_int_equal(fx_sql_int(f->path, "SELECT shown_at FROM decisions"
                                         " WHERE draft = 'a'"),
                     T0 + 30000);
    assert_int_equal(fx_sql_int(f->path, "SELECT active_ms FROM decisions"
                                         " WHERE draft = 'b'"),
                     12000);
    assert_int_equal(fx_sql_int(f->path, "SELECT shown_at FROM decisions"
                                         " WHERE draft = 'b'"),
                     T0);
    assert_int_equal(fx_sql_int(f->path, "SELECT shown_at FROM decisions"
                                         " WHERE draft = 'c'"),
                     0);
    struct so_stats_req sr = {0, 0, NULL, 0};
    struct so_rollup r;
    assert_int_equal(q->ops->rollup(q, &sr, &r, &err), SO_OK);
    assert_int_equal(r.rows[0].active_ms_sum, 30000 + 12000);
    so_rollup_free(&r);
    queue_close(q);
}

static void test_unchanged_edit_is_approve(void **state)
{
    fx_needs(FX_ROLLUP);
    struct fx *f = *state;
    struct queue *q = fx_open(f->path, "ana");
    fx_now(T0);
    fx_add(q, "a", "wf", "one two three");
    fx_add(q, "b", "wf", "one two three");
    fx_claim(q, "a", 0);
    fx_claim(q, "b", 0);
    struct so_decide_result res;
    struct so_error err;
    assert_int_equal(
        fx_decide(q, "a", SO_ACT_EDIT, "one two three", "r1", &res, &err),
        SO_OK);
    assert_int_equal(res.action, SO_ACT_APPROVE);
    assert_int_equal(
        fx_decide(q, "b", SO_ACT_EDIT, "one 2 three four", "r2", &res, &err),
        SO_OK);
    assert_int_equal(res.action, SO_ACT_EDIT);
    struct so_decision *ds = NULL;
    size_t n = 0;
    assert_int_equal(q->ops->decisions(q, "b", &ds, &n, &err), SO_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ds[0].edit_size, 3); /* two -> 2, + four */
    assert_string_equal(ds[0].final_body, "one 2 three four");
    so_decision_clear(&ds[0]);
    free(ds);
    struct so_stats_req sr = {0, 0, NULL, 0};
    struct so_rollup r;
    assert_int_equal(q->ops->rollup(q, &sr, &r, &err), SO_OK);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.rows[0].approved, 1);
    assert_int_equal(r.rows[0].edited, 1);
    assert_int_equal(r.rows[0].edit_words_sum, 3);
    assert_int_equal(r.rows[0].edit_hist[so_hist_bucket(3)], 1);
    so_rollup_free(&r);
    queue_close(q);
}

/* A final body differing only by whitespace (an editor's trailing newline)
 * changes no word: an approve, with the body kept as given. */
static void test_whitespace_edit_is_approve(void **state)
{
    fx_needs(FX_ROLLUP);
    struct fx *f = *state;
    struct queue *q = fx_open(f->path, "ana");
    fx_now(T0);
    fx_add(q, "a", "wf", "one two three");
    fx_claim(q, "a", 0);
    struct so_decide_result res;
    struct so_error err;
    assert_int_equal(
        fx_decide(q, "a", SO_ACT_EDIT, "one two  three\n", "r1", &res, &err),
        SO_OK);
    assert_int_equal(res.action, SO_ACT_APPROVE);
    struct so_decision *ds = NULL;
    size_t n = 0;
    assert_int_equal(q->ops->decisions(q, "a", &ds, &n, &err), SO_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ds[0].action, SO_ACT_APPROVE);
    assert_int_equal(ds[0].edit_size, 0);
    assert_string_equal(ds[0].final_body, "one two  three\n");
    so_decision_clear(&ds[0]);
    free(ds);
    struct so_stats_req sr = {0, 0, NULL, 0};
    struct so_rollup r;
    assert_int_equal(q->ops->rollup(q, &sr, &r, &err), SO_OK);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.rows[0].approved, 1);
    assert_int_equal(r.rows[0].edited, 0);
    so_rollup_free(&r);
    assert_int_equal(
        fx_sql_int(f->path, "SELECT count(*) FROM drafts WHERE id = 'a'"
                            " AND final_action = 'approve'"),
        1);
    queue_close(q);
}

static void test_chain_links(void **state)
{
    struct fx *f = *state;
    struct queue *q = fx_open(f->path, "ana");
    fx_now(T0);
    const char *ids[] = {"a", "b", "c"};
    for (size_t i = 0; i < 3; i++) {
        fx_add(q, ids[i], "wf", "the body");
        fx_claim(q, ids[i], 0);
    }
    struct so_decide_result res;
    struct so_error err;
    assert_int_equal(fx_decide(q, "a", SO_ACT_APPROVE, NULL, "r1", &res, &err),
                     SO_OK);
    assert_int_equal(
        fx_decide(q, "b", SO_ACT_EDIT, "new body", "r2", &res, &err), SO_OK);
    assert_int_equal(fx_decide(q, "c", SO_ACT_ESCALATE, NULL, "r3", &res, &err),
                     SO_OK);
    /* Record 1 is the admin record of workflow wf, made by the first
     * enqueue; the decisions follow it. */
    char prev[65] = "", body_sha[65];
    assert_int_equal(fx_sql_int(f->path, "SELECT count(*) FROM decisions"
                                         " WHERE seq = 1 AND kind = 'admin'"
                                         " AND prev_hash = '" AUDIT_GENESIS "'"),
                     1);
    audit_sha256_hex("the body", 8, body_sha);
    for (size_t i = 0; i < 3; i++) {
        struct so_decision *ds = NULL;
        size_t n = 0;
        assert_int_equal(q->ops->decisions(q, ids[i], &ds, &n, &err), SO_OK);
        assert_int_equal(n, 1);
        assert_int_equal(ds[0].seq, (int64_t)i + 2);
        if (i == 0) { /* record 1's hash, as the chain holds it */
            char *sql = xasprintf("SELECT count(*) FROM decisions WHERE"
                                  " seq = 1 AND hash = '%s'", ds[0].prev_hash);
            assert_int_equal(fx_sql_int(f->path, sql), 1);
            free(sql);
            memcpy(prev, ds[0].prev_hash, sizeof prev);
        }
        assert_string_equal(ds[0].prev_hash, prev);
        assert_string_equal(ds[0].body_sha, body_sha);
        char h[65];
        audit_record_hash(prev, &ds[0], h);
        assert_string_equal(ds[0].hash, h);
        memcpy(prev, h, sizeof prev);
        so_decision_clear(&ds[0]);
        free(ds);
    }
    /* The head (meta on SQLite, chain_head on PostgreSQL) names the last
     * record. */
    assert_int_equal(
        fx_sql_int(f->path, fx_pg() ? "SELECT seq FROM chain_head"
                                    : "SELECT value FROM meta WHERE key ="
                                      " 'chain_seq'"),
        4);
    /* A changed record no longer hashes to its stored hash. */
    fx_sql_exec(f->path, "UPDATE decisions SET note = 'x' WHERE seq = 3");
    struct so_decision *ds = NULL;
    size_t n = 0;
    assert_int_equal(q->ops->decisions(q, "b", &ds, &n, &err), SO_OK);
    char h[65];
    audit_record_hash(ds[0].prev_hash, &ds[0], h);
    assert_string_not_equal(ds[0].hash, h);
    so_decision_clear(&ds[0]);
    free(ds);
    queue_close(q);
}

static void test_canonical_json(void **state)
{
    (void)state;
    struct so_decision d;
    memset(&d, 0, sizeof d);
    d.seq = 7;
    d.draft_id = "T-1";
    d.request_id = "rq";
    d.reviewer = "ana";
    d.action = SO_ACT_REJECT;
    d.kind = "review";
    d.reason = "tone";
    d.decided_at = T0;
    strcpy(d.body_sha, "ab");
    char *json = audit_canonical_json(&d);
    assert_string_equal(
        json, "{\"seq\":7,\"draft\":\"T-1\",\"request_id\":\"rq\","
              "\"reviewer\":\"ana\",\"action\":\"reject\",\"kind\":\"review\","
              "\"reason\":\"tone\",\"note\":null,\"edit_size\":0,"
              "\"body_sha\":\"ab\",\"final_sha\":null,\"shown_at\":0,"
              "\"decided_at\":1795000000000,\"active_ms\":0,"
              "\"reverts_seq\":0}");
    free(json);
    char h[65];
    audit_sha256_hex("abc", 3, h);
    assert_string_equal(
        h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static int64_t rollup_sum(struct queue *q, size_t field)
{
    struct so_stats_req sr = {0, 0, NULL, 0};
    struct so_rollup r;
    struct so_error err;
    assert_int_equal(q->ops->rollup(q, &sr, &r, &err), SO_OK);
    int64_t sum = 0;
    for (size_t i = 0; i < r.n; i++)
        sum += *(int64_t *)((char *)&r.rows[i] + field);
    so_rollup_free(&r);
    return sum;
}

/* Four drafts of five words, decided approve (fast), edit, reject,
 * escalate. */
static struct queue *decide_four(const char *path)
{
    struct queue *q = fx_open(path, "ana");
    fx_now(T0);
    const char *ids[] = {"a", "b", "c", "d"};
    for (size_t i = 0; i < 4; i++) {
        fx_add(q, ids[i], "wf", "a body of five words");
        fx_claim(q, ids[i], 0);
    }
    fx_now(T0 + 60000); /* a minute on the claims: room for active_ms */
    struct so_decide_req req;
    memset(&req, 0, sizeof req);
    struct so_decide_result res;
    struct so_error err;
    req.draft_id = "a";
    req.request_id = "r1";
    req.action = SO_ACT_APPROVE;
    req.active_ms = 100; /* faster than 5 words can be read */
    assert_int_equal(q->ops->decide(q, &req, &res, &err), SO_OK);
    assert_int_equal(fx_decide(q, "b", SO_ACT_EDIT, "a body", "r2", &res, &err),
                     SO_OK);
    assert_int_equal(fx_decide(q, "c", SO_ACT_REJECT, NULL, "r3", &res, &err),
                     SO_OK);
    assert_int_equal(fx_decide(q, "d", SO_ACT_ESCALATE, NULL, "r4", &res, &err),
                     SO_OK);
    return q;
}

static void test_rollup_counts(void **state)
{
    fx_needs(FX_ROLLUP);
    struct fx *f = *state;
    struct queue *q = decide_four(f->path);
    struct so_stats_req sr = {0, 0, NULL, 0};
    struct so_rollup r;
    struct so_error err;
    assert_int_equal(q->ops->rollup(q, &sr, &r, &err), SO_OK);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.rows[0].day, T0 / DAY);
    assert_string_equal(r.rows[0].workflow, "wf");
    assert_string_equal(r.rows[0].model, "m-1");
    assert_string_equal(r.rows[0].reviewer, "ana");
    assert_int_equal(r.rows[0].band, 7);
    assert_int_equal(r.rows[0].approved, 1);
    assert_int_equal(r.rows[0].edited, 1);
    assert_int_equal(r.rows[0].rejected, 1);
    assert_int_equal(r.rows[0].escalated, 1);
    assert_int_equal(r.rows[0].fast_approvals, 1);
    assert_int_equal(r.rows[0].active_ms_sum, 100 + 3 * 5000);
    assert_int_equal(r.rows[0].time_hist[so_hist_bucket(5000)], 3);
    assert_int_equal(r.nreasons, 1);
    assert_string_equal(r.reasons[0].reason, "tone");
    assert_int_equal(r.reasons[0].count, 1);
    so_rollup_free(&r);
    /* A range that ends before the day holds nothing. */
    sr.until_ms = T0 / DAY * DAY;
    assert_int_equal(q->ops->rollup(q, &sr, &r, &err), SO_OK);
    assert_int_equal(r.n, 0);
    so_rollup_free(&r);
    int64_t n;
    assert_int_equal(q->ops->my_today(q, &n, &err), SO_OK);
    assert_int_equal(n, 4);
    queue_close(q);
}

/* The coarse rollup (schema v4) holds exactly the fine cells summed over
 * model and reviewer: rows of one side missing from the other, counted. */
#define FINE_CELLS                                                             \
    "SELECT day, workflow, band, sum(approved), sum(edited), sum(rejected),"   \
    " sum(escalated), sum(fast_approvals), sum(active_ms_sum),"                \
    " sum(edit_words_sum) FROM rollup GROUP BY day, workflow, band"
#define COARSE_CELLS                                                           \
    "SELECT day, workflow, band, approved, edited, rejected, escalated,"       \
    " fast_approvals, active_ms_sum, edit_words_sum FROM rollup_wf"
#define FINE_HIST                                                              \
    "SELECT day, workflow, band, metric, bucket, sum(count) FROM rollup_hist"  \
    " GROUP BY day, workflow, band, metric, bucket"
#define COARSE_HIST                                                            \
    "SELECT day, workflow, band, metric, bucket, count FROM rollup_wf_hist"
static const char coarse_vs_fine[] =
    "SELECT (SELECT count(*) FROM (" FINE_CELLS " EXCEPT " COARSE_CELLS "))"
    " + (SELECT count(*) FROM (" COARSE_CELLS " EXCEPT " FINE_CELLS "))"
    " + (SELECT count(*) FROM (" FINE_HIST " EXCEPT " COARSE_HIST "))"
    " + (SELECT count(*) FROM (" COARSE_HIST " EXCEPT " FINE_HIST "))";

static void assert_coarse_rollup(const char *path)
{
    if (fx_pg())
        return; /* the SQLite store's own tables */
    assert_true(fx_sql_int(path, "SELECT count(*) FROM rollup_wf") > 0);
    assert_int_equal(fx_sql_int(path, coarse_vs_fine), 0);
}

/* The rollup summed over reviewers: one row per (day, workflow, model,
 * band) with the histograms of every reviewer's cells merged into it. */
static void test_rollup_fold(void **state)
{
    fx_needs(FX_ROLLUP);
    struct fx *f = *state;
    struct queue *q = decide_four(f->path);
    struct queue *bob = fx_open(f->path, "bob");
    fx_now(T0);
    fx_add(bob, "e", "wf", "a body of five words");
    fx_claim(bob, "e", 0);
    fx_now(T0 + 60000);
    struct so_decide_result res;
    struct so_error err;
    assert_int_equal(
        fx_decide(bob, "e", SO_ACT_APPROVE, NULL, "r5", &res, &err), SO_OK);
    struct so_stats_req sr = {0, 0, NULL, 0};
    struct so_rollup r;
    assert_int_equal(q->ops->rollup(q, &sr, &r, &err), SO_OK);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.rows[0].reviewer, "ana");
    assert_int_equal(r.rows[0].time_hist[so_hist_bucket(5000)], 3);
    assert_string_equal(r.rows[1].reviewer, "bob");
    assert_int_equal(r.rows[1].approved, 1);
    assert_int_equal(r.rows[1].time_hist[so_hist_bucket(5000)], 1);
    so_rollup_free(&r);
    sr.fold = SO_FOLD_REVIEWER;
    assert_int_equal(q->ops->rollup(q, &sr, &r, &err), SO_OK);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.rows[0].reviewer, "");
    assert_string_equal(r.rows[0].model, "m-1");
    assert_int_equal(r.rows[0].approved, 2);
    assert_int_equal(r.rows[0].edited, 1);
    assert_int_equal(r.rows[0].fast_approvals, 1);
    assert_int_equal(r.rows[0].active_ms_sum, 100 + 4 * 5000);
    assert_int_equal(r.rows[0].time_hist[so_hist_bucket(5000)], 4);
    assert_int_equal(r.rows[0].time_hist[so_hist_bucket(100)], 1);
    assert_int_equal(r.nreasons, 1);
    so_rollup_free(&r);
    sr.fold = SO_FOLD_REVIEWER | SO_FOLD_MODEL;
    assert_int_equal(q->ops->rollup(q, &sr, &r, &err), SO_OK);
    assert_int_equal(r.n, 1);
    assert_null(r.rows[0].model);
    assert_int_equal(r.rows[0].approved, 2);
    assert_int_equal(r.rows[0].time_hist[so_hist_bucket(5000)], 4);
    so_rollup_free(&r);
    queue_close(bob);
    queue_close(q);
    assert_coarse_rollup(f->path);
    if (fx_pg())
        return; /* the rest is a queue file's migration */

    /* A v3 file (no coarse tables) gets them filled from the fine ones. */
    fx_sql_exec(f->path, as_v3);
    q = fx_open(f->path, "ana");
    queue_close(q);
    assert_int_equal(fx_sql_int(f->path, "PRAGMA user_version"),
                     STORE_SCHEMA_VERSION);
    assert_coarse_rollup(f->path);
}

/* Decisions ever recorded of the one workflow with action a. */
static int64_t recorded(struct queue *q, enum so_action a)
{
    struct so_workflow *wfs = NULL;
    size_t n = 0;
    struct so_error err;
    assert_int_equal(q->ops->workflow_list(q, &wfs, &n, &err), SO_OK);
    assert_int_equal(n, 1);
    int64_t v = wfs[0].recorded[a];
    so_workflow_clear(&wfs[0]);
    free(wfs);
    return v;
}

/* The counters of /metrics only grow: an undo is counted as a revert and
 * the decision it undid stays counted; a v5 file gets them from its
 * decisions. */
static void test_decision_counters(void **state)
{
    fx_needs(FX_ROLLUP);
    fx_needs(FX_COUNTERS);
    struct fx *f = *state;
    struct queue *q = decide_four(f->path);
    struct so_draft *d = NULL;
    struct so_error err;
    assert_int_equal(recorded(q, SO_ACT_REJECT), 1);
    assert_int_equal(recorded(q, SO_ACT_ESCALATE), 1);
    assert_int_equal(q->ops->undo(q, "u1", &d, &err), SO_OK); /* escalate */
    so_draft_free(d);
    assert_int_equal(recorded(q, SO_ACT_ESCALATE), 1);
    assert_int_equal(recorded(q, SO_ACT_REVERT), 1);
    assert_int_equal(rollup_sum(q, offsetof(struct so_rollup_row, escalated)),
                     0);
    queue_close(q);
    if (fx_pg())
        return; /* the rest is a queue file's migration */
    fx_sql_exec(f->path, as_v5);
    q = fx_open(f->path, "ana");
    assert_int_equal(recorded(q, SO_ACT_APPROVE), 1);
    assert_int_equal(recorded(q, SO_ACT_EDIT), 1);
    assert_int_equal(recorded(q, SO_ACT_ESCALATE), 1);
    assert_int_equal(recorded(q, SO_ACT_REVERT), 1);
    queue_close(q);
}

static void test_undo(void **state)
{
    fx_needs(FX_ROLLUP);
    struct fx *f = *state;
    struct queue *q = decide_four(f->path);
    struct so_draft *d = NULL;
    struct so_error err;
    /* Undo the escalation, then the reject: the rollup forgets them. */
    assert_int_equal(q->ops->undo(q, "u1", &d, &err), SO_OK);
    assert_string_equal(d->id, "d");
    assert_int_equal(d->status, SO_DS_CLAIMED);
    assert_string_equal(d->claimed_by, "ana");
    assert_int_equal(d->lease_token, 2);
    assert_null(d->last_action);
    so_draft_free(d);
    assert_int_equal(q->ops->undo(q, "u1", &d, &err), SO_OK); /* replay */
    assert_string_equal(d->id, "d");
    so_draft_free(d);
    assert_int_equal(q->ops->undo(q, "u2", &d, &err), SO_OK);
    assert_string_equal(d->id, "c");
    so_draft_free(d);
    assert_int_equal(rollup_sum(q, offsetof(struct so_rollup_row, escalated)),
                     0);
    assert_int_equal(rollup_sum(q, offsetof(struct so_rollup_row, rejected)),
                     0);
    assert_int_equal(rollup_sum(q, offsetof(struct so_rollup_row, approved)),
                     1);
    struct so_stats_req sr = {0, 0, NULL, 0};
    struct so_rollup r;
    assert_int_equal(q->ops->rollup(q, &sr, &r, &err), SO_OK);
    assert_int_equal(r.nreasons, 0);
    so_rollup_free(&r);
    int64_t n;
    assert_int_equal(q->ops->my_today(q, &n, &err), SO_OK);
    assert_int_equal(n, 2);
    assert_int_equal(
        fx_sql_int(f->path, "SELECT reverts_seq FROM decisions WHERE seq = 6"),
        5);
    assert_int_equal(fx_sql_int(f->path, "SELECT count(*) FROM decisions WHERE kind <> 'admin'"), 6);
    /* The undone draft can be decided again. */
    struct so_decide_result res;
    assert_int_equal(fx_decide(q, "d", SO_ACT_APPROVE, NULL, "r5", &res, &err),
                     SO_OK);
    assert_int_equal(res.seq, 8);
    queue_close(q);
    assert_coarse_rollup(f->path);
}

static int64_t decision_hist_sum(struct queue *q, int64_t ms)
{
    return rollup_sum(q, offsetof(struct so_rollup_row, decision_hist) +
                             sizeof(int64_t) * (size_t)so_hist_bucket(ms));
}

/* The task figures of a final decision (issue 16 part 4): the producer's
 * cost, tokens and time, the reviewing time at the workflow's rate, the
 * SLA and the time to decision; an undo takes back exactly what was
 * counted, though the rate changed in between. */
static void test_rollup_cost_undo(void **state)
{
    fx_needs(FX_ROLLUP);
    struct fx *f = *state;
    struct queue *q = fx_open(f->path, "ana");
    fx_now(T0);
    struct so_draft *d = fx_draft("a", "wf", "a body of five words");
    d->cost_micros = 250000;
    snprintf(d->currency, sizeof d->currency, "USD");
    d->tokens = 1200;
    d->latency_ms = 900;
    assert_int_equal(fx_enq(q, d, 0, NULL, 0), SO_ENQ_ADDED);
    fx_sql_exec(f->path,
                "UPDATE workflows SET hourly_rate = 60, sla_ms = 30000");
    fx_claim(q, "a", 0);
    fx_now(T0 + 60000);
    struct so_decide_result res;
    struct so_error err;
    assert_int_equal(fx_decide(q, "a", SO_ACT_APPROVE, NULL, "r1", &res, &err),
                     SO_OK);
    struct {
        size_t field;
        int64_t want;
    } const c[] = {
        {offsetof(struct so_rollup_row, ai_cost), 250000},
        {offsetof(struct so_rollup_row, ai_cost_n), 1},
        {offsetof(struct so_rollup_row, tokens), 1200},
        {offsetof(struct so_rollup_row, tokens_n), 1},
        {offsetof(struct so_rollup_row, gen_ms), 900},
        {offsetof(struct so_rollup_row, gen_n), 1},
        {offsetof(struct so_rollup_row, human_ms), 5000},
        {offsetof(struct so_rollup_row, human_cost), 83333}, /* 5s at 60/h */
        {offsetof(struct so_rollup_row, sla_n), 1},
        {offsetof(struct so_rollup_row, sla_missed), 1}, /* 60s > 30s */
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        assert_int_equal(rollup_sum(q, c[i].field), c[i].want);
    assert_int_equal(decision_hist_sum(q, 60000), 1);
    fx_sql_exec(f->path, "UPDATE workflows SET hourly_rate = 120, sla_ms = 0");
    struct so_draft *u = NULL;
    assert_int_equal(q->ops->undo(q, "u1", &u, &err), SO_OK);
    so_draft_free(u);
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        assert_int_equal(rollup_sum(q, c[i].field), 0);
    assert_int_equal(decision_hist_sum(q, 60000), 0);
    queue_close(q);
    assert_coarse_rollup(f->path);
}

/* One round trip: a decide with claim_next records the decision, claims
 * the next draft of the workflow and counts what is left. */
static void test_decide_claim_next(void **state)
{
    struct fx *f = *state;
    struct queue *q = fx_open(f->path, "ana");
    fx_add(q, "n1", "wf", "first");
    fx_add(q, "n2", "wf", "second");
    fx_add(q, "o1", "other", "elsewhere");
    int64_t token = fx_claim(q, "n1", 0);
    struct so_claim_req next = {"wf", NULL, 0};
    struct so_decide_req req;
    memset(&req, 0, sizeof req);
    req.draft_id = "n1";
    req.request_id = "cn1";
    req.action = SO_ACT_APPROVE;
    req.lease_token = token;
    req.claim_next = &next;
    struct so_decide_result res;
    struct so_error err;
    assert_int_equal(q->ops->decide(q, &req, &res, &err), SO_OK);
    assert_true(res.next.filled);
    assert_int_equal(res.next.status, SO_OK);
    assert_non_null(res.next.draft);
    assert_string_equal(res.next.draft->id, "n2");
    assert_string_equal(res.next.draft->claimed_by, "ana");
    assert_int_equal(res.next.pending, 1); /* n2, claimed, not decided */
    assert_int_equal(res.next.my_today, 1);
    assert_int_equal(fx_sql_int(f->path, "SELECT count(*) FROM drafts"
                                         " WHERE id = 'n2' AND status ="
                                         " 'claimed'"),
                     1);
    /* The last one of the workflow: the decision, then nothing to claim. */
    req.draft_id = "n2";
    req.request_id = "cn2";
    req.lease_token = res.next.draft->lease_token;
    so_decide_result_clear(&res);
    assert_int_equal(q->ops->decide(q, &req, &res, &err), SO_OK);
    assert_true(res.next.filled);
    assert_int_equal(res.next.status, SO_EMPTY);
    assert_null(res.next.draft);
    assert_int_equal(res.next.pending, 0);
    assert_int_equal(res.next.my_today, 2);
    /* Without claim_next nothing else happens. */
    fx_claim(q, "o1", 0);
    assert_int_equal(fx_decide(q, "o1", SO_ACT_APPROVE, NULL, "cn3", &res,
                               &err),
                     SO_OK);
    assert_false(res.next.filled);
    queue_close(q);
}

/* Guidelines: stored per workflow, cleared by an empty text, over the
 * limit refused with nothing written; a v8 file gains the column empty. */
static void test_workflow_guidelines(void **state)
{
    struct fx *f = *state;
    struct queue *q = fx_open(f->path, "ana");
    fx_add(q, "a", "wf", "body a");
    if (!fx_pg()) { /* a v8 file gains the column */
        queue_close(q);
        fx_sql_exec(f->path, as_v8);
        q = fx_open(f->path, "ana");
        assert_int_equal(fx_sql_int(f->path, "PRAGMA user_version"),
                         STORE_SCHEMA_VERSION);
    }
    struct so_workflow w = {0}, set = {0};
    struct so_error err;
    assert_int_equal(q->ops->workflow_get(q, "wf", &w, &err), SO_OK);
    assert_null(w.guidelines);
    so_workflow_clear(&w);
    set.name = "wf";
    set.guidelines = "Check the amount.\nNo dates.";
    assert_int_equal(q->ops->workflow_set(q, &set, SO_WF_GUIDELINES, &err),
                     SO_OK);
    assert_int_equal(q->ops->workflow_get(q, "wf", &w, &err), SO_OK);
    assert_string_equal(w.guidelines, "Check the amount.\nNo dates.");
    so_workflow_clear(&w);
    char *big = xmalloc(SO_MAX_GUIDELINES + 2);
    memset(big, 'x', SO_MAX_GUIDELINES + 1);
    big[SO_MAX_GUIDELINES + 1] = '\0';
    set.guidelines = big;
    assert_int_equal(q->ops->workflow_set(q, &set, SO_WF_GUIDELINES, &err),
                     SO_ERR_TOOLARGE);
    assert_non_null(strstr(err.msg, "guidelines: over"));
    free(big);
    assert_int_equal(q->ops->workflow_get(q, "wf", &w, &err), SO_OK);
    assert_string_equal(w.guidelines, "Check the amount.\nNo dates.");
    so_workflow_clear(&w);
    set.guidelines = "";
    assert_int_equal(q->ops->workflow_set(q, &set, SO_WF_GUIDELINES, &err),
                     SO_OK);
    assert_int_equal(q->ops->workflow_get(q, "wf", &w, &err), SO_OK);
    assert_null(w.guidelines);
    so_workflow_clear(&w);
    queue_close(q);
}

/* My decisions: newest first, mine only, reverts and undone marked. */
static void test_my_decisions(void **state)
{
    struct fx *f = *state;
    struct queue *q = fx_open(f->path, "ana");
    struct queue *bob = fx_open(f->path, "bob");
    const char *ids[] = {"m1", "m2", "m3"};
    struct so_decide_result res;
    struct so_error err;
    for (size_t i = 0; i < 3; i++)
        fx_add(q, ids[i], "wf", "a body");
    fx_claim(q, "m1", 0);
    assert_int_equal(fx_decide(q, "m1", SO_ACT_APPROVE, NULL, "q1", &res, &err),
                     SO_OK);
    fx_claim(q, "m2", 0);
    assert_int_equal(fx_decide(q, "m2", SO_ACT_REJECT, NULL, "q2", &res, &err),
                     SO_OK);
    fx_claim(bob, "m3", 0);
    assert_int_equal(
        fx_decide(bob, "m3", SO_ACT_APPROVE, NULL, "q3", &res, &err), SO_OK);
    struct so_draft *d = NULL;
    assert_int_equal(q->ops->undo(q, "u1", &d, &err), SO_OK);
    assert_string_equal(d->id, "m2");
    so_draft_free(d);
    struct so_decision *v = NULL;
    size_t n = 0;
    assert_int_equal(q->ops->my_decisions(q, 0, 10, &v, &n, &err), SO_OK);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].draft_id, "m2");
    assert_int_equal(v[0].action, SO_ACT_REJECT);
    assert_true(v[0].undone_by > v[0].seq);
    assert_string_equal(v[1].draft_id, "m1");
    assert_int_equal(v[1].undone_by, 0);
    for (size_t i = 0; i < n; i++)
        so_decision_clear(&v[i]);
    free(v);
    assert_int_equal(q->ops->my_decisions(q, 0, 1, &v, &n, &err), SO_OK);
    assert_int_equal(n, 1);
    so_decision_clear(&v[0]);
    free(v);
    assert_int_equal(q->ops->my_decisions(q, so_now_ms() + 60000, 10, &v, &n,
                                          &err),
                     SO_OK);
    assert_int_equal(n, 0);
    free(v);
    assert_int_equal(q->ops->my_decisions(q, 0, 0, &v, &n, &err),
                     SO_ERR_INVALID);
    queue_close(bob);
    queue_close(q);
}

/* Reassign: supervisors only; a release fences the holder; a reassignment
 * holds the draft for the named reviewer; four-eyes drafts are only
 * released; decided drafts are left alone. */
static void test_reassign(void **state)
{
    fx_needs(FX_REASSIGN);
    fx_needs(FX_FOUREYES);
    struct fx *f = *state;
    struct queue *ana = fx_open(f->path, "ana");
    struct queue_opts o;
    memset(&o, 0, sizeof o);
    o.reviewer = "sue";
    o.role = "supervisor";
    struct queue *sue = NULL;
    struct so_error err;
    assert_int_equal(queue_open(f->path, &o, &sue, &err), SO_OK);
    assert_true(sue->supervisor);
    assert_false(ana->supervisor);
    fx_add(ana, "r1", "wf", "one");
    fx_add(ana, "r2", "wf", "two");
    int64_t token = fx_claim(ana, "r1", 0);
    assert_int_equal(ana->ops->reassign(ana, "r1", NULL, 0, &err),
                     SO_ERR_FORBIDDEN);
    assert_non_null(strstr(err.msg, "only a supervisor"));
    assert_int_equal(sue->ops->reassign(sue, "r1", NULL, 0, &err), SO_OK);
    assert_int_equal(fx_sql_int(f->path, "SELECT count(*) FROM drafts WHERE"
                                         " id = 'r1' AND status = 'pending'"
                                         " AND claimed_by IS NULL"),
                     1);
    struct so_decide_result res;
    struct so_decide_req req;
    memset(&req, 0, sizeof req);
    req.draft_id = "r1";
    req.request_id = "ra1";
    req.action = SO_ACT_APPROVE;
    req.lease_token = token;
    assert_int_equal(ana->ops->decide(ana, &req, &res, &err), SO_ERR_LEASE);
    assert_int_equal(sue->ops->reassign(sue, "r2", "bob", 0, &err), SO_OK);
    assert_int_equal(fx_sql_int(f->path, "SELECT count(*) FROM drafts WHERE"
                                         " id = 'r2' AND status = 'claimed'"
                                         " AND claimed_by = 'bob'"),
                     1);
    struct queue *bob = fx_open(f->path, "bob");
    fx_claim(bob, "r2", 0); /* bob opens it by id: his */
    assert_int_equal(fx_decide(bob, "r2", SO_ACT_APPROVE, NULL, "ra2", &res,
                               &err),
                     SO_OK);
    assert_int_equal(sue->ops->reassign(sue, "r2", NULL, 0, &err),
                     SO_ERR_CONFLICT);
    struct so_workflow w = {0};
    w.name = "fe";
    w.reviews = 2;
    assert_int_equal(sue->ops->workflow_set(sue, &w, SO_WF_REVIEWS, &err),
                     SO_OK);
    fx_add(ana, "r3", "fe", "three");
    assert_int_equal(sue->ops->reassign(sue, "r3", "bob", 0, &err),
                     SO_ERR_CONFLICT);
    assert_non_null(strstr(err.msg, "four-eyes"));
    assert_int_equal(sue->ops->reassign(sue, "r3", NULL, 0, &err), SO_OK);
    assert_int_equal(sue->ops->reassign(sue, "nope", NULL, 0, &err),
                     SO_ERR_NOTFOUND);
    queue_close(bob);
    queue_close(sue);
    queue_close(ana);
}

static void test_undo_nothing(void **state)
{
    struct fx *f = *state;
    struct queue *q = fx_open(f->path, "ana");
    struct so_draft *d = NULL;
    struct so_error err;
    assert_int_equal(q->ops->undo(q, "u1", &d, &err), SO_ERR_NOTFOUND);
    assert_string_equal(err.msg, "nothing to undo");
    assert_null(d);
    queue_close(q);
}

static void test_autopause_fires_once(void **state)
{
    fx_needs(FX_AUTOPAUSE);
    struct fx *f = *state;
    struct queue *q = fx_open(f->path, "ana");
    fx_now(T0);
    struct so_workflow w;
    memset(&w, 0, sizeof w);
    w.name = "wf";
    w.auto_pause = 1;
    w.min_decisions = 3;
    w.threshold = 0.5;
    struct so_error err;
    assert_int_equal(
        q->ops->workflow_set(
            q, &w, SO_WF_AUTOPAUSE | SO_WF_MIN | SO_WF_THRESHOLD, &err),
        SO_OK);
    char id[16], rq[16];
    for (int i = 0; i < 5; i++) {
        snprintf(id, sizeof id, "d%d", i);
        snprintf(rq, sizeof rq, "r%d", i);
        fx_add(q, id, "wf", "body");
        fx_claim(q, id, 0);
        struct so_decide_result res;
        assert_int_equal(fx_decide(q, id, SO_ACT_REJECT, NULL, rq, &res, &err),
                         SO_OK);
        struct so_workflow got;
        assert_int_equal(q->ops->workflow_get(q, "wf", &got, &err), SO_OK);
        assert_int_equal(got.automation_paused, i >= 2);
        if (i >= 2) {
            assert_string_equal(
                got.automation_reason,
                "auto-pause: override rate 1.00 over threshold 0.50");
            assert_string_equal(got.automation_by, "signoff");
        }
        so_workflow_clear(&got);
    }
    assert_int_equal(
        fx_sql_int(f->path,
                   "SELECT count(*) FROM workflow_events WHERE paused = 1"),
        1);
    queue_close(q);
}

static void test_workflow_ops(void **state)
{
    fx_needs(FX_FOUREYES);
    struct fx *f = *state;
    struct queue *q = fx_open(f->path, "ana");
    struct so_error err;
    struct so_workflow w;
    memset(&w, 0, sizeof w);
    w.name = "refunds";
    w.threshold = 1.5;
    assert_int_equal(q->ops->workflow_set(q, &w, SO_WF_THRESHOLD, &err),
                     SO_ERR_INVALID);
    w.reviews = 2;
    w.reveal = "never";
    assert_int_equal(
        q->ops->workflow_set(q, &w, SO_WF_REVIEWS | SO_WF_REVEAL, &err), SO_OK);
    /* The kill switch's rules above the backend (queue_switch_check): a
     * supervisor, with a reason, whichever way. */
    assert_int_equal(queue_workflow_switch(q, "refunds", 1, "bad week", &err),
                     SO_ERR_FORBIDDEN);
    assert_non_null(strstr(err.msg, "only a supervisor may pause"));
    q->supervisor = 1;
    assert_int_equal(queue_workflow_switch(q, "refunds", 1, NULL, &err),
                     SO_ERR_INVALID);
    assert_non_null(strstr(err.msg, "a reason is required"));
    assert_int_equal(queue_workflow_switch(q, "refunds", 0, "", &err),
                     SO_ERR_INVALID);
    assert_int_equal(queue_switch_check(q, "refunds", 0, NULL, &err), SO_OK);
    assert_int_equal(queue_workflow_switch(q, "refunds", 1, "bad week", &err),
                     SO_OK);
    assert_int_equal(q->ops->workflow_pause(q, "refunds", 0, NULL, &err),
                     SO_ERR_INVALID);
    assert_string_equal(err.msg, "workflow refunds has no owner: give it one "
                                 "before resuming");
    assert_int_equal(q->ops->workflow_pause(q, "nope", 1, "x", &err),
                     SO_ERR_NOTFOUND);
    w.owner = "ops-lead";
    assert_int_equal(q->ops->workflow_set(q, &w, SO_WF_OWNER, &err), SO_OK);
    /* Only the owner resumes (queue_resume_check). */
    assert_int_equal(q->ops->workflow_pause(q, "refunds", 0, NULL, &err),
                     SO_ERR_FORBIDDEN);
    /* ana is not its owner: she takes it over only with a reason
     * (store_rules_owner). */
    w.owner = "ana";
    assert_int_equal(q->ops->workflow_set(q, &w, SO_WF_OWNER, &err),
                     SO_ERR_FORBIDDEN);
    assert_non_null(strstr(err.msg, "its owner is ops-lead; only ops-lead "
                                    "hands it over"));
    w.owner_reason = "ops-lead is away";
    assert_int_equal(q->ops->workflow_set(q, &w, SO_WF_OWNER, &err), SO_OK);
    w.owner_reason = NULL;
    assert_int_equal(q->ops->workflow_pause(q, "refunds", 0, NULL, &err),
                     SO_OK);
    struct so_workflow *all = NULL;
    size_t n = 0;
    assert_int_equal(q->ops->workflow_list(q, &all, &n, &err), SO_OK);
    assert_int_equal(n, 1);
    assert_string_equal(all[0].owner, "ana");
    assert_string_equal(all[0].reveal, "never");
    assert_int_equal(all[0].reviews, 2);
    assert_int_equal(all[0].automation_paused, 0);
    assert_string_equal(all[0].automation_by, "ana");
    so_workflow_clear(&all[0]);
    free(all);
    assert_int_equal(
        fx_sql_int(f->path, "SELECT count(*) FROM workflow_events"), 2);
    queue_close(q);
}

static void test_list_paging(void **state)
{
    struct fx *f = *state;
    struct queue *q = fx_open(f->path, "ana");
    char id[16];
    for (int i = 0; i < 25; i++) {
        fx_now(T0 + i);
        snprintf(id, sizeof id, "d%02d", i);
        fx_add(q, id, i % 2 ? "odd" : "even",
               i == 7 ? "100% sure" : "100 sure");
    }
    struct so_list_req lr = {.conf_below = -1, .conf_atleast = -1, .limit = 10};
    struct so_draft_page page;
    struct so_error err;
    int seen = 0;
    char *cursor = NULL;
    for (int p = 0; p < 3; p++) {
        lr.after = cursor;
        assert_int_equal(q->ops->list(q, &lr, &page, &err), SO_OK);
        assert_int_equal(page.n, p < 2 ? 10 : 5);
        for (size_t i = 0; i < page.n; i++) {
            snprintf(id, sizeof id, "d%02d", seen++);
            assert_string_equal(page.rows[i].id, id);
        }
        free(cursor);
        cursor = page.next_cursor ? xstrdup(page.next_cursor) : NULL;
        so_draft_page_free(&page);
    }
    assert_null(cursor);
    /* LIKE wildcards in the search text are literal. */
    lr.after = NULL;
    lr.limit = 0;
    lr.text = "100%";
    assert_int_equal(q->ops->list(q, &lr, &page, &err), SO_OK);
    assert_int_equal(page.n, 1);
    assert_string_equal(page.rows[0].id, "d07");
    so_draft_page_free(&page);
    lr.text = NULL;
    lr.after = "garbage";
    assert_int_equal(q->ops->list(q, &lr, &page, &err), SO_ERR_INVALID);
    lr.after = NULL;
    lr.status = "bogus";
    assert_int_equal(q->ops->list(q, &lr, &page, &err), SO_ERR_INVALID);
    lr.status = NULL;
    int64_t n;
    lr.workflow = "odd";
    assert_int_equal(q->ops->count(q, &lr, &n, &err), SO_OK);
    assert_int_equal(n, 12);
    lr.status = "pending";
    assert_int_equal(q->ops->count(q, &lr, &n, &err), SO_OK);
    assert_int_equal(n, 12);
    fx_claim(q, "d01", 0);
    assert_int_equal(q->ops->count(q, &lr, &n, &err), SO_OK);
    assert_int_equal(n, 11);
    lr.status = "open";
    assert_int_equal(q->ops->count(q, &lr, &n, &err), SO_OK);
    assert_int_equal(n, 12);
    lr.text = "sure";
    lr.status = "claimed";
    assert_int_equal(q->ops->count(q, &lr, &n, &err), SO_OK);
    assert_int_equal(n, 1);
    queue_close(q);
}

/* Words of a text filter combine with AND; a quoted phrase matches as a
 * phrase (issue 19 item 11); list and count agree. */
static void test_list_words(void **state)
{
    struct fx *f = *state;
    struct queue *q = fx_open(f->path, "ana");
    fx_add(q, "a", "wf", "Bulk draft 49999 body");
    fx_add(q, "b", "wf", "Bulk draft 12 about 49999s");
    fx_add(q, "c", "wf", "another 49999");
    struct so_list_req lr = {.conf_below = -1, .conf_atleast = -1,
                             .status = "open"};
    struct so_draft_page page;
    struct so_error err;
    int64_t n;
    const char *texts[] = {"Bulk 49999", "bulk \"DRAFT 49999\"",
                           "\"Bulk 49999\"", "49999"};
    const size_t want[] = {2, 1, 0, 3};
    for (size_t i = 0; i < 4; i++) {
        lr.text = texts[i];
        assert_int_equal(q->ops->list(q, &lr, &page, &err), SO_OK);
        assert_int_equal(page.n, want[i]);
        if (i == 1)
            assert_string_equal(page.rows[0].id, "a");
        so_draft_page_free(&page);
        assert_int_equal(q->ops->count(q, &lr, &n, &err), SO_OK);
        assert_int_equal(n, (int64_t)want[i]);
    }
    lr.text = "\"open";
    assert_int_equal(q->ops->list(q, &lr, &page, &err), SO_ERR_INVALID);
    assert_non_null(strstr(err.msg, "quoted phrase is not closed"));
    queue_close(q);
}

static void test_list_escalated(void **state)
{
    struct fx *f = *state;
    struct queue *q = fx_open(f->path, "ana");
    fx_add(q, "a", "wf", "x");
    fx_add(q, "b", "wf", "x");
    fx_claim(q, "a", 0);
    struct so_decide_result res;
    struct so_error err;
    assert_int_equal(fx_decide(q, "a", SO_ACT_ESCALATE, NULL, "r", &res, &err),
                     SO_OK);
    struct so_list_req lr = {
        .conf_below = -1, .conf_atleast = -1, .escalated_only = 1};
    struct so_draft_page page;
    assert_int_equal(q->ops->list(q, &lr, &page, &err), SO_OK);
    assert_int_equal(page.n, 1);
    assert_string_equal(page.rows[0].id, "a");
    assert_int_equal(page.rows[0].status, SO_DS_ESCALATED);
    assert_int_equal(page.rows[0].flags, SO_ROW_ESCALATED);
    so_draft_page_free(&page);
    queue_close(q);
}

static void test_renew_release(void **state)
{
    struct fx *f = *state;
    struct queue *ana = fx_open(f->path, "ana");
    struct queue *bob = fx_open(f->path, "bob");
    fx_now(T0);
    fx_add(ana, "x", "wf", "x");
    int64_t tok = fx_claim(ana, "x", 1000);
    int64_t until = 0;
    struct so_error err;
    fx_now(T0 + 500);
    assert_int_equal(ana->ops->renew(ana, "x", tok, 2000, &until, &err), SO_OK);
    assert_int_equal(until, T0 + 2500);
    assert_int_equal(ana->ops->renew(ana, "x", tok + 1, 2000, &until, &err),
                     SO_ERR_LEASE);
    assert_int_equal(bob->ops->release(bob, "x", 0, &err), SO_ERR_LEASE);
    assert_int_equal(ana->ops->release(ana, "x", tok, &err), SO_OK);
    struct so_draft *d = NULL;
    assert_int_equal(ana->ops->get(ana, "x", &d, &err), SO_OK);
    assert_int_equal(d->status, SO_DS_PENDING);
    assert_null(d->claimed_by);
    so_draft_free(d);
    assert_int_equal(fx_claim(bob, NULL, 0), tok + 1);
    assert_int_equal(ana->ops->release(ana, "x", 0, &err), SO_ERR_LEASE);
    queue_close(ana);
    queue_close(bob);
}

static void test_busy_timeout(void **state)
{
    struct fx *f = *state;
    struct queue *q = fx_open(f->path, "ana");
    fx_add(q, "x", "wf", "x");
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
                     SQLITE_OK);
    queue_close(q);
    setenv("SIGNOFF_BUSY_TIMEOUT_MS", "200", 1);
    struct queue_opts o = {0};
    o.reviewer = "ana";
    struct so_error err;
    int64_t t = so_mono_ms();
    assert_int_equal(queue_open(f->path, &o, &q, &err), SO_ERR_BUSY);
    assert_true(so_mono_ms() - t >= 200);
    char want[300];
    snprintf(want, sizeof want,
             "%s: locked by another process past the busy timeout (200 ms)",
             f->path);
    assert_string_equal(err.msg, want);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    assert_int_equal(queue_open(f->path, &o, &q, &err), SO_OK);
    queue_close(q);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
    /* A queue file's own nature: SQLite only (tests/pg/queue.sh checks the
     * PostgreSQL store's opening, schema versions and refusals). */
    const struct CMUnitTest file_tests[] = {
        T(test_open_missing),
        T(test_open_directory),
        T(test_open_not_a_database),
        T(test_schema_migrate_and_newer),
        T(test_schema_v3_no_ephemeral_tables),
        T(test_schema_v7_outcomes),
        T(test_schema_v12_reasons),
        T(test_open_pragmas),
        T(test_open_readonly),
        T(test_init_group),
        T(test_busy_timeout),
    };
    const struct CMUnitTest tests[] = {
        T(test_enqueue_outcomes),
        T(test_enqueue_citations_and_grounding),
        T(test_claim_order_and_filters),
        T(test_claim_by_id),
        T(test_lease_lost_after_takeover),
        T(test_decide_errors_and_replay),
        T(test_decide_replay_is_mine_only),
        T(test_decide_clamps_times),
        T(test_unchanged_edit_is_approve),
        T(test_whitespace_edit_is_approve),
        T(test_chain_links),
        cmocka_unit_test(test_canonical_json),
        T(test_rollup_counts),
        T(test_rollup_fold),
        T(test_decision_counters),
        T(test_undo),
        T(test_undo_nothing),
        T(test_rollup_cost_undo),
        T(test_decide_claim_next),
        T(test_workflow_guidelines),
        T(test_my_decisions),
        T(test_reassign),
        T(test_autopause_fires_once),
        T(test_workflow_ops),
        T(test_list_paging),
        T(test_list_words),
        T(test_list_escalated),
        T(test_renew_release),
    };
#undef T
    if (fx_pg())
        return cmocka_run_group_tests_name("store on PostgreSQL", tests, NULL,
                                           NULL);
    return cmocka_run_group_tests_name("store file", file_tests, NULL, NULL) |
           cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
