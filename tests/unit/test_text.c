/* test_text: UTF-8 decoding, the sanitizer's every control class, wrapping
 * (wide characters at the edge, tabs, a 500-character word), truncation and
 * the speed on a 1 MiB body. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "signoff/text.h"
#include "signoff/util.h"

/* Lines of a layout joined with '|', tokens in <<>> so tests see kinds. */
static char *render(const struct text_doc *doc)
{
    struct buf b;
    size_t i, k;

    buf_init(&b);
    for (i = 0; i < doc->nlines; i++) {
        const struct text_line *ln = &doc->lines[i];
        if (i)
            buf_addc(&b, '|');
        for (k = ln->seg; k < ln->seg + ln->nseg; k++) {
            const struct text_seg *sg = &doc->segs[k];
            if (sg->kind == TEXT_TOKEN)
                buf_adds(&b, "<<");
            buf_add(&b, doc->text + sg->off, sg->len);
            if (sg->kind == TEXT_TOKEN)
                buf_adds(&b, ">>");
        }
    }
    buf_cstr(&b);
    return buf_steal(&b);
}

/* Lay s out at width and compare the rendering with want. */
static void check_layout(const char *s, int width, const char *want)
{
    struct text_opts o = {width, 0, 0};
    struct text_doc *doc = text_layout(s, strlen(s), &o);
    char *got = render(doc);

    if (strcmp(got, want) != 0)
        fail_msg("layout(%d) of \"%s\":\n got \"%s\"\nwant \"%s\"", width, s,
                 got, want);
    for (size_t i = 0; width > 0 && i < doc->nlines; i++)
        assert_true(doc->lines[i].width <= width);
    free(got);
    text_doc_free(doc);
}

/* Decode all of s (len bytes) into "41 FFFD 42"-style text. */
static char *decode_all(const char *s, size_t len)
{
    struct buf b;
    size_t pos = 0;
    uint32_t cp;

    buf_init(&b);
    while (pos < len) {
        int ok = text_utf8_next(s, len, &pos, &cp);
        buf_addf(&b, "%s%X%s", b.len ? " " : "", (unsigned)cp, ok ? "" : "!");
    }
    buf_cstr(&b);
    return buf_steal(&b);
}

static void check_decode(const char *s, size_t len, const char *want)
{
    char *got = decode_all(s, len);
    assert_string_equal(got, want);
    free(got);
}

static void test_utf8_decode(void **state)
{
    (void)state;
    check_decode("A\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80", 10,
                 "41 E9 4E2D 1F600");
    check_decode("\xc0\xaf", 2, "FFFD! FFFD!");             /* overlong '/' */
    check_decode("\xe0\x80\xaf", 3, "FFFD! FFFD! FFFD!");   /* overlong */
    check_decode("\xf0\x80\x80\xaf", 4, "FFFD! FFFD! FFFD! FFFD!");
    check_decode("\xed\xa0\x80", 3, "FFFD! FFFD! FFFD!");   /* surrogate */
    check_decode("\xf4\x90\x80\x80", 4, "FFFD! FFFD! FFFD! FFFD!");
    check_decode("\xe2\x82" "A", 3, "FFFD! 41");            /* truncated */
    check_decode("\xe2\x82", 2, "FFFD!");
    check_decode("\x80\xff", 2, "FFFD! FFFD!");
    check_decode("\xef\xbf\xbd", 3, "FFFD");                /* a real one */

    size_t bad = 99;
    assert_true(text_utf8_valid("ok \xe4\xb8\xad", 6, &bad));
    assert_false(text_utf8_valid("ok \xe4\xb8", 5, &bad));
    assert_int_equal(bad, 3);

    char out[4];
    assert_int_equal(text_utf8_encode(0x1F600, out), 4);
    assert_memory_equal(out, "\xf0\x9f\x98\x80", 4);
    assert_int_equal(text_utf8_encode(0xD800, out), 0);
    assert_int_equal(text_utf8_encode(0x110000, out), 0);
}

