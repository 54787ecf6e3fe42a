/*
 * stats: the monitor's figures from the rollup cells (see stats.h for the
 * exact definitions). Groups cells by sorting pointers to them on the group
 * key, so a report costs O(cells log cells) whatever the number of
 * decisions behind them. Never scans decisions, never prints.
 */
#define _GNU_SOURCE
#include "signoff/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const by_names[] = {
#define STATS_X_NAME(id, name) name,
    STATS_BY_LIST(STATS_X_NAME)
#undef STATS_X_NAME
};

const char *stats_by_name(enum stats_by by)
{
    return (int)by >= 0 && by < STATS_BY_COUNT ? by_names[by] : "?";
}

int stats_by_from_name(const char *name)
{
    for (int i = 0; name && i < STATS_BY_COUNT; i++)
        if (strcmp(by_names[i], name) == 0)
            return i;
    return -1;
}

static int64_t day_of(int64_t ms)
{
    /* floor division: days before 1970 stay on the right side */
    return ms >= 0 ? ms / STATS_DAY_MS : -((-ms + STATS_DAY_MS - 1) / STATS_DAY_MS);
}

void stats_window_for(int64_t dur_ms, int64_t now_ms, struct stats_window *w)
{
    int64_t days = dur_ms > 0 ? (dur_ms + STATS_DAY_MS - 1) / STATS_DAY_MS : 1;
    w->last_day = day_of(now_ms);
    w->first_day = w->last_day - days + 1;
}

int stats_window_parse(const char *since, int64_t now_ms,
                       struct stats_window *w)
{
    int64_t v;
    if (so_parse_duration_ms(since, &v) == 0) {
        /* a bare 0: no window, and no unit; one reaching back before
         * 1970 (99999999999d) is no window either */
        if (v <= 0 || v > now_ms)
            return -1;
        stats_window_for(v, now_ms, w);
        return 0;
    }
    if (so_parse_date_ms(since, &v) != 0 || day_of(v) > day_of(now_ms))
        return -1;
    w->first_day = day_of(v);
    w->last_day = day_of(now_ms);
    return 0;
}

size_t stats_window_days(const struct stats_window *w)
{
    return w->last_day >= w->first_day
               ? (size_t)(w->last_day - w->first_day + 1)
               : 1;
}

int64_t stats_window_since_ms(const struct stats_window *w)
{
    return w->first_day * STATS_DAY_MS;
}

void stats_wilson(int64_t k, int64_t n, double *lo, double *hi)
{
    if (n <= 0) {
        *lo = *hi = 0.0;
        return;
    }
    const double z = STATS_Z95, z2 = z * z, nn = (double)n;
    const double p = (double)k / nn;
    const double denom = 1.0 + z2 / nn;
    const double centre = (p + z2 / (2.0 * nn)) / denom;
    const double half =
        z * sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn)) / denom;
    *lo = centre - half < 0.0 ? 0.0 : centre - half;
    *hi = centre + half > 1.0 ? 1.0 : centre + half;
}

double stats_hist_median(const int64_t hist[SO_HIST_BUCKETS])
{
    return stats_hist_quantile(hist, 0.5);
}

double stats_hist_quantile(const int64_t hist[SO_HIST_BUCKETS], double q)
{
    int64_t total = 0;
    for (int i = 0; i < SO_HIST_BUCKETS; i++)
        total += hist[i];
    if (total <= 0)
        return -1.0;
    const double half = (double)total * q;
    int64_t below = 0;
    for (int i = 0; i < SO_HIST_BUCKETS; i++) {
        if (hist[i] > 0 && (double)(below + hist[i]) >= half) {
            double lo = (double)so_hist_lo(i);
            double width = (double)(so_hist_lo(i + 1) - so_hist_lo(i));
            return lo + ((half - (double)below) / (double)hist[i]) * width;
        }
        below += hist[i];
    }
    return -1.0;
}

char *stats_sparkline(const int64_t *decided, const int64_t *overrides,
                      size_t ndays)
{
    static const char *const blocks[] = {"▁", "▂", "▃", "▄",
                                         "▅", "▆", "▇", "█"};
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < ndays; i++) {
        if (decided[i] <= 0) {
            buf_adds(&b, "·");
            continue;
        }
        int level = (int)((double)overrides[i] / (double)decided[i] * 8.0);
        buf_adds(&b, blocks[level > 7 ? 7 : level < 0 ? 0 : level]);
    }
    return buf_steal(&b);
}

