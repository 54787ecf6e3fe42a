/*
 * store_chain: the append to the audit chain of the SQLite store, shared by
 * every writer of records (decisions, reverts, action records): the next
 * seq comes from the head kept in the meta table, the record is hashed
 * (audit.h) and linked, inserted, and the head moved. Runs in the caller's
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

static const char sql_insert[] =
    "INSERT INTO decisions(seq, draft, request_id, reviewer, action, kind,"
    " reason, note, final_body, edit_size, body_sha, final_sha, shown_at,"
    " decided_at, active_ms, reverts_seq, prev_hash, hash)"
    " VALUES (:seq, :draft, :rq, :rev, :action, :kind, :reason, :note,"
    " :final, :size, :bsha, :fsha, :shown, :at, :active, :reverts, :prev,"
    " :hash)";

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


static void bind_record(sqlite3_stmt *st, const struct so_decision *d)
{
    store_db_bind_int(st, ":seq", d->seq);
    store_db_bind_text(st, ":draft", d->draft_id);
    store_db_bind_text(st, ":rq", d->request_id);
    store_db_bind_text(st, ":rev", d->reviewer);
    store_db_bind_text(st, ":action", so_action_name(d->action));
    store_db_bind_text(st, ":kind", d->kind);
    store_db_bind_text(st, ":reason", d->reason);
    store_db_bind_text(st, ":note", d->note);
    store_db_bind_text(st, ":final", d->final_body);
    store_db_bind_int(st, ":size", d->edit_size);
    store_db_bind_text(st, ":bsha", d->body_sha);
    store_db_bind_text(st, ":fsha", d->final_sha[0] ? d->final_sha : NULL);
    store_db_bind_int(st, ":shown", d->shown_at);
    store_db_bind_int(st, ":at", d->decided_at);
    store_db_bind_int(st, ":active", d->active_ms);
    store_db_bind_int(st, ":reverts", d->reverts_seq);
    store_db_bind_text(st, ":prev", d->prev_hash);
    store_db_bind_text(st, ":hash", d->hash);
}

/* Give d the next seq, link it to the head, insert it, move the head
 * (inside a run: the head kept in s until store_chain_run_end). */
enum so_status store_chain_append(struct store *s, struct so_decision *d,
                                   struct so_error *err)
{
    enum so_status code = SO_OK;
    if (s->chain_run && s->chain_held) {
        d->seq = s->chain_seq;
        memcpy(d->prev_hash, s->chain_hash, sizeof d->prev_hash);
    } else {
        code = store_chain_head(s, &d->seq, d->prev_hash, err);
    }
    if (code != SO_OK)
        return code;
    d->seq++;
    if (!d->request_id) /* an admin record: admin-SEQ (admin.h) */
        d->request_id = xasprintf("%s-%lld", d->kind, (long long)d->seq);
    audit_record_hash(d->prev_hash, d, d->hash);
    sqlite3_stmt *st = store_db_stmt(s, sql_insert, err);
    if (!st)
        return err->code;
    bind_record(st, d);
    code = store_db_run(s, st, err);
    if (code != SO_OK)
        return code;
    if (s->chain_run) {
        s->chain_held = s->chain_dirty = 1;
        s->chain_seq = d->seq;
        memcpy(s->chain_hash, d->hash, sizeof s->chain_hash);
        return SO_OK;
    }
    return store_chain_set_head(s, d->seq, d->hash, err);
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
