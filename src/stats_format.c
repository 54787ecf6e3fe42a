/*
 * stats_format: renders a stats report for people (an aligned table with
 * sparklines, names sanitized by text_plain) and for machines (JSON through
 * cJSON, CSV by RFC 4180, Prometheus text exposition 0.0.4). Every figure
 * comes from the report as computed; this module only lays it out. Never
 * prints.
 */
#define _GNU_SOURCE
#include "signoff/stats_format.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "signoff/escape.h"
#include "signoff/json.h"
#include "signoff/table.h"
#include "signoff/text.h"

static const char *const format_names[] = {
#define STATS_X_NAME(id, name) name,
    STATS_FORMAT_LIST(STATS_X_NAME)
#undef STATS_X_NAME
};

int stats_format_from_name(const char *name)
{
    for (int i = 0; name && i < STATS_FMT_COUNT; i++)
        if (strcmp(format_names[i], name) == 0)
            return i;
    return -1;
}

const char *stats_format_key(const char *key)
{
    return key ? key : "(none)";
}

void stats_format_pct(double v, char out[16])
{
    if (v < 0)
        snprintf(out, 16, "-");
    else
        snprintf(out, 16, "%.1f%%", v * 100.0);
}

void stats_format_ms(double ms, char out[16])
{
    if (ms < 0)
        snprintf(out, 16, "-");
    else if (ms < 1000)
        snprintf(out, 16, "%.0fms", ms);
    else if (ms < 60000)
        snprintf(out, 16, "%.1fs", ms / 1000.0);
    else
        snprintf(out, 16, "%.1fm", ms / 60000.0);
}

void stats_format_span(double ms, char out[16])
{
    if (ms < 0)
        snprintf(out, 16, "-");
    else if (ms < 3600000.0)
        stats_format_ms(ms, out);
    else if (ms < 48 * 3600000.0)
        snprintf(out, 16, "%.1fh", ms / 3600000.0);
    else
        snprintf(out, 16, "%.1fd", ms / 86400000.0);
}

void stats_format_money(double v, const char *cur, char out[48])
{
    if (v < 0)
        snprintf(out, 48, "-");
    else
        snprintf(out, 48, v < 1 ? "%.4f%s%s" : "%.2f%s%s", v,
                 cur && *cur ? " " : "", cur && *cur ? cur : "");
}

