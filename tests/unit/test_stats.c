/*
 * test_stats: the monitor's figures from hand-built rollups, against values
 * computed by hand (Wilson bounds from the closed formula with z = 1.959964,
 * written here to 4 places): windows and their edges, rates, intervals,
 * medians from histograms, sparklines, grouping, reject-reason shares,
 * rubber-stamp shares, readiness and the threshold check; and every output
 * format parsed back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <cJSON.h>

#include "signoff/stats.h"
#include "signoff/stats_format.h"
#include "signoff/text.h"

#define EPS 0.00005
/* 2026-11-24T10:00:00Z */
#define NOW 1795514400000LL
#define TODAY (NOW / STATS_DAY_MS)

static void test_wilson(void **state)
{
    (void)state;
    double lo, hi;
    stats_wilson(3, 10, &lo, &hi);
    assert_float_equal(lo, 0.1078, EPS);
    assert_float_equal(hi, 0.6032, EPS);
    stats_wilson(0, 10, &lo, &hi);
    assert_float_equal(lo, 0.0, EPS);
    assert_float_equal(hi, 0.2775, EPS);
    stats_wilson(10, 10, &lo, &hi);
    assert_float_equal(lo, 0.7225, EPS);
    assert_float_equal(hi, 1.0, EPS);
    stats_wilson(1, 1, &lo, &hi);
    assert_float_equal(lo, 0.2065, EPS);
    stats_wilson(0, 0, &lo, &hi);
    assert_float_equal(lo, 0.0, EPS);
    assert_float_equal(hi, 0.0, EPS);
}

static void test_window(void **state)
{
    (void)state;
    struct stats_window w;
    assert_int_equal(stats_window_parse("24h", NOW, &w), 0);
    assert_int_equal(w.last_day, TODAY);
    assert_int_equal(w.first_day, TODAY); /* today */
    assert_int_equal(stats_window_days(&w), 1);
    assert_int_equal(stats_window_parse("2d", NOW, &w), 0);
    assert_int_equal(w.first_day, TODAY - 1); /* yesterday and today */
    /* 2026-11-23T00:00:00.000Z is the first instant in */
    assert_int_equal(stats_window_since_ms(&w), 1795392000000LL);
    assert_int_equal(stats_window_parse("25h", NOW, &w), 0);
    assert_int_equal(stats_window_days(&w), 2); /* rounded up */
    assert_int_equal(stats_window_parse("7d", NOW, &w), 0);
    assert_int_equal(w.first_day, TODAY - 6);
    assert_int_equal(stats_window_days(&w), 7);
    assert_int_equal(stats_window_parse("2026-11-20", NOW, &w), 0);
    assert_int_equal(w.first_day, TODAY - 4);
    assert_int_equal(stats_window_parse("2026-11-25", NOW, &w), -1);
    assert_int_equal(stats_window_parse("yesterday", NOW, &w), -1);
    assert_int_equal(stats_window_parse("7x", NOW, &w), -1);
    assert_int_equal(stats_window_parse("7", NOW, &w), -1); /* no unit */
    assert_int_equal(stats_window_parse("0", NOW, &w), -1); /* no window */
    /* before 1970: a year -273788674 was printed (issue 17, finding 4) */
    assert_int_equal(stats_window_parse("99999999999d", NOW, &w), -1);
    /* at exactly midnight the window of 24h is the day just begun */
    assert_int_equal(stats_window_parse("24h", TODAY * STATS_DAY_MS, &w), 0);
    assert_int_equal(w.first_day, TODAY);
}