static void test_c0_del_c1_tokens(void **state)
{
    (void)state;
    check_layout("reject\b\b\b\b\b\bapprove", 0,
                 "reject<<^H>><<^H>><<^H>><<^H>><<^H>><<^H>>approve");
    check_layout("APPROVE\rREJECT", 0, "APPROVE<<^M>>REJECT");
    check_layout("\x1b[31mred\x1b]52;c;aGk=\x07", 0,
                 "<<^[>>[31mred<<^[>>]52;c;aGk=<<^G>>");
    check_layout("a\x7f" "b\x01" "c", 0, "a<<^?>>b<<^A>>c");
    check_layout("x\xc2\x9b" "31m\xc2\x80", 0, "x<<<U+009B>>>31m<<<U+0080>>>");
    check_layout(" \x0b\x0c", 0, " <<^K>><<^L>>");

    char nul[] = "a\0b";
    struct text_doc *doc = text_layout(nul, 3, NULL);
    char *got = render(doc);
    assert_string_equal(got, "a<<^@>>b");
    assert_int_equal(doc->hidden, 1);
    free(got);
    text_doc_free(doc);
}

static void test_bidi_and_invisibles(void **state)
{
    (void)state;
    check_layout("pay \xe2\x80\xae" "001$\xe2\x80\xac", 0,
                 "pay <<<U+202E>>>001$<<<U+202C>>>");
    check_layout("\xe2\x81\xa6x\xe2\x81\xa9\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", 0,
                 "<<<U+2066>>>x<<<U+2069>>><<<U+200E>>><<<U+200F>>>"
                 "<<<U+061C>>>");
    check_layout("a\xe2\x80\x8b" "b\xe2\x80\x8d" "c\xef\xbb\xbf" "d\xc2\xad"
                 "e\xe2\x81\xa0",
                 0,
                 "a<<<U+200B>>>b<<<U+200D>>>c<<<U+FEFF>>>d<<<U+00AD>>>e"
                 "<<<U+2060>>>");
    /* Hangul fillers look blank yet take columns; CGJ; Khmer vowels */
    check_layout("x\xe3\x85\xa4y\xe1\x85\x9f\xcd\x8f\xe1\x9e\xb4", 0,
                 "x<<<U+3164>>>y<<<U+115F>>><<<U+034F>>><<<U+17B4>>>");
    /* a variation selector is not hidden: emoji need it */
    assert_int_equal(text_width("\xe2\x9d\xa4\xef\xb8\x8f", 6),
                     text_width("\xe2\x9d\xa4", 3));
    /* tag characters smuggle hidden ASCII */
    check_layout("ok\xf3\xa0\x81\x81", 0, "ok<<<U+E0041>>>");
    /* invalid UTF-8 is one U+FFFD token per maximal subpart */
    check_layout("a\xc0\xaf" "b\xe2\x82", 0,
                 "a<<\xef\xbf\xbd>><<\xef\xbf\xbd>>b<<\xef\xbf\xbd>>");

    /* a U+FFFD in the text (a byte lost before it came, e.g. through a
     * JSON reply) is shown and counted the same way */
    check_layout("b\xef\xbf\xbd" "c", 0, "b<<\xef\xbf\xbd>>c");

    struct text_doc *doc = text_layout("\xe2\x80\xae\xe2\x80\x8b\xff", 7, NULL);
    assert_int_equal(doc->hidden, 3);
    assert_int_equal(doc->lines[0].width, 8 + 8 + 1);
    text_doc_free(doc);
    doc = text_layout("\xef\xbf\xbd\xff", 4, NULL);
    assert_int_equal(doc->hidden, 2);
    assert_int_equal(doc->lines[0].width, 2);
    text_doc_free(doc);
}

static void test_segments_map_to_source(void **state)
{
    (void)state;
    const char *s = "ab\x1b" "cd\te";
    struct text_doc *doc = text_layout(s, strlen(s), NULL);

    assert_int_equal(doc->nsegs, 5);
    assert_int_equal(doc->segs[0].kind, TEXT_PLAIN);
    assert_int_equal(doc->segs[0].src_off, 0);
    assert_int_equal(doc->segs[0].src_len, 2);
    assert_int_equal(doc->segs[1].kind, TEXT_TOKEN);
    assert_int_equal(doc->segs[1].src_off, 2);
    assert_int_equal(doc->segs[1].src_len, 1);
    assert_int_equal(doc->segs[1].width, 2);
    assert_int_equal(doc->segs[2].src_off, 3);
    assert_int_equal(doc->segs[3].kind, TEXT_BLANK);
    assert_int_equal(doc->segs[3].width, 2); /* col 6 -> 8 */
    assert_int_equal(doc->segs[4].src_off, 6);
    assert_int_equal(doc->lines[0].width, 9);
    text_doc_free(doc);
}

