/*
 * cmd_list: `signoff list` prints drafts as an aligned table (titles and
 * ids sanitized and cut to the terminal width by display columns) or as a
 * JSON array, paging through the queue with its cursor so a queue of any
 * size streams out. Reads only.
 */
#define _GNU_SOURCE
#include "signoff/cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/json.h"
#include "signoff/text.h"

#define PAGE 500
#define ID_MAX_COLS 24
#define WORKFLOW_MAX_COLS 20
#define TITLE_MIN_COLS 10
/* CONF (4), AGE (4), STATUS (9), FLAG (4) and six two-space gaps. */
#define FIXED_COLS 33

static const char usage_text[] =
    "usage: signoff list [--queue PATH|URL] [--status S] [--workflow W]\n"
    "                    [--limit N] [--format table|json]\n"
    "\n"
    "List drafts, highest priority and oldest first. The table shows id,\n"
    "workflow, confidence, age, status, flags (G: a citation marker without\n"
    "its citation or a quote not in its excerpt; E: escalated; S: open past\n"
    "its workflow's SLA, s: nearing it) and title.\n"
    "\n"
    "Options:\n"
    "  -q, --queue PATH|URL  the queue (default: $SIGNOFF_QUEUE, the config\n"
    "                        file, $XDG_DATA_HOME/signoff/signoff.db)\n"
    "  -s, --status S        open (default: not yet decided), pending,\n"
    "                        claimed, decided, resolve, escalated or all\n"
    "  -w, --workflow W      only drafts of workflow W\n"
    "  -n, --limit N         at most N drafts (default: all)\n"
    "  -f, --format FMT      table (default) or json (an array of objects)\n"
    "  -h, --help            show this help\n"
    "      --version         show the version\n";

struct list_args {
    struct cli_common common;
    const char *status; /* NULL: all */
    const char *workflow;
    long limit; /* 0: all */
    int json;
};

/* Column widths of the table, fixed from the first page. */
struct widths {
    int id, workflow, title;
};

static int max_width(const struct so_draft_page *p, int workflow, int cap,
                     int min)
{
    int w = min;
    for (size_t i = 0; i < p->n; i++) {
        const char *s = workflow ? p->rows[i].workflow : p->rows[i].id;
        int cw = text_width(s, strlen(s));
        w = cw > w ? cw : w;
    }
    return w > cap ? cap : w;
}

static void table_header(const struct so_draft_page *first, struct widths *w)
{
    w->id = max_width(first, 0, ID_MAX_COLS, 2);
    w->workflow = max_width(first, 1, WORKFLOW_MAX_COLS, 8);
    w->title = cli_columns() - w->id - w->workflow - FIXED_COLS;
    if (w->title < TITLE_MIN_COLS)
        w->title = TITLE_MIN_COLS;
    printf("%-*s  %-*s  CONF   AGE  STATUS     FLAG  TITLE\n", w->id, "ID",
           w->workflow, "WORKFLOW");
}

static void table_row(const struct so_draft_row *r, const struct widths *w,
                      int64_t now)
{
    char *id = text_plain(r->id, w->id, 1);
    char *wf = text_plain(r->workflow, w->workflow, 1);
    char *title = text_plain(r->title ? r->title : "", w->title, 0);
    char conf[8], age[16], flags[4] = "";
    if (r->confidence >= 0)
        snprintf(conf, sizeof conf, "%.2f", r->confidence);
    else
        snprintf(conf, sizeof conf, "-");
    so_format_age(now, r->created_at, age);
    if (r->flags & SO_ROW_GROUNDING)
        strcat(flags, "G");
    if (r->flags & SO_ROW_ESCALATED)
        strcat(flags, "E");
    if (r->flags & (SO_ROW_SLA_PAST | SO_ROW_SLA_NEAR)) /* the SLA */
        strcat(flags, r->flags & SO_ROW_SLA_PAST ? "S" : "s");
    if (r->reviews_needed > 1 && r->status != SO_DS_DECIDED)
        printf("%s  %s  %4s  %4s  %-9s  %-4s  [review %d/%d] %s\n", id, wf,
               conf, age, so_dstatus_name(r->status), flags, r->reviews_done,
               r->reviews_needed, title);
    else
        printf("%s  %s  %4s  %4s  %-9s  %-4s  %s\n", id, wf, conf, age,
               so_dstatus_name(r->status), flags, title);
    free(id);
    free(wf);
    free(title);
}

