/*
 * test_agreement: percent agreement and Cohen's kappa against values
 * computed by hand (written out in the comments), the degenerate matrices
 * where kappa is undefined, the per-workflow and per-pair summary of
 * store cells, and every output format.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <cJSON.h>

#include "signoff/agreement.h"

#define EPS 0.00005

static void test_kappa_three_categories(void **state)
{
    (void)state;
    /* n = 50, diagonal 38: p_o = 0.76; rows 25 15 10, columns 23 17 10:
     * p_e = (575 + 255 + 100) / 2500 = 0.372;
     * kappa = 0.388 / 0.628 = 0.617834 */
    const int64_t m[3][3] = {{20, 5, 0}, {3, 10, 2}, {0, 2, 8}};
    struct agreement_figures f;
    agreement_compute(m, &f);
    assert_int_equal(f.shared, 50);
    assert_float_equal(f.percent, 76.0, EPS);
    assert_true(f.kappa_defined);
    assert_float_equal(f.kappa, 0.617834, EPS);
}

static void test_kappa_two_categories(void **state)
{
    (void)state;
    /* approve/reject only: p_o = 35/50 = 0.7; rows 25 25, columns 30 20:
     * p_e = 0.5; kappa = 0.2 / 0.5 = 0.4 */
    const int64_t m[3][3] = {{20, 0, 5}, {0, 0, 0}, {10, 0, 15}};
    struct agreement_figures f;
    agreement_compute(m, &f);
    assert_float_equal(f.percent, 70.0, EPS);
    assert_true(f.kappa_defined);
    assert_float_equal(f.kappa, 0.4, EPS);
}

static void test_kappa_degenerate(void **state)
{
    (void)state;
    struct agreement_figures f;
    /* both always approve: p_o = p_e = 1, kappa undefined, 100 % */
    const int64_t same[3][3] = {{10, 0, 0}, {0, 0, 0}, {0, 0, 0}};
    agreement_compute(same, &f);
    assert_int_equal(f.shared, 10);
    assert_float_equal(f.percent, 100.0, EPS);
    assert_false(f.kappa_defined);
    /* no shared drafts */
    const int64_t none[3][3] = {{0}};
    agreement_compute(none, &f);
    assert_int_equal(f.shared, 0);
    assert_false(f.kappa_defined);
    /* one always approves, the other always rejects: p_o = p_e = 0,
     * kappa = 0 (defined) */
    const int64_t opposite[3][3] = {{0, 0, 5}, {0, 0, 0}, {0, 0, 0}};
    agreement_compute(opposite, &f);
    assert_float_equal(f.percent, 0.0, EPS);
    assert_true(f.kappa_defined);
    assert_float_equal(f.kappa, 0.0, EPS);
    /* a always approves, b 3 approve 1 reject: p_o = 0.75 = p_e */
    const int64_t one_sided[3][3] = {{3, 0, 1}, {0, 0, 0}, {0, 0, 0}};
    agreement_compute(one_sided, &f);
    assert_true(f.kappa_defined);
    assert_float_equal(f.kappa, 0.0, EPS);
}

static void test_category(void **state)
{
    (void)state;
    assert_int_equal(agreement_category("approve"), 0);
    assert_int_equal(agreement_category("edit"), 1);
    assert_int_equal(agreement_category("reject"), 2);
    assert_int_equal(agreement_category("escalate"), -1);
    assert_int_equal(agreement_category(NULL), -1);
}

/* refunds: alice+bob approve/approve x3, approve/reject x1; alice+carol
 * reject/reject x2; 2 resolutions, 1 sided with the AI. */
static void fixture(struct so_agreement *a)
{
    static const struct {
        const char *b;
        int ca, cb;
        int64_t n;
    } c[] = {{"bob", 0, 0, 3}, {"bob", 0, 2, 1}, {"carol", 2, 2, 2}};
    memset(a, 0, sizeof *a);
    a->ncells = 3;
    a->cells = calloc(3, sizeof *a->cells);
    for (size_t i = 0; i < 3; i++) {
        a->cells[i].workflow = strdup("refunds");
        a->cells[i].reviewer_a = strdup("alice");
        a->cells[i].reviewer_b = strdup(c[i].b);
        a->cells[i].cat_a = c[i].ca;
        a->cells[i].cat_b = c[i].cb;
        a->cells[i].n = c[i].n;
    }
    a->nresolves = 1;
    a->resolves = calloc(1, sizeof *a->resolves);
    a->resolves[0].workflow = strdup("refunds");
    a->resolves[0].resolved = 2;
    a->resolves[0].sided_ai = 1;
}

