/* test_theme: theme files (roles, colours, attributes, errors) and the
 * search path; the shipped themes parse cleanly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "signoff/theme.h"

static void test_parse(void **state)
{
    (void)state;
    struct theme t;
    struct so_error err;
    theme_defaults(&t);
    const char *text = "# comment\n\n"
                       "draft.marker = red default bold underline\n"
                       "status = 202 brightblue\n"
                       "citation.missing=white red\n";
    assert_int_equal(theme_parse("t", text, &t, &err), SO_ERR_INVALID);
    assert_string_equal(err.msg, "t:5: expected 'role = fg bg [attr...]'");
    assert_int_equal(t.role[TR_MARKER].fg, 1);
    assert_int_equal(t.role[TR_MARKER].bg, -1);
    assert_int_equal(t.role[TR_MARKER].attrs,
                     THEME_A_BOLD | THEME_A_UNDERLINE);
    assert_int_equal(t.role[TR_STATUS].fg, 202);
    assert_int_equal(t.role[TR_STATUS].bg, 12);
    assert_int_equal(t.role[TR_STATUS].attrs, 0);
}

static void test_errors(void **state)
{
    (void)state;
    struct theme t;
    struct so_error err;
    static const struct {
        const char *line, *why;
    } bad[] = {
        {"nosuch.role = red default", "unknown role"},
        {"draft.marker = purple default", "unknown colour"},
        {"draft.marker = 256 default", "unknown colour"},
        {"draft.marker = red default blinking", "unknown attribute"},
        {"draft.marker red default", "expected"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        theme_defaults(&t);
        assert_int_equal(theme_parse("x", bad[i].line, &t, &err),
                         SO_ERR_INVALID);
        if (!strstr(err.msg, bad[i].why))
            fail_msg("%s: got '%s'", bad[i].line, err.msg);
    }
    assert_int_equal(theme_load("../etc/passwd", &t, &err), SO_ERR_INVALID);
    assert_int_equal(theme_load("nosuch-theme", &t, &err), SO_ERR_NOTFOUND);
}

static void test_shipped(void **state)
{
    (void)state;
    static const char *const names[] = {"default", "light", "high-contrast",
                                        "mono"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct theme t;
        struct so_error err;
        if (theme_load(names[i], &t, &err) != SO_OK)
            fail_msg("%s: %s", names[i], err.msg);
    }
    /* The built-in defaults are what themes/default.theme says. */
    struct theme file, builtin;
    struct so_error err;
    assert_int_equal(theme_load("default", &file, &err), SO_OK);
    theme_defaults(&builtin);
    assert_memory_equal(&file, &builtin, sizeof file);
    for (int r = 0; r < TR_COUNT; r++)
        assert_non_null(theme_role_name((enum theme_role)r));
}

static void test_search_path(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_theme.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *themes = xasprintf("%s/signoff/themes", dir);
    char *file = xasprintf("%s/mine.theme", themes);
    struct so_error err;
    assert_int_equal(so_mkdirs(themes, 0700, &err), SO_OK);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("draft.marker = magenta default reverse\n", f);
    fclose(f);
    setenv("XDG_CONFIG_HOME", dir, 1);
    struct theme t;
    assert_int_equal(theme_load("mine", &t, &err), SO_OK);
    assert_int_equal(t.role[TR_MARKER].fg, 5);
    assert_int_equal(t.role[TR_MARKER].attrs, THEME_A_REVERSE);
    unlink(file);
    char *sub = xasprintf("%s/signoff", dir);
    rmdir(themes);
    rmdir(sub);
    rmdir(dir);
    free(sub);
    free(themes);
    free(file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_shipped),
        cmocka_unit_test(test_search_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
