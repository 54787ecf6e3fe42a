/*
 * cmd_init: `signoff init` creates an empty queue file and its directory,
 * optionally shared by a Unix group (the store makes the file 0660 and the
 * directory setgid and group writable, because the -wal and -shm files are
 * created by whoever opens the queue first). Never overwrites a file that is
 * not a queue: the store refuses to open one.
 */
#define _GNU_SOURCE
#include "signoff/cli/cli.h"
#include "signoff/backends.h"

#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: signoff init [--queue PATH] [--group GROUP]\n"
    "\n"
    "Create an empty queue file (and its directory). An existing queue is\n"
    "left as it is; a file that is not a queue is never overwritten.\n"
    "\n"
    "Options:\n"
    "  -q, --queue PATH   the queue file (default: $SIGNOFF_QUEUE, the\n"
    "                     config file, $XDG_DATA_HOME/signoff/signoff.db)\n"
    "  -g, --group GROUP  share the queue with this Unix group: the file is\n"
    "                     made 0660 and its directory setgid and group\n"
    "                     writable\n"
    "  -h, --help         show this help\n"
    "      --version      show the version\n";

/* Whether the queue spec names is there already: a file, or a database
 * that opens as a queue without creating anything. */
static int exists(const char *spec, struct stat *sb)
{
    const char *backend = queue_backend_name(spec);
    if (!backend || strcmp(backend, "sqlite") == 0)
        return stat(spec, sb) == 0;
    struct queue_opts o = {0};
    struct queue *q = NULL;
    struct so_error err;
    if (queue_open(spec, &o, &q, &err) != SO_OK)
        return 0;
    queue_close(q);
    return 1;
}

static int init_queue(const char *opt_queue, const char *group)
{
    struct group *gr = NULL;
    if (group && !(gr = getgrnam(group)))
        return cli_usage_error("init", "--group: no such group '%s'", group);
    char *spec = cli_queue_spec(opt_queue);
    if (queue_is_remote(spec)) {
        free(spec);
        return cli_usage_error("init", "a remote queue is created by its "
                                       "server, not by init");
    }
    struct stat sb;
    int existed = exists(spec, &sb);
    struct queue_opts o = {.create = 1, .group = group};
    struct queue *q = cli_open_queue(spec, NULL, &o);
    if (!q) {
        free(spec);
        return EXIT_FAIL;
    }
    queue_close(q);
    if (existed)
        printf("queue %s already exists\n", spec);
    else
        printf("created queue %s%s%s\n", spec, gr ? " shared with group " : "",
               gr ? gr->gr_name : "");
    free(spec);
    return 0;
}

/* --group, init's one option besides --queue (cli_parse). */
static int init_option(int c, const char *arg, void *ctx)
{
    (void)c;
    *(const char **)ctx = arg;
    return 0;
}

int cmd_init(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_OPTION_QUEUE,
        {"group", required_argument, NULL, 'g'},
        CLI_OPTION_END,
    };
    static const struct cli_cmd cmd = {"init", usage_text, "q:g:", longopts,
                                       init_option, 0};
    struct cli_common common = {0};
    const char *group = NULL;
    int rc = cli_parse(&cmd, argc, argv, &common, &group);
    return rc >= 0 ? rc : init_queue(common.queue, group);
}