void stats_format_day(int64_t day, char out[16])
{
    time_t t = (time_t)(day * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

/* ---- table ------------------------------------------------------------- */

static char *fmt_count(int64_t v)
{
    return xasprintf("%lld", (long long)v);
}

static char *fmt_pct(double v)
{
    char s[16];
    stats_format_pct(v, s);
    return xstrdup(s);
}

static char *fmt_ci(const struct stats_group *g)
{
    char lo[16], hi[16];
    if (g->decided == 0)
        return xstrdup("-");
    stats_format_pct(g->lo, lo);
    stats_format_pct(g->hi, hi);
    return xasprintf("[%s, %s]", lo, hi);
}

/* An amount per task: "0.0123 USD", "-" when undefined. */
static char *fmt_money(double v, const char *cur)
{
    char s[48];
    stats_format_money(v, cur, s);
    return xstrdup(s);
}

static char *fmt_words(double v)
{
    return v < 0 ? xstrdup("-") : xasprintf("%.1f", v);
}

/* A reviewer's gold accuracy: "90.0% [59.6%, 98.2%] of 10", or "-". */
static char *fmt_gold(const struct stats_group *g)
{
    char a[16], lo[16], hi[16];
    if (g->gold.decided == 0)
        return xstrdup("-");
    stats_format_pct(g->gold.acc, a);
    stats_format_pct(g->gold.lo, lo);
    stats_format_pct(g->gold.hi, hi);
    return xasprintf("%s [%s, %s] of %lld", a, lo, hi,
                     (long long)g->gold.decided);
}

static void table_group_row(struct table *g, const struct stats_group *gr,
                            size_t ndays, int stamp, int backlog)
{
    size_t c = 0;
    char ms[16];
    table_add(g, c++, text_plain(stats_format_key(gr->key), 40, 0));
    table_add(g, c++, fmt_count(gr->decided));
    table_add(g, c++, fmt_count(gr->c.approved));
    table_add(g, c++, fmt_count(gr->c.edited));
    table_add(g, c++, fmt_count(gr->c.rejected));
    table_add(g, c++, fmt_count(gr->c.escalated));
    table_add(g, c++, fmt_pct(gr->rate));
    table_add(g, c++, fmt_ci(gr));
    if (stamp) { /* beside the reviewer's override rate */
        table_add(g, c++, fmt_pct(gr->rubber_stamp));
        table_add(g, c++, fmt_gold(gr));
    }
    stats_format_ms(gr->median_ms, ms);
    table_add(g, c++, xstrdup(ms));
    table_add(g, c++, fmt_words(gr->median_words));
    if (backlog)
        table_add(g, c++, gr->unapplied < 0 ? xstrdup("-")
                                           : fmt_count(gr->unapplied));
    table_add(g, c++, fmt_money(gr->cost.total, gr->cost.currency));
    table_add(g, c++, fmt_money(gr->cost.ai, gr->cost.currency));
    table_add(g, c++, fmt_money(gr->cost.human, gr->cost.currency));
    /* hours and days as the monitor shows them ("7.3h", not "436.0m") */
    stats_format_span(gr->cost.decision_p50_ms, ms);
    table_add(g, c++, xstrdup(ms));
    stats_format_span(gr->cost.decision_p95_ms, ms);
    table_add(g, c++, xstrdup(ms));
    table_add(g, c++,
             gr->day_decided
                 ? stats_sparkline(gr->day_decided, gr->day_overrides, ndays)
                 : stats_sparkline(&gr->decided, &gr->overrides, 1));
    table_add(g, c++, gr->gold_flagged ? xstrdup("below the gold bar")
                     : gr->meaningful || gr->decided == 0
                         ? xstrdup("")
                         : xasprintf("not yet meaningful (%lld < %d)",
                                     (long long)gr->decided,
                                     gr->min_decisions));
}

/* The columns of the group table; drop: which go first at a narrow width
 * (table.h): the parts of the cost, the split of the decisions and the
 * tail times first, then the rest; the key, the count, the override rate
 * and the flag stay. */
static const struct table_col group_cols[] = {
    {"", 0, 0, 0, 12, 0},           {"DECIDED", 1, 0, 0, 0, 0},
    {"APPR", 1, 0, 13, 0, 0},       {"EDIT", 1, 0, 12, 0, 0},
    {"REJ", 1, 0, 11, 0, 0},        {"ESC", 1, 0, 6, 0, 0},
    {"OVERRIDE", 1, 0, 0, 0, 0},    {"95% CI", 0, 0, 2, 0, 0},
    {"STAMP", 1, 0, 5, 0, 0},       {"GOLD", 0, 0, 4, 0, 0},
    {"MED TIME", 1, 0, 7, 0, 0},    {"MED EDIT", 1, 0, 15, 0, 0},
    {"UNAPPLIED", 1, 0, 8, 0, 0},   {"COST/TASK", 1, 0, 9, 0, 0},
    {"AI", 1, 0, 17, 0, 0},         {"HUMAN", 1, 0, 16, 0, 0},
    {"P50 DECIDE", 1, 0, 10, 0, 0}, {"P95 DECIDE", 1, 0, 14, 0, 0},
    {"TREND", 0, 0, 3, 0, 0},       {"", 0, 0, 0, 19, 0}};

static void table_groups(const struct stats_report *rep, int width,
                         struct buf *out)
{
    /* STAMP and GOLD beside a reviewer's override rate; UNAPPLIED (the
     * backlog now) only by workflow */
    int stamp = rep->by == STATS_BY_REVIEWER;
    int backlog = rep->by == STATS_BY_WORKFLOW;
    struct table_col cols[SO_ARRAY_LEN(group_cols)];
    char key[32];
    size_t n = 0;
    snprintf(key, sizeof key, "%s", stats_by_name(rep->by));
    for (char *p = key; *p; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    for (size_t i = 0; i < SO_ARRAY_LEN(group_cols); i++) {
        if (((i == 8 || i == 9) && !stamp) || (i == 12 && !backlog))
            continue;
        cols[n] = group_cols[i];
        if (i == 0)
            cols[n].head = key;
        n++;
    }
    struct table *g = table_new(cols, n, 2);
    for (size_t i = 0; i < rep->ngroups; i++)
        table_group_row(g, &rep->groups[i], rep->ndays, stamp, backlog);
    table_render(g, width, out);
}

static void table_reasons(const struct stats_report *rep, struct buf *out)
{
    if (!rep->nreasons)
        return;
    buf_adds(out, "\nReject reasons (share of the workflow's rejects)\n");
    for (size_t i = 0; i < rep->nreasons; i++) {
        const struct stats_reason *r = &rep->reasons[i];
        int first = i == 0 || strcmp(rep->reasons[i - 1].workflow,
                                     r->workflow) != 0;
        char pct[16];
        stats_format_pct(r->share, pct);
        if (first) {
            char *w = text_plain(r->workflow, 40, 0);
            buf_addf(out, "%s  %s:", i ? "\n" : "", w);
            free(w);
        }
        char *reason = text_plain(stats_format_key(r->reason), 40, 0);
        buf_addf(out, "%s %s %s (%lld)", first ? "" : ",", reason, pct,
                 (long long)r->count);
        free(reason);
    }
    buf_addc(out, '\n');
}

static void table_readiness(const struct stats_report *rep, struct buf *out)
{
    if (!rep->nready)
        return;
    buf_adds(out, "\nAutomation readiness (lowest confidence to auto-approve "
                  "from)\n");
    for (size_t i = 0; i < rep->nready; i++) {
        const struct stats_readiness *rd = &rep->ready[i];
        char *w = text_plain(rd->workflow, 40, 0);
        char thr[16];
        stats_format_pct(rd->threshold, thr);
        if (rd->band < 0) {
            buf_addf(out, "  %s: none yet (threshold %s, at least %d "
                          "decisions at or above a band)\n",
                     w, thr, rd->min_decisions);
        } else {
            char rate[16], hi[16];
            stats_format_pct(rd->rate, rate);
            stats_format_pct(rd->hi, hi);
            buf_addf(out, "  %s: confidence >= %.1f (override %s, upper "
                          "%s < threshold %s, %lld decisions)\n",
                     w, rd->band / 10.0, rate, hi, thr,
                     (long long)rd->decided);
        }
        free(w);
    }
}

/* Append text (lines ending in '\n') to out, each line wider than width
 * (> 0) wrapped at its spaces, the lines it continues on indented. */
static void add_wrapped(struct buf *out, const char *text, int width)
{
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, "\n");
        if (width <= 0 || text_width(p, len) <= width) {
            buf_add(out, p, len);
            buf_addc(out, '\n');
        } else {
            struct text_opts o = {width > 26 ? width - 6 : 20, 0, 0};
            struct text_doc *d = text_layout(p, len, &o);
            for (size_t i = 0; i < d->nlines; i++) {
                const struct text_line *l = &d->lines[i];
                buf_adds(out, i ? "      " : "");
                for (size_t k = 0; k < l->nseg; k++)
                    buf_add(out, d->text + d->segs[l->seg + k].off,
                            d->segs[l->seg + k].len);
                while (out->len && out->data[out->len - 1] == ' ')
                    out->len--;
                buf_addc(out, '\n');
            }
            text_doc_free(d);
        }
        p += len + (p[len] == '\n');
    }
}

static char *format_table(const struct stats_report *rep, int width)
{
    struct buf out;
    char a[16], b[16];
    buf_init(&out);
    stats_format_day(rep->win.first_day, a);
    stats_format_day(rep->win.last_day, b);
    buf_addf(&out, "%s .. %s (%zu UTC days)\n", a, b, rep->ndays);
    if (!rep->ngroups) {
        buf_adds(&out, "no decisions in this window\n");
        return buf_steal(&out);
    }
    table_groups(rep, width, &out);
    struct buf prose;
    buf_init(&prose);
    table_reasons(rep, &prose);
    table_readiness(rep, &prose);
    add_wrapped(&out, buf_cstr(&prose), width);
    buf_free(&prose);
    return buf_steal(&out);
}

/* ---- JSON -------------------------------------------------------------- */

static void json_num_or_null(cJSON *o, const char *k, double v)
{
    if (v < 0)
        cJSON_AddNullToObject(o, k);
    else
        cJSON_AddNumberToObject(o, k, v);
}

static cJSON *json_group(const struct stats_group *g, size_t ndays,
                         enum stats_by by)
{
    cJSON *o = cJSON_CreateObject();
    json_add_string(o, "key", g->key);
    cJSON_AddNumberToObject(o, "approved", (double)g->c.approved);
    cJSON_AddNumberToObject(o, "edited", (double)g->c.edited);
    cJSON_AddNumberToObject(o, "rejected", (double)g->c.rejected);
    cJSON_AddNumberToObject(o, "escalated", (double)g->c.escalated);
    cJSON_AddNumberToObject(o, "decided", (double)g->decided);
    json_num_or_null(o, "override_rate", g->rate);
    json_num_or_null(o, "ci95_low", g->lo);
    json_num_or_null(o, "ci95_high", g->hi);
    cJSON_AddNumberToObject(o, "min_decisions", g->min_decisions);
    cJSON_AddBoolToObject(o, "meaningful", g->meaningful);
    json_num_or_null(o, "median_active_ms", g->median_ms);
    json_num_or_null(o, "median_edit_words", g->median_words);
    cJSON_AddNumberToObject(o, "fast_approvals", (double)g->c.fast_approvals);
    json_num_or_null(o, "rubber_stamp", g->rubber_stamp);
    if (by == STATS_BY_WORKFLOW)
        json_num_or_null(o, "unapplied", (double)g->unapplied);
    cJSON_AddItemToObject(o, "cost", stats_format_cost_json(&g->cost));
    if (by == STATS_BY_REVIEWER) { /* gold checks (gold.h) */
        cJSON_AddNumberToObject(o, "gold_decided", (double)g->gold.decided);
        cJSON_AddNumberToObject(o, "gold_correct", (double)g->gold.correct);
        json_num_or_null(o, "gold_accuracy", g->gold.acc);
        json_num_or_null(o, "gold_ci95_low", g->gold.lo);
        json_num_or_null(o, "gold_ci95_high", g->gold.hi);
        cJSON_AddBoolToObject(o, "gold_flagged", g->gold_flagged);
    }
    if (!g->day_decided) /* --by day: the rows are the series */
        return o;
    cJSON *daily = cJSON_AddArrayToObject(o, "daily_rate");
    for (size_t d = 0; d < ndays; d++)
        cJSON_AddItemToArray(
            daily, g->day_decided[d]
                       ? cJSON_CreateNumber((double)g->day_overrides[d] /
                                            (double)g->day_decided[d])
                       : cJSON_CreateNull());
    return o;
}

cJSON *stats_format_cost_json(const struct stats_cost *c)
{
    cJSON *o = cJSON_CreateObject();
    if (c->currency[0])
        cJSON_AddStringToObject(o, "currency", c->currency);
    else
        cJSON_AddNullToObject(o, "currency");
    cJSON_AddNumberToObject(o, "tasks", (double)c->tasks);
    json_num_or_null(o, "ai_per_task", c->ai);
    json_num_or_null(o, "human_per_task", c->human);
    json_num_or_null(o, "total_per_task", c->total);
    json_num_or_null(o, "tokens_per_task", c->tokens);
    json_num_or_null(o, "generation_mean_ms", c->gen_ms);
    json_num_or_null(o, "decision_p50_ms", c->decision_p50_ms);
    json_num_or_null(o, "decision_p95_ms", c->decision_p95_ms);
    cJSON_AddNumberToObject(o, "acted", (double)c->acted);
    json_num_or_null(o, "action_p50_ms", c->action_p50_ms);
    json_num_or_null(o, "action_p95_ms", c->action_p95_ms);
    cJSON_AddNumberToObject(o, "sla_tasks", (double)c->sla_n);
    cJSON_AddNumberToObject(o, "sla_missed", (double)c->sla_missed);
    json_num_or_null(o, "sla_missed_share", c->sla_missed_share);
    return o;
}

static cJSON *json_readiness(const struct stats_readiness *rd)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "workflow", rd->workflow);
    cJSON_AddNumberToObject(o, "threshold", rd->threshold);
    cJSON_AddNumberToObject(o, "min_decisions", rd->min_decisions);
    if (rd->band < 0) {
        cJSON_AddNullToObject(o, "ready_from_confidence");
    } else {
        cJSON_AddNumberToObject(o, "ready_from_confidence", rd->band / 10.0);
        cJSON_AddNumberToObject(o, "decided", (double)rd->decided);
        cJSON_AddNumberToObject(o, "override_rate", rd->rate);
        cJSON_AddNumberToObject(o, "ci95_high", rd->hi);
    }
    cJSON *bands = cJSON_AddArrayToObject(o, "bands");
    for (int b = 0; b < STATS_NBANDS; b++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "band", b / 10.0);
        cJSON_AddNumberToObject(e, "decided", (double)rd->band_decided[b]);
        cJSON_AddNumberToObject(e, "overrides", (double)rd->band_overrides[b]);
        cJSON_AddItemToArray(bands, e);
    }
    return o;
}

