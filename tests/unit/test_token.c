/* test_token: the rules of API tokens (token.h): a made secret's form and
 * its hash, the strength rule of --tokens files (weak ones refused, the
 * message never quoting the token), judging a stored token (revoked,
 * expired, rotated out, the overlap) and workflow scopes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "signoff/token.h"

static void test_make(void **state)
{
    (void)state;
    char s1[SO_TOKEN_SECRET_LEN + 1], s2[SO_TOKEN_SECRET_LEN + 1];
    char id[SO_TOKEN_ID_LEN + 1], hash[65];
    struct so_error err;
    assert_int_equal(so_token_make(s1, id, &err), SO_OK);
    assert_int_equal(so_token_make(s2, id, &err), SO_OK);
    assert_int_equal(strlen(s1), SO_TOKEN_SECRET_LEN);
    assert_int_equal(strncmp(s1, "so_", 3), 0);
    assert_int_equal(strspn(s1 + 3, "0123456789abcdef"), 64);
    assert_string_not_equal(s1, s2);
    assert_int_equal(strncmp(id, "tk_", 3), 0);
    assert_int_equal(strlen(id), SO_TOKEN_ID_LEN);
    assert_true(so_token_is_ours(s1));
    assert_false(so_token_is_ours("alice-token-0123456789abcdef"));
    so_token_hash("abc", hash);
    assert_string_equal(hash, "ba7816bf8f01cfea414140de5dae2223b00361a396177a"
                              "9cb410ff61f20015ad");
    assert_int_equal(so_token_strength(s1, &err), SO_OK);
}

static void weak(const char *tok, const char *why)
{
    struct so_error err;
    assert_int_equal(so_token_strength(tok, &err), SO_ERR_INVALID);
    assert_non_null(strstr(err.msg, why));
    assert_null(strstr(err.msg, tok));
}

static void test_strength(void **state)
{
    (void)state;
    struct so_error err;
    weak("short-0123", "shorter than 16");
    weak("aaaaaaaaaaaaaaaa", "too weak");
    weak("abababababababababababab", "too weak");
    weak("abcabcabcabcabcabcabc1", "too weak");
    weak("0000000011111111", "too weak");
    assert_int_equal(so_token_strength("alice-token-0123456789abcdef", &err),
                     SO_OK);
    assert_int_equal(so_token_strength("9f86d081884c7d659a2feaa0c55ad015",
                                       &err),
                     SO_OK);
}

static void test_judge(void **state)
{
    (void)state;
    struct so_error err;
    struct so_token t = {.id = "tk_1", .hash = "new", .prev_hash = "old",
                         .prev_until = 2000, .expires_at = 5000};
    assert_int_equal(so_token_judge(&t, "new", 1000, &err), SO_OK);
    assert_int_equal(so_token_judge(&t, "old", 1999, &err), SO_OK);
    assert_int_equal(so_token_judge(&t, "old", 2000, &err), SO_ERR_AUTH);
    assert_string_equal(err.msg, "token tk_1 was rotated: use its new secret");
    assert_int_equal(so_token_judge(&t, "new", 5000, &err), SO_ERR_AUTH);
    assert_string_equal(err.msg, "token tk_1 has expired");
    t.revoked_at = 1500;
    assert_int_equal(so_token_judge(&t, "new", 1500, &err), SO_ERR_AUTH);
    assert_string_equal(err.msg, "token tk_1 was revoked");
}

static void test_scope(void **state)
{
    (void)state;
    struct so_error err;
    const char *wf[] = {"support", "billing"};
    char *scope = NULL;
    assert_int_equal(so_token_scope_make(wf, 2, &scope, &err), SO_OK);
    assert_string_equal(scope, "support,billing");
    assert_true(so_token_scope_allows(scope, "support"));
    assert_true(so_token_scope_allows(scope, "billing"));
    assert_false(so_token_scope_allows(scope, "bill"));
    assert_false(so_token_scope_allows(scope, "support,billing"));
    assert_false(so_token_scope_allows(scope, NULL));
    assert_true(so_token_scope_allows(NULL, NULL));
    free(scope);
    const char *comma[] = {"a,b"};
    assert_int_equal(so_token_scope_make(comma, 1, &scope, &err),
                     SO_ERR_INVALID);
    assert_null(scope);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_make),
        cmocka_unit_test(test_strength),
        cmocka_unit_test(test_judge),
        cmocka_unit_test(test_scope),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
