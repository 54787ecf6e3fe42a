/* test_json: the strict parser's refusals (DESIGN.md 7b) and the getters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "signoff/json.h"

/* Parse s; expect failure with a message containing want. */
static void refuse(const char *s, size_t len, int depth, const char *want)
{
    cJSON *v = (cJSON *)1;
    struct so_error err;

    so_error_clear(&err);
    assert_int_not_equal(json_parse_strict(s, len, depth, &v, &err), SO_OK);
    assert_null(v);
    if (!strstr(err.msg, want))
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, want);
}

static cJSON *accept(const char *s)
{
    cJSON *v = NULL;
    struct so_error err;

    so_error_clear(&err);
    if (json_parse_strict(s, strlen(s), 32, &v, &err) != SO_OK)
        fail_msg("refused %s: %s", s, err.msg);
    return v;
}

static void test_accepts_plain_json(void **state)
{
    (void)state;
    cJSON *v = accept(" {\"a\":[1,2,{\"b\":\"\\u00e9\\ud83d\\ude00\"}],"
                      "\"c\":null} \n");
    const cJSON *b = cJSON_GetArrayItem(cJSON_GetObjectItem(v, "a"), 2);
    assert_string_equal(cJSON_GetObjectItem(b, "b")->valuestring,
                        "\xc3\xa9\xf0\x9f\x98\x80");
    cJSON_Delete(v);
}

static void test_depth_checked_before_cjson(void **state)
{
    (void)state;
    size_t n = 2000, i;
    char *s = malloc(2 * n + 1);
    for (i = 0; i < n; i++) {
        s[i] = '[';
        s[n + i] = ']';
    }
    s[2 * n] = '\0';
    refuse(s, 2 * n, 32, "json: nesting deeper than 32 at byte 32");
    free(s);
    /* exactly at the limit is fine */
    cJSON *v = NULL;
    struct so_error err;
    assert_int_equal(json_parse_strict("[[[1]]]", 7, 3, &v, &err), SO_OK);
    cJSON_Delete(v);
    refuse("[[[[1]]]]", 9, 3, "nesting deeper than 3 at byte 3");
    /* brackets inside strings do not count */
    assert_int_equal(json_parse_strict("[\"[[[[\"]", 8, 1, &v, &err), SO_OK);
    cJSON_Delete(v);
}

static void test_duplicate_keys(void **state)
{
    (void)state;
    refuse("{\"a\":1,\"a\":2}", 13, 32, "a: duplicate key");
    refuse("{\"action\":\"reject\",\"Action\":\"approve\"}", 38, 32,
           "duplicate key (also given as \"");
    refuse("{\"x\":{\"k\":1,\"y\":[{\"q\":1,\"Q\":2}]}}", 33, 32,
           "x.y[0].");
    refuse("{\"m\":{\"K\":1,\"k\":2}}", 19, 32, "m.k: duplicate key");
    /* keys compare after unescaping */
    refuse("{\"action\":1,\"\\u0041ction\":2}", 28, 32,
           "Action: duplicate key (also given as \"action\")");
}

static void test_nul_and_surrogates(void **state)
{
    (void)state;
    refuse("{\"a\":\"x\\u0000y\"}", 15, 32, "\\u0000 in a string at byte 7");
    refuse("[\"\\ud800\"]", 10, 32, "lone surrogate escape in a string");
    refuse("[\"\\udc00\"]", 10, 32, "lone surrogate");
    refuse("[\"\\ud800\\u0041\"]", 16, 32, "lone surrogate");
    refuse("[\"a\0b\"]", 7, 32, "raw control character in a string at byte 3");
    refuse("[1]\0", 4, 32, "NUL byte at byte 3");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    refuse("[\"\xc0\xaf\"]", 6, 32, "invalid UTF-8 at byte 2");
    refuse("[\"\xed\xa0\x80\"]", 7, 32, "invalid UTF-8");
    refuse("[\"\xff\"]", 5, 32, "invalid UTF-8");
    refuse("[\"ab\xe2\x82\"]", 8, 32, "invalid UTF-8 at byte 4");
    refuse("[\xc3\xa9]", 4, 32, "unexpected character at byte 1");
}

static void test_trailing_and_truncated(void **state)
{
    (void)state;
    refuse("{\"a\":1} x", 9, 32,
           "trailing characters after the value at byte 8");
    refuse("{\"a\":1}{}", 9, 32, "trailing characters after the value");
    refuse("{\"a\":1", 6, 32, "unexpected end at byte 6");
    refuse("{\"a\":\"abc", 9, 32, "unterminated string at byte 5");
    refuse("", 0, 32, "no value");
    refuse("   ", 3, 32, "no value");
    refuse("{\"a\":tru}", 9, 32, "malformed JSON at byte");
    /* the text need not be NUL-terminated */
    cJSON *v = NULL;
    struct so_error err;
    assert_int_equal(json_parse_strict("[1]]]]", 3, 32, &v, &err), SO_OK);
    cJSON_Delete(v);
}

