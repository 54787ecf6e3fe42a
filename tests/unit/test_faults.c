/*
 * test_faults: the SQLite store under injected faults. A small VFS shim
 * wraps the default VFS (registered as the default, so store_open uses it)
 * and fails the Nth xWrite or xSync from the moment it is armed. For every N
 * across one decide, until the decide succeeds, the store must give one clear
 * error, roll back whole (no decision row, the draft still claimed, the
 * rollup unchanged), keep PRAGMA integrity_check ok, and let the same
 * decision be retried. Also: disk full via PRAGMA max_page_count, a
 * read-only file, a locked file, a corrupted file and a schema from a newer
 * signoff. Checks go through a second, plain sqlite3 connection so the store
 * cannot vouch for itself.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "signoff/queue.h"
#include "signoff/store/sqlite/audit.h"
#include "signoff/store/sqlite/backend.h"
#include "signoff/verify.h"

/* ---- the fault VFS ---------------------------------------------------- */

enum fault_op { FAULT_WRITE, FAULT_SYNC, FAULT_ANY };

static struct {
    sqlite3_vfs vfs;
    sqlite3_vfs *real;
    int armed;
    enum fault_op op; /* which calls count */
    int fail_at;      /* 1-based call number that fails */
    int calls;        /* counted calls since arming */
    int fired;        /* how many calls failed */
    int rc;           /* the error returned */
} fv;

struct fault_file {
    sqlite3_file base;
    sqlite3_file *real; /* follows this struct in the same allocation */
};

static int fault_hit(enum fault_op op)
{
    if (!fv.armed || (fv.op != FAULT_ANY && fv.op != op))
        return 0;
    fv.calls++;
    if (fv.calls != fv.fail_at)
        return 0;
    fv.fired++;
    return 1;
}

#define REAL(f) (((struct fault_file *)(f))->real)

static int ff_close(sqlite3_file *f)
{
    return REAL(f)->pMethods ? REAL(f)->pMethods->xClose(REAL(f)) : SQLITE_OK;
}
static int ff_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
    return REAL(f)->pMethods->xRead(REAL(f), p, n, off);
}
static int ff_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
    if (fault_hit(FAULT_WRITE))
        return fv.rc == SQLITE_IOERR_FSYNC ? SQLITE_IOERR_WRITE : fv.rc;
    return REAL(f)->pMethods->xWrite(REAL(f), p, n, off);
}
static int ff_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int ff_sync(sqlite3_file *f, int flags)
{
    if (fault_hit(FAULT_SYNC))
        return fv.rc == SQLITE_IOERR_WRITE ? SQLITE_IOERR_FSYNC : fv.rc;
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int ff_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int ff_lock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int ff_unlock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int ff_check(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int ff_fcntl(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int ff_sector(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int ff_devchar(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int ff_shm_map(sqlite3_file *f, int pg, int sz, int ext,
                      void volatile **pp)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, ext, pp);
}
static int ff_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void ff_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int ff_shm_unmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

/* Version 2: no xFetch, so SQLite never memory-maps around our xRead. */
static const sqlite3_io_methods fault_io = {
    2,         ff_close,  ff_read,      ff_write,       ff_truncate,
    ff_sync,   ff_size,   ff_lock,      ff_unlock,      ff_check,
    ff_fcntl,  ff_sector, ff_devchar,   ff_shm_map,     ff_shm_lock,
    ff_shm_barrier, ff_shm_unmap, NULL, NULL,
};

static int fv_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f,
                   int flags, int *out_flags)
{
    struct fault_file *ff = (struct fault_file *)f;
    (void)vfs;
    ff->real = (sqlite3_file *)(ff + 1);
    int rc = fv.real->xOpen(fv.real, name, ff->real, flags, out_flags);
    f->pMethods = ff->real->pMethods ? &fault_io : NULL;
    return rc;
}

#define PASS(fn, ...) fv.real->fn(fv.real, __VA_ARGS__)
static int fv_delete(sqlite3_vfs *v, const char *n, int sync)
{
    (void)v;
    return PASS(xDelete, n, sync);
}
static int fv_access(sqlite3_vfs *v, const char *n, int flags, int *out)
{
    (void)v;
    return PASS(xAccess, n, flags, out);
}
static int fv_fullpath(sqlite3_vfs *v, const char *n, int len, char *out)
{
    (void)v;
    return PASS(xFullPathname, n, len, out);
}
static int fv_random(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return PASS(xRandomness, n, out);
}
static int fv_sleep(sqlite3_vfs *v, int us)
{
    (void)v;
    return PASS(xSleep, us);
}
static int fv_time(sqlite3_vfs *v, double *out)
{
    (void)v;
    return PASS(xCurrentTime, out);
}
static int fv_lasterr(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return PASS(xGetLastError, n, out);
}
static int fv_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
    (void)v;
    return PASS(xCurrentTimeInt64, out);
}

static void fault_vfs_install(void)
{
    fv.real = sqlite3_vfs_find(NULL);
    assert_non_null(fv.real);
    fv.vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)sizeof(struct fault_file) + fv.real->szOsFile,
        .mxPathname = fv.real->mxPathname,
        .zName = "signoff-fault",
        .xOpen = fv_open,
        .xDelete = fv_delete,
        .xAccess = fv_access,
        .xFullPathname = fv_fullpath,
        .xDlOpen = NULL,
        .xRandomness = fv_random,
        .xSleep = fv_sleep,
        .xCurrentTime = fv_time,
        .xGetLastError = fv_lasterr,
        .xCurrentTimeInt64 = fv_time64,
    };
    /* SQLite calls xDl* only for extensions; the store loads none. */
    fv.vfs.xDlOpen = fv.real->xDlOpen;
    fv.vfs.xDlError = fv.real->xDlError;
    fv.vfs.xDlSym = fv.real->xDlSym;
    fv.vfs.xDlClose = fv.real->xDlClose;
    assert_int_equal(sqlite3_vfs_register(&fv.vfs, 1), SQLITE_OK);
}

