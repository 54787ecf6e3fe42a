/*
 * cmd_completion: `signoff completion bash|zsh` prints a shell completion
 * script made from the same tables that make `--help`: the command table
 * (CLI_COMMAND_LIST) and each command's option table (struct cli_cmd, read
 * through cli_describe without running the command), with each option's
 * one-line help and argument name taken from its usage text. `signoff
 * completion workflows` prints the workflow names of a local queue for the
 * scripts (cheap: nothing for a remote queue, nothing when the file does
 * not exist). A hidden command: not in --help. Prints; never writes files.
 */
#define _GNU_SOURCE
#include "signoff/cli/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "signoff/backends.h"
#include "signoff/cli/cli.h"
#include "signoff/stats.h"

/* One option of a command, as --help shows it. */
struct comp_opt {
    const char *longname;
    char shortname;   /* 0: none */
    int has_arg;
    char arg[32];     /* "FILE", "W", "" */
    char help[96];    /* first line of its help, for zsh */
};

struct comp_cmd {
    const char *name, *summary;
    int (*run)(int argc, char **argv);
    struct comp_opt opts[40];
    size_t nopts;
};

static struct comp_cmd cmds[] = {
#define CLI_X_COMP(name, summary) {#name, summary, cmd_##name, {{0}}, 0},
    CLI_COMMAND_LIST(CLI_X_COMP)
#undef CLI_X_COMP
};

/* The argument name and the help of --longname in a usage text: the line
 * "  -x, --longname ARG   help..." (two spaces end the option part). */
static void from_usage(const char *usage, struct comp_opt *o)
{
    char needle[64];
    snprintf(needle, sizeof needle, "--%s", o->longname);
    for (const char *line = usage; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        size_t lead = strspn(line, " ");
        const char *at = memmem(line, len, needle, strlen(needle));
        /* an option line: "  -x, --name ARG  help" or "      --name ..." */
        if (at && lead >= 2 && lead < len && line[lead] == '-' &&
            (at + strlen(needle) == line + len ||
             at[strlen(needle)] == ' ')) {
            const char *p = at + strlen(needle);
            const char *stop = line + len;
            if (*p == ' ' && p + 1 < stop && p[1] != ' ') {
                size_t n = strcspn(p + 1, " \n");
                snprintf(o->arg, sizeof o->arg, "%.*s", (int)n, p + 1);
                p += 1 + n;
            }
            while (p < stop && *p == ' ')
                p++;
            snprintf(o->help, sizeof o->help, "%.*s", (int)(stop - p), p);
            return;
        }
        line = end ? end + 1 : NULL;
    }
}

/* cli_describe's callback: the options of the command being described. */
static void describe(const struct cli_cmd *cmd, void *arg)
{
    struct comp_cmd *c = arg;
    for (const struct option *lo = cmd->longopts; lo->name; lo++) {
        if (c->nopts == SO_ARRAY_LEN(c->opts))
            break;
        struct comp_opt *o = &c->opts[c->nopts++];
        memset(o, 0, sizeof *o);
        o->longname = lo->name;
        o->has_arg = lo->has_arg != no_argument;
        if (lo->val > 0 && lo->val < 0x80 &&
            (lo->val == 'h' || strchr(cmd->shortopts, lo->val)))
            o->shortname = (char)lo->val;
        from_usage(cmd->usage, o);
    }
}

static void load_tables(void)
{
    for (size_t i = 0; i < SO_ARRAY_LEN(cmds); i++) {
        char *argv[] = {(char *)cmds[i].name, NULL};
        cli_describe(describe, &cmds[i]);
        cmds[i].run(1, argv);
        cli_describe(NULL, NULL);
    }
}

/* What completes an option's value: w (workflow names), f (files), b (the
 * --by dimensions), or 0 (nothing known). */
static char value_kind(const struct comp_opt *o)
{
    if (strcmp(o->longname, "workflow") == 0)
        return 'w';
    if (strcmp(o->longname, "by") == 0)
        return 'b';
    if (strstr(o->arg, "FILE") || strstr(o->arg, "PATH") ||
        strcmp(o->longname, "queue") == 0)
        return 'f';
    return 0;
}

/* The --by words of stats from STATS_BY_LIST and STATS_BY_REPORTS (the
 * tables its parser reads), each after a space: used as by_words + 1. */
static const char by_words[] =
#define STATS_X_WORD(id, name) " " name
    STATS_BY_LIST(STATS_X_WORD) STATS_BY_REPORTS(STATS_X_WORD)
#undef STATS_X_WORD
    ;