static char *json_finish(cJSON *root)
{
    char *txt = json_print_escaped(root, 0);
    cJSON_Delete(root);
    char *s = xasprintf("%s\n", txt);
    free(txt);
    return s;
}

static char *format_json(const struct stats_report *rep)
{
    cJSON *root = cJSON_CreateObject();
    char a[16], b[16];
    stats_format_day(rep->win.first_day, a);
    stats_format_day(rep->win.last_day, b);
    cJSON_AddStringToObject(root, "by", stats_by_name(rep->by));
    cJSON_AddStringToObject(root, "first_day", a);
    cJSON_AddStringToObject(root, "last_day", b);
    cJSON_AddNumberToObject(root, "days", (double)rep->ndays);
    cJSON *groups = cJSON_AddArrayToObject(root, "groups");
    for (size_t i = 0; i < rep->ngroups; i++)
        cJSON_AddItemToArray(groups, json_group(&rep->groups[i], rep->ndays,
                                                    rep->by));
    cJSON *reasons = cJSON_AddArrayToObject(root, "reject_reasons");
    for (size_t i = 0; i < rep->nreasons; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "workflow", rep->reasons[i].workflow);
        json_add_string(o, "reason", rep->reasons[i].reason);
        cJSON_AddNumberToObject(o, "count", (double)rep->reasons[i].count);
        cJSON_AddNumberToObject(o, "share", rep->reasons[i].share);
        cJSON_AddItemToArray(reasons, o);
    }
    cJSON *ready = cJSON_AddArrayToObject(root, "readiness");
    for (size_t i = 0; i < rep->nready; i++)
        cJSON_AddItemToArray(ready, json_readiness(&rep->ready[i]));
    return json_finish(root);
}

