/*
 * ui_resolve: the four-eyes resolve view. For the draft I hold, every live
 * review side by side in one table (reviewer, action, reason, note, words
 * changed), then each edit as a word diff against the draft and every two
 * edits as a diff against each other, shown in the pager; back on the draft
 * the usual keys (a, e, r, x) record the final decision, which the store
 * records as the resolution. Reads decisions through the queue only, so
 * the store's blind rule decides what a reviewer may see: a reviewer still
 * under review sees only their own. Never writes.
 */
#ifndef SIGNOFF_UI_RESOLVE_H
#define SIGNOFF_UI_RESOLVE_H

#include "signoff/ui/frame.h"
#include "signoff/ui/draw.h"

/* The reviews of the draft I hold, laid out as text with diff spans
 * (owned by the caller). NULL with err set when they cannot be read. */
char *ui_resolve_text(struct ui_app *app, struct ui_span **spans,
                      size_t *nspans, struct so_error *err);

/* The live reviews of the draft I hold (no revert undid them), oldest
 * first, owned by the caller (so_decision_clear each, free the array). */
enum so_status ui_resolve_reviews(struct ui_app *app, struct so_decision **out,
                                  size_t *n, struct so_error *err);

/* Open the view in the pager (UI_GO_PAGER), or stay with a message when
 * there is no draft or the reviews cannot be read. */
enum ui_next ui_resolve_open(struct ui_app *app);

#endif