static void bash_script(void)
{
    printf("# bash completion for signoff, made by `signoff completion bash`\n"
           "# from the tables that make `signoff COMMAND --help`.\n"
           "_signoff_cmds='");
    for (size_t i = 0; i < SO_ARRAY_LEN(cmds); i++)
        printf("%s%s", i ? " " : "", cmds[i].name);
    printf("'\n");
    for (size_t i = 0; i < SO_ARRAY_LEN(cmds); i++) {
        const struct comp_cmd *c = &cmds[i];
        printf("_signoff_opts_%s='", c->name);
        for (size_t k = 0; k < c->nopts; k++)
            printf("%s--%s", k ? " " : "", c->opts[k].longname);
        for (size_t k = 0; k < c->nopts; k++)
            if (c->opts[k].shortname)
                printf(" -%c", c->opts[k].shortname);
        printf("'\n_signoff_vals_%s() { case $1 in", c->name);
        for (size_t k = 0; k < c->nopts; k++) {
            const struct comp_opt *o = &c->opts[k];
            if (!o->has_arg)
                continue;
            printf(" --%s", o->longname);
            if (o->shortname)
                printf("|-%c", o->shortname);
            printf(") echo %c;;", value_kind(o) ? value_kind(o) : 'a');
        }
        printf(" *) echo n;; esac; }\n");
    }
    printf("_signoff() {\n"
           "    local cur=${COMP_WORDS[COMP_CWORD]} prev cmd=review i w q=\n"
           "    local -a operands=()\n"
           "    COMPREPLY=()\n"
           "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
           "        w=${COMP_WORDS[i]}\n"
           "        if [ $i = 1 ] && [[ \" $_signoff_cmds \" == *\" $w \"*"
           " ]]; then\n"
           "            cmd=$w; continue\n"
           "        fi\n"
           "        case $w in\n"
           "        --queue|-q) q=${COMP_WORDS[i+1]}; i=$((i + 1)) ;;\n"
           "        --queue=*) q=${w#--queue=} ;;\n"
           "        -*) [ \"$(_signoff_vals_$cmd \"$w\")\" != n ] &&"
           " [[ $w != *=* ]] && i=$((i + 1)) ;;\n"
           "        *) operands+=(\"$w\") ;;\n"
           "        esac\n"
           "    done\n"
           "    prev=${COMP_WORDS[COMP_CWORD-1]}\n"
           "    if [ $COMP_CWORD -gt 1 ] && [[ $prev == -* ]]; then\n"
           "        case $(_signoff_vals_$cmd \"$prev\") in\n"
           "        w) COMPREPLY=($(compgen -W \"$(signoff completion"
           " workflows ${q:+--queue \"$q\"} 2>/dev/null)\" -- \"$cur\")); return ;;\n"
           "        b) COMPREPLY=($(compgen -W '%s' -- \"$cur\")); return ;;\n"
           "        f) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n"
           "        a) return ;;\n"
           "        esac\n"
           "    fi\n"
           "    local opts_var=_signoff_opts_$cmd\n"
           "    if [[ $cur == -* ]]; then\n"
           "        COMPREPLY=($(compgen -W \"${!opts_var}\" -- \"$cur\"))\n"
           "        return\n"
           "    fi\n"
           "    if [ $COMP_CWORD = 1 ]; then\n"
           "        COMPREPLY=($(compgen -W \"$_signoff_cmds\" -- \"$cur\"))\n"
           "        return\n"
           "    fi\n"
           "    case $cmd:${#operands[@]} in\n"
           "    workflow:0) COMPREPLY=($(compgen -W 'list show set pause"
           " resume' -- \"$cur\")) ;;\n"
           "    workflow:1) COMPREPLY=($(compgen -W \"$(signoff completion"
           " workflows ${q:+--queue \"$q\"} 2>/dev/null)\" -- \"$cur\")) ;;\n"
           "    decide:1) COMPREPLY=($(compgen -W '",
           by_words + 1);
    for (int a = 0; a < SO_ACT_REVERT; a++)
        printf("%s%s", a ? " " : "", so_action_name((enum so_action)a));
    printf("' -- \"$cur\")) ;;\n"
           "    enqueue:*|verify:*) COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
           "    esac\n"
           "}\n"
           "complete -F _signoff signoff\n");
}

/* An option's help or argument for a zsh spec: no ' [ ] or :. */
static void zsh_text(const char *s)
{
    for (; *s; s++)
        if (!strchr("'[]:\\", *s))
            putchar(*s);
}