/* ---- CSV (RFC 4180: CRLF line ends, fields with , " CR LF quoted) ------- */

static void csv_num(struct buf *out, double v, const char *fmt)
{
    if (v >= 0)
        buf_addf(out, fmt, v);
    buf_addc(out, ',');
}

/* ",currency,ai,...,sla_missed_share": empty where undefined. */
static void csv_cost(struct buf *out, const struct stats_cost *c)
{
    const double v[] = {c->ai, c->human, c->total, c->tokens,
                        c->decision_p50_ms, c->decision_p95_ms,
                        c->action_p50_ms, c->action_p95_ms,
                        c->sla_missed_share};
    buf_addf(out, ",%s", c->currency);
    for (size_t i = 0; i < SO_ARRAY_LEN(v); i++) {
        buf_addc(out, ',');
        if (v[i] >= 0)
            buf_addf(out, "%.6f", v[i]);
    }
}

static char *format_csv(const struct stats_report *rep)
{
    struct buf out;
    buf_init(&out);
    buf_addf(&out,
             "%s,decided,approved,edited,rejected,escalated,override_rate,"
             "ci95_low,ci95_high,meaningful,median_active_ms,"
             "median_edit_words,rubber_stamp%s,currency,ai_per_task,"
             "human_per_task,total_per_task,tokens_per_task,"
             "decision_p50_ms,decision_p95_ms,action_p50_ms,action_p95_ms,"
             "sla_missed_share\r\n",
             stats_by_name(rep->by),
             rep->by == STATS_BY_WORKFLOW ? ",unapplied" : "");
    for (size_t i = 0; i < rep->ngroups; i++) {
        const struct stats_group *g = &rep->groups[i];
        escape_csv_name(&out, g->key);
        buf_addc(&out, ',');
        buf_addf(&out, "%lld,%lld,%lld,%lld,%lld,", (long long)g->decided,
                 (long long)g->c.approved, (long long)g->c.edited,
                 (long long)g->c.rejected, (long long)g->c.escalated);
        csv_num(&out, g->rate, "%.6f");
        csv_num(&out, g->lo, "%.6f");
        csv_num(&out, g->hi, "%.6f");
        buf_adds(&out, g->meaningful ? "true," : "false,");
        csv_num(&out, g->median_ms, "%.1f");
        csv_num(&out, g->median_words, "%.2f");
        if (g->rubber_stamp >= 0)
            buf_addf(&out, "%.6f", g->rubber_stamp);
        if (rep->by == STATS_BY_WORKFLOW && g->unapplied >= 0)
            buf_addf(&out, ",%lld", (long long)g->unapplied);
        else if (rep->by == STATS_BY_WORKFLOW)
            buf_addc(&out, ',');
        csv_cost(&out, &g->cost);
        buf_adds(&out, "\r\n");
    }
    return buf_steal(&out);
}

