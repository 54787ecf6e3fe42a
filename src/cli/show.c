/*
 * cmd_show: `signoff show ID` prints one draft: its header, the input, the
 * body, the citations with their grounding flags and the decisions so far,
 * every untrusted string sanitized line by line; or all of it as one JSON
 * object. Reads only.
 */
#define _GNU_SOURCE
#include "signoff/cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/draft_json.h"
#include "signoff/grounding.h"
#include "signoff/json.h"
#include "signoff/text.h"

static const char usage_text[] =
    "usage: signoff show [--queue PATH|URL] [--format text|json] ID\n"
    "\n"
    "Show one draft: header, input, body, citations (flagged when a [n]\n"
    "marker has no citation or a quote is not in its excerpt) and the\n"
    "decisions recorded so far.\n"
    "\n"
    "Options:\n"
    "  -q, --queue PATH|URL  the queue (default: $SIGNOFF_QUEUE, the config\n"
    "                        file, $XDG_DATA_HOME/signoff/signoff.db)\n"
    "  -f, --format FMT      text (default) or json\n"
    "  -h, --help            show this help\n"
    "      --version         show the version\n";

/* Print s sanitized, each of its lines prefixed with indent. */
static void put_text(const char *indent, const char *s)
{
    const char *p = s ? s : "";
    do {
        const char *nl = strchr(p, '\n');
        char *line = xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));
        char *clean = text_plain(line, 0, 0);
        printf("%s%s\n", indent, clean);
        free(clean);
        free(line);
        p = nl ? nl + 1 : NULL;
    } while (p && *p);
}

/* "label: value" with value sanitized on one line. */
static void put_field(const char *label, const char *value)
{
    char *clean = text_plain(value ? value : "-", 0, 0);
    printf("%-11s %s\n", label, clean);
    free(clean);
}

static int has_number(const int *a, size_t n, int v)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] == v)
            return 1;
    return 0;
}

static void show_header(const struct so_draft *d)
{
    char conf[16], when[32], age[16];
    int64_t now = so_now_ms();
    if (d->confidence >= 0)
        snprintf(conf, sizeof conf, "%.2f", d->confidence);
    else
        snprintf(conf, sizeof conf, "-");
    so_format_time(d->created_at, when);
    so_format_age(now, d->created_at, age);
    put_field("id:", d->id);
    put_field("workflow:", d->workflow);
    put_field("model:", d->model);
    put_field("confidence:", conf);
    printf("%-11s %d\n", "priority:", d->priority);
    printf("%-11s %s (%s ago)\n", "created:", when, age);
    if (d->status == SO_DS_CLAIMED && d->claimed_by) {
        char until[32];
        char *who = text_plain(d->claimed_by, 0, 0);
        so_format_time(d->lease_until, until);
        printf("%-11s claimed by %s until %s\n", "status:", who, until);
        free(who);
    } else {
        printf("%-11s %s%s%s\n", "status:", so_dstatus_name(d->status),
               d->last_action ? ", " : "", d->last_action ? d->last_action : "");
    }
    printf("%-11s %d of %d\n", "reviews:", d->reviews_done, d->reviews_needed);
    put_field("title:", d->title);
}

static void show_citations(const struct so_draft *d, const struct grounding *g)
{
    printf("\n--- citations\n");
    for (size_t i = 0; i < d->ncitations; i++) {
        const struct so_citation *c = &d->citations[i];
        char *title = text_plain(c->title ? c->title : "(untitled)", 0, 0);
        char *uri = text_plain(c->uri ? c->uri : "", 0, 0);
        printf("[%d] %s%s%s%s\n", c->n, title, *uri ? " <" : "", uri,
               *uri ? ">" : "");
        free(title);
        free(uri);
        put_text("    excerpt: ", c->excerpt);
        if (c->quote)
            put_text("    quote:   ", c->quote);
        if (has_number(g->bad_quotes, g->nbad_quotes, c->n))
            printf("    ! the quote is not in the excerpt\n");
        if (has_number(g->unreferenced, g->nunreferenced, c->n))
            printf("    ! no [%d] marker in the body\n", c->n);
    }
    for (size_t i = 0; i < g->nmissing; i++)
        printf("! [%d] in the body has no citation\n", g->missing[i]);
    if (d->ncitations == 0 && g->nmissing == 0)
        printf("(none)\n");
}

static void show_decisions(const struct so_decision *v, size_t n)
{
    printf("\n--- decisions\n");
    if (n == 0)
        printf("(none)\n");
    for (size_t i = 0; i < n; i++) {
        char when[32];
        so_format_time(v[i].decided_at, when);
        struct buf b;
        buf_init(&b);
        buf_addf(&b, "#%lld %s %s %s", (long long)v[i].seq, when,
                 v[i].reviewer, so_action_name(v[i].action));
        if (v[i].reverts_seq)
            buf_addf(&b, " of #%lld", (long long)v[i].reverts_seq);
        if (v[i].reason)
            buf_addf(&b, " (%s)", v[i].reason);
        if (v[i].note)
            buf_addf(&b, ": %s", v[i].note);
        put_text("", buf_cstr(&b));
        buf_free(&b);
        if (v[i].action == SO_ACT_EDIT && v[i].final_body)
            put_text("    | ", v[i].final_body);
    }
}

