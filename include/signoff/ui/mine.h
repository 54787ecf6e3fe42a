/*
 * ui_mine: the "my decisions" screen (key H): my decisions of today and the
 * last 7 days, newest first, the undone ones marked. Enter reopens one (the
 * draft with my decision, an edit as its word diff, in the pager); u undoes
 * my latest decision while the queue allows it (the draft comes back to me
 * on the draft screen). Reads through the queue interface only.
 */
#ifndef SIGNOFF_UI_MINE_H
#define SIGNOFF_UI_MINE_H

#include "signoff/ui/frame.h"

extern const struct ui_screen_ops ui_mine_screen;

#endif
