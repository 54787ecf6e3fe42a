/*
 * ui_monitor: the override-rate monitor screen. One rollup read covers the
 * last 30 days and every workflow's own alert window; every figure on the
 * screen is computed from it by stats.c, so the screen never scans
 * decisions. The data is read again on entering, every MONITOR_REFRESH_MS
 * and after the switch is flipped. Draws only through ui_draw.
 */
#include "signoff/ui/monitor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/automate.h"
#include "signoff/stats.h"
#include "signoff/stats_format.h"
#include "signoff/ui/agree.h"
#include "signoff/ui/draw.h"
#include "signoff/ui/prompt.h"

#define MONITOR_DAYS 30
#define MONITOR_REFRESH_MS 10000
/* From this width the two detail tables sit side by side. */
#define MONITOR_SIDE_BY_SIDE 110

struct monitor_view {
    struct so_workflow *wfs; /* from workflow_list */
    size_t nwfs;
    struct stats_alert *alerts; /* alerts[i] for wfs[i] */
    struct so_rollup rollup;    /* 30 days and every alert window */
    struct stats_window win;    /* the last MONITOR_DAYS days */
    struct stats_report by_wf;  /* all workflows over win (sparklines) */
    struct stats_report by_rev; /* the selected workflow over win */
    struct stats_report by_band;
    struct stats_report by_model;
    struct agreement_summary agree; /* four-eyes, same days as rollup */
    size_t sel, top;
    int dtop;          /* first line of the details shown (narrow: they
                          scroll with Space, -, g, G) */
    int dlines, dview; /* the details' lines, and how many show */
    size_t wf_below;   /* workflows below the table's last row */
    int64_t loaded_at; /* mono ms; 0: never */
    int64_t load_ms;   /* how long the last read took */
    int64_t down_since; /* wall ms of the first failed read; 0: answers */
    int64_t good_at;    /* wall ms of the last read that answered */
};

/* Enter (KA_OPEN) flips the switch; the legend line says so. */
static const enum keys_action monitor_hints[] = {
    KA_BACK, KA_DOWN, KA_UP, KA_PAGE_DOWN, KA_MINE, KA_HELP, KA_NONE};

static const enum keys_action monitor_keys[] = {
    KA_DOWN, KA_UP,     KA_PAGE_DOWN, KA_PAGE_UP,
    KA_TOP,  KA_BOTTOM, KA_OPEN,      KA_BACK,    KA_NONE};

static void *monitor_open(struct ui_app *app)
{
    (void)app;
    return xcalloc(1, sizeof(struct monitor_view));
}

static void data_clear(struct monitor_view *v)
{
    for (size_t i = 0; i < v->nwfs; i++)
        so_workflow_clear(&v->wfs[i]);
    free(v->wfs);
    free(v->alerts);
    so_rollup_free(&v->rollup);
    stats_report_free(&v->by_wf);
    stats_report_free(&v->by_rev);
    stats_report_free(&v->by_band);
    stats_report_free(&v->by_model);
    agreement_summary_free(&v->agree);
    v->wfs = NULL;
    v->alerts = NULL;
    v->nwfs = 0;
}

static void monitor_close(void *state)
{
    data_clear(state);
    free(state);
}

/* The detail reports of the selected workflow. */
static void select_details(struct monitor_view *v)
{
    stats_report_free(&v->by_rev);
    stats_report_free(&v->by_band);
    stats_report_free(&v->by_model);
    if (v->sel >= v->nwfs)
        return;
    const char *name = v->wfs[v->sel].name;
    stats_compute(&v->rollup, STATS_BY_REVIEWER, &v->win, v->wfs, v->nwfs,
                  name, &v->by_rev);
    stats_compute(&v->rollup, STATS_BY_BAND, &v->win, v->wfs, v->nwfs, name,
                  &v->by_band);
    stats_compute(&v->rollup, STATS_BY_MODEL, &v->win, v->wfs, v->nwfs, name,
                  &v->by_model);
}

/* Read the workflows and the rollup and compute every figure; 0 when the
 * queue did not answer. */
static int load(struct ui_app *app, struct monitor_view *v)
{
    struct queue *q = app->q;
    struct so_error err;
    int64_t now = so_now_ms();
    so_error_clear(&err);
    stats_window_for(MONITOR_DAYS * STATS_DAY_MS, now, &v->win);
    if (q->ops->workflow_list(q, &v->wfs, &v->nwfs, &err) != SO_OK) {
        ui_app_message(app, 1, "monitor: %s", err.msg);
        return 0;
    }
    int64_t since = stats_alert_since_ms(v->wfs, v->nwfs, now);
    struct so_stats_req req = {.since_ms = stats_window_since_ms(&v->win)};
    if (since < req.since_ms)
        req.since_ms = since;
    if (q->ops->rollup(q, &req, &v->rollup, &err) != SO_OK) {
        ui_app_message(app, 1, "monitor: %s", err.msg);
        data_clear(v); /* no figures: show no workflow rather than zeros */
        return 0;
    }
    struct so_agreement ag = {0};
    if (q->ops->agreement && q->ops->agreement(q, &req, &ag, &err) == SO_OK)
        agreement_summarise(&ag, &v->agree);
    agreement_free(&ag);
    v->alerts = xcalloc(v->nwfs ? v->nwfs : 1, sizeof *v->alerts);
    for (size_t i = 0; i < v->nwfs; i++)
        stats_alert_for(&v->rollup, &v->wfs[i], now, &v->alerts[i]);
    stats_compute(&v->rollup, STATS_BY_WORKFLOW, &v->win, v->wfs, v->nwfs,
                  NULL, &v->by_wf);
    if (v->sel >= v->nwfs)
        v->sel = v->nwfs ? v->nwfs - 1 : 0;
    select_details(v);
    return 1;
}

/* Read the figures again, timing the read. When the queue does not answer
 * the last figures stay, and the screen says since when they are old. */