static cJSON *row_json(const struct so_draft_row *r)
{
    cJSON *o = json_new_object();
    json_add_string(o, "id", r->id);
    json_add_string(o, "workflow", r->workflow);
    json_add_string(o, "model", r->model);
    if (r->confidence >= 0)
        json_add_double(o, "confidence", r->confidence);
    else
        cJSON_AddNullToObject(o, "confidence");
    json_add_string(o, "title", r->title);
    json_add_int(o, "priority", r->priority);
    json_add_int(o, "created_at", r->created_at);
    json_add_string(o, "status", so_dstatus_name(r->status));
    json_add_string(o, "claimed_by", r->claimed_by);
    json_add_int(o, "lease_until", r->lease_until);
    json_add_bool(o, "grounding_flag", (r->flags & SO_ROW_GROUNDING) != 0);
    json_add_bool(o, "escalated", (r->flags & SO_ROW_ESCALATED) != 0);
    if (r->flags & (SO_ROW_SLA_PAST | SO_ROW_SLA_NEAR))
        json_add_string(o, "sla", r->flags & SO_ROW_SLA_PAST ? "past" : "near");
    if (r->reviews_needed > 1) { /* four-eyes drafts only */
        json_add_int(o, "reviews_needed", r->reviews_needed);
        json_add_int(o, "reviews_done", r->reviews_done);
    }
    return o;
}

static void json_row(const struct so_draft_row *r, int first)
{
    cJSON *o = row_json(r);
    char *s = json_print_escaped(o, 0);
    printf("%s%s", first ? "[\n" : ",\n", s);
    free(s);
    cJSON_Delete(o);
}

/* Page through the queue, printing each row. */
static int list_rows(struct queue *q, const struct list_args *a)
{
    struct so_list_req req = {.status = a->status, .workflow = a->workflow,
                              .conf_below = -1, .conf_atleast = -1};
    struct so_draft_page page = {0};
    struct widths w = {0};
    struct so_error err;
    int64_t now = so_now_ms();
    long printed = 0;
    char *cursor = NULL;
    so_error_clear(&err);
    do {
        long left = a->limit ? a->limit - printed : PAGE;
        req.limit = (int)(left < PAGE ? left : PAGE);
        req.after = cursor;
        if (q->ops->list(q, &req, &page, &err) != SO_OK) {
            cli_error(err.msg, NULL);
            free(cursor);
            return EXIT_FAIL;
        }
        int rc = 0; /* a typo is not an empty workflow: no table */
        if (printed == 0 && page.n == 0 && a->workflow &&
            (rc = cli_workflow_known(q, a->workflow)) != 0) {
            free(cursor);
            so_draft_page_free(&page);
            return rc;
        }
        if (!a->json && printed == 0)
            table_header(&page, &w);
        for (size_t i = 0; i < page.n; i++, printed++)
            if (a->json)
                json_row(&page.rows[i], printed == 0);
            else
                table_row(&page.rows[i], &w, now);
        free(cursor);
        cursor = page.next_cursor;
        page.next_cursor = NULL;
        so_draft_page_free(&page);
    } while (cursor && (!a->limit || printed < a->limit));
    free(cursor);
    if (a->json)
        printf(printed ? "\n]\n" : "[]\n");
    return 0;
}

/* The options of list besides --queue (cli_parse). */
static int list_option(int c, const char *arg, void *ctx)
{
    static const char *const statuses[] = {
        "open",    "pending",   "claimed", "decided",
        "resolve", "escalated", "all",     NULL};
    static const char *const formats[] = {"table", "json", NULL};
    struct list_args *a = ctx;
    int k;
    switch (c) {
    case 's':
        if ((k = cli_pick("list", "--status", arg, statuses)) < 0)
            return EXIT_USAGE;
        a->status = strcmp(arg, "all") == 0 ? NULL : statuses[k];
        return 0;
    case 'w':
        a->workflow = arg;
        return cli_check_name("list", "--workflow", arg);
    case 'n':
        if (so_parse_long(arg, 1, 1000000000L, &a->limit) != 0)
            return cli_usage_error("list", "--limit: expected a positive "
                                           "number, not '%s'",
                                   arg);
        return 0;
    default: /* 'f' */
        return (a->json = cli_pick("list", "--format", arg, formats)) < 0
                   ? EXIT_USAGE
                   : 0;
    }
}

int cmd_list(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_OPTION_QUEUE,
        {"status", required_argument, NULL, 's'},
        {"workflow", required_argument, NULL, 'w'},
        {"limit", required_argument, NULL, 'n'},
        {"format", required_argument, NULL, 'f'},
        CLI_OPTION_END,
    };
    static const struct cli_cmd cmd = {"list", usage_text, "q:s:w:n:f:",
                                       longopts, list_option, 0};
    struct list_args a = {.status = "open"};
    int rc = cli_parse(&cmd, argc, argv, &a.common, &a);
    if (rc >= 0)
        return rc;
    struct queue_opts o = {.readonly = 1};
    struct queue *q = cli_open_queue(a.common.queue, NULL, &o);
    if (!q)
        return EXIT_FAIL;
    rc = list_rows(q, &a);
    queue_close(q);
    return rc;
}
