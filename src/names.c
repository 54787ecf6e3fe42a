/*
 * names: the entry rule for names and notes (see names.h). Decodes with
 * text_utf8_next and judges each character; reports the first bad one by
 * its byte offset and code point, never by echoing it.
 */
#include "signoff/names.h"

#include <stdint.h>
#include <string.h>

#include "signoff/text.h"

/* Bidi controls: embeddings and overrides, isolates, marks. */
static int is_bidi(uint32_t cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

static const char *kind_of(uint32_t cp)
{
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
        return "control character";
    if (is_bidi(cp))
        return "bidi control";
    return "invisible character";
}

/* Check value against the name rule, or with note against the note rule. */
static enum so_status walk(const char *field, const char *value, size_t max,
                           int note, struct so_error *err)
{
    size_t len = strlen(value), pos = 0;
    if (len == 0)
        return so_fail(err, SO_ERR_INVALID, "%s: empty%s", field,
                       note ? " (leave it out for none)" : "");
    if (len > max)
        return so_fail(err, note ? SO_ERR_TOOLARGE : SO_ERR_INVALID,
                       "%s: longer than %zu bytes", field, max);
    while (pos < len) {
        size_t at = pos;
        uint32_t cp;
        if (!text_utf8_next(value, len, &pos, &cp))
            return so_fail(err, SO_ERR_INVALID,
                           "%s: invalid UTF-8 at byte %zu", field, at);
        int bad = note ? ((cp < 0x20 && cp != '\n' && cp != '\t') ||
                          cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ||
                          is_bidi(cp))
                       : text_is_hidden(cp) || cp == 0xFFFD;
        if (bad && cp == 0xFFFD)
            return so_fail(err, SO_ERR_INVALID,
                           "%s: replacement character U+FFFD at byte %zu",
                           field, at);
        if (bad)
            return so_fail(err, SO_ERR_INVALID, "%s: %s U+%04X at byte %zu",
                           field, kind_of(cp), (unsigned)cp, at);
    }
    return SO_OK;
}

enum so_status names_check(const char *field, const char *value,
                           struct so_error *err)
{
    if (!value)
        return so_fail(err, SO_ERR_INVALID, "%s: missing", field);
    return walk(field, value, SO_NAME_MAX, 0, err);
}

enum so_status names_check_note(const char *field, const char *value,
                                size_t max, struct so_error *err)
{
    if (!value)
        return so_fail(err, SO_ERR_INVALID, "%s: missing", field);
    return walk(field, value, max, 1, err);
}

enum so_status names_check_reviewer(const char *field, const char *value,
                                    struct so_error *err)
{
    if (names_check(field, value, err) != SO_OK)
        return err->code;
    if (strcmp(value, "auto") == 0)
        return so_fail(err, SO_ERR_INVALID,
                       "%s: 'auto' is reserved for automatic decisions",
                       field);
    return SO_OK;
}
