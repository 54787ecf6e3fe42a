/*
 * cmd_access: `signoff access review|reviewed`, the access review. review
 * lists every token of the queue with its use and flags (access.h); reviewed
 * records that a review happened, as an admin record of the audit chain
 * (access.reviewed), with the interval until the next one, which
 * `stats --check` watches. With --tokens FILE (the simple mode of
 * signoff serve) the file's identities are listed too: they are not in
 * the queue, never expire, and their last use is their reviewer's last
 * record in the chain.
 */
#define _GNU_SOURCE
#include "signoff/cli/cli.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "signoff/access.h"
#include "signoff/json.h"
#include "signoff/names.h"
#include "signoff/server/server.h"
#include "signoff/text.h"
#include "signoff/token.h"

static const char usage_text[] =
    "usage: signoff access review [--tokens FILE] [--format table|json]\n"
    "       signoff access reviewed --note TEXT [--every D]\n"
    "\n"
    "The access review. review lists every token of the queue: id,\n"
    "reviewer, role, scope, note, created, expires, last used, and flags:\n"
    "unused (30 days or more), expiring (within 14 days), broad (a\n"
    "supervisor that never acted as one, or an unscoped token used in one\n"
    "workflow only). reviewed records in the audit chain that a review\n"
    "happened; stats --check warns when the next one is overdue. With\n"
    "--tokens, the identities of signoff serve's tokens file are listed\n"
    "too (never expiring; last used: their reviewer's last record).\n"
    "\n"
    "Options:\n"
    "  -n, --note TEXT         reviewed: what was checked and decided\n"
    "  -e, --every D           reviewed: the interval until the next review\n"
    "                          (default: as last time, else 90d)\n"
    "  -t, --tokens FILE       review: also the identities of this tokens\n"
    "                          file (signoff serve --tokens, the simple\n"
    "                          mode); a weak or malformed line is an error\n"
    "  -f, --format F          review: table (default) or json\n"
    "  -q, --queue Q           the queue file\n"
    "      --reviewer NAME     who reviewed (default: you)\n"
    "  -h, --help              show this help\n"
    "      --version           show the version\n";

struct access_args {
    struct cli_common common;
    const char *tokens; /* --tokens FILE */
    const char *note;
    int64_t every_ms;
    int json;
};

static int access_option(int c, const char *arg, void *ctx)
{
    static const char *const formats[] = {"table", "json", NULL};
    struct access_args *a = ctx;
    struct so_error err;
    int k;
    switch (c) {
    case 'n':
        a->note = arg;
        if (names_check_note("--note", arg, SO_MAX_FIELD, &err) != SO_OK)
            return cli_usage_error("access", "%s", err.msg);
        return 0;
    case 't':
        a->tokens = arg;
        return 0;
    case 'e':
        return so_parse_duration_ms(arg, &a->every_ms) == 0 &&
                       a->every_ms >= 86400000LL
                   ? 0
                   : cli_usage_error("access", "--every: expected a "
                                     "duration of at least 1d like 90d");
    default:
        if ((k = cli_pick("access", "--format", arg, formats)) < 0)
            return EXIT_USAGE;
        a->json = k == 1;
        return 0;
    }
}

/* What the chain says of one reviewer. */
struct use {
    char *reviewer;
    int supervised; /* a resolution or a workflow change, pause, resume */
    char *wf[2];    /* the first two workflows decided in */
    int nwf;
    int64_t last_at; /* the reviewer's last record */
};

static struct use *use_of(struct use **v, size_t *n, const char *reviewer)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*v)[i].reviewer, reviewer) == 0)
            return &(*v)[i];
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    memset(&(*v)[*n], 0, sizeof **v);
    (*v)[*n].reviewer = xstrdup(reviewer);
    return &(*v)[(*n)++];
}

static void note_use(struct use *u, const struct so_event *e)
{
    const struct so_decision *r = &e->rec;
    if (r->decided_at > u->last_at)
        u->last_at = r->decided_at;
    if (r->action == SO_ACT_ADMIN) {
        if (r->reason && strncmp(r->reason, "workflow.", 9) == 0)
            u->supervised = 1;
        return;
    }
    if (r->kind && strcmp(r->kind, "resolve") == 0)
        u->supervised = 1;
    if (!e->workflow || u->nwf == 2 ||
        (u->nwf == 1 && strcmp(u->wf[0], e->workflow) == 0))
        return;
    u->wf[u->nwf++] = xstrdup(e->workflow);
}

/* Every reviewer's use, from the whole chain. */
static enum so_status read_uses(struct queue *q, struct use **v, size_t *n,
                                struct so_error *err)
{
    struct so_event_req req = {.limit = 1000};
    for (;;) {
        struct so_event_page p = {0};
        if (q->ops->events(q, &req, &p, err) != SO_OK)
            return err->code;
        for (size_t i = 0; i < p.n; i++)
            note_use(use_of(v, n, p.v[i].rec.reviewer), &p.v[i]);
        int more = p.next_after > req.after && p.next_after < p.head;
        req.after = p.next_after;
        so_event_page_free(&p);
        if (!more)
            return SO_OK;
    }
}

