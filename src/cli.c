/*
 * cli: dispatch to the subcommands and the helpers they share. Prints to
 * stdout/stderr; library modules never do.
 */
#define _GNU_SOURCE
#include "signoff/cli.h"

#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "signoff/config.h"

struct command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
#define CLI_X_ENTRY(name, summary) {#name, summary, cmd_##name},
    CLI_COMMAND_LIST(CLI_X_ENTRY)
#undef CLI_X_ENTRY
};

void cli_error(const char *what, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "signoff: %s", what);
    if (fmt) {
        fputs(": ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
    }
    fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "signoff %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'signoff %s --help'.\n", cmd);
    return EXIT_USAGE;
}

int cli_version(void)
{
    printf("signoff %s\n", SIGNOFF_VERSION);
    return 0;
}

int cli_exit_for(enum so_status st)
{
    return st == SO_OK ? 0 : st == SO_ERR_USAGE ? EXIT_USAGE : EXIT_FAIL;
}

static char *config_value(int which)
{
    struct config c = {0};
    struct so_error err;
    char *v = NULL;
    if (config_load(NULL, &c, &err) == SO_OK || c.queue || c.reviewer)
        v = xstrdup(which == 0 ? c.queue : c.reviewer);
    config_free(&c);
    return v;
}

char *cli_queue_spec(const char *opt)
{
    if (opt && *opt)
        return xstrdup(opt);
    const char *env = getenv("SIGNOFF_QUEUE");
    if (env && *env)
        return xstrdup(env);
    char *v = config_value(0);
    if (v)
        return v;
    char *dir = so_xdg_dir("DATA");
    char *path = xasprintf("%s/signoff.db", dir);
    free(dir);
    return path;
}

char *cli_reviewer(const char *opt)
{
    if (opt && *opt)
        return xstrdup(opt);
    const char *env = getenv("SIGNOFF_REVIEWER");
    if (env && *env)
        return xstrdup(env);
    char *v = config_value(1);
    if (v)
        return v;
    struct passwd *pw = getpwuid(getuid());
    if (pw && pw->pw_name)
        return xstrdup(pw->pw_name);
    const char *user = getenv("USER");
    return xstrdup(user && *user ? user : "unknown");
}

struct queue *cli_open_queue(const char *opt, const char *opt_rev,
                             const struct queue_opts *base)
{
    struct queue_opts o = {0};
    if (base)
        o = *base;
    char *spec = cli_queue_spec(opt);
    char *rev = cli_reviewer(opt_rev);
    o.reviewer = rev;
    struct queue *q = NULL;
    struct so_error err;
    so_error_clear(&err);
    if (queue_open(spec, &o, &q, &err) != SO_OK) {
        /* store/remote messages already name the path or URL */
        fprintf(stderr, "signoff: %s\n", err.msg);
        q = NULL;
    }
    free(spec);
    free(rev);
    return q;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: signoff [COMMAND] [OPTIONS]\n\n"
               "The human checkpoint for AI drafts: review, edit, approve.\n\n"
               "Commands:\n");
    for (size_t i = 0; i < SO_ARRAY_LEN(commands); i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'signoff COMMAND --help' describes each command; "
               "man signoff for the whole manual.\n");
}

int cli_main(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-') {
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
                          strcmp(argv[1], "-h") == 0)) {
            usage(stdout);
            return 0;
        }
        if (argc >= 2 && strcmp(argv[1], "--version") == 0)
            return cli_version();
        /* `signoff [--queue Q ...]`: the review command. */
        argv[0] = "review";
        return cmd_review(argc, argv);
    }
    for (size_t i = 0; i < SO_ARRAY_LEN(commands); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    if (strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "signoff: %s: unknown command\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
