/*
 * store_outcomes: the outcomes table of the SQLite store (see
 * outcomes.h): a row written in the transaction of the record that made a
 * draft final, marked when that record is undone. The feed and the action
 * record read and mark them (events.c). Only SQL; what a fact means is
 * outcome.h's. Must not print.
 */
#include "signoff/store/sqlite/outcomes.h"

#include "signoff/outcome.h"

static const char sql_release_after[] =
    "SELECT release_after_ms FROM workflows WHERE name = :wf";

static const char sql_outcome_ins[] =
    "INSERT INTO outcomes(seq, draft, workflow, release_at)"
    " VALUES (:seq, :draft, :wf, :rel)";

static const char sql_outcome_of[] =
    "SELECT applied_seq FROM outcomes WHERE seq = :seq";

static const char sql_outcome_revert[] =
    "UPDATE outcomes SET reverted_at = :at WHERE seq = :seq";

enum so_status store_outcomes_record(struct store *s,
                                     const struct so_decision *d,
                                     const char *workflow,
                                     struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_release_after, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":wf", workflow);
    enum so_status code = store_db_step(s, st, "outcomes", err);
    int64_t after = code == SO_OK ? sqlite3_column_int64(st, 0) : 0;
    code = store_db_finish(s, st, code, err);
    return code == SO_OK ? store_outcomes_record_after(s, d, workflow, after,
                                                       err)
                         : code;
}

enum so_status store_outcomes_record_after(struct store *s,
                                           const struct so_decision *d,
                                           const char *workflow,
                                           int64_t after,
                                           struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_outcome_ins, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":seq", d->seq);
    store_db_bind_text(st, ":draft", d->draft_id);
    store_db_bind_text(st, ":wf", workflow);
    store_db_bind_int(st, ":rel", outcome_release_at(d->decided_at, after));
    return store_db_run(s, st, err);
}

enum so_status store_outcomes_may_undo(struct store *s,
                                       const struct so_decision *orig,
                                       struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_outcome_of, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":seq", orig->seq);
    enum so_status code = store_db_step(s, st, "outcomes", err);
    int64_t applied = code == SO_OK ? sqlite3_column_int64(st, 0) : 0;
    code = store_db_finish(s, st, code, err);
    return code == SO_OK ? outcome_may_undo(orig->draft_id, applied, err)
                         : code;
}

enum so_status store_outcomes_reverted(struct store *s, int64_t seq,
                                       int64_t at, struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_outcome_revert, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":seq", seq);
    store_db_bind_int(st, ":at", at);
    return store_db_run(s, st, err);
}
