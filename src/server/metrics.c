/*
 * metrics: Prometheus text for `signoff serve` (see metrics.h). Counters
 * live behind one mutex: a request touches them once, so contention is
 * negligible next to the SQLite work it did. Label values are untrusted
 * (workflow names come from producers) and are escaped as the format says.
 */
#include "signoff/server/metrics.h"

#include "signoff/automate.h"
#include "signoff/escape.h"
#include "signoff/gold.h"
#include "signoff/stats.h"
#include "signoff/stats_format.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define METRICS_MAX_STATUS 600
#define MS_PER_DAY 86400000LL

/* Latency histogram upper bounds in microseconds (+Inf implied). */
static const int64_t latency_bounds_us[] = {
    500, 1000, 2500, 5000, 10000, 25000, 50000,
    100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000,
};
#define NBOUNDS SO_ARRAY_LEN(latency_bounds_us)

struct metrics {
    pthread_mutex_t mu;
    const char *const *names;
    size_t nroutes;
    uint64_t *counts; /* nroutes x METRICS_MAX_STATUS */
    uint64_t buckets[NBOUNDS + 1];
    uint64_t observed;
    int64_t sum_us;
    uint64_t auth_failed;  /* bad or missing tokens */
    uint64_t auth_refused; /* refused unread: the address slowed down */
};

struct metrics *metrics_new(const char *const *route_names, size_t nroutes)
{
    struct metrics *m = xcalloc(1, sizeof *m);
    pthread_mutex_init(&m->mu, NULL);
    m->names = route_names;
    m->nroutes = nroutes;
    m->counts = xcalloc(nroutes * METRICS_MAX_STATUS, sizeof *m->counts);
    return m;
}

void metrics_free(struct metrics *m)
{
    if (!m)
        return;
    pthread_mutex_destroy(&m->mu);
    free(m->counts);
    free(m);
}

void metrics_observe(struct metrics *m, size_t route, int status,
                     int64_t micros)
{
    if (route >= m->nroutes || status < 0 || status >= METRICS_MAX_STATUS)
        return;
    size_t b = 0;
    while (b < NBOUNDS && micros > latency_bounds_us[b])
        b++;
    pthread_mutex_lock(&m->mu);
    m->counts[route * METRICS_MAX_STATUS + (size_t)status]++;
    m->buckets[b]++;
    m->observed++;
    m->sum_us += micros;
    pthread_mutex_unlock(&m->mu);
}

void metrics_auth_failure(struct metrics *m, int refused)
{
    pthread_mutex_lock(&m->mu);
    if (refused)
        m->auth_refused++;
    else
        m->auth_failed++;
    pthread_mutex_unlock(&m->mu);
}

void metrics_render_requests(struct metrics *m, struct buf *out)
{
    pthread_mutex_lock(&m->mu);
    escape_prom_family(out, "signoff_auth_failures_total", "counter",
                       "Requests whose token was missing, unknown, revoked "
                       "or expired.");
    buf_addf(out, "signoff_auth_failures_total %llu\n",
             (unsigned long long)m->auth_failed);
    escape_prom_family(out, "signoff_auth_slowed_total", "counter",
                       "Requests refused unread (429) while their address "
                       "was slowed down after failed authentications.");
    buf_addf(out, "signoff_auth_slowed_total %llu\n",
             (unsigned long long)m->auth_refused);
    escape_prom_family(out, "signoff_http_requests_total", "counter",
                       "Requests answered, by route and HTTP status.");
    for (size_t r = 0; r < m->nroutes; r++)
        for (int s = 0; s < METRICS_MAX_STATUS; s++) {
            uint64_t n = m->counts[r * METRICS_MAX_STATUS + (size_t)s];
            if (n)
                buf_addf(out,
                         "signoff_http_requests_total{route=\"%s\","
                         "code=\"%d\"} %llu\n",
                         m->names[r], s, (unsigned long long)n);
        }
    escape_prom_family(out, "signoff_http_request_duration_seconds",
                       "histogram",
                       "Time from the request's headers to its answer.");
    uint64_t cum = 0;
    for (size_t b = 0; b < NBOUNDS; b++) {
        cum += m->buckets[b];
        buf_addf(out,
                 "signoff_http_request_duration_seconds_bucket{le=\"%g\"} "
                 "%llu\n",
                 (double)latency_bounds_us[b] / 1e6, (unsigned long long)cum);
    }
    buf_addf(out,
             "signoff_http_request_duration_seconds_bucket{le=\"+Inf\"} "
             "%llu\n"
             "signoff_http_request_duration_seconds_sum %.6f\n"
             "signoff_http_request_duration_seconds_count %llu\n",
             (unsigned long long)m->observed, (double)m->sum_us / 1e6,
             (unsigned long long)m->observed);
    pthread_mutex_unlock(&m->mu);
}

