/*
 * cmd_token: `signoff token create|list|revoke|rotate`, the queue's API
 * tokens (token.h). A secret is printed once, alone on stdout, and never
 * again: the queue keeps its SHA-256. Tokens are managed on the queue
 * itself (a file someone may write), never through a server: a token
 * cannot mint tokens.
 */
#define _GNU_SOURCE
#include "signoff/cli/cli.h"

#include <cJSON.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/json.h"
#include "signoff/names.h"
#include "signoff/table.h"
#include "signoff/text.h"
#include "signoff/token.h"

#define TOKEN_DEFAULT_EXPIRY (90 * 86400000LL)
#define TOKEN_MAX_OVERLAP (7 * 86400000LL)

static const char usage_text[] =
    "usage: signoff token create --reviewer NAME --role ROLE [--workflow W]...\n"
    "                            [--expires D|never] [--note TEXT]\n"
    "       signoff token list [--format table|json] [--wide]\n"
    "       signoff token revoke ID\n"
    "       signoff token rotate ID [--overlap D]\n"
    "\n"
    "API tokens of the queue, for signoff serve. create prints the secret\n"
    "once (so_ and 64 hex digits) on stdout; the queue keeps only its\n"
    "SHA-256 and an id that is safe to show and log. A revoked token is\n"
    "refused at once by every server on the queue.\n"
    "\n"
    "Options:\n"
    "      --reviewer NAME     create: who the token acts as\n"
    "      --role ROLE         create: reviewer, supervisor or producer\n"
    "  -w, --workflow W        create: limit the token to workflow W (repeat\n"
    "                          for more); a limited token touches nothing\n"
    "                          else\n"
    "  -e, --expires D         create: lifetime (30d, 12h ...; default 90d)\n"
    "                          or never\n"
    "  -n, --note TEXT         create: what the token is for (shown in token\n"
    "                          list and the access review)\n"
    "  -o, --overlap D         rotate: how long the old secret still works\n"
    "                          (default 10m, at most 7d; 0: not at all)\n"
    "  -f, --format F          list: table (default) or json\n"    "      --wide              list: every column (on a terminal the table\n"
    "                          fits its width, $COLUMNS when set; a pipe\n"
    "                          gets all)\n"
    "  -q, --queue Q           the queue file\n"
    "  -h, --help              show this help\n"
    "      --version           show the version\n";

enum { OPT_ROLE = CLI_OPT_OWN };

struct tok_args {
    struct cli_common common;
    const char *role;
    const char *wf[SO_TOKEN_MAX_SCOPE + 1];
    size_t nwf;
    int64_t expires_ms; /* -1: never */
    const char *note;
    int64_t overlap_ms;
    int json;
};

static int token_option(int c, const char *arg, void *ctx)
{
    static const char *const formats[] = {"table", "json", NULL};
    struct tok_args *a = ctx;
    struct so_error err;
    int k;
    switch (c) {
    case OPT_ROLE:
        a->role = arg;
        return so_token_role_ok(arg)
                   ? 0
                   : cli_usage_error("token", "--role: expected reviewer, "
                                     "supervisor or producer");
    case 'w':
        if (a->nwf == SO_TOKEN_MAX_SCOPE)
            return cli_usage_error("token", "--workflow: at most %d",
                                   SO_TOKEN_MAX_SCOPE);
        a->wf[a->nwf++] = arg;
        return cli_check_name("token", "--workflow", arg);
    case 'e':
        if (strcmp(arg, "never") == 0) {
            a->expires_ms = -1;
            return 0;
        }
        return so_parse_duration_ms(arg, &a->expires_ms) == 0 &&
                       a->expires_ms >= 60000
                   ? 0
                   : cli_usage_error("token", "--expires: expected a "
                                     "duration of at least 1m like 90d, or "
                                     "never");
    case 'n':
        a->note = arg;
        if (names_check_note("--note", arg, SO_MAX_FIELD, &err) != SO_OK)
            return cli_usage_error("token", "%s", err.msg);
        return 0;
    case 'o':
        return (strcmp(arg, "0") == 0 ? (a->overlap_ms = 0, 0)
                                      : so_parse_duration_ms(arg,
                                                             &a->overlap_ms)) ==
                           0 &&
                       a->overlap_ms <= TOKEN_MAX_OVERLAP
                   ? 0
                   : cli_usage_error("token", "--overlap: expected a "
                                     "duration up to 7d like 10m");
    default:
        if ((k = cli_pick("token", "--format", arg, formats)) < 0)
            return EXIT_USAGE;
        a->json = k == 1;
        return 0;
    }
}

