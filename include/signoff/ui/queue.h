/*
 * ui_queue: the queue screen, a mutt-like index of the open drafts (id,
 * workflow, confidence, age, title, flags), paged through the queue's list
 * cursors so a queue of a million drafts opens at once. Enter claims the
 * selected draft; l sets the limit (filter.h). Draws only through ui_draw.
 */
#ifndef SIGNOFF_UI_QUEUE_H
#define SIGNOFF_UI_QUEUE_H

#include "signoff/ui/frame.h"

extern const struct ui_screen_ops ui_queue_screen;

#endif