static void test_get_int(void **state)
{
    (void)state;
    cJSON *v = accept("{\"ok\":42,\"neg\":-7,\"big\":9007199254740993,"
                      "\"max\":9007199254740991,\"half\":1.5,\"s\":\"3\","
                      "\"e\":1e300,\"n\":null}");
    struct so_error err;
    int64_t i = 0;

    assert_int_equal(json_get_int(v, "", "ok", JSON_REQUIRED, 0, 100, &i,
                                  &err), SO_OK);
    assert_int_equal(i, 42);
    assert_int_equal(json_get_int(v, "", "max", JSON_REQUIRED, 0,
                                  JSON_MAX_SAFE_INT, &i, &err), SO_OK);
    assert_true(i == JSON_MAX_SAFE_INT);
    assert_int_equal(json_get_int(v, "", "big", JSON_REQUIRED, 0, INT64_MAX,
                                  &i, &err), SO_ERR_INVALID);
    assert_string_equal(err.msg, "big: integer too large (beyond 2^53)");
    assert_int_equal(json_get_int(v, "", "half", JSON_REQUIRED, 0, 9, &i,
                                  &err), SO_ERR_INVALID);
    assert_string_equal(err.msg, "half: expected an integer");
    assert_int_equal(json_get_int(v, "x[1]", "s", JSON_REQUIRED, 0, 9, &i,
                                  &err), SO_ERR_INVALID);
    assert_string_equal(err.msg, "x[1].s: expected an integer");
    assert_int_equal(json_get_int(v, "", "e", JSON_REQUIRED, 0, 9, &i, &err),
                     SO_ERR_INVALID);
    assert_int_equal(json_get_int(v, "", "neg", JSON_REQUIRED, 0, 9, &i,
                                  &err), SO_ERR_INVALID);
    assert_string_equal(err.msg, "neg: -7 is outside 0..9");
    i = 5;
    assert_int_equal(json_get_int(v, "", "n", JSON_OPTIONAL, 0, 9, &i, &err),
                     SO_EMPTY);
    assert_int_equal(json_get_int(v, "", "gone", JSON_OPTIONAL, 0, 9, &i,
                                  &err), SO_EMPTY);
    assert_int_equal(i, 5);
    assert_int_equal(json_get_int(v, "", "gone", JSON_REQUIRED, 0, 9, &i,
                                  &err), SO_ERR_INVALID);
    assert_string_equal(err.msg, "gone: required");
    cJSON_Delete(v);
}

static void test_get_other_types(void **state)
{
    (void)state;
    cJSON *v = accept("{\"s\":\"hello\",\"d\":0.25,\"b\":true,\"o\":{},"
                      "\"a\":[1,2,3],\"Key\":\"x\"}");
    struct so_error err;
    const char *s = NULL;
    const cJSON *o = NULL;
    double d = 0;
    int b = 0;

    assert_int_equal(json_get_string(v, "", "s", JSON_REQUIRED, 5, &s, &err),
                     SO_OK);
    assert_string_equal(s, "hello");
    assert_int_equal(json_get_string(v, "", "s", JSON_REQUIRED, 4, &s, &err),
                     SO_ERR_TOOLARGE);
    assert_string_equal(err.msg, "s: longer than 4 bytes");
    assert_int_equal(json_get_string(v, "citations[2]", "d", JSON_REQUIRED,
                                     9, &s, &err), SO_ERR_INVALID);
    assert_string_equal(err.msg, "citations[2].d: expected a string");
    /* case-sensitive lookup only */
    assert_int_equal(json_get_string(v, "", "key", JSON_REQUIRED, 9, &s,
                                     &err), SO_ERR_INVALID);
    assert_int_equal(json_get_double(v, "", "d", JSON_REQUIRED, 0, 1, &d,
                                     &err), SO_OK);
    assert_true(d == 0.25);
    assert_int_equal(json_get_double(v, "", "d", JSON_REQUIRED, 0.5, 1, &d,
                                     &err), SO_ERR_INVALID);
    assert_int_equal(json_get_double(v, "", "b", JSON_REQUIRED, 0, 1, &d,
                                     &err), SO_ERR_INVALID);
    assert_string_equal(err.msg, "b: expected a number");
    assert_int_equal(json_get_bool(v, "", "b", JSON_REQUIRED, &b, &err),
                     SO_OK);
    assert_int_equal(b, 1);
    assert_int_equal(json_get_bool(v, "", "s", JSON_REQUIRED, &b, &err),
                     SO_ERR_INVALID);
    assert_int_equal(json_get_object(v, "", "o", JSON_REQUIRED, &o, &err),
                     SO_OK);
    assert_int_equal(json_get_object(v, "", "a", JSON_REQUIRED, &o, &err),
                     SO_ERR_INVALID);
    assert_string_equal(err.msg, "a: expected an object");
    assert_int_equal(json_get_array(v, "", "a", JSON_REQUIRED, 3, &o, &err),
                     SO_OK);
    assert_int_equal(json_get_array(v, "", "a", JSON_REQUIRED, 2, &o, &err),
                     SO_ERR_TOOLARGE);
    assert_string_equal(err.msg, "a: more than 2 items");
    cJSON_Delete(v);
}

