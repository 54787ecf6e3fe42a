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

/* Outcomes of a batch, OUTCOME_ROWS to a statement
 * (store_outcomes_record_many). */
#define OUTCOME_ROWS 64
#define ROW "(?,?,?,?)"
#define ROWS8 ROW "," ROW "," ROW "," ROW "," ROW "," ROW "," ROW "," ROW
#define ROWS32 ROWS8 "," ROWS8 "," ROWS8 "," ROWS8

static const char sql_outcome_rows[] =
    "INSERT INTO outcomes(seq, draft, workflow, release_at) VALUES " ROWS32
    "," ROWS32;

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

static enum so_status record_one(struct store *s,
                                 const struct store_outcome_row *o,
                                 struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_outcome_ins, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":seq", o->seq);
    store_db_bind_text(st, ":draft", o->draft);
    store_db_bind_text(st, ":wf", o->workflow);
    store_db_bind_int(st, ":rel", o->release_at);
    return store_db_run(s, st, err);
}

enum so_status store_outcomes_record_after(struct store *s,
                                           const struct so_decision *d,
                                           const char *workflow,
                                           int64_t after,
                                           struct so_error *err)
{
    struct store_outcome_row o = {
        .seq = d->seq,
        .draft = d->draft_id,
        .workflow = workflow,
        .release_at = outcome_release_at(d->decided_at, after),
    };
    return record_one(s, &o, err);
}

enum so_status store_outcomes_record_many(struct store *s,
                                          const struct store_outcome_row *v,
                                          size_t n, struct so_error *err)
{
    enum so_status code = SO_OK;
    size_t i = 0;
    for (; code == SO_OK && i + OUTCOME_ROWS <= n; i += OUTCOME_ROWS) {
        sqlite3_stmt *st = store_db_stmt(s, sql_outcome_rows, err);
        if (!st)
            return err->code;
        for (int k = 0; k < OUTCOME_ROWS; k++) {
            const struct store_outcome_row *o = &v[i + (size_t)k];
            sqlite3_bind_int64(st, 4 * k + 1, o->seq);
            sqlite3_bind_text(st, 4 * k + 2, o->draft, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 4 * k + 3, o->workflow, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 4 * k + 4, o->release_at);
        }
        code = store_db_run(s, st, err);
    }
    for (; code == SO_OK && i < n; i++)
        code = record_one(s, &v[i], err);
    return code;
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