static void add_label(struct buf *out, const char *name, const char *v)
{
    escape_prom_label(out, name, v);
}

/* Sum the rollup cells of one workflow at or after since_ms into four
 * counts: approved, edited, rejected, escalated. */
static void sum_workflow(const struct so_rollup *r, const char *name,
                         int64_t since_ms, int64_t sums[4])
{
    memset(sums, 0, 4 * sizeof *sums);
    for (size_t i = 0; i < r->n; i++) {
        const struct so_rollup_row *row = &r->rows[i];
        if (!row->workflow || strcmp(row->workflow, name) != 0 ||
            (row->day + 1) * MS_PER_DAY <= since_ms)
            continue;
        sums[0] += row->approved;
        sums[1] += row->edited;
        sums[2] += row->rejected;
        sums[3] += row->escalated;
    }
}

static const char *const actions[4] = {"approve", "edit", "reject",
                                       "escalate"};

/* Counters: every decision recorded, and every undo, by workflow. They
 * never go down: an undo is counted as an undo, not taken off a
 * decision (the current outcomes are the signoff_decided_drafts gauge). */
static void render_counters(struct buf *out, const struct so_workflow *wf,
                            size_t nwf)
{
    escape_prom_family(out, "signoff_decisions_total", "counter",
                       "Decisions recorded (reviews and resolutions), by "
                       "workflow and action; undone ones stay counted.");
    for (size_t i = 0; i < nwf; i++)
        for (int a = 0; a < 4; a++) {
            buf_adds(out, "signoff_decisions_total{");
            add_label(out, "workflow", wf[i].name);
            buf_addf(out, ",action=\"%s\"} %lld\n", actions[a],
                     (long long)wf[i].recorded[a]);
        }
    escape_prom_family(out, "signoff_undos_total", "counter",
                       "Decisions undone, by workflow.");
    for (size_t i = 0; i < nwf; i++) {
        buf_adds(out, "signoff_undos_total{");
        add_label(out, "workflow", wf[i].name);
        buf_addf(out, "} %lld\n", (long long)wf[i].recorded[SO_ACT_REVERT]);
    }
}

/* Gold checks (gold.h) per workflow and reviewer, over everything the
 * queue holds: answers given, answers matching, and 1 when the reviewer's
 * accuracy is below the workflow's bar with 95% confidence. */
static void render_gold(struct buf *out, const struct so_workflow *wf,
                        size_t nwf, const struct so_rollup *all)
{
    static const char *const names[] = {"signoff_gold_decided",
                                        "signoff_gold_correct",
                                        "signoff_gold_flagged"};
    static const char *const help[] = {
        "Gold drafts a reviewer decided (known-answer checks).",
        "Gold drafts a reviewer decided as the known answer says.",
        "1 when the reviewer's gold accuracy is below the workflow's bar "
        "with 95% confidence."};
    for (int k = 0; k < 3; k++) {
        escape_prom_family(out, names[k], "gauge", help[k]);
        for (size_t i = 0; i < all->ngolds; i++) {
            const struct so_gold_count *g = &all->golds[i];
            struct gold_accuracy a = {g->decided, g->correct, 0, 0, 0};
            double bar = GOLD_DEFAULT_BAR;
            for (size_t j = 0; j < nwf; j++)
                if (strcmp(wf[j].name, g->workflow) == 0)
                    bar = wf[j].gold_bar;
            stats_gold_finish(&a);
            buf_adds(out, names[k]);
            buf_addc(out, '{');
            add_label(out, "workflow", g->workflow);
            buf_addc(out, ',');
            add_label(out, "reviewer", g->reviewer);
            buf_addf(out, "} %lld\n",
                     k == 0   ? (long long)g->decided
                     : k == 1 ? (long long)g->correct
                              : (long long)stats_gold_flagged(&a, bar));
        }
    }
}

