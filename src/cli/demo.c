/*
 * cmd_demo: `signoff demo` writes a fresh demo queue (cli/demo_data.c makes the
 * data) and opens the reviewer UI on it. Without a terminal, with CI=true or
 * --no-ui it prints the waiting drafts instead and never blocks. Never
 * deletes a file it did not make: only the default demo queue is recreated.
 */
#define _GNU_SOURCE
#include "signoff/cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "signoff/backends.h"
#include "signoff/config.h"
#include "signoff/cli/commands.h"
#include "signoff/cli/demo_data.h"
#include "signoff/ui/ui.h"

#define DEMO_DEFAULT_SEED 2026

static const char usage_text[] =
    "usage: signoff demo [--queue PATH] [--seed N] [--no-ui]\n"
    "\n"
    "Write a demo queue with realistic drafts over three workflows and 30\n"
    "days of past decisions, then open the reviewer UI on it. Without a\n"
    "terminal (or with CI=true or --no-ui) print the waiting drafts instead.\n"
    "\n"
    "Options:\n"
    "  -q, --queue PATH   where to write the demo queue; must not exist\n"
    "                     (default: $XDG_DATA_HOME/signoff/demo.db, recreated\n"
    "                     on every run)\n"
    "      --reviewer NAME  who you are in the UI (default: $SIGNOFF_REVIEWER,\n"
    "                     the config file, the login name)\n"
    "  -s, --seed N       generate from this seed (default 2026): the same\n"
    "                     seed gives the same drafts and history\n"
    "      --no-ui        do not open the reviewer UI\n"
    "  -h, --help         show this help\n"
    "      --version      show the version\n";

enum { OPT_NO_UI = CLI_OPT_OWN };

struct demo_args {
    struct cli_common common;
    uint64_t seed;
    int no_ui;
};

/* Remove path and its -wal/-shm/-journal companions. */
static int remove_queue_files(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < SO_ARRAY_LEN(suffixes); i++) {
        char *p = xasprintf("%s%s", path, suffixes[i]);
        int bad = unlink(p) != 0 && errno != ENOENT;
        if (bad)
            cli_error(p, "cannot remove: %s", strerror(errno));
        free(p);
        if (bad)
            return -1;
    }
    return 0;
}

/* The demo queue's path, made ready to be written: the default one is
 * emptied, a given one must not exist yet. Caller frees; NULL on error. */
static char *prepare_path(const char *opt)
{
    struct stat sb;
    struct so_error err;
    if (opt) {
        if (queue_is_remote(opt)) {
            cli_usage_error("demo", "--queue: the demo writes a local file, "
                                    "not a remote queue");
            return NULL;
        }
        if (stat(opt, &sb) == 0) {
            cli_error(opt, "already exists; the demo writes a new queue "
                           "(remove it or pick another path)");
            return NULL;
        }
        return xstrdup(opt);
    }
    char *dir = so_xdg_dir("DATA");
    char *path = xasprintf("%s/demo.db", dir);
    enum so_status st = so_mkdirs(dir, 0700, &err);
    free(dir);
    if (st != SO_OK)
        cli_error(err.msg, NULL);
    if (st != SO_OK || remove_queue_files(path) != 0) {
        free(path);
        return NULL;
    }
    return path;
}

/* Open the reviewer UI on the demo queue. */
static int open_ui(const char *path, const char *reviewer)
{
    struct queue *q = cli_open_queue(path, reviewer, NULL);
    if (!q)
        return EXIT_FAIL;
    char *who = cli_reviewer(reviewer);
    struct so_error err;
    so_error_clear(&err);
    struct ui_opts o = {.reviewer = who, .config = cli_config(), .err = &err};
    int rc = ui_run(q, &o) == 0 ? 0 : EXIT_FAIL;
    if (rc != 0)
        cli_error("demo", "%s", err.msg);
    queue_close(q);
    free(who);
    return rc;
}

/* Print the waiting drafts with `signoff list`. */
static int print_queue(const char *path)
{
    char *argv[] = {"list", "--queue", (char *)path, "--status", "pending",
                    NULL};
    optind = 0;
    return cmd_list((int)SO_ARRAY_LEN(argv) - 1, argv);
}

static int run_demo(const struct demo_args *a)
{
    char *path = prepare_path(a->common.queue);
    if (!path)
        return EXIT_FAIL;
    struct demo_opts o = {.seed = a->seed, .now_ms = so_now_ms()};
    struct demo_summary sum;
    struct so_error err;
    so_error_clear(&err);
    if (demo_populate(path, &o, &sum, &err) != SO_OK) {
        cli_error("demo", "%s", err.msg);
        free(path);
        return EXIT_FAIL;
    }
    printf("demo queue %s: %zu drafts waiting in %zu workflows, %zu past "
           "decisions\n",
           path, sum.pending, sum.workflows, sum.decisions);
    const char *ci = getenv("CI");
    int interactive = !a->no_ui && isatty(STDIN_FILENO) &&
                      isatty(STDOUT_FILENO) && !(ci && strcmp(ci, "true") == 0);
    fflush(stdout);
    int rc = interactive ? open_ui(path, a->common.reviewer) : print_queue(path);
    if (rc == 0 && !interactive)
        printf("\nreview them with: signoff review --queue %s\n", path);
    free(path);
    return rc;
}

/* The options of demo besides the shared ones (cli_parse). */
static int demo_option(int c, const char *arg, void *ctx)
{
    struct demo_args *a = ctx;
    long seed;
    if (c == OPT_NO_UI) {
        a->no_ui = 1;
        return 0;
    }
    if (so_parse_long(arg, 0, 0x7fffffff, &seed) != 0) /* --seed */
        return cli_usage_error("demo", "--seed: expected a number from 0 to "
                                       "2147483647, not '%s'",
                               arg);
    a->seed = (uint64_t)seed;
    return 0;
}

int cmd_demo(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_OPTION_QUEUE,
        CLI_OPTION_REVIEWER,
        {"seed", required_argument, NULL, 's'},
        {"no-ui", no_argument, NULL, OPT_NO_UI},
        CLI_OPTION_END,
    };
    static const struct cli_cmd cmd = {"demo", usage_text, "q:s:", longopts,
                                       demo_option, 0};
    struct demo_args a = {.seed = DEMO_DEFAULT_SEED};
    int rc = cli_parse(&cmd, argc, argv, &a.common, &a);
    return rc >= 0 ? rc : run_demo(&a);
}
