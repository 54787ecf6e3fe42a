/*
 * cmd_hook: `signoff hook add|list|test|disable|enable|replay|log`, the
 * webhooks of a workflow (Standard Webhooks; webhook.h), on a queue file or
 * through a server (its /v1/hooks routes, supervisors only). A secret is
 * read from a file, or made here and printed once, alone on stdout, as
 * token create does; the queue keeps it and nothing shows it again.
 */
#define _GNU_SOURCE
#include "signoff/cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <sys/stat.h>

#include "signoff/backends.h"
#include "signoff/cli/deliver.h"
#include "signoff/json.h"
#include "signoff/remote/protocol.h"
#include "signoff/remote/webhook_send.h"
#include "signoff/text.h"
#include "signoff/webhook.h"

static const char usage_text[] =
    "usage: signoff hook add --workflow W --url URL [--secret-file F]\n"
    "                        [--events outcome|all] [--max-failures N]\n"
    "                        [--retry-for D] [--allow-private]\n"
    "       signoff hook list [--format table|json]\n"
    "       signoff hook test ID\n"
    "       signoff hook disable ID | enable ID\n"
    "       signoff hook replay ID --from SEQ\n"
    "       signoff hook log ID [--failed] [--limit N]\n"
    "\n"
    "Webhooks of a workflow, signed per the Standard Webhooks specification\n"
    "(webhook-id, webhook-timestamp, webhook-signature v1 with a whsec_\n"
    "secret) and sent by signoff serve or signoff deliver: at least once,\n"
    "in order per draft, retried with backoff, then dead-lettered. A hook\n"
    "failing --max-failures times in a row is disabled (stats --check).\n"
    "On a remote queue (a URL) they need a supervisor's token, and the\n"
    "server sends hook test's ping (the secret never leaves it).\n"
    "\n"
    "Options:\n"
    "  -w, --workflow W       the workflow whose events the hook gets (one\n"
    "                         the queue has)\n"
    "  -u, --url URL          where to POST (http or https)\n"
    "  -s, --secret-file F    a file holding the whsec_ secret (24..64 bytes\n"
    "                         of base64 after whsec_); without it a new one\n"
    "                         is printed once on stdout\n"
    "  -e, --events E         outcome (default: final outcomes and the\n"
    "                         reverts that revoke one) or all (every record)\n"
    "  -m, --max-failures N   failures in a row that disable it (default 20;\n"
    "                         0: never)\n"
    "  -r, --retry-for D      how long a delivery is retried (default 24h,\n"
    "                         1s to 30d)\n"
    "  -p, --allow-private    the URL may be a private or loopback address\n"
    "  -F, --from SEQ         replay: the first event to send again\n"
    "  -x, --failed           log: the dead-lettered deliveries\n"
    "  -n, --limit N          log: at most N lines (default 20)\n"
    "  -f, --format F         list: table (default) or json\n"
    "  -q, --queue Q          the queue (file or URL)\n"
    "  -h, --help             show this help\n"
    "      --version          show the version\n";

struct hook_args {
    struct cli_common common;
    struct so_hook h; /* borrowed strings */
    const char *secret_file;
    long from, limit;
    int from_set, failed, json;
};