static void fault_arm(enum fault_op op, int fail_at, int rc)
{
    fv.op = op;
    fv.fail_at = fail_at;
    fv.rc = rc;
    fv.calls = 0;
    fv.fired = 0;
    fv.armed = 1;
}

static void fault_disarm(void)
{
    fv.armed = 0;
}

/* ---- a queue to break ------------------------------------------------- */

struct fixture {
    char dir[64];
    char path[96];
    struct queue *q;
    int64_t lease_token;
};

static char *checker_text(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    char *out = NULL;
    /* The real VFS: the checker must never trip over an armed fault. */
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
                                     fv.real->zName),
                     SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    struct buf b;
    buf_init(&b);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const unsigned char *t = sqlite3_column_text(st, i);
            buf_addf(&b, "%s%s", i ? "|" : "", t ? (const char *)t : "");
        }
        buf_addc(&b, '\n');
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    out = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return out;
}

static void check_sql(const char *path, const char *sql, const char *want)
{
    char *got = checker_text(path, sql);
    assert_string_equal(got, want);
    free(got);
}

static struct so_draft *make_draft(const char *id)
{
    struct so_draft *d = so_draft_new();
    d->id = xstrdup(id);
    d->workflow = xstrdup("faults");
    d->model = xstrdup("m-1");
    d->confidence = 0.42;
    d->title = xstrdup("A draft to break");
    d->body = xstrdup("The refund is allowed within 30 days [1].");
    return d;
}

static void open_queue(struct fixture *fx, int create)
{
    struct queue_opts o = {.reviewer = "alice", .create = create};
    struct so_error err = {0};
    enum so_status st = store_open(fx->path, &o, &fx->q, &err);
    if (st != SO_OK)
        fail_msg("store_open: %s", err.msg);
}

/* A fresh queue with drafts D-1..D-n, D-1 claimed by alice. */
static void fixture_setup(struct fixture *fx, int n)
{
    memset(fx, 0, sizeof *fx);
    strcpy(fx->dir, "/tmp/signoff-faults.XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    snprintf(fx->path, sizeof fx->path, "%s/q.db", fx->dir);
    open_queue(fx, 1);
    struct so_draft **ds = xcalloc((size_t)n, sizeof *ds);
    struct so_enq_result *rs = xcalloc((size_t)n, sizeof *rs);
    for (int i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "D-%d", i + 1);
        ds[i] = make_draft(id);
    }
    struct so_error err = {0};
    assert_int_equal(fx->q->ops->enqueue(fx->q, ds, (size_t)n, 0, rs, &err),
                     SO_OK);
    for (int i = 0; i < n; i++) {
        assert_int_equal(rs[i].outcome, SO_ENQ_ADDED);
        so_draft_free(ds[i]);
    }
    free(ds);
    free(rs);
    struct so_claim_req cr = {.draft_id = "D-1"};
    struct so_draft *claimed = NULL;
    assert_int_equal(fx->q->ops->claim(fx->q, &cr, &claimed, &err), SO_OK);
    fx->lease_token = claimed->lease_token;
    so_draft_free(claimed);
}