/* Print a new secret alone on stdout, then forget it. */
static void print_secret(char secret[SO_TOKEN_SECRET_LEN + 1])
{
    printf("%s\n", secret);
    fflush(stdout);
    OPENSSL_cleanse(secret, SO_TOKEN_SECRET_LEN + 1);
}

static int tok_create(struct queue *q, const struct tok_args *a)
{
    if (!a->common.reviewer || !a->role)
        return cli_usage_error("token", "create needs --reviewer and --role");
    if (cli_check_name("token", "--reviewer", a->common.reviewer) != 0)
        return EXIT_USAGE;
    struct so_error err;
    char secret[SO_TOKEN_SECRET_LEN + 1], id[SO_TOKEN_ID_LEN + 1], hash[65];
    struct so_token t = {0};
    if (so_token_scope_make(a->wf, a->nwf, &t.scope, &err) != SO_OK)
        return cli_fail("--workflow", &err);
    if (so_token_make(secret, id, &err) != SO_OK) {
        so_token_clear(&t);
        return cli_fail("token create", &err);
    }
    so_token_hash(secret, hash);
    int64_t now = so_now_ms();
    t.id = xstrdup(id);
    t.hash = xstrdup(hash);
    t.reviewer = xstrdup(a->common.reviewer);
    t.role = xstrdup(a->role);
    t.note = xstrdup(a->note && *a->note ? a->note : NULL);
    t.created_by = xstrdup(q->reviewer);
    t.created_at = now;
    t.expires_at = a->expires_ms < 0 ? 0
                   : now + (a->expires_ms ? a->expires_ms
                                          : TOKEN_DEFAULT_EXPIRY);
    enum so_status s = q->ops->token_add(q, &t, &err);
    if (s != SO_OK) {
        OPENSSL_cleanse(secret, sizeof secret);
        so_token_clear(&t);
        return cli_fail("token create", &err);
    }
    char until[32] = "never";
    if (t.expires_at)
        so_format_time(t.expires_at, until);
    char *who = text_plain(t.reviewer, 0, 0);
    fprintf(stderr,
            "signoff: token %s for %s (%s%s%s), expires %s; the secret below "
            "is shown only now\n",
            id, who, t.role, t.scope ? ", workflows " : "",
            t.scope ? t.scope : "", until);
    free(who);
    print_secret(secret);
    so_token_clear(&t);
    return EXIT_OK_;
}

/* A time column: the date and time, or "-" for none. */
static void cell_time(int64_t ms, char out[32])
{
    if (ms <= 0) {
        strcpy(out, "-");
        return;
    }
    so_format_time(ms, out);
    out[16] = 'Z'; /* 2026-11-24T10:00Z */
    out[17] = '\0';
}

/* The columns of token list, as wide as they always were; at a narrow
 * terminal the times and the note go first (table.h). */
static const struct table_col list_cols[] = {
    {"ID", 0, 15, 0, 0, 0},        {"REVIEWER", 0, 12, 0, 8, 0},
    {"ROLE", 0, 10, 5, 0, 0},      {"STATE", 0, 7, 0, 0, 0},
    {"CREATED", 0, 17, 9, 0, 0},   {"EXPIRES", 0, 17, 4, 0, 0},
    {"LAST USED", 0, 17, 8, 0, 0}, {"SCOPE", 0, 15, 6, 8, 0},
    {"NOTE", 0, 0, 7, 0, 0}};

static void print_table(const struct so_token *v, size_t n, int64_t now,
                        int width)
{
    struct table *tb = table_new(list_cols, SO_ARRAY_LEN(list_cols), 1);
    for (size_t i = 0; i < n; i++) {
        const struct so_token *t = &v[i];
        char c[32], e[32], u[32];
        size_t k = 0;
        cell_time(t->created_at, c);
        cell_time(t->expires_at, e);
        cell_time(t->last_used_at, u);
        table_add(tb, k++, text_plain(t->id, 15, 0));
        table_add(tb, k++, text_plain(t->reviewer, 12, 0));
        table_add(tb, k++, xstrdup(t->role));
        table_add(tb, k++, xstrdup(so_token_state(t, now)));
        table_add(tb, k++, xstrdup(c));
        table_add(tb, k++, xstrdup(t->expires_at ? e : "never"));
        table_add(tb, k++, xstrdup(u));
        table_add(tb, k++, text_plain(t->scope ? t->scope : "(all)", 15, 0));
        table_add(tb, k++, text_plain(t->note ? t->note : "-", 40, 0));
    }
    struct buf out;
    buf_init(&out);
    table_render(tb, width, &out);
    fputs(buf_cstr(&out), stdout);
    buf_free(&out);
}