static void test_tabs(void **state)
{
    (void)state;
    check_layout("a\tb", 0, "a       b");
    check_layout("\tx", 0, "        x");
    check_layout("abcdefgh\tx", 0, "abcdefgh        x");
    struct text_opts o = {0, 4, 0};
    struct text_doc *doc = text_layout("ab\tc\td", 6, &o);
    char *got = render(doc);
    assert_string_equal(got, "ab  c   d");
    free(got);
    text_doc_free(doc);
    /* tab stops restart on each wrapped line */
    check_layout("aaaa bbbb\tc", 8, "aaaa |bbbb    |c");
}

static void test_newlines(void **state)
{
    (void)state;
    check_layout("a\n\nb", 0, "a||b");
    check_layout("a\n", 0, "a");
    check_layout("", 0, "");
    check_layout("\n", 0, "");
    struct text_doc *empty = text_layout("", 0, NULL);
    assert_string_equal(empty->text, ""); /* NUL-terminated even empty */
    assert_int_equal(empty->nlines, 1);
    text_doc_free(empty);
    check_layout("x\r\ny", 0, "x<<^M>>|y");
    struct text_doc *doc = text_layout("a\n\nbc", 5, NULL);
    assert_int_equal(doc->nlines, 3);
    assert_int_equal(doc->lines[1].src_off, 2);
    assert_int_equal(doc->lines[1].src_len, 0);
    assert_int_equal(doc->lines[2].src_off, 3);
    assert_int_equal(doc->lines[2].src_len, 2);
    text_doc_free(doc);
}

static void test_word_wrap(void **state)
{
    (void)state;
    check_layout("the quick brown fox", 10, "the quick |brown fox");
    check_layout("the quick brown fox", 9, "the quick|brown fox");
    check_layout("a  b   c", 3, "a  |b  |c");
    check_layout("  indented text", 10, "  indented|text");
    check_layout("abcdefghij", 4, "abcd|efgh|ij");
    check_layout("see abcdefghij", 4, "see |abcd|efgh|ij");

    struct text_opts o = {10, 0, 0};
    const char *s = "the quick brown fox";
    struct text_doc *doc = text_layout(s, strlen(s), &o);
    size_t line = 0;
    int col = -1;
    assert_int_equal(doc->lines[1].src_off, 10);
    assert_int_equal(text_doc_locate(doc, 16, &line, &col), 0); /* "fox" */
    assert_int_equal(line, 1);
    assert_int_equal(col, 6);
    assert_int_equal(text_doc_locate(doc, 4, &line, &col), 0);
    assert_int_equal(line, 0);
    assert_int_equal(col, 4);
    assert_int_equal(text_doc_locate(doc, 99, &line, &col), -1);
    text_doc_free(doc);
}

static void test_wide_chars_at_edge(void **state)
{
    (void)state;
    /* 中 and 文 are 2 columns; never split across the edge */
    check_layout("abcd\xe4\xb8\xad\xe6\x96\x87", 5,
                 "abcd|\xe4\xb8\xad\xe6\x96\x87");
    check_layout("abc\xe4\xb8\xad\xe6\x96\x87", 5,
                 "abc\xe4\xb8\xad|\xe6\x96\x87");
    check_layout("\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad", 3,
                 "\xe4\xb8\xad|\xe6\x96\x87|\xe4\xb8\xad");
    /* combining acute accent takes no column */
    assert_int_equal(text_width("e\xcc\x81", 3), 1);
    /* up to 4 marks stay on their character, more become tokens */
    check_layout("e\xcc\x81\xcc\x82\xcc\x83\xcc\x84!", 0,
                 "e\xcc\x81\xcc\x82\xcc\x83\xcc\x84!");
    check_layout("e\xcc\x81\xcc\x82\xcc\x83\xcc\x84\xcc\x85\xcc\x86", 0,
                 "e\xcc\x81\xcc\x82\xcc\x83\xcc\x84<<<U+0305>>><<<U+0306>>>");
    check_layout("a\xcc\x81 b\xcc\x81", 0, "a\xcc\x81 b\xcc\x81");
    assert_int_equal(text_width("\xe4\xb8\xad\xe6\x96\x87", 6), 4);
    /* a token is never split either */
    check_layout("abcdefg\xe2\x80\xae", 10, "abcdefg|<<<U+202E>>>");

    struct text_opts o = {5, 0, 0};
    const char *s = "ab\xe4\xb8\xad\xe6\x96\x87";
    struct text_doc *doc = text_layout(s, strlen(s), &o);
    size_t line = 9;
    int col = -1;
    assert_int_equal(text_doc_locate(doc, 5, &line, &col), 0); /* 文 */
    assert_int_equal(line, 1);
    assert_int_equal(col, 0);
    assert_int_equal(text_doc_locate(doc, 2, &line, &col), 0); /* 中 */
    assert_int_equal(line, 0);
    assert_int_equal(col, 2);
    text_doc_free(doc);
}

