/*
 * escape: CSV fields and Prometheus label values from untrusted text
 * (rules in include/signoff/escape.h). Works on the bytes as stored; keeps
 * no state.
 */
#include "signoff/escape.h"

#include <string.h>

#include "signoff/text.h"

#define REPLACEMENT_UTF8 "\xEF\xBF\xBD"

/* Append s[0..len) with each invalid UTF-8 sequence as U+FFFD. */
static void add_valid_utf8(struct buf *out, const char *s, size_t len)
{
    size_t pos = 0;
    while (pos < len) {
        size_t at = pos;
        uint32_t cp;
        if (text_utf8_next(s, len, &pos, &cp))
            buf_add(out, s + at, pos - at);
        else
            buf_adds(out, REPLACEMENT_UTF8);
    }
}

/* Append s[0..len) with each hidden character as a <U+XXXX> token and each
 * invalid UTF-8 sequence as U+FFFD */
static void add_name(struct buf *out, const char *s, size_t len)
{
    size_t pos = 0;
    while (pos < len) {
        size_t at = pos;
        uint32_t cp;
        if (!text_utf8_next(s, len, &pos, &cp))
            buf_adds(out, REPLACEMENT_UTF8);
        else if (text_is_hidden(cp))
            buf_addf(out, "<U+%04X>", (unsigned)cp);
        else
            buf_add(out, s + at, pos - at);
    }
}

static void buf_add_bytes(struct buf *out, const char *s, size_t len)
{
    buf_add(out, s, len);
}

void escape_csv_name(struct buf *out, const char *s)
{
    if (!s)
        return;
    struct buf b;
    buf_init(&b);
    add_name(&b, s, strlen(s));
    escape_csv_field(out, buf_cstr(&b));
    buf_free(&b);
}

/* Append s as one field; add writes each run of bytes between quotes. */
static void csv_field(struct buf *out, const char *s,
                      void (*add)(struct buf *, const char *, size_t))
{
    if (!s)
        return;
    size_t len = strlen(s);
    int quote = strpbrk(s, ",\"\r\n") != NULL ||
                (len && (s[0] == ' ' || s[len - 1] == ' '));
    if (!quote) {
        add(out, s, len);
        return;
    }
    buf_addc(out, '"');
    for (const char *p = s, *q; *p; p = q) {
        q = strchr(p, '"');
        if (!q) {
            add(out, p, strlen(p));
            break;
        }
        add(out, p, (size_t)(q - p));
        buf_adds(out, "\"\"");
        q++;
    }
    buf_addc(out, '"');
}

void escape_csv_field(struct buf *out, const char *s)
{
    csv_field(out, s, add_valid_utf8);
}

void escape_csv_raw(struct buf *out, const char *s)
{
    csv_field(out, s, buf_add_bytes);
}

void escape_prom_label(struct buf *out, const char *name, const char *value)
{
    const char *s = value ? value : "";
    size_t len = strlen(s), pos = 0;
    buf_addf(out, "%s=\"", name);
    while (pos < len) {
        size_t at = pos;
        uint32_t cp;
        int ok = text_utf8_next(s, len, &pos, &cp);
        if (cp == '\\' || cp == '"')
            buf_addc(out, '\\');
        if (cp == '\n')
            buf_adds(out, "\\n");
        else if (!ok)
            buf_adds(out, REPLACEMENT_UTF8);
        else if (text_is_hidden(cp))
            buf_addf(out, "<U+%04X>", (unsigned)cp);
        else
            buf_add(out, s + at, pos - at);
    }
    buf_addc(out, '"');
}

void escape_prom_family(struct buf *out, const char *name, const char *type,
                        const char *help)
{
    buf_addf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}
