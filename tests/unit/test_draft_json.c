/* test_draft_json: the JSONL input rules, every field's error message,
 * serialization round trips, the content fingerprint and the line reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "signoff/draft_json.h"

#define FULL                                                                   \
    "{\"id\":\"T-4711-reply\",\"workflow\":\"support-replies\","               \
    "\"model\":\"m-2026-10\",\"confidence\":0.62,\"title\":\"Refund #4711\","  \
    "\"input\":\"Where is my refund?\",\"body\":\"Policy allows it [1].\","    \
    "\"priority\":3,\"metadata\":{\"ticket\":4711, \"tags\":[\"a\",\"b\"]},"   \
    "\"extra\":\"ignored\",\"citations\":[{\"n\":1,\"title\":\"Refund policy "  \
    "v3\",\"uri\":\"https://kb.example/refunds\",\"excerpt\":\"refunds "       \
    "within 30 days\",\"quote\":\"within 30 days\"}]}"

static struct so_draft *parse_ok(const char *s)
{
    struct so_draft *d = NULL;
    struct so_error err;

    so_error_clear(&err);
    if (draft_from_jsonl(s, strlen(s), &d, &err) != SO_OK)
        fail_msg("refused %s: %s", s, err.msg);
    return d;
}

/* Expect the line refused with exactly msg. */
static void parse_bad(const char *s, const char *msg)
{
    struct so_draft *d = (struct so_draft *)1;
    struct so_error err;

    so_error_clear(&err);
    assert_int_not_equal(draft_from_jsonl(s, strlen(s), &d, &err), SO_OK);
    assert_null(d);
    assert_string_equal(err.msg, msg);
}

static void test_full_draft(void **state)
{
    (void)state;
    struct so_draft *d = parse_ok(FULL);

    assert_string_equal(d->id, "T-4711-reply");
    assert_string_equal(d->workflow, "support-replies");
    assert_string_equal(d->model, "m-2026-10");
    assert_true(d->confidence == 0.62);
    assert_string_equal(d->title, "Refund #4711");
    assert_string_equal(d->input, "Where is my refund?");
    assert_string_equal(d->body, "Policy allows it [1].");
    assert_int_equal(d->priority, 3);
    assert_string_equal(d->metadata_json,
                        "{\"ticket\":4711,\"tags\":[\"a\",\"b\"]}");
    assert_int_equal(d->ncitations, 1);
    assert_int_equal(d->citations[0].n, 1);
    assert_string_equal(d->citations[0].uri, "https://kb.example/refunds");
    assert_string_equal(d->citations[0].quote, "within 30 days");
    so_draft_free(d);
}

static void test_minimal_draft(void **state)
{
    (void)state;
    struct so_draft *d = parse_ok("{\"id\":\"a\",\"workflow\":\"w\","
                                  "\"body\":\"b\",\"model\":null}");
    assert_null(d->model);
    assert_null(d->title);
    assert_null(d->metadata_json);
    assert_true(d->confidence < 0);
    assert_int_equal(d->ncitations, 0);
    so_draft_free(d);
}

static void test_required_fields(void **state)
{
    (void)state;
    parse_bad("{\"workflow\":\"w\",\"body\":\"b\"}", "id: required");
    parse_bad("{\"id\":\"a\",\"body\":\"b\"}", "workflow: required");
    parse_bad("{\"id\":\"a\",\"workflow\":\"w\"}", "body: required");
    parse_bad("{\"id\":\"a\",\"workflow\":\"w\",\"body\":\" \\n\"}",
              "body: empty");
    parse_bad("{\"id\":\"\",\"workflow\":\"w\",\"body\":\"b\"}", "id: empty");
    parse_bad("{\"id\":7,\"workflow\":\"w\",\"body\":\"b\"}",
              "id: expected a string");
    parse_bad("[1]", "json: expected an object");
    parse_bad("{\"id\":\"a\",\"Workflow\":\"w\",\"workflow\":\"w\","
              "\"body\":\"b\"}",
              "workflow: duplicate key (also given as \"Workflow\")");
}