/* ---- grouping -------------------------------------------------------- */

static const char *nz(const char *s)
{
    return s ? s : "";
}

static int cell_cmp_by(enum stats_by by, const struct so_rollup_row *a,
                       const struct so_rollup_row *b)
{
    switch (by) {
    case STATS_BY_MODEL:
        return strcmp(nz(a->model), nz(b->model));
    case STATS_BY_REVIEWER:
        return strcmp(nz(a->reviewer), nz(b->reviewer));
    case STATS_BY_DAY:
        return (a->day > b->day) - (a->day < b->day);
    case STATS_BY_BAND:
        return (a->band > b->band) - (a->band < b->band);
    default:
        return strcmp(nz(a->workflow), nz(b->workflow));
    }
}

/* qsort_r comparator; ctx points at the enum stats_by to sort on. */
static int cell_cmp(const void *pa, const void *pb, void *ctx)
{
    const struct so_rollup_row *a = *(const struct so_rollup_row *const *)pa;
    const struct so_rollup_row *b = *(const struct so_rollup_row *const *)pb;
    return cell_cmp_by(*(const enum stats_by *)ctx, a, b);
}

static void cells_sort(const struct so_rollup_row **cells, size_t n,
                       enum stats_by by)
{
    qsort_r(cells, n, sizeof *cells, cell_cmp, &by);
}

static char *group_key(enum stats_by by, const struct so_rollup_row *c,
                       int64_t *num)
{
    *num = by == STATS_BY_DAY ? c->day : by == STATS_BY_BAND ? c->band : 0;
    switch (by) {
    case STATS_BY_MODEL:
        return c->model && *c->model ? xstrdup(c->model) : NULL;
    case STATS_BY_REVIEWER:
        return xstrdup(nz(c->reviewer));
    case STATS_BY_DAY: {
        time_t t = (time_t)(c->day * 86400);
        struct tm tm;
        char s[16];
        gmtime_r(&t, &tm);
        strftime(s, sizeof s, "%Y-%m-%d", &tm);
        return xstrdup(s);
    }
    case STATS_BY_BAND:
        if (c->band < 0 || c->band >= STATS_NBANDS)
            return NULL;
        return xasprintf("%.1f-%.1f", c->band / 10.0, (c->band + 1) / 10.0);
    default:
        return xstrdup(nz(c->workflow));
    }
}

static const struct so_workflow *find_wf(const struct so_workflow *wfs,
                                         size_t n, const char *name)
{
    for (size_t i = 0; name && i < n; i++)
        if (wfs[i].name && strcmp(wfs[i].name, name) == 0)
            return &wfs[i];
    return NULL;
}

static int wf_min(const struct so_workflow *wf)
{
    return wf && wf->min_decisions > 0 ? wf->min_decisions
                                       : STATS_DEFAULT_MIN_DECISIONS;
}

static double wf_threshold(const struct so_workflow *wf)
{
    return wf && wf->threshold > 0 ? wf->threshold : STATS_DEFAULT_THRESHOLD;
}

static void counts_add(struct stats_counts *c, const struct so_rollup_row *r)
{
    c->approved += r->approved;
    c->edited += r->edited;
    c->rejected += r->rejected;
    c->escalated += r->escalated;
    c->fast_approvals += r->fast_approvals;
    for (int i = 0; i < SO_HIST_BUCKETS; i++) {
        c->time_hist[i] += r->time_hist[i];
        c->edit_hist[i] += r->edit_hist[i];
        c->decision_hist[i] += r->decision_hist[i];
        c->action_hist[i] += r->action_hist[i];
    }
#define STATS_X_ADD(f) c->f += r->f;
    SO_ROLLUP_COST_LIST(STATS_X_ADD)
#undef STATS_X_ADD
}

static double per(int64_t sum, int64_t n, double scale)
{
    return n > 0 ? (double)sum / (double)n / scale : -1.0;
}

