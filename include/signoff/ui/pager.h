/*
 * ui_pager: a scrollable text viewer screen, for the help screen (generated
 * from the key table) and the output of a pipe command. Text is untrusted
 * and sanitized when laid out.
 */
#ifndef SIGNOFF_UI_PAGER_H
#define SIGNOFF_UI_PAGER_H

#include "signoff/ui/frame.h"
#include "signoff/ui/draw.h"

extern const struct ui_screen_ops ui_pager_screen;

/* Show text (owned by the pager from now on) under a heading (copied),
 * with highlight spans (owned, may be NULL); then return UI_GO_PAGER. */
void ui_pager_open(struct ui_app *app, const char *heading, char *text,
                   struct ui_span *spans, size_t nspans);

/* Show the end of the text (the newest lines of the message log). */
void ui_pager_to_end(struct ui_app *app);

/* The help text of screen (a ui_screen id) generated from the key table:
 * the keys that work there, then the other screens' keys with where they
 * work, then the keys of prompts, menus and questions; the key column
 * highlighted (spans owned by the caller). Fits 80 columns. */
char *ui_pager_help(const struct ui_app *app, int screen,
                    struct ui_span **spans, size_t *nspans);

#endif
