/*
 * store_sqlite: opening the queue file and the table of operations. Opening
 * is where most trouble is caught, once, with one clear sentence: a missing
 * file, a directory, not a database, a newer schema, no write permission, a
 * network filesystem (WAL needs shared memory on a local disk), a journal
 * mode that did not take. The operations live in store/sqlite/lease.c,
 * store/sqlite/read.c, store/sqlite/decide.c, store/sqlite/enqueue.c, store/sqlite/workflow.c and
 * store/sqlite/tokens.c.
 * Never includes curses.h or curl.h; never prints.
 */
#define _GNU_SOURCE
#include "signoff/store/sqlite/backend.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "signoff/names.h"
#include "signoff/store/sqlite/admin.h"
#include "signoff/store/sqlite/copy.h"
#include "signoff/store/sqlite/db.h"
#include "signoff/store/sqlite/decide.h"
#include "signoff/store/sqlite/enqueue.h"
#include "signoff/store/sqlite/events.h"
#include "signoff/store/sqlite/gold.h"
#include "signoff/store/sqlite/hooks.h"
#include "signoff/store/sqlite/lease.h"
#include "signoff/store/sqlite/read.h"
#include "signoff/store/sqlite/review.h"
#include "signoff/store/sqlite/schema.h"
#include "signoff/store/sqlite/tokens.h"
#include "signoff/store/sqlite/workflow.h"

#define JOURNAL_SIZE_LIMIT "67108864" /* 64 MiB kept after a checkpoint */
/* 16 MiB of page cache: a batch of enqueues touches six indexes. A
 * checkpoint every 4000 WAL pages (16 MiB) rather than SQLite's 1000: a
 * claim+decide writes ~30 pages, many of them the same hot pages (counts,
 * rollup, chain head, index roots), so fewer checkpoints write less, and
 * the commit that runs one (a ~10 ms stall) falls below 1% of decisions:
 * p99 of claim+decide at synchronous=NORMAL went from 12.5 to 1.4 ms. */
#define CACHE_SIZE "PRAGMA cache_size=-16384; PRAGMA wal_autocheckpoint=4000;"

/* Filesystems where WAL's shared-memory index does not work. */
static const struct {
    long magic;
    const char *name;
} network_fs[] = {
    {0x6969, "nfs"}, {0xFF534D42, "cifs"}, {0xFE534D42, "smb2"},
    {0x517B, "smb"}, {0x65735546, "fuse"}, {0x01021997, "9p"},
};

static char *dir_of(const char *path)
{
    char *copy = xstrdup(path);
    char *dir = xstrdup(dirname(copy));
    free(copy);
    return dir;
}

static enum so_status check_filesystem(const char *path, const char *dir,
                                       struct so_error *err)
{
    struct statfs fs;
    if (statfs(dir, &fs) != 0)
        return so_fail(err, SO_ERR_IO, "%s: %s", dir, strerror(errno));
    for (size_t i = 0; i < SO_ARRAY_LEN(network_fs); i++)
        if ((long)(unsigned)fs.f_type == network_fs[i].magic)
            return so_fail(err, SO_ERR_IO,
                           "%s: on a %s filesystem: SQLite's WAL needs a "
                           "local disk (put the queue there, or serve it "
                           "with signoff serve)",
                           path, network_fs[i].name);
    return SO_OK;
}

/* Create the file (and its directory) for init, owner-only (0600, a new
 * directory 0700: drafts and decisions are nobody else's to read) and
 * never through a symbolic link; with a group, make both group-writable
 * and the directory setgid, since -wal and -shm (which take the file's
 * mode) are created by whoever opens the queue first. */