static void uses_free(struct use *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].reviewer);
        free(v[i].wf[0]);
        free(v[i].wf[1]);
    }
    free(v);
}

static void flags_text(unsigned f, char out[40])
{
    snprintf(out, 40, "%s%s%s%s", f & ACCESS_UNUSED ? "unused " : "",
             f & ACCESS_EXPIRING ? "expiring " : "",
             f & ACCESS_BROAD ? "broad " : "", f ? "" : "-");
    size_t n = strlen(out);
    if (n && out[n - 1] == ' ')
        out[n - 1] = '\0';
}

static void cell_time(int64_t ms, char out[32], const char *none)
{
    if (ms <= 0) {
        snprintf(out, 32, "%s", none);
        return;
    }
    so_format_time(ms, out);
    out[10] = '\0'; /* the date */
}

/* The token as token list --format json has it, with its flags. */
static cJSON *row_json(const struct so_token *t, unsigned f, int64_t now)
{
    cJSON *o = so_token_json(t, now);
    cJSON *fl = cJSON_AddArrayToObject(o, "flags");
    if (f & ACCESS_UNUSED)
        cJSON_AddItemToArray(fl, cJSON_CreateString("unused"));
    if (f & ACCESS_EXPIRING)
        cJSON_AddItemToArray(fl, cJSON_CreateString("expiring"));
    if (f & ACCESS_BROAD)
        cJSON_AddItemToArray(fl, cJSON_CreateString("broad"));
    return o;
}

static void row_text(const struct so_token *t, unsigned f)
{
    char c[32], e[32], u[32], fl[40];
    cell_time(t->created_at, c, "-");
    cell_time(t->expires_at, e, "never");
    cell_time(t->last_used_at, u, "never");
    flags_text(f, fl);
    char *rev = text_plain(t->reviewer, 10, 1);
    char *scope = text_plain(t->scope ? t->scope : "(all)", 12, 1);
    char *note = text_plain(t->note ? t->note : "-", 30, 0);
    printf("%-15s %s %-10s %s %-10s %-10s %-10s %-22s %s\n", t->id, rev,
           t->role, scope, c, e, u, fl, note);
    free(rev);
    free(scope);
    free(note);
}

static const char *role_of(unsigned bit)
{
#define ACCESS_X_ROLE(id, b, name)                                             \
    if (bit == (b))                                                            \
        return name;
    SERVER_ROLE_LIST(ACCESS_X_ROLE)
#undef ACCESS_X_ROLE
    return "?";
}

/* The identities of a tokens file as tokens (owned strings; never the
 * secret): id f_..., created when the file was last changed, no expiry,
 * last used at their reviewer's last record. */
static enum so_status file_tokens(const char *path, struct use **uses,
                                  size_t *nuses, struct so_token **out,
                                  size_t *n, struct so_error *err)
{
    struct server_tokens ft;
    struct stat st;
    *out = NULL;
    *n = 0;
    if (server_tokens_load(path, &ft, err) != SO_OK)
        return err->code;
    int64_t mtime = stat(path, &st) == 0 ? (int64_t)st.st_mtime * 1000 : 0;
    *out = xcalloc(ft.n, sizeof **out);
    for (size_t i = 0; i < ft.n; i++) {
        struct so_token *t = &(*out)[i];
        t->id = xstrdup(ft.v[i].id);
        t->reviewer = xstrdup(ft.v[i].reviewer);
        t->role = xstrdup(role_of(ft.v[i].role));
        t->note = xasprintf("tokens file %s", path);
        t->created_at = mtime;
        t->last_used_at = use_of(uses, nuses, t->reviewer)->last_at;
    }
    *n = ft.n;
    server_tokens_free(&ft);
    return SO_OK;
}

/* The last review and when the next is due, one line on stdout. */
static void print_due(struct queue *q, int64_t oldest, int64_t now)
{
    struct so_decision last;
    struct so_error err;
    enum so_status s = q->ops->admin_last(q, "access.reviewed", &last, &err);
    int64_t at = s == SO_OK ? last.decided_at : 0;
    int64_t due = access_due(at, access_every(s == SO_OK ? last.note : NULL),
                             oldest);
    char a[32], d[32];
    cell_time(at, a, "never");
    cell_time(due, d, "-");
    printf("last review: %s; next due: %s%s\n", a, d,
           due > 0 && due <= now ? " (overdue)" : "");
    if (s == SO_OK)
        so_decision_clear(&last);
}