static int hook_option(int c, const char *arg, void *ctx)
{
    static const char *const formats[] = {"table", "json", NULL};
    struct hook_args *a = ctx;
    long v;
    int k;
    switch (c) {
    case 'w': a->h.workflow = (char *)arg; return 0;
    case 'u': a->h.url = (char *)arg; return 0;
    case 's': a->secret_file = arg; return 0;
    case 'p': a->h.allow_private = 1; return 0;
    case 'x': a->failed = 1; return 0;
    case 'e':
        if (!webhook_events_valid(arg))
            return cli_usage_error("hook", "--events: outcome or all, not "
                                           "'%s'", arg);
        a->h.events = (char *)arg;
        return 0;
    case 'm':
    case 'n':
    case 'F':
        if (so_parse_long(arg, c == 'n' ? 1 : 0, c == 'n' ? 1000 : INT32_MAX,
                          &v) != 0)
            return cli_usage_error("hook", "-%c: out of range: '%s'", c, arg);
        if (c == 'm')
            a->h.max_failures = (int)v;
        else if (c == 'n')
            a->limit = v;
        else {
            a->from = v;
            a->from_set = 1;
        }
        return 0;
    case 'r':
        if (so_parse_duration_ms(arg, &a->h.retry_for_ms) != 0 ||
            a->h.retry_for_ms < 1000)
            return cli_usage_error("hook", "--retry-for: expected a duration "
                                           "like 24h, not '%s'", arg);
        return 0;
    default: /* 'f' */
        if ((k = cli_pick("hook", "--format", arg, formats)) < 0)
            return EXIT_USAGE;
        a->json = k == 1;
        return 0;
    }
}

/* The secret file: one line, whsec_ and base64; never echoed back. */
static int read_secret(const char *path, char **out)
{
    struct so_error err;
    size_t len;
    struct stat st;
    if (stat(path, &st) == 0 && (st.st_mode & 077))
        fprintf(stderr, "signoff: warning: %s: readable by group or others\n",
                path);
    if (so_read_file(path, 4096, out, &len, &err) != SO_OK)
        return cli_fail("hook", &err);
    (*out)[strcspn(*out, "\r\n")] = '\0';
    unsigned char key[WEBHOOK_KEY_MAX];
    size_t klen;
    if (webhook_secret_decode(*out, key, &klen) != 0) {
        free(*out);
        *out = NULL;
        cli_error(path, "not a whsec_ secret (whsec_ and the base64 of 24 to "
                        "64 random bytes)");
        return EXIT_USAGE;
    }
    return 0;
}

/* The secret of a new hook: from --secret-file, or made here. */
static int new_secret(const struct hook_args *a, char **out)
{
    struct so_error err;
    if (a->secret_file)
        return read_secret(a->secret_file, out);
    *out = xmalloc(WEBHOOK_SECRET_TEXT);
    if (webhook_secret_new(*out, &err) == SO_OK)
        return 0;
    free(*out);
    *out = NULL;
    return cli_fail("hook", &err);
}

static int hook_add(struct queue *q, struct hook_args *a)
{
    if (!a->h.workflow || !a->h.url)
        return cli_usage_error("hook", "add needs --workflow and --url");
    struct so_error err;
    char *secret = NULL;
    if (!a->h.retry_for_ms)
        a->h.retry_for_ms = WEBHOOK_RETRY_FOR_MS;
    int rc = new_secret(a, &secret);
    if (rc)
        return rc;
    a->h.secret = secret;
    int64_t id = 0;
    int checked = webhook_hook_check(&a->h, &err) == SO_OK &&
                  webhook_url_check_private(a->h.url, a->h.allow_private,
                                            "--allow-private", &err) == SO_OK;
    enum so_status st = checked ? q->ops->hook_add(q, &a->h, &id, &err)
                                : err.code;
    a->h.secret = NULL;
    if (st != SO_OK) {
        OPENSSL_cleanse(secret, strlen(secret));
        free(secret);
        return checked ? cli_fail("hook", &err)
                       : cli_usage_error("hook", "%s", err.msg);
    }
    char *wf = text_plain(a->h.workflow, 0, 0);
    if (a->secret_file) {
        printf("hook %lld added for workflow %s\n", (long long)id, wf);
    } else {
        fprintf(stderr, "signoff: hook %lld added for workflow %s; its "
                        "secret below is shown only now\n",
                (long long)id, wf);
        printf("%s\n", secret);
        fflush(stdout);
    }
    free(wf);
    OPENSSL_cleanse(secret, strlen(secret));
    free(secret);
    return 0;
}