/* ---- Prometheus text exposition ---------------------------------------- */

/* Names follow the Prometheus conventions (base units, _ratio for 0..1):
 * promtool check metrics finds nothing in them. A figure that is not
 * defined (no decisions, no readiness yet) is left out, never a sentinel. */

static void prom_head(struct buf *out, const char *name, const char *help)
{
    escape_prom_family(out, name, "gauge", help);
}

static void prom_sample(struct buf *out, const char *metric, const char *by,
                        const char *key, const char *action, double v)
{
    buf_addf(out, "%s{", metric);
    escape_prom_label(out, by, key);
    if (action) {
        buf_addc(out, ',');
        escape_prom_label(out, "action", action);
    }
    buf_addf(out, "} %.10g\n", v);
}

static void prom_decisions(const struct stats_report *rep, struct buf *out)
{
    const char *by = stats_by_name(rep->by);
    prom_head(out, "signoff_window_decisions",
              "Decisions in the window by action (escalations apart).");
    for (size_t i = 0; i < rep->ngroups; i++) {
        const struct stats_group *g = &rep->groups[i];
        prom_sample(out, "signoff_window_decisions", by, g->key, "approve",
                    (double)g->c.approved);
        prom_sample(out, "signoff_window_decisions", by, g->key, "edit",
                    (double)g->c.edited);
        prom_sample(out, "signoff_window_decisions", by, g->key, "reject",
                    (double)g->c.rejected);
        prom_sample(out, "signoff_window_decisions", by, g->key, "escalate",
                    (double)g->c.escalated);
    }
}

static double get_rate(const struct stats_group *g) { return g->rate; }
static double get_lo(const struct stats_group *g) { return g->lo; }
static double get_hi(const struct stats_group *g) { return g->hi; }
static double get_secs(const struct stats_group *g)
{
    return g->median_ms < 0 ? -1.0 : g->median_ms / 1000.0;
}
static double get_words(const struct stats_group *g) { return g->median_words; }
static double get_stamp(const struct stats_group *g) { return g->rubber_stamp; }
static double secs(double ms) { return ms < 0 ? -1.0 : ms / 1000.0; }
static double get_d50(const struct stats_group *g)
{
    return secs(g->cost.decision_p50_ms);
}
static double get_d95(const struct stats_group *g)
{
    return secs(g->cost.decision_p95_ms);
}
static double get_a50(const struct stats_group *g)
{
    return secs(g->cost.action_p50_ms);
}
static double get_a95(const struct stats_group *g)
{
    return secs(g->cost.action_p95_ms);
}
static double get_sla(const struct stats_group *g)
{
    return g->cost.sla_missed_share;
}
static double get_gold(const struct stats_group *g) { return g->gold.acc; }
static double get_gold_lo(const struct stats_group *g) { return g->gold.lo; }
static double get_gold_hi(const struct stats_group *g) { return g->gold.hi; }
static double get_gold_n(const struct stats_group *g)
{
    return g->gold.decided ? (double)g->gold.decided : -1.0;
}
static double get_gold_flag(const struct stats_group *g)
{
    return g->gold.decided ? (double)g->gold_flagged : -1.0;
}

/* The per-group gauges: name, help, the figure (undefined when < 0, and
 * then left out). */