static int tok_list(struct queue *q, const struct tok_args *a)
{
    struct so_token *v = NULL;
    size_t n = 0;
    struct so_error err;
    if (q->ops->token_list(q, &v, &n, &err) != SO_OK)
        return cli_fail("token list", &err);
    int64_t now = so_now_ms();
    if (a->json) {
        cJSON *arr = cJSON_CreateArray();
        for (size_t i = 0; i < n; i++)
            cJSON_AddItemToArray(arr, so_token_json(&v[i], now));
        char *s = json_print_escaped(arr, 0);
        printf("%s\n", s);
        free(s);
        cJSON_Delete(arr);
    } else {
        print_table(v, n, now, cli_table_width(a->common.wide));
    }
    for (size_t i = 0; i < n; i++)
        so_token_clear(&v[i]);
    free(v);
    return EXIT_OK_;
}

static int tok_revoke(struct queue *q, const char *id)
{
    struct so_error err;
    if (q->ops->token_revoke(q, id, so_now_ms(), &err) != SO_OK)
        return cli_fail(id, &err);
    printf("%s: revoked\n", id);
    return EXIT_OK_;
}

static int tok_rotate(struct queue *q, const char *id,
                      const struct tok_args *a)
{
    struct so_error err;
    struct so_token t = {0};
    if (q->ops->token_find(q, id, NULL, &t, &err) != SO_OK)
        return cli_fail(id, &err);
    int64_t now = so_now_ms();
    const char *state = so_token_state(&t, now);
    so_token_clear(&t);
    if (strcmp(state, "active") != 0) {
        cli_error(id, "is %s: create a new token instead", state);
        return EXIT_FAIL;
    }
    char secret[SO_TOKEN_SECRET_LEN + 1], unused[SO_TOKEN_ID_LEN + 1],
        hash[65];
    if (so_token_make(secret, unused, &err) != SO_OK)
        return cli_fail(id, &err);
    so_token_hash(secret, hash);
    if (q->ops->token_rotate(q, id, hash, now + a->overlap_ms, &err) !=
        SO_OK) {
        OPENSSL_cleanse(secret, sizeof secret);
        return cli_fail(id, &err);
    }
    char until[32];
    so_format_time(now + a->overlap_ms, until);
    fprintf(stderr,
            "signoff: token %s rotated; the old secret works until %s; the "
            "new one below is shown only now\n",
            id, until);
    print_secret(secret);
    return EXIT_OK_;
}

static int dispatch(const char *sub, char **pos, int npos, struct tok_args *a)
{
    static const char *const subs[] = {"create", "list", "revoke", "rotate",
                                       NULL};
    int which = cli_pick("token", "command", sub, subs);
    if (which < 0)
        return EXIT_USAGE;
    if (npos != (which >= 2))
        return cli_usage_error("token", which >= 2 ? "%s needs one token id"
                                                   : "%s takes no operand",
                               sub);
    if (npos && cli_check_name("token", "token id", pos[0]) != 0)
        return EXIT_USAGE;
    char *me = cli_reviewer(NULL);
    struct queue_opts o = {.readonly = which == 1};
    struct queue *q = cli_open_queue(a->common.queue, me, &o);
    free(me);
    if (!q)
        return EXIT_FAIL;
    int rc;
    if (!q->ops->token_add) {
        cli_error(q->spec, "tokens are managed on the queue itself (signoff "
                           "token --queue FILE on the server's host), not "
                           "through a server");
        rc = EXIT_FAIL;
    } else {
        switch (which) {
        case 0: rc = tok_create(q, a); break;
        case 1: rc = tok_list(q, a); break;
        case 2: rc = tok_revoke(q, pos[0]); break;
        default: rc = tok_rotate(q, pos[0], a); break;
        }
    }
    queue_close(q);
    return rc;
}

int cmd_token(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"role", required_argument, NULL, OPT_ROLE},
        {"workflow", required_argument, NULL, 'w'},
        {"expires", required_argument, NULL, 'e'},
        {"note", required_argument, NULL, 'n'},
        {"overlap", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'f'},
        CLI_OPTION_WIDE,
        CLI_OPTION_QUEUE,
        CLI_OPTION_REVIEWER,
        CLI_OPTION_END,
    };
    static const struct cli_cmd cmd = {"token", usage_text, "w:e:n:o:f:q:",
                                       longopts, token_option, 1};
    struct tok_args a = {.overlap_ms = SO_TOKEN_OVERLAP_MS};
    int rc = cli_parse(&cmd, argc, argv, &a.common, &a);
    if (rc >= 0)
        return rc;
    if (optind >= argc)
        return cli_usage_error("token", "expected create, list, revoke or "
                                        "rotate");
    return dispatch(argv[optind], argv + optind + 1, argc - optind - 1, &a);
}
