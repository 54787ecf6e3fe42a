/* test_filter: mutt-style limit patterns into listing requests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "signoff/automate.h"
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

/* A draft for filter_match. */
static struct so_draft draft_with(double conf, const char *meta)
{
    struct so_draft d = {0};
    d.id = "d1";
    d.workflow = "refunds";
    d.body = "Refund the customer";
    d.title = "Order 12";
    d.confidence = conf;
    d.metadata_json = (char *)meta;
    return d;
}

static int matches(const char *pattern, double conf, const char *meta)
{
    struct filter f;
    struct so_error err;
    assert_int_equal(filter_parse_policy(pattern, &f, &err), SO_OK);
    struct so_draft d = draft_with(conf, meta);
    int m = filter_match(&f, &d);
    filter_clear(&f);
    return m;
}

/* The always-review language: metadata comparisons beside the limit's
 * terms; the UI's limit keeps reading "risk:" as a word. */
static void test_policy_patterns(void **state)
{
    (void)state;
    assert_true(matches("amount > 500", 0.9, "{\"amount\":900}"));
    assert_false(matches("amount > 500", 0.9, "{\"amount\":500}"));
    assert_true(matches("amount>=500", 0.9, "{\"amount\":500}"));
    assert_true(matches("amount <= 500", 0.9, "{\"amount\":12.5}"));
    assert_false(matches("amount < 500", 0.9, "{\"amount\":\"12\"}"));
    assert_false(matches("amount > 500", 0.9, NULL));
    assert_false(matches("amount > 500", 0.9, "{\"other\":1000}"));
    assert_true(matches("risk: high", 0.9, "{\"risk\":\"HIGH\"}"));
    assert_false(matches("risk: high", 0.9, "{\"risk\":\"higher\"}"));
    assert_true(matches("risk=high", 0.9, "{\"risk\":\"high\"}"));
    assert_true(matches("a.b: 3", 0.9, "{\"a\":{\"b\":3}}"));
    assert_true(matches("vip: true", 0.9, "{\"vip\":true}"));
    assert_true(matches("risk: high ~c>=0.8 refund", 0.9,
                        "{\"risk\":\"high\"}"));
    assert_false(matches("risk: high ~c>=0.8 refund", 0.7,
                         "{\"risk\":\"high\"}"));
    assert_false(matches("risk: high missingword", 0.9,
                         "{\"risk\":\"high\"}"));
    assert_true(matches("~w refunds customer", 0.9, NULL));
    assert_false(matches("~m gpt", 0.9, NULL));

    struct filter f;
    struct so_error err;
    assert_int_equal(filter_parse_policy("amount >", &f, &err),
                     SO_ERR_INVALID);
    assert_int_equal(filter_parse_policy("total < lots", &f, &err),
                     SO_ERR_INVALID);
    assert_non_null(strstr(err.msg, "compare with a number"));
    assert_int_equal(filter_parse_policy("> 5", &f, &err), SO_ERR_INVALID);
    assert_non_null(strstr(err.msg, "metadata key"));
    /* The UI's limit is unchanged: "risk:" is a word there. */
    assert_int_equal(filter_parse("risk: high", &f, &err), SO_OK);
    assert_string_equal(f.words, "risk: high");
    assert_int_equal(f.nmeta, 0);
    filter_clear(&f);
}

/* The sample: deterministic in (seed, id), about the share asked for. */
static void test_sample(void **state)
{
    (void)state;
    int n = 0, again = 0;
    char id[32];
    for (int i = 0; i < 10000; i++) {
        snprintf(id, sizeof id, "draft-%d", i);
        int in = automate_in_sample("seed-1", id, 5.0);
        n += in;
        again += in == automate_in_sample("seed-1", id, 5.0);
    }
    assert_int_equal(again, 10000);
    assert_true(n > 400 && n < 600);
    assert_false(automate_in_sample("seed-1", "x", 0));
    assert_true(automate_in_sample("seed-1", "x", 100));
    /* SHA-256("seed-1\ndraft-0"), first 64 bits mod 10000, fixed. */
    int differs = 0;
    for (int i = 0; i < 50; i++) {
        snprintf(id, sizeof id, "draft-%d", i);
        differs += automate_in_sample("seed-1", id, 50) !=
                   automate_in_sample("seed-2", id, 50);
    }
    assert_true(differs > 0);
}

/* The route: off, paused, below the band, always-review, sample, auto. */
static void test_route(void **state)
{
    (void)state;
    struct automate_policy p;
    struct so_draft d = draft_with(0.9, "{\"amount\":900}");
    automate_policy_load(&p, 1, 0, 0.8, 0, "s", "risk: high\namount > 500");
    assert_int_equal(automate_route(&p, &d), AUTOMATE_HUMAN);
    d.metadata_json = "{\"amount\":10}";
    assert_int_equal(automate_route(&p, &d), AUTOMATE_AUTO);
    d.confidence = 0.79;
    assert_int_equal(automate_route(&p, &d), AUTOMATE_HUMAN);
    d.confidence = -1; /* no confidence: never eligible */
    assert_int_equal(automate_route(&p, &d), AUTOMATE_HUMAN);
    automate_policy_clear(&p);
    d.confidence = 0.9;
    automate_policy_load(&p, 1, 0, 0.8, 100, "s", NULL);
    assert_int_equal(automate_route(&p, &d), AUTOMATE_SAMPLED);
    automate_policy_clear(&p);
    automate_policy_load(&p, 1, 1, 0.8, 0, "s", NULL); /* paused */
    assert_int_equal(automate_route(&p, &d), AUTOMATE_HUMAN);
    automate_policy_clear(&p);
    automate_policy_load(&p, 0, 0, 0.8, 0, "s", NULL); /* no policy */
    assert_int_equal(automate_route(&p, &d), AUTOMATE_HUMAN);
    automate_policy_clear(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_terms),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_words_and_phrases),
        cmocka_unit_test(test_policy_patterns),
        cmocka_unit_test(test_sample),
        cmocka_unit_test(test_route),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
