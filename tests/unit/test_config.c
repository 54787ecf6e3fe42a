/* test_config: the config file parser (settings, bind, an old reason
 * line, errors). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "signoff/config.h"

static void test_settings(void **state)
{
    (void)state;
    struct config c;
    struct so_error err;
    const char *text = "# a comment\n"
                       "\n"
                       "queue = /srv/queues/main.db\n"
                       "  theme=light  \n"
                       "reviewer = \"Ana \\\"A\\\" Lopez\"\n"
                       "ca_file = /etc/ssl/my ca.pem\n"
                       "token_file = ~/.token\n"
                       "durability = normal\n"
                       "role = supervisor\n"
                       "mouse = off\n"
                       "queue = https://q.example:8750\n";
    assert_int_equal(config_parse("cfg", text, &c, &err), SO_OK);
    assert_string_equal(c.queue, "https://q.example:8750");
    assert_string_equal(c.theme, "light");
    assert_string_equal(c.reviewer, "Ana \"A\" Lopez");
    assert_string_equal(c.ca_file, "/etc/ssl/my ca.pem");
    assert_string_equal(c.token_file, "~/.token");
    assert_string_equal(c.durability, "normal");
    assert_string_equal(c.role, "supervisor");
    assert_string_equal(c.mouse, "off");
    assert_int_equal(c.nbinds, 0);
    config_free(&c);
}

static void test_bind_and_reason(void **state)
{
    (void)state;
    struct config c;
    struct so_error err;
    const char *text = "bind A approve\n"
                       "bind <Down> next\n"
                       "reason legal \"Needs legal review\"\n"
                       "bind A reject\n";
    /* reason codes are kept in the queue now: the line is reported and
     * skipped, the others kept */
    assert_int_equal(config_parse("cfg", text, &c, &err), SO_ERR_INVALID);
    assert_string_equal(err.msg, "cfg:3: reason: reason codes are kept in "
                                 "the queue now (signoff workflow set W "
                                 "--reasons); line ignored");
    assert_int_equal(c.nbinds, 2);
    assert_string_equal(c.binds[0].key, "A");
    assert_string_equal(c.binds[0].action, "reject");
    assert_string_equal(c.binds[1].key, "<Down>");
    assert_string_equal(c.binds[1].action, "next");
    /* where each bind came from, for the UI's message (the later line
     * that rebinds A) */
    assert_string_equal(c.binds[0].where, "cfg:4");
    assert_string_equal(c.binds[1].where, "cfg:2");
    config_free(&c);
}

/* parse_error: text must fail with exactly msg, and keep the good lines. */
static void expect_error(const char *text, const char *msg)
{
    struct config c;
    struct so_error err;
    assert_int_equal(config_parse("my.conf", text, &c, &err), SO_ERR_INVALID);
    assert_string_equal(err.msg, msg);
    assert_string_equal(c.theme, "mono");
    config_free(&c);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("theme = mono\ncolour = red\n",
                 "my.conf:2: unknown setting 'colour' (expected queue, "
                 "theme, reviewer, ca_file, token_file, durability, role, "
                 "mouse or bind)");
    expect_error("theme = mono\ndurability = sometimes\n",
                 "my.conf:2: durability: expected full or normal");
    expect_error("theme = mono\nrole = admin\n",
                 "my.conf:2: role: expected reviewer or supervisor");
    expect_error("theme = mono\nmouse = maybe\n",
                 "my.conf:2: mouse: expected on or off");
    expect_error("theme = mono\nqueue /x\n",
                 "my.conf:2: expected '=' after the setting name");
    expect_error("queue =   \ntheme = mono\n",
                 "my.conf:1: missing value after '='");
    expect_error("theme = mono\nreviewer = \"bob\n",
                 "my.conf:2: unterminated quoted string");
    expect_error("theme = mono\nreviewer = \"bob\" x\n",
                 "my.conf:2: unexpected text after the quoted value");
    expect_error("theme = mono\nqueue = \"a\\nb\"\n",
                 "my.conf:2: only \\\" and \\\\ may be escaped in a quoted "
                 "string");
    expect_error("theme = mono\nreviewer = \"b\342\200\256ob\"\n",
                 "my.conf:2: reviewer: not a valid name (no control, bidi "
                 "or invisible character, valid UTF-8, at most 256 bytes)");
    expect_error("theme = mono\nbind a\n",
                 "my.conf:2: expected 'bind KEY ACTION' (action: lower-case "
                 "name)");
    expect_error("theme = mono\nbind a approve now\n",
                 "my.conf:2: expected 'bind KEY ACTION' (action: lower-case "
                 "name)");
}

static void test_first_error_wins(void **state)
{
    (void)state;
    struct config c;
    struct so_error err;
    const char *text = "x = 1\ntheme = mono\ny = 2\nbind j down\n";
    assert_int_equal(config_parse("f", text, &c, &err), SO_ERR_INVALID);
    assert_true(strncmp(err.msg, "f:1: ", 5) == 0);
    assert_string_equal(c.theme, "mono");
    assert_int_equal(c.nbinds, 1);
    config_free(&c);
}

static void test_load(void **state)
{
    (void)state;
    struct config c;
    struct so_error err;
    char dir[] = "/tmp/test_config.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *missing = xasprintf("%s/none", dir);
    assert_int_equal(config_load(missing, &c, &err), SO_OK);
    assert_null(c.queue);
    config_free(&c);

    char *path = xasprintf("%s/config", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("queue = /q.db\nbogus\n", f);
    fclose(f);
    assert_int_equal(config_load(path, &c, &err), SO_ERR_INVALID);
    char *want = xasprintf("%s:2: unknown setting 'bogus' (expected queue, theme, "
                           "reviewer, ca_file, token_file, durability, role, "
                           "mouse or bind)",
                           path);
    assert_string_equal(err.msg, want);
    assert_string_equal(c.queue, "/q.db");
    config_free(&c);

    setenv("XDG_CONFIG_HOME", dir, 1);
    char *def = config_default_path();
    char *want_def = xasprintf("%s/signoff/config", dir);
    assert_string_equal(def, want_def);

    unlink(path);
    rmdir(dir);
    free(want_def);
    free(def);
    free(want);
    free(path);
    free(missing);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_settings),
        cmocka_unit_test(test_bind_and_reason),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_first_error_wins),
        cmocka_unit_test(test_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