static void test_median(void **state)
{
    (void)state;
    int64_t h[SO_HIST_BUCKETS] = {0};
    assert_true(stats_hist_median(h) < 0);
    /* buckets [2,3) [3,4) [4,6): one, two, one value; N/2 = 2 falls in
     * [3,4) with 1 below and 2 inside: 3 + (2 - 1) / 2 * 1 = 3.5 */
    assert_int_equal(so_hist_lo(3), 3);
    assert_int_equal(so_hist_lo(4), 4);
    assert_int_equal(so_hist_lo(5), 6);
    h[2] = 1;
    h[3] = 2;
    h[4] = 1;
    assert_float_equal(stats_hist_median(h), 3.5, EPS);
    memset(h, 0, sizeof h);
    h[4] = 1; /* one value in [4,6): 4 + 0.5 / 1 * 2 = 5 */
    assert_float_equal(stats_hist_median(h), 5.0, EPS);
}

static void test_sparkline(void **state)
{
    (void)state;
    int64_t dec[] = {0, 10, 10, 10, 8};
    int64_t over[] = {0, 0, 5, 10, 1};
    char *s = stats_sparkline(dec, over, 5);
    /* 0 -> ▁, 5/10 = 4/8 -> ▅, 10/10 -> █, 1/8 -> ▂ */
    assert_string_equal(s, "·▁▅█▂");
    free(s);
}

static void test_names(void **state)
{
    (void)state;
    assert_int_equal(stats_by_from_name("reviewer"), STATS_BY_REVIEWER);
    assert_int_equal(stats_by_from_name("band"), STATS_BY_BAND);
    assert_int_equal(stats_by_from_name("nope"), -1);
    assert_string_equal(stats_by_name(STATS_BY_DAY), "day");
}

/* ---- a hand-built rollup ------------------------------------------------ */

static void cell(struct so_rollup *r, int64_t day, const char *wf,
                 const char *model, const char *rev, int band, int64_t a,
                 int64_t e, int64_t rj, int64_t x, int64_t fast)
{
    r->rows = realloc(r->rows, (r->n + 1) * sizeof *r->rows);
    struct so_rollup_row *c = &r->rows[r->n++];
    memset(c, 0, sizeof *c);
    c->day = day;
    c->workflow = strdup(wf);
    c->model = model ? strdup(model) : NULL;
    c->reviewer = strdup(rev);
    c->band = band;
    c->approved = a;
    c->edited = e;
    c->rejected = rj;
    c->escalated = x;
    c->fast_approvals = fast;
    c->time_hist[so_hist_bucket(1000)] = a + e + rj + x;
    if (e)
        c->edit_hist[so_hist_bucket(4)] = e;
}

static void reason(struct so_rollup *r, const char *wf, const char *why,
                   int64_t n)
{
    r->reasons = realloc(r->reasons, (r->nreasons + 1) * sizeof *r->reasons);
    r->reasons[r->nreasons].workflow = strdup(wf);
    r->reasons[r->nreasons].reason = strdup(why);
    r->reasons[r->nreasons++].count = n;
}

/*
 * support (min 20, threshold 0.25): today alice band 7 A5 E1 R1 X1 fast 2;
 * yesterday bob band 2 A2 E1; 10 days ago (outside 7d) A100.
 * refunds (min 5, threshold 0.2): 3 days ago alice band 9 A20.
 * Over 7d: support 3 of 10 overridden, refunds 0 of 20.
 */
static void sample(struct so_rollup *r)
{
    memset(r, 0, sizeof *r);
    cell(r, TODAY, "support", "m1", "alice", 7, 5, 1, 1, 1, 2);
    cell(r, TODAY - 1, "support", "m2", "bob", 2, 2, 1, 0, 0, 0);
    cell(r, TODAY - 10, "support", "m1", "bob", 7, 100, 0, 0, 0, 0);
    cell(r, TODAY - 3, "refunds", "m1", "alice", 9, 20, 0, 0, 0, 0);
    reason(r, "support", "tone", 1);
    reason(r, "support", "factual", 3);
    reason(r, "refunds", "policy", 2);
}

static const struct so_workflow wfs[] = {
    {.name = "support", .threshold = 0.25, .min_decisions = 20,
     .window_ms = 7 * STATS_DAY_MS},
    {.name = "refunds", .threshold = 0.2, .min_decisions = 5,
     .window_ms = 7 * STATS_DAY_MS},
};