static void reload(struct ui_app *app, struct monitor_view *v)
{
    struct monitor_view n = *v;
    n.wfs = NULL;
    n.nwfs = 0;
    n.alerts = NULL;
    memset(&n.rollup, 0, sizeof n.rollup);
    memset(&n.by_wf, 0, sizeof n.by_wf);
    memset(&n.by_rev, 0, sizeof n.by_rev);
    memset(&n.by_band, 0, sizeof n.by_band);
    memset(&n.by_model, 0, sizeof n.by_model);
    memset(&n.agree, 0, sizeof n.agree);
    int64_t start = so_mono_ms();
    if (load(app, &n)) {
        data_clear(v);
        *v = n;
        v->down_since = 0;
        v->good_at = so_now_ms();
    } else {
        data_clear(&n);
        if (!v->down_since)
            v->down_since = so_now_ms();
    }
    v->loaded_at = start;
    v->load_ms = so_mono_ms() - start;
}

static void monitor_enter(struct ui_app *app, void *state)
{
    reload(app, state);
}

static enum ui_next monitor_tick(struct ui_app *app, void *state)
{
    struct monitor_view *v = state;
    /* a slow read (a huge rollup, a far server) is repeated less often,
     * so the screen stays responsive between keys */
    int64_t every = v->load_ms * 20 > MONITOR_REFRESH_MS ? v->load_ms * 20
                                                         : MONITOR_REFRESH_MS;
    if (so_mono_ms() - v->loaded_at < every)
        return UI_STAY;
    reload(app, v);
    return UI_REDRAW;
}

/* ---- drawing ----------------------------------------------------------- */

static const struct stats_group *group_of(const struct stats_report *r,
                                          const char *key)
{
    for (size_t i = 0; i < r->ngroups; i++)
        if (strcmp(r->groups[i].key, key) == 0)
            return &r->groups[i];
    return NULL;
}

/* Column layout of the workflow table for the body width. */
struct wf_cols {
    int name, rate, ci, thr, n, owner, state, spark;
};

static struct wf_cols wf_layout(int cols)
{
    /* 2 + 11 + 7 + 5 + 5 + 8 + 6 + 6 gaps = 50: the sparkline fills 80 */
    struct wf_cols c = {11, 7, 0, 5, 5, 8, 6, MONITOR_DAYS};
    if (cols >= 120) {
        c.name = 22;
        c.ci = 15;
        c.thr = 6;
        c.owner = 14;
    }
    return c;
}

static void draw_wf_header(struct ui_app *app, const struct wf_cols *c)
{
    WINDOW *w = app->body;
    int x = 2;
    ui_draw_text(w, 0, x, c->name, "WORKFLOW", TR_LABEL);
    x += c->name + 1;
    ui_draw_text(w, 0, x, c->rate, "  RATE", TR_LABEL);
    x += c->rate + 1;
    if (c->ci) {
        ui_draw_text(w, 0, x, c->ci, "95% CI", TR_LABEL);
        x += c->ci + 1;
    }
    ui_draw_text(w, 0, x, c->thr, "LIMIT", TR_LABEL);
    x += c->thr + 1;
    ui_draw_text(w, 0, x, c->n, "    N", TR_LABEL);
    x += c->n + 1;
    ui_draw_text(w, 0, x, c->owner, "OWNER", TR_LABEL);
    x += c->owner + 1;
    ui_draw_text(w, 0, x, c->state, "PHASE", TR_LABEL);
    x += c->state + 1;
    ui_draw_text(w, 0, x, c->spark, "LAST 30 DAYS", TR_LABEL);
}

/* The top of a chart of g's daily rates: the highest day or 1.5 x the
 * threshold, whichever is higher (a 5-30% workflow does not draw flat
 * against 100%), at most 100%. */
static double chart_top(const struct stats_group *g, double thr)
{
    double top = thr * 1.5;
    for (int d = 0; d < MONITOR_DAYS; d++)
        if (g->day_decided[d] &&
            (double)g->day_overrides[d] / (double)g->day_decided[d] > top)
            top = (double)g->day_overrides[d] / (double)g->day_decided[d];
    return top > 1.0 || top <= 0 ? 1.0 : top;
}

/* A sparkline of g's daily override rate, one cell a day, scaled to
 * chart_top; a day over the threshold is drawn in the alert colour (the
 * threshold's mark), a day without decisions as a dot. */
static void draw_spark(struct ui_app *app, const struct stats_group *g,
                       double thr, int y, int x, int width, int cur)
{
    static const char *const eighths[] = {"▁", "▂", "▃", "▄",
                                          "▅", "▆", "▇", "█"};
    double top = chart_top(g, thr);
    for (int d = 0; d < MONITOR_DAYS && d < width; d++) {
        if (!g->day_decided[d]) {
            ui_draw_text(app->body, y, x + d, 1, "·",
                         cur ? TR_CURSOR : TR_LABEL);
            continue;
        }
        double rate = (double)g->day_overrides[d] / (double)g->day_decided[d];
        int e = (int)(rate / top * 8.0);
        e = e < 0 ? 0 : e > 7 ? 7 : e;
        ui_draw_text(app->body, y, x + d, 1, eighths[e],
                     rate > thr ? TR_MONITOR_OVER
                     : cur      ? TR_CURSOR
                                : TR_MONITOR_SPARK);
    }
}

