/*
 * cmd_stats: `signoff stats` prints override rates and counts grouped by
 * workflow, model, reviewer, day or confidence band, in a table, JSON, CSV
 * or the Prometheus text format; `--check` exits 3 naming each workflow
 * over its threshold (for cron and alerting). Reads the rollup through the
 * queue interface only; the figures come from stats.c, the layout from
 * stats_format.c.
 */
#define _GNU_SOURCE
#include "signoff/cli/cli.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/access.h"
#include "signoff/agreement.h"
#include "signoff/automate.h"
#include "signoff/stats.h"
#include "signoff/stats_format.h"
#include "signoff/token.h"

static const char usage_text[] =
    "usage: signoff stats [--by workflow|model|reviewer|day|band|pair|phase]\n"
    "                     [--since D]\n"
    "                     [--workflow W] [--format table|json|csv|prometheus]\n"
    "                     [--check] [--wide] [--queue Q]\n"
    "\n"
    "Override rates ((edited + rejected) / (approved + edited + rejected))\n"
    "with a Wilson 95% interval, counts, median active time and median edit\n"
    "size, and per decided task its cost (the AI's, reviewing at the\n"
    "workflow's hourly rate, total) and p50/p95 time from enqueue to\n"
    "decision and to action, from the rollup. Escalations apart.\n"
    "\n"
    "Options:\n"
    "  -b, --by DIM        group by workflow (default), model, reviewer, day\n"
    "                      or band (confidence band); pair: four-eyes\n"
    "                      agreement and Cohen's kappa per workflow and\n"
    "                      reviewer pair, and resolutions; phase: each\n"
    "                      workflow's phase, automatic approvals and the\n"
    "                      override rate on its sampled drafts (over its\n"
    "                      own window: no --since)\n"
    "  -s, --since D       2d, 7d, 30d ... (units ms, s, m, h, d, w) or a\n"
    "                      date YYYY-MM-DD (default 7d):\n"
    "                      the last D rounded up to whole UTC days, ending\n"
    "                      today (24h = today, 2d = yesterday and today)\n"
    "  -w, --workflow W    only this workflow\n"
    "  -f, --format F      table (default), json, csv or prometheus\n"
    "  -c, --check         exit 3 and name each workflow whose override rate\n"
    "                      over its own window exceeds its threshold with at\n"
    "                      least its minimum of decisions, or that has an\n"
    "                      unapplied backlog (outcomes released longer than\n"
    "                      its applied-within bound with no action record),\n"
    "                      or a webhook disabled by its failures, or more\n"
    "                      of its tasks past its SLA than its sla-alert\n"
    "                      share (decided late in the window, and open\n"
    "                      drafts past it now);\n"
    "                      0 otherwise (no --since; table or json)\n"
    "      --wide          the table with every column (on a terminal it\n"
    "                      fits its width, $COLUMNS when set: the least\n"
    "                      important columns dropped; a pipe gets all)\n"
    "  -q, --queue Q       the queue (file or URL)\n"
    "  -h, --help          show this help\n"
    "      --version       show the version\n";

struct stats_args {
    struct cli_common common;
    const char *workflow;
    const char *since;
    enum stats_by by;
    enum stats_format fmt;
    int check;
    int pair; /* --by pair: the four-eyes agreement report */
    int phase; /* --by phase: the automation's figures per workflow */
    int since_given;
};

/* NULL-terminated name lists for cli_pick, in enum order. */
#define STATS_X_NAME(id, name) name,
static const char *const by_names[] = {
    STATS_BY_LIST(STATS_X_NAME) STATS_BY_REPORTS(STATS_X_NAME) NULL};
static const char *const fmt_names[] = {STATS_FORMAT_LIST(STATS_X_NAME) NULL};
#undef STATS_X_NAME

/* The options of stats besides --queue (cli_parse). */
static int stats_option(int c, const char *arg, void *ctx)
{
    struct stats_args *a = ctx;
    int i;
    switch (c) {
    case 'b':
        if ((i = cli_pick("stats", "--by", arg, by_names)) < 0)
            return EXIT_USAGE;
        a->pair = i == STATS_BY_COUNT;      /* the first of STATS_BY_REPORTS */
        a->phase = i == STATS_BY_COUNT + 1; /* the second */
        a->by = i < STATS_BY_COUNT ? (enum stats_by)i : STATS_BY_WORKFLOW;
        break;
    case 'f':
        if ((i = cli_pick("stats", "--format", arg, fmt_names)) < 0)
            return EXIT_USAGE;
        a->fmt = (enum stats_format)i;
        break;
    case 's':
        a->since = arg;
        a->since_given = 1;
        break;
    case 'w':
        a->workflow = arg;
        return cli_check_name("stats", "--workflow", arg);
    default: a->check = 1; break; /* 'c' */
    }
    return 0;
}

