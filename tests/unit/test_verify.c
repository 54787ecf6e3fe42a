/*
 * test_verify: the audit chain walk and the export format, on chains built
 * in memory with audit.h (the store's own hash), so every kind of tampering
 * can be staged exactly: a changed field, a removed record (first, middle,
 * last), an inserted record, two records swapped, a final body that no
 * longer matches its hash. Exports (JSON Lines and CSV) of hostile text
 * must be ASCII only and verify again from the file alone.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "signoff/audit.h"
#include "signoff/verify.h"

#define MAXREC 16

struct chain {
    struct so_decision rec[MAXREC];
    size_t n;
    size_t pos; /* source cursor */
    struct verify_head head;
};

static const char *const notes[] = {
    "plain note",
    "\x1b]52;c;cm0gLXJmIH4K\x07 clipboard",
    "reject\b\b\b\b\b\bapprove",
    "\xe2\x80\xae" "evorppa, \"quoted\", comma",
    "emoji \xf0\x9f\x99\x82 and CJK \xe5\xae\xbd",
    NULL,
};

static void set_final(struct so_decision *d, const char *body)
{
    free(d->final_body);
    d->final_body = body ? xstrdup(body) : NULL;
    if (body)
        audit_sha256_hex(body, strlen(body), d->final_sha);
    else
        d->final_sha[0] = '\0';
}

/* Recompute hashes from record i on, as an attacker with write access
 * would to hide a change. */
static void rehash_from(struct chain *c, size_t i)
{
    for (; i < c->n; i++) {
        const char *prev = i ? c->rec[i - 1].hash : AUDIT_GENESIS;
        snprintf(c->rec[i].prev_hash, 65, "%s", prev);
        audit_record_hash(prev, &c->rec[i], c->rec[i].hash);
    }
    c->head.seq = c->n ? c->rec[c->n - 1].seq : 0;
    snprintf(c->head.hash, 65, "%s", c->n ? c->rec[c->n - 1].hash : AUDIT_GENESIS);
}

static void build(struct chain *c, size_t n)
{
    memset(c, 0, sizeof *c);
    c->n = n;
    for (size_t i = 0; i < n; i++) {
        struct so_decision *d = &c->rec[i];
        d->seq = (int64_t)i + 1;
        d->draft_id = xasprintf("T-%zu", i + 1);
        d->request_id = xasprintf("req-%zu", i + 1);
        d->reviewer = xstrdup(i % 2 ? "bob" : "alice");
        d->action = i % 3 == 0 ? SO_ACT_EDIT : SO_ACT_REJECT;
        d->kind = xstrdup("review");
        d->reason = d->action == SO_ACT_REJECT ? xstrdup("factual") : NULL;
        d->note = notes[i % 6] ? xstrdup(notes[i % 6]) : NULL;
        d->edit_size = (int64_t)i * 3;
        audit_sha256_hex("shown body", 10, d->body_sha);
        set_final(d, d->action == SO_ACT_EDIT ? "edited, \"final\" text\n\t2nd line"
                                              : NULL);
        d->shown_at = 1764000000000 + (int64_t)i * 1000;
        d->decided_at = d->shown_at + 5000;
        d->active_ms = 4200;
    }
    rehash_from(c, 0);
}

static void chain_free(struct chain *c)
{
    for (size_t i = 0; i < c->n; i++)
        so_decision_clear(&c->rec[i]);
}

static void copy_decision(struct so_decision *to, const struct so_decision *from)
{
    *to = *from;
    to->draft_id = xstrdup(from->draft_id);
    to->request_id = xstrdup(from->request_id);
    to->reviewer = xstrdup(from->reviewer);
    to->kind = xstrdup(from->kind);
    to->reason = xstrdup(from->reason);
    to->note = xstrdup(from->note);
    to->final_body = xstrdup(from->final_body);
}

static enum so_status chain_next(void *ctx, struct so_decision *d,
                                 struct so_error *err)
{
    (void)err;
    struct chain *c = ctx;
    if (c->pos >= c->n)
        return SO_EMPTY;
    copy_decision(d, &c->rec[c->pos++]);
    return SO_OK;
}

/* Verify c against its head; returns the status, the message in msg. */
static enum so_status run(struct chain *c, char *msg, size_t size)
{
    c->pos = 0;
    struct verify_source src = {chain_next, c};
    struct verify_opts o = {.from_genesis = 1, .head = &c->head};
    struct verify_result res;
    struct so_error err = {0};
    enum so_status st = verify_chain(&src, &o, &res, &err);
    snprintf(msg, size, "%s", st == SO_OK ? "" : err.msg);
    return st;
}

static void expect_bad(struct chain *c, const char *want)
{
    char msg[512];
    assert_int_equal(run(c, msg, sizeof msg), SO_ERR_INVALID);
    if (strcmp(msg, want) != 0)
        fail_msg("got \"%s\"\nwant \"%s\"", msg, want);
}

