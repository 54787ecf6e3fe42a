/*
 * ui_agree: the four-eyes agreement table the monitor shows for the
 * selected workflow: percent agreement and Cohen's kappa over all its
 * reviewer pairs and per pair, with the shared drafts, and how often the
 * resolver sided with the AI. Draws only through ui_draw (names are
 * sanitized); computes nothing (agreement.h does).
 */
#ifndef SIGNOFF_UI_AGREE_H
#define SIGNOFF_UI_AGREE_H

#include <curses.h>

#include "signoff/agreement.h"

/* Draw the lines of workflow from s at (y, x) in at most rows lines of
 * width columns; nothing when the workflow has no four-eyes figures.
 * Returns the next free line. */
int ui_agree_draw(WINDOW *w, int y, int x, int width, int rows,
                  const struct agreement_summary *s, const char *workflow);

#endif
