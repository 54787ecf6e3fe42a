/*
 * text: UTF-8 decoding, the display sanitizer, word wrap and truncation
 * (rules in include/signoff/text.h). Works on bytes as stored and produces
 * owned layouts; it never draws, prints or keeps state between calls.
 */
#define _GNU_SOURCE /* wcwidth */
#include "signoff/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "signoff/util.h"

#define REPLACEMENT_UTF8 "\xEF\xBF\xBD"
#define ELLIPSIS_UTF8 "\xE2\x80\xA6"
#define MAX_TAB 32  /* widest tab stop honoured */
#define MAX_MARKS 4 /* combining marks shown on one character */

int text_utf8_next(const char *s, size_t len, size_t *pos, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s + *pos;
    size_t avail = len - *pos;
    unsigned char b0 = p[0];
    size_t need, i;
    uint32_t v;
    unsigned char lo = 0x80, hi = 0xBF;

    if (b0 < 0x80) {
        *cp = b0;
        *pos += 1;
        return 1;
    }
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 2;
        v = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 3;
        v = b0 & 0x0F;
        if (b0 == 0xE0)
            lo = 0xA0; /* overlong */
        else if (b0 == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 4;
        v = b0 & 0x07;
        if (b0 == 0xF0)
            lo = 0x90; /* overlong */
        else if (b0 == 0xF4)
            hi = 0x8F; /* > U+10FFFF */
    } else {
        *cp = 0xFFFD;
        *pos += 1;
        return 0;
    }
    for (i = 1; i < need; i++) {
        if (i >= avail || p[i] < lo || p[i] > hi) {
            *cp = 0xFFFD;
            *pos += i; /* the maximal invalid subpart */
            return 0;
        }
        v = (v << 6) | (p[i] & 0x3F);
        lo = 0x80;
        hi = 0xBF;
    }
    *cp = v;
    *pos += need;
    return 1;
}

int text_utf8_valid(const char *s, size_t len, size_t *bad)
{
    size_t pos = 0;
    uint32_t cp;

    while (pos < len) {
        size_t at = pos;
        if ((unsigned char)s[pos] < 0x80) {
            pos++;
            continue;
        }
        if (!text_utf8_next(s, len, &pos, &cp)) {
            if (bad)
                *bad = at;
            return 0;
        }
    }
    return 1;
}

size_t text_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0;
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp > 0x10FFFF)
        return 0;
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Characters that change how the text around them reads but draw nothing
 * visible themselves: bidi controls, zero-width characters, soft hyphen,
 * line/paragraph separators, annotation marks, tag characters and the other
 * default-ignorable code points (Hangul fillers, which even take columns).
 * Variation selectors stay: emoji and CJK variants need them. */
static int is_hidden_format(uint32_t cp)
{
    if (cp < 0x2000)
        return cp == 0x00AD || cp == 0x034F || cp == 0x061C ||
               cp == 0x115F || cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5 ||
               (cp >= 0x180B && cp <= 0x180F);
    return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x206F) || cp == 0x3164 || cp == 0xFEFF ||
           cp == 0xFFA0 || (cp >= 0xFFF0 && cp <= 0xFFFB) ||
           (cp >= 0x1BCA0 && cp <= 0x1BCA3) ||
           (cp >= 0x1D173 && cp <= 0x1D17A) || (cp >= 0xE0000 && cp <= 0xE007F);
}

int text_is_hidden(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || is_hidden_format(cp);
}

/* What one decoded source character becomes. */
enum cell_kind { CELL_PLAIN, CELL_TOKEN, CELL_SPACE, CELL_TAB, CELL_NEWLINE };

struct cell {
    size_t off;     /* source offset */
    uint32_t cp;    /* code point (U+FFFD when bad) */
    unsigned n;     /* source bytes */
    int width;      /* columns; for tabs computed at placement */
    enum cell_kind kind;
    int bad;        /* invalid UTF-8 */
    int narrow;     /* a token shown as U+FFFD: its text is wider than the
                       wrap width */
};

