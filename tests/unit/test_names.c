/* test_names: the one entry rule for names and notes (issue 17, findings 5
 * and 14): every control class, bidi controls, invisibles, invalid UTF-8,
 * the length limit, empty values, and messages that name the field and the
 * byte but never echo the value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "signoff/names.h"

static void name_ok(const char *v)
{
    struct so_error err;
    if (names_check("reviewer", v, &err) != SO_OK)
        fail_msg("'%s' refused: %s", v, err.msg);
}

static void name_bad(const char *v, const char *msg)
{
    struct so_error err;
    assert_int_equal(names_check("reviewer", v, &err), SO_ERR_INVALID);
    assert_string_equal(err.msg, msg);
}

static void note_bad(const char *v, const char *msg)
{
    struct so_error err;
    assert_int_not_equal(names_check_note("note", v, 100, &err), SO_OK);
    assert_string_equal(err.msg, msg);
}

static void test_names(void **state)
{
    (void)state;
    name_ok("alice");
    name_ok("Zoë Ng");
    name_ok("wf'; DROP TABLE workflows;--");
    name_ok("日本語");
    name_bad("", "reviewer: empty");
    name_bad("a\x1b[2Jb", "reviewer: control character U+001B at byte 1");
    name_bad("bell\a", "reviewer: control character U+0007 at byte 4");
    name_bad("tab\tx", "reviewer: control character U+0009 at byte 3");
    name_bad("nl\n", "reviewer: control character U+000A at byte 2");
    name_bad("del\x7f", "reviewer: control character U+007F at byte 3");
    name_bad("c1\xc2\x9b", "reviewer: control character U+009B at byte 2");
    name_bad("b\xe2\x80\xae" "ob", "reviewer: bidi control U+202E at byte 1");
    name_bad("\xe2\x81\xa6x", "reviewer: bidi control U+2066 at byte 0");
    name_bad("zw\xe2\x80\x8bsp", "reviewer: invisible character U+200B at "
                                 "byte 2");
    name_bad("bad \xff utf8", "reviewer: invalid UTF-8 at byte 4");
    name_bad("over\xc0\xaflong", "reviewer: invalid UTF-8 at byte 4");
    name_bad("sur\xed\xa0\x80", "reviewer: invalid UTF-8 at byte 3");
    name_bad("lost\xef\xbf\xbd", "reviewer: replacement character U+FFFD at "
                                 "byte 4");
    char longname[SO_NAME_MAX + 2];
    memset(longname, 'a', sizeof longname - 1);
    longname[SO_NAME_MAX + 1] = '\0';
    name_bad(longname, "reviewer: longer than 256 bytes");
    longname[SO_NAME_MAX] = '\0';
    name_ok(longname);
    struct so_error err;
    assert_int_equal(names_check("workflow", NULL, &err), SO_ERR_INVALID);
    assert_string_equal(err.msg, "workflow: missing");
}

static void test_notes(void **state)
{
    (void)state;
    struct so_error err;
    assert_int_equal(names_check_note("note", "two\nlines\tand tab, "
                                              "emoji \xf0\x9f\x91\xa9\xe2\x80"
                                              "\x8d\xf0\x9f\x94\xa7",
                                      100, &err),
                     SO_OK);
    note_bad("", "note: empty (leave it out for none)");
    note_bad("osc \x1b]52;c;eA==\a", "note: control character U+001B at "
                                     "byte 4");
    note_bad("bel \a", "note: control character U+0007 at byte 4");
    note_bad("cr \r", "note: control character U+000D at byte 3");
    note_bad("c1 \xc2\x9b", "note: control character U+009B at byte 3");
    note_bad("rlo \xe2\x80\xae", "note: bidi control U+202E at byte 4");
    note_bad("bad \xff utf8", "note: invalid UTF-8 at byte 4");
    char big[102];
    memset(big, 'x', 101);
    big[101] = '\0';
    assert_int_equal(names_check_note("note", big, 100, &err),
                     SO_ERR_TOOLARGE);
    assert_string_equal(err.msg, "note: longer than 100 bytes");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_notes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