void stats_cost_of(const struct stats_counts *c, const char *cur,
                   struct stats_cost *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->currency, sizeof out->currency, "%s", cur ? cur : "");
    out->tasks = c->approved + c->edited + c->rejected;
    /* no cost reported and no reviewing rate: no cost figures at all */
    int unknown = strcmp(out->currency, "mixed") == 0 ||
                  (c->ai_cost_n == 0 && c->human_cost == 0);
    out->ai = unknown ? -1.0 : per(c->ai_cost, c->ai_cost_n, 1e6);
    out->human = unknown ? -1.0 : per(c->human_cost, out->tasks, 1e6);
    out->total = out->human < 0 ? -1.0
                                : out->human + (out->ai > 0 ? out->ai : 0);
    out->tokens = per(c->tokens, c->tokens_n, 1);
    out->gen_ms = per(c->gen_ms, c->gen_n, 1);
    out->decision_p50_ms = stats_hist_quantile(c->decision_hist, 0.5);
    out->decision_p95_ms = stats_hist_quantile(c->decision_hist, 0.95);
    out->action_p50_ms = stats_hist_quantile(c->action_hist, 0.5);
    out->action_p95_ms = stats_hist_quantile(c->action_hist, 0.95);
    out->acted = c->acted;
    out->sla_n = c->sla_n;
    out->sla_missed = c->sla_missed;
    out->sla_missed_share = per(c->sla_missed, c->sla_n, 1);
}

/* The currency of a cell's workflow. */
static const char *wf_currency(const struct so_workflow *wf)
{
    return wf && wf->currency[0] ? wf->currency : SO_DEFAULT_CURRENCY;
}

/* Fold cur into a group's currency: the first one, or "mixed". */
static void currency_merge(char have[8], const char *cur)
{
    if (!have[0])
        snprintf(have, 8, "%s", cur);
    else if (strcmp(have, cur) != 0)
        snprintf(have, 8, "mixed");
}

static void group_finish(struct stats_group *g)
{
    g->decided = g->c.approved + g->c.edited + g->c.rejected;
    g->overrides = g->c.edited + g->c.rejected;
    g->rate = g->decided ? (double)g->overrides / (double)g->decided : -1.0;
    stats_wilson(g->overrides, g->decided, &g->lo, &g->hi);
    if (!g->decided)
        g->lo = g->hi = -1.0;
    g->median_ms = stats_hist_median(g->c.time_hist);
    g->median_words = stats_hist_median(g->c.edit_hist);
    g->rubber_stamp = g->c.approved ? (double)g->c.fast_approvals /
                                          (double)g->c.approved
                                    : -1.0;
    g->meaningful = g->decided >= g->min_decisions;
}

static int in_window(const struct so_rollup_row *c,
                     const struct stats_window *w, const char *workflow)
{
    return c->day >= w->first_day && c->day <= w->last_day &&
           (!workflow || strcmp(nz(c->workflow), workflow) == 0);
}

/* Sorted pointers to the cells of r inside w (caller frees). */
static const struct so_rollup_row **
cells_sorted(const struct so_rollup *r, enum stats_by by,
             const struct stats_window *w, const char *workflow, size_t *n)
{
    const struct so_rollup_row **cells =
        xcalloc(r->n ? r->n : 1, sizeof *cells);
    *n = 0;
    for (size_t i = 0; i < r->n; i++)
        if (in_window(&r->rows[i], w, workflow))
            cells[(*n)++] = &r->rows[i];
    cells_sort(cells, *n, by);
    return cells;
}

static void build_groups(struct stats_report *out,
                         const struct so_rollup_row **cells, size_t n,
                         const struct so_workflow *wfs, size_t nwfs)
{
    out->groups = xcalloc(n ? n : 1, sizeof *out->groups);
    struct stats_group *g = NULL;
    for (size_t i = 0; i < n; i++) {
        const struct so_rollup_row *c = cells[i];
        if (!g || cell_cmp_by(out->by, cells[i - 1], c) != 0) {
            g = &out->groups[out->ngroups++];
            g->key = group_key(out->by, c, &g->num);
            const struct so_workflow *wf =
                out->by == STATS_BY_WORKFLOW
                    ? find_wf(wfs, nwfs, c->workflow)
                    : NULL;
            g->unapplied = wf && wf->records_actions ? wf->unapplied : -1;
            /* a row of --by day is one day: no series (and no days x days
             * arrays over a long window) */
            if (out->by != STATS_BY_DAY) {
                g->day_decided = xcalloc(out->ndays, sizeof *g->day_decided);
                g->day_overrides =
                    xcalloc(out->ndays, sizeof *g->day_overrides);
            }
        }
        counts_add(&g->c, c);
        currency_merge(g->cost.currency,
                       wf_currency(find_wf(wfs, nwfs, c->workflow)));
        int m = wf_min(find_wf(wfs, nwfs, c->workflow));
        g->min_decisions = m > g->min_decisions ? m : g->min_decisions;
        if (g->day_decided) {
            size_t d = (size_t)(c->day - out->win.first_day);
            g->day_decided[d] += c->approved + c->edited + c->rejected;
            g->day_overrides[d] += c->edited + c->rejected;
        }
    }
    for (size_t i = 0; i < out->ngroups; i++) {
        char cur[8];
        memcpy(cur, out->groups[i].cost.currency, sizeof cur);
        group_finish(&out->groups[i]);
        stats_cost_of(&out->groups[i].c, cur, &out->groups[i].cost);
    }
}

