/*
 * cmd_enqueue: `signoff enqueue [FILE|-]` reads JSON Lines drafts (the
 * draft_json reader) and adds them in batches, one transaction each. A bad
 * line is reported as "FILE:LINE: field: why" and skipped; the good lines
 * still land. A progress line is drawn on stderr only when it is a terminal
 * and the input is large. Parsing and storage rules live in draft_json and
 * the store; this file only moves lines between them and reports.
 */
#define _GNU_SOURCE
#include "signoff/cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "signoff/draft_json.h"
#include "signoff/json.h"
#include "signoff/text.h"

#define BATCH 1000
#define PROGRESS_MIN_BYTES (1u << 20)
#define PROGRESS_MIN_MS 1000
#define PROGRESS_EVERY_MS 200

static const char usage_text[] =
    "usage: signoff enqueue [--queue PATH|URL] [--replace] [--format "
    "text|json]\n"
    "                       [FILE.jsonl|-]\n"
    "\n"
    "Add drafts from JSON Lines, one draft per line (see signoff-queue(5)),\n"
    "read from FILE or, without one or with -, from standard input. Good\n"
    "lines land even when others are bad; each bad line is reported on\n"
    "stderr as FILE:LINE: field: why and the exit status is then 1. The same\n"
    "id with the same content again changes nothing.\n"
    "\n"
    "Options:\n"
    "  -q, --queue PATH|URL  the queue (default: $SIGNOFF_QUEUE, the config\n"
    "                        file, $XDG_DATA_HOME/signoff/signoff.db)\n"
    "  -r, --replace         a draft with a known id but other content\n"
    "                        replaces the old one while it is still pending\n"
    "  -f, --format FMT      text (default) or json: a summary object with\n"
    "                        the counts and every bad line on stdout\n"
    "  -h, --help            show this help\n"
    "      --version         show the version\n";

struct totals {
    size_t added, replaced, same, bad;
};

/* One run: the input, the pending batch and what happened so far. */
struct enq {
    struct queue *q;
    const char *name; /* for messages: the path or "<stdin>" */
    int replace;
    int json;
    cJSON *errors; /* --format json: the bad lines */
    /* The lines read since the last flush, good and bad, in order, so the
     * report follows the file even though the store judges good lines only
     * when their batch is sent. */
    struct entry {
        size_t line;
        struct so_draft *d; /* NULL for a bad line */
        char *bad;          /* why, for a bad line */
    } *ents;
    size_t nents, cap;
    size_t n; /* drafts among ents */
    struct so_draft *batch[BATCH];
    struct so_enq_result *res; /* BATCH results (512-byte messages each) */
    struct totals t;
    /* progress */
    int progress_tty;
    size_t total_bytes; /* 0 when unknown (a pipe) */
    int64_t start_ms, last_ms;
    int progress_shown;
};

static void report_bad(struct enq *e, size_t line, const char *msg)
{
    e->t.bad++;
    if (e->progress_shown)
        fputs("\r\033[K", stderr);
    char *where = xasprintf("%s:%zu: %s", e->name, line, msg);
    char *clean = text_plain(where, 0, 0);
    fprintf(stderr, "%s\n", clean);
    free(clean);
    free(where);
    if (e->json) {
        cJSON *o = json_new_object();
        json_add_int(o, "line", (int64_t)line);
        json_add_string(o, "error", msg);
        cJSON_AddItemToArray(e->errors, o);
    }
}

static void add_entry(struct enq *e, size_t line, struct so_draft *d,
                      const char *bad)
{
    if (e->nents == e->cap) {
        e->cap = e->cap ? 2 * e->cap : 64;
        e->ents = xrealloc(e->ents, e->cap * sizeof *e->ents);
    }
    e->ents[e->nents].line = line;
    e->ents[e->nents].d = d;
    e->ents[e->nents].bad = xstrdup(bad);
    e->nents++;
    e->n += d != NULL;
}

static void tally(struct enq *e, const struct so_enq_result *r, size_t line)
{
    if (r->outcome == SO_ENQ_FAILED && r->err.code == SO_ERR_CONFLICT &&
        !e->replace) /* the queue says what; the command line says how */
        report_bad(e, line,
                   "id: already queued with other content (use --replace "
                   "while pending)");
    else if (r->outcome == SO_ENQ_FAILED)
        report_bad(e, line, r->err.msg);
    else if (r->outcome == SO_ENQ_ADDED)
        e->t.added++;
    else if (r->outcome == SO_ENQ_REPLACED)
        e->t.replaced++;
    else
        e->t.same++;
}

/* Send the drafts read since the last flush in one transaction, then report
 * every line of the batch in file order. Only the last batch (more = 0)
 * waits for fsync, which makes all of them durable. Returns 0, or -1 when
 * the queue failed (message printed; the batch is not written). */