static void show_text(const struct so_draft *d, const struct so_decision *v,
                      size_t n)
{
    struct grounding g;
    grounding_check(d, &g);
    show_header(d);
    printf("\n--- input\n");
    put_text("", d->input ? d->input : "(none)");
    printf("\n--- body\n");
    put_text("", d->body);
    show_citations(d, &g);
    show_decisions(v, n);
    grounding_clear(&g);
}

static cJSON *int_array(const int *a, size_t n)
{
    cJSON *arr = json_new_array();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateNumber(a[i]));
    return arr;
}

static cJSON *decision_json(const struct so_decision *v)
{
    cJSON *o = json_new_object();
    json_add_int(o, "seq", v->seq);
    json_add_string(o, "request_id", v->request_id);
    json_add_string(o, "reviewer", v->reviewer);
    json_add_string(o, "action", so_action_name(v->action));
    json_add_string(o, "kind", v->kind);
    json_add_string(o, "reason", v->reason);
    json_add_string(o, "note", v->note);
    json_add_string(o, "final_body", v->final_body);
    json_add_int(o, "edit_size", v->edit_size);
    json_add_int(o, "shown_at", v->shown_at);
    json_add_int(o, "decided_at", v->decided_at);
    json_add_int(o, "active_ms", v->active_ms);
    if (v->reverts_seq)
        json_add_int(o, "reverts_seq", v->reverts_seq);
    json_add_string(o, "hash", v->hash);
    return o;
}

static void show_json(const struct so_draft *d, const struct so_decision *v,
                      size_t n)
{
    struct grounding g;
    grounding_check(d, &g);
    cJSON *o = draft_to_cjson(d, 1);
    cJSON *gj = json_new_object();
    json_add_item(gj, "missing", int_array(g.missing, g.nmissing));
    json_add_item(gj, "unreferenced",
                  int_array(g.unreferenced, g.nunreferenced));
    json_add_item(gj, "bad_quotes", int_array(g.bad_quotes, g.nbad_quotes));
    json_add_item(o, "grounding", gj);
    cJSON *arr = json_new_array();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, decision_json(&v[i]));
    json_add_item(o, "decisions", arr);
    char *s = json_print_escaped(o, 1);
    printf("%s\n", s);
    free(s);
    cJSON_Delete(o);
    grounding_clear(&g);
}

static int show(const char *queue, const char *id, int json)
{
    struct queue_opts o = {.readonly = 1};
    struct queue *q = cli_open_queue(queue, NULL, &o);
    if (!q)
        return EXIT_FAIL;
    struct so_draft *d = NULL;
    struct so_decision *v = NULL;
    size_t n = 0;
    struct so_error err;
    so_error_clear(&err);
    enum so_status st = q->ops->get(q, id, &d, &err);
    if (st == SO_OK)
        st = q->ops->decisions(q, id, &v, &n, &err);
    if (st == SO_ERR_NOTFOUND)
        cli_error(id, "no such draft");
    else if (st != SO_OK)
        cli_error(err.msg, NULL);
    else if (json)
        show_json(d, v, n);
    else
        show_text(d, v, n);
    for (size_t i = 0; i < n; i++)
        so_decision_clear(&v[i]);
    free(v);
    so_draft_free(d);
    queue_close(q);
    return st == SO_OK ? 0 : EXIT_FAIL;
}

/* --format, show's one option besides --queue (cli_parse). */
static int show_option(int c, const char *arg, void *ctx)
{
    static const char *const formats[] = {"text", "json", NULL};
    int *json = ctx;
    (void)c;
    return (*json = cli_pick("show", "--format", arg, formats)) < 0
               ? EXIT_USAGE
               : 0;
}

int cmd_show(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_OPTION_QUEUE,
        {"format", required_argument, NULL, 'f'},
        CLI_OPTION_END,
    };
    static const struct cli_cmd cmd = {"show", usage_text, "q:f:", longopts,
                                       show_option, 1};
    struct cli_common common = {0};
    int json = 0;
    int rc = cli_parse(&cmd, argc, argv, &common, &json);
    if (rc >= 0)
        return rc;
    if (optind >= argc)
        return cli_usage_error("show", "which draft? (an ID)");
    if (argc - optind > 1)
        return cli_usage_error("show", "one draft at a time, not '%s'",
                               argv[optind + 1]);
    return show(common.queue, argv[optind], json);
}
