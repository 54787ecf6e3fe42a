/*
 * automate: the routing rules of the automation policy (see automate.h).
 * Pure: the model only, no I/O.
 */
#include "signoff/automate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/audit.h"
#include "signoff/stats.h"
#include "signoff/stats_format.h"

int automate_active(const struct so_workflow *w)
{
    return w->automate && !w->automation_paused;
}

const char *automate_phase(const struct so_workflow *w)
{
    return automate_active(w) ? "automate" : "augment";
}

void automate_sampled_rate(const struct so_workflow *w, double *rate,
                           double *lo, double *hi)
{
    struct automate_evidence e = {w->sampled_decided, w->sampled_overrides,
                                  0, 0, 0};
    automate_evidence_finish(&e);
    *rate = e.rate;
    *lo = e.lo;
    *hi = e.hi;
}

struct stats_phase *automate_phase_rows(const struct so_workflow *wfs,
                                        size_t *n, const char *only)
{
    struct stats_phase *rows = xcalloc(*n ? *n : 1, sizeof *rows);
    size_t m = 0;
    for (size_t i = 0; i < *n; i++) {
        const struct so_workflow *w = &wfs[i];
        if (only && strcmp(w->name, only) != 0)
            continue;
        struct stats_phase *r = &rows[m++];
        r->workflow = w->name;
        r->phase = automate_phase(w);
        r->automate = automate_active(w);
        r->window_ms = w->window_ms;
        r->auto_decided = w->auto_decided;
        r->sampled = w->sampled_decided;
        r->sampled_overrides = w->sampled_overrides;
        automate_sampled_rate(w, &r->rate, &r->lo, &r->hi);
    }
    *n = m;
    return rows;
}

int automate_sampled_over(const struct so_workflow *w)
{
    int64_t n = w->sampled_decided;
    return w->auto_pause && n > 0 && n >= w->min_decisions &&
           (double)w->sampled_overrides / (double)n > w->threshold;
}

void automate_sampled_reason(const struct so_workflow *w, char out[160])
{
    snprintf(out, 160,
             "auto-pause: sampled override rate %.2f over threshold %.2f "
             "(%lld of %lld sampled drafts)",
             (double)w->sampled_overrides / (double)w->sampled_decided,
             w->threshold, (long long)w->sampled_overrides,
             (long long)w->sampled_decided);
}

double automate_near_from(double from, int k)
{
    double v = from + (k ? AUTOMATE_NEAR_STEP : -AUTOMATE_NEAR_STEP);
    v = v < 0 ? 0 : v > 1 ? 1 : v;
    return (double)(long)(v * 100.0 + 0.5) / 100.0;
}

char *automate_near_describe(const struct so_workflow *w)
{
    char part[2][96];
    for (int k = 0; k < 2; k++) {
        struct automate_evidence e = {w->near_decided[k],
                                      w->near_overrides[k], 0, 0, 0};
        char u[16];
        automate_evidence_finish(&e);
        stats_format_pct(e.hi, u);
        snprintf(part[k], sizeof part[k], "%.2f: upper %s of %lld, %s",
                 automate_near_from(w->automate_from, k),
                 e.hi >= 0 ? u : "-", (long long)e.decided,
                 automate_supported(&e, w->threshold, w->min_decisions)
                     ? "ready"
                     : "not ready");
    }
    return xasprintf("%s; %s", part[0], part[1]);
}

/* Call fn on each non-blank line of text; stops at the first non-zero. */
static int each_line(const char *text, int (*fn)(const char *, size_t, void *),
                     void *ctx)
{
    size_t no = 0;
    for (const char *p = text ? text : ""; *p;) {
        size_t n = strcspn(p, "\n");
        char *line = xstrndup(p, n);
        int blank = strspn(line, " \t\r") == n;
        int rc = blank ? 0 : fn(line, ++no, ctx);
        free(line);
        if (rc)
            return rc;
        p += n + (p[n] == '\n');
    }
    return 0;
}

static int check_one(const char *line, size_t no, void *ctx)
{
    struct so_error *err = ctx, e;
    struct filter f;
    if (no > AUTOMATE_MAX_PATTERNS) {
        so_fail(err, SO_ERR_INVALID, "always-review: more than %d patterns",
                AUTOMATE_MAX_PATTERNS);
        return 1;
    }
    if (filter_parse_policy(line, &f, &e) != SO_OK) {
        so_fail(err, SO_ERR_INVALID, "always-review pattern %zu: %s", no,
                e.msg);
        return 1;
    }
    filter_clear(&f);
    return 0;
}

enum so_status automate_check_patterns(const char *text, struct so_error *err)
{
    if (text && strlen(text) > SO_MAX_FIELD)
        return so_fail(err, SO_ERR_TOOLARGE, "always-review: over %u bytes",
                       SO_MAX_FIELD);
    return each_line(text, check_one, err) ? err->code : SO_OK;
}

static int load_one(const char *line, size_t no, void *ctx)
{
    struct automate_policy *p = ctx;
    struct so_error e;
    (void)no;
    p->always = xrealloc(p->always, (p->nalways + 1) * sizeof *p->always);
    if (filter_parse_policy(line, &p->always[p->nalways], &e) != SO_OK) {
        p->on = 0; /* a pattern that no longer parses: all to humans */
        return 1;
    }
    p->nalways++;
    return 0;
}

void automate_policy_load(struct automate_policy *p, int automate,
                          int paused, double from, double sample_pct,
                          const char *seed, const char *always_review)
{
    memset(p, 0, sizeof *p);
    p->on = automate && !paused;
    p->from = from;
    p->sample_pct = sample_pct;
    snprintf(p->seed, sizeof p->seed, "%s", seed ? seed : "");
    if (p->on)
        each_line(always_review, load_one, p);
}

void automate_policy_clear(struct automate_policy *p)
{
    for (size_t i = 0; i < p->nalways; i++)
        filter_clear(&p->always[i]);
    free(p->always);
    memset(p, 0, sizeof *p);
}

int automate_in_sample(const char *seed, const char *id, double sample_pct)
{
    if (sample_pct <= 0)
        return 0;
    char *text = xasprintf("%s\n%s", seed ? seed : "", id);
    char hex[65];
    audit_sha256_hex(text, strlen(text), hex);
    free(text);
    hex[16] = '\0';
    uint64_t v = strtoull(hex, NULL, 16);
    return (double)(v % 10000u) < sample_pct * 100.0 - 1e-9;
}

enum automate_route automate_route(const struct automate_policy *p,
                                   const struct so_draft *d)
{
    if (!p->on || d->confidence < 0 || d->confidence < p->from)
        return AUTOMATE_HUMAN;
    for (size_t i = 0; i < p->nalways; i++)
        if (filter_match(&p->always[i], d))
            return AUTOMATE_HUMAN;
    return automate_in_sample(p->seed, d->id, p->sample_pct) ? AUTOMATE_SAMPLED
                                                            : AUTOMATE_AUTO;
}

void automate_evidence_finish(struct automate_evidence *e)
{
    stats_share(e->overrides, e->decided, &e->rate, &e->lo, &e->hi);
}

int automate_supported(const struct automate_evidence *e, double threshold,
                       int min_decisions)
{
    double hi;
    return stats_ready(e->decided, e->overrides, threshold, min_decisions,
                       &hi);
}
