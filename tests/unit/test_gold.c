/* test_gold: the rules of gold checks (gold.h): the input line and what it
 * refuses, whether a decision gives the known answer, the counted mix, and
 * a reviewer's accuracy with its Wilson interval and flag (stats.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "signoff/gold.h"
#include "signoff/stats.h"

static void line_bad(const char *line, const char *msg)
{
    struct gold_item g;
    struct so_error err;
    assert_int_not_equal(gold_from_jsonl(line, strlen(line), &g, &err), SO_OK);
    assert_string_equal(err.msg, msg);
    assert_null(g.draft);
}

static void test_line(void **state)
{
    (void)state;
    const char *ok = "{\"draft\":{\"id\":\"T-1\",\"workflow\":\"w\",\"body\":"
                     "\"b\"},\"expected\":\"reject\",\"reasons\":[\"factual\","
                     "\"tone\"]}";
    struct gold_item g;
    struct so_error err;
    assert_int_equal(gold_from_jsonl(ok, strlen(ok), &g, &err), SO_OK);
    assert_string_equal(g.draft->id, "T-1");
    assert_int_equal(g.expected, SO_ACT_REJECT);
    assert_string_equal(g.reasons, "factual\ntone");
    gold_item_clear(&g);
    line_bad("{\"expected\":\"approve\"}", "draft: required");
    line_bad("{\"draft\":{\"id\":\"T-1\",\"workflow\":\"w\",\"body\":\"b\"},"
             "\"expected\":\"revert\"}",
             "expected: approve, edit, reject or escalate, not 'revert'");
    line_bad("{\"draft\":{\"id\":\"T-1\",\"workflow\":\"w\",\"body\":\"b\"},"
             "\"expected\":\"approve\",\"reasons\":[\"x\"]}",
             "reasons: only an expected reject has reasons");
    line_bad("{\"draft\":{\"id\":\"T-1\",\"workflow\":\"w\"},"
             "\"expected\":\"approve\"}",
             "draft.body: required");
    line_bad("[1]", "expected a JSON object");
    line_bad("{\"draft\":{\"id\":\"T-1\",\"workflow\":\"w\",\"body\":\"b\"},"
             "\"expected\":\"reject\",\"reasons\":[\"ok\",7]}",
             "reasons[1]: expected a string");
}

static void test_correct(void **state)
{
    (void)state;
    assert_true(gold_correct(SO_ACT_APPROVE, NULL, SO_ACT_APPROVE, NULL));
    assert_false(gold_correct(SO_ACT_APPROVE, NULL, SO_ACT_EDIT, NULL));
    assert_true(gold_correct(SO_ACT_REJECT, NULL, SO_ACT_REJECT, "tone"));
    assert_true(gold_correct(SO_ACT_REJECT, "factual\ntone", SO_ACT_REJECT,
                             "tone"));
    assert_false(gold_correct(SO_ACT_REJECT, "factual\ntone", SO_ACT_REJECT,
                              "fact"));
    assert_false(gold_correct(SO_ACT_REJECT, "factual", SO_ACT_REJECT, NULL));
    assert_false(gold_correct(SO_ACT_REJECT, "factual", SO_ACT_APPROVE,
                              "factual"));
}

static void test_due(void **state)
{
    (void)state;
    double due = 0;
    int n = 0;
    for (int i = 0; i < 100; i++)
        n += gold_due_step(&due, 5.0); /* one in twenty */
    assert_int_equal(n, 5);
    due = 0;
    n = 0;
    for (int i = 0; i < 30; i++)
        n += gold_due_step(&due, 10.0 / 3.0); /* 3.33%: one in thirty */
    assert_int_equal(n, 1);
    assert_int_equal(gold_due_step(&due, 0), 0);
}

static void test_accuracy(void **state)
{
    (void)state;
    struct gold_accuracy a = {4, 1, 0, 0, 0};
    stats_gold_finish(&a);
    assert_float_equal(a.acc, 0.25, 1e-9);
    assert_float_equal(a.lo, 0.0456, 1e-4);
    assert_float_equal(a.hi, 0.6994, 1e-4);
    assert_true(stats_gold_flagged(&a, 0.8));
    assert_false(stats_gold_flagged(&a, 0.6));
    struct gold_accuracy none = {0, 0, 0, 0, 0};
    stats_gold_finish(&none);
    assert_float_equal(none.acc, -1, 0);
    assert_false(stats_gold_flagged(&none, 0.9));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line),
        cmocka_unit_test(test_correct),
        cmocka_unit_test(test_due),
        cmocka_unit_test(test_accuracy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
