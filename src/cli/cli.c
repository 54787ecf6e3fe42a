/*
 * cli: what every subcommand shares: option parsing, the queue and the
 * reviewer, the config file, error messages. The command table and the
 * dispatch are in dispatch.c, above the commands. Prints to stdout/stderr;
 * library modules never do.
 */
#define _GNU_SOURCE
#include "signoff/cli/cli.h"

#include <getopt.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "signoff/backends.h"
#include "signoff/config.h"
#include "signoff/names.h"
#include "signoff/text.h"

/* Messages quote paths, ids and store errors, any of which may carry
 * control characters: they reach the terminal only sanitized. */
static void put_clean(const char *s)
{
    char *clean = text_plain(s, 0, 0);
    fputs(clean, stderr);
    free(clean);
}

void cli_error(const char *what, const char *fmt, ...)
{
    struct buf b;
    buf_init(&b);
    buf_addf(&b, "signoff: %s", what);
    if (fmt) {
        va_list ap;
        buf_adds(&b, ": ");
        va_start(ap, fmt);
        buf_vaddf(&b, fmt, ap);
        va_end(ap);
    }
    put_clean(buf_cstr(&b));
    fputc('\n', stderr);
    buf_free(&b);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    struct buf b;
    va_list ap;
    buf_init(&b);
    buf_addf(&b, "signoff %s: ", cmd);
    va_start(ap, fmt);
    buf_vaddf(&b, fmt, ap);
    va_end(ap);
    put_clean(buf_cstr(&b));
    fprintf(stderr, "\nTry 'signoff %s --help'.\n", cmd);
    buf_free(&b);
    return EXIT_USAGE;
}

int cli_columns(void)
{
    struct winsize ws;
    long cols;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
        ws.ws_col > 0)
        return ws.ws_col;
    const char *env = getenv("COLUMNS");
    if (env && so_parse_long(env, 20, 10000, &cols) == 0)
        return (int)cols;
    return 100;
}

int cli_table_width(int wide)
{
    struct winsize ws;
    long cols;
    if (wide || !isatty(STDOUT_FILENO))
        return 0;
    const char *env = getenv("COLUMNS");
    if (env && so_parse_long(env, 20, 10000, &cols) == 0)
        return (int)cols;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
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

static struct config the_config;
static int config_loaded;

int cli_fail(const char *what, const struct so_error *err)
{
    /* A store's message often names the id already ("tk_1: no such
     * token"): say it once, not "tk_1: tk_1: no such token". */
    size_t n = strlen(what);
    if (strncmp(err->msg, what, n) == 0 && strncmp(err->msg + n, ": ", 2) == 0)
        cli_error(err->msg, NULL);
    else
        cli_error(what, "%s", err->msg);
    return cli_exit_for(err->code);
}

int cli_workflow_known(struct queue *q, const char *name)
{
    struct so_workflow w = {0};
    struct so_error err;
    so_error_clear(&err);
    enum so_status st = q->ops->workflow_get(q, name, &w, &err);
    so_workflow_clear(&w);
    if (st != SO_ERR_NOTFOUND)
        return 0; /* known, or not for this check to say */
    return cli_fail(name, &err);
}

const struct config *cli_config(void)
{
    if (!config_loaded) {
        struct so_error err;
        config_loaded = 1;
        if (config_load(NULL, &the_config, &err) != SO_OK)
            cli_error("warning", "%s", err.msg);
    }
    return &the_config;
}

/* Report the getopt_long failure c ('?' unknown option, ':' missing value)
 * as a usage error of cmd. Returns EXIT_USAGE. */
static int option_error(const char *cmd, char **argv, int c)
{
    const char *arg = optind > 0 ? argv[optind - 1] : "?";
    if (c == ':')
        return cli_usage_error(cmd, "option '%s' needs a value", arg);
    if (optopt > 0 && optopt < 0x100 && arg[0] == '-' && arg[1] != '-')
        return cli_usage_error(cmd, "unknown option '-%c'", optopt);
    return cli_usage_error(cmd, "unknown option '%s'", arg);
}

int cli_pick(const char *cmd, const char *opt, const char *arg,
             const char *const *names)
{
    struct buf b;
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], arg) == 0)
            return i;
    buf_init(&b);
    for (int i = 0; names[i]; i++)
        buf_addf(&b, "%s%s", i == 0 ? "" : names[i + 1] ? ", " : " or ",
                 names[i]);
    cli_usage_error(cmd, "%s: expected %s, not '%s'", opt, buf_cstr(&b), arg);
    buf_free(&b);
    return -1;
}