/* One identity of the review: its row and its part in the due date. */
static void review_row(const struct so_token *t, int from_file,
                       struct use **uses, size_t *nuses, int64_t now,
                       int64_t *oldest, cJSON *arr)
{
    if (!from_file && strcmp(so_token_state(t, now), "active") != 0)
        return; /* can no longer act */
    if (!*oldest || t->created_at < *oldest)
        *oldest = t->created_at;
    const struct use *u = use_of(uses, nuses, t->reviewer);
    unsigned f = access_flags(t, now, u->supervised, u->nwf);
    if (!arr) {
        row_text(t, f);
        return;
    }
    cJSON *o = row_json(t, f, now);
    cJSON_AddStringToObject(o, "source", from_file ? "tokens-file" : "queue");
    cJSON_AddItemToArray(arr, o);
}

static int review(struct queue *q, const struct access_args *a)
{
    struct so_token *v = NULL, *fv = NULL;
    size_t n = 0, nf = 0;
    struct use *uses = NULL;
    size_t nuses = 0;
    struct so_error err;
    if (q->ops->token_list(q, &v, &n, &err) != SO_OK ||
        read_uses(q, &uses, &nuses, &err) != SO_OK ||
        (a->tokens &&
         file_tokens(a->tokens, &uses, &nuses, &fv, &nf, &err) != SO_OK)) {
        for (size_t i = 0; i < n; i++)
            so_token_clear(&v[i]);
        uses_free(uses, nuses);
        free(v);
        return cli_fail("access review", &err);
    }
    int64_t now = so_now_ms(), oldest = 0;
    cJSON *arr = a->json ? cJSON_CreateArray() : NULL;
    if (!a->json)
        printf("%-15s %-10s %-10s %-12s %-10s %-10s %-10s %-22s %s\n", "ID",
               "REVIEWER", "ROLE", "SCOPE", "CREATED", "EXPIRES",
               "LAST USED", "FLAGS", "NOTE");
    for (size_t i = 0; i < n; i++)
        review_row(&v[i], 0, &uses, &nuses, now, &oldest, arr);
    for (size_t i = 0; i < nf; i++)
        review_row(&fv[i], 1, &uses, &nuses, now, &oldest, arr);
    if (a->json) {
        char *s = json_print_escaped(arr, 0);
        printf("%s\n", s);
        free(s);
        cJSON_Delete(arr);
    } else {
        print_due(q, oldest, now);
    }
    for (size_t i = 0; i < n; i++)
        so_token_clear(&v[i]);
    for (size_t i = 0; i < nf; i++)
        so_token_clear(&fv[i]);
    free(v);
    free(fv);
    uses_free(uses, nuses);
    return EXIT_OK_;
}

static int reviewed(struct queue *q, const struct access_args *a)
{
    if (!a->note || !*a->note)
        return cli_usage_error("access", "reviewed needs --note TEXT");
    struct so_error err;
    int64_t every = a->every_ms;
    if (!every) {
        struct so_decision last;
        enum so_status s =
            q->ops->admin_last(q, "access.reviewed", &last, &err);
        every = access_every(s == SO_OK ? last.note : NULL);
        if (s == SO_OK)
            so_decision_clear(&last);
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "note", a->note);
    cJSON_AddNumberToObject(o, "every_ms", (double)every);
    char *detail = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    struct so_decide_result res;
    enum so_status s =
        q->ops->admin_record(q, "access.reviewed", "queue", detail, &res, &err);
    free(detail);
    if (s != SO_OK)
        return cli_fail("access reviewed", &err);
    char due[32];
    so_format_time(res.decided_at + every, due);
    printf("access review recorded (seq %lld); next due %s\n",
           (long long)res.seq, due);
    return EXIT_OK_;
}

int cmd_access(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"note", required_argument, NULL, 'n'},
        {"every", required_argument, NULL, 'e'},
        {"tokens", required_argument, NULL, 't'},
        {"format", required_argument, NULL, 'f'},
        CLI_OPTION_QUEUE,
        CLI_OPTION_REVIEWER,
        CLI_OPTION_END,
    };
    static const struct cli_cmd cmd = {"access", usage_text, "n:e:t:f:q:",
                                       longopts, access_option, 1};
    struct access_args a = {0};
    int rc = cli_parse(&cmd, argc, argv, &a.common, &a);
    if (rc >= 0)
        return rc;
    static const char *const subs[] = {"review", "reviewed", NULL};
    if (optind + 1 != argc)
        return cli_usage_error("access", "expected review or reviewed");
    int which = cli_pick("access", "command", argv[optind], subs);
    if (which < 0)
        return EXIT_USAGE;
    struct queue_opts o = {.readonly = which == 0};
    struct queue *q = cli_open_queue(a.common.queue, a.common.reviewer, &o);
    if (!q)
        return EXIT_FAIL;
    if (!q->ops->token_list || !q->ops->admin_last || !q->ops->events) {
        cli_error(q->spec, "the access review runs on the queue itself "
                           "(signoff access --queue FILE on the server's "
                           "host)");
        rc = EXIT_FAIL;
    } else {
        rc = which == 0 ? review(q, &a) : reviewed(q, &a);
    }
    queue_close(q);
    return rc;
}