/* ---- readiness --------------------------------------------------------- */

int stats_ready(int64_t decided, int64_t overrides, double threshold,
                int min_decisions, double *hi)
{
    double share, lo;
    stats_share(overrides, decided, &share, &lo, hi);
    return decided > 0 && decided >= min_decisions && *hi < threshold;
}

/* The lowest band b with decisions of its own whose pooled decisions
 * b..9 pass stats_ready (the same rule as the policy's, on the rollup's
 * bands of 0.1); a band nobody decided in has no evidence for its drafts,
 * so it is never named. */
static void readiness_finish(struct stats_readiness *rd)
{
    rd->band = -1;
    for (int b = 0; b < STATS_NBANDS; b++) {
        if (rd->band_decided[b] == 0)
            continue;
        int64_t n = 0, k = 0;
        for (int j = b; j < STATS_NBANDS; j++) {
            n += rd->band_decided[j];
            k += rd->band_overrides[j];
        }
        double hi;
        if (stats_ready(n, k, rd->threshold, rd->min_decisions, &hi)) {
            rd->band = b;
            rd->decided = n;
            rd->rate = (double)k / (double)n;
            rd->hi = hi;
            return;
        }
    }
}

static void build_readiness(struct stats_report *out,
                            const struct so_rollup_row **cells, size_t n,
                            const struct so_workflow *wfs, size_t nwfs)
{
    /* cells are sorted by workflow here */
    out->ready = xcalloc(n ? n : 1, sizeof *out->ready);
    struct stats_readiness *rd = NULL;
    for (size_t i = 0; i < n; i++) {
        const struct so_rollup_row *c = cells[i];
        if (!rd || strcmp(rd->workflow, nz(c->workflow)) != 0) {
            const struct so_workflow *wf = find_wf(wfs, nwfs, c->workflow);
            rd = &out->ready[out->nready++];
            rd->workflow = xstrdup(nz(c->workflow));
            rd->threshold = wf_threshold(wf);
            rd->min_decisions = wf_min(wf);
        }
        if (c->band < 0 || c->band >= STATS_NBANDS)
            continue;
        rd->band_decided[c->band] += c->approved + c->edited + c->rejected;
        rd->band_overrides[c->band] += c->edited + c->rejected;
    }
    for (size_t i = 0; i < out->nready; i++)
        readiness_finish(&out->ready[i]);
}

/* ---- reject reasons ---------------------------------------------------- */

static int reason_cmp(const void *pa, const void *pb)
{
    const struct stats_reason *a = pa, *b = pb;
    int c = strcmp(a->workflow, b->workflow);
    if (c)
        return c;
    if (a->count != b->count)
        return a->count < b->count ? 1 : -1;
    return strcmp(nz(a->reason), nz(b->reason));
}

static void build_reasons(struct stats_report *out, const struct so_rollup *r,
                          const char *workflow)
{
    out->reasons = xcalloc(r->nreasons ? r->nreasons : 1, sizeof *out->reasons);
    for (size_t i = 0; i < r->nreasons; i++) {
        const struct so_reason_count *rc = &r->reasons[i];
        if (rc->count <= 0 ||
            (workflow && strcmp(nz(rc->workflow), workflow) != 0))
            continue;
        struct stats_reason *s = &out->reasons[out->nreasons++];
        s->workflow = xstrdup(nz(rc->workflow));
        s->reason = rc->reason && *rc->reason ? xstrdup(rc->reason) : NULL;
        s->count = rc->count;
    }
    qsort(out->reasons, out->nreasons, sizeof *out->reasons, reason_cmp);
    for (size_t i = 0; i < out->nreasons;) {
        size_t j = i;
        int64_t total = 0;
        while (j < out->nreasons &&
               strcmp(out->reasons[j].workflow, out->reasons[i].workflow) == 0)
            total += out->reasons[j++].count;
        for (; i < j; i++)
            out->reasons[i].share =
                (double)out->reasons[i].count / (double)total;
    }
}