static void test_field_types(void **state)
{
    (void)state;
#define BASE "{\"id\":\"a\",\"workflow\":\"w\",\"body\":\"b\","
    parse_bad(BASE "\"confidence\":1.5}", "confidence: 1.5 is outside 0..1");
    parse_bad(BASE "\"confidence\":\"high\"}", "confidence: expected a number");
    parse_bad(BASE "\"priority\":1.5}", "priority: expected an integer");
    parse_bad(BASE "\"priority\":9007199254740993}",
              "priority: integer too large (beyond 2^53)");
    parse_bad(BASE "\"priority\":3000000000}",
              "priority: 3000000000 is outside -2147483648..2147483647");
    parse_bad(BASE "\"metadata\":[1]}", "metadata: expected an object");
    parse_bad(BASE "\"title\":false}", "title: expected a string");
    parse_bad(BASE "\"model\":\"m\\u001b[2J\"}",
              "model: control character U+001B at byte 1");
    parse_bad(BASE "\"citations\":{}}", "citations: expected an array");
    parse_bad(BASE "\"citations\":[7]}", "citations[0]: expected an object");
    parse_bad(BASE "\"citations\":[{\"n\":1},{\"title\":\"t\"}]}",
              "citations[1].n: required");
    parse_bad(BASE "\"citations\":[{\"n\":0}]}",
              "citations[0].n: 0 is outside 1..2147483647");
    parse_bad(BASE "\"citations\":[{\"n\":1},{\"n\":2},{\"n\":3,\"quote\":5}]}",
              "citations[2].quote: expected a string");
    parse_bad(BASE "\"citations\":[{\"n\":1,\"uri\":[\"x\"]}]}",
              "citations[0].uri: expected a string");
    parse_bad(BASE "\"citations\":[{\"n\":\"1\"}]}",
              "citations[0].n: expected an integer");
    parse_bad(BASE "\"input\":{}}", "input: expected a string");
    parse_bad("{\"id\":\"a\",\"workflow\":\"\",\"body\":\"b\"}",
              "workflow: empty");
    parse_bad(BASE "\"model\":\"m\\u202e1\"}",
              "model: bidi control U+202E at byte 1");
    parse_bad("{\"id\":\"a\",\"workflow\":\"w\\u2066\",\"body\":\"b\"}",
              "workflow: bidi control U+2066 at byte 1");
    parse_bad("{\"id\":\"a\\u0085\",\"workflow\":\"w\",\"body\":\"b\"}",
              "id: control character U+0085 at byte 1");
    parse_bad("{\"id\":\"a\",\"workflow\":\"w\",\"body\":\"b\"",
              "json: unexpected end at byte 35");
    parse_bad(BASE "\"citations\":[{\"n\":1},{\"n\":1}]}",
              "citations[1].n: 1 is used twice");
    parse_bad(BASE "\"a\":1,\"A\":2}", "A: duplicate key (also given as \"a\")");
    parse_bad(BASE "\"metadata\":{\"x\":{\"y\":1,\"y\":2}}}",
              "metadata.x.y: duplicate key (also given as \"y\")");
    parse_bad(BASE "\"metadata\":{}} garbage",
              "json: trailing characters after the value at byte 51");
    parse_bad(BASE "\"body\":\"x\\u0000\"}",
              "json: \\u0000 in a string at byte 45");
#undef BASE
}

/* A valid line whose field is n bytes of 'x'. */
static char *line_with(const char *field, size_t n)
{
    char *s = malloc(n + 128);
    int k = sprintf(s, "{%s%s%s\"%s\":\"",
                    strcmp(field, "id") ? "\"id\":\"a\"," : "",
                    strcmp(field, "workflow") ? "\"workflow\":\"w\"," : "",
                    strcmp(field, "body") ? "\"body\":\"b\"," : "", field);
    memset(s + k, 'x', n);
    strcpy(s + k + n, "\"}");
    return s;
}

static void test_limits(void **state)
{
    (void)state;
    struct so_draft *d;
    char *s;

    s = line_with("body", SO_MAX_BODY);
    d = parse_ok(s);
    assert_int_equal(strlen(d->body), SO_MAX_BODY);
    so_draft_free(d);
    free(s);
    s = line_with("body", SO_MAX_BODY + 1);
    parse_bad(s, "body: longer than 1048576 bytes");
    free(s);
    s = line_with("id", SO_MAX_ID + 1);
    parse_bad(s, "id: longer than 256 bytes");
    free(s);
    s = line_with("title", SO_MAX_FIELD + 1);
    parse_bad(s, "title: longer than 65536 bytes");
    free(s);

    struct buf b;
    buf_init(&b);
    buf_adds(&b, "{\"id\":\"a\",\"workflow\":\"w\",\"body\":\"b\","
                 "\"citations\":[");
    for (int i = 1; i <= SO_MAX_CITATIONS + 1; i++)
        buf_addf(&b, "%s{\"n\":%d}", i > 1 ? "," : "", i);
    buf_adds(&b, "]}");
    parse_bad(buf_cstr(&b), "citations: more than 64 items");
    buf_reset(&b);
    buf_adds(&b, "{\"id\":\"a\",\"workflow\":\"w\",\"body\":\"b\",\"metadata\":");
    for (int i = 0; i < 40; i++)
        buf_adds(&b, "[");
    parse_bad(buf_cstr(&b), "json: nesting deeper than 32 at byte 78");
    buf_free(&b);
}