static void test_key_in_message_is_sanitized(void **state)
{
    (void)state;
    const char *s = "{\"\\u001b[31m\":1,\"\\u001B[31M\":2}";
    cJSON *v = NULL;
    struct so_error err;

    assert_int_equal(json_parse_strict(s, strlen(s), 32, &v, &err),
                     SO_ERR_INVALID);
    assert_null(strchr(err.msg, '\x1b'));
    assert_non_null(strstr(err.msg, "^["));
}

static void test_builders(void **state)
{
    (void)state;
    cJSON *o = json_new_object();
    char *s, *e;

    json_add_string(o, "a", "x\"y");
    json_add_string(o, "b", NULL);
    json_add_int(o, "c", 1795000000123LL);
    json_add_bool(o, "d", 7);
    json_add_double(o, "e", 0.5);
    s = json_print(o);
    assert_string_equal(s, "{\"a\":\"x\\\"y\",\"b\":null,"
                           "\"c\":1795000000123,\"d\":true,\"e\":0.5}");
    free(s);
    cJSON_Delete(o);
    e = json_error_text(SO_ERR_LEASE, "claim lost");
    assert_string_equal(e, "{\"error\":{\"code\":\"lease_lost\","
                           "\"message\":\"claim lost\"}}");
    free(e);
}

/* json_print_escaped: every hidden character becomes a \u escape, the
 * rest of the UTF-8 stays, and the text parses back to the same strings. */
static void test_print_escaped(void **state)
{
    (void)state;
    static const char *const strs[] = {
        "x\xe2\x80\xaey", /* RLO */
        /* SHY LRI ZWSP BOM DEL, then CSI (C1) */
        "\xc2\xad\xe2\x81\xa6\xe2\x80\x8b\xef\xbb\xbf\x7f\xc2\x9b[2J",
        "\xe4\xb8\xad\xe6\x96\x87 \xc3\xa9\t", /* kept as they are */
        "tag \xf3\xa0\x81\x81",             /* U+E0041 */
    };
    cJSON *o = json_new_object(), *arr = json_new_array();
    struct so_error err;
    cJSON *back = NULL;
    const int n = (int)(sizeof(strs) / sizeof(strs[0]));

    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(strs[i]));
    json_add_item(o, "k\xc2\x85", arr);
    json_add_string(o, "bad", "a\xff" "b");
    char *s = json_print_escaped(o, 0);
    assert_string_equal(
        s, "{\"k\\u0085\":[\"x\\u202ey\",\"\\u00ad\\u2066\\u200b\\ufeff\\u007f"
           "\\u009b[2J\",\"\xe4\xb8\xad\xe6\x96\x87 \xc3\xa9\\t\","
           "\"tag \\udb40\\udc41\"],\"bad\":\"a\\ufffdb\"}");
    free(s);

    s = json_print_escaped(o, 1);
    assert_non_null(strchr(s, '\n'));
    so_error_clear(&err);
    assert_int_equal(json_parse_strict(s, strlen(s), 8, &back, &err), SO_OK);
    const cJSON *got = cJSON_GetObjectItemCaseSensitive(back, "k\xc2\x85");
    assert_int_equal(cJSON_GetArraySize(got), n);
    for (int i = 0; i < n; i++)
        assert_string_equal(cJSON_GetArrayItem(got, i)->valuestring, strs[i]);
    assert_string_equal(
        cJSON_GetObjectItemCaseSensitive(back, "bad")->valuestring,
        "a\xef\xbf\xbd" "b");
    free(s);
    cJSON_Delete(back);
    cJSON_Delete(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts_plain_json),
        cmocka_unit_test(test_depth_checked_before_cjson),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_nul_and_surrogates),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_trailing_and_truncated),
        cmocka_unit_test(test_get_int),
        cmocka_unit_test(test_get_other_types),
        cmocka_unit_test(test_key_in_message_is_sanitized),
        cmocka_unit_test(test_builders),
        cmocka_unit_test(test_print_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
