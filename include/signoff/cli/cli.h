/*
 * cli: what every subcommand shares (resolving the queue and reviewer,
 * opening the queue, reporting errors). Each command lives in
 * src/cli/NAME.c as `int cmd_NAME(int argc, char **argv)` (declared in
 * cli/commands.h, with the table dispatch.c runs them from) where
 * argv[0] is the command name; it declares its options (struct cli_cmd),
 * cli_parse answers --help and --version and reads the shared ones, and
 * the command returns the process exit code.
 */
#ifndef SIGNOFF_CLI_H
#define SIGNOFF_CLI_H

#include <getopt.h>

#include "signoff/queue.h"

/* Exit codes of DESIGN.md section 2. */
enum cli_exit {
    EXIT_OK_ = 0,
    EXIT_FAIL = 1,
    EXIT_USAGE = 2,
    EXIT_OVER_THRESHOLD = 3, /* stats --check */
    EXIT_PAUSED = 4,         /* workflow show of a paused workflow */
    EXIT_NOTHING = 5,        /* claim found nothing */
};

/* The queue spec: --queue value, else $SIGNOFF_QUEUE, else `queue =` in the
 * config file, else $XDG_DATA_HOME/signoff/signoff.db. Caller frees. */
char *cli_queue_spec(const char *opt);
/* 0 when value passes the names rule (names.h); else prints "signoff CMD:
 * OPT: why" as a usage error and returns EXIT_USAGE. For every option that
 * names a reviewer, workflow, model, owner or reason code. */
int cli_check_name(const char *cmd, const char *opt, const char *value);
/* The queue spec of a command that reads the store itself (verify,
 * export): as cli_queue_spec, or NULL after a message when the spec names
 * no backend, or a remote queue (remote_why says what to do instead).
 * Caller frees. */
char *cli_store_spec(const char *opt, const char *remote_why);
/* The reviewer: --reviewer, else $SIGNOFF_REVIEWER, else config, else the
 * login name. Caller frees. */
char *cli_reviewer(const char *opt);

/* Open the queue named by opt (see cli_queue_spec) for reviewer opt_rev,
 * printing "signoff: QUEUE: why" on failure. Returns NULL on failure.
 * base->role, when set, is the --role option: on a local queue the role is
 * --role, else $SIGNOFF_ROLE, else `role =` in the config file, else
 * reviewer; a remote queue refuses --role (the server's token decides). */
struct queue *cli_open_queue(const char *opt, const char *opt_rev,
                             const struct queue_opts *base);

/* Print "signoff: what: why" to stderr (why may be NULL). */
void cli_error(const char *what, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Print usage text of cmd to stderr and return EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Print "signoff VERSION" to stdout; returns 0. */
int cli_version(void);
/* After an empty answer for --workflow name: 0 when the queue has the
 * workflow (or cannot say), else print "signoff: NAME: no such workflow"
 * and return its exit code, so a typo is not read as an empty
 * workflow. */
int cli_workflow_known(struct queue *q, const char *name);
/* Map a status to an exit code (1 for errors). */
int cli_exit_for(enum so_status st);
/* Print "signoff: what: err's message" (what once, when the message
 * already begins with it) and return the exit code of its status
 * (cli_exit_for). */
int cli_fail(const char *what, const struct so_error *err);

struct config;
/* The user's config file, loaded on first use and kept until cli_main
 * returns. A bad line is reported once on stderr as "signoff: warning:
 * FILE:LINE: why" and skipped. Never NULL. */
const struct config *cli_config(void);
/* Forget the loaded config file (cli_main does, before it returns). */
void cli_config_release(void);
/* Index of arg in names (NULL-terminated), or -1 after printing the usage
 * error "--format: expected one of ...". */
int cli_pick(const char *cmd, const char *opt, const char *arg,
             const char *const *names);

/* getopt_long codes of the options cli_parse reads itself (besides 'h'
 * and 'q'); a command numbers its own long-only options from CLI_OPT_OWN. */
enum cli_opt {
    CLI_OPT_VERSION = 0x100,
    CLI_OPT_REVIEWER,
    CLI_OPT_ROLE,
    CLI_OPT_WIDE,
    CLI_OPT_OWN,
};

/* Entries of a command's option table for the options cli_parse reads. */
#define CLI_OPTION_QUEUE {"queue", required_argument, NULL, 'q'}
#define CLI_OPTION_REVIEWER                                                    \
    {"reviewer", required_argument, NULL, CLI_OPT_REVIEWER}
#define CLI_OPTION_ROLE {"role", required_argument, NULL, CLI_OPT_ROLE}
/* --wide: a table with every column at full width (cli_table_width). */
#define CLI_OPTION_WIDE {"wide", no_argument, NULL, CLI_OPT_WIDE}
/* The end of every option table: --help, --version, the terminator. */
#define CLI_OPTION_END                                                         \
    {"help", no_argument, NULL, 'h'},                                          \
        {"version", no_argument, NULL, CLI_OPT_VERSION}, {NULL, 0, NULL, 0}

/* The options many commands share, as given (NULL: not given). --role is
 * checked (reviewer or supervisor); the others are resolved when the queue
 * is opened (cli_open_queue). */
struct cli_common {
    const char *queue;
    const char *reviewer;
    const char *role;
    int wide; /* --wide */
};

/* A command's options, for cli_parse. Everything static. */
struct cli_cmd {
    const char *name;              /* "claim": messages say "signoff claim" */
    const char *usage;             /* the --help text */
    const char *shortopts;         /* its short options ("q:w:l:f:"), no h */
    const struct option *longopts; /* ends with CLI_OPTION_END */
    /* One of the command's own options (code c, value arg): 0 to go on, or
     * the exit code after printing the usage error. NULL: it has none. */
    int (*option)(int c, const char *arg, void *ctx);
    int operands; /* 0: a positional argument is a usage error; else the
                     command reads them from argv[optind] on */
};

/* Parse argv (argv[0] is the command) with cmd's options: --help prints
 * cmd->usage, --version the version; --queue, --reviewer and --role go to
 * *common; the rest to cmd->option with ctx; unknown options and missing
 * values are usage errors. Returns -1 to go on, with optind at the first
 * positional argument, else the exit code to return: 0 after --help or
 * --version, EXIT_USAGE after printing a usage error. */
int cli_parse(const struct cli_cmd *cmd, int argc, char **argv,
              struct cli_common *common, void *ctx);

/* While fn is set, cli_parse runs nothing: it hands the command's option
 * table to fn(cmd, arg) and returns 0, so a command run with it only says
 * what it accepts (how `signoff completion` reads every command's table).
 * NULL restores normal parsing. */
void cli_describe(void (*fn)(const struct cli_cmd *cmd, void *arg), void *arg);

/* Columns for tables on stdout: the terminal's width when stdout is one,
 * else $COLUMNS, else 100. */
int cli_columns(void);

/* The width the text tables of workflow list, token list and stats fit
 * (table.h): 0 (every column, full width) with --wide or when stdout is
 * not a terminal, so pipes and scripts get what they always did; on a
 * terminal $COLUMNS when set (20..10000), else the terminal's width. */
int cli_table_width(int wide);

#endif