static void test_by_workflow(void **state)
{
    (void)state;
    struct so_rollup r;
    struct stats_report rep;
    struct stats_window w;
    sample(&r);
    stats_window_parse("7d", NOW, &w);
    stats_compute(&r, STATS_BY_WORKFLOW, &w, wfs, 2, NULL, &rep);
    assert_int_equal(rep.ngroups, 2);
    const struct stats_group *ref = &rep.groups[0], *sup = &rep.groups[1];
    assert_string_equal(ref->key, "refunds");
    assert_int_equal(ref->decided, 20);
    assert_float_equal(ref->rate, 0.0, EPS);
    assert_float_equal(ref->hi, 0.1611, EPS);
    assert_true(ref->meaningful);
    assert_string_equal(sup->key, "support");
    assert_int_equal(sup->decided, 10);
    assert_int_equal(sup->overrides, 3);
    assert_int_equal(sup->c.escalated, 1); /* apart from decided */
    assert_float_equal(sup->rate, 0.3, EPS);
    assert_float_equal(sup->lo, 0.1078, EPS);
    assert_float_equal(sup->hi, 0.6032, EPS);
    assert_false(sup->meaningful); /* 10 < 20 */
    assert_int_equal(sup->min_decisions, 20);
    /* every decision took 1000 ms: bucket [lo, hi) holding 1000 */
    int b = so_hist_bucket(1000);
    double want = so_hist_lo(b) + 0.5 * (so_hist_lo(b + 1) - so_hist_lo(b));
    assert_float_equal(sup->median_ms, want, EPS);
    assert_float_equal(sup->median_words, 5.0, EPS); /* 4 words: [4,6) */
    /* 7 days: yesterday 1/3 -> ▃, today 2/7 -> ▃ */
    char *s = stats_sparkline(sup->day_decided, sup->day_overrides, rep.ndays);
    assert_string_equal(s, "·····▃▃");
    free(s);
    stats_report_free(&rep);
    so_rollup_free(&r);
}

static void test_window_edge(void **state)
{
    (void)state;
    struct so_rollup r;
    struct stats_report rep;
    struct stats_window w;
    sample(&r);
    stats_window_parse("2d", NOW, &w);
    stats_compute(&r, STATS_BY_WORKFLOW, &w, wfs, 2, NULL, &rep);
    assert_int_equal(rep.ngroups, 1); /* refunds was 3 days ago */
    assert_int_equal(rep.groups[0].decided, 10);
    stats_report_free(&rep);
    stats_window_parse("24h", NOW, &w);
    stats_compute(&r, STATS_BY_WORKFLOW, &w, wfs, 2, NULL, &rep);
    assert_int_equal(rep.groups[0].decided, 7); /* today only */
    stats_report_free(&rep);
    stats_window_parse("2026-11-21", NOW, &w); /* TODAY - 3: in */
    stats_compute(&r, STATS_BY_WORKFLOW, &w, wfs, 2, "refunds", &rep);
    assert_int_equal(rep.ngroups, 1);
    assert_string_equal(rep.groups[0].key, "refunds");
    stats_report_free(&rep);
    stats_window_parse("2026-11-22", NOW, &w); /* the day after: out */
    stats_compute(&r, STATS_BY_WORKFLOW, &w, wfs, 2, "refunds", &rep);
    assert_int_equal(rep.ngroups, 0);
    stats_report_free(&rep);
    so_rollup_free(&r);
}

