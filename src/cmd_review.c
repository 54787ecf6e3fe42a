/*
 * cmd_review: `signoff review` (also plain `signoff`) opens the queue and
 * runs the reviewer UI on it (ui.h) with the user's config file. Reports
 * startup failures as `signoff: review: why`; everything after the UI
 * started is reported inside it.
 */
#define _GNU_SOURCE
#include "signoff/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "signoff/ui.h"

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
    const char *queue;
    const char *reviewer;
    const char *role; /* --role, NULL: see cli_open_queue */
    struct ui_opts ui;
};

/* 0 to go on, -1 when done (help, version), else a usage exit code. */
static int parse_args(int argc, char **argv, struct review_args *a)
{
    static const struct option longopts[] = {
        {"queue", required_argument, NULL, 'q'},
        {"workflow", required_argument, NULL, 'w'},
        {"reviewer", required_argument, NULL, 'r'},
        {"role", required_argument, NULL, 'R'},
        {"theme", required_argument, NULL, 't'},
        {"monitor", no_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "q:w:r:t:mh", longopts, NULL)) != -1) {
        switch (c) {
        case 'q': a->queue = optarg; break;
        case 'w': a->ui.workflow = optarg; break;
        case 'r': a->reviewer = optarg; break;
        case 'R':
            if (cli_check_role("review", optarg) != 0)
                return EXIT_USAGE;
            a->role = optarg;
            break;
        case 't': a->ui.theme = optarg; break;
        case 'm': a->ui.start_monitor = 1; break;
        case 'h': fputs(usage_text, stdout); return -1;
        case 'V': cli_version(); return -1;
        default: return cli_usage_error("review", "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("review", "unexpected argument '%s'",
                               argv[optind]);
    return 0;
}

int cmd_review(int argc, char **argv)
{
    struct review_args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc < 0 ? EXIT_OK_ : rc;
    struct queue_opts o = {.role = a.role};
    struct queue *q = cli_open_queue(a.queue, a.reviewer, &o);
    if (!q)
        return EXIT_FAIL;
    char *who = cli_reviewer(a.reviewer);
    struct so_error err;
    so_error_clear(&err);
    a.ui.reviewer = who;
    a.ui.config = cli_config();
    a.ui.err = &err;
    rc = ui_run(q, &a.ui) == 0 ? EXIT_OK_ : EXIT_FAIL;
    if (rc != EXIT_OK_)
        cli_error("review", "%s", err.msg);
    queue_close(q);
    free(who);
    return rc;
}
