/*
 * cmd_verify: `signoff verify` walks the audit chain of a queue file, or
 * with --export an exported file without the database, and exits 1 naming
 * the first changed, removed, inserted or reordered record. A progress bar
 * goes to stderr for long runs, only when stderr is a terminal. Reads only.
 */
#define _GNU_SOURCE
#include "signoff/cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "signoff/backends.h"
#include "signoff/store/pg/audit.h"
#include "signoff/store/sqlite/audit.h"
#include "signoff/text.h"
#include "signoff/verify.h"

static const char usage_text[] =
    "usage: signoff verify [--queue PATH] [--full] [--export FILE] [--quiet]\n"
    "\n"
    "Check the database (SQLite's quick_check; on PostgreSQL, amcheck) and\n"
    "the audit chain:\n"
    "recompute every decision's hash in order and compare it with the chain\n"
    "head the queue keeps. Exits 1 and names the first record that was\n"
    "changed, removed, inserted or reordered, or what is damaged.\n"
    "\n"
    "Options:\n"
    "  -q, --queue PATH   the queue file (default: $SIGNOFF_QUEUE, the\n"
    "                     config file, $XDG_DATA_HOME/signoff/signoff.db)\n"
    "  -F, --full         check the database with integrity_check (every\n"
    "                     index against its table; slower); PostgreSQL:\n"
    "                     amcheck with every row in each index\n"
    "  -e, --export FILE  check an export (signoff export) instead, without\n"
    "                     the database\n"
    "  -s, --quiet        print nothing when the chain holds\n"
    "  -h, --help         show this help\n"
    "      --version      show the version\n";

/* The progress bar: drawn only on a terminal and only once a run has taken
 * long enough to be worth one (300 ms; SIGNOFF_PROGRESS_AFTER_MS sets it, so
 * a test can see the bar on a machine of any speed). */
struct progress {
    int enabled;
    int64_t started;
    int64_t after_ms;
    int drawn;
    int last_pct;
};

static int64_t progress_after_ms(void)
{
    const char *env = getenv("SIGNOFF_PROGRESS_AFTER_MS");
    long v = 0;
    if (env && so_parse_long(env, 0, 3600000, &v) == 0)
        return v;
    return 300;
}

static void progress_draw(void *ctx, int64_t done, int64_t total)
{
    struct progress *p = ctx;
    if (!p->enabled || total <= 0 || so_mono_ms() - p->started < p->after_ms)
        return;
    int pct = (int)(done * 100 / total);
    if (pct == p->last_pct)
        return;
    p->last_pct = pct;
    p->drawn = 1;
    int fill = pct * 30 / 100;
    fprintf(stderr, "\rverifying [%.*s%*s] %3d%% %lld/%lld", fill,
            "##############################", 30 - fill, "", pct,
            (long long)done, (long long)total);
    fflush(stderr);
}

static void progress_end(struct progress *p)
{
    if (p->drawn)
        fputs("\r\033[K", stderr);
}

static int report(const char *what, enum so_status st,
                  const struct verify_result *res, const struct so_error *err,
                  int quiet)
{
    if (st != SO_OK) { /* the path once: store messages start with it */
        if (strncmp(err->msg, what, strlen(what)) == 0)
            cli_error(err->msg, NULL);
        else
            cli_error(what, "%s", err->msg);
        return EXIT_FAIL;
    }
    if (quiet)
        return 0;
    if (res->records == 0)
        printf("%s: audit chain ok: no decisions yet\n", what);
    else
        printf("%s: audit chain ok: %lld decisions (seq %lld..%lld), head %s\n",
               what, (long long)res->records, (long long)res->first_seq,
               (long long)res->last_seq, res->last_hash);
    return 0;
}

/* The whole chain of a store from genesis to its head, with the progress
 * bar (either store's source). */
static enum so_status walk(const struct verify_source *src,
                           const struct verify_head *head, int64_t total,
                           struct verify_opts *o, struct verify_result *res,
                           struct so_error *err)
{
    o->from_genesis = 1;
    o->head = head;
    o->total = total;
    enum so_status st = verify_chain(src, o, res, err);
    progress_end(o->progress_ctx);
    return st;
}

/* A PostgreSQL queue: the database checked with amcheck (or why it could
 * not be), then the chain paged in short statements up to the head read at
 * the start (store/pg/audit.h). */
