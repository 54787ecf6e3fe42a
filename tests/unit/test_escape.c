/*
 * test_escape: CSV fields and Prometheus label values from hostile text
 * (escape.h): RFC 4180 quoting only, names with controls as visible
 * tokens, the exposition format's three escapes, invalid UTF-8 as U+FFFD
 * (raw bytes kept only by escape_csv_raw), NULL as the empty value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "signoff/escape.h"

static char *csv(void (*fn)(struct buf *, const char *), const char *s)
{
    struct buf b;
    buf_init(&b);
    fn(&b, s);
    buf_cstr(&b);
    return buf_steal(&b);
}

#define CHECK_CSV(fn, in, want)                                                \
    do {                                                                       \
        char *got_ = csv(fn, in);                                              \
        assert_string_equal(got_, want);                                       \
        free(got_);                                                            \
    } while (0)

static void test_csv_field(void **state)
{
    (void)state;
    CHECK_CSV(escape_csv_field, "plain", "plain");
    CHECK_CSV(escape_csv_field, "he said \"no\"", "\"he said \"\"no\"\"\"");
    CHECK_CSV(escape_csv_field, "a,b", "\"a,b\"");
    CHECK_CSV(escape_csv_field, "two\r\nlines", "\"two\r\nlines\"");
    CHECK_CSV(escape_csv_field, " padded ", "\" padded \"");
    CHECK_CSV(escape_csv_field, "caf\xc3\xa9", "caf\xc3\xa9");
    CHECK_CSV(escape_csv_field, "bad \xff byte", "bad \xef\xbf\xbd byte");
    CHECK_CSV(escape_csv_field, "", "");
    CHECK_CSV(escape_csv_field, NULL, "");
    CHECK_CSV(escape_csv_raw, "bad \xff, byte", "\"bad \xff, byte\"");
    CHECK_CSV(escape_csv_raw, "tab\there", "tab\there");
}

static void test_csv_name(void **state)
{
    (void)state;
    CHECK_CSV(escape_csv_name, "ev\x1b]0;x\x07il", "ev<U+001B>]0;x<U+0007>il");
    CHECK_CSV(escape_csv_name, "rtl \xe2\x80\xae", "rtl <U+202E>");
    CHECK_CSV(escape_csv_name, "a\"b,c", "\"a\"\"b,c\"");
    CHECK_CSV(escape_csv_name, "line\nfeed", "line<U+000A>feed");
    CHECK_CSV(escape_csv_name, NULL, "");
}

static void test_prom_label(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b);
    escape_prom_label(&b, "workflow", "a\\b\"c\nd\x1b[2J\xff");
    assert_string_equal(buf_cstr(&b), "workflow=\"a\\\\b\\\"c\\nd<U+001B>[2J"
                                      "\xef\xbf\xbd\"");
    buf_reset(&b);
    escape_prom_label(&b, "model", NULL);
    assert_string_equal(buf_cstr(&b), "model=\"\"");
    buf_reset(&b);
    escape_prom_family(&b, "signoff_x_total", "counter", "Things.");
    assert_string_equal(buf_cstr(&b), "# HELP signoff_x_total Things.\n"
                                      "# TYPE signoff_x_total counter\n");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_field),
        cmocka_unit_test(test_csv_name),
        cmocka_unit_test(test_prom_label),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