static void draw_wf_row(struct ui_app *app, struct monitor_view *v, size_t i,
                        int y, const struct wf_cols *c)
{
    WINDOW *w = app->body;
    const struct so_workflow *wf = &v->wfs[i];
    const struct stats_alert *a = &v->alerts[i];
    /* Every figure of the row over the screen's one window (the last 30
     * days), as the tables below: g, not the workflow's alert window. */
    const struct stats_group *g = group_of(&v->by_wf, wf->name);
    struct stats_group none_g = {.rate = -1, .lo = -1, .hi = -1};
    const struct stats_group *r = g ? g : &none_g;
    int over = r->decided && r->rate > a->threshold;
    int cur = i == v->sel;
    enum theme_role base = cur ? TR_CURSOR : TR_NORMAL;
    char rate[24], lo[16], thr[16], n[16];
    if (cur)
        ui_draw_fill(w, y, TR_CURSOR);
    ui_draw_text(w, y, 0, 2, cur ? "> " : "  ", base);
    int x = 2;
    ui_draw_text(w, y, x, c->name, wf->name, base);
    x += c->name + 1;
    stats_format_pct(r->rate, lo);
    snprintf(rate, sizeof rate, "%6s%s", lo,
             r->decided && !r->meaningful ? "*" : " ");
    ui_draw_text(w, y, x, c->rate, rate,
                 over ? TR_MONITOR_OVER : cur ? base : TR_MONITOR_OK);
    x += c->rate + 1;
    if (c->ci) {
        char hi[16], ci[40];
        stats_format_pct(r->lo, lo);
        stats_format_pct(r->hi, hi);
        if (r->decided)
            snprintf(ci, sizeof ci, "[%s, %s]", lo, hi);
        else
            snprintf(ci, sizeof ci, "-");
        ui_draw_text(w, y, x, c->ci, ci, base);
        x += c->ci + 1;
    }
    stats_format_pct(a->threshold, thr);
    snprintf(rate, sizeof rate, "%*s", c->thr, thr);
    ui_draw_text(w, y, x, c->thr, rate, base);
    x += c->thr + 1;
    snprintf(n, sizeof n, "%5lld", (long long)r->decided);
    ui_draw_text(w, y, x, c->n, n, base);
    x += c->n + 1;
    ui_draw_text(w, y, x, c->owner, wf->owner && *wf->owner ? wf->owner : "-",
                 base);
    x += c->owner + 1;
    /* the kill switch first; else the phase (automate.h) */
    ui_draw_text(w, y, x, c->state,
                 wf->automation_paused ? "PAUSED"
                 : automate_active(wf) ? "autom"
                                       : "augm",
                 wf->automation_paused ? TR_MONITOR_PAUSED : base);
    x += c->state + 1;
    if (g)
        draw_spark(app, g, a->threshold, y, x,
                   app->cols - x < c->spark ? app->cols - x : c->spark, cur);
}

/* The workflow table from line 0; returns the first line after it. */
static int draw_workflows(struct ui_app *app, struct monitor_view *v,
                          int max_rows)
{
    struct wf_cols c = wf_layout(app->cols);
    draw_wf_header(app, &c);
    if (v->nwfs == 0) {
        ui_draw_text(app->body, 1, 2, app->cols - 2,
                     "No workflows yet: they appear with their first draft.",
                     TR_NORMAL);
        return 2;
    }
    size_t rows = (size_t)(max_rows > 1 ? max_rows : 1);
    if (v->sel < v->top)
        v->top = v->sel;
    if (v->sel >= v->top + rows)
        v->top = v->sel - rows + 1;
    int y = 1;
    for (size_t i = v->top; i < v->nwfs && i < v->top + rows; i++)
        draw_wf_row(app, v, i, y++, &c);
    v->wf_below = v->nwfs > v->top + rows ? v->nwfs - (v->top + rows) : 0;
    return y;
}

/* Append item to the line b when it fits in cols (b drawn from column
 * indent) beside the count of the after entries left ("; +2 more", sep
 * before it): a line keeps whole entries, never one cut mid-word. The
 * first entry goes in whatever its width when first is set. 1 when
 * appended. */
static int line_add_whole(struct buf *b, const char *item, size_t after,
                          const char *sep, int indent, int cols, int first)
{
    char more[32] = "";
    if (after)
        snprintf(more, sizeof more, "%s+%zu more", sep, after);
    int need = indent + text_width(buf_cstr(b), b->len) +
               text_width(item, strlen(item)) + text_width(more, strlen(more));
    if (!first && need > cols)
        return 0;
    buf_adds(b, item);
    return 1;
}

/* One alert entry of workflow i for the line of kind sla (0: the
 * override rate over its threshold; 1: the share of tasks past its SLA
 * over its sla-alert), "" when the workflow has no such alert; owned. */
static char *alert_item(const struct monitor_view *v, size_t i, int sla)
{
    const struct stats_alert *a = &v->alerts[i];
    if (sla ? !a->sla_over : !a->over)
        return NULL;
    char rate[16], thr[16], day[16];
    stats_format_pct(sla ? a->sla_share : a->rate, rate);
    stats_format_pct(sla ? a->sla_alert : a->threshold, thr);
    stats_format_day(a->win.first_day, day);
    char *name = text_plain(v->wfs[i].name, 0, 0);
    char *item = xasprintf(
        "%s %s > %s (%lld of %lld since %s)", name, rate, thr,
        (long long)(sla ? a->sla_late : a->overrides),
        (long long)(sla ? a->sla_total : a->decided), day + 5);
    free(name);
    return item;
}

/* What stats --check names, over each workflow's own alert window: the
 * override rate over its threshold (the table above counts the screen's
 * 30 days, where a workflow that drifted this week can still read under
 * it) and the share of tasks past its SLA. One line per kind, whole
 * entries, the rest counted ("+2 more"); returns the next free line. */
static int draw_drift_alerts(struct ui_app *app, const struct monitor_view *v,
                             int y)
{
    static const char *const label[] = {"Over threshold:", "Past SLA:"};
    for (int sla = 0; sla <= 1; sla++) {
        size_t nover = 0, shown = 0;
        for (size_t i = 0; i < v->nwfs; i++)
            nover += (sla ? v->alerts[i].sla_over : v->alerts[i].over) != 0;
        if (!nover)
            continue;
        struct buf b;
        buf_init(&b);
        buf_adds(&b, label[sla]);
        for (size_t i = 0; i < v->nwfs; i++) {
            char *item = alert_item(v, i, sla);
            if (!item)
                continue;
            char *entry = xasprintf("%s %s", shown ? ";" : "", item);
            free(item);
            int added = line_add_whole(&b, entry, nover - shown - 1, "; ", 2,
                                       app->cols, shown == 0);
            free(entry);
            if (!added)
                break;
            shown++;
        }
        if (shown < nover)
            buf_addf(&b, "; +%zu more", nover - shown);
        ui_draw_text(app->body, y++, 2, app->cols - 2, buf_cstr(&b),
                     TR_MONITOR_OVER);
        buf_free(&b);
    }
    return y;
}

