/*
 * store_chain: the append to the audit chain of the SQLite store, shared by
 * every writer of records (decisions, reverts, action records): the next
 * seq comes from the head kept in the meta table, the record is hashed
 * (audit.h) and linked, inserted with what a record brings (the decision
 * counters, webhook deliveries), and the head moved. Runs in the caller's
 * transaction; never opens one, never prints.
 */
#include "signoff/store/sqlite/chain.h"

#include <string.h>

#include "signoff/audit.h"

static const char sql_head[] =
    "SELECT (SELECT value FROM meta WHERE key = 'chain_seq'),"
    " (SELECT value FROM meta WHERE key = 'chain_hash')";

static const char sql_set_head[] =
    "UPDATE meta SET value = CASE key WHEN 'chain_seq' THEN :seq"
    " ELSE :hash END WHERE key IN ('chain_seq', 'chain_hash')";

/* Records of a batch, CHAIN_ROWS to a statement (store_chain_append_many):
 * one statement's start, cursors and triggers' frames for them all. */
#define CHAIN_COLS 18
#define CHAIN_ROWS 32
#define ROW "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
#define ROWS4 ROW "," ROW "," ROW "," ROW
#define ROWS16 ROWS4 "," ROWS4 "," ROWS4 "," ROWS4
#define COLUMNS                                                                \
    "INSERT INTO decisions(seq, draft, request_id, reviewer, action, kind,"    \
    " reason, note, final_body, edit_size, body_sha, final_sha, shown_at,"     \
    " decided_at, active_ms, reverts_seq, prev_hash, hash)"

static const char sql_insert_rows[] = COLUMNS " VALUES " ROWS16 "," ROWS16;

static const char sql_insert[] = COLUMNS " VALUES " ROW;

/* What the records seq :first..:last bring with them, in their
 * transaction: the counters of /metrics (decisions per workflow and
 * action, ever) and a webhook delivery per hook of the draft's workflow
 * (an escalation and an action record only for a hook of all events), in
 * seq order. A record whose subject is no draft (an admin record) has
 * neither. */
static const char sql_count_range[] =
    "INSERT INTO decision_counts(workflow, action, n)"
    " SELECT d.workflow, x.action, count(*) FROM decisions x"
    " JOIN drafts d ON d.id = x.draft WHERE x.seq BETWEEN :first AND :last"
    " GROUP BY d.workflow, x.action"
    " ON CONFLICT(workflow, action) DO UPDATE SET n = n + excluded.n";

static const char sql_deliver_range[] =
    "INSERT INTO deliveries(hook, seq, draft, next_at)"
    " SELECT h.id, x.seq, x.draft, x.decided_at FROM decisions x"
    " JOIN drafts d ON d.id = x.draft JOIN hooks h ON h.workflow = d.workflow"
    " WHERE x.seq BETWEEN :first AND :last AND EXISTS (SELECT 1 FROM hooks)"
    " AND (h.events = 'all' OR x.action <> 'escalate'"
    " AND x.action <> 'applied') ORDER BY x.seq, h.id";

static enum so_status after_records(struct store *s, int64_t first,
                                    int64_t last, struct so_error *err)
{
    enum so_status code = SO_OK;
    const char *const sql[] = {sql_count_range, sql_deliver_range};
    for (size_t i = 0; code == SO_OK && i < sizeof sql / sizeof *sql; i++) {
        sqlite3_stmt *st = store_db_stmt(s, sql[i], err);
        if (!st)
            return err->code;
        store_db_bind_int(st, ":first", first);
        store_db_bind_int(st, ":last", last);
        code = store_db_run(s, st, err);
    }
    return code;
}

enum so_status store_chain_head(struct store *s, int64_t *seq, char hash[65],
                                struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_head, err);
    if (!st)
        return err->code;
    if (sqlite3_step(st) != SQLITE_ROW) {
        enum so_status code = store_db_fail(s, "read chain head", err);
        sqlite3_reset(st);
        return code;
    }
    *seq = sqlite3_column_int64(st, 0);
    store_db_col_buf(st, 1, hash, 65);
    return store_db_done(s, st, err);
}



/* The head the next append links to: the run's when it holds one, else
 * the meta table's. */
static enum so_status take_head(struct store *s, int64_t *seq, char hash[65],
                                struct so_error *err)
{
    if (s->chain_run && s->chain_held) {
        *seq = s->chain_seq;
        memcpy(hash, s->chain_hash, 65);
        return SO_OK;
    }
    return store_chain_head(s, seq, hash, err);
}

/* The records up to seq (its hash) are in: move the head (inside a run:
 * keep it in s until store_chain_run_end). */
