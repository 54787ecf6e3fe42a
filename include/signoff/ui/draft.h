/*
 * ui_draft: the draft screen. Header, the input folded to a line, the body
 * wrapped with its [n] markers highlighted, the citations pane (beside the
 * body at >= 120 columns, below it when narrower), grounding flags, search,
 * and the decision keys (approve, edit with a word diff to confirm, reject
 * with a reason, escalate, skip, undo, pipe). Works on the draft the session
 * holds (ui_session.h); never talks to the queue behind its back.
 */
#ifndef SIGNOFF_UI_DRAFT_H
#define SIGNOFF_UI_DRAFT_H

#include "signoff/ui/frame.h"
#include "signoff/ui/draw.h"

/* Columns from which the citations pane sits beside the body. */
#define UI_DRAFT_WIDE 120

extern const struct ui_screen_ops ui_draft_screen;

#endif