unsigned stats_rollup_fold(enum stats_by by)
{
    switch (by) {
    case STATS_BY_MODEL:
        return SO_FOLD_REVIEWER;
    case STATS_BY_REVIEWER:
        return SO_FOLD_MODEL;
    default:
        return SO_FOLD_MODEL | SO_FOLD_REVIEWER;
    }
}

void stats_cost_for(const struct so_rollup *r, const struct so_workflow *wfs,
                    size_t nwfs, const char *workflow, const char *model,
                    const struct stats_window *w, struct stats_cost *out)
{
    struct stats_counts c;
    char cur[8] = "";
    memset(&c, 0, sizeof c);
    for (size_t i = 0; i < r->n; i++) {
        const struct so_rollup_row *row = &r->rows[i];
        if (!in_window(row, w, workflow) ||
            (model && strcmp(nz(row->model), model) != 0))
            continue;
        counts_add(&c, row);
        currency_merge(cur, wf_currency(find_wf(wfs, nwfs, row->workflow)));
    }
    stats_cost_of(&c, cur, out);
}

/* ---- gold accuracy ------------------------------------------------------ */

void stats_share(int64_t k, int64_t n, double *share, double *lo,
                 double *hi)
{
    if (n <= 0) {
        *share = *lo = *hi = -1;
        return;
    }
    *share = (double)k / (double)n;
    stats_wilson(k, n, lo, hi);
}

void stats_gold_finish(struct gold_accuracy *a)
{
    stats_share(a->correct, a->decided, &a->acc, &a->lo, &a->hi);
}

int stats_gold_flagged(const struct gold_accuracy *a, double bar)
{
    return a->decided > 0 && a->hi < bar;
}

static int group_key_cmp(const void *pa, const void *pb)
{
    const struct stats_group *a = pa, *b = pb;
    return strcmp(nz(a->key), nz(b->key));
}

/* The group of reviewer, made (empty) when the reviewer decided only gold
 * drafts in the range. */
static struct stats_group *reviewer_group(struct stats_report *out,
                                          const char *reviewer, int *added)
{
    for (size_t i = 0; i < out->ngroups; i++)
        if (strcmp(nz(out->groups[i].key), reviewer) == 0)
            return &out->groups[i];
    out->groups =
        xrealloc(out->groups, (out->ngroups + 1) * sizeof *out->groups);
    struct stats_group *g = &out->groups[out->ngroups++];
    memset(g, 0, sizeof *g);
    g->key = xstrdup(reviewer);
    g->day_decided = xcalloc(out->ndays, sizeof *g->day_decided);
    g->day_overrides = xcalloc(out->ndays, sizeof *g->day_overrides);
    group_finish(g);
    *added = 1;
    return g;
}

/* --by reviewer: each reviewer's gold answers, flagged by the bar of each
 * workflow they answered in. */
static void build_gold(struct stats_report *out, const struct so_rollup *r,
                       const struct so_workflow *wfs, size_t nwfs,
                       const char *workflow)
{
    int added = 0;
    for (size_t i = 0; out->by == STATS_BY_REVIEWER && i < r->ngolds; i++) {
        const struct so_gold_count *c = &r->golds[i];
        if (workflow && strcmp(nz(c->workflow), workflow) != 0)
            continue;
        struct stats_group *g = reviewer_group(out, nz(c->reviewer), &added);
        g->gold.decided += c->decided;
        g->gold.correct += c->correct;
        const struct so_workflow *wf = find_wf(wfs, nwfs, c->workflow);
        struct gold_accuracy one = {c->decided, c->correct, 0, 0, 0};
        stats_gold_finish(&one);
        if (stats_gold_flagged(&one, wf ? wf->gold_bar : GOLD_DEFAULT_BAR))
            g->gold_flagged = 1;
    }
    for (size_t i = 0; i < out->ngroups; i++)
        stats_gold_finish(&out->groups[i].gold);
    if (added)
        qsort(out->groups, out->ngroups, sizeof *out->groups, group_key_cmp);
}

