/* test_grounding: marker forms, missing and unreferenced citations, quotes
 * found or not in their excerpts, offsets and the row flag. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "signoff/grounding.h"

/* A draft with body and citations numbered ns[0..k) whose excerpt and
 * quote come from pairs (NULL excerpt: "the passage"). */
static struct so_draft *draft(const char *body, const int *ns, size_t k,
                              const char *const *excerpts,
                              const char *const *quotes)
{
    struct so_draft *d = so_draft_new();
    size_t i;

    d->id = strdup("d");
    d->workflow = strdup("w");
    d->body = body ? strdup(body) : NULL;
    d->citations = calloc(k + 1, sizeof(*d->citations));
    d->ncitations = k;
    for (i = 0; i < k; i++) {
        d->citations[i].n = ns[i];
        d->citations[i].excerpt =
            strdup(excerpts && excerpts[i] ? excerpts[i] : "the passage");
        d->citations[i].quote =
            quotes && quotes[i] ? strdup(quotes[i]) : NULL;
    }
    return d;
}

/* "n@off" for each marker, space separated. */
static char *markers(const struct grounding *g)
{
    struct buf b;
    size_t i;

    buf_init(&b);
    for (i = 0; i < g->nmarkers; i++)
        buf_addf(&b, "%s%d@%zu", i ? " " : "", g->markers[i].n,
                 g->markers[i].num_off);
    buf_cstr(&b);
    return buf_steal(&b);
}

static void check_markers(const char *body, const char *want)
{
    struct so_draft *d = draft(body, NULL, 0, NULL, NULL);
    struct grounding g;
    char *got;

    grounding_check(d, &g);
    got = markers(&g);
    if (strcmp(got, want) != 0)
        fail_msg("markers of \"%s\": got \"%s\" want \"%s\"", body, got, want);
    free(got);
    grounding_clear(&g);
    so_draft_free(d);
}

static void test_marker_forms(void **state)
{
    (void)state;
    check_markers("allowed [1].", "1@9");
    check_markers("x[1][2] y", "1@2 2@5");
    check_markers("see [1, 2] and [3,4]", "1@5 2@8 3@16 4@18");
    check_markers("[12] [99999]", "12@1 99999@6");
    check_markers("[0] [01] [1-3] [ 1 ] [a] [1,] [123456] [1 ,2] [", "");
    check_markers("arr[[2]]", "2@5");
    check_markers(NULL, "");
    check_markers("", "");
}

static void test_group_offsets(void **state)
{
    (void)state;
    int ns[] = {1, 2};
    struct so_draft *d = draft("ab [1, 2] cd", ns, 2, NULL, NULL);
    struct grounding g;

    grounding_check(d, &g);
    assert_int_equal(g.nmarkers, 2);
    assert_int_equal(g.markers[0].off, 3);
    assert_int_equal(g.markers[0].len, 6);
    assert_int_equal(g.markers[1].off, 3);
    assert_int_equal(g.markers[1].len, 6);
    assert_int_equal(g.markers[1].num_off, 7);
    assert_int_equal(g.markers[1].num_len, 1);
    assert_int_equal(g.markers[0].citation, 0);
    assert_int_equal(g.markers[1].citation, 1);
    assert_int_equal(g.flags, 0);
    assert_int_equal(grounding_row_flags(&g), 0);
    grounding_clear(&g);
    so_draft_free(d);
}

static void test_missing_and_unreferenced(void **state)
{
    (void)state;
    int ns[] = {1, 2, 5};
    struct so_draft *d = draft("a [1] b [4] c [3][4] d [1]", ns, 3, NULL,
                               NULL);
    struct grounding g;

    grounding_check(d, &g);
    assert_int_equal(g.nmarkers, 5);
    assert_int_equal(g.markers[1].citation, -1);
    assert_int_equal(g.nmissing, 2);
    assert_int_equal(g.missing[0], 3);
    assert_int_equal(g.missing[1], 4);
    assert_int_equal(g.nunreferenced, 2);
    assert_int_equal(g.unreferenced[0], 2);
    assert_int_equal(g.unreferenced[1], 5);
    assert_int_equal(g.flags, GROUNDING_MISSING | GROUNDING_UNREFERENCED);
    assert_int_equal(grounding_row_flags(&g), SO_ROW_GROUNDING);
    grounding_clear(&g);
    so_draft_free(d);

    /* an unreferenced citation alone is not a row flag */
    d = draft("no markers", ns, 1, NULL, NULL);
    grounding_check(d, &g);
    assert_int_equal(g.flags, GROUNDING_UNREFERENCED);
    assert_int_equal(grounding_row_flags(&g), 0);
    grounding_clear(&g);
    so_draft_free(d);
}