static enum so_status moved_head(struct store *s, int64_t seq,
                                 const char *hash, struct so_error *err)
{
    if (!s->chain_run)
        return store_chain_set_head(s, seq, hash, err);
    s->chain_held = s->chain_dirty = 1;
    s->chain_seq = seq;
    memcpy(s->chain_hash, hash, sizeof s->chain_hash);
    return SO_OK;
}

/* Bind text v (NULL: SQL NULL) to parameter i without a copy: a record
 * outlives the step of the statement that inserts it. */
static void bind_static(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* d's columns as parameters i+1 .. i+CHAIN_COLS of sql_insert_rows, in
 * the order of COLUMNS. */
static void bind_row(sqlite3_stmt *st, int i, const struct so_decision *d)
{
    sqlite3_bind_int64(st, i + 1, d->seq);
    bind_static(st, i + 2, d->draft_id);
    bind_static(st, i + 3, d->request_id);
    bind_static(st, i + 4, d->reviewer);
    bind_static(st, i + 5, so_action_name(d->action));
    bind_static(st, i + 6, d->kind);
    bind_static(st, i + 7, d->reason);
    bind_static(st, i + 8, d->note);
    bind_static(st, i + 9, d->final_body);
    sqlite3_bind_int64(st, i + 10, d->edit_size);
    bind_static(st, i + 11, d->body_sha);
    bind_static(st, i + 12, d->final_sha[0] ? d->final_sha : NULL);
    sqlite3_bind_int64(st, i + 13, d->shown_at);
    sqlite3_bind_int64(st, i + 14, d->decided_at);
    sqlite3_bind_int64(st, i + 15, d->active_ms);
    sqlite3_bind_int64(st, i + 16, d->reverts_seq);
    bind_static(st, i + 17, d->prev_hash);
    bind_static(st, i + 18, d->hash);
}

static enum so_status insert_one(struct store *s, const struct so_decision *d,
                                 struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_insert, err);
    if (!st)
        return err->code;
    bind_row(st, 0, d);
    return store_db_run(s, st, err);
}

enum so_status store_chain_append(struct store *s, struct so_decision *d,
                                   struct so_error *err)
{
    enum so_status code = take_head(s, &d->seq, d->prev_hash, err);
    if (code != SO_OK)
        return code;
    d->seq++;
    if (!d->request_id) /* an admin record: admin-SEQ (admin.h) */
        d->request_id = xasprintf("%s-%lld", d->kind, (long long)d->seq);
    audit_record_hash(d->prev_hash, d, d->hash);
    code = insert_one(s, d, err);
    if (code == SO_OK)
        code = after_records(s, d->seq, d->seq, err);
    return code == SO_OK ? moved_head(s, d->seq, d->hash, err) : code;
}

enum so_status store_chain_append_many(struct store *s, struct so_decision *v,
                                       size_t n, struct so_error *err)
{
    int64_t seq;
    char hash[65];
    enum so_status code = n ? take_head(s, &seq, hash, err) : SO_OK;
    if (code != SO_OK || !n)
        return code;
    for (size_t i = 0; i < n; i++) {
        v[i].seq = ++seq;
        memcpy(v[i].prev_hash, hash, sizeof v[i].prev_hash);
        audit_record_hash(v[i].prev_hash, &v[i], v[i].hash);
        memcpy(hash, v[i].hash, sizeof hash);
    }
    size_t i = 0;
    for (; code == SO_OK && i + CHAIN_ROWS <= n; i += CHAIN_ROWS) {
        sqlite3_stmt *st = store_db_stmt(s, sql_insert_rows, err);
        if (!st)
            return err->code;
        for (int k = 0; k < CHAIN_ROWS; k++)
            bind_row(st, k * CHAIN_COLS, &v[i + (size_t)k]);
        code = store_db_run(s, st, err);
    }
    for (; code == SO_OK && i < n; i++)
        code = insert_one(s, &v[i], err);
    if (code == SO_OK)
        code = after_records(s, v[0].seq, seq, err);
    return code == SO_OK ? moved_head(s, seq, hash, err) : code;
}

enum so_status store_chain_set_head(struct store *s, int64_t seq,
                                   const char *hash, struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_set_head, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":seq", seq);
    store_db_bind_text(st, ":hash", hash);
    return store_db_run(s, st, err);
}

void store_chain_run_begin(struct store *s)
{
    s->chain_run = 1;
    s->chain_held = s->chain_dirty = 0;
}

enum so_status store_chain_run_end(struct store *s, int write,
                                   struct so_error *err)
{
    int dirty = s->chain_dirty;
    s->chain_run = s->chain_held = s->chain_dirty = 0;
    return write && dirty
               ? store_chain_set_head(s, s->chain_seq, s->chain_hash, err)
               : SO_OK;
}
