/*
 * cmd_export: `signoff export` writes the decisions with their audit hashes
 * and every field the hashes cover (JSON Lines or CSV), so the chain can be
 * re-verified elsewhere with `signoff verify --export`. JSON Lines escapes
 * text to ASCII, so it cannot drive a terminal; CSV carries the text itself
 * (RFC 4180 quoting only) and is never written to a terminal. A file given
 * with --output is written to a temporary file and renamed. Reads only.
 */
#define _GNU_SOURCE
#include "signoff/cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "signoff/backends.h"
#include "signoff/store/pg/audit.h"
#include "signoff/store/sqlite/audit.h"
#include "signoff/verify.h"

static const char usage_text[] =
    "usage: signoff export [--queue PATH] [--format jsonl|csv] [--since WHEN]\n"
    "                      [--output FILE]\n"
    "\n"
    "Write the decisions in seq order with their audit hashes: every field\n"
    "the hash chain covers, the final body, and (JSON Lines) a first line\n"
    "with the chain head. Check the result with `signoff verify --export`.\n"
    "\n"
    "Options:\n"
    "  -q, --queue PATH    the queue file (default: $SIGNOFF_QUEUE, the\n"
    "                      config file, $XDG_DATA_HOME/signoff/signoff.db)\n"
    "  -f, --format FMT    jsonl (default, ASCII) or csv (RFC 4180, the\n"
    "                      text itself; to a file or a pipe only)\n"
    "  -S, --since WHEN    from the first decision at or after WHEN on: a\n"
    "                      duration back from now (7d, 24h) or a date\n"
    "                      (YYYY-MM-DD, UTC)\n"
    "  -o, --output FILE   write FILE (atomically) instead of stdout\n"
    "  -h, --help          show this help\n"
    "      --version       show the version\n";

struct export_args {
    struct cli_common common;
    const char *output;
    enum verify_format fmt;
    int64_t since_ms;
};

/* A temporary file next to path, renamed over it once complete. */
static FILE *open_temp(const char *path, char **tmp)
{
    *tmp = xasprintf("%s.XXXXXX", path);
    int fd = mkstemp(*tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        cli_error(path, "%s", strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(*tmp);
        }
        free(*tmp);
        *tmp = NULL;
    }
    return f;
}

static int finish_temp(FILE *f, const char *tmp, const char *path, int ok)
{
    if (ok && (fflush(f) != 0 || fsync(fileno(f)) != 0)) {
        cli_error(path, "%s", strerror(errno));
        ok = 0;
    }
    if (fclose(f) != 0 && ok) {
        cli_error(path, "%s", strerror(errno));
        ok = 0;
    }
    if (ok && rename(tmp, path) != 0) {
        cli_error(path, "%s", strerror(errno));
        ok = 0;
    }
    if (!ok)
        unlink(tmp);
    return ok;
}

/* Write the records of src (head: the store's) to the output a names. */
static int write_export(const struct export_args *a, const char *spec,
                        const struct verify_head *head,
                        struct verify_source *src)
{
    struct so_error err = {0};
    char *tmp = NULL;
    FILE *out = a->output ? open_temp(a->output, &tmp) : stdout;
    int ok = out != NULL;
    if (ok) {
        struct verify_export_info info = {.queue = spec,
                                          .exported_at = so_now_ms(),
                                          .since_ms = a->since_ms,
                                          .head = head};
        int64_t n = 0;
        ok = verify_export_write(out, a->fmt, &info, src, &n, &err) == SO_OK;
        if (!ok)
            cli_error(a->output ? a->output : "export", "%s", err.msg);
        if (a->output)
            ok = finish_temp(out, tmp, a->output, ok);
        if (ok && a->output)
            fprintf(stderr, "exported %lld decisions to %s\n", (long long)n,
                    a->output);
    }
    free(tmp);
    return ok;
}