static enum so_status create_file(const char *path, const char *dir,
                                  const char *group, struct so_error *err)
{
    gid_t gid = (gid_t)-1;
    if (group) {
        struct group *g = getgrnam(group);
        if (!g)
            return so_fail(err, SO_ERR_USAGE, "%s: no such group", group);
        gid = g->gr_gid;
    }
    enum so_status code = so_mkdirs(dir, group ? 02770 : 0700, err);
    if (code != SO_OK)
        return code;
    if (group && (chown(dir, (uid_t)-1, gid) != 0 || chmod(dir, 02770) != 0))
        return so_fail(err, SO_ERR_IO, "%s: %s", dir, strerror(errno));
    int created;
    code = so_file_ensure(path, group ? 0660 : 0600, &created, err);
    if (code != SO_OK || !group)
        return code;
    int fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return so_fail(err,
                       errno == EACCES || errno == EROFS ? SO_ERR_READONLY
                                                         : SO_ERR_IO,
                       "%s: %s", path, strerror(errno));
    int bad =
        group && (fchown(fd, (uid_t)-1, gid) != 0 || fchmod(fd, 0660) != 0);
    int saved = errno;
    close(fd);
    if (bad)
        return so_fail(err, SO_ERR_IO, "%s: %s", path, strerror(saved));
    return SO_OK;
}

static enum so_status check_path(const char *path, const char *dir,
                                 const struct queue_opts *opts,
                                 struct so_error *err)
{
    struct stat sb;
    if (opts->create && lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode))
        return create_file(path, dir, opts->group, err); /* refuses it */
    if (stat(path, &sb) != 0) {
        if (errno != ENOENT)
            return so_fail(err, SO_ERR_IO, "%s: %s", path, strerror(errno));
        if (!opts->create)
            return so_fail(err, SO_ERR_NOTFOUND,
                           "%s: no such queue (create it with signoff init)",
                           path);
        return create_file(path, dir, opts->group, err);
    }
    if (S_ISDIR(sb.st_mode))
        return so_fail(err, SO_ERR_INVALID,
                       "%s: is a directory, not a queue file", path);
    if (!S_ISREG(sb.st_mode))
        return so_fail(err, SO_ERR_INVALID, "%s: not a regular file", path);
    if (opts->create && opts->group)
        return create_file(path, dir, opts->group, err);
    if (opts->readonly)
        return access(path, R_OK) == 0
                   ? SO_OK
                   : so_fail(err, SO_ERR_IO, "%s: %s", path, strerror(errno));
    if (access(path, W_OK) != 0)
        return so_fail(err, SO_ERR_READONLY,
                       "%s: read-only: no write permission on the file", path);
    if (access(dir, W_OK) != 0)
        return so_fail(err, SO_ERR_READONLY,
                       "%s: read-only: no write permission on %s (SQLite "
                       "creates its -wal and -shm files there)",
                       path, dir);
    return SO_OK;
}

/* A one-row, one-column query whose text answer goes into out. */
static enum so_status query_text(struct store *s, const char *sql, char *out,
                                 size_t size, struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql, err);
    if (!st)
        return err ? err->code : SO_ERR;
    if (sqlite3_step(st) != SQLITE_ROW) {
        enum so_status code = store_db_fail(s, "open", err);
        sqlite3_reset(st);
        return code;
    }
    store_db_col_buf(st, 0, out, size);
    return store_db_done(s, st, err);
}

/* Refuse files that are SQLite but not ours before changing anything. */
static enum so_status check_identity(struct store *s, int create,
                                     struct so_error *err)
{
    int version;
    char tables[32];
    enum so_status code = store_schema_read(s, &version, err);
    if (code == SO_OK)
        code = query_text(s, "SELECT count(*) FROM sqlite_schema", tables,
                          sizeof tables, err);
    if (code != SO_OK)
        return code;
    if (version > STORE_SCHEMA_VERSION)
        return so_fail(err, SO_ERR_SCHEMA,
                       "%s: created by a newer signoff (schema %d; this one "
                       "reads up to %d)",
                       s->path, version, STORE_SCHEMA_VERSION);
    if (version == 0 && (!create || strcmp(tables, "0") != 0))
        return so_fail(err, SO_ERR_CORRUPT, "%s: not a signoff queue", s->path);
    if (version < STORE_SCHEMA_VERSION && s->readonly)
        return so_fail(err, SO_ERR_SCHEMA,
                       "%s: schema %d needs an upgrade to %d, which a "
                       "read-only command does not make: run 'signoff init "
                       "--queue %s' once (or any command that writes)",
                       s->path, version, STORE_SCHEMA_VERSION, s->path);
    return SO_OK;
}