/* Width of a printable code point, -1 when not printable. */
static int cp_width(uint32_t cp)
{
    if (cp >= 0x20 && cp < 0x7F)
        return 1;
    if (text_is_hidden(cp))
        return -1;
    return wcwidth((wchar_t)cp);
}

/* The visible token for a hidden character; returns its length (= its
 * width, except U+FFFD which is 3 bytes wide 1). */
static size_t token_text(const struct cell *c, char out[16])
{
    if (c->bad || c->narrow) {
        memcpy(out, REPLACEMENT_UTF8, sizeof(REPLACEMENT_UTF8));
        return sizeof(REPLACEMENT_UTF8) - 1;
    }
    if (c->cp < 0x20 || c->cp == 0x7F) {
        out[0] = '^';
        out[1] = (char)(c->cp == 0x7F ? '?' : c->cp + 0x40);
        out[2] = '\0';
        return 2;
    }
    return (size_t)snprintf(out, 16, "<U+%04X>", (unsigned)c->cp);
}

/* Decode the character at *pos into c and advance *pos. */
static void decode_cell(const char *s, size_t len, size_t *pos,
                        struct cell *c)
{
    unsigned char b = (unsigned char)s[*pos];
    char tok[16];

    c->off = *pos;
    c->bad = 0;
    c->narrow = 0;
    c->cp = b;
    if (b >= 0x21 && b < 0x7F) {
        *pos += 1;
        c->n = 1;
        c->width = 1;
        c->kind = CELL_PLAIN;
        return;
    }
    /* A U+FFFD in the text is a byte that was lost on the way (a JSON
     * reply carries invalid UTF-8 as \ufffd): shown and counted as the
     * invalid byte it stands for. */
    c->bad = !text_utf8_next(s, len, pos, &c->cp) || c->cp == 0xFFFD;
    c->n = (unsigned)(*pos - c->off);
    if (c->cp == ' ' || c->cp == '\t' || c->cp == '\n') {
        c->kind = c->cp == ' ' ? CELL_SPACE
                  : c->cp == '\t' ? CELL_TAB
                                  : CELL_NEWLINE;
        c->width = 1;
        return;
    }
    c->width = c->bad ? -1 : cp_width(c->cp);
    if (c->width >= 0) {
        c->kind = CELL_PLAIN;
        return;
    }
    c->kind = CELL_TOKEN;
    c->width = c->bad ? 1 : (int)token_text(c, tok);
}

/* The layout under construction. */
struct lay {
    const char *s;
    size_t len;
    int width; /* 0: no wrap */
    int tabw;
    int oneline;
    struct buf text;
    struct text_seg *segs;
    size_t nsegs, capsegs;
    struct text_line *lines;
    size_t nlines, caplines;
    size_t hidden;
    int line_open;
    int col;
    size_t line_seg, line_src, line_end;
    struct cell *word; /* cells of the word being placed */
    size_t nword, capword;
    int marks; /* combining marks on the word's last character */
};

static void ensure_open(struct lay *L, size_t src)
{
    if (L->line_open)
        return;
    L->line_open = 1;
    L->col = 0;
    L->line_seg = L->nsegs;
    L->line_src = src;
    L->line_end = src;
}

static void end_line(struct lay *L)
{
    struct text_line *ln;

    if (!L->line_open)
        return;
    if (L->nlines == L->caplines) {
        L->caplines = L->caplines ? L->caplines * 2 : 16;
        L->lines = xrealloc(L->lines, L->caplines * sizeof(*L->lines));
    }
    ln = &L->lines[L->nlines++];
    ln->seg = L->line_seg;
    ln->nseg = L->nsegs - L->line_seg;
    ln->src_off = L->line_src;
    ln->src_len = L->line_end - L->line_src;
    ln->width = L->col;
    L->line_open = 0;
}