/* A PostgreSQL queue: the chain paged in short statements up to the head
 * read at the start (store/pg/audit.h). */
static int export_pg(const char *spec, const struct export_args *a)
{
    struct so_error err = {0};
    struct queue *q = NULL;
    struct pg_audit *au = NULL;
    struct queue_opts qo = {.readonly = 1};
    enum so_status st = queue_open(spec, &qo, &q, &err);
    if (st == SO_OK)
        st = pg_audit_open(q, a->since_ms, &au, &err);
    int ok = st == SO_OK;
    if (!ok)
        cli_error(err.msg, NULL);
    if (ok) {
        struct verify_source src = pg_audit_source(au);
        ok = write_export(a, spec, pg_audit_head(au), &src);
    }
    pg_audit_close(au);
    queue_close(q);
    return ok ? 0 : EXIT_FAIL;
}

static int export_queue(const struct export_args *a)
{
    char *spec = cli_store_spec(a->common.queue,
                                "export reads the queue file: run it where "
                                "the server keeps the file");
    if (!spec)
        return EXIT_FAIL;
    if (strcmp(queue_backend_name(spec), "sqlite") != 0) {
        int rc = export_pg(spec, a);
        free(spec);
        return rc;
    }
    struct so_error err = {0};
    struct store_audit *au = NULL;
    if (store_audit_open(spec, a->since_ms, &au, &err) != SO_OK) {
        cli_error(spec, "%s", err.msg);
        free(spec);
        return EXIT_FAIL;
    }
    struct verify_source src = store_audit_source(au);
    int ok = write_export(a, spec, store_audit_head(au), &src);
    store_audit_close(au);
    free(spec);
    return ok ? 0 : EXIT_FAIL;
}

static int parse_since(const char *s, int64_t *out)
{
    int64_t ms;
    if (so_parse_duration_ms(s, &ms) == 0) {
        *out = so_now_ms() - ms;
        return ms > 0 ? 0 : -1; /* a bare 0: no unit, nothing to export */
    }
    return so_parse_date_ms(s, out);
}

/* The options of export besides --queue (cli_parse). */
static int export_option(int c, const char *arg, void *ctx)
{
    struct export_args *a = ctx;
    int fmt;
    switch (c) {
    case 'f':
        if ((fmt = verify_format_from_name(arg)) < 0)
            return cli_usage_error("export", "--format: jsonl or csv, not "
                                             "'%s'", arg);
        a->fmt = (enum verify_format)fmt;
        return 0;
    case 'S':
        if (parse_since(arg, &a->since_ms) != 0 || a->since_ms <= 0)
            return cli_usage_error("export", "--since: a duration with a "
                                             "unit (" SO_DURATION_UNITS
                                             ": 7d, 24h) or a date "
                                             "(YYYY-MM-DD), not '%s'",
                                   arg);
        return 0;
    default: /* 'o' */
        a->output = arg;
        return 0;
    }
}

int cmd_export(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_OPTION_QUEUE,
        {"format", required_argument, NULL, 'f'},
        {"since", required_argument, NULL, 'S'},
        {"output", required_argument, NULL, 'o'},
        CLI_OPTION_END,
    };
    static const struct cli_cmd cmd = {"export", usage_text, "q:f:S:o:",
                                       longopts, export_option, 0};
    struct export_args a = {.fmt = VERIFY_JSONL};
    int rc = cli_parse(&cmd, argc, argv, &a.common, &a);
    if (rc >= 0)
        return rc;
    /* CSV carries the text itself, control characters included: never
     * onto a terminal (JSON Lines is ASCII and safe there). */
    if (a.fmt == VERIFY_CSV && !a.output && isatty(STDOUT_FILENO))
        return cli_usage_error("export", "--format csv carries the text "
                                         "itself, control characters too: "
                                         "write it to a file (--output "
                                         "FILE) or a pipe, not a terminal");
    return export_queue(&a);
}