static enum so_status configure(struct store *s, int sync_normal,
                                int probe, struct so_error *err)
{
    char mode[16];
    /* Readers need no journal setting: a reader of an immutable file (see
     * try_immutable) even sees "delete". */
    enum so_status code = s->readonly ? SO_OK
                                      : query_text(s, "PRAGMA journal_mode=WAL",
                                                   mode, sizeof mode, err);
    if (code != SO_OK)
        return code;
    if (!s->readonly && strcmp(mode, "wal") != 0)
        return so_fail(err, SO_ERR_IO,
                       "%s: SQLite refused WAL mode (journal mode is %s): "
                       "the queue must be on a local disk",
                       s->path, mode);
    const char *pragmas =
        sync_normal
            ? "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"
              "PRAGMA journal_size_limit=" JOURNAL_SIZE_LIMIT ";" CACHE_SIZE
            : "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"
              "PRAGMA journal_size_limit=" JOURNAL_SIZE_LIMIT ";" CACHE_SIZE;
    if (sqlite3_exec(s->db, pragmas, NULL, NULL, NULL) != SQLITE_OK)
        return store_db_fail(s, "configure", err);
    s->sync_full = !sync_normal;
    if (s->readonly)
        return SO_OK;
    /* Keep -wal and -shm when the last connection closes: otherwise the next
     * opener re-creates them, and on a queue shared by several Unix users
     * another user's process can meet the new -shm before SQLite has
     * widened it from the creator's umask to the file's 0660 (it then opens
     * the queue read-only). */
    int persist = 1;
    sqlite3_file_control(s->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
    /* Probe a write now, so a read-only or locked file fails here with one
     * message rather than at the first decision. */
    if (!probe)
        return SO_OK;
    code = store_db_begin(s, err);
    if (code != SO_OK)
        return code;
    store_db_rollback(s);
    return SO_OK;
}

static char *login_name(void)
{
    struct passwd *pw = getpwuid(getuid());
    return xstrdup(pw && pw->pw_name ? pw->pw_name : "unknown");
}

static void store_free(struct store *s)
{
    if (!s)
        return;
    store_db_finalize(s);
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

/*
 * A reader who may not write the directory cannot create the -shm file a
 * WAL database needs. When no -wal file holds pages there is no writer
 * with pages not yet in the file, so the file can be read as immutable
 * (store_db_immutable_ok, which says why not in err); the read-only
 * commands are short, and a writer arriving later is the reader's race to
 * lose, not the queue's.
 */
static int try_immutable(struct store *s, enum so_status code,
                         struct so_error *err)
{
    if (!s->readonly || (code != SO_ERR_READONLY && code != SO_ERR_IO) ||
        store_db_immutable_ok(s->path, err) != SO_OK)
        return 0;
    store_db_finalize(s);
    sqlite3_close(s->db);
    s->db = NULL;
    char *uri = store_db_immutable_uri(s->path);
    int rc = sqlite3_open_v2(uri, &s->db,
                             SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
                                 SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                             NULL);
    free(uri);
    return rc == SQLITE_OK;
}

static enum so_status open_db(struct store *s, const struct queue_opts *opts,
                              struct so_error *err)
{
    int flags =
        (opts->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
        SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    if (sqlite3_open_v2(s->path, &s->db, flags, NULL) != SQLITE_OK)
        return store_db_fail(s, "open", err);
    store_db_busy_init(s, opts->busy_ms);
    enum so_status code = check_identity(s, opts->create, err);
    if (code != SO_OK && try_immutable(s, code, err)) {
        store_db_busy_init(s, opts->busy_ms);
        code = check_identity(s, 0, err);
    }
    if (code == SO_OK)
        code = configure(s, opts->sync_normal, !opts->no_write_probe, err);
    if (code == SO_OK && !s->readonly)
        code = store_schema_migrate(s, err);
    return code;
}

enum so_status store_open(const char *path, const struct queue_opts *opts,
                          struct queue **out, struct so_error *err)
{
    static const struct queue_opts none;
    if (!opts)
        opts = &none;
    if (!path || !*path)
        return so_fail(err, SO_ERR_USAGE, "no queue path given");
    if (opts->reviewer && names_check_reviewer("reviewer", opts->reviewer, err) != SO_OK)
        return err->code;
    char *dir = dir_of(path);
    enum so_status code = check_path(path, dir, opts, err);
    if (code == SO_OK)
        code = check_filesystem(path, dir, err);
    free(dir);
    if (code != SO_OK)
        return code;
    struct store *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    s->readonly = opts->readonly;
    s->supervisor = opts->role && strcmp(opts->role, "supervisor") == 0;
    code = open_db(s, opts, err);
    if (code != SO_OK) {
        store_free(s);
        return code;
    }
    struct queue *q = xcalloc(1, sizeof *q);
    q->ops = &store_sqlite_ops;
    q->impl = s;
    q->spec = xstrdup(path);
    q->reviewer = opts->reviewer ? xstrdup(opts->reviewer) : login_name();
    q->supervisor = s->supervisor;
    s->reviewer = q->reviewer;
    *out = q;
    return SO_OK;
}

static void store_close(struct queue *q)
{
    if (!q)
        return;
    store_free(q->impl);
    free(q->spec);
    free(q->reviewer);
    free(q);
}

static enum so_status store_unsent(struct queue *q, int64_t *n,
                                   struct so_error *err)
{
    (void)q;
    (void)err;
    *n = 0;
    return SO_OK;
}

static enum so_status store_sync(struct queue *q, int64_t *sent,
                                 struct so_error *err)
{
    (void)q;
    (void)err;
    *sent = 0;
    return SO_OK;
}

/* A decision, then with claim_next the next claim and the counts, so a
 * caller (the UI, the server) gets both from one call. */
static enum so_status store_decide_next(struct queue *q,
                                        const struct so_decide_req *req,
                                        struct so_decide_result *res,
                                        struct so_error *err)
{
    memset(res, 0, sizeof *res);
    enum so_status code = store_decide(q, req, res, err);
    if (code == SO_OK && req->claim_next)
        queue_decide_next(q, req->claim_next, &res->next);
    return code;
}

const struct queue_ops store_sqlite_ops = {
    .name = "sqlite",
    .claim = store_lease_claim,
    .renew = store_lease_renew,
    .release = store_lease_release,
    .decide = store_decide_next,
    .undo = store_decide_undo,
    .get = store_read_get,
    .list = store_read_list,
    .count = store_read_count,
    .decisions = store_review_decisions,
    .enqueue = store_enqueue,
    .my_today = store_read_my_today,
    .my_decisions = store_read_my_decisions,
    .reassign = store_lease_reassign,
    .rollup = store_read_rollup,
    .workflow_list = store_workflow_list,
    .workflow_get = store_workflow_get,
    .workflow_set = store_workflow_set,
    .workflow_pause = store_workflow_pause,
    .unsent = store_unsent,
    .sync = store_sync,
    .close = store_close,
    .agreement = store_review_agreement,
    .events = store_events_read,
    .applied = store_events_applied,
    .hook_add = store_hooks_add,
    .hook_list = store_hooks_list,
    .hook_enable = store_hooks_enable,
    .hook_replay = store_hooks_replay,
    .hook_log = store_hooks_log,
    .delivery_claim = store_hooks_claim,
    .delivery_finish = store_hooks_finish,
    .token_add = store_token_add,
    .token_list = store_token_list,
    .token_find = store_token_find,
    .token_revoke = store_token_revoke,
    .token_rotate = store_token_rotate,
    .token_used = store_token_used,
    .admin_record = store_admin_record,
    .admin_last = store_admin_last,
    .dump = store_dump,
    .load_columns = store_load_columns,
    .load_begin = store_load_begin,
    .load_row = store_load_row,
    .load_end = store_load_end,
    .gold_add = store_gold_add,
};
