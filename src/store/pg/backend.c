/*
 * store_pg: opening a PostgreSQL queue and its table of operations (see
 * backend.h). Opening checks what the spec may carry (no password: it
 * would be on the command line and in logs; PGPASSFILE or a service file
 * holds it), asks for TLS with sslmode=verify-full unless the spec chooses
 * or names a Unix socket, sets the timeouts, and brings the schema up to
 * date.
 */
#include "signoff/store/pg/backend.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "signoff/names.h"
#include "signoff/store/pg/admin.h"
#include "signoff/store/pg/copy.h"
#include "signoff/store/pg/db.h"
#include "signoff/store/pg/decide.h"
#include "signoff/store/pg/drafts.h"
#include "signoff/store/pg/events.h"
#include "signoff/store/pg/gold.h"
#include "signoff/store/pg/hooks.h"
#include "signoff/store/pg/lease.h"
#include "signoff/store/pg/review.h"
#include "signoff/store/pg/rollup.h"
#include "signoff/store/pg/schema.h"
#include "signoff/store/pg/tokens.h"
#include "signoff/store/pg/workflow.h"

#define DEFAULT_BUSY_MS 10000

int pg_is_service_spec(const char *spec)
{
    return spec && strncmp(spec, "service=", 8) == 0;
}

/* What the spec says about password, sslmode and host. */
static enum so_status read_spec(const char *spec, int *has_sslmode,
                                int *local, struct so_error *err)
{
    char *why = NULL;
    PQconninfoOption *opts = PQconninfoParse(spec, &why);
    if (!opts) {
        enum so_status code = so_fail(
            err, SO_ERR_USAGE, "%s: not a PostgreSQL connection URI: %s",
            spec, why ? why : "does not parse");
        PQfreemem(why);
        return code;
    }
    enum so_status code = SO_OK;
    *has_sslmode = 0;
    *local = 1;
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (!o->val || !*o->val)
            continue;
        if (!strcmp(o->keyword, "password"))
            code = so_fail(err, SO_ERR_USAGE,
                           "a password in the queue spec would show in "
                           "process lists and logs: put it in PGPASSFILE or "
                           "a service file");
        else if (!strcmp(o->keyword, "sslmode"))
            *has_sslmode = 1;
        else if (!strcmp(o->keyword, "host") || !strcmp(o->keyword, "hostaddr"))
            *local = *local && o->val[0] == '/';
    }
    PQconninfoFree(opts);
    return code;
}

/* The conninfo to connect with: spec, plus sslmode=verify-full for a TCP
 * host unless spec (or the environment, or its service file) sets one. */
static char *conninfo(const char *spec, int has_sslmode, int local)
{
    if (has_sslmode || local || getenv("PGSSLMODE") || pg_is_service_spec(spec))
        return xstrdup(spec);
    if (strncmp(spec, "postgres", 8) == 0)
        return xasprintf("%s%csslmode=verify-full", spec,
                         strchr(spec, '?') ? '&' : '?');
    return xasprintf("%s sslmode=verify-full", spec);
}

/* The busy timeout when the caller gave none: $SIGNOFF_BUSY_TIMEOUT_MS as
 * for a queue file, else 10 s. */
static int64_t busy_env(void)
{
    const char *env = getenv("SIGNOFF_BUSY_TIMEOUT_MS");
    long v = 0;
    if (env && so_parse_long(env, 1, 3600000, &v) == 0)
        return v;
    return DEFAULT_BUSY_MS;
}

static enum so_status configure(struct pgq *p, struct so_error *err)
{
    char *set = xasprintf(
        "SET statement_timeout = %lld; SET lock_timeout = %lld;"
        " SET idle_in_transaction_session_timeout = 60000;"
        " SET client_min_messages = warning; SET TIME ZONE 'UTC'",
        (long long)(p->busy_ms * 3), (long long)p->busy_ms);
    enum so_status code = pg_cmd(p, set, err);
    free(set);
    return code;
}

static void pgq_free(struct pgq *p)
{
    if (!p)
        return;
    pg_load_free(p);
    PQfinish(p->c);
    free(p->spec);
    free(p);
}

static char *login_name(void)
{
    struct passwd *pw = getpwuid(getuid());
    return xstrdup(pw && pw->pw_name ? pw->pw_name : "unknown");
}

