/*
 * ui_draw: drawing helpers every screen uses. Theme roles become curses
 * attributes here (colour pairs, or attributes only under NO_COLOR, mono
 * and terminals without colour), and every piece of untrusted text goes
 * through the text module's sanitizer before it reaches curses: tokens for
 * hidden characters are drawn in reverse video. Never touches the queue.
 */
#ifndef SIGNOFF_UI_DRAW_H
#define SIGNOFF_UI_DRAW_H

#include <curses.h>

#include "signoff/text.h"
#include "signoff/theme.h"

/* Turn theme t into attributes (colour pairs only when use_color and the
 * terminal has colours). Call after start_color(). */
void ui_draw_init(const struct theme *t, int use_color);

/* The curses attributes of a role. */
attr_t ui_draw_attr(enum theme_role r);

/* Paint line y of w with spaces in role r (a bar's background). */
void ui_draw_fill(WINDOW *w, int y, enum theme_role r);

/* Draw untrusted s on one line at (y, x), sanitized, at most width columns
 * (cut with "…"). Returns the columns drawn. NULL s draws nothing. */
int ui_draw_text(WINDOW *w, int y, int x, int width, const char *s,
                 enum theme_role r);

/* A highlighted range of source bytes. Later spans win where they
 * overlap. */
struct ui_span {
    size_t off;
    size_t len;
    enum theme_role role;
};

/* Draw display line `line` of doc at (y, x) in role base, with spans laid
 * over the source bytes they cover. */
void ui_draw_doc_line(WINDOW *w, int y, int x, const struct text_doc *doc,
                      size_t line, enum theme_role base,
                      const struct ui_span *spans, size_t nspans);

#endif