static int hook_list(struct queue *q, const struct hook_args *a)
{
    struct so_hook *v = NULL;
    size_t n = 0;
    struct so_error err;
    if (q->ops->hook_list(q, &v, &n, &err) != SO_OK)
        return cli_fail("hook", &err);
    cJSON *arr = a->json ? json_new_array() : NULL;
    if (!a->json)
        printf("%-4s %-16s %-8s %-9s %7s %9s %5s  %s\n", "ID", "WORKFLOW",
               "EVENTS", "STATE", "PENDING", "DELIVERED", "DEAD", "URL");
    for (size_t i = 0; i < n; i++) {
        if (a->json) {
            cJSON_AddItemToArray(arr, proto_hook_to_json(&v[i]));
        } else {
            char *wf = text_plain(v[i].workflow, 16, 1);
            char *url = text_plain(v[i].url, 0, 0);
            printf("%-4lld %s %-8s %-9s %7lld %9lld %5lld  %s\n",
                   (long long)v[i].id, wf, v[i].events,
                   v[i].enabled         ? "enabled"
                   : v[i].auto_disabled ? "failing"
                                        : "disabled",
                   (long long)v[i].pending, (long long)v[i].delivered,
                   (long long)v[i].dead, url);
            free(wf);
            free(url);
        }
        so_hook_clear(&v[i]);
    }
    free(v);
    if (a->json) {
        cJSON *o = json_new_object();
        json_add_item(o, "hooks", arr);
        char *t = json_print_escaped(o, 0);
        printf("%s\n", t);
        free(t);
        cJSON_Delete(o);
    }
    return 0;
}

/* The hook with this id (from the list); 0 when found. */
static int find_hook(struct queue *q, int64_t id, struct so_hook *out)
{
    struct so_hook *v = NULL;
    size_t n = 0;
    struct so_error err;
    if (q->ops->hook_list(q, &v, &n, &err) != SO_OK)
        return cli_fail("hook", &err);
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i].id == id && !found) {
            *out = v[i];
            found = 1;
        } else {
            so_hook_clear(&v[i]);
        }
    }
    free(v);
    if (found)
        return 0;
    cli_error("hook", "hook %lld: no such hook", (long long)id);
    return EXIT_FAIL;
}

/* A signed ping (type signoff.test) sent at once, whatever the hook's
 * state, from here on a queue file, by the server on a remote queue;
 * prints the status and the time it took, or "no reply" and why. */
static int hook_test(struct queue *q, int64_t id)
{
    struct so_hook_ping ping;
    struct so_error err;
    enum so_status st;
    if (q->ops->hook_ping) {
        st = q->ops->hook_ping(q, id, &ping, &err);
    } else {
        struct so_hook h;
        int rc = find_hook(q, id, &h);
        if (rc)
            return rc;
        st = deliver_ping(&h, &ping, &err);
        so_hook_clear(&h);
    }
    if (st != SO_OK)
        return cli_fail("hook", &err);
    int ok = ping.status >= 200 && ping.status < 300;
    char *why = text_plain(ping.error, 0, 0);
    /* Status 0: no HTTP reply came (refused, no such host, TLS, timeout,
     * garbage); what happened is the error the attempt recorded. */
    if (ping.status == 0)
        printf("hook %lld: failed: no reply: %s (after %lld ms)\n",
               (long long)id, *why ? why : "none came", (long long)ping.ms);
    else
        printf("hook %lld: %s: HTTP %d in %lld ms%s%s\n", (long long)id,
               ok ? "delivered" : "failed", ping.status, (long long)ping.ms,
               *why ? ": " : "", why);
    free(why);
    return ok ? 0 : EXIT_FAIL;
}

