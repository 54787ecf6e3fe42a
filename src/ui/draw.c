/*
 * ui_draw: the only place theme roles become curses attributes, and the
 * path every untrusted string takes to the screen: text_layout sanitizes
 * it, then each segment is drawn with waddnstr (tokens in reverse video).
 * Colour pairs are numbered role + 1.
 */
#include "signoff/ui/draw.h"

#include <string.h>

/* Attributes per role; curses itself is process-global, so is this. */
static attr_t role_attr[TR_COUNT];

static attr_t to_curses(unsigned a)
{
    attr_t r = A_NORMAL;
    if (a & THEME_A_BOLD)
        r |= A_BOLD;
    if (a & THEME_A_UNDERLINE)
        r |= A_UNDERLINE;
    if (a & THEME_A_REVERSE)
        r |= A_REVERSE;
    if (a & THEME_A_DIM)
        r |= A_DIM;
    if (a & THEME_A_STANDOUT)
        r |= A_STANDOUT;
    return r;
}

/* A colour the terminal can show: bright ones fold onto the classic eight
 * on 8-colour terminals; anything else is the default. */
static short fit_color(short c)
{
    if (c < 0 || c < COLORS)
        return c;
    if (c < 16 && c - 8 < COLORS)
        return (short)(c - 8);
    return -1;
}

void ui_draw_init(const struct theme *t, int use_color)
{
    int color = use_color && has_colors() && COLOR_PAIRS > TR_COUNT;
    for (int r = 0; r < TR_COUNT; r++) {
        const struct theme_style *s = &t->role[r];
        if (!color) {
            role_attr[r] = to_curses(s->attrs | theme_role_mono(r));
            continue;
        }
        init_pair((short)(r + 1), fit_color(s->fg), fit_color(s->bg));
        role_attr[r] = to_curses(s->attrs) | COLOR_PAIR(r + 1);
    }
}

attr_t ui_draw_attr(enum theme_role r)
{
    return (int)r >= 0 && r < TR_COUNT ? role_attr[r] : A_NORMAL;
}

void ui_draw_fill(WINDOW *w, int y, enum theme_role r)
{
    int cols = getmaxx(w);
    wattrset(w, ui_draw_attr(r));
    mvwhline(w, y, 0, ' ', cols);
}

/* The role at source byte pos: the last span covering it, else base. */
static enum theme_role role_at(size_t pos, enum theme_role base,
                               const struct ui_span *spans, size_t n)
{
    enum theme_role r = base;
    for (size_t i = 0; i < n; i++)
        if (pos >= spans[i].off && pos < spans[i].off + spans[i].len)
            r = spans[i].role;
    return r;
}

/* The first span boundary after pos, at most end. */
static size_t next_cut(size_t pos, size_t end, const struct ui_span *spans,
                       size_t n)
{
    size_t cut = end;
    for (size_t i = 0; i < n; i++) {
        size_t a = spans[i].off, b = spans[i].off + spans[i].len;
        if (a > pos && a < cut)
            cut = a;
        if (b > pos && b < cut)
            cut = b;
    }
    return cut;
}

static void draw_plain(WINDOW *w, const struct text_doc *doc,
                       const struct text_seg *seg, enum theme_role base,
                       const struct ui_span *spans, size_t n)
{
    size_t pos = seg->src_off, end = seg->src_off + seg->src_len;
    while (pos < end) {
        size_t cut = next_cut(pos, end, spans, n);
        wattrset(w, ui_draw_attr(role_at(pos, base, spans, n)));
        waddnstr(w, doc->text + seg->off + (pos - seg->src_off),
                 (int)(cut - pos));
        pos = cut;
    }
}

void ui_draw_doc_line(WINDOW *w, int y, int x, const struct text_doc *doc,
                      size_t line, enum theme_role base,
                      const struct ui_span *spans, size_t nspans)
{
    if (line >= doc->nlines)
        return;
    const struct text_line *l = &doc->lines[line];
    wmove(w, y, x);
    for (size_t i = l->seg; i < l->seg + l->nseg; i++) {
        const struct text_seg *seg = &doc->segs[i];
        if (seg->kind == TEXT_PLAIN) {
            draw_plain(w, doc, seg, base, spans, nspans);
            continue;
        }
        wattrset(w, ui_draw_attr(seg->kind == TEXT_TOKEN ? TR_HIDDEN : base));
        waddnstr(w, doc->text + seg->off, (int)seg->len);
    }
    wattrset(w, ui_draw_attr(TR_NORMAL));
}

int ui_draw_text(WINDOW *w, int y, int x, int width, const char *s,
                 enum theme_role r)
{
    if (!s || width <= 0)
        return 0;
    /* A line shows at most width columns: more source than this cannot be
     * on it, and a 1 MiB input stays cheap to fold. */
    size_t len = strlen(s), cap = (size_t)width * 8 + 64;
    struct text_opts o = {width, 0, TEXT_ONELINE};
    struct text_doc *doc = text_layout(s, len < cap ? len : cap, &o);
    int used = doc->lines[0].width;
    ui_draw_doc_line(w, y, x, doc, 0, r, NULL, 0);
    text_doc_free(doc);
    return used;
}
