/* test_diff: word diffs of unchanged, inserted, deleted and replaced text,
 * the edit size, the plain rendering and the fallback bound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "signoff/diff.h"
#include "signoff/util.h"

/* Diff old/new and compare the rendering and the word counts. */
static void check(const char *old_text, const char *new_text,
                  const char *want, size_t del, size_t ins)
{
    struct diff *d = diff_words(old_text, new_text);
    char *got = diff_render_plain(d);

    if (strcmp(got, want) != 0)
        fail_msg("diff \"%s\" -> \"%s\":\n got \"%s\"\nwant \"%s\"", old_text,
                 new_text, got, want);
    assert_int_equal(d->words_deleted, del);
    assert_int_equal(d->words_inserted, ins);
    assert_int_equal(d->fallback, 0);
    assert_int_equal(diff_changed_words(old_text, new_text), del + ins);
    free(got);
    diff_free(d);
}

static void test_unchanged(void **state)
{
    (void)state;
    struct diff *d = diff_words("same text here", "same text here");

    assert_int_equal(d->nops, 1);
    assert_int_equal(d->ops[0].kind, DIFF_EQUAL);
    assert_string_equal(d->ops[0].text, "same text here");
    diff_free(d);
    check("", "", "", 0, 0);
    check(NULL, NULL, "", 0, 0);
}

static void test_insert(void **state)
{
    (void)state;
    check("refund within days", "refund within 30 days",
          "refund within {+30 +}days", 0, 1);
    check("", "new text", "{+new text+}", 0, 2);
    check("a b", "a b c", "a b{+ c+}", 0, 1);
    check("b c", "a b c", "{+a +}b c", 0, 1);
}

static void test_delete(void **state)
{
    (void)state;
    check("we will never refund", "we will refund", "we will [-never -]refund",
          1, 0);
    check("gone entirely", "", "[-gone entirely-]", 2, 0);
}

static void test_replace(void **state)
{
    (void)state;
    check("Policy allows a refund.", "Policy forbids a refund.",
          "Policy [-allows-]{+forbids+} a refund.", 1, 1);
    /* neighbouring changes merge across the whitespace between them */
    check("one two three four", "one 2 3 four",
          "one [-two three-]{+2 3+} four", 2, 2);
    check("a b", "c d", "[-a b-]{+c d+}", 2, 2);
    /* whitespace-only change: no words changed */
    struct diff *d = diff_words("a  b", "a b");
    char *r = diff_render_plain(d);
    assert_string_equal(r, "a[-  -]{+ +}b");
    assert_int_equal(d->words_deleted + d->words_inserted, 0);
    free(r);
    diff_free(d);
    /* UTF-8 words are never split */
    check("caf\xc3\xa9 ouvert", "caf\xc3\xa8 ouvert",
          "[-caf\xc3\xa9-]{+caf\xc3\xa8+} ouvert", 1, 1);
}

static void test_ops_structure(void **state)
{
    (void)state;
    struct diff *d = diff_words("x y z", "x q z");

    assert_int_equal(d->nops, 4);
    assert_int_equal(d->ops[0].kind, DIFF_EQUAL);
    assert_string_equal(d->ops[0].text, "x ");
    assert_int_equal(d->ops[1].kind, DIFF_DELETE);
    assert_string_equal(d->ops[1].text, "y");
    assert_int_equal(d->ops[2].kind, DIFF_INSERT);
    assert_string_equal(d->ops[2].text, "q");
    assert_int_equal(d->ops[3].kind, DIFF_EQUAL);
    assert_string_equal(d->ops[3].text, " z");
    assert_int_equal(d->ops[1].len, 1);
    diff_free(d);
}

/* n words "w0 w1 ..." with every step-th word replaced by "X". */
static char *words(size_t n, size_t step)
{
    struct buf b;
    size_t i;

    buf_init(&b);
    for (i = 0; i < n; i++) {
        if (step && i % step == 0)
            buf_adds(&b, "X ");
        else
            buf_addf(&b, "w%zu ", i);
    }
    buf_cstr(&b);
    return buf_steal(&b);
}

static void test_scattered_edits_are_exact(void **state)
{
    (void)state;
    char *a = words(3000, 0), *b = words(3000, 100);
    struct diff *d = diff_words(a, b);

    assert_int_equal(d->fallback, 0);
    assert_int_equal(d->words_deleted, 30);
    assert_int_equal(d->words_inserted, 30);
    diff_free(d);
    free(a);
    free(b);
}

/* CPU milliseconds allowed for a 1 MiB diff: the machine is shared, and
 * sanitizers slow everything several times. */
#if defined(__SANITIZE_ADDRESS__)
#define BIG_DIFF_MS 8000.0
#else
#define BIG_DIFF_MS 1500.0
#endif

/* Diff a against b; return the CPU milliseconds and the result in *out. */
static double timed_diff(const char *a, const char *b, struct diff **out)
{
    clock_t t0 = clock();

    *out = diff_words(a, b);
    return (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC;
}

static void test_rewrite_falls_back_fast(void **state)
{
    (void)state;
    /* ~1 MiB each, every 2nd word changed: far beyond DIFF_MAX_EDITS */
    char *a = words(120000, 0), *b = words(120000, 2);
    struct diff *d;
    double ms = timed_diff(a, b, &d);
    int fallback = d->fallback;
    size_t del = d->words_deleted, ins = d->words_inserted;

    print_message("1 MiB rewrite diff: %.0f ms CPU\n", ms);
    diff_free(d);
    free(a);
    free(b);
    assert_int_equal(fallback, 1);
    /* everything but the last word, kept as the common suffix */
    assert_int_equal(del, 119999);
    assert_int_equal(ins, 119999);
    assert_true(ms < BIG_DIFF_MS);
}

static void test_local_edit_in_1mib_is_fast(void **state)
{
    (void)state;
    char *a = words(120000, 0), *b = words(120000, 0);
    char *mid = strstr(b, " w60000 ");
    struct diff *d;
    double ms;
    int fallback;
    size_t del, ins;

    memcpy(mid + 1, "CHANGE", 6);
    ms = timed_diff(a, b, &d);
    fallback = d->fallback;
    del = d->words_deleted;
    ins = d->words_inserted;
    print_message("1 MiB one-word edit diff: %.0f ms CPU\n", ms);
    diff_free(d);
    free(a);
    free(b);
    assert_int_equal(fallback, 0);
    assert_int_equal(del, 1);
    assert_int_equal(ins, 1);
    assert_true(ms < BIG_DIFF_MS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unchanged),
        cmocka_unit_test(test_insert),
        cmocka_unit_test(test_delete),
        cmocka_unit_test(test_replace),
        cmocka_unit_test(test_ops_structure),
        cmocka_unit_test(test_scattered_edits_are_exact),
        cmocka_unit_test(test_rewrite_falls_back_fast),
        cmocka_unit_test(test_local_edit_in_1mib_is_fast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