static int flush(struct enq *e, int more)
{
    struct so_error err;
    enum so_status st = SO_OK;
    size_t k = 0;
    so_error_clear(&err);
    for (size_t i = 0; i < e->nents; i++)
        if (e->ents[i].d)
            e->batch[k++] = e->ents[i].d;
    if (k > 0)
        st = e->q->ops->enqueue(e->q, e->batch, k,
                                (e->replace ? SO_ENQ_REPLACE : 0) |
                                    (more ? SO_ENQ_MORE : 0),
                                e->res, &err);
    k = 0;
    for (size_t i = 0; i < e->nents; i++) {
        struct entry *en = &e->ents[i];
        if (!en->d)
            report_bad(e, en->line, en->bad);
        else if (st == SO_OK)
            tally(e, &e->res[k++], en->line);
        so_draft_free(en->d);
        free(en->bad);
    }
    e->nents = e->n = 0;
    if (st != SO_OK) {
        cli_error(err.msg, NULL);
        return -1;
    }
    return 0;
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static void progress(struct enq *e, size_t offset)
{
    int64_t now = so_mono_ms();
    if (!e->progress_tty || now - e->last_ms < PROGRESS_EVERY_MS)
        return;
    if (!e->progress_shown && e->total_bytes < PROGRESS_MIN_BYTES &&
        now - e->start_ms < PROGRESS_MIN_MS)
        return;
    size_t done = e->t.added + e->t.replaced + e->t.same + e->n;
    double secs = (double)(now - e->start_ms) / 1000.0;
    fprintf(stderr, "\r\033[Kenqueue: %zu %s, %.0f/s", done,
            plural(done, "draft", "drafts"),
            secs > 0 ? (double)done / secs : 0.0);
    if (e->total_bytes)
        fprintf(stderr, ", %.0f%%", 100.0 * (double)offset /
                                        (double)e->total_bytes);
    e->last_ms = now;
    e->progress_shown = 1;
}

/* Read every line; returns -1 when reading or the queue failed. */
static int read_all(struct enq *e, FILE *in)
{
    struct draft_reader *r = draft_reader_new(in);
    struct so_draft *d;
    struct so_error err;
    size_t line;
    int rc = 0;
    for (;;) {
        d = NULL;
        so_error_clear(&err);
        enum draft_read k = draft_reader_next(r, &d, &line, &err);
        if (k == DRAFT_READ_END)
            break;
        if (k == DRAFT_READ_IOERR) {
            cli_error(e->name, "%s", err.msg);
            rc = -1;
            break;
        }
        add_entry(e, line, d, k == DRAFT_READ_OK ? NULL : err.msg);
        if ((e->n == BATCH || e->nents >= 4 * BATCH) && flush(e, 1) != 0) {
            rc = -1;
            break;
        }
        progress(e, draft_reader_offset(r));
    }
    if (rc == 0 && flush(e, 0) != 0)
        rc = -1;
    for (size_t i = 0; i < e->nents; i++) {
        so_draft_free(e->ents[i].d);
        free(e->ents[i].bad);
    }
    free(e->ents);
    draft_reader_free(r);
    if (e->progress_shown)
        fputs("\r\033[K", stderr);
    return rc;
}

static void summary(struct enq *e)
{
    const struct totals *t = &e->t;
    if (t->replaced)
        fprintf(stderr, "enqueued %zu %s, %zu replaced, %zu unchanged, %zu "
                        "bad %s\n",
                t->added, plural(t->added, "draft", "drafts"), t->replaced,
                t->same, t->bad, plural(t->bad, "line", "lines"));
    else
        fprintf(stderr, "enqueued %zu %s, %zu unchanged, %zu bad %s\n",
                t->added, plural(t->added, "draft", "drafts"), t->same,
                t->bad, plural(t->bad, "line", "lines"));
    if (!e->json)
        return;
    cJSON *o = json_new_object();
    json_add_int(o, "added", (int64_t)t->added);
    json_add_int(o, "replaced", (int64_t)t->replaced);
    json_add_int(o, "unchanged", (int64_t)t->same);
    json_add_int(o, "bad", (int64_t)t->bad);
    json_add_item(o, "errors", e->errors);
    e->errors = NULL;
    char *s = json_print_escaped(o, 0);
    printf("%s\n", s);
    free(s);
    cJSON_Delete(o);
}

static int enqueue_file(struct enq *e, const char *path, const char *queue)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *in = is_stdin ? stdin : fopen(path, "rb");
    if (!in) {
        cli_error(path, "%s", strerror(errno));
        return EXIT_FAIL;
    }
    struct stat sb;
    e->name = is_stdin ? "<stdin>" : path;
    if (fstat(fileno(in), &sb) == 0 && S_ISREG(sb.st_mode))
        e->total_bytes = (size_t)sb.st_size;
    e->progress_tty = isatty(STDERR_FILENO);
    e->start_ms = e->last_ms = so_mono_ms();
    e->q = cli_open_queue(queue, NULL, NULL);
    int rc = EXIT_FAIL;
    if (e->q) {
        e->errors = e->json ? json_new_array() : NULL;
        e->res = xcalloc(BATCH, sizeof *e->res);
        int failed = read_all(e, in);
        summary(e);
        rc = failed || e->t.bad ? EXIT_FAIL : 0;
        queue_close(e->q);
    }
    cJSON_Delete(e->errors);
    free(e->res);
    if (!is_stdin)
        fclose(in);
    return rc;
}

/* --replace and --format, enqueue's options besides --queue (cli_parse). */
static int enqueue_option(int c, const char *arg, void *ctx)
{
    static const char *const formats[] = {"text", "json", NULL};
    struct enq *e = ctx;
    if (c == 'r') {
        e->replace = 1;
        return 0;
    }
    return (e->json = cli_pick("enqueue", "--format", arg, formats)) < 0
               ? EXIT_USAGE
               : 0;
}

int cmd_enqueue(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_OPTION_QUEUE,
        {"replace", no_argument, NULL, 'r'},
        {"format", required_argument, NULL, 'f'},
        CLI_OPTION_END,
    };
    static const struct cli_cmd cmd = {"enqueue", usage_text, "q:rf:",
                                       longopts, enqueue_option, 1};
    struct cli_common common = {0};
    struct enq e = {0};
    int rc = cli_parse(&cmd, argc, argv, &common, &e);
    if (rc >= 0)
        return rc;
    if (argc - optind > 1)
        return cli_usage_error("enqueue", "one input file at most, not '%s'",
                               argv[optind + 1]);
    return enqueue_file(&e, optind < argc ? argv[optind] : "-", common.queue);
}
