/*
 * fuzz_text: the sanitizer and wrapper (include/signoff/text.h) on
 * arbitrary bytes. The first byte picks the width and flags. Properties:
 * the display text never holds a byte a terminal would act on (ESC, C0
 * but newline, DEL, C1, bidi controls), no line is wider than the wrap
 * width (for widths >= 8), segments stay inside the source and the display
 * text, and text_plain is safe and fits its width.
 */
#include "fuzz.h"

#include "signoff/text.h"

static void check_doc(const struct text_doc *doc, size_t len, int width)
{
    FUZZ_ASSERT(doc->nlines >= 1);
    FUZZ_ASSERT(fuzz_find_unsafe(doc->text, doc->text_len) < 0);
    for (size_t i = 0; i < doc->nsegs; i++) {
        const struct text_seg *s = &doc->segs[i];
        FUZZ_ASSERT(s->off + s->len <= doc->text_len);
        FUZZ_ASSERT(s->src_off + s->src_len <= len);
        FUZZ_ASSERT(s->width >= 0);
    }
    for (size_t i = 0; i < doc->nlines; i++) {
        const struct text_line *l = &doc->lines[i];
        FUZZ_ASSERT(l->seg + l->nseg <= doc->nsegs);
        if (width >= 8)
            FUZZ_ASSERT(l->width <= width);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_locale();
    if (size == 0)
        return 0;
    int width = data[0] & 0x7f;
    int flags = (data[0] & 0x80) ? TEXT_ONELINE : 0;
    const char *s = (const char *)data + 1;
    size_t len = size - 1;
    struct text_opts o = {.width = width, .tab_width = 8, .flags = flags};
    struct text_doc *doc = text_layout(s, len, &o);
    FUZZ_ASSERT(doc != NULL);
    check_doc(doc, len, width);
    text_doc_free(doc);

    char *cs = fuzz_cstr(data + 1, len);
    char *plain = text_plain(cs, width, 1);
    FUZZ_ASSERT(fuzz_find_unsafe(plain, strlen(plain)) < 0);
    if (width > 0)
        FUZZ_ASSERT(text_width(plain, strlen(plain)) <= width);
    free(plain);
    size_t bad = 0;
    (void)text_utf8_valid(cs, len, &bad);
    FUZZ_ASSERT(bad <= len);
    free(cs);
    return 0;
}
