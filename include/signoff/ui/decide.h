/*
 * ui_decide: the decision keys of the draft screen: approve, edit (editor,
 * word diff, confirm / edit again / cancel; an unchanged edit is an
 * approve), reject (reason menu from the config, optional note), escalate,
 * skip, undo, pipe and leaving the draft. After a decision the next draft is
 * claimed. A failed save is shown as "not saved: why" and kept, so the same
 * key retries it with the same request_id.
 */
#ifndef SIGNOFF_UI_DECIDE_H
#define SIGNOFF_UI_DECIDE_H

#include "signoff/ui/frame.h"

/* The word diff old_text -> new_text as text, removed words as [-x-] and
 * added ones as {+y+}, with their highlight spans (both owned by the
 * caller). */
char *ui_decide_diff_text(const char *old_text, const char *new_text,
                          struct ui_span **spans, size_t *n);

/* Handle act if it is one of the keys above; UI_STAY for any other. */
enum ui_next ui_decide_key(struct ui_app *app, enum keys_action act);

#endif
