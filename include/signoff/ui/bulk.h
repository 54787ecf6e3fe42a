/*
 * ui_bulk: tags on queue rows and a supervisor's bulk actions on the tagged
 * drafts: release them (back to the queue, whoever held them), escalate
 * them (with one note) or reassign them to a reviewer. There is no bulk
 * approve or reject, by design: every approval is one human look at one
 * draft. Speaks to the queue interface only; never draws rows itself.
 */
#ifndef SIGNOFF_UI_BULK_H
#define SIGNOFF_UI_BULK_H

#include "signoff/ui/frame.h"

/* Draft ids tagged on the queue screen. Owned; free with ui_bulk_clear. */
struct ui_tags {
    char **ids;
    size_t n;
};

/* 1 if id is tagged. */
int ui_bulk_tagged(const struct ui_tags *t, const char *id);
/* Tag id, or untag it when it was; returns 1 when it is tagged now. */
int ui_bulk_toggle(struct ui_tags *t, const char *id);
/* Untag everything. */
void ui_bulk_clear(struct ui_tags *t);

/* The bulk menu for the tagged drafts (supervisors only): asks what to do
 * and any note or name, does it draft by draft, untags those done and says
 * how it went on the message line. */
enum ui_next ui_bulk_menu(struct ui_app *app, struct ui_tags *t);

#endif