static void test_by_reviewer(void **state)
{
    (void)state;
    struct so_rollup r;
    struct stats_report rep;
    struct stats_window w;
    sample(&r);
    stats_window_parse("7d", NOW, &w);
    stats_compute(&r, STATS_BY_REVIEWER, &w, wfs, 2, NULL, &rep);
    assert_int_equal(rep.ngroups, 2);
    const struct stats_group *al = &rep.groups[0], *bob = &rep.groups[1];
    assert_string_equal(al->key, "alice");
    assert_int_equal(al->decided, 27); /* 5+1+1 + 20 */
    assert_float_equal(al->rate, 2.0 / 27.0, EPS);
    assert_float_equal(al->lo, 0.0206, EPS);
    assert_float_equal(al->hi, 0.2337, EPS);
    assert_float_equal(al->rubber_stamp, 2.0 / 25.0, EPS);
    assert_int_equal(al->min_decisions, 20); /* largest of her workflows */
    assert_true(al->meaningful);
    assert_string_equal(bob->key, "bob");
    assert_int_equal(bob->decided, 3);
    assert_float_equal(bob->hi, 0.7923, EPS);
    assert_float_equal(bob->rubber_stamp, 0.0, EPS);
    stats_report_free(&rep);
    so_rollup_free(&r);
}

static void test_by_day_model_band(void **state)
{
    (void)state;
    struct so_rollup r;
    struct stats_report rep;
    struct stats_window w;
    sample(&r);
    stats_window_parse("7d", NOW, &w);
    stats_compute(&r, STATS_BY_DAY, &w, wfs, 2, NULL, &rep);
    assert_int_equal(rep.ngroups, 3);
    assert_string_equal(rep.groups[0].key, "2026-11-21");
    assert_string_equal(rep.groups[1].key, "2026-11-23");
    assert_string_equal(rep.groups[2].key, "2026-11-24");
    assert_float_equal(rep.groups[2].rate, 2.0 / 7.0, EPS);
    assert_float_equal(rep.groups[2].hi, 0.6411, EPS);
    assert_null(rep.groups[2].day_decided); /* the rows are the series */
    char *txt = stats_format_report(&rep, STATS_FMT_TABLE, 0);
    assert_non_null(strstr(txt, "2026-11-24"));
    assert_non_null(strstr(txt, "P95 DECIDE"));
    free(txt);
    /* Fitted to 50 columns: no line wider, the day and its rate stay. */
    txt = stats_format_report(&rep, STATS_FMT_TABLE, 50);
    for (const char *p = txt; *p;) {
        size_t len = strcspn(p, "\n");
        assert_true(text_width(p, len) <= 50);
        p += len + (p[len] == '\n');
    }
    assert_non_null(strstr(txt, "2026-11-24"));
    assert_non_null(strstr(txt, "OVERRIDE"));
    assert_null(strstr(txt, "P95 DECIDE"));
    free(txt);
    stats_report_free(&rep);
    stats_compute(&r, STATS_BY_MODEL, &w, wfs, 2, NULL, &rep);
    assert_int_equal(rep.ngroups, 2);
    assert_string_equal(rep.groups[0].key, "m1");
    assert_int_equal(rep.groups[0].decided, 27);
    assert_string_equal(rep.groups[1].key, "m2");
    stats_report_free(&rep);
    stats_compute(&r, STATS_BY_BAND, &w, wfs, 2, NULL, &rep);
    assert_int_equal(rep.ngroups, 3);
    assert_string_equal(rep.groups[0].key, "0.2-0.3");
    assert_string_equal(rep.groups[1].key, "0.7-0.8");
    assert_string_equal(rep.groups[2].key, "0.9-1.0");
    assert_int_equal(rep.groups[2].num, 9);
    stats_report_free(&rep);
    so_rollup_free(&r);
}

static void test_reasons(void **state)
{
    (void)state;
    struct so_rollup r;
    struct stats_report rep;
    struct stats_window w;
    sample(&r);
    stats_window_parse("7d", NOW, &w);
    stats_compute(&r, STATS_BY_WORKFLOW, &w, wfs, 2, NULL, &rep);
    assert_int_equal(rep.nreasons, 3);
    assert_string_equal(rep.reasons[0].workflow, "refunds");
    assert_float_equal(rep.reasons[0].share, 1.0, EPS);
    assert_string_equal(rep.reasons[1].reason, "factual"); /* dominant */
    assert_float_equal(rep.reasons[1].share, 0.75, EPS);
    assert_string_equal(rep.reasons[2].reason, "tone");
    assert_float_equal(rep.reasons[2].share, 0.25, EPS);
    stats_report_free(&rep);
    so_rollup_free(&r);
}