/* A token wider than the wrap width shows as U+FFFD (still a token) so the
 * line fits; at a width it fits in it is shown whole, never split (fuzz
 * reproducer tests/fuzz/corpus/text/wrap-token-wider-than-width). */
static void test_token_wider_than_width(void **state)
{
    (void)state;
    static const char tag[] = "x\xf3\xa0\x81\x81y"; /* U+E0041, 9 columns */

    check_layout(tag, 8, "x<<\xef\xbf\xbd>>y");
    check_layout(tag, 9, "x|<<<U+E0041>>>|y");
    check_layout("ab\xe2\x80\xae", 7, "ab<<\xef\xbf\xbd>>");
    check_layout("ab\xe2\x80\xae", 8, "ab|<<<U+202E>>>");
}

static void test_500_char_word(void **state)
{
    (void)state;
    char s[600];
    struct text_opts o = {80, 0, 0};
    struct text_doc *doc;
    size_t i;

    memcpy(s, "go ", 3);
    memset(s + 3, 'w', 500);
    s[503] = '\0';
    doc = text_layout(s, 503, &o);
    assert_int_equal(doc->nlines, 8); /* "go ", 6 x 80, 20 */
    assert_int_equal(doc->lines[0].width, 3);
    for (i = 1; i < 7; i++)
        assert_int_equal(doc->lines[i].width, 80);
    assert_int_equal(doc->lines[7].width, 20);
    assert_int_equal(doc->lines[7].src_off, 483);
    text_doc_free(doc);
}

static void test_oneline_and_plain(void **state)
{
    (void)state;
    char *s;

    s = text_plain("two\nlines", 0, 0);
    assert_string_equal(s, "two lines");
    free(s);
    s = text_plain("hello world", 8, 0);
    assert_string_equal(s, "hello w\xe2\x80\xa6");
    free(s);
    s = text_plain("hello", 8, 1);
    assert_string_equal(s, "hello   ");
    free(s);
    s = text_plain("hello", 5, 1);
    assert_string_equal(s, "hello");
    free(s);
    s = text_plain("\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad", 4, 1);
    assert_string_equal(s, "\xe4\xb8\xad\xe2\x80\xa6 ");
    free(s);
    s = text_plain("\x1b]0;pwned\x07title", 0, 0);
    assert_string_equal(s, "^[]0;pwned^Gtitle");
    free(s);
    s = text_plain("abc\xe2\x80\xae" "def", 6, 0);
    assert_string_equal(s, "abc\xe2\x80\xa6");
    free(s);
    s = text_plain(NULL, 3, 1);
    assert_string_equal(s, "   ");
    free(s);
    s = text_plain("a\tb", 0, 0);
    assert_string_equal(s, "a       b");
    free(s);

    struct text_opts o = {6, 0, TEXT_ONELINE};
    struct text_doc *doc = text_layout("ab\ncdefgh", 9, &o);
    assert_int_equal(doc->nlines, 1);
    assert_int_equal(doc->lines[0].width, 6);
    assert_int_equal(doc->segs[doc->nsegs - 1].kind, TEXT_ELLIPSIS);
    assert_int_equal(doc->lines[0].src_len, 5); /* "ab\ncd" */
    text_doc_free(doc);
}

/* Lay s out on one line cut to width: the line fits, the segments cover
 * the display text exactly once and in order, and the display text is as
 * wide as the line says. */
