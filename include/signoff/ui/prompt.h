/*
 * ui_prompt: modal questions on the message line and in a small menu:
 * a line of text (search, limit, note, pipe command), a one-key choice and
 * a pick from a list (reject reasons). They wait with ui_app_getkey, so the
 * lease is still renewed, the terminal may be resized and Ctrl-C still
 * quits while a question is open.
 */
#ifndef SIGNOFF_UI_PROMPT_H
#define SIGNOFF_UI_PROMPT_H

#include "signoff/ui/frame.h"

/* What came of a question. */
enum ui_answer {
    UI_ANSWERED,
    UI_CANCELLED, /* Esc or ^G */
    UI_QUITTING,  /* Ctrl-C or SIGTERM arrived: the caller unwinds */
};

/* Read a line of text after label, starting from initial (may be NULL).
 * On UI_ANSWERED *out is the text (owned, may be empty). */
enum ui_answer ui_prompt_line(struct ui_app *app, const char *label,
                              const char *initial, char **out);

/* Ask a question answered with one of the characters in keys ("yec");
 * *choice gets it. */
enum ui_answer ui_prompt_choice(struct ui_app *app, const char *question,
                                const char *keys, int *choice);

/* Pick one of n labels in a centred menu (j/k or arrows, Enter, or the
 * item's number 1-9); *index gets it. */
enum ui_answer ui_prompt_menu(struct ui_app *app, const char *title,
                              const char *const *labels, size_t n,
                              size_t *index);

#endif