static void fixture_teardown(struct fixture *fx)
{
    if (fx->q)
        queue_close(fx->q);
    fx->q = NULL;
    char *cmd = xasprintf("rm -rf '%s'", fx->dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

static enum so_status decide(struct fixture *fx, const char *request_id,
                             const char *note, struct so_error *err)
{
    struct so_decide_req r = {
        .draft_id = "D-1",
        .request_id = request_id,
        .action = SO_ACT_REJECT,
        .reason = "factual",
        .note = note,
        .shown_at = 1000,
        .active_ms = 2500,
        .lease_token = fx->lease_token,
    };
    struct so_decide_result res;
    memset(&res, 0, sizeof res);
    return fx->q->ops->decide(fx->q, &r, &res, err);
}

/* What a failed decide must leave: nothing of it. */
static void check_untouched(struct fixture *fx, const char *rollup_before)
{
    check_sql(fx->path, "SELECT count(*) FROM decisions WHERE kind <> 'admin'", "0\n");
    check_sql(fx->path, "SELECT status, claimed_by FROM drafts WHERE id='D-1'",
              "claimed|alice\n");
    char *rollup = checker_text(fx->path, "SELECT * FROM rollup");
    assert_string_equal(rollup, rollup_before);
    free(rollup);
    check_sql(fx->path, "PRAGMA integrity_check", "ok\n");
}

/* The audit chain of the file verifies end to end. */
static void check_chain(const char *path)
{
    struct store_audit *a = NULL;
    struct so_error err = {0};
    assert_int_equal(store_audit_open(path, 0, &a, &err), SO_OK);
    struct verify_source src = store_audit_source(a);
    struct verify_opts o = {.from_genesis = 1, .head = store_audit_head(a)};
    struct verify_result res;
    enum so_status st = verify_chain(&src, &o, &res, &err);
    store_audit_close(a);
    if (st != SO_OK)
        fail_msg("verify: %s", err.msg);
}

static void check_decided_once(struct fixture *fx)
{
    check_sql(fx->path,
              "SELECT count(*), min(action) FROM decisions WHERE draft='D-1'",
              "1|reject\n");
    check_sql(fx->path, "SELECT status FROM drafts WHERE id='D-1'",
              "decided\n");
    check_sql(fx->path, "PRAGMA integrity_check", "ok\n");
    check_chain(fx->path);
}

/* One clear message: says what failed, no "SQLITE_" jargon only. */
static void check_clear(const struct so_error *err)
{
    assert_true(err->code != SO_OK);
    assert_true(strlen(err->msg) > 10);
    assert_null(strchr(err->msg, '\n'));
}

/* ---- fail the Nth write/sync for every N ------------------------------ */

static int every_n(enum fault_op op, int rc)
{
    int n, failed = 0;
    for (n = 1; n < 500; n++) {
        struct fixture fx;
        fixture_setup(&fx, 3);
        char *rollup_before = checker_text(fx.path, "SELECT * FROM rollup");
        char rid[37];
        so_uuid(rid);
        struct so_error err = {0};
        fault_arm(op, n, rc);
        enum so_status st = decide(&fx, rid, "a note", &err);
        int fired = fv.fired;
        fault_disarm();
        if (st == SO_OK && !fired) {
            check_decided_once(&fx);
            free(rollup_before);
            fixture_teardown(&fx);
            /* Every fault that fired before the commit was reported. */
            assert_true(failed > 0);
            return n;
        }
        if (st == SO_OK) {
            /* A failed sync after the commit record is durable elsewhere
             * may still report success only if the row is really there. */
            check_decided_once(&fx);
        } else {
            if (!failed++)
                print_message("# first failure: %s\n", err.msg);
            check_clear(&err);
            check_untouched(&fx, rollup_before);
            so_error_clear(&err);
            assert_int_equal(decide(&fx, rid, "a note", &err), SO_OK);
            check_decided_once(&fx);
        }
        free(rollup_before);
        fixture_teardown(&fx);
    }
    fail_msg("decide never succeeded within %d faults", n);
    return n;
}

static void test_fail_nth_write(void **state)
{
    (void)state;
    int n = every_n(FAULT_WRITE, SQLITE_IOERR_WRITE);
    print_message("# decide survived failing each of its %d writes\n", n - 1);
    assert_true(n > 1);
}

static void test_fail_nth_sync(void **state)
{
    (void)state;
    int n = every_n(FAULT_SYNC, SQLITE_IOERR_FSYNC);
    print_message("# decide survived failing each of its %d syncs\n", n - 1);
    assert_true(n > 1);
}

static void test_fail_nth_full(void **state)
{
    (void)state;
    int n = every_n(FAULT_WRITE, SQLITE_FULL);
    assert_true(n > 1);
}

/* ---- disk full via max_page_count ------------------------------------ */

static int page_limit;

static int limit_pages(sqlite3 *db, char **errmsg, const void *api)
{
    (void)errmsg;
    (void)api;
    if (page_limit > 0) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA max_page_count=%d", page_limit);
        sqlite3_exec(db, sql, NULL, NULL, NULL);
    }
    return SQLITE_OK;
}

static void test_disk_full(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_setup(&fx, 3);
    queue_close(fx.q);
    char *pages = checker_text(fx.path, "PRAGMA page_count");
    page_limit = atoi(pages);
    free(pages);
    assert_true(page_limit > 0);
    sqlite3_auto_extension((void (*)(void))limit_pages);
    open_queue(&fx, 0);
    char *rollup_before = checker_text(fx.path, "SELECT * FROM rollup");
    /* A note of many pages cannot fit in a file that may not grow. */
    char *note = xmalloc(60000);
    memset(note, 'n', 59999);
    note[59999] = '\0';
    char rid[37];
    so_uuid(rid);
    struct so_error err = {0};
    enum so_status st = decide(&fx, rid, note, &err);
    assert_int_equal(st, SO_ERR_FULL);
    check_clear(&err);
    print_message("# disk full: %s\n", err.msg);
    check_untouched(&fx, rollup_before);
    queue_close(fx.q);
    page_limit = 0;
    sqlite3_reset_auto_extension();
    open_queue(&fx, 0);
    assert_int_equal(decide(&fx, rid, note, &err), SO_OK);
    check_decided_once(&fx);
    free(note);
    free(rollup_before);
    fixture_teardown(&fx);
}

/* ---- read-only file (as an unprivileged user when we are root) ------- */

static int readonly_child(struct fixture *fx)
{
    struct queue_opts o = {.reviewer = "alice"};
    struct so_error err = {0};
    struct queue *q = NULL;
    enum so_status st = store_open(fx->path, &o, &q, &err);
    if (st == SO_OK) {
        struct so_claim_req cr = {.draft_id = "D-2"};
        struct so_draft *d = NULL;
        st = q->ops->claim(q, &cr, &d, &err);
        so_draft_free(d);
        queue_close(q);
    }
    if (st == SO_OK)
        return 10;
    if (st != SO_ERR_READONLY)
        return 11;
    print_message("# read-only: %s\n", err.msg);
    return strlen(err.msg) > 10 ? 0 : 12;
}

static void test_read_only(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_setup(&fx, 3);
    queue_close(fx.q);
    fx.q = NULL;
    assert_int_equal(chmod(fx.dir, 0555), 0);
    assert_int_equal(chmod(fx.path, 0444), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(20);
        _exit(readonly_child(&fx));
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(chmod(fx.dir, 0700), 0);
    check_sql(fx.path, "SELECT status FROM drafts WHERE id='D-2'",
              "pending\n");
    check_sql(fx.path, "PRAGMA integrity_check", "ok\n");
    fixture_teardown(&fx);
}

/* ---- locked file ------------------------------------------------------ */

static void test_locked(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_setup(&fx, 3);
    char *rollup_before = checker_text(fx.path, "SELECT * FROM rollup");
    sqlite3 *holder = NULL;
    assert_int_equal(sqlite3_open_v2(fx.path, &holder, SQLITE_OPEN_READWRITE,
                                     fv.real->zName),
                     SQLITE_OK);
    assert_int_equal(sqlite3_exec(holder, "BEGIN EXCLUSIVE", NULL, NULL, NULL),
                     SQLITE_OK);
    char rid[37];
    so_uuid(rid);
    struct so_error err = {0};
    enum so_status st = decide(&fx, rid, NULL, &err);
    assert_int_equal(st, SO_ERR_BUSY);
    check_clear(&err);
    print_message("# locked: %s\n", err.msg);
    sqlite3_exec(holder, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(holder);
    check_untouched(&fx, rollup_before);
    assert_int_equal(decide(&fx, rid, NULL, &err), SO_OK);
    check_decided_once(&fx);
    free(rollup_before);
    fixture_teardown(&fx);
}

/* ---- corrupted copies ------------------------------------------------- */

static void flip_bytes(const char *path, off_t off, size_t n)
{
    int fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    for (size_t i = 0; i < n; i++) {
        unsigned char c;
        assert_int_equal(pread(fd, &c, 1, off + (off_t)i), 1);
        c ^= 0x5a;
        assert_int_equal(pwrite(fd, &c, 1, off + (off_t)i), 1);
    }
    close(fd);
}

/* Open a corrupted copy and use it: one clear error, never a crash and
 * never a silent success on a broken page. */
static void try_corrupt(const char *src, const char *dir, off_t off, size_t n)
{
    char copy[160];
    snprintf(copy, sizeof copy, "%s/copy-%lld.db", dir, (long long)off);
    char *cmd = xasprintf("cp '%s' '%s'", src, copy);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    flip_bytes(copy, off, n);
    struct queue_opts o = {.reviewer = "alice"};
    struct so_error err = {0};
    struct queue *q = NULL;
    enum so_status st = store_open(copy, &o, &q, &err);
    if (st == SO_OK) {
        struct so_list_req lr = {.limit = 100, .conf_below = -1,
                                 .conf_atleast = -1};
        struct so_draft_page page = {0};
        st = q->ops->list(q, &lr, &page, &err);
        so_draft_page_free(&page);
        if (st == SO_OK) {
            struct so_draft *d = NULL;
            st = q->ops->get(q, "D-2", &d, &err);
            so_draft_free(d);
        }
        queue_close(q);
    }
    if (st != SO_OK) {
        check_clear(&err);
        assert_true(st == SO_ERR_CORRUPT || st == SO_ERR_NOTFOUND);
    }
}

static void test_corrupted(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_setup(&fx, 40);
    queue_close(fx.q);
    fx.q = NULL;
    /* Checkpoint everything into the main file so the flips hit data. */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(fx.path, &db), SQLITE_OK);
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    sqlite3_close(db);
    struct stat sb;
    assert_int_equal(stat(fx.path, &sb), 0);
    /* The header magic: "not a database". */
    try_corrupt(fx.path, fx.dir, 0, 16);
    char copy[160];
    snprintf(copy, sizeof copy, "%s/copy-0.db", fx.dir);
    struct queue_opts o = {.reviewer = "alice"};
    struct so_error err = {0};
    struct queue *q = NULL;
    assert_int_equal(store_open(copy, &o, &q, &err), SO_ERR_CORRUPT);
    check_clear(&err);
    print_message("# corrupt: %s\n", err.msg);
    /* Every page's first bytes (b-tree headers) and some payload. */
    for (off_t off = 4096; off < sb.st_size; off += 4096) {
        try_corrupt(fx.path, fx.dir, off, 8);
        try_corrupt(fx.path, fx.dir, off + 2000, 64);
    }
    fixture_teardown(&fx);
}

/* ---- a file from a newer signoff ------------------------------------- */

static void test_future_schema(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_setup(&fx, 1);
    queue_close(fx.q);
    fx.q = NULL;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(fx.path, &db), SQLITE_OK);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version=%d",
             STORE_SCHEMA_VERSION + 1);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    struct queue_opts o = {.reviewer = "alice"};
    struct so_error err = {0};
    struct queue *q = NULL;
    assert_int_equal(store_open(fx.path, &o, &q, &err), SO_ERR_SCHEMA);
    check_clear(&err);
    print_message("# newer schema: %s\n", err.msg);
    assert_null(q);
    /* Refused before touching anything: the version stays as it was. */
    char want[32];
    snprintf(want, sizeof want, "%d\n", STORE_SCHEMA_VERSION + 1);
    check_sql(fx.path, "PRAGMA user_version", want);
    fixture_teardown(&fx);
}

int main(void)
{
    /* The locked-file case waits out the busy budget: keep it short. */
    setenv("SIGNOFF_BUSY_TIMEOUT_MS", "1500", 1);
    fault_vfs_install();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fail_nth_write),
        cmocka_unit_test(test_fail_nth_sync),
        cmocka_unit_test(test_fail_nth_full),
        cmocka_unit_test(test_disk_full),
        cmocka_unit_test(test_read_only),
        cmocka_unit_test(test_locked),
        cmocka_unit_test(test_corrupted),
        cmocka_unit_test(test_future_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