static const struct prom_gauge {
    const char *name;
    const char *help;
    double (*get)(const struct stats_group *g);
} prom_gauges[] = {
    {"signoff_override_ratio",
     "(edited + rejected) / (approved + edited + rejected) in the window.",
     get_rate},
    {"signoff_override_ci95_low_ratio",
     "Override ratio, Wilson 95% interval, lower bound.", get_lo},
    {"signoff_override_ci95_high_ratio",
     "Override ratio, Wilson 95% interval, upper bound.", get_hi},
    {"signoff_active_time_median_seconds",
     "Median active review time per decision.", get_secs},
    {"signoff_edit_words_median", "Median words changed per edit.",
     get_words},
    {"signoff_rubber_stamp_ratio",
     "Approvals faster than 1 s per 40 words / approvals.", get_stamp},
    {"signoff_time_to_decision_p50_seconds",
     "Median time from enqueue to the final decision per task.", get_d50},
    {"signoff_time_to_decision_p95_seconds",
     "95th percentile of the time from enqueue to the final decision.",
     get_d95},
    {"signoff_time_to_action_p50_seconds",
     "Median time from enqueue to the producer's action record.", get_a50},
    {"signoff_time_to_action_p95_seconds",
     "95th percentile of the time from enqueue to the action record.",
     get_a95},
    {"signoff_sla_missed_ratio",
     "Tasks decided after their workflow's SLA / tasks with an SLA.",
     get_sla},
    {"signoff_gold_accuracy_ratio",
     "Answers matching the known one / gold drafts decided (by reviewer).",
     get_gold},
    {"signoff_gold_accuracy_ci95_low_ratio",
     "Gold accuracy, Wilson 95% interval, lower bound.", get_gold_lo},
    {"signoff_gold_accuracy_ci95_high_ratio",
     "Gold accuracy, Wilson 95% interval, upper bound.", get_gold_hi},
    {"signoff_gold_decided", "Gold drafts decided (the accuracy's sample).",
     get_gold_n},
    {"signoff_gold_flagged",
     "1 when the reviewer's gold accuracy is below a workflow's bar with "
     "95% confidence.",
     get_gold_flag},
};

/* Cost per decided task by kind (ai, human, total), labelled with the
 * currency; a group of mixed currencies has none. */
void stats_format_prom_cost(struct buf *out, const char *metric,
                            const char *label, const char *key,
                            const struct stats_cost *c)
{
    const double v[] = {c->ai, c->human, c->total};
    static const char *const kind[] = {"ai", "human", "total"};
    for (size_t k = 0; k < SO_ARRAY_LEN(v); k++) {
        if (v[k] < 0)
            continue;
        buf_addf(out, "%s{", metric);
        escape_prom_label(out, label, key);
        buf_addc(out, ',');
        escape_prom_label(out, "kind", kind[k]);
        buf_addc(out, ',');
        escape_prom_label(out, "currency", c->currency);
        buf_addf(out, "} %.10g\n", v[k]);
    }
}

static void prom_cost(const struct stats_report *rep, struct buf *out)
{
    const char *by = stats_by_name(rep->by);
    prom_head(out, "signoff_cost_per_task",
              "Cost per decided task in the workflow's currency: the AI's "
              "(per task that reported one), reviewing at the hourly rate, "
              "total.");
    for (size_t i = 0; i < rep->ngroups; i++)
        stats_format_prom_cost(out, "signoff_cost_per_task", by,
                               rep->groups[i].key, &rep->groups[i].cost);
}

static void prom_gauges_all(const struct stats_report *rep, struct buf *out)
{
    const char *by = stats_by_name(rep->by);
    for (size_t k = 0; k < SO_ARRAY_LEN(prom_gauges); k++) {
        prom_head(out, prom_gauges[k].name, prom_gauges[k].help);
        for (size_t i = 0; i < rep->ngroups; i++) {
            double v = prom_gauges[k].get(&rep->groups[i]);
            if (v >= 0)
                prom_sample(out, prom_gauges[k].name, by, rep->groups[i].key,
                            NULL, v);
        }
    }
}

static void prom_extras(const struct stats_report *rep, struct buf *out)
{
    prom_head(out, "signoff_reject_reason_ratio",
              "Share of a workflow's rejects with this reason (reason=\"\": "
              "none given).");
    for (size_t i = 0; i < rep->nreasons; i++) {
        buf_adds(out, "signoff_reject_reason_ratio{");
        escape_prom_label(out, "workflow", rep->reasons[i].workflow);
        buf_addc(out, ',');
        escape_prom_label(out, "reason", rep->reasons[i].reason);
        buf_addf(out, "} %.10g\n", rep->reasons[i].share);
    }
    prom_head(out, "signoff_ready_from_confidence_ratio",
              "Lowest confidence from which auto-approval stays under the "
              "threshold (absent: none yet).");
    for (size_t i = 0; i < rep->nready; i++) {
        if (rep->ready[i].band < 0)
            continue;
        buf_adds(out, "signoff_ready_from_confidence_ratio{");
        escape_prom_label(out, "workflow", rep->ready[i].workflow);
        buf_addf(out, "} %.10g\n", rep->ready[i].band / 10.0);
    }
    prom_head(out, "signoff_window_seconds",
              "Length of the window (whole UTC days).");
    buf_addf(out, "signoff_window_seconds %lld\n",
             (long long)rep->ndays * 86400LL);
}

static char *format_prometheus(const struct stats_report *rep)
{
    struct buf out;
    buf_init(&out);
    prom_decisions(rep, &out);
    prom_gauges_all(rep, &out);
    prom_cost(rep, &out);
    prom_extras(rep, &out);
    return buf_steal(&out);
}

char *stats_format_report(const struct stats_report *rep,
                          enum stats_format fmt, int width)
{
    switch (fmt) {
    case STATS_FMT_JSON:
        return format_json(rep);
    case STATS_FMT_CSV:
        return format_csv(rep);
    case STATS_FMT_PROMETHEUS:
        return format_prometheus(rep);
    default:
        return format_table(rep, width);
    }
}

/* ---- --by phase: the automation per workflow ----------------------------- */