static void check_cut(const char *s, size_t len, int width, const char *want)
{
    struct text_opts o = {width, 0, TEXT_ONELINE};
    struct text_doc *doc = text_layout(s, len, &o);
    const struct text_line *ln = &doc->lines[0];
    size_t at = 0;
    int w = 0;

    assert_int_equal(doc->nlines, 1);
    assert_true(ln->width <= width);
    assert_int_equal(ln->seg, 0);
    assert_int_equal(ln->nseg, doc->nsegs);
    for (size_t i = 0; i < doc->nsegs; i++) {
        assert_int_equal(doc->segs[i].off, at);
        at += doc->segs[i].len;
        w += doc->segs[i].width;
    }
    assert_int_equal(at, doc->text_len);
    assert_int_equal(w, ln->width);
    assert_int_equal(text_width(doc->text, doc->text_len), ln->width);
    assert_string_equal(doc->text, want);
    text_doc_free(doc);
}

/* A segment cut short ends the line: a narrower segment after it would
 * drag the bytes cut off it back into the display text (fuzz reproducer
 * tests/fuzz/corpus/text/crash-oneline-width-overflow). */
static void test_cut_stops_at_cut_segment(void **state)
{
    (void)state;
    static const char crash[] = "\xe5\x1f\xbd\xe5\xad\x97\xf0\x9f\x99\x82"
                                "\xe5\xcc\x81\xcc\x81";
    static const char wide_then_bad[] = "abcdef\xe4\xb8\xad\xff";
    char *plain;

    check_cut(crash, sizeof(crash) - 1, 8,
              "\xef\xbf\xbd^_\xef\xbf\xbd\xe5\xad\x97\xe2\x80\xa6");
    check_cut(wide_then_bad, sizeof(wide_then_bad) - 1, 8,
              "abcdef\xe2\x80\xa6");
    check_cut("abcde\tx", 7, 8, "abcde  \xe2\x80\xa6");
    plain = text_plain(crash, 8, 1);
    assert_int_equal(text_width(plain, strlen(plain)), 8);
    free(plain);
}

static void test_speed_1mib(void **state)
{
    (void)state;
    size_t n = 1u << 20, i;
    char *s = malloc(n);
    const char *words[] = {"policy ", "allows ", "\xe4\xb8\xad\xe6\x96\x87 ",
                           "refund[1] ", "\t", "caf\xc3\xa9 ", "\n",
                           "x\x1b[0m "};
    struct text_opts o = {80, 0, 0};
    double ms = 1e9;
    struct text_doc *doc = NULL;
    int round, widest = 0;
    size_t nlines;

    for (i = 0; i < n;) {
        const char *w = words[(i * 7 + i / 13) % SO_ARRAY_LEN(words)];
        size_t k = strlen(w);
        if (i + k > n)
            k = n - i;
        memcpy(s + i, w, k);
        i += k;
    }
    /* CPU time, best of three: the machine is shared with other builds */
    for (round = 0; round < 3; round++) {
        clock_t t0 = clock();
        double took;
        text_doc_free(doc);
        doc = text_layout(s, n, &o);
        took = (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC;
        if (took < ms)
            ms = took;
    }
    nlines = doc->nlines;
    for (i = 0; i < doc->nlines; i++)
        if (doc->lines[i].width > widest)
            widest = doc->lines[i].width;
    print_message("1 MiB sanitize+wrap: %.1f ms CPU, %zu lines\n", ms,
                  nlines);
    text_doc_free(doc);
    free(s);
#if defined(__SANITIZE_ADDRESS__)
    assert_true(ms < 1500);
#else
    assert_true(ms < 100);
#endif
    assert_true(nlines > 10000);
    assert_true(widest <= 80);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_decode),
        cmocka_unit_test(test_c0_del_c1_tokens),
        cmocka_unit_test(test_bidi_and_invisibles),
        cmocka_unit_test(test_segments_map_to_source),
        cmocka_unit_test(test_tabs),
        cmocka_unit_test(test_newlines),
        cmocka_unit_test(test_word_wrap),
        cmocka_unit_test(test_wide_chars_at_edge),
        cmocka_unit_test(test_token_wider_than_width),
        cmocka_unit_test(test_500_char_word),
        cmocka_unit_test(test_oneline_and_plain),
        cmocka_unit_test(test_cut_stops_at_cut_segment),
        cmocka_unit_test(test_speed_1mib),
    };
    if (!setlocale(LC_ALL, "C.UTF-8"))
        setlocale(LC_ALL, "en_US.UTF-8");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
