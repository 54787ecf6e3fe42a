/*
 * cmd_sync: `signoff sync` - send the decisions waiting in the local
 * outbox of a remote queue, and say what is left. Decisions the server
 * refuses for good (lease lost) are moved to the outbox's failed table and
 * reported; they are not retried.
 */
#include <stdio.h>
#include <stdlib.h>

#include "signoff/cli/cli.h"

static const char sync_usage_text[] =
    "usage: signoff sync [--queue URL] [--token-file FILE] [--ca-file FILE]\n"
    "\n"
    "Send the decisions waiting in the local outbox\n"
    "($XDG_STATE_HOME/signoff/outbox.db) to the remote queue. A decision the\n"
    "server refuses for good (its lease was lost) moves to the outbox's\n"
    "failed table and is reported; exit status 1 then, or when the server\n"
    "cannot be reached. Replays are safe: the server records each decision\n"
    "once.\n"
    "\n"
    "  -q, --queue URL        the queue (default: $SIGNOFF_QUEUE, the config)\n"
    "      --token-file FILE  bearer token (default: $SIGNOFF_TOKEN_FILE,\n"
    "                         token_file in the config)\n"
    "      --ca-file FILE     CA bundle for a server with a private CA\n"
    "  -h, --help             show this help\n"
    "      --version          show the version\n";

struct sync_args {
    struct cli_common common;
    struct queue_opts opts;
};

/* --token-file and --ca-file, sync's options besides --queue (cli_parse). */
static int sync_option(int c, const char *arg, void *ctx)
{
    struct sync_args *a = ctx;
    if (c == 't')
        a->opts.token_file = arg;
    else
        a->opts.ca_file = arg;
    return 0;
}

int cmd_sync(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_OPTION_QUEUE,
        {"token-file", required_argument, NULL, 't'},
        {"ca-file", required_argument, NULL, 'c'},
        CLI_OPTION_END,
    };
    static const struct cli_cmd cmd = {"sync", sync_usage_text, "q:", longopts,
                                       sync_option, 0};
    struct sync_args a = {0};
    int rc = cli_parse(&cmd, argc, argv, &a.common, &a);
    if (rc >= 0)
        return rc;
    struct queue *q = cli_open_queue(a.common.queue, NULL, &a.opts);
    if (!q)
        return EXIT_FAIL;
    int64_t sent = 0, left = 0;
    struct so_error err;
    enum so_status s = q->ops->sync(q, &sent, &err);
    struct so_error uerr;
    if (q->ops->unsent(q, &left, &uerr) != SO_OK)
        left = -1;
    printf("sent %lld decision%s", (long long)sent, sent == 1 ? "" : "s");
    if (left >= 0)
        printf(", %lld waiting", (long long)left);
    putchar('\n');
    if (s != SO_OK)
        cli_error("sync", "%s", err.msg);
    queue_close(q);
    return s == SO_OK ? 0 : EXIT_FAIL;
}