/* The loop back to the producers, when something is wrong: outcomes left
 * without an action record (unapplied backlog) and webhooks disabled by
 * their failures, per workflow on one line; returns the next free line. */
static int draw_loop_alerts(struct ui_app *app, const struct monitor_view *v,
                            int y)
{
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < v->nwfs; i++) {
        const struct stats_alert *a = &v->alerts[i];
        if (a->unapplied <= 0 && a->hooks_disabled <= 0)
            continue;
        buf_addf(&b, "%s%s:", b.len ? "; " : "", v->wfs[i].name);
        if (a->unapplied > 0)
            buf_addf(&b, " %lld unapplied", (long long)a->unapplied);
        if (a->hooks_disabled > 0)
            buf_addf(&b, "%s %lld webhook%s failing",
                     a->unapplied > 0 ? "," : "", (long long)a->hooks_disabled,
                     a->hooks_disabled == 1 ? "" : "s");
    }
    if (b.len) {
        char *line = xasprintf("Producers: %s", buf_cstr(&b));
        ui_draw_text(app->body, y, 2, app->cols - 2, line, TR_MONITOR_OVER);
        free(line);
        y++;
    }
    buf_free(&b);
    return y;
}

/* The ratchet of the selected workflow when it has automation: its band,
 * automatic approvals and their share of what was decided in its window,
 * the human queue, the measured error on the sample with its interval,
 * and the readiness figure if the band moved by 0.05 either way (bands
 * of 0.1, over the monitor's days). Returns the next free line. */
static int draw_automation(struct ui_app *app, const struct monitor_view *v,
                           int y)
{
    if (!v->nwfs)
        return y;
    const struct so_workflow *w = &v->wfs[v->sel];
    if (!w->automate && !w->auto_decided && !w->sampled_decided)
        return y;
    const struct stats_alert *a = &v->alerts[v->sel];
    double rate, lo, hi;
    char r[16], l[16], h[16], share[16];
    automate_sampled_rate(w, &rate, &lo, &hi);
    stats_format_pct(rate, r);
    stats_format_pct(lo, l);
    stats_format_pct(hi, h);
    int64_t all = w->auto_decided + a->decided;
    stats_format_pct(all ? (double)w->auto_decided / (double)all : -1, share);
    struct buf line;
    buf_init(&line);
    if (w->automate && w->automation_paused) /* not "augment from 0.80" */
        buf_addf(&line, "%s: paused (automate from %.2f)", w->name,
                 w->automate_from);
    else if (w->automate)
        buf_addf(&line, "%s: %s from %.2f", w->name, automate_phase(w),
                 w->automate_from);
    else
        buf_addf(&line, "%s: %s", w->name, automate_phase(w));
    buf_addf(&line, ", auto %lld (%s), human queue %lld",
             (long long)w->auto_decided, share, (long long)w->pending);
    ui_draw_text(app->body, y++, 2, app->cols - 2, buf_cstr(&line),
                 TR_NORMAL);
    buf_reset(&line);
    buf_addf(&line, "measured on %lld sampled: error ",
             (long long)w->sampled_decided);
    if (rate >= 0)
        buf_addf(&line, "%s [%s, %s]", r, l, h);
    else
        buf_addf(&line, "- (none decided yet)");
    ui_draw_text(app->body, y++, 4, app->cols - 4, buf_cstr(&line),
                 automate_sampled_over(w) || rate > w->threshold
                     ? TR_MONITOR_OVER
                     : TR_NORMAL);
    buf_free(&line);
    if (w->automate) {
        struct buf b;
        char *near = automate_near_describe(w);
        buf_init(&b);
        buf_addf(&b, "band %s", near);
        free(near);
        ui_draw_text(app->body, y++, 4, app->cols - 4, buf_cstr(&b),
                     TR_NORMAL);
        buf_free(&b);
    }
    return y;
}

/* The selected workflow's cost and time per task over the screen's days,
 * its oldest open draft and its service level (two lines; the SLA in the
 * alert colour when stats --check would name it). Wide screens draw it
 * under the workflows, narrow ones as the first lines of the details that
 * scroll. Returns the next line. */