static const struct phase_family {
    const char *name;
    const char *help;
} phase_families[] = {
    {"signoff_workflow_automate",
     "1 when the workflow is in automate phase (a policy on and not paused), "
     "0 in augment (every draft reviewed)."},
    {"signoff_automate_decided",
     "Drafts approved automatically at enqueue (reviewer auto) over the "
     "workflow's window."},
    {"signoff_automate_sampled",
     "Eligible drafts sent to people blind (the sample) and decided, over "
     "the window: the error rate's sample size."},
    {"signoff_automate_sampled_overridden",
     "Sampled drafts people edited or rejected over the window (the "
     "automation's measured errors)."},
    {"signoff_automate_sampled_override_ratio",
     "People's override rate on the sampled drafts over the window: the "
     "automation's measured error rate (absent while none is decided)."},
    {"signoff_automate_sampled_override_ci95_low_ratio",
     "Lower bound of the Wilson 95% interval of the sampled override rate."},
    {"signoff_automate_sampled_override_ci95_high_ratio",
     "Upper bound of the Wilson 95% interval of the sampled override rate."},
};

/* Family k's value for r into *v; 0 when it is not defined. */
static int phase_value(const struct stats_phase *r, size_t k, double *v)
{
    switch (k) {
    case 0: *v = r->automate; return 1;
    case 1: *v = (double)r->auto_decided; return 1;
    case 2: *v = (double)r->sampled; return 1;
    case 3: *v = (double)r->sampled_overrides; return 1;
    case 4: *v = r->rate; break;
    case 5: *v = r->lo; break;
    default: *v = r->hi; break;
    }
    return r->rate >= 0;
}

void stats_format_prom_phase(struct buf *out, const struct stats_phase *rows,
                             size_t n)
{
    for (size_t k = 0; k < SO_ARRAY_LEN(phase_families); k++) {
        prom_head(out, phase_families[k].name, phase_families[k].help);
        for (size_t i = 0; i < n; i++) {
            double v;
            if (phase_value(&rows[i], k, &v))
                prom_sample(out, phase_families[k].name, "workflow",
                            rows[i].workflow, NULL, v);
        }
    }
}

static void phase_table(const struct stats_phase *rows, size_t n,
                        struct buf *out)
{
    buf_addf(out, "%-24s %-8s %8s %8s %8s  %s\n", "WORKFLOW", "PHASE", "AUTO",
             "SAMPLED", "OVERRIDE", "95% CI");
    for (size_t i = 0; i < n; i++) {
        const struct stats_phase *r = &rows[i];
        char *name = text_plain(r->workflow, 24, 1);
        char p[16], l[16], h[16];
        stats_format_pct(r->rate, p);
        stats_format_pct(r->lo, l);
        stats_format_pct(r->hi, h);
        buf_addf(out, "%s %-8s %8lld %8lld %8s  ", name, r->phase,
                 (long long)r->auto_decided,
                 (long long)r->sampled, r->rate >= 0 ? p : "-");
        if (r->rate >= 0)
            buf_addf(out, "[%s, %s]\n", l, h);
        else
            buf_adds(out, "-\n");
        free(name);
    }
}

static char *phase_json(const struct stats_phase *rows, size_t n)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "by", "phase");
    cJSON *groups = cJSON_AddArrayToObject(root, "groups");
    for (size_t i = 0; i < n; i++) {
        const struct stats_phase *r = &rows[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(groups, o);
        cJSON_AddStringToObject(o, "workflow", r->workflow);
        cJSON_AddStringToObject(o, "phase", r->phase);
        cJSON_AddNumberToObject(o, "window_days",
                                (double)r->window_ms / STATS_DAY_MS);
        cJSON_AddNumberToObject(o, "auto", (double)r->auto_decided);
        cJSON_AddNumberToObject(o, "sampled", (double)r->sampled);
        cJSON_AddNumberToObject(o, "sampled_overrides",
                                (double)r->sampled_overrides);
        json_num_or_null(o, "override_rate", r->rate);
        json_num_or_null(o, "ci95_low", r->rate >= 0 ? r->lo : -1);
        json_num_or_null(o, "ci95_high", r->rate >= 0 ? r->hi : -1);
    }
    return json_finish(root);
}

static void phase_csv(const struct stats_phase *rows, size_t n, struct buf *out)
{
    buf_adds(out, "workflow,phase,window_days,auto,sampled,sampled_overrides,"
                  "override_rate,ci95_low,ci95_high\r\n");
    for (size_t i = 0; i < n; i++) {
        const struct stats_phase *r = &rows[i];
        escape_csv_name(out, r->workflow);
        buf_addf(out, ",%s,%.10g,%lld,%lld,%lld,", r->phase,
                 (double)r->window_ms / STATS_DAY_MS,
                 (long long)r->auto_decided,
                 (long long)r->sampled,
                 (long long)r->sampled_overrides);
        csv_num(out, r->rate, "%.6f");
        csv_num(out, r->rate >= 0 ? r->lo : -1, "%.6f");
        if (r->rate >= 0)
            buf_addf(out, "%.6f", r->hi);
        buf_adds(out, "\r\n");
    }
}

char *stats_format_phase(const struct stats_phase *rows, size_t n,
                         enum stats_format fmt)
{
    if (fmt == STATS_FMT_JSON)
        return phase_json(rows, n);
    struct buf out;
    buf_init(&out);
    if (fmt == STATS_FMT_CSV)
        phase_csv(rows, n, &out);
    else if (fmt == STATS_FMT_PROMETHEUS)
        stats_format_prom_phase(&out, rows, n);
    else
        phase_table(rows, n, &out);
    return buf_steal(&out);
}