static int emit(char *text)
{
    fputs(text, stdout);
    free(text);
    return fflush(stdout) == 0 ? EXIT_OK_ : EXIT_FAIL;
}

/* --by pair: agreement from the store's agreement cells (agreement.h). */
static int run_agreement(struct queue *q, const struct stats_args *a,
                         const struct stats_window *w,
                         const struct so_stats_req *req)
{
    struct so_agreement ag = {0};
    struct so_error err;
    if (!q->ops->agreement) {
        cli_error("stats", "--by pair: %s queues do not keep agreement",
                  q->ops->name);
        return EXIT_FAIL;
    }
    if (q->ops->agreement(q, req, &ag, &err) != SO_OK) {
        cli_error("stats", "%s", err.msg);
        return cli_exit_for(err.code);
    }
    static const enum agreement_fmt fmts[] = {AGREE_TABLE, AGREE_JSON,
                                              AGREE_CSV, AGREE_PROM};
    struct agreement_summary sum;
    struct buf b;
    agreement_summarise(&ag, &sum);
    buf_init(&b);
    char first[16], last[16];
    stats_format_day(w->first_day, first);
    stats_format_day(w->last_day, last);
    struct agreement_window aw = {first, last, stats_window_days(w)};
    agreement_format(&sum, &aw, fmts[a->fmt], cli_table_width(a->common.wide),
                     &b);
    if (a->fmt == STATS_FMT_JSON)
        buf_addc(&b, '\n');
    agreement_summary_free(&sum);
    agreement_free(&ag);
    return emit(buf_steal(&b));
}

static int run_report(struct queue *q, const struct stats_args *a,
                      const struct so_workflow *wfs, size_t nwfs)
{
    struct stats_window w;
    if (stats_window_parse(a->since, so_now_ms(), &w) != 0)
        return cli_usage_error("stats", "--since: expected a duration with "
                                        "a unit (" SO_DURATION_UNITS
                                        ": 24h, 7d; since 1970 at most) or "
                                        "a date YYYY-MM-DD not after today, "
                                        "not '%s'",
                               a->since);
    struct so_stats_req req = {.since_ms = stats_window_since_ms(&w),
                               .workflow = a->workflow,
                               .fold = stats_rollup_fold(a->by)};
    if (a->pair)
        return run_agreement(q, a, &w, &req);
    struct so_rollup r = {0};
    struct so_error err;
    if (q->ops->rollup(q, &req, &r, &err) != SO_OK) {
        cli_error("stats", "%s", err.msg);
        return cli_exit_for(err.code);
    }
    struct stats_report rep;
    stats_compute(&r, a->by, &w, wfs, nwfs, a->workflow, &rep);
    int rc = emit(stats_format_report(&rep, a->fmt,
                                      cli_table_width(a->common.wide)));
    stats_report_free(&rep);
    so_rollup_free(&r);
    return rc;
}

/* 1 (and a warning on stderr) when the queue's access review is overdue
 * (access.h): tokens exist and the last review, or the oldest token when
 * none, is older than the review interval. */
static int access_overdue(struct queue *q, int64_t now)
{
    struct so_token *v = NULL;
    size_t n = 0;
    struct so_error err;
    if (!q->ops->token_list || !q->ops->admin_last ||
        q->ops->token_list(q, &v, &n, &err) != SO_OK)
        return 0;
    int64_t oldest = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(so_token_state(&v[i], now), "active") == 0 &&
            (!oldest || v[i].created_at < oldest))
            oldest = v[i].created_at;
        so_token_clear(&v[i]);
    }
    free(v);
    struct so_decision last;
    enum so_status s = q->ops->admin_last(q, "access.reviewed", &last, &err);
    int64_t every = access_every(s == SO_OK ? last.note : NULL);
    int64_t due = access_due(s == SO_OK ? last.decided_at : 0, every, oldest);
    if (s == SO_OK)
        so_decision_clear(&last);
    if (!oldest || due <= 0 || due > now)
        return 0;
    char at[32];
    so_format_time(due, at);
    fprintf(stderr, "signoff: warning: the access review is overdue (due %s, "
                    "every %lldd): run signoff access review, then signoff "
                    "access reviewed --note TEXT\n",
            at, (long long)(every / 86400000LL));
    return 1;
}

