/*
 * fuzz_draft_json: the JSON Lines draft parser (include/signoff/draft_json.h)
 * on one line and through the line reader. Properties: a draft that parses
 * prints back to JSON that parses to the same content (same content hash);
 * every refusal says why; the reader ends on any byte stream.
 */
#define _GNU_SOURCE
#include "fuzz.h"

#include "signoff/draft_json.h"

static void roundtrip(const struct so_draft *d)
{
    char *text = draft_to_json(d, 0);
    struct so_draft *again = NULL;
    struct so_error err = {0};
    FUZZ_ASSERT(draft_from_jsonl(text, strlen(text), &again, &err) == SO_OK);
    char a[65], b[65];
    draft_content_sha(d, a);
    draft_content_sha(again, b);
    FUZZ_ASSERT(strcmp(a, b) == 0);
    so_draft_free(again);
    free(text);
}

static void read_all(const uint8_t *data, size_t size)
{
    FILE *f = fmemopen((void *)data, size, "r");
    if (!f)
        return;
    struct draft_reader *r = draft_reader_new(f);
    size_t lineno = 0, lines = 0;
    for (;;) {
        struct so_draft *d = NULL;
        struct so_error err = {0};
        enum draft_read got = draft_reader_next(r, &d, &lineno, &err);
        so_draft_free(d);
        if (got == DRAFT_READ_END || got == DRAFT_READ_IOERR)
            break;
        if (got != DRAFT_READ_OK)
            FUZZ_ASSERT(err.msg[0] != '\0');
        FUZZ_ASSERT(++lines <= size + 1);
    }
    draft_reader_free(r);
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct so_draft *d = NULL;
    struct so_error err = {0};
    if (draft_from_jsonl((const char *)data, size, &d, &err) == SO_OK)
        roundtrip(d);
    else
        FUZZ_ASSERT(err.msg[0] != '\0');
    so_draft_free(d);
    if (size)
        read_all(data, size);
    return 0;
}