enum so_status pg_open(const char *spec, const struct queue_opts *opts,
                       struct queue **out, struct so_error *err)
{
    int has_sslmode = 0, local = 1;
    if (opts->reviewer && names_check_reviewer("reviewer", opts->reviewer, err) != SO_OK)
        return err->code;
    if (opts->group)
        return so_fail(err, SO_ERR_USAGE,
                       "%s: --group is for queue files; a PostgreSQL queue "
                       "is shared by its database's roles",
                       spec);
    enum so_status code = read_spec(spec, &has_sslmode, &local, err);
    if (code != SO_OK)
        return code;
    struct pgq *p = xcalloc(1, sizeof *p);
    p->spec = xstrdup(spec);
    p->supervisor = opts->role && strcmp(opts->role, "supervisor") == 0;
    p->busy_ms = opts->busy_ms > 0 ? opts->busy_ms : busy_env();
    char *info = conninfo(spec, has_sslmode, local);
    p->c = PQconnectdb(info);
    free(info);
    if (!p->c || PQstatus(p->c) != CONNECTION_OK) {
        char why[400];
        snprintf(why, sizeof why, "%s",
                 p->c ? PQerrorMessage(p->c) : "out of memory");
        why[strcspn(why, "\n")] = '\0';
        code = so_fail(err, SO_ERR_NETWORK, "%s: cannot connect: %s", spec,
                       why);
        pgq_free(p);
        return code;
    }
    code = configure(p, err);
    if (code == SO_OK)
        code = pg_schema_open(p, opts->create, err);
    if (code != SO_OK) {
        pgq_free(p);
        return code;
    }
    struct queue *q = xcalloc(1, sizeof *q);
    q->ops = &store_pg_ops;
    q->impl = p;
    q->spec = xstrdup(spec);
    q->reviewer = opts->reviewer ? xstrdup(opts->reviewer) : login_name();
    p->reviewer = q->reviewer;
    q->supervisor = p->supervisor;
    *out = q;
    return SO_OK;
}

static void pg_close(struct queue *q)
{
    if (!q)
        return;
    pgq_free(q->impl);
    free(q->spec);
    free(q->reviewer);
    free(q);
}

static enum so_status pg_unsent(struct queue *q, int64_t *n,
                                struct so_error *err)
{
    (void)q;
    (void)err;
    *n = 0;
    return SO_OK;
}

static enum so_status pg_sync(struct queue *q, int64_t *sent,
                              struct so_error *err)
{
    (void)q;
    (void)err;
    *sent = 0;
    return SO_OK;
}

const struct queue_ops store_pg_ops = {
    .name = "postgresql",
    .claim = pg_claim,
    .renew = pg_renew,
    .release = pg_release,
    .decide = pg_decide,
    .undo = pg_undo,
    .get = pg_get,
    .list = pg_list,
    .count = pg_count,
    .decisions = pg_review_decisions,
    .enqueue = pg_enqueue,
    .my_today = pg_my_today,
    .my_decisions = pg_my_decisions,
    .rollup = pg_rollup,
    .workflow_list = pg_workflow_list,
    .workflow_get = pg_workflow_get,
    .workflow_set = pg_workflow_set,
    .workflow_pause = pg_workflow_pause,
    .unsent = pg_unsent,
    .sync = pg_sync,
    .close = pg_close,
    .agreement = pg_agreement,
    .events = pg_events,
    .applied = pg_applied,
    .token_add = pg_token_add,
    .token_list = pg_token_list,
    .token_find = pg_token_find,
    .token_revoke = pg_token_revoke,
    .token_rotate = pg_token_rotate,
    .token_used = pg_token_used,
    .reassign = pg_reassign,
    .hook_add = pg_hook_add,
    .hook_list = pg_hook_list,
    .hook_enable = pg_hook_enable,
    .hook_replay = pg_hook_replay,
    .hook_log = pg_hook_log,
    .delivery_claim = pg_delivery_claim,
    .delivery_finish = pg_delivery_finish,
    .admin_record = pg_admin_record,
    .admin_last = pg_admin_last,
    .dump = pg_dump,
    .load_columns = pg_load_columns,
    .load_begin = pg_load_begin,
    .load_row = pg_load_row,
    .load_end = pg_load_end,
    .gold_add = pg_gold_add,
};