static int run_check(struct queue *q, const struct stats_args *a,
                     const struct so_workflow *wfs, size_t nwfs)
{
    int64_t now = so_now_ms();
    struct so_stats_req req = {.since_ms = stats_alert_since_ms(wfs, nwfs, now),
                               .workflow = a->workflow,
                               .fold = SO_FOLD_MODEL | SO_FOLD_REVIEWER};
    struct so_rollup r = {0};
    struct so_error err;
    if (q->ops->rollup(q, &req, &r, &err) != SO_OK) {
        cli_error("stats", "%s", err.msg);
        return cli_exit_for(err.code);
    }
    struct stats_alert *alerts = xcalloc(nwfs ? nwfs : 1, sizeof *alerts);
    size_t n = 0;
    int over = 0;
    for (size_t i = 0; i < nwfs; i++) {
        if (a->workflow && strcmp(wfs[i].name, a->workflow) != 0)
            continue;
        stats_alert_for(&r, &wfs[i], now, &alerts[n]);
        over |= alerts[n].over || alerts[n].unapplied > 0 ||
                alerts[n].hooks_disabled > 0 || alerts[n].sla_over;
        n++;
    }
    int rc = emit(stats_format_alerts(alerts, n, a->fmt,
                                      cli_table_width(a->common.wide)));
    over |= !a->workflow && access_overdue(q, now);
    free(alerts);
    so_rollup_free(&r);
    return rc != EXIT_OK_ ? rc : over ? EXIT_OVER_THRESHOLD : EXIT_OK_;
}

/* --by phase: per workflow its phase, the automatic approvals and people's
 * override rate on the sampled drafts with its Wilson interval, over the
 * workflow's own window (automate.h). */
static int run_phase(const struct stats_args *a, const struct so_workflow *wfs,
                     size_t nwfs)
{
    struct stats_phase *rows = automate_phase_rows(wfs, &nwfs, a->workflow);
    int rc = emit(stats_format_phase(rows, nwfs, a->fmt));
    free(rows);
    return rc;
}

static int known_workflow(const struct so_workflow *wfs, size_t n,
                          const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(wfs[i].name, name) == 0)
            return 1;
    return 0;
}

int cmd_stats(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"by", required_argument, NULL, 'b'},
        {"since", required_argument, NULL, 's'},
        {"workflow", required_argument, NULL, 'w'},
        {"format", required_argument, NULL, 'f'},
        {"check", no_argument, NULL, 'c'},
        CLI_OPTION_WIDE,
        CLI_OPTION_QUEUE,
        CLI_OPTION_END,
    };
    static const struct cli_cmd cmd = {"stats", usage_text, "b:s:w:f:cq:",
                                       longopts, stats_option, 0};
    struct stats_args a = {.since = "7d"};
    int rc = cli_parse(&cmd, argc, argv, &a.common, &a);
    if (rc >= 0)
        return rc;
    /* --check judges each workflow over its own window, a list of alerts
     * (no CSV rows or metrics: /metrics and contrib/prometheus have them);
     * --by phase counts each workflow's own window too. */
    if (a.check && a.fmt != STATS_FMT_TABLE && a.fmt != STATS_FMT_JSON)
        return cli_usage_error("stats", "--check: --format table or json");
    if ((a.check || a.phase) && a.since_given)
        return cli_usage_error("stats", "--since does not apply to %s: each "
                                        "workflow's own window counts",
                               a.check ? "--check" : "--by phase");
    setlocale(LC_CTYPE, "");
    struct queue_opts o = {.readonly = 1};
    struct queue *q = cli_open_queue(a.common.queue, NULL, &o);
    if (!q)
        return EXIT_FAIL;
    struct so_workflow *wfs = NULL;
    size_t nwfs = 0;
    struct so_error err;
    if (q->ops->workflow_list(q, &wfs, &nwfs, &err) != SO_OK) {
        cli_error("stats", "%s", err.msg);
        queue_close(q);
        return cli_exit_for(err.code);
    }
    if (a.workflow && !known_workflow(wfs, nwfs, a.workflow)) {
        cli_error(a.workflow, "no such workflow");
        rc = EXIT_FAIL;
    } else {
        rc = a.check   ? run_check(q, &a, wfs, nwfs)
             : a.phase ? run_phase(&a, wfs, nwfs)
                       : run_report(q, &a, wfs, nwfs);
    }
    for (size_t i = 0; i < nwfs; i++)
        so_workflow_clear(&wfs[i]);
    free(wfs);
    queue_close(q);
    return rc;
}