static void test_intact(void **state)
{
    (void)state;
    struct chain c;
    build(&c, 10);
    char msg[512];
    c.pos = 0;
    struct verify_source src = {chain_next, &c};
    struct verify_opts o = {.from_genesis = 1, .head = &c.head};
    struct verify_result res;
    struct so_error err = {0};
    assert_int_equal(verify_chain(&src, &o, &res, &err), SO_OK);
    assert_int_equal(res.records, 10);
    assert_int_equal(res.first_seq, 1);
    assert_int_equal(res.last_seq, 10);
    assert_string_equal(res.last_hash, c.rec[9].hash);
    chain_free(&c);
    /* An empty chain with an empty head holds too. */
    build(&c, 0);
    assert_int_equal(run(&c, msg, sizeof msg), SO_OK);
}

static void test_changed(void **state)
{
    (void)state;
    struct chain c;
    build(&c, 10);
    free(c.rec[6].note);
    c.rec[6].note = xstrdup("a different note");
    expect_bad(&c, "decision 7 (draft T-7): hash does not match: record changed");
    chain_free(&c);

    build(&c, 10);
    c.rec[3].action = SO_ACT_APPROVE; /* the reviewer's verdict flipped */
    expect_bad(&c, "decision 4 (draft T-4): hash does not match: record changed");
    chain_free(&c);

    build(&c, 10);
    set_final(&c.rec[0], "a better text"); /* final_sha follows the text */
    expect_bad(&c, "decision 1 (draft T-1): hash does not match: record changed");
    chain_free(&c);

    build(&c, 10);
    free(c.rec[3].final_body); /* text changed, its sha left alone */
    c.rec[3].final_body = xstrdup("swapped text");
    expect_bad(&c, "decision 4 (draft T-4): final body does not match its "
                   "hash: record changed");
    chain_free(&c);

    build(&c, 10);
    c.rec[1].final_body = xstrdup("a text that no hash covers");
    expect_bad(&c, "decision 2 (draft T-2): final body does not match its "
                   "hash: record changed");
    chain_free(&c);
}

static void test_changed_and_rehashed(void **state)
{
    (void)state;
    struct chain c;
    build(&c, 10);
    struct verify_head old = c.head;
    c.rec[4].decided_at += 1;
    rehash_from(&c, 4);
    c.head = old; /* the head kept elsewhere was not rewritten */
    expect_bad(&c, "the chain head (decision 10) does not match the last "
                   "record (decision 10): records changed or inserted");
    chain_free(&c);
}

static void remove_at(struct chain *c, size_t i)
{
    so_decision_clear(&c->rec[i]);
    memmove(&c->rec[i], &c->rec[i + 1], (c->n - i - 1) * sizeof c->rec[0]);
    c->n--;
}

static void test_removed(void **state)
{
    (void)state;
    struct chain c;
    build(&c, 10);
    remove_at(&c, 4);
    expect_bad(&c, "decision 6 (draft T-6): decision 5 before it is missing: "
                   "record removed");
    chain_free(&c);

    build(&c, 10);
    remove_at(&c, 4);
    remove_at(&c, 4);
    expect_bad(&c, "decision 7 (draft T-7): decisions 5..6 before it are "
                   "missing: records removed");
    chain_free(&c);

    build(&c, 10);
    remove_at(&c, 0);
    expect_bad(&c, "decision 2 (draft T-2): decision 1 before it is missing: "
                   "record removed");
    chain_free(&c);

    build(&c, 10);
    remove_at(&c, 9);
    expect_bad(&c, "decision 10 (the chain head) is missing; the last record "
                   "is decision 9: records removed");
    chain_free(&c);
}

static void test_inserted(void **state)
{
    (void)state;
    struct chain c;
    build(&c, 10);
    /* A forged record between 5 and 6 with a valid hash of its own; the
     * records after it renumbered. */
    memmove(&c.rec[6], &c.rec[5], 5 * sizeof c.rec[0]);
    c.n = 11;
    struct so_decision *f = &c.rec[5];
    memset(f, 0, sizeof *f);
    f->seq = 6;
    f->draft_id = xstrdup("T-forged");
    f->request_id = xstrdup("req-forged");
    f->reviewer = xstrdup("mallory");
    f->action = SO_ACT_APPROVE;
    f->kind = xstrdup("review");
    audit_sha256_hex("x", 1, f->body_sha);
    snprintf(f->prev_hash, 65, "%s", c.rec[4].hash);
    audit_record_hash(f->prev_hash, f, f->hash);
    for (size_t i = 6; i < c.n; i++)
        c.rec[i].seq++;
    expect_bad(&c, "decision 6 (draft T-forged): not part of the chain (the "
                   "next record skips it): record inserted");
    chain_free(&c);
}

static void test_reordered(void **state)
{
    (void)state;
    struct chain c;
    build(&c, 10);
    struct so_decision tmp = c.rec[3];
    c.rec[3] = c.rec[4];
    c.rec[4] = tmp;
    int64_t s = c.rec[3].seq; /* seq is the position: swap back */
    c.rec[3].seq = c.rec[4].seq;
    c.rec[4].seq = s;
    expect_bad(&c, "decision 4 (draft T-5): out of order (it follows the next "
                   "record): records reordered");
    chain_free(&c);
}