static int draw_cost(struct ui_app *app, const struct monitor_view *v, int y)
{
    if (v->sel >= v->nwfs)
        return y;
    const struct so_workflow *w = &v->wfs[v->sel];
    const struct stats_alert *a = &v->alerts[v->sel];
    const struct stats_group *g = group_of(&v->by_wf, w->name);
    struct stats_cost none;
    memset(&none, 0, sizeof none);
    none.ai = none.human = none.total = -1;
    none.decision_p50_ms = none.decision_p95_ms = -1;
    none.action_p50_ms = -1;
    const struct stats_cost *c = g ? &g->cost : &none;
    char total[48], ai[48], human[48], p50[16], p95[16], act[16];
    stats_format_money(c->total, c->currency, total);
    stats_format_money(c->ai, "", ai);
    stats_format_money(c->human, "", human);
    stats_format_span(c->decision_p50_ms, p50);
    stats_format_span(c->decision_p95_ms, p95);
    stats_format_span(c->action_p50_ms, act);
    char *line = xasprintf("Task %s (AI %s, human %s)  decide p50 %s "
                           "p95 %s, act %s",
                           total, ai, human, p50, p95, act);
    if (text_width(line, strlen(line)) > app->cols - 2) {
        /* 80 columns: the medians only, whole, rather than the time to
         * action cut mid-figure ("act 43.…") */
        free(line);
        line = xasprintf("Task %s (AI %s, human %s)  p50 decide %s, act %s",
                         total, ai, human, p50, act);
    }
    ui_draw_text(app->body, y++, 2, app->cols - 2, line, TR_NORMAL);
    free(line);
    char age[16], sla[16], share[16];
    stats_format_span(w->oldest_pending_at > 0
                          ? (double)(so_now_ms() - w->oldest_pending_at)
                          : -1.0,
                      age);
    if (w->oldest_pending_at <= 0)
        snprintf(age, sizeof age, "none");
    if (w->sla_ms <= 0) {
        line = xasprintf("Oldest open %s  no SLA", age);
    } else {
        stats_format_span((double)w->sla_ms, sla);
        stats_format_pct(a->sla_share, share);
        line = xasprintf("Oldest open %s  SLA %s: %lld open past it, %s "
                         "late%s", age, sla, (long long)w->sla_open_past,
                         share, a->sla_over ? " (over the alert)" : "");
    }
    ui_draw_text(app->body, y++, 2, app->cols - 2, line,
                 a->sla_over ? TR_MONITOR_OVER : TR_NORMAL);
    free(line);
    return y;
}

/* Gold checks of the selected workflow (gold.h), for a supervisor only (a
 * reviewer who saw a count move would know the draft was gold): the range
 * of its reviewers' gold accuracy, how many checks, and who is below the
 * workflow's bar with 95% confidence. Returns the next free line. */
static int draw_gold(struct ui_app *app, const struct monitor_view *v, int y)
{
    if (!app->q->supervisor || v->sel >= v->nwfs)
        return y;
    double lo = 2, hi = -1;
    int64_t n = 0;
    size_t nflagged = 0;
    struct buf line;
    for (size_t i = 0; i < v->by_rev.ngroups; i++) {
        const struct stats_group *g = &v->by_rev.groups[i];
        if (!g->gold.decided)
            continue;
        n += g->gold.decided;
        lo = g->gold.acc < lo ? g->gold.acc : lo;
        hi = g->gold.acc > hi ? g->gold.acc : hi;
        nflagged += g->gold_flagged != 0;
    }
    if (!n)
        return y;
    char l[16], h[16];
    stats_format_pct(lo, l);
    stats_format_pct(hi, h);
    buf_init(&line);
    buf_addf(&line, "gold: reviewers %s..%s over %lld checks", l, h,
             (long long)n);
    /* Who is below the bar: whole names, the ones that do not fit
     * counted ("+2 more"), never a name cut. */
    size_t shown = 0;
    for (size_t i = 0; i < v->by_rev.ngroups && shown < nflagged; i++) {
        const struct stats_group *g = &v->by_rev.groups[i];
        if (!g->gold.decided || !g->gold_flagged)
            continue;
        char *who = text_plain(stats_format_key(g->key), 16, 0);
        char *item = xasprintf("%s%s", shown ? ", " : "; below the bar: ", who);
        free(who);
        int added = line_add_whole(&line, item, nflagged - shown - 1, ", ", 4,
                                   app->cols, 0);
        free(item);
        if (!added)
            break;
        shown++;
    }
    if (!shown && nflagged) /* not even one name fits: how many */
        buf_addf(&line, "; %zu below the bar", nflagged);
    else if (shown < nflagged)
        buf_addf(&line, ", +%zu more", nflagged - shown);
    ui_draw_text(app->body, y++, 4, app->cols - 4, buf_cstr(&line),
                 nflagged ? TR_MONITOR_OVER : TR_NORMAL);
    buf_free(&line);
    return y;
}

/* Detail tables: label, decided, rate (starred when not yet meaningful),
 * then two figures. Header and rows share these widths. */
#define DETAIL_FMT "%-12s %7s %7s%1s %8s %6s"
/* From this table width the Wilson interval follows as a last column. */
#define DETAIL_CI_WIDTH 64

static void detail_header(WINDOW *w, int y, int x, int width,
                          const char *label, const char *f1, const char *f2)
{
    char line[96];
    int n = snprintf(line, sizeof line, DETAIL_FMT, label, "DECIDED", "RATE",
                     "", f1, f2);
    if (width >= DETAIL_CI_WIDTH && n > 0 && (size_t)n < sizeof line)
        snprintf(line + n, sizeof line - (size_t)n, "  95%% CI");
    ui_draw_text(w, y, x, width, line, TR_LABEL);
}

static void detail_row(WINDOW *w, int y, int x, int width,
                       const struct stats_group *g, const char *f1,
                       const char *f2, enum theme_role role)
{
    char line[128], rate[16], n[24];
    char *name = text_plain(stats_format_key(g->key), 12, 1);
    stats_format_pct(g->rate, rate);
    snprintf(n, sizeof n, "%lld", (long long)g->decided);
    int len = snprintf(line, sizeof line, DETAIL_FMT, name, n, rate,
                       g->meaningful ? "" : "*", f1, f2);
    free(name);
    if (width >= DETAIL_CI_WIDTH && g->decided && len > 0 &&
        (size_t)len < sizeof line) {
        char lo[16], hi[16];
        stats_format_pct(g->lo, lo);
        stats_format_pct(g->hi, hi);
        snprintf(line + len, sizeof line - (size_t)len, "  [%s, %s]", lo, hi);
    }
    ui_draw_text(w, y, x, width, line, role);
}

/* The reviewer table in at most rows lines; returns the next line. */
static int draw_reviewers(struct ui_app *app, struct monitor_view *v, int y,
                          int x, int width, int rows)
{
    WINDOW *w = app->body;
    detail_header(w, y++, x, width, "REVIEWER", "MEDIAN", "STAMP");
    for (size_t i = 0; i < v->by_rev.ngroups && (int)i < rows - 1; i++) {
        const struct stats_group *g = &v->by_rev.groups[i];
        char med[16], stamp[16];
        stats_format_ms(g->median_ms, med);
        stats_format_pct(g->rubber_stamp, stamp);
        /* most approvals faster than reading: a rubber-stamper */
        detail_row(w, y++, x, width, g, med, stamp,
                   g->rubber_stamp >= 0.5 ? TR_MONITOR_OVER : TR_NORMAL);
    }
    return y;
}