static void test_quotes(void **state)
{
    (void)state;
    assert_true(grounding_quote_found("Refunds within 30 days of purchase.",
                                      "within 30 days"));
    assert_true(grounding_quote_found("Refunds within\n  30\tdays.",
                                      " within 30 days "));
    assert_false(grounding_quote_found("Refunds within 30 days.",
                                       "Within 30 days"));
    assert_false(grounding_quote_found("Refunds within 30 days.",
                                       "within 60 days"));
    assert_false(grounding_quote_found(NULL, "x"));
    assert_true(grounding_quote_found("abc", NULL));
    assert_true(grounding_quote_found("abc", " \n "));
    assert_true(grounding_quote_found("caf\xc3\xa9 ouvert", "\xc3\xa9 ou"));

    size_t off = 99, len = 99;
    const char *ex2 = "Refunds are paid\n  within\t30 days, always.";
    assert_true(grounding_quote_locate(ex2, "within 30\ndays", &off, &len));
    assert_int_equal(off, 19);
    assert_int_equal(len, 14);
    assert_memory_equal(ex2 + off, "within\t30 days", len);
    assert_true(grounding_quote_locate(ex2, "paid within", &off, &len));
    assert_int_equal(off, 12);
    assert_memory_equal(ex2 + off, "paid\n  within", len);
    assert_false(grounding_quote_locate(ex2, "60 days", &off, &len));
    assert_false(grounding_quote_locate(ex2, "  ", &off, &len));
    assert_false(grounding_quote_locate(NULL, "x", &off, &len));

    int ns[] = {1, 2, 3};
    const char *ex[] = {"refunds within 30 days", "shipping is free",
                        "no quote here"};
    const char *qs[] = {"within 30 days", "shipping costs", NULL};
    struct so_draft *d = draft("[1] [2] [3]", ns, 3, ex, qs);
    struct grounding g;
    grounding_check(d, &g);
    assert_int_equal(g.nbad_quotes, 1);
    assert_int_equal(g.bad_quotes[0], 2);
    assert_int_equal(g.flags, GROUNDING_BAD_QUOTE);
    assert_int_equal(grounding_row_flags(&g), SO_ROW_GROUNDING);
    grounding_clear(&g);
    assert_null(g.markers);
    so_draft_free(d);
}

/* The passage closest to a quote that is not in its excerpt. */
static void test_quote_closest(void **state)
{
    (void)state;
    size_t off = 0, len = 0;
    const char *ex = "Policy: refunds take 30 days from delivery, always.";
    assert_true(grounding_quote_closest(ex, "Refunds take 40 days from "
                                        "delivery", &off, &len));
    assert_memory_equal(ex + off, "refunds take 30 days from delivery", len);
    assert_int_equal(len, strlen("refunds take 30 days from delivery"));
    /* The quote hanging over the excerpt's start. */
    assert_true(grounding_quote_closest("days from delivery only",
                                        "Refunds take 30 days from",
                                        &off, &len));
    assert_int_equal(off, 0);
    assert_int_equal(len, strlen("days from"));
    /* Nothing close: one word in common out of six is not a passage. */
    assert_false(grounding_quote_closest(ex, "warranty of two years for "
                                         "every delivery", &off, &len));
    assert_false(grounding_quote_closest("Shipping is free.",
                                         "not in the excerpt", &off, &len));
    assert_false(grounding_quote_closest(ex, "", &off, &len));
    assert_false(grounding_quote_closest(NULL, "x", &off, &len));
    assert_false(grounding_quote_closest(ex, NULL, &off, &len));
    /* A one-word quote in another case. */
    assert_true(grounding_quote_closest(ex, "ALWAYS", &off, &len));
    assert_memory_equal(ex + off, "always", len);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_marker_forms),
        cmocka_unit_test(test_group_offsets),
        cmocka_unit_test(test_missing_and_unreferenced),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_quote_closest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