static void test_hostile_id_in_message(void **state)
{
    (void)state;
    struct chain c;
    build(&c, 3);
    free(c.rec[1].draft_id);
    c.rec[1].draft_id = xstrdup("T-\x1b[2J\xe2\x80\xae");
    rehash_from(&c, 0);
    free(c.rec[1].note);
    c.rec[1].note = xstrdup("changed");
    char msg[512];
    assert_int_equal(run(&c, msg, sizeof msg), SO_ERR_INVALID);
    assert_null(strchr(msg, 0x1b));
    assert_null(strstr(msg, "\xe2\x80\xae"));
    assert_non_null(strstr(msg, "record changed"));
    chain_free(&c);
}

/* ---- exports ---------------------------------------------------------- */

static char *export_to(struct chain *c, enum verify_format fmt, char *path)
{
    strcpy(path, "/tmp/signoff-export.XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    c->pos = 0;
    struct verify_source src = {chain_next, c};
    struct verify_export_info info = {.queue = "q.db", .exported_at = 1,
                                      .head = &c->head};
    int64_t n = 0;
    struct so_error err = {0};
    assert_int_equal(verify_export_write(f, fmt, &info, &src, &n, &err), SO_OK);
    assert_int_equal(n, (int64_t)c->n);
    fclose(f);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(so_read_file(path, 1 << 20, &text, &len, &err), SO_OK);
    return text;
}

static enum so_status verify_file(const char *path, char *msg, size_t size)
{
    struct verify_opts o = {0};
    struct verify_result res;
    struct so_error err = {0};
    enum so_status st = verify_export_file(path, &o, &res, &err);
    snprintf(msg, size, "%s", st == SO_OK ? "" : err.msg);
    return st;
}

static void check_ascii(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p >= 0x7f || (*p < 0x20 && *p != '\n' && *p != '\r'))
            fail_msg("byte 0x%02x at %td is not printable ASCII", *p,
                     (const char *)p - text);
}

static void roundtrip(enum verify_format fmt)
{
    struct chain c;
    build(&c, 12);
    char path[64], msg[512];
    char *text = export_to(&c, fmt, path);
    if (fmt == VERIFY_JSONL) /* CSV carries the text itself */
        check_ascii(text);
    assert_int_equal(verify_file(path, msg, sizeof msg), SO_OK);
    /* Tamper with the file: the note of one record. */
    char *at = strstr(text, "plain note");
    assert_non_null(at);
    at = strstr(at + 1, "plain note"); /* the second one: seq 7 */
    assert_non_null(at);
    memcpy(at, "plain NOTE", 10);
    struct so_error err = {0};
    assert_int_equal(so_write_file_atomic(path, text, strlen(text), 0600, &err),
                     SO_OK);
    assert_int_equal(verify_file(path, msg, sizeof msg), SO_ERR_INVALID);
    assert_string_equal(msg, "decision 7 (draft T-7): hash does not match: "
                             "record changed");
    free(text);
    unlink(path);
    chain_free(&c);
}

static void test_export_jsonl(void **state)
{
    (void)state;
    roundtrip(VERIFY_JSONL);
}

static void test_export_csv(void **state)
{
    (void)state;
    roundtrip(VERIFY_CSV);
}

static void test_export_truncated(void **state)
{
    (void)state;
    struct chain c;
    build(&c, 5);
    char path[64], msg[512];
    char *text = export_to(&c, VERIFY_JSONL, path);
    /* Drop the last line: the header's head names the lost record. */
    size_t len = strlen(text);
    text[len - 1] = '\0';
    *(strrchr(text, '\n') + 1) = '\0';
    struct so_error err = {0};
    assert_int_equal(so_write_file_atomic(path, text, strlen(text), 0600, &err),
                     SO_OK);
    assert_int_equal(verify_file(path, msg, sizeof msg), SO_ERR_INVALID);
    assert_string_equal(msg, "decision 5 (the chain head) is missing; the last "
                             "record is decision 4: records removed");
    /* Garbage on a line is named by line. */
    strcat(text, "{\"seq\":5,\"seq\":6}\n");
    assert_int_equal(so_write_file_atomic(path, text, strlen(text), 0600, &err),
                     SO_OK);
    assert_int_equal(verify_file(path, msg, sizeof msg), SO_ERR_INVALID);
    char want[128];
    snprintf(want, sizeof want, "%s:6: ", path);
    assert_memory_equal(msg, want, strlen(want));
    free(text);
    unlink(path);
    chain_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_intact),
        cmocka_unit_test(test_changed),
        cmocka_unit_test(test_changed_and_rehashed),
        cmocka_unit_test(test_removed),
        cmocka_unit_test(test_inserted),
        cmocka_unit_test(test_reordered),
        cmocka_unit_test(test_hostile_id_in_message),
        cmocka_unit_test(test_export_jsonl),
        cmocka_unit_test(test_export_csv),
        cmocka_unit_test(test_export_truncated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