static void test_summary(void **state)
{
    (void)state;
    struct so_agreement a;
    struct agreement_summary s;
    fixture(&a);
    agreement_summarise(&a, &s);
    assert_int_equal(s.n, 3);
    /* workflow: n = 6, p_o = 5/6; rows 4 0 2, columns 3 0 3:
     * p_e = (12 + 6) / 36 = 0.5; kappa = (5/6 - 1/2) / (1/2) = 2/3 */
    assert_null(s.lines[0].reviewer_a);
    assert_int_equal(s.lines[0].fig.shared, 6);
    assert_float_equal(s.lines[0].fig.percent, 83.3333, 0.0001);
    assert_float_equal(s.lines[0].fig.kappa, 0.666667, EPS);
    assert_int_equal(s.lines[0].resolved, 2);
    assert_int_equal(s.lines[0].sided_ai, 1);
    /* alice+bob: p_o = 0.75 = p_e: kappa 0 */
    assert_string_equal(s.lines[1].reviewer_b, "bob");
    assert_int_equal(s.lines[1].fig.shared, 4);
    assert_float_equal(s.lines[1].fig.kappa, 0.0, EPS);
    /* alice+carol: both only reject: undefined */
    assert_string_equal(s.lines[2].reviewer_b, "carol");
    assert_false(s.lines[2].fig.kappa_defined);
    assert_float_equal(s.lines[2].fig.percent, 100.0, EPS);
    agreement_summary_free(&s);
    agreement_free(&a);
}

static void test_formats(void **state)
{
    (void)state;
    struct so_agreement a;
    struct agreement_summary s;
    struct buf b;
    const struct agreement_window win = {"2026-01-01", "2026-01-07", 7};
    fixture(&a);
    agreement_summarise(&a, &s);
    buf_init(&b);
    agreement_format(&s, &win, AGREE_JSON, 0, &b);
    cJSON *root = cJSON_Parse(buf_cstr(&b));
    assert_non_null(root);
    assert_string_equal(cJSON_GetObjectItem(root, "by")->valuestring, "pair");
    assert_int_equal(cJSON_GetObjectItem(root, "days")->valueint, 7);
    cJSON *j = cJSON_GetObjectItem(root, "groups");
    assert_int_equal(cJSON_GetArraySize(j), 3);
    cJSON *w = cJSON_GetArrayItem(j, 0);
    assert_float_equal(cJSON_GetObjectItem(w, "kappa")->valuedouble, 0.666667,
                       EPS);
    assert_int_equal(cJSON_GetObjectItem(w, "resolver_sided_ai")->valueint, 1);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(j, 2),
                                                 "kappa")));
    cJSON_Delete(root);
    buf_reset(&b);
    agreement_format(&s, &win, AGREE_TABLE, 0, &b);
    assert_non_null(strstr(buf_cstr(&b), "alice+carol"));
    assert_non_null(strstr(buf_cstr(&b), "undefined"));
    assert_non_null(strstr(buf_cstr(&b), "83.3%  0.667"));
    buf_reset(&b);
    agreement_format(&s, &win, AGREE_CSV, 0, &b);
    assert_non_null(strstr(buf_cstr(&b), "refunds,alice,carol,2,1.0000,,,\r\n"));
    assert_non_null(strstr(buf_cstr(&b), "refunds,,,6,0.8333,0.6667,2,1\r\n"));
    buf_reset(&b);
    agreement_format(&s, &win, AGREE_PROM, 0, &b);
    assert_non_null(strstr(buf_cstr(&b), "signoff_agreement_kappa{"
                                         "workflow=\"refunds\"} 0.666667\n"));
    assert_null(strstr(buf_cstr(&b), "reviewer_b=\"carol\"} nan"));
    buf_free(&b);
    agreement_summary_free(&s);
    agreement_free(&a);
}

static void test_wire(void **state)
{
    (void)state;
    struct so_agreement a, back;
    struct so_error err;
    fixture(&a);
    cJSON *j = agreement_to_json(&a);
    assert_int_equal(agreement_from_json(j, &back, &err), SO_OK);
    assert_int_equal(back.ncells, 3);
    assert_string_equal(back.cells[2].reviewer_b, "carol");
    assert_int_equal(back.cells[1].cat_b, 2);
    assert_int_equal(back.resolves[0].sided_ai, 1);
    agreement_free(&back);
    /* an unknown action and sided_ai over resolved are refused */
    cJSON_ReplaceItemInObject(cJSON_GetArrayItem(cJSON_GetObjectItem(j,
                                                                      "cells"),
                                                 0),
                              "action_a", cJSON_CreateString("escalate"));
    assert_int_equal(agreement_from_json(j, &back, &err), SO_ERR_PROTOCOL);
    assert_int_equal(back.ncells, 0);
    cJSON_Delete(j);
    a.resolves[0].sided_ai = 3;
    j = agreement_to_json(&a);
    assert_int_not_equal(agreement_from_json(j, &back, &err), SO_OK);
    cJSON_Delete(j);
    agreement_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kappa_three_categories),
        cmocka_unit_test(test_kappa_two_categories),
        cmocka_unit_test(test_kappa_degenerate),
        cmocka_unit_test(test_category),
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_wire),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
