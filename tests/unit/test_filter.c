/* test_filter: mutt-style limit patterns into listing requests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "signoff/filter.h"

static void test_terms(void **state)
{
    (void)state;
    struct filter f;
    struct so_error err;
    assert_int_equal(filter_parse("~w refunds ~m m-2026 ~c<0.6 ~g ~e late "
                                  "refund",
                                  &f, &err),
                     SO_OK);
    assert_string_equal(f.workflow, "refunds");
    assert_string_equal(f.model, "m-2026");
    assert_true(f.conf_below > 0.59 && f.conf_below < 0.61);
    assert_true(f.conf_atleast < 0);
    assert_int_equal(f.grounding, 1);
    assert_int_equal(f.escalated, 1);
    assert_string_equal(f.words, "late refund");
    assert_string_equal(f.pattern,
                        "~w refunds ~m m-2026 ~c<0.6 ~g ~e late refund");
    struct so_list_req req = {0};
    req.limit = 7;
    filter_apply(&f, &req);
    assert_string_equal(req.workflow, "refunds");
    assert_string_equal(req.model, "m-2026");
    assert_string_equal(req.text, "late refund");
    assert_int_equal(req.grounding_only, 1);
    assert_int_equal(req.escalated_only, 1);
    assert_int_equal(req.limit, 7);
    assert_int_equal(filter_needs_listing(&f), 1);
    filter_clear(&f);

    assert_int_equal(filter_parse("~c >=0.8", &f, &err), SO_OK);
    assert_true(f.conf_atleast > 0.79 && f.conf_atleast < 0.81);
    filter_clear(&f);

    assert_int_equal(filter_parse("~w support", &f, &err), SO_OK);
    assert_int_equal(filter_needs_listing(&f), 0);
    filter_clear(&f);
}

static void test_empty(void **state)
{
    (void)state;
    struct filter f;
    struct so_error err;
    assert_int_equal(filter_parse("   ", &f, &err), SO_OK);
    assert_null(f.pattern);
    assert_null(f.workflow);
    assert_int_equal(filter_needs_listing(&f), 0);
    filter_clear(&f);
    assert_int_equal(filter_parse(NULL, &f, &err), SO_OK);
    assert_null(f.pattern);
    filter_clear(&f);
}

static void test_errors(void **state)
{
    (void)state;
    struct filter f;
    struct so_error err;
    static const struct {
        const char *pattern, *why;
    } bad[] = {
        {"~w", "~w: needs a name"},
        {"~w ~g", "~w: needs a name"},
        {"~wx", "~w: write ~w NAME"},
        {"~c0.5", "~c: expected"},
        {"~c<2", "from 0 to 1"},
        {"~c<abc", "from 0 to 1"},
        {"~gx", "takes no argument"},
        {"~x", "unknown pattern ~x"},
        {"~", "unknown pattern"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(filter_parse(bad[i].pattern, &f, &err),
                         SO_ERR_INVALID);
        if (!strstr(err.msg, bad[i].why))
            fail_msg("%s: got '%s'", bad[i].pattern, err.msg);
        assert_null(f.pattern);
        assert_null(f.workflow);
        filter_clear(&f);
    }
}

/* Words combine with AND, a quoted phrase is one term (issue 19 item 11). */
static void test_words_and_phrases(void **state)
{
    (void)state;
    struct filter f;
    struct so_error err;
    assert_int_equal(filter_parse("Bulk  \"draft 49999\" ~g late", &f, &err),
                     SO_OK);
    assert_string_equal(f.words, "Bulk \"draft 49999\" late");
    char **t = NULL;
    size_t n = 0;
    assert_int_equal(filter_terms(f.words, &t, &n, &err), SO_OK);
    assert_int_equal(n, 3);
    assert_string_equal(t[0], "Bulk");
    assert_string_equal(t[1], "draft 49999");
    assert_string_equal(t[2], "late");
    filter_terms_free(t, n);
    filter_clear(&f);

    assert_int_equal(filter_parse("Bulk \"draft 4", &f, &err), SO_ERR_INVALID);
    assert_non_null(strstr(err.msg, "a quoted phrase is not closed"));
    assert_null(f.pattern);
    assert_int_equal(filter_parse("a \"\" b", &f, &err), SO_ERR_INVALID);
    assert_non_null(strstr(err.msg, "empty quoted phrase"));
    assert_int_equal(filter_parse("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17",
                                  &f, &err),
                     SO_ERR_INVALID);
    assert_non_null(strstr(err.msg, "at most 16"));
    /* The same text from elsewhere (the server's ?q=) is split alike. */
    assert_int_equal(filter_terms("x \"y", &t, &n, NULL), SO_ERR_INVALID);
    assert_null(t);
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_terms),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_words_and_phrases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
