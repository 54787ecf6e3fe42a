/*
 * cmd_review: `signoff review` (also plain `signoff`) opens the queue and
 * runs the reviewer UI on it (ui.h) with the user's config file. Reports
 * startup failures as `signoff: review: why`; everything after the UI
 * started is reported inside it.
 */
#define _GNU_SOURCE
#include "signoff/cli/cli.h"

#include <stdio.h>
#include <stdlib.h>

#include "signoff/ui/ui.h"

static const char usage_text[] =
    "usage: signoff [review] [--queue PATH|URL] [--workflow W]\n"
    "                        [--reviewer NAME] [--role ROLE] [--theme NAME]\n"
    "                        [--monitor]\n"
    "\n"
    "Open the reviewer UI: work through the queue, approve (a), edit (e),\n"
    "reject (r), escalate (x), skip (s), undo (u). ? shows every key.\n"
    "\n"
    "Options:\n"
    "  -q, --queue PATH|URL  the queue (default: $SIGNOFF_QUEUE, the config\n"
    "                        file, $XDG_DATA_HOME/signoff/signoff.db)\n"
    "  -w, --workflow W      start limited to workflow W (l changes it)\n"
    "  -r, --reviewer NAME   who you are (default: $SIGNOFF_REVIEWER, the\n"
    "                        config file, the login name)\n"
    "      --role ROLE       reviewer or supervisor (who may resolve\n"
    "                        four-eyes disagreements; default: $SIGNOFF_ROLE,\n"
    "                        the config file, reviewer); a remote queue's\n"
    "                        token decides\n"
    "  -t, --theme NAME      default, light, high-contrast or mono (or your\n"
    "                        own in $XDG_CONFIG_HOME/signoff/themes)\n"
    "  -m, --monitor         open on the override-rate monitor\n"
    "  -h, --help            show this help\n"
    "      --version         show the version\n"
    "\n"
    "NO_COLOR (non-empty) draws with attributes only.\n";

struct review_args {
    struct cli_common common;
    struct ui_opts ui;
};

/* The options of review besides the shared ones (cli_parse). */
static int review_option(int c, const char *arg, void *ctx)
{
    struct review_args *a = ctx;
    switch (c) {
    case 'w':
        a->ui.workflow = arg;
        return cli_check_name("review", "--workflow", arg);
    case 'r': a->common.reviewer = arg; break;
    case 't': a->ui.theme = arg; break;
    default: a->ui.start_monitor = 1; break; /* 'm' */
    }
    return 0;
}

/* Leaving the UI with decisions still in the outbox (a remote queue
 * whose server did not answer) says so on the terminal the UI gave back:
 * they are recorded once they reach the server, not before. */
static void say_unsent(struct queue *q)
{
    int64_t n = 0;
    struct so_error err;
    so_error_clear(&err);
    if (q->ops->unsent(q, &n, &err) != SO_OK || n <= 0)
        return;
    fprintf(stderr,
            "signoff: review: %lld decision%s still in the outbox, not yet "
            "recorded (the server did not answer); signoff sync sends %s, "
            "and so does the next signoff review\n",
            (long long)n, n == 1 ? "" : "s", n == 1 ? "it" : "them");
}

int cmd_review(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_OPTION_QUEUE,
        {"workflow", required_argument, NULL, 'w'},
        {"reviewer", required_argument, NULL, 'r'},
        CLI_OPTION_ROLE,
        {"theme", required_argument, NULL, 't'},
        {"monitor", no_argument, NULL, 'm'},
        CLI_OPTION_END,
    };
    static const struct cli_cmd cmd = {"review", usage_text, "q:w:r:t:m",
                                       longopts, review_option, 0};
    struct review_args a = {0};
    int rc = cli_parse(&cmd, argc, argv, &a.common, &a);
    if (rc >= 0)
        return rc;
    struct queue_opts o = {.role = a.common.role, .interactive = 1};
    struct queue *q = cli_open_queue(a.common.queue, a.common.reviewer, &o);
    if (!q)
        return EXIT_FAIL;
    char *who = cli_reviewer(a.common.reviewer);
    struct so_error err;
    so_error_clear(&err);
    a.ui.reviewer = who;
    a.ui.config = cli_config();
    a.ui.err = &err;
    rc = ui_run(q, &a.ui) == 0 ? EXIT_OK_ : EXIT_FAIL;
    if (rc != EXIT_OK_)
        cli_error("review", "%s", err.msg);
    else
        say_unsent(q);
    queue_close(q);
    free(who);
    return rc;
}
