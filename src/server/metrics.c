/*
 * metrics: Prometheus text for `signoff serve` (see metrics.h). Counters
 * live behind one mutex: a request touches them once, so contention is
 * negligible next to the SQLite work it did. Label values are untrusted
 * (workflow names come from producers) and are escaped as the format says.
 */
#include "signoff/server/metrics.h"

#include <pthread.h>
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

void metrics_render_requests(struct metrics *m, struct buf *out)
{
    pthread_mutex_lock(&m->mu);
    buf_adds(out, "# HELP signoff_http_requests_total Requests answered, by "
                  "route and HTTP status.\n"
                  "# TYPE signoff_http_requests_total counter\n");
    for (size_t r = 0; r < m->nroutes; r++)
        for (int s = 0; s < METRICS_MAX_STATUS; s++) {
            uint64_t n = m->counts[r * METRICS_MAX_STATUS + (size_t)s];
            if (n)
                buf_addf(out,
                         "signoff_http_requests_total{route=\"%s\","
                         "code=\"%d\"} %llu\n",
                         m->names[r], s, (unsigned long long)n);
        }
    buf_adds(out, "# HELP signoff_http_request_duration_seconds Time from "
                  "the request's headers to its answer.\n"
                  "# TYPE signoff_http_request_duration_seconds histogram\n");
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

/* A label value as the text format wants it: \\, \" and \n escaped. */
static void add_label(struct buf *out, const char *v)
{
    buf_addc(out, '"');
    for (const char *p = v ? v : ""; *p; p++) {
        if (*p == '\\' || *p == '"')
            buf_addc(out, '\\');
        if (*p == '\n')
            buf_adds(out, "\\n");
        else
            buf_addc(out, *p);
    }
    buf_addc(out, '"');
}

static void render_pending(struct buf *out, const struct so_workflow *wf,
                           size_t nwf)
{
    buf_adds(out, "# HELP signoff_pending_drafts Drafts not yet decided.\n"
                  "# TYPE signoff_pending_drafts gauge\n");
    for (size_t i = 0; i < nwf; i++) {
        buf_adds(out, "signoff_pending_drafts{workflow=");
        add_label(out, wf[i].name);
        buf_addf(out, "} %lld\n", (long long)wf[i].pending);
    }
}

/* Sum the rollup cells of one workflow at or after since_ms into four
 * counters: approved, edited, rejected, escalated. */
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

static void render_decisions(struct buf *out, const struct so_workflow *wf,
                             size_t nwf, const struct so_rollup *all)
{
    static const char *const actions[4] = {"approve", "edit", "reject",
                                           "escalate"};
    buf_adds(out, "# HELP signoff_decisions_total Decisions recorded, by "
                  "workflow and action.\n"
                  "# TYPE signoff_decisions_total counter\n");
    for (size_t i = 0; i < nwf; i++) {
        int64_t sums[4];
        sum_workflow(all, wf[i].name, 0, sums);
        for (int a = 0; a < 4; a++) {
            buf_adds(out, "signoff_decisions_total{workflow=");
            add_label(out, wf[i].name);
            buf_addf(out, ",action=\"%s\"} %lld\n", actions[a],
                     (long long)sums[a]);
        }
    }
}

static void render_override(struct buf *out, const struct so_workflow *wf,
                            size_t nwf, const struct so_rollup *all,
                            int64_t now_ms)
{
    buf_adds(out, "# HELP signoff_override_rate (edited + rejected) / "
                  "(approved + edited + rejected) over the workflow's "
                  "window, by whole UTC days.\n"
                  "# TYPE signoff_override_rate gauge\n");
    for (size_t i = 0; i < nwf; i++) {
        int64_t sums[4];
        sum_workflow(all, wf[i].name, now_ms - wf[i].window_ms, sums);
        int64_t decided = sums[0] + sums[1] + sums[2];
        buf_adds(out, "signoff_override_rate{workflow=");
        add_label(out, wf[i].name);
        if (decided)
            buf_addf(out, "} %.6f\n",
                     (double)(sums[1] + sums[2]) / (double)decided);
        else
            buf_adds(out, "} NaN\n");
    }
}

void metrics_render_queue(struct buf *out, const struct so_workflow *wf,
                          size_t nwf, const struct so_rollup *all,
                          int64_t now_ms)
{
    render_pending(out, wf, nwf);
    render_decisions(out, wf, nwf, all);
    render_override(out, wf, nwf, all, now_ms);
}