/* Append a segment, merging contiguous plain text on the same line. */
static void add_seg(struct lay *L, enum text_seg_kind kind, const char *disp,
                    size_t dlen, size_t src_off, size_t src_len, int width)
{
    struct text_seg *sg;

    if (kind == TEXT_PLAIN && L->nsegs > L->line_seg) {
        sg = &L->segs[L->nsegs - 1];
        if (sg->kind == TEXT_PLAIN && sg->src_off + sg->src_len == src_off) {
            buf_add(&L->text, disp, dlen);
            sg->len += dlen;
            sg->src_len += src_len;
            sg->width += width;
            goto placed;
        }
    }
    if (L->nsegs == L->capsegs) {
        L->capsegs = L->capsegs ? L->capsegs * 2 : 64;
        L->segs = xrealloc(L->segs, L->capsegs * sizeof(*L->segs));
    }
    sg = &L->segs[L->nsegs++];
    sg->off = L->text.len;
    sg->len = dlen;
    sg->src_off = src_off;
    sg->src_len = src_len;
    sg->width = width;
    sg->kind = kind;
    buf_add(&L->text, disp, dlen);
placed:
    L->col += width;
    L->line_end = src_off + src_len;
}

/* Put one cell on the current line (width already decided for blanks). */
static void emit_cell(struct lay *L, const struct cell *c, int width)
{
    char tok[16];
    static const char spaces[MAX_TAB + 1] = "                                ";

    ensure_open(L, c->off);
    switch (c->kind) {
    case CELL_PLAIN:
        add_seg(L, TEXT_PLAIN, L->s + c->off, c->n, c->off, c->n, width);
        break;
    case CELL_SPACE:
        if (c->cp == ' ') {
            add_seg(L, TEXT_PLAIN, " ", 1, c->off, c->n, 1);
            break;
        }
        /* '\n' on one line */
        add_seg(L, TEXT_BLANK, " ", 1, c->off, c->n, 1);
        break;
    case CELL_TAB:
        add_seg(L, TEXT_BLANK, spaces, (size_t)width, c->off, c->n, width);
        break;
    case CELL_TOKEN:
        L->hidden++;
        add_seg(L, TEXT_TOKEN, tok, token_text(c, tok), c->off, c->n, width);
        break;
    case CELL_NEWLINE:
        break;
    }
}

/* Place a space or tab; returns 1 when it broke the line (the caller then
 * swallows the rest of the whitespace run). */
static int place_blank(struct lay *L, const struct cell *c)
{
    int w = 1;

    if (c->kind == CELL_TAB) {
        int col = L->line_open ? L->col : 0;
        w = L->tabw - col % L->tabw;
        if (L->width > 0 && w > L->width)
            w = L->width;
    }
    if (L->width > 0 && L->line_open && L->col + w > L->width) {
        end_line(L);
        return 1;
    }
    emit_cell(L, c, w);
    return 0;
}

/* Place the collected word: move it to a new line when it does not fit,
 * hard-break it when it is wider than a whole line. */
static void place_word(struct lay *L)
{
    int ww = 0;
    size_t i;

    for (i = 0; i < L->nword; i++)
        ww += L->word[i].width;
    if (L->width > 0 && L->line_open && L->col > 0 && L->col + ww > L->width)
        end_line(L);
    for (i = 0; i < L->nword; i++) {
        const struct cell *c = &L->word[i];
        if (L->width > 0 && L->line_open && L->col > 0 &&
            L->col + c->width > L->width)
            end_line(L);
        emit_cell(L, c, c->width);
    }
    L->nword = 0;
}

/* Add a cell to the word being collected. Combining marks past
 * MAX_MARKS on one character become tokens: ncurses keeps only that many
 * and "zalgo" stacks spill over the lines around them. A token wider than
 * the wrap width shows as U+FFFD so that no line is wider than it. */
static void push_word_cell(struct lay *L, const struct cell *c)
{
    char tok[16];
    struct cell *w;

    if (L->nword == L->capword) {
        L->capword = L->capword ? L->capword * 2 : 64;
        L->word = xrealloc(L->word, L->capword * sizeof(*L->word));
    }
    w = &L->word[L->nword];
    *w = *c;
    if (L->nword++ == 0 || c->kind != CELL_PLAIN || c->width != 0) {
        L->marks = 0;
    } else if (++L->marks > MAX_MARKS) {
        w->kind = CELL_TOKEN;
        w->width = (int)token_text(w, tok);
    }
    if (w->kind == CELL_TOKEN && L->width > 0 && w->width > L->width) {
        w->narrow = 1;
        w->width = 1;
    }
}