/* ---- the check --------------------------------------------------------- */

static cJSON *json_alert(const struct stats_alert *a)
{
    cJSON *o = cJSON_CreateObject();
    char d[16];
    json_add_string(o, "workflow", a->workflow);
    stats_format_day(a->win.first_day, d);
    cJSON_AddStringToObject(o, "first_day", d);
    cJSON_AddNumberToObject(o, "decided", (double)a->decided);
    cJSON_AddNumberToObject(o, "overrides", (double)a->overrides);
    json_num_or_null(o, "override_rate", a->rate);
    cJSON_AddNumberToObject(o, "threshold", a->threshold);
    cJSON_AddNumberToObject(o, "min_decisions", a->min_decisions);
    cJSON_AddBoolToObject(o, "over", a->over);
    cJSON_AddNumberToObject(o, "unapplied", (double)a->unapplied);
    cJSON_AddNumberToObject(o, "hooks_disabled", (double)a->hooks_disabled);
    cJSON_AddNumberToObject(o, "sla_ms", (double)a->sla_ms);
    cJSON_AddNumberToObject(o, "sla_late", (double)a->sla_late);
    cJSON_AddNumberToObject(o, "sla_total", (double)a->sla_total);
    json_num_or_null(o, "sla_share", a->sla_share);
    cJSON_AddNumberToObject(o, "sla_alert", a->sla_alert);
    cJSON_AddBoolToObject(o, "sla_over", a->sla_over);
    return o;
}

char *stats_format_alerts(const struct stats_alert *alerts, size_t n,
                          enum stats_format fmt, int width)
{
    if (fmt == STATS_FMT_JSON) {
        cJSON *root = cJSON_CreateObject();
        cJSON *over = cJSON_AddArrayToObject(root, "over");
        cJSON *backlog = cJSON_AddArrayToObject(root, "unapplied");
        cJSON *hooks = cJSON_AddArrayToObject(root, "hooks_disabled");
        cJSON *sla = cJSON_AddArrayToObject(root, "sla");
        cJSON *all = cJSON_AddArrayToObject(root, "workflows");
        for (size_t i = 0; i < n; i++) {
            if (alerts[i].over)
                cJSON_AddItemToArray(over,
                                     cJSON_CreateString(alerts[i].workflow));
            if (alerts[i].unapplied > 0)
                cJSON_AddItemToArray(backlog,
                                     cJSON_CreateString(alerts[i].workflow));
            if (alerts[i].hooks_disabled > 0)
                cJSON_AddItemToArray(hooks,
                                     cJSON_CreateString(alerts[i].workflow));
            if (alerts[i].sla_over)
                cJSON_AddItemToArray(sla,
                                     cJSON_CreateString(alerts[i].workflow));
            cJSON_AddItemToArray(all, json_alert(&alerts[i]));
        }
        return json_finish(root);
    }
    struct buf out;
    buf_init(&out);
    for (size_t i = 0; i < n; i++) {
        const struct stats_alert *a = &alerts[i];
        if (a->hooks_disabled > 0) {
            char *w = text_plain(a->workflow, 0, 0);
            buf_addf(&out, "%s: %lld webhook%s disabled after failing too "
                           "many times in a row (signoff hook list)\n",
                     w, (long long)a->hooks_disabled,
                     a->hooks_disabled == 1 ? "" : "s");
            free(w);
        }
        if (a->unapplied > 0) {
            char *w = text_plain(a->workflow, 0, 0);
            char bound[32];
            if (a->applied_within_ms % 1000)
                snprintf(bound, sizeof bound, "%lld ms",
                         (long long)a->applied_within_ms);
            else
                snprintf(bound, sizeof bound, "%lld s",
                         (long long)(a->applied_within_ms / 1000));
            buf_addf(&out, "%s: unapplied backlog: %lld final outcome%s "
                           "released over %s ago with no action record\n",
                     w, (long long)a->unapplied, a->unapplied == 1 ? "" : "s",
                     bound);
            free(w);
        }
        if (a->sla_over) {
            char *w = text_plain(a->workflow, 0, 0);
            char share[16], bound[16], since[16];
            stats_format_pct(a->sla_share, share);
            stats_format_pct(a->sla_alert, bound);
            stats_format_day(a->win.first_day, since);
            buf_addf(&out, "%s: %s of tasks past the SLA > %s (%lld of %lld: "
                           "decided late since %s or open past it now)\n",
                     w, share, bound, (long long)a->sla_late,
                     (long long)a->sla_total, since);
            free(w);
        }
        if (!a->over)
            continue;
        char rate[16], thr[16], since[16];
        stats_format_pct(a->rate, rate);
        stats_format_pct(a->threshold, thr);
        stats_format_day(a->win.first_day, since);
        char *w = text_plain(a->workflow, 0, 0);
        buf_addf(&out, "%s: override rate %s > threshold %s (%lld of %lld "
                       "decided since %s)\n",
                 w, rate, thr, (long long)a->overrides, (long long)a->decided,
                 since);
        free(w);
    }
    struct buf fitted;
    buf_init(&fitted);
    add_wrapped(&fitted, buf_cstr(&out), width);
    buf_free(&out);
    return buf_steal(&fitted);
}