static int draw_models(struct ui_app *app, struct monitor_view *v, int y,
                       int x, int width, int rows)
{
    WINDOW *w = app->body;
    /* the override rate beside the cost: the trade-off of a model */
    detail_header(w, y++, x, width, "MODEL", "COST/T", "P50");
    for (size_t i = 0; i < v->by_model.ngroups && (int)i < rows - 1; i++) {
        const struct stats_group *g = &v->by_model.groups[i];
        char cost[48], p50[16];
        stats_format_money(g->cost.total, "", cost);
        cost[strcspn(cost, " ")] = '\0';
        stats_format_span(g->cost.decision_p50_ms, p50);
        detail_row(w, y++, x, width, g, cost, p50, TR_NORMAL);
    }
    return y;
}

static void readiness_line(const struct stats_report *r, char *out,
                           size_t size)
{
    if (r->nready == 0 || r->ready[0].band < 0) {
        snprintf(out, size, "Ready to auto-approve: none yet");
        return;
    }
    const struct stats_readiness *rd = &r->ready[0];
    char hi[16], thr[16];
    stats_format_pct(rd->hi, hi);
    stats_format_pct(rd->threshold, thr);
    snprintf(out, size, "Ready to auto-approve from confidence %.1f "
                        "(upper %s < %s)", rd->band / 10.0, hi, thr);
}

/* The band table and the readiness line in at most rows lines. */
static int draw_bands(struct ui_app *app, struct monitor_view *v, int y, int x,
                      int width, int rows)
{
    WINDOW *w = app->body;
    char line[96];
    detail_header(w, y++, x, width, "BAND", "MEDIAN", "ESC");
    for (size_t i = 0; i < v->by_band.ngroups && (int)i < rows - 2; i++) {
        const struct stats_group *g = &v->by_band.groups[i];
        char med[16], esc[16];
        stats_format_ms(g->median_ms, med);
        snprintf(esc, sizeof esc, "%lld", (long long)g->c.escalated);
        detail_row(w, y++, x, width, g, med, esc, TR_NORMAL);
    }
    readiness_line(&v->by_band, line, sizeof line);
    ui_draw_text(w, y++, x, width, line,
                 v->by_band.nready && v->by_band.ready[0].band >= 0
                     ? TR_MONITOR_OK
                     : TR_LABEL);
    return y;
}

/* "Reject reasons: factual 50.0% (8), policy 50.0% (8)" (sanitized when
 * drawn): whole entries only, the ones that do not fit counted ("+2 more")
 * rather than one cut mid-word. */
static void draw_reasons(struct ui_app *app, struct monitor_view *v, int y)
{
    struct buf b;
    buf_init(&b);
    buf_adds(&b, "Reject reasons:");
    size_t n = v->by_rev.nreasons, i;
    for (i = 0; i < n; i++) {
        char pct[16];
        stats_format_pct(v->by_rev.reasons[i].share, pct);
        char *item = xasprintf("%s %s %s (%lld)", i ? "," : "",
                               v->by_rev.reasons[i].reason
                                   ? v->by_rev.reasons[i].reason
                                   : "(none)",
                               pct, (long long)v->by_rev.reasons[i].count);
        int added = line_add_whole(&b, item, n - i - 1, ", ", 0, app->cols,
                                   i == 0);
        free(item);
        if (!added)
            break;
    }
    if (i < n)
        buf_addf(&b, ", +%zu more", n - i);
    if (!n)
        buf_adds(&b, " none");
    ui_draw_text(app->body, y, 0, app->cols, buf_cstr(&b), TR_NORMAL);
    buf_free(&b);
}

/* ---- the daily chart (wide terminals) ----------------------------------- */

#define CHART_MAX_ROWS 20

/* The glyph of a bar in the chart row covering rates [lo, lo + step). */
static const char *bar_cell(double rate, double lo, double step)
{
    static const char *const eighths[] = {" ", "▁", "▂", "▃", "▄",
                                          "▅", "▆", "▇", "█"};
    if (rate <= lo)
        return NULL;
    int e = rate >= lo + step ? 8 : (int)((rate - lo) / step * 8.0);
    return eighths[e < 1 ? 1 : e];
}

static void chart_row(struct ui_app *app, const struct stats_group *g,
                      double lo, double step, double thr, int y, int x)
{
    int thr_row = thr >= lo && thr < lo + step;
    for (int d = 0; d < MONITOR_DAYS; d++) {
        double rate = g->day_decided[d]
                          ? (double)g->day_overrides[d] /
                                (double)g->day_decided[d]
                          : -1.0;
        const char *cell = bar_cell(rate, lo, step);
        if (cell)
            ui_draw_text(app->body, y, x + 2 * d, 1, cell,
                         rate > thr ? TR_MONITOR_OVER : TR_MONITOR_SPARK);
        else if (thr_row)
            ui_draw_text(app->body, y, x + 2 * d, 2, "--", TR_MONITOR_PAUSED);
    }
}

/* Daily override rate of the selected workflow as bars, 2 columns a day,
 * with the threshold as a dashed line; scaled to the larger of the highest
 * day and 1.5 x the threshold. */