/* Skip spaces and tabs from *pos (after a wrap swallowed one). */
static void swallow_blanks(const struct lay *L, size_t *pos)
{
    while (*pos < L->len && (L->s[*pos] == ' ' || L->s[*pos] == '\t'))
        (*pos)++;
}

static void lay_run(struct lay *L)
{
    size_t pos = 0;
    struct cell c;

    while (pos < L->len) {
        decode_cell(L->s, L->len, &pos, &c);
        if (c.kind == CELL_NEWLINE && !L->oneline) {
            ensure_open(L, c.off);
            end_line(L);
            continue;
        }
        if (c.kind == CELL_NEWLINE)
            c.kind = CELL_SPACE;
        if (c.kind == CELL_SPACE || c.kind == CELL_TAB) {
            if (place_blank(L, &c))
                swallow_blanks(L, &pos);
            continue;
        }
        push_word_cell(L, &c);
        while (pos < L->len) {
            size_t save = pos;
            decode_cell(L->s, L->len, &pos, &c);
            if (c.kind == CELL_SPACE || c.kind == CELL_TAB ||
                c.kind == CELL_NEWLINE) {
                pos = save;
                break;
            }
            push_word_cell(L, &c);
        }
        place_word(L);
    }
    end_line(L);
    if (L->nlines == 0) {
        ensure_open(L, 0);
        end_line(L);
    }
}

/* Width of the plain text s[from..to) (valid, printable by construction). */
static int plain_width(const char *s, size_t from, size_t to)
{
    int w = 0;
    size_t pos = from;
    uint32_t cp;

    while (pos < to) {
        text_utf8_next(s, to, &pos, &cp);
        w += cp_width(cp);
    }
    return w;
}

/* Longest prefix of plain segment text s[from..to) that fits in room
 * columns; returns its end offset and adds its width to *w. */
static size_t plain_fit(const char *s, size_t from, size_t to, int room,
                        int *w)
{
    size_t pos = from, next;
    uint32_t cp;
    int used = 0;

    while (pos < to) {
        next = pos;
        text_utf8_next(s, to, &next, &cp);
        if (used + cp_width(cp) > room)
            break;
        used += cp_width(cp);
        pos = next;
    }
    *w += used;
    return pos;
}

/* Shorten segment sg, which does not fit in room - *used columns, to the
 * part that does and add its width to *used. A token cannot be shortened:
 * its length becomes 0. */
static void cut_seg(struct lay *L, struct text_seg *sg, int room, int *used)
{
    if (sg->kind == TEXT_PLAIN) {
        size_t end = plain_fit(L->text.data, sg->off, sg->off + sg->len,
                               room - *used, used);
        sg->src_len = end - sg->off;
        sg->len = end - sg->off;
        sg->width = plain_width(L->text.data, sg->off, end);
    } else if (sg->kind == TEXT_BLANK && room > *used) {
        sg->width = room - *used;
        sg->len = (size_t)sg->width;
        *used = room;
    } else {
        sg->len = 0;
    }
}

/* Cut the single line of a TEXT_ONELINE layout to width columns, the last
 * one being the ellipsis. The kept segments are a prefix of the line and
 * the first one that does not fit whole is the last kept (shortened): the
 * segments after it may be narrow enough for the room it left, but their
 * display bytes follow the bytes it lost. */