static int verify_pg(const char *spec, struct verify_opts *o, int full,
                     int quiet)
{
    struct so_error err = {0};
    struct queue *q = NULL;
    struct pg_audit *a = NULL;
    struct verify_result res = {0};
    struct queue_opts qo = {.readonly = 1};
    char how[400] = "";
    enum so_status st = queue_open(spec, &qo, &q, &err);
    if (st == SO_OK)
        st = pg_audit_check(q, full, how, sizeof how, &err);
    if (st == SO_OK && strncmp(how, "not checked", 11) == 0) {
        char *said = text_plain(how, 0, 0); /* the server's words */
        fprintf(stderr, "signoff verify: %s: database %s\n", spec, said);
        free(said);
    } else if (st == SO_OK && !quiet) {
        printf("%s: database ok (%s)\n", spec, how);
    }
    if (st == SO_OK)
        st = pg_audit_open(q, 0, &a, &err);
    if (st == SO_OK) {
        struct verify_source src = pg_audit_source(a);
        st = walk(&src, pg_audit_head(a), pg_audit_count(a), o, &res, &err);
    }
    int rc = report(spec, st, &res, &err, quiet);
    pg_audit_close(a);
    queue_close(q);
    return rc;
}

static int verify_queue(const char *opt_queue, struct verify_opts *o,
                        int full, int quiet)
{
    char *spec = cli_store_spec(opt_queue,
                                "verify reads the queue file: run it where "
                                "the server keeps the file, or verify an "
                                "export");
    if (!spec)
        return EXIT_FAIL;
    if (strcmp(queue_backend_name(spec), "sqlite") != 0) {
        int rc = verify_pg(spec, o, full, quiet);
        free(spec);
        return rc;
    }
    struct so_error err = {0};
    struct store_audit *a = NULL;
    struct verify_result res = {0};
    enum so_status st = store_audit_open(spec, 0, &a, &err);
    if (st == SO_OK)
        st = store_audit_check(a, full, &err);
    if (st == SO_OK && !quiet)
        printf("%s: database ok (%s)\n", spec,
               full ? "integrity_check" : "quick_check");
    if (st == SO_OK) {
        struct verify_source src = store_audit_source(a);
        st = walk(&src, store_audit_head(a), store_audit_count(a), o, &res,
                  &err);
    }
    int rc = report(spec, st, &res, &err, quiet);
    store_audit_close(a);
    free(spec);
    return rc;
}

static int verify_export(const char *path, struct verify_opts *o, int quiet)
{
    struct so_error err = {0};
    struct verify_result res = {0};
    enum so_status st = verify_export_file(path, o, &res, &err);
    progress_end(o->progress_ctx);
    return report(path, st, &res, &err, quiet);
}

struct verify_args {
    struct cli_common common;
    const char *export; /* --export FILE */
    int full;           /* --full: integrity_check */
    int quiet;
};

/* --export and --quiet, verify's options besides --queue (cli_parse). */
static int verify_option(int c, const char *arg, void *ctx)
{
    struct verify_args *a = ctx;
    if (c == 'e')
        a->export = arg;
    else if (c == 'F')
        a->full = 1;
    else
        a->quiet = 1;
    return 0;
}

int cmd_verify(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_OPTION_QUEUE,
        {"export", required_argument, NULL, 'e'},
        {"full", no_argument, NULL, 'F'},
        {"quiet", no_argument, NULL, 's'},
        CLI_OPTION_END,
    };
    static const struct cli_cmd cmd = {"verify", usage_text, "q:e:sF", longopts,
                                       verify_option, 0};
    struct verify_args a = {0};
    int rc = cli_parse(&cmd, argc, argv, &a.common, &a);
    if (rc >= 0)
        return rc;
    if (a.common.queue && a.export)
        return cli_usage_error("verify", "--queue and --export exclude each "
                                         "other");
    if (a.full && a.export)
        return cli_usage_error("verify", "--full checks a database, not an "
                                         "export");
    struct progress p = {.enabled = isatty(STDERR_FILENO),
                         .started = so_mono_ms(),
                         .after_ms = progress_after_ms(), .last_pct = -1};
    struct verify_opts o = {.progress = progress_draw, .progress_ctx = &p};
    return a.export ? verify_export(a.export, &o, a.quiet)
                    : verify_queue(a.common.queue, &o, a.full, a.quiet);
}