static int hook_log(struct queue *q, int64_t id, const struct hook_args *a)
{
    struct so_hook_attempt *v = NULL;
    size_t n = 0;
    struct so_error err;
    struct so_hook h;
    int rc = find_hook(q, id, &h); /* an unknown id is an error, not "" */
    if (rc)
        return rc;
    so_hook_clear(&h);
    if (q->ops->hook_log(q, id, a->failed, a->limit ? (int)a->limit : 20, &v,
                         &n, &err) != SO_OK)
        return cli_fail("hook", &err);
    for (size_t i = 0; i < n; i++) {
        char at[32];
        so_format_time(v[i].at, at);
        char *draft = text_plain(v[i].draft, 0, 0);
        char *why = text_plain(v[i].error ? v[i].error : "", 0, 0);
        char status[32];
        if (v[i].status == 0) /* no HTTP reply: the error says why */
            snprintf(status, sizeof status, "no reply");
        else
            snprintf(status, sizeof status, "HTTP %d", v[i].status);
        printf("%s seq %lld %s %s %s %lld ms%s%s\n", at,
               (long long)v[i].seq, draft, v[i].state, status,
               (long long)v[i].ms, *why ? " " : "", why);
        free(draft);
        free(why);
    }
    so_hook_attempts_free(v, n);
    return 0;
}

static int run(struct queue *q, const char *verb, char **ops, int nops,
               struct hook_args *a)
{
    struct so_error err;
    int64_t n = 0;
    if (strcmp(verb, "add") == 0)
        return nops ? cli_usage_error("hook", "add takes no operand")
                    : hook_add(q, a);
    if (strcmp(verb, "list") == 0)
        return hook_list(q, a);
    long id;
    if (nops != 1 || so_parse_long(ops[0], 1, INT32_MAX, &id) != 0)
        return cli_usage_error("hook", "%s needs one hook ID", verb);
    if (strcmp(verb, "test") == 0)
        return hook_test(q, id);
    if (strcmp(verb, "log") == 0)
        return hook_log(q, id, a);
    if (strcmp(verb, "enable") == 0 || strcmp(verb, "disable") == 0) {
        int on = verb[0] == 'e';
        if (q->ops->hook_enable(q, id, on, &err) != SO_OK)
            return cli_fail("hook", &err);
        printf("hook %ld %s\n", id, on ? "enabled" : "disabled");
        return 0;
    }
    if (strcmp(verb, "replay") == 0) {
        if (!a->from_set)
            return cli_usage_error("hook", "replay needs --from SEQ");
        if (q->ops->hook_replay(q, id, a->from, &n, &err) != SO_OK)
            return cli_fail("hook", &err);
        printf("hook %ld: %lld events queued again from seq %ld\n", id,
               (long long)n, a->from);
        return 0;
    }
    return cli_usage_error("hook", "unknown subcommand '%s'", verb);
}

int cmd_hook(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_OPTION_QUEUE,
        {"workflow", required_argument, NULL, 'w'},
        {"url", required_argument, NULL, 'u'},
        {"secret-file", required_argument, NULL, 's'},
        {"events", required_argument, NULL, 'e'},
        {"max-failures", required_argument, NULL, 'm'},
        {"retry-for", required_argument, NULL, 'r'},
        {"allow-private", no_argument, NULL, 'p'},
        {"from", required_argument, NULL, 'F'},
        {"failed", no_argument, NULL, 'x'},
        {"limit", required_argument, NULL, 'n'},
        {"format", required_argument, NULL, 'f'},
        CLI_OPTION_END,
    };
    static const struct cli_cmd cmd = {"hook", usage_text,
                                       "q:w:u:s:e:m:r:pF:xn:f:", longopts,
                                       hook_option, 1};
    struct hook_args a = {0};
    a.h.events = "outcome";
    a.h.max_failures = WEBHOOK_MAX_FAILURES;
    int rc = cli_parse(&cmd, argc, argv, &a.common, &a);
    if (rc >= 0)
        return rc;
    if (optind >= argc)
        return cli_usage_error("hook", "expected add, list, test, disable, "
                                       "enable, replay or log");
    struct queue_opts o = {0};
    struct queue *q = cli_open_queue(a.common.queue, NULL, &o);
    if (!q)
        return EXIT_FAIL;
    rc = run(q, argv[optind], argv + optind + 1, argc - optind - 1, &a);
    queue_close(q);
    return rc;
}
