/*
 * ui: the reviewer UI's entry point (ncursesw). `signoff review` and
 * `signoff demo` open a queue and hand it to ui_run. The UI speaks only to
 * the queue interface (queue.h), so it runs unchanged on the SQLite store and
 * on the HTTP backend. This header does not include curses.h; the screen
 * interface for the modules in src/ui/ is in ui_app.h.
 */
#ifndef SIGNOFF_UI_H
#define SIGNOFF_UI_H

#include "signoff/config.h"
#include "signoff/queue.h"

/* What the caller chooses. Everything borrowed for the duration of ui_run. */
struct ui_opts {
    const char *theme;    /* --theme; NULL: config `theme`, else "default" */
    const char *workflow; /* --workflow: start with the limit `~w W` */
    int start_monitor;    /* --monitor: open on the monitor screen */
    const char *reviewer; /* shown in the status bar; NULL: q->reviewer */
    const struct config *config; /* bind/reason/theme lines; may be NULL */
    struct so_error *err; /* out, may be NULL: why ui_run returned 1 */
};

/* Run the UI on q until the reviewer quits (q, Ctrl-C or SIGTERM). Restores
 * the terminal and releases any claim before returning. Returns 0, or 1 when
 * the UI could not start (not a terminal, bad theme, bad `bind` line), with
 * opts->err filled in; errors from queue operations while running are shown
 * in the status line, never fatal. Does not close q. */
int ui_run(struct queue *q, const struct ui_opts *opts);

#endif