/* The current outcomes: drafts decided (as it stands, after undos) by
 * workflow and final action. Goes down on an undo: a gauge. */
static void render_outcomes(struct buf *out, const struct so_workflow *wf,
                            size_t nwf, const struct so_rollup *all)
{
    escape_prom_family(out, "signoff_decided_drafts", "gauge",
                       "Drafts whose outcome is this action now (an undo "
                       "takes one off), by workflow.");
    for (size_t i = 0; i < nwf; i++) {
        int64_t sums[4];
        sum_workflow(all, wf[i].name, 0, sums);
        for (int a = 0; a < 4; a++) {
            buf_adds(out, "signoff_decided_drafts{");
            add_label(out, "workflow", wf[i].name);
            buf_addf(out, ",action=\"%s\"} %lld\n", actions[a],
                     (long long)sums[a]);
        }
    }
}

/* A gauge with one sample per workflow, v(i) its value; a workflow for
 * which v is negative (not defined there) has none, never a sentinel. */
static void render_wf_gauge(struct buf *out, const char *name,
                            const char *help, const struct so_workflow *wf,
                            size_t nwf, double (*v)(const struct so_workflow *))
{
    escape_prom_family(out, name, "gauge", help);
    for (size_t i = 0; i < nwf; i++) {
        if (v(&wf[i]) < 0)
            continue;
        buf_addf(out, "%s{", name);
        add_label(out, "workflow", wf[i].name);
        buf_addf(out, "} %.10g\n", v(&wf[i]));
    }
}

static double wf_pending(const struct so_workflow *w)
{
    return (double)w->pending;
}
static double wf_unapplied(const struct so_workflow *w)
{
    return (double)w->unapplied;
}
static double wf_hooks_disabled(const struct so_workflow *w)
{
    return (double)w->hooks_disabled;
}
static double wf_threshold(const struct so_workflow *w) { return w->threshold; }
static double wf_min(const struct so_workflow *w) { return w->min_decisions; }
static double wf_paused(const struct so_workflow *w)
{
    return w->automation_paused;
}
static double wf_window(const struct so_workflow *w)
{
    return (double)w->window_ms / 1000.0;
}

/* The override ratio over each workflow's window and the decisions it
 * rests on; a workflow with nothing decided there has no ratio (left out,
 * never NaN or -1). */
static void render_override(struct buf *out, const struct so_workflow *wf,
                            size_t nwf, const struct so_rollup *all,
                            int64_t now_ms)
{
    int64_t(*sums)[4] = xcalloc(nwf ? nwf : 1, sizeof *sums);
    for (size_t i = 0; i < nwf; i++)
        sum_workflow(all, wf[i].name, now_ms - wf[i].window_ms, sums[i]);
    escape_prom_family(out, "signoff_override_ratio", "gauge",
                       "(edited + rejected) / (approved + edited + "
                       "rejected) over the workflow's window, by whole UTC "
                       "days.");
    for (size_t i = 0; i < nwf; i++) {
        int64_t decided = sums[i][0] + sums[i][1] + sums[i][2];
        if (!decided)
            continue;
        buf_adds(out, "signoff_override_ratio{");
        add_label(out, "workflow", wf[i].name);
        buf_addf(out, "} %.6f\n",
                 (double)(sums[i][1] + sums[i][2]) / (double)decided);
    }
    escape_prom_family(out, "signoff_override_decided", "gauge",
                       "Decisions (approved + edited + rejected) in the "
                       "workflow's window: what signoff_override_ratio "
                       "rests on.");
    for (size_t i = 0; i < nwf; i++) {
        buf_adds(out, "signoff_override_decided{");
        add_label(out, "workflow", wf[i].name);
        buf_addf(out, "} %lld\n",
                 (long long)(sums[i][0] + sums[i][1] + sums[i][2]));
    }
    free(sums);
}