/* One option c of cmd (see cli_parse): -1 to go on, else the exit code. */
static int parse_option(const struct cli_cmd *cmd, int c, char **argv,
                        struct cli_common *common, void *ctx)
{
    static const char *const roles[] = {"reviewer", "supervisor", NULL};
    int rc;
    switch (c) {
    case 'h':
        return fputs(cmd->usage, stdout) == EOF ? EXIT_FAIL : 0;
    case CLI_OPT_VERSION:
        return cli_version();
    case 'q':
        common->queue = optarg;
        return -1;
    case CLI_OPT_REVIEWER:
        common->reviewer = optarg;
        return -1;
    case CLI_OPT_WIDE:
        common->wide = 1;
        return -1;
    case CLI_OPT_ROLE:
        common->role = optarg;
        return cli_pick(cmd->name, "--role", optarg, roles) < 0 ? EXIT_USAGE
                                                                : -1;
    case ':':
    case '?':
        return option_error(cmd->name, argv, c);
    default:
        rc = cmd->option ? cmd->option(c, optarg, ctx) : 0;
        return rc ? rc : -1;
    }
}

static void (*describe_fn)(const struct cli_cmd *cmd, void *arg);
static void *describe_arg;

void cli_describe(void (*fn)(const struct cli_cmd *cmd, void *arg), void *arg)
{
    describe_fn = fn;
    describe_arg = arg;
}

int cli_parse(const struct cli_cmd *cmd, int argc, char **argv,
              struct cli_common *common, void *ctx)
{
    if (describe_fn) {
        describe_fn(cmd, describe_arg);
        return 0;
    }
    /* ':' first: getopt_long reports nothing itself and tells a missing
     * value (':') from an unknown option ('?'). */
    char *shortopts = xasprintf(":%sh", cmd->shortopts);
    int c, rc = -1;
    optind = 0; /* a fresh scan, also when a command runs twice */
    while (rc < 0 &&
           (c = getopt_long(argc, argv, shortopts, cmd->longopts, NULL)) != -1)
        rc = parse_option(cmd, c, argv, common, ctx);
    free(shortopts);
    if (rc < 0 && !cmd->operands && optind < argc)
        rc = cli_usage_error(cmd->name, "unexpected argument '%s'",
                             argv[optind]);
    return rc;
}

char *cli_queue_spec(const char *opt)
{
    if (opt && *opt)
        return xstrdup(opt);
    const char *env = getenv("SIGNOFF_QUEUE");
    if (env && *env)
        return xstrdup(env);
    const struct config *c = cli_config();
    if (c->queue)
        return xstrdup(c->queue);
    char *dir = so_xdg_dir("DATA");
    char *path = xasprintf("%s/signoff.db", dir);
    free(dir);
    return path;
}

int cli_check_name(const char *cmd, const char *opt, const char *value)
{
    struct so_error err;
    if (names_check(opt, value, &err) == SO_OK)
        return 0;
    return cli_usage_error(cmd, "%s", err.msg);
}

/* Where cli_reviewer takes the name from, for messages. */
static const char *reviewer_source(const char *opt)
{
    const char *env = getenv("SIGNOFF_REVIEWER");
    if (opt && *opt)
        return "--reviewer";
    if (env && *env)
        return "SIGNOFF_REVIEWER";
    return cli_config()->reviewer ? "the config's reviewer" : "the login name";
}