static void zsh_option(const struct comp_opt *o)
{
    printf("      '");
    if (o->shortname)
        printf("(-%c --%s)'{-%c,--%s}'", o->shortname, o->longname,
               o->shortname, o->longname);
    else
        printf("--%s", o->longname);
    printf("[");
    zsh_text(o->help);
    printf("]");
    if (o->has_arg) {
        printf(":");
        zsh_text(*o->arg ? o->arg : "value");
        switch (value_kind(o)) {
        case 'w': printf(":_signoff_workflows"); break;
        case 'f': printf(":_files"); break;
        case 'b': printf(":(%s)", by_words + 1); break;
        default: printf(": "); break;
        }
    }
    printf("' \\\n");
}

static void zsh_script(void)
{
    printf("#compdef signoff\n"
           "# zsh completion for signoff, made by `signoff completion zsh`\n"
           "# from the tables that make `signoff COMMAND --help`.\n"
           "_signoff_workflows() {\n"
           "  local -a w\n"
           "  w=(${(f)\"$(signoff completion workflows 2>/dev/null)\"})\n"
           "  compadd -a w\n"
           "}\n"
           "_signoff() {\n"
           "  local -a commands\n"
           "  commands=(\n");
    for (size_t i = 0; i < SO_ARRAY_LEN(cmds); i++) {
        printf("    '%s:", cmds[i].name);
        zsh_text(cmds[i].summary);
        printf("'\n");
    }
    printf("  )\n"
           "  if (( CURRENT == 2 )); then\n"
           "    _describe command commands\n"
           "    return\n"
           "  fi\n"
           "  local cmd=$words[2]\n"
           "  shift words\n"
           "  (( CURRENT-- ))\n"
           "  case $cmd in\n");
    for (size_t i = 0; i < SO_ARRAY_LEN(cmds); i++) {
        const struct comp_cmd *c = &cmds[i];
        printf("    %s)\n      _arguments -s \\\n", c->name);
        for (size_t k = 0; k < c->nopts; k++)
            zsh_option(&c->opts[k]);
        if (strcmp(c->name, "workflow") == 0)
            printf("      '1:action:(list show set pause resume)' \\\n"
                   "      '2:workflow:_signoff_workflows' \\\n");
        else if (strcmp(c->name, "decide") == 0)
            printf("      '1:draft id: ' \\\n"
                   "      '2:action:(approve edit reject escalate)' \\\n");
        else if (strcmp(c->name, "enqueue") == 0)
            printf("      '*:JSON Lines file:_files' \\\n");
        printf("      ;;\n");
    }
    printf("  esac\n"
           "}\n"
           "_signoff \"$@\"\n");
}

/* The workflow names of a local queue, one a line; nothing otherwise. */
static int print_workflows(const char *queue_opt)
{
    char *spec = cli_queue_spec(queue_opt);
    struct stat st;
    int local = !queue_is_remote(spec) && stat(spec, &st) == 0;
    free(spec);
    if (!local)
        return 0;
    struct queue_opts o = {.readonly = 1};
    struct queue *q = cli_open_queue(queue_opt, NULL, &o);
    if (!q)
        return EXIT_FAIL;
    struct so_workflow *wfs = NULL;
    size_t n = 0;
    struct so_error err;
    int rc = EXIT_OK_;
    if (q->ops->workflow_list(q, &wfs, &n, &err) != SO_OK) {
        cli_error("completion", "%s", err.msg);
        rc = EXIT_FAIL;
    }
    for (size_t i = 0; i < n; i++) {
        /* a name a shell could mistake for something else is left out */
        if (!strpbrk(wfs[i].name, " \t\n\\'\"$`;&|<>()*?[]{}") &&
            wfs[i].name[0] != '-')
            printf("%s\n", wfs[i].name);
        so_workflow_clear(&wfs[i]);
    }
    free(wfs);
    queue_close(q);
    return rc;
}

int cmd_completion(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "workflows") == 0) {
        const char *queue = NULL;
        if (argc == 4 && (strcmp(argv[2], "--queue") == 0 ||
                          strcmp(argv[2], "-q") == 0))
            queue = argv[3];
        return print_workflows(queue);
    }
    if (argc != 2 ||
        (strcmp(argv[1], "bash") != 0 && strcmp(argv[1], "zsh") != 0)) {
        fputs("usage: signoff completion bash|zsh\n"
              "Print a completion script for the shell, e.g.\n"
              "  source <(signoff completion bash)\n",
              argc == 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr);
        return argc == 2 && strcmp(argv[1], "--help") == 0 ? 0 : EXIT_USAGE;
    }
    load_tables();
    if (strcmp(argv[1], "bash") == 0)
        bash_script();
    else
        zsh_script();
    return fflush(stdout) == 0 ? EXIT_OK_ : EXIT_FAIL;
}