static void cut_line(struct lay *L, int width)
{
    struct text_line *ln = &L->lines[0];
    int room = width - 1, used = 0, cut = 0;
    size_t i, keep = 0, text_end = 0, src_end = ln->src_off;

    for (i = 0; i < L->nsegs && !cut && used < room; i++) {
        struct text_seg *sg = &L->segs[i];
        if (used + sg->width <= room) {
            used += sg->width;
        } else {
            cut_seg(L, sg, room, &used);
            cut = 1;
        }
        if (sg->len == 0)
            break;
        keep = i + 1;
        text_end = sg->off + sg->len;
        src_end = sg->src_off + sg->src_len;
    }
    L->nsegs = keep;
    L->text.len = text_end;
    L->line_seg = 0;
    L->line_open = 1;
    L->col = used;
    L->line_src = ln->src_off;
    L->line_end = src_end;
    L->nlines = 0;
    add_seg(L, TEXT_ELLIPSIS, ELLIPSIS_UTF8, 3, src_end, 0, 1);
    end_line(L);
}

struct text_doc *text_layout(const char *s, size_t len,
                             const struct text_opts *opts)
{
    struct lay L;
    struct text_doc *doc;

    memset(&L, 0, sizeof(L));
    L.s = s ? s : "";
    L.len = s ? len : 0;
    L.oneline = opts && (opts->flags & TEXT_ONELINE);
    L.width = opts && !L.oneline && opts->width > 0 ? opts->width : 0;
    L.tabw = opts && opts->tab_width > 0 ? opts->tab_width : 8;
    if (L.tabw > MAX_TAB)
        L.tabw = MAX_TAB;
    buf_init(&L.text);
    /* display text is about as long as the source: size it once */
    L.text.cap = L.len + L.len / 8 + 64;
    L.text.data = xmalloc(L.text.cap);
    lay_run(&L);
    if (L.oneline && opts->width > 0 && L.lines[0].width > opts->width)
        cut_line(&L, opts->width);
    L.text.data[L.text.len] = '\0'; /* cap > len: presized, grown +1 */
    free(L.word);

    doc = xcalloc(1, sizeof(*doc));
    doc->text_len = L.text.len;
    doc->text = buf_steal(&L.text);
    doc->segs = L.segs;
    doc->nsegs = L.nsegs;
    doc->lines = L.lines;
    doc->nlines = L.nlines;
    doc->hidden = L.hidden;
    doc->src_len = L.len;
    return doc;
}

void text_doc_free(struct text_doc *doc)
{
    if (!doc)
        return;
    free(doc->text);
    free(doc->segs);
    free(doc->lines);
    free(doc);
}

int text_doc_locate(const struct text_doc *doc, size_t src_off, size_t *line,
                    int *col)
{
    size_t lo = 0, hi = doc->nlines, i;
    const struct text_line *ln;
    int c = 0;

    if (src_off > doc->src_len)
        return -1;
    while (hi - lo > 1) { /* last line starting at or before src_off */
        size_t mid = lo + (hi - lo) / 2;
        if (doc->lines[mid].src_off <= src_off)
            lo = mid;
        else
            hi = mid;
    }
    ln = &doc->lines[lo];
    *line = lo;
    *col = ln->width;
    for (i = ln->seg; i < ln->seg + ln->nseg; i++) {
        const struct text_seg *sg = &doc->segs[i];
        if (src_off >= sg->src_off && src_off < sg->src_off + sg->src_len) {
            if (sg->kind == TEXT_PLAIN)
                c += plain_width(doc->text, sg->off,
                                 sg->off + (src_off - sg->src_off));
            *col = c;
            return 0;
        }
        c += sg->width;
    }
    return 0;
}

int text_width(const char *s, size_t len)
{
    struct text_opts o = {0, 0, TEXT_ONELINE};
    struct text_doc *doc = text_layout(s, len, &o);
    int w = doc->lines[0].width;

    text_doc_free(doc);
    return w;
}

char *text_plain(const char *s, int width, int pad)
{
    struct text_opts o = {width > 0 ? width : 0, 0, TEXT_ONELINE};
    struct text_doc *doc = text_layout(s, s ? strlen(s) : 0, &o);
    struct buf b;
    int w = doc->lines[0].width;

    buf_init(&b);
    buf_add(&b, doc->text, doc->text_len);
    while (pad && width > 0 && w < width) {
        buf_addc(&b, ' ');
        w++;
    }
    buf_cstr(&b);
    text_doc_free(doc);
    return buf_steal(&b);
}