void stats_compute(const struct so_rollup *r, enum stats_by by,
                   const struct stats_window *w, const struct so_workflow *wfs,
                   size_t nwfs, const char *workflow,
                   struct stats_report *out)
{
    memset(out, 0, sizeof *out);
    out->by = by;
    out->win = *w;
    out->ndays = stats_window_days(w);
    size_t n;
    const struct so_rollup_row **cells = cells_sorted(r, by, w, workflow, &n);
    build_groups(out, cells, n, wfs, nwfs);
    if (by != STATS_BY_WORKFLOW)
        cells_sort(cells, n, STATS_BY_WORKFLOW);
    build_readiness(out, cells, n, wfs, nwfs);
    build_reasons(out, r, workflow);
    build_gold(out, r, wfs, nwfs, workflow);
    free(cells);
}

void stats_report_free(struct stats_report *rep)
{
    if (!rep)
        return;
    for (size_t i = 0; i < rep->ngroups; i++) {
        free(rep->groups[i].key);
        free(rep->groups[i].day_decided);
        free(rep->groups[i].day_overrides);
    }
    free(rep->groups);
    for (size_t i = 0; i < rep->nreasons; i++) {
        free(rep->reasons[i].workflow);
        free(rep->reasons[i].reason);
    }
    free(rep->reasons);
    for (size_t i = 0; i < rep->nready; i++)
        free(rep->ready[i].workflow);
    free(rep->ready);
    memset(rep, 0, sizeof *rep);
}

/* ---- the threshold check ------------------------------------------------- */

static int64_t wf_window(const struct so_workflow *wf)
{
    return wf->window_ms > 0 ? wf->window_ms : STATS_DEFAULT_WINDOW_MS;
}

int64_t stats_alert_since_ms(const struct so_workflow *wfs, size_t n,
                             int64_t now_ms)
{
    int64_t first = day_of(now_ms);
    for (size_t i = 0; i < n; i++) {
        struct stats_window w;
        stats_window_for(wf_window(&wfs[i]), now_ms, &w);
        if (w.first_day < first)
            first = w.first_day;
    }
    return first * STATS_DAY_MS;
}

/* The service-level part of the alert figure (see struct stats_alert). */
static void sla_alert_for(const struct so_rollup *r,
                          const struct so_workflow *wf,
                          struct stats_alert *out)
{
    out->sla_ms = wf->sla_ms;
    out->sla_alert = wf->sla_alert;
    out->sla_share = -1.0;
    if (wf->sla_ms <= 0)
        return;
    for (size_t i = 0; i < r->n; i++) {
        const struct so_rollup_row *c = &r->rows[i];
        if (!in_window(c, &out->win, nz(wf->name)))
            continue;
        out->sla_late += c->sla_missed;
        out->sla_total += c->sla_n;
    }
    out->sla_late += wf->sla_open_past;
    out->sla_total += wf->sla_open_past;
    if (out->sla_total > 0)
        out->sla_share = (double)out->sla_late / (double)out->sla_total;
    out->sla_over = out->sla_share > wf->sla_alert;
}

void stats_alert_for(const struct so_rollup *r, const struct so_workflow *wf,
                     int64_t now_ms, struct stats_alert *out)
{
    memset(out, 0, sizeof *out);
    out->workflow = wf->name;
    out->window_ms = wf_window(wf);
    out->threshold = wf_threshold(wf);
    out->min_decisions = wf_min(wf);
    stats_window_for(out->window_ms, now_ms, &out->win);
    for (size_t i = 0; i < r->n; i++) {
        const struct so_rollup_row *c = &r->rows[i];
        if (!in_window(c, &out->win, nz(wf->name)))
            continue;
        out->decided += c->approved + c->edited + c->rejected;
        out->overrides += c->edited + c->rejected;
    }
    out->rate = out->decided ? (double)out->overrides / (double)out->decided
                             : -1.0;
    stats_wilson(out->overrides, out->decided, &out->lo, &out->hi);
    out->over = out->decided >= out->min_decisions &&
                out->rate > out->threshold;
    out->unapplied = wf->unapplied;
    out->applied_within_ms = wf->applied_within_ms;
    out->hooks_disabled = wf->hooks_disabled;
    sla_alert_for(r, wf, out);
}