char *cli_store_spec(const char *opt, const char *remote_why)
{
    char *spec = cli_queue_spec(opt);
    struct so_error err;
    if (!backend_for(spec, &err))
        cli_error(err.msg, NULL);
    else if (queue_is_remote(spec))
        cli_error(spec, "%s", remote_why);
    else
        return spec;
    free(spec);
    return NULL;
}

char *cli_reviewer(const char *opt)
{
    if (opt && *opt)
        return xstrdup(opt);
    const char *env = getenv("SIGNOFF_REVIEWER");
    if (env && *env)
        return xstrdup(env);
    const struct config *c = cli_config();
    if (c->reviewer)
        return xstrdup(c->reviewer);
    struct passwd *pw = getpwuid(getuid());
    if (pw && pw->pw_name)
        return xstrdup(pw->pw_name);
    const char *user = getenv("USER");
    return xstrdup(user && *user ? user : "unknown");
}

/* synchronous=NORMAL when $SIGNOFF_DURABILITY (else the config's
 * `durability`) says normal; -1 after an error for a bad value. */
static int sync_normal(void)
{
    const char *env = getenv("SIGNOFF_DURABILITY");
    if (!env || !*env) {
        const char *v = cli_config()->durability;
        return v && strcmp(v, "normal") == 0;
    }
    if (strcmp(env, "normal") == 0 || strcmp(env, "full") == 0)
        return strcmp(env, "normal") == 0;
    cli_error("SIGNOFF_DURABILITY", "expected full or normal, not '%s'", env);
    return -1;
}

/* The role to open spec with: *role gets opt (--role), else $SIGNOFF_ROLE,
 * else the config's `role`, else NULL (reviewer). A remote queue takes the
 * role from the server's token: --role is refused there, the others are
 * not used. -1 after printing why. */
static int open_role(const char *opt, const char *spec, const char **role)
{
    const char *env = getenv("SIGNOFF_ROLE");
    *role = NULL;
    if (queue_is_remote(spec)) {
        if (!opt)
            return 0;
        cli_error("--role", "a remote queue takes the role from the "
                            "server's token, not from --role");
        return -1;
    }
    if (opt) {
        *role = opt;
    } else if (env && *env) {
        if (strcmp(env, "reviewer") != 0 && strcmp(env, "supervisor") != 0) {
            cli_error("SIGNOFF_ROLE", "expected reviewer or supervisor, "
                                      "not '%s'", env);
            return -1;
        }
        *role = env;
    } else {
        *role = cli_config()->role;
    }
    return 0;
}

struct queue *cli_open_queue(const char *opt, const char *opt_rev,
                             const struct queue_opts *base)
{
    struct queue_opts o = {0};
    if (base)
        o = *base;
    int normal = sync_normal();
    if (normal < 0)
        return NULL;
    o.sync_normal = o.sync_normal || normal;
    char *spec = cli_queue_spec(opt);
    if (open_role(o.role, spec, &o.role) != 0) {
        free(spec);
        return NULL;
    }
    char *rev = cli_reviewer(opt_rev);
    const struct config *c = cli_config();
    struct so_error err;
    so_error_clear(&err);
    if (!queue_is_remote(spec) &&
        names_check_reviewer(reviewer_source(opt_rev), rev, &err) != SO_OK) {
        cli_error(err.msg, NULL);
        free(spec);
        free(rev);
        return NULL;
    }
    const char *token_env = getenv("SIGNOFF_TOKEN_FILE");
    o.reviewer = rev;
    if (!o.token_file)
        o.token_file = token_env && *token_env ? token_env : c->token_file;
    if (!o.ca_file)
        o.ca_file = c->ca_file;
    struct queue *q = NULL;
    if (queue_open(spec, &o, &q, &err) != SO_OK) {
        /* store/remote messages already name the path or URL */
        cli_error(err.msg, NULL);
        q = NULL;
    }
    free(spec);
    free(rev);
    return q;
}

void cli_config_release(void)
{
    config_free(&the_config);
    config_loaded = 0;
}