/* A gauge family of a figure of each workflow's stats_cost (ms figures in
 * seconds); undefined figures (< 0) are left out. */
static void cost_gauge(struct buf *out, const char *name, const char *help,
                       const struct so_workflow *wf,
                       const struct stats_cost *costs, size_t nwf,
                       size_t offset, double scale)
{
    escape_prom_family(out, name, "gauge", help);
    for (size_t i = 0; i < nwf; i++) {
        double v = *(const double *)((const char *)&costs[i] + offset);
        if (v < 0)
            continue;
        buf_addf(out, "%s{", name);
        add_label(out, "workflow", wf[i].name);
        buf_addf(out, "} %.10g\n", v / scale);
    }
}

/* The SLA figures exist only for a workflow that has an SLA. */
static double wf_sla(const struct so_workflow *w)
{
    return w->sla_ms > 0 ? (double)w->sla_ms / 1000.0 : -1.0;
}
static double wf_sla_alert(const struct so_workflow *w)
{
    return w->sla_ms > 0 ? w->sla_alert : -1.0;
}
static double wf_sla_open_past(const struct so_workflow *w)
{
    return w->sla_ms > 0 ? (double)w->sla_open_past : -1.0;
}

/* Cost and time per task over each workflow's window, the oldest open
 * draft and the service level. */
static void render_cost(struct buf *out, const struct so_workflow *wf,
                        size_t nwf, const struct so_rollup *all,
                        int64_t now_ms)
{
    struct stats_cost *c = xcalloc(nwf ? nwf : 1, sizeof *c);
    for (size_t i = 0; i < nwf; i++) {
        struct stats_window w;
        stats_window_for(wf[i].window_ms, now_ms, &w);
        stats_cost_for(all, wf, nwf, wf[i].name, NULL, &w, &c[i]);
    }
    escape_prom_family(out, "signoff_cost_per_task", "gauge",
                       "Cost per decided task over the workflow's window, in "
                       "its currency: the AI's (per task that reported one), "
                       "reviewing at its hourly rate, and their total.");
    for (size_t i = 0; i < nwf; i++)
        stats_format_prom_cost(out, "signoff_cost_per_task", "workflow",
                               wf[i].name, &c[i]);
    cost_gauge(out, "signoff_time_to_decision_p50_seconds",
               "Median time from enqueue to the final decision over the "
               "window.", wf, c, nwf,
               offsetof(struct stats_cost, decision_p50_ms), 1000.0);
    cost_gauge(out, "signoff_time_to_decision_p95_seconds",
               "95th percentile of the time from enqueue to the final "
               "decision over the window.", wf, c, nwf,
               offsetof(struct stats_cost, decision_p95_ms), 1000.0);
    cost_gauge(out, "signoff_time_to_action_p50_seconds",
               "Median time from enqueue to the producer's action record.",
               wf, c, nwf, offsetof(struct stats_cost, action_p50_ms), 1000.0);
    cost_gauge(out, "signoff_time_to_action_p95_seconds",
               "95th percentile of the time from enqueue to the action "
               "record.", wf, c, nwf,
               offsetof(struct stats_cost, action_p95_ms), 1000.0);
    cost_gauge(out, "signoff_sla_missed_ratio",
               "Tasks decided after the workflow's SLA / tasks with one, "
               "over the window.", wf, c, nwf,
               offsetof(struct stats_cost, sla_missed_share), 1.0);
    free(c);
    escape_prom_family(out, "signoff_oldest_pending_age_seconds", "gauge",
                       "Age of the workflow's oldest open draft (left out "
                       "when none is open).");
    for (size_t i = 0; i < nwf; i++) {
        if (wf[i].oldest_pending_at <= 0)
            continue;
        buf_adds(out, "signoff_oldest_pending_age_seconds{");
        add_label(out, "workflow", wf[i].name);
        buf_addf(out, "} %.3f\n",
                 (double)(now_ms - wf[i].oldest_pending_at) / 1000.0);
    }
    render_wf_gauge(out, "signoff_sla_seconds",
                    "The workflow's service level: a draft is due this long "
                    "after enqueue (absent without one).", wf, nwf, wf_sla);
    render_wf_gauge(out, "signoff_sla_alert_ratio",
                    "Share of the workflow's tasks past its SLA above which "
                    "stats --check alerts (its --sla-alert).", wf, nwf,
                    wf_sla_alert);
    render_wf_gauge(out, "signoff_sla_open_past_drafts",
                    "Open drafts past the workflow's SLA now.", wf, nwf,
                    wf_sla_open_past);
}