/*
 * triage (threshold 0.1, min 10): band 5 A5 R5; band 6 A29 E1; band 8 A40;
 * band 9 A2. From band 5: 6 of 82, upper 0.1506 >= 0.1: no. From band 6:
 * 1 of 72, upper 0.0746 < 0.1: ready from 0.6. Band 9 alone is too few.
 */
static void test_readiness(void **state)
{
    (void)state;
    struct so_rollup r = {0};
    struct stats_report rep;
    struct stats_window w;
    const struct so_workflow tw[] = {
        {.name = "triage", .threshold = 0.1, .min_decisions = 10}};
    cell(&r, TODAY, "triage", "m", "a", 5, 5, 0, 5, 0, 0);
    cell(&r, TODAY, "triage", "m", "a", 6, 29, 1, 0, 0, 0);
    cell(&r, TODAY, "triage", "m", "b", 8, 40, 0, 0, 0, 0);
    cell(&r, TODAY, "triage", "m", "b", 9, 2, 0, 0, 0, 0);
    cell(&r, TODAY, "other", "m", "b", 9, 3, 0, 0, 0, 0);
    stats_window_parse("7d", NOW, &w);
    stats_compute(&r, STATS_BY_BAND, &w, tw, 1, NULL, &rep);
    assert_int_equal(rep.nready, 2);
    assert_string_equal(rep.ready[0].workflow, "other");
    assert_int_equal(rep.ready[0].band, -1); /* 3 < default minimum */
    const struct stats_readiness *rd = &rep.ready[1];
    assert_string_equal(rd->workflow, "triage");
    assert_int_equal(rd->band, 6);
    assert_int_equal(rd->decided, 72);
    assert_float_equal(rd->hi, 0.0746, EPS);
    assert_int_equal(rd->band_decided[5], 10);
    assert_int_equal(rd->band_overrides[5], 5);
    stats_report_free(&rep);
    so_rollup_free(&r);
}

static void test_alert(void **state)
{
    (void)state;
    struct so_rollup r;
    struct stats_alert a;
    struct so_workflow wf = wfs[0];
    sample(&r);
    wf.min_decisions = 5;
    stats_alert_for(&r, &wf, NOW, &a);
    assert_int_equal(a.decided, 10);
    assert_float_equal(a.rate, 0.3, EPS);
    assert_true(a.over); /* 0.3 > 0.25 with 10 >= 5 */
    wf.min_decisions = 20;
    stats_alert_for(&r, &wf, NOW, &a);
    assert_false(a.over); /* not enough decisions */
    wf.min_decisions = 5;
    wf.window_ms = 48 * 3600 * 1000LL;
    stats_alert_for(&r, &wf, NOW, &a);
    assert_int_equal(a.decided, 10); /* yesterday and today */
    wf.threshold = 0.3;
    stats_alert_for(&r, &wf, NOW, &a);
    assert_false(a.over); /* equal is not over */
    assert_int_equal(stats_alert_since_ms(wfs, 2, NOW),
                     (TODAY - 6) * STATS_DAY_MS);
    so_rollup_free(&r);
}

static double num_at(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    assert_non_null(v);
    assert_true(cJSON_IsNumber(v));
    return v->valuedouble;
}