static void test_round_trip_with_state(void **state)
{
    (void)state;
    struct so_draft *d = parse_ok(FULL), *back = NULL;
    struct so_error err;
    char *s, *again;

    d->status = SO_DS_CLAIMED;
    d->created_at = 1795000000123LL;
    d->claimed_by = strdup("ana");
    d->lease_until = 1795000600123LL;
    d->lease_token = 4;
    d->attempts = 2;
    d->reviews_needed = 2;
    d->reviews_done = 1;
    s = draft_to_json(d, 1);
    assert_non_null(strstr(s, "\"status\":\"claimed\""));
    assert_non_null(strstr(s, "\"created_at\":1795000000123"));
    assert_null(strstr(s, "extra"));
    assert_int_equal(draft_from_json(s, strlen(s), &back, &err), SO_OK);
    assert_string_equal(back->claimed_by, "ana");
    assert_int_equal(back->status, SO_DS_CLAIMED);
    assert_true(back->lease_until == 1795000600123LL);
    assert_int_equal(back->lease_token, 4);
    assert_int_equal(back->attempts, 2);
    assert_int_equal(back->reviews_needed, 2);
    assert_int_equal(back->reviews_done, 1);
    again = draft_to_json(back, 1);
    assert_string_equal(s, again);
    free(again);
    free(s);
    so_draft_free(back);

    s = draft_to_json(d, 0);
    assert_null(strstr(s, "status"));
    free(s);
    so_draft_free(d);

    const char *bad = "{\"id\":\"a\",\"workflow\":\"w\",\"body\":\"b\","
                      "\"status\":\"gone\"}";
    assert_int_equal(draft_from_json(bad, strlen(bad), &back, &err),
                     SO_ERR_INVALID);
    assert_string_equal(err.msg, "status: unknown value");
}

static void test_content_sha(void **state)
{
    (void)state;
    struct so_draft *a = parse_ok(FULL), *b = parse_ok(FULL);
    char ha[65], hb[65];

    draft_content_sha(a, ha);
    assert_int_equal(strlen(ha), 64);
    b->status = SO_DS_DECIDED; /* queue state is not content */
    b->attempts = 9;
    draft_content_sha(b, hb);
    assert_string_equal(ha, hb);
    free(b->citations[0].quote);
    b->citations[0].quote = strdup("within 31 days");
    draft_content_sha(b, hb);
    assert_string_not_equal(ha, hb);
    so_draft_free(a);
    so_draft_free(b);
}

/* Read all of text through a reader; return a summary like
 * "1:ok(a) 2:empty 3:bad(id: required) end". */
static char *read_all(const char *text, size_t len)
{
    FILE *f = fmemopen((void *)text, len, "r");
    struct draft_reader *r = draft_reader_new(f);
    struct buf out;
    struct so_draft *d;
    struct so_error err;
    size_t lineno = 0;
    enum draft_read res;

    buf_init(&out);
    while ((res = draft_reader_next(r, &d, &lineno, &err)) != DRAFT_READ_END) {
        if (res == DRAFT_READ_OK)
            buf_addf(&out, "%zu:ok(%s) ", lineno, d->id);
        else if (res == DRAFT_READ_EMPTY)
            buf_addf(&out, "%zu:empty ", lineno);
        else
            buf_addf(&out, "%zu:bad(%s) ", lineno, err.msg);
        so_draft_free(d);
        if (res == DRAFT_READ_IOERR)
            break;
    }
    buf_adds(&out, "end");
    draft_reader_free(r);
    fclose(f);
    return buf_steal(&out);
}

#define L(id) "{\"id\":\"" id "\",\"workflow\":\"w\",\"body\":\"b\"}"

static void test_reader_lines(void **state)
{
    (void)state;
    const char text[] = L("a") "\r\n\n  \t\r\n{\"id\":1}\n" L("b") "\n" L("c");
    char *got = read_all(text, sizeof(text) - 1);

    assert_string_equal(got, "1:ok(a) 2:empty 3:empty "
                             "4:bad(id: expected a string) 5:ok(b) 6:ok(c) "
                             "end");
    free(got);
    got = read_all("", 0);
    assert_string_equal(got, "end");
    free(got);
    got = read_all(L("z") "\n", sizeof(L("z")));
    assert_string_equal(got, "1:ok(z) end");
    free(got);
}

static void test_reader_skips_huge_line(void **state)
{
    (void)state;
    size_t big = SO_MAX_LINE + 100000, n = 0;
    char *text = malloc(big + 200);

    n += (size_t)sprintf(text, "%s\n", L("a"));
    memset(text + n, 'x', big);
    n += big;
    n += (size_t)sprintf(text + n, "\n%s", L("b"));
    char *got = read_all(text, n);
    assert_string_equal(got, "1:ok(a) 2:bad(line: longer than 4194304 "
                             "bytes) 3:ok(b) end");
    free(got);
    free(text);
}

static void test_reader_nul_in_line(void **state)
{
    (void)state;
    const char text[] = "\0" L("a") "\n";
    char *got = read_all(text, sizeof(text) - 1);

    assert_string_equal(got, "1:bad(json: NUL byte at byte 0) end");
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_draft),
        cmocka_unit_test(test_minimal_draft),
        cmocka_unit_test(test_required_fields),
        cmocka_unit_test(test_field_types),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_round_trip_with_state),
        cmocka_unit_test(test_content_sha),
        cmocka_unit_test(test_reader_lines),
        cmocka_unit_test(test_reader_skips_huge_line),
        cmocka_unit_test(test_reader_nul_in_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