void metrics_render_models(struct buf *out, const struct so_workflow *wf,
                           size_t nwf, const struct so_rollup *by_model,
                           int64_t now_ms)
{
    struct stats_window w;
    stats_window_for(METRICS_MODEL_WINDOW_MS, now_ms, &w);
    struct stats_report rep;
    stats_compute(by_model, STATS_BY_MODEL, &w, wf, nwf, NULL, &rep);
    escape_prom_family(out, "signoff_model_override_ratio", "gauge",
                       "Override ratio per model over the last 7 UTC days "
                       "(model=\"\": drafts with none).");
    for (size_t i = 0; i < rep.ngroups; i++) {
        if (rep.groups[i].rate < 0)
            continue;
        buf_adds(out, "signoff_model_override_ratio{");
        add_label(out, "model", rep.groups[i].key);
        buf_addf(out, "} %.6f\n", rep.groups[i].rate);
    }
    escape_prom_family(out, "signoff_model_cost_per_task", "gauge",
                       "Cost per decided task per model over the last 7 UTC "
                       "days, beside its override ratio.");
    for (size_t i = 0; i < rep.ngroups; i++)
        stats_format_prom_cost(out, "signoff_model_cost_per_task", "model",
                               rep.groups[i].key, &rep.groups[i].cost);
    stats_report_free(&rep);
}

void metrics_render_queue(struct buf *out, const struct so_workflow *wf,
                          size_t nwf, const struct so_rollup *all,
                          int64_t now_ms)
{
    render_wf_gauge(out, "signoff_pending_drafts",
                    "Drafts not yet decided (pending, claimed or in "
                    "resolve).", wf, nwf, wf_pending);
    /* the unapplied backlog (signoff-queue(5), OUTCOMES): alert when > 0 */
    render_wf_gauge(out, "signoff_unapplied_outcomes",
                    "Final outcomes released longer than the workflow's "
                    "applied-within bound ago with no action record.", wf,
                    nwf, wf_unapplied);
    /* webhooks disabled by their failures: alert when > 0 */
    render_wf_gauge(out, "signoff_webhooks_disabled",
                    "Webhooks of the workflow disabled after failing too "
                    "many times in a row.", wf, nwf, wf_hooks_disabled);
    render_counters(out, wf, nwf);
    render_outcomes(out, wf, nwf, all);
    render_gold(out, wf, nwf, all);
    render_override(out, wf, nwf, all, now_ms);
    render_wf_gauge(out, "signoff_override_threshold_ratio",
                    "The workflow's override threshold (alert above it).",
                    wf, nwf, wf_threshold);
    render_wf_gauge(out, "signoff_override_min_decisions",
                    "Decisions in the window before the ratio is "
                    "meaningful.", wf, nwf, wf_min);
    render_wf_gauge(out, "signoff_override_window_seconds",
                    "The window the ratio is taken over.", wf, nwf,
                    wf_window);
    render_wf_gauge(out, "signoff_workflow_paused",
                    "1 when the workflow's automation is paused (by a "
                    "person or by auto-pause).", wf, nwf, wf_paused);
    size_t nphase = nwf;
    struct stats_phase *phase = automate_phase_rows(wf, &nphase, NULL);
    stats_format_prom_phase(out, phase, nphase);
    free(phase);
    render_cost(out, wf, nwf, all, now_ms);
}