static void draw_chart(struct ui_app *app, struct monitor_view *v, int y,
                       int rows)
{
    const struct stats_group *g = group_of(&v->by_wf, v->wfs[v->sel].name);
    const struct stats_alert *a = &v->alerts[v->sel];
    int h = rows - 3 < CHART_MAX_ROWS ? rows - 3 : CHART_MAX_ROWS;
    if (!g)
        return;
    double top = chart_top(g, a->threshold);
    char label[16], thr[16], title[64];
    stats_format_pct(a->threshold, thr);
    snprintf(title, sizeof title, "DAILY OVERRIDE RATE (-- threshold %s)",
             thr);
    ui_draw_text(app->body, y++, 0, app->cols / 2, title, TR_LABEL);
    for (int r = 0; r < h; r++) {
        double step = top / h, lo = top - step * (r + 1);
        stats_format_pct(lo + step, label);
        if (r == 0 || r == h - 1)
            ui_draw_text(app->body, y + r, 0, 7, r == 0 ? label : "0%",
                         TR_LABEL);
        chart_row(app, g, lo < 1e-9 ? 0.0 : lo, step, a->threshold, y + r, 8);
    }
    /* Dates under the bars (MM-DD, UTC), a week apart, the last is today. */
    int64_t day0 = stats_window_since_ms(&v->win);
    for (int d = MONITOR_DAYS - 1; d >= 0; d -= 7) {
        char iso[32], md[8];
        so_format_time(day0 + (int64_t)d * STATS_DAY_MS, iso);
        snprintf(md, sizeof md, "%.5s", iso + 5);
        ui_draw_text(app->body, y + h,
                     8 + 2 * d - (d == MONITOR_DAYS - 1 ? 3 : 0), 5, md,
                     TR_LABEL);
    }
}

/* Narrow terminals: every detail table in full (reviewers, bands with the
 * readiness line, models, four-eyes agreement) drawn into a pad as tall
 * as they need, and the rows from dtop copied into the body: the tables
 * scroll, and no row is dropped. */
static void draw_details_scrolled(struct ui_app *app, struct monitor_view *v,
                                  int y, int rows)
{
    int tall = (int)(v->by_rev.ngroups + v->by_band.ngroups +
                     v->by_model.ngroups) + 64;
    WINDOW *pad = newpad(tall, app->cols);
    if (!pad)
        return;
    WINDOW *body = app->body;
    int body_rows = app->rows;
    app->body = pad; /* the table drawers draw into app->body */
    app->rows = tall;
    int end = draw_cost(app, v, 0);
    end = draw_reviewers(app, v, end, 0, app->cols, tall);
    end = draw_bands(app, v, end + 1, 0, app->cols, tall);
    end = draw_models(app, v, end + 1, 0, app->cols, tall);
    int agree = ui_agree_draw(pad, end + 1, 0, app->cols, tall - end - 1,
                              &v->agree, v->wfs[v->sel].name);
    end = agree > end + 1 ? agree : end;
    app->body = body;
    app->rows = body_rows;
    v->dlines = end;
    v->dview = rows;
    if (v->dtop > v->dlines - v->dview)
        v->dtop = v->dlines > v->dview ? v->dlines - v->dview : 0;
    if (v->dtop < 0)
        v->dtop = 0;
    int last = v->dtop + rows - 1 < end - 1 ? v->dtop + rows - 1 : end - 1;
    if (last >= v->dtop)
        copywin(pad, body, v->dtop, 0, y, 0, y + (last - v->dtop),
                app->cols - 1, FALSE);
    delwin(pad);
}

static void draw_details(struct ui_app *app, struct monitor_view *v, int y)
{
    int left = app->rows - y - 2; /* reasons and legend take two lines */
    if (v->sel >= v->nwfs || left < 4)
        return;
    char title[128];
    char *name = text_plain(v->wfs[v->sel].name, 40, 0);
    snprintf(title, sizeof title, "%s, last 30 days:", name);
    free(name);
    ui_draw_text(app->body, y++, 0, app->cols, title, TR_PANE);
    left--;
    draw_reasons(app, v, app->rows - 2);
    if (app->cols >= MONITOR_SIDE_BY_SIDE) {
        int half = app->cols / 2;
        v->dtop = 0; /* side by side: no scrolling */
        int end = draw_reviewers(app, v, y, 0, half - 2, left - 3);
        end = draw_models(app, v, end + 1, 0, half - 2, left - (end + 1 - y));
        int bands = draw_bands(app, v, y, half, app->cols - half, left);
        int agree = ui_agree_draw(app->body, bands + 1, half,
                                  app->cols - half, left - (bands + 1 - y),
                                  &v->agree, v->wfs[v->sel].name);
        bands = agree > bands + 1 ? agree : bands;
        end = end > bands ? end : bands;
        int room = app->rows - 2 - (end + 1);
        if (room >= 6) /* a title, at least four rows of bars, a gap */
            draw_chart(app, v, end + 1, room);
        return;
    }
    draw_details_scrolled(app, v, y, left);
}

