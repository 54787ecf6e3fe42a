/*
 * ui_editor: running other programs from the UI with curses suspended:
 * the reviewer's editor on a private temporary copy of the draft, and a
 * shell command the draft is piped to (like mutt's |). The text never goes
 * to the terminal from here; a pipe's output comes back to be shown
 * sanitized.
 */
#ifndef SIGNOFF_UI_EDITOR_H
#define SIGNOFF_UI_EDITOR_H

#include "signoff/ui/frame.h"

/* Edit text in $VISUAL, else $EDITOR, else vi, on a 0600 temporary file
 * (vi, vim and nvim are started with modelines off). *out is the file's
 * contents afterwards (owned). Fails when the editor exits non-zero. */
enum so_status ui_editor_edit(struct ui_app *app, const char *text,
                              char **out, struct so_error *err);

/* Run `sh -c command` with text on its standard input; *output gets what it
 * wrote on stdout and stderr (owned, at most 1 MiB) and *status its exit
 * status (128+N when killed by signal N). */
enum so_status ui_editor_pipe(struct ui_app *app, const char *text,
                              const char *command, char **output,
                              int *status, struct so_error *err);

#endif