static void test_format_json(void **state)
{
    (void)state;
    struct so_rollup r;
    struct stats_report rep;
    struct stats_window w;
    sample(&r);
    stats_window_parse("7d", NOW, &w);
    stats_compute(&r, STATS_BY_WORKFLOW, &w, wfs, 2, NULL, &rep);
    char *txt = stats_format_report(&rep, STATS_FMT_JSON, 0);
    cJSON *root = cJSON_Parse(txt);
    assert_non_null(root);
    const cJSON *groups = cJSON_GetObjectItemCaseSensitive(root, "groups");
    assert_int_equal(cJSON_GetArraySize(groups), 2);
    const cJSON *sup = cJSON_GetArrayItem(groups, 1);
    assert_string_equal(
        cJSON_GetObjectItemCaseSensitive(sup, "key")->valuestring, "support");
    assert_float_equal(num_at(sup, "override_rate"), 0.3, EPS);
    assert_float_equal(num_at(sup, "ci95_low"), 0.1078, EPS);
    assert_float_equal(num_at(sup, "ci95_high"), 0.6032, EPS);
    assert_float_equal(num_at(sup, "escalated"), 1, EPS);
    assert_true(cJSON_IsFalse(
        cJSON_GetObjectItemCaseSensitive(sup, "meaningful")));
    const cJSON *daily = cJSON_GetObjectItemCaseSensitive(sup, "daily_rate");
    assert_int_equal(cJSON_GetArraySize(daily), 7);
    assert_true(cJSON_IsNull(cJSON_GetArrayItem(daily, 0)));
    assert_float_equal(cJSON_GetArrayItem(daily, 5)->valuedouble, 1.0 / 3,
                       EPS);
    const cJSON *ready = cJSON_GetObjectItemCaseSensitive(root, "readiness");
    const cJSON *ref = cJSON_GetArrayItem(ready, 0);
    assert_float_equal(num_at(ref, "ready_from_confidence"), 0.9, EPS);
    cJSON_Delete(root);
    free(txt);
    stats_report_free(&rep);
    so_rollup_free(&r);
}

static void test_format_csv_prometheus(void **state)
{
    (void)state;
    struct so_rollup r = {0};
    struct stats_report rep;
    struct stats_window w;
    cell(&r, TODAY, "a,\"b\"\\", "m", "x", 1, 3, 1, 0, 0, 0);
    stats_window_parse("24h", NOW, &w);
    stats_compute(&r, STATS_BY_WORKFLOW, &w, NULL, 0, NULL, &rep);
    char *csv = stats_format_report(&rep, STATS_FMT_CSV, 0);
    /* RFC 4180: quoted, inner quotes doubled, CRLF line ends */
    assert_non_null(strstr(csv, "\r\n\"a,\"\"b\"\"\\\",4,3,1,0,0,0.250000,"));
    free(csv);
    char *prom = stats_format_report(&rep, STATS_FMT_PROMETHEUS, 0);
    assert_non_null(strstr(prom, "# TYPE signoff_override_ratio gauge\n"
                                 "signoff_override_ratio{workflow=\"a,\\\"b"
                                 "\\\"\\\\\"} 0.25\n"));
    assert_non_null(strstr(prom, "signoff_window_decisions{workflow=\"a,\\\"b\\\""
                                 "\\\\\",action=\"edit\"} 1\n"));
    free(prom);
    stats_report_free(&rep);
    so_rollup_free(&r);
}

int main(void)
{
    /* Widths as the CLI measures them (it runs in the user's locale). */
    if (!setlocale(LC_ALL, "C.UTF-8"))
        setlocale(LC_ALL, "en_US.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wilson),
        cmocka_unit_test(test_window),
        cmocka_unit_test(test_median),
        cmocka_unit_test(test_sparkline),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_by_workflow),
        cmocka_unit_test(test_window_edge),
        cmocka_unit_test(test_by_reviewer),
        cmocka_unit_test(test_by_day_model_band),
        cmocka_unit_test(test_reasons),
        cmocka_unit_test(test_readiness),
        cmocka_unit_test(test_alert),
        cmocka_unit_test(test_format_json),
        cmocka_unit_test(test_format_csv_prometheus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
