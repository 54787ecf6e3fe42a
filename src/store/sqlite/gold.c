/*
 * store_gold: gold checks on the SQLite store (see gold.h). The rules are
 * gold.h's and store/rules.h's; this file holds the SQL.
 */
#include "signoff/store/sqlite/gold.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/draft_json.h"
#include "signoff/store/rules.h"
#include "signoff/store/sqlite/reasons.h"
#include "signoff/store/sqlite/workflow.h"

static const char sql_taken[] =
    "SELECT EXISTS (SELECT 1 FROM drafts WHERE id = :id)"
    " OR EXISTS (SELECT 1 FROM gold WHERE draft_id = :id)";

static const char sql_add[] =
    "INSERT INTO gold(draft_id, workflow, draft, expected, reasons, added_by,"
    " added_at) VALUES (:id, :wf, :draft, :exp, :reasons, :by, :at)";

static const char sql_next[] =
    "UPDATE gold SET released_at = :now WHERE id = (SELECT id FROM gold"
    " WHERE workflow = :wf AND released_at IS NULL ORDER BY id LIMIT 1)"
    " RETURNING draft";

static const char sql_due[] =
    "UPDATE workflows SET gold_due = :due WHERE name = :wf";

static const char sql_of[] =
    "SELECT expected, reasons FROM gold WHERE draft_id = :id"
    " AND released_at IS NOT NULL";

static const char sql_answer[] =
    "INSERT INTO gold_answers(seq, draft_id, workflow, reviewer, action,"
    " reason, correct, at) VALUES (:seq, :id, :wf, :who, :action, :reason,"
    " :ok, :at)";

static const char sql_unanswer[] = "DELETE FROM gold_answers WHERE seq = :seq";

static const char sql_undelivered[] = "DELETE FROM deliveries WHERE seq = :seq";

/* One item's checks; a failure goes to res, a database error returned. */
static enum so_status add_one(struct store *s, const struct gold_item *g,
                              struct so_enq_result *res, struct so_error *err)
{
    const struct so_draft *d = g->draft;
    memset(res, 0, sizeof *res);
    res->outcome = SO_ENQ_FAILED;
    if (store_rules_gold(g, &res->err) != SO_OK)
        return SO_OK;
    sqlite3_stmt *st = store_db_stmt(s, sql_taken, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":id", d->id);
    int rc = sqlite3_step(st);
    int taken = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return store_db_fail(s, "gold add", err);
    if (taken) {
        so_fail(&res->err, SO_ERR_CONFLICT,
                "draft.id: %s is already a draft or a gold draft", d->id);
        return SO_OK;
    }
    enum so_status code;
    for (const char *p = g->reasons; p && *p;) {
        size_t n = strcspn(p, "\n");
        char *r = xstrndup(p, n);
        code = store_reasons_check(s, d->id, d->workflow, r, err);
        free(r);
        if (code == SO_ERR_INVALID || code == SO_ERR_NOTFOUND) {
            so_fail(&res->err, code, "%s", err->msg);
            return SO_OK; /* not one of the workflow's codes */
        }
        if (code != SO_OK)
            return code;
        p += n + (p[n] == '\n');
    }
    code = store_workflow_ensure_for(s, d, "gold", err);
    if (code != SO_OK)
        return code;
    st = store_db_stmt(s, sql_add, err);
    if (!st)
        return err->code;
    char *json = draft_to_json(d, 0);
    store_db_bind_text(st, ":id", d->id);
    store_db_bind_text(st, ":wf", d->workflow);
    store_db_bind_text(st, ":draft", json);
    store_db_bind_text(st, ":exp", so_action_name(g->expected));
    store_db_bind_text(st, ":reasons", g->reasons);
    store_db_bind_text(st, ":by", s->reviewer);
    store_db_bind_int(st, ":at", so_now_ms());
    code = store_db_run(s, st, err);
    free(json);
    if (code == SO_OK)
        res->outcome = SO_ENQ_ADDED;
    return code;
}

enum so_status store_gold_add(struct queue *q, const struct gold_item *items,
                              size_t n, struct so_enq_result *results,
                              struct so_error *err)
{
    struct store *s = q->impl;
    enum so_status code = store_db_begin(s, err);
    for (size_t i = 0; code == SO_OK && i < n; i++)
        code = add_one(s, &items[i], &results[i], err);
    if (code == SO_OK)
        return store_db_commit(s, err);
    store_db_rollback(s);
    return code;
}

enum so_status store_gold_release(struct store *s, const char *workflow,
                                  int64_t now, struct so_draft **out,
                                  struct so_error *err)
{
    *out = NULL;
    sqlite3_stmt *st = store_db_stmt(s, sql_next, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":wf", workflow);
    store_db_bind_int(st, ":now", now);
    int rc = sqlite3_step(st);
    char *json = rc == SQLITE_ROW ? store_db_col_str(st, 0) : NULL;
    enum so_status code = rc == SQLITE_ROW || rc == SQLITE_DONE
                              ? SO_OK
                              : store_db_fail(s, "gold release", err);
    if (rc == SQLITE_ROW)
        code = store_db_done(s, st, err);
    else
        sqlite3_reset(st);
    if (code == SO_OK && json &&
        draft_from_jsonl(json, strlen(json), out, err) != SO_OK)
        code = so_fail(err, SO_ERR_CORRUPT, "gold draft of %s: %s", workflow,
                       err->msg);
    free(json);
    return code;
}

enum so_status store_gold_due_save(struct store *s, const char *workflow,
                                   double due, struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_due, err);
    if (!st)
        return err->code;
    store_db_bind_double(st, ":due", due);
    store_db_bind_text(st, ":wf", workflow);
    return store_db_run(s, st, err);
}

enum so_status store_gold_of(struct store *s, const char *draft_id,
                             struct store_gold_key *k, struct so_error *err)
{
    memset(k, 0, sizeof *k);
    sqlite3_stmt *st = store_db_stmt(s, sql_of, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":id", draft_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        char *exp = store_db_col_str(st, 0);
        k->gold = 1;
        k->expected = (enum so_action)so_action_from_name(exp ? exp : "");
        k->reasons = store_db_col_str(st, 1);
        free(exp);
    }
    enum so_status code = rc == SQLITE_ROW || rc == SQLITE_DONE
                              ? SO_OK
                              : store_db_fail(s, "gold", err);
    sqlite3_reset(st);
    return code;
}

enum so_status store_gold_answer(struct store *s, const struct so_decision *d,
                                 const char *workflow,
                                 const struct store_gold_key *k,
                                 struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_answer, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":seq", d->seq);
    store_db_bind_text(st, ":id", d->draft_id);
    store_db_bind_text(st, ":wf", workflow);
    store_db_bind_text(st, ":who", d->reviewer);
    store_db_bind_text(st, ":action", so_action_name(d->action));
    store_db_bind_text(st, ":reason", d->reason);
    store_db_bind_int(st, ":ok", gold_correct(k->expected, k->reasons,
                                              d->action, d->reason));
    store_db_bind_int(st, ":at", d->decided_at);
    enum so_status code = store_db_run(s, st, err);
    return code == SO_OK ? store_gold_undelivered(s, d->seq, err) : code;
}

enum so_status store_gold_undelivered(struct store *s, int64_t seq,
                                      struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_undelivered, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":seq", seq);
    return store_db_run(s, st, err);
}

enum so_status store_gold_unanswer(struct store *s, int64_t seq,
                                   struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_unanswer, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":seq", seq);
    return store_db_run(s, st, err);
}
