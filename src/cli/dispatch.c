/*
 * dispatch: the command table (CLI_COMMAND_LIST in cli/commands.h) and
 * cli_main, which picks a command from argv[1] (default: review). The one
 * file that knows every command, as git.c knows builtin/; the commands
 * know only cli.h, so the dependency points one way.
 */
#define _GNU_SOURCE
#include "signoff/cli/commands.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "signoff/cli/cli.h"

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

static void usage(FILE *f)
{
    fprintf(f, "usage: signoff [COMMAND] [OPTIONS]\n\n"
               "The human checkpoint for AI drafts: review, edit, approve.\n\n"
               "Commands:\n");
    for (size_t i = 0; i < SO_ARRAY_LEN(commands); i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'signoff COMMAND --help' describes each command;\n"
               "man signoff for the whole manual.\n");
}

static int dispatch(int argc, char **argv)
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
    /* hidden: the shell completion scripts (src/cli/completion.c) */
    if (strcmp(argv[1], "completion") == 0)
        return cmd_completion(argc - 1, argv + 1);
    if (strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    cli_error(argv[1], "unknown command");
    usage(stderr);
    return EXIT_USAGE;
}

int cli_main(int argc, char **argv)
{
    /* wcwidth and the sanitizer need the user's UTF-8 LC_CTYPE; numbers
     * keep the C locale so JSON and options read and print "0.5". */
    setlocale(LC_CTYPE, "");
    int rc = dispatch(argc, argv);
    cli_config_release();
    return rc;
}