static void monitor_draw(struct ui_app *app, void *state)
{
    struct monitor_view *v = state;
    int wf_rows = app->cols >= MONITOR_SIDE_BY_SIDE ? app->rows / 3
                                                     : app->rows / 4;
    v->dlines = v->dview = 0;
    int y = draw_workflows(app, v, wf_rows);
    y = draw_drift_alerts(app, v, y);
    y = draw_loop_alerts(app, v, y);
    y = draw_automation(app, v, y);
    y = draw_gold(app, v, y);
    if (app->cols >= MONITOR_SIDE_BY_SIDE) /* narrow: atop the details */
        y = draw_cost(app, v, y);
    draw_details(app, v, y + 1);
    /* What is not on screen is said, never dropped silently. */
    int below = v->dlines - v->dtop - v->dview;
    struct buf b;
    buf_init(&b);
    if (v->down_since) {
        char since[32], at[32];
        so_format_time(v->down_since, since);
        so_format_time(v->good_at, at);
        if (v->good_at)
            buf_addf(&b, "queue unreachable since %.5s UTC: figures are "
                         "from %.5s (stale)", since + 11, at + 11);
        else
            buf_addf(&b, "queue unreachable since %.5s UTC: no figures yet",
                     since + 11);
    } else if (v->wf_below || below > 0) {
        buf_adds(&b, "more below:");
        if (v->wf_below)
            buf_addf(&b, " %zu workflow%s (j)", v->wf_below,
                     v->wf_below == 1 ? "" : "s");
        if (below > 0)
            buf_addf(&b, " %d line%s of tables (Space)", below,
                     below == 1 ? "" : "s");
        buf_adds(&b, "  Enter: pause/resume");
    } else if (v->dtop > 0) {
        buf_adds(&b, "End of the tables (- or g: back up).  "
                     "Enter: pause/resume");
    } else {
        /* Whole, never cut: the short form where the long one does not
         * fit (80 columns). */
        static const char legend[] = "All figures: last 30 days.  * under "
                                     "the minimum: not yet meaningful.  "
                                     "Enter: pause/resume";
        /* The Over threshold and Past SLA lines count each workflow's own
         * window: the legend says so, not "all figures: 30 days" under
         * them. */
        static const char legend_own[] =
            "All figures: last 30 days; Over threshold, Past SLA: each "
            "workflow's own window.  * under the minimum: not yet "
            "meaningful.  Enter: pause/resume";
        int own = 0;
        for (size_t i = 0; i < v->nwfs; i++)
            own |= v->alerts[i].over != 0 || v->alerts[i].sla_over != 0;
        if (own)
            buf_adds(&b, (int)sizeof legend_own - 1 <= app->cols
                             ? legend_own
                             : "30 days; alert lines: own window.  * not "
                               "yet meaningful.  Enter: pause/resume");
        else
            buf_adds(&b, (int)sizeof legend - 1 <= app->cols
                             ? legend
                             : "All figures: last 30 days.  * not yet "
                               "meaningful.  Enter: pause/resume");
    }
    ui_draw_text(app->body, app->rows - 1, 0, app->cols, buf_cstr(&b),
                 v->down_since              ? TR_STATUS_ALERT
                 : v->wf_below || below > 0 ? TR_MONITOR_PAUSED
                                            : TR_NORMAL);
    buf_free(&b);
}

/* ---- the switch -------------------------------------------------------- */

/* Confirm, then ask for the reason (*reason owned by the caller). */
static enum ui_answer ask_switch(struct ui_app *app, int pause,
                                 const char *name, char **reason)
{
    char *question = xasprintf("%s automation of %s? (y/n)",
                               pause ? "Pause" : "Resume", name);
    int choice = 0;
    enum ui_answer ans = ui_prompt_choice(app, question, "yn", &choice);
    free(question);
    if (ans != UI_ANSWERED)
        return ans;
    if (choice != 'y')
        return UI_CANCELLED;
    return ui_prompt_line(app, pause ? "Reason for pausing: "
                                     : "Reason for resuming: ",
                          NULL, reason);
}

static void apply_switch(struct ui_app *app, struct monitor_view *v,
                         int pause, const char *reason, const char *name)
{
    struct so_error err;
    so_error_clear(&err);
    if (queue_workflow_switch(app->q, v->wfs[v->sel].name, pause, reason,
                              &err) != SO_OK)
        ui_app_message(app, 1, "not %s: %s", pause ? "paused" : "resumed",
                       err.msg);
    else
        ui_app_message(app, 0, "%s: automation %s", name,
                       pause ? "paused" : "resumed");
    reload(app, v);
}

static enum ui_next flip_switch(struct ui_app *app, struct monitor_view *v)
{
    if (v->sel >= v->nwfs)
        return UI_STAY;
    const struct so_workflow *wf = &v->wfs[v->sel];
    int pause = !wf->automation_paused;
    char *name = text_plain(wf->name, 40, 0);
    char *reason = NULL;
    enum ui_answer ans = UI_CANCELLED;
    struct so_error err;
    so_error_clear(&err);
    /* The role first: nobody is asked a question only to be refused. */
    if (queue_switch_check(app->q, name, pause, NULL, &err) != SO_OK)
        ui_app_message(app, 1, "%s", err.msg);
    else if (!pause &&
             queue_resume_check(wf, app->q->reviewer, &err) != SO_OK)
        ui_app_message(app, 1, "%s", err.msg);
    else
        ans = ask_switch(app, pause, name, &reason);
    if (ans == UI_ANSWERED)
        apply_switch(app, v, pause, reason, name);
    free(reason);
    free(name);
    return ans == UI_QUITTING ? UI_QUIT : UI_REDRAW;
}

static enum ui_next monitor_key(struct ui_app *app, void *state,
                                enum keys_action act, int ch)
{
    struct monitor_view *v = state;
    (void)ch;
    switch (act) {
    case KA_DOWN:
        if (v->sel + 1 < v->nwfs)
            v->sel++;
        v->dtop = 0;
        select_details(v);
        return UI_REDRAW;
    case KA_UP:
        if (v->sel > 0)
            v->sel--;
        v->dtop = 0;
        select_details(v);
        return UI_REDRAW;
    case KA_PAGE_DOWN:
    case KA_PAGE_UP: {
        int page = v->dview > 2 ? v->dview - 1 : 1;
        v->dtop += act == KA_PAGE_DOWN ? page : -page;
        v->dtop = v->dtop < 0 ? 0 : v->dtop; /* the draw caps the end */
        return UI_REDRAW;
    }
    case KA_TOP:
        v->dtop = 0;
        return UI_REDRAW;
    case KA_BOTTOM:
        v->dtop = v->dlines; /* the draw caps it at the last page */
        return UI_REDRAW;
    case KA_OPEN:
        return flip_switch(app, v);
    case KA_BACK:
        return UI_BACK;
    default:
        return UI_STAY;
    }
}

const struct ui_screen_ops ui_monitor_screen = {
    .name = "monitor",
    .open = monitor_open,
    .close = monitor_close,
    .enter = monitor_enter,
    .draw = monitor_draw,
    .key = monitor_key,
    .tick = monitor_tick,
    .hints = monitor_hints,
    .keys = monitor_keys,
};
