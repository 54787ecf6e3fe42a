/*
 * cmd_gold: `signoff gold add FILE.jsonl`, known-answer drafts that check
 * reviewers (gold.h). Each line is a draft with its expected outcome; the
 * drafts wait in their workflow's pool and are mixed into the human queue
 * at the workflow's gold rate (workflow set --gold), where nothing tells
 * them from other drafts. Bad lines are reported `file:line: field: why`;
 * the good ones are added in one transaction.
 */
#define _GNU_SOURCE
#include "signoff/cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/gold.h"
#include "signoff/text.h"

/* At most this many gold drafts per file. */
#define GOLD_MAX_ITEMS 10000

static const char usage_text[] =
    "usage: signoff gold add FILE.jsonl|- [--queue PATH] [--role supervisor]\n"
    "\n"
    "Add known-answer drafts to their workflows' gold pools. Each line is\n"
    "{\"draft\": {...as enqueue takes it...}, \"expected\": \"approve|edit|\n"
    "reject|escalate\", \"reasons\": [\"factual\", ...]} (reasons: the\n"
    "acceptable reasons of an expected reject; none: any). A workflow mixes\n"
    "one into its human queue after every 100/P drafts routed to people\n"
    "(signoff workflow set W --gold P%); nothing in the UI, the CLI or the\n"
    "API tells it from the others. Decisions on gold drafts stay in the\n"
    "audit chain (marked \"gold\" in export) but never reach the feed,\n"
    "webhooks or override rates; stats --by reviewer shows each reviewer's\n"
    "gold accuracy. Only a supervisor adds gold drafts, on a local queue.\n"
    "\n"
    "Options:\n"
    "  -q, --queue PATH        the queue file\n"
    "      --reviewer NAME     who adds them (default: you)\n"
    "      --role ROLE         supervisor (required)\n"
    "  -h, --help              show this help\n"
    "      --version           show the version\n";

struct gold_args {
    struct cli_common common;
};

struct gold_file {
    struct gold_item *v;
    size_t *line; /* the line of each item */
    size_t n;
    int bad;
};

static void bad_line(struct gold_file *g, const char *path, size_t line,
                     const char *msg)
{
    char *p = text_plain(path, 0, 0), *m = text_plain(msg, 0, 0);
    fprintf(stderr, "%s:%zu: %s\n", p, line, m);
    free(p);
    free(m);
    g->bad = 1;
}

/* Read every line of in; 0, or -1 past the limits (reported). */
static int read_items(FILE *in, const char *path, struct gold_file *g)
{
    char *buf = NULL;
    size_t cap = 0, no = 0;
    ssize_t len;
    while ((len = getline(&buf, &cap, in)) >= 0) {
        no++;
        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
            len--;
        if (len == 0)
            continue;
        if ((size_t)len > SO_MAX_LINE) {
            bad_line(g, path, no, "line over 4 MiB");
            continue;
        }
        if (g->n == GOLD_MAX_ITEMS) {
            bad_line(g, path, no, "more than 10000 gold drafts in one file");
            free(buf);
            return -1;
        }
        struct gold_item it;
        struct so_error err;
        if (gold_from_jsonl(buf, (size_t)len, &it, &err) != SO_OK) {
            bad_line(g, path, no, err.msg);
            continue;
        }
        g->v = xrealloc(g->v, (g->n + 1) * sizeof *g->v);
        g->line = xrealloc(g->line, (g->n + 1) * sizeof *g->line);
        g->v[g->n] = it;
        g->line[g->n++] = no;
    }
    free(buf);
    return 0;
}

static int gold_add(const struct gold_args *a, const char *path)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *in = is_stdin ? stdin : fopen(path, "rb");
    if (!in) {
        cli_error(path, "cannot open: %s", strerror(errno));
        return EXIT_FAIL;
    }
    struct gold_file g = {0};
    int rc = read_items(in, path, &g);
    if (!is_stdin)
        fclose(in);
    struct queue_opts o = {.role = a->common.role};
    struct queue *q = rc == 0 && g.n
                          ? cli_open_queue(a->common.queue, a->common.reviewer,
                                           &o)
                          : NULL;
    if (rc == 0 && g.n && !q)
        rc = -1;
    struct so_enq_result *res = xcalloc(g.n ? g.n : 1, sizeof *res);
    struct so_error err;
    size_t added = 0;
    if (q && queue_gold_add(q, g.v, g.n, res, &err) != SO_OK) {
        cli_fail("gold add", &err);
        rc = -1;
    } else if (q) {
        for (size_t i = 0; i < g.n; i++)
            if (res[i].outcome == SO_ENQ_FAILED)
                bad_line(&g, path, g.line[i], res[i].err.msg);
            else
                added++;
        printf("gold: %zu added to the pool\n", added);
    }
    if (q)
        queue_close(q);
    for (size_t i = 0; i < g.n; i++)
        gold_item_clear(&g.v[i]);
    free(g.v);
    free(g.line);
    free(res);
    return rc < 0 || g.bad ? EXIT_FAIL : EXIT_OK_;
}

int cmd_gold(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_OPTION_QUEUE,
        CLI_OPTION_REVIEWER,
        CLI_OPTION_ROLE,
        CLI_OPTION_END,
    };
    static const struct cli_cmd cmd = {"gold", usage_text, "q:", longopts,
                                       NULL, 1};
    struct gold_args a = {0};
    int rc = cli_parse(&cmd, argc, argv, &a.common, &a);
    if (rc >= 0)
        return rc;
    if (optind >= argc || strcmp(argv[optind], "add") != 0)
        return cli_usage_error("gold", "expected add FILE.jsonl");
    if (argc - optind != 2)
        return cli_usage_error("gold", "add needs one FILE.jsonl (or -)");
    return gold_add(&a, argv[optind + 1]);
}
