/* test_keys: key names, default bindings, `bind` remapping, descriptions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>

#include "signoff/keys.h"

static void test_parse_names(void **state)
{
    (void)state;
    assert_int_equal(keys_parse("a"), 'a');
    assert_int_equal(keys_parse("|"), '|');
    assert_int_equal(keys_parse("^L"), 12);
    assert_int_equal(keys_parse("^x"), 24);
    assert_int_equal(keys_parse("<Enter>"), '\n');
    assert_int_equal(keys_parse("<Down>"), KEY_DOWN);
    assert_int_equal(keys_parse("<PageDown>"), KEY_NPAGE);
    assert_int_equal(keys_parse("F5"), KEY_F(5));
    assert_int_equal(keys_parse("<F12>"), KEY_F(12));
    assert_int_equal(keys_parse("F13"), -1);
    assert_int_equal(keys_parse("<F5"), -1);
    assert_int_equal(keys_parse("<Nope>"), -1);
    assert_int_equal(keys_parse("ab"), -1);
    assert_int_equal(keys_parse(""), -1);
    assert_int_equal(keys_parse("\xc3\xa9"), -1);
    char out[16];
    keys_name(12, out);
    assert_string_equal(out, "^L");
    keys_name(KEY_DOWN, out);
    assert_string_equal(out, "<Down>");
    keys_name('\r', out);
    assert_string_equal(out, "<Enter>");
    keys_name(KEY_F(3), out);
    assert_string_equal(out, "F3");
}

static void test_defaults(void **state)
{
    (void)state;
    struct keys *k = keys_new();
    assert_int_equal(keys_lookup(k, 'a'), KA_APPROVE);
    assert_int_equal(keys_lookup(k, 'j'), KA_DOWN);
    assert_int_equal(keys_lookup(k, KEY_DOWN), KA_DOWN);
    assert_int_equal(keys_lookup(k, '\r'), KA_OPEN);
    assert_int_equal(keys_lookup(k, KEY_ENTER), KA_OPEN);
    assert_int_equal(keys_lookup(k, '|'), KA_PIPE);
    assert_int_equal(keys_lookup(k, 'Z'), KA_NONE);
    /* Every action has a name, help and at least one key. */
    for (int a = 0; a < KA_COUNT; a++) {
        struct buf b;
        buf_init(&b);
        keys_describe(k, (enum keys_action)a, &b);
        assert_true(b.len > 0);
        assert_non_null(keys_action_help((enum keys_action)a));
        assert_int_equal(keys_action_from_name(
                             keys_action_name((enum keys_action)a)),
                         a);
        buf_free(&b);
    }
    keys_free(k);
}

static void test_bind(void **state)
{
    (void)state;
    struct keys *k = keys_new();
    struct so_error err;
    assert_int_equal(keys_bind(k, "y", "approve", &err), SO_OK);
    assert_int_equal(keys_bind(k, "a", "reject", &err), SO_OK);
    assert_int_equal(keys_lookup(k, 'y'), KA_APPROVE);
    assert_int_equal(keys_lookup(k, 'a'), KA_REJECT);
    struct buf b;
    buf_init(&b);
    keys_describe(k, KA_APPROVE, &b);
    assert_string_equal(buf_cstr(&b), "y");
    buf_reset(&b);
    keys_describe(k, KA_REJECT, &b);
    assert_string_equal(buf_cstr(&b), "r, a");
    assert_int_equal(keys_bind(k, "<Enter>", "none", &err), SO_OK);
    assert_int_equal(keys_lookup(k, '\n'), KA_NONE);
    assert_int_equal(keys_bind(k, "<Enter>", "approve", &err), SO_OK);
    assert_int_equal(keys_lookup(k, '\r'), KA_APPROVE);
    assert_int_equal(keys_lookup(k, KEY_ENTER), KA_APPROVE);
    assert_int_equal(keys_bind(k, "a", "frobnicate", &err), SO_ERR_INVALID);
    assert_non_null(strstr(err.msg, "unknown action"));
    assert_int_equal(keys_bind(k, "<Bogus>", "approve", &err),
                     SO_ERR_INVALID);
    assert_non_null(strstr(err.msg, "unknown key"));
    buf_free(&b);
    keys_free(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_names),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_bind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
