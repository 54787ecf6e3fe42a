/*
 * cmd_copy: `signoff copy --from QUEUE --to QUEUE` moves a queue between
 * stores on this host (a queue file, a PostgreSQL database; either way):
 * every draft, citation, decision, workflow, reason code, token, hook and
 * the chain head, in one transaction of the target, which must be new or
 * empty. The copy is the source's dump streamed into the target's load
 * (copy.c); what the target's schema has no place for is named.
 */
#include "signoff/cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/backends.h"
#include "signoff/copy.h"

static const char usage_text[] =
    "usage: signoff copy --from QUEUE --to QUEUE\n"
    "\n"
    "Copy a queue to another store on this host: a queue file to a\n"
    "PostgreSQL database (postgresql://...) or back, or file to file. Every\n"
    "draft with its citations, every decision with its audit hash, the\n"
    "workflows, reason codes, tokens, hooks and the chain head arrive as\n"
    "they were, so `signoff verify` holds on both ends with the same head.\n"
    "The target is created when missing and must be empty; it is written in\n"
    "one transaction (nothing of a failed copy remains). The source is only\n"
    "read. What the target keeps no place for is named on stderr.\n"
    "\n"
    "Options:\n"
    "  -f, --from QUEUE   the queue to copy (a file or a PostgreSQL URI)\n"
    "  -t, --to QUEUE     the new queue (a file or a PostgreSQL URI)\n"
    "  -h, --help         show this help\n"
    "      --version      show the version\n";

struct copy_args {
    struct cli_common common;
    const char *from, *to;
};

static int copy_option(int c, const char *arg, void *ctx)
{
    struct copy_args *a = ctx;
    if (c == 'f')
        a->from = arg;
    else
        a->to = arg;
    return 0;
}

/* Open spec as a queue of this host, or NULL after the message. */
static struct queue *open_end(const char *opt, const char *spec, int create)
{
    struct queue_opts o = {.create = create, .readonly = !create};
    struct queue *q = NULL;
    struct so_error err;
    if (queue_open(spec, &o, &q, &err) != SO_OK) {
        cli_fail(opt, &err);
        return NULL;
    }
    return q;
}

static int run_copy(const struct copy_args *a)
{
    if (!a->from || !a->to)
        return cli_usage_error("copy", "both --from and --to are required");
    if (strcmp(a->from, a->to) == 0)
        return cli_usage_error("copy", "--from and --to name the same queue");
    if (queue_is_remote(a->from) || queue_is_remote(a->to))
        return cli_usage_error("copy", "%s: a served queue is copied where it "
                                       "is stored (run signoff copy on that "
                                       "host)",
                               queue_is_remote(a->from) ? "--from" : "--to");
    struct queue *from = open_end("--from", a->from, 0);
    if (!from)
        return EXIT_FAIL;
    struct queue *to = open_end("--to", a->to, 1);
    if (!to) {
        queue_close(from);
        return EXIT_FAIL;
    }
    struct copy_report r;
    struct so_error err;
    enum so_status st = copy_queue(from, to, &r, &err);
    int rc = 0;
    if (st != SO_OK) {
        rc = cli_fail("copy", &err);
    } else {
        printf("copied %s to %s: %lld drafts, %lld decisions, %lld workflows"
               " (%lld rows); chain head seq %lld, %s\n",
               a->from, a->to, (long long)r.drafts, (long long)r.decisions,
               (long long)r.workflows, (long long)r.rows,
               (long long)r.head_seq, r.head_hash);
        if (r.not_copied)
            cli_error("copy", "warning: %s keeps no place for: %s", a->to,
                      r.not_copied);
    }
    copy_report_clear(&r);
    queue_close(to);
    queue_close(from);
    return rc;
}

int cmd_copy(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},
        CLI_OPTION_END,
    };
    static const struct cli_cmd cmd = {"copy", usage_text, "f:t:", longopts,
                                       copy_option, 0};
    struct copy_args a = {0};
    int rc = cli_parse(&cmd, argc, argv, &a.common, &a);
    if (rc >= 0)
        return rc;
    return run_copy(&a);
}
