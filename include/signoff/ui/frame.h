/*
 * ui_frame: the reviewer UI's shared state (struct ui_app) and its screen
 * interface, the seam every screen in src/ui/ plugs into (as tig's
 * view_ops). The central loop (src/ui/app.c) registers the screens; the
 * frame around them (src/ui/frame.c: title, status bar, message line, key
 * wait) is what screens call back into. Together they own the terminal:
 * they wait for keys with a timeout, do pending work between keys (lease
 * renewal, counts), map keys to actions (keys.h) and dispatch them to the
 * current screen, whose key function
 * returns what the loop does next.
 *
 * Adding a screen (the monitor, src/ui/monitor.c, is one):
 *   1. define `const struct ui_screen_ops ui_monitor_screen = {...}` in your
 *      .c file, declared in your own header include/signoff/ui/monitor.h;
 *   2. add it to UI_SCREEN_LIST below (the UI owner does this: one line);
 *   3. return UI_GO_<SCREEN> from another screen's key function to open it.
 * A screen draws only inside app->body (the lines between the title line
 * and the status bar), with ui_draw.h helpers so untrusted text is
 * sanitized; it never calls refresh(), clear() or getch() itself.
 */
#ifndef SIGNOFF_UI_APP_H
#define SIGNOFF_UI_APP_H

#include <curses.h>

#include "signoff/config.h"
#include "signoff/filter.h"
#include "signoff/keys.h"
#include "signoff/queue.h"
#include "signoff/theme.h"
#include "signoff/ui/draw.h"
#include "signoff/ui/ui.h"
#include "signoff/ui/session.h"

/* What the loop does after a key. */
enum ui_next {
    UI_STAY,   /* nothing to redraw */
    UI_REDRAW, /* redraw the current screen */
    UI_GO_QUEUE,
    UI_GO_DRAFT,
    UI_GO_HELP, /* the help screen, generated from the key table */
    UI_GO_PAGER, /* the text viewer, filled with ui_pager_open first */
    UI_GO_MONITOR,
    UI_GO_MINE, /* my decisions */
    UI_BACK, /* the screen we came from */
    UI_QUIT,
};

struct ui_app;

/* One screen. State is created by open and passed back to every call. */
struct ui_screen_ops {
    const char *name; /* shown in the title line: "queue", "draft" */
    void *(*open)(struct ui_app *app);
    void (*close)(void *state);
    /* Became the current screen (may be NULL). */
    void (*enter)(struct ui_app *app, void *state);
    /* Draw into app->body (already erased). */
    void (*draw)(struct ui_app *app, void *state);
    /* One key: act is its action (KA_NONE if unbound), ch the raw code. */
    enum ui_next (*key)(struct ui_app *app, void *state, enum keys_action act,
                        int ch);
    /* Between keys, about once a second (may be NULL). Returns UI_REDRAW
     * when something on screen changed. */
    enum ui_next (*tick)(struct ui_app *app, void *state);
    /* Actions shown as "key:name" in the title line, ending with KA_NONE. */
    const enum keys_action *hints;
    /* A mouse press on body row `row` (0 = the body's first line), column
     * col (may be NULL: clicks do nothing there). */
    enum ui_next (*click)(struct ui_app *app, void *state, int row, int col);
    /* Actions this screen acts on, ending with KA_NONE (the help lists them
     * under the screen; any other key is refused with a message and the
     * keys typed after it are discarded). NULL: every key goes to key. */
    const enum keys_action *keys;
    /* Show text (owned by the screen from now on, with its spans) over the
     * screen under a heading; text NULL removes it. May be NULL. */
    void (*overlay)(struct ui_app *app, void *state, const char *heading,
                    char *text, struct ui_span *spans, size_t nspans);
};

/* The screens, in enum ui_screen order: id, ops object. */
#define UI_SCREEN_LIST(X)                                                      \
    X(UI_SCREEN_QUEUE, ui_queue_screen)                                        \
    X(UI_SCREEN_DRAFT, ui_draft_screen)                                        \
    X(UI_SCREEN_PAGER, ui_pager_screen)                                        \
    X(UI_SCREEN_MONITOR, ui_monitor_screen)                                    \
    X(UI_SCREEN_MINE, ui_mine_screen)

enum ui_screen {
#define UI_X_ENUM(id, ops) id,
    UI_SCREEN_LIST(UI_X_ENUM)
#undef UI_X_ENUM
        UI_SCREEN_COUNT
};

/* Messages kept for the message log (L). */
#define UI_LOG_MAX 50

/* Figures for the status bar, refreshed between keys. */
struct ui_counts {
    int64_t pending;  /* open drafts under the current limit that I can act
                         on now (so_list_req.mine); -1 unknown */
    int64_t waiting;  /* the other open drafts under the limit: reviewed
                         by me, held by others, for a supervisor; -1 */
    int64_t my_today; /* my decisions today */
    int64_t unsent;   /* decisions waiting in the outbox (remote) */
    int64_t sent;     /* outbox decisions sent this session, all told (the
                         queue screen lists again when it grows) */
    int64_t at;       /* mono ms of the last refresh */
    int64_t down_since; /* ms UTC since the counts could not be asked (the
                           queue unreachable); 0 while it answers */
};

/* Shared state. The app owns everything except q and opts. */
struct ui_app {
    struct queue *q;
    const struct ui_opts *opts;
    const struct config *config;
    struct keys *keys;
    struct ui_session session; /* the draft I hold, timing, decisions */
    struct filter filter;      /* the current limit (`l`) */
    struct ui_counts counts;
    WINDOW *title;             /* top line: screen name and key hints */
    WINDOW *body;              /* the screens' drawing area */
    WINDOW *bar;               /* status bar and message line */
    int rows, cols;            /* size of body */
    int tiny;                  /* terminal below the minimum: title and body
                                  are NULL, screens are not drawn */
    long queue_row;            /* the queue screen's selected row, 1-based
                                  (0: none), for the status bar */
    char *message;             /* the message line, NULL when empty */
    int message_error;
    char *log[UI_LOG_MAX];     /* recent messages with their time, oldest
                                  first from log_head (a ring) */
    size_t nlog, log_head;
    int flush_input;           /* discard typed-ahead keys as the next
                                  draw is written (a new draft, menu or
                                  prompt) */
    const char *prompt;        /* a prompt being answered (ui_prompt) */
    const char *prompt_text;   /* what was typed so far */
    void (*on_top)(struct ui_app *app, void *ctx); /* a menu box drawn over
                                  every frame while it is open (ui_prompt),
                                  so a redraw between keys keeps it */
    void *on_top_ctx;
    const struct ui_screen_ops *const *screens; /* the table, by id */
    int screen;                /* enum ui_screen shown now */
    int back[8];               /* where UI_BACK returns to */
    int nback;
    void *state[UI_SCREEN_COUNT];
};

/* What ui_app_getkey got. */
enum ui_input {
    UI_IN_KEY,    /* *ch is a character or a KEY_* code (*func set) */
    UI_IN_RESIZE, /* the terminal changed size (already redrawn) */
    UI_IN_QUIT,   /* Ctrl-C or SIGTERM: unwind and let the loop quit */
};

/* Set the message line (printf-style). error: shown with status.alert. The
 * text is sanitized when drawn. */
void ui_app_message(struct ui_app *app, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* msg without a leading "id: " (queue errors name their draft; a message
 * that names it already says it once). */
const char *ui_app_unprefixed(const char *msg, const char *id);

/* Discard the keys typed so far once the next draw is on the terminal:
 * keys typed before a draft, menu or prompt was drawn never act on it. */
void ui_app_flush_input(struct ui_app *app);
/* Discard the keys already typed and not yet read, now, and count them
 * (a resize among them is kept for the loop). */
int ui_app_drop_typed(struct ui_app *app);

/* The message log as text, newest last (owned by the caller). */
char *ui_app_log_text(const struct ui_app *app);

/* 1 when screen ops acts on action a (ops->keys NULL: every action). */
int ui_screen_takes(const struct ui_screen_ops *ops, enum keys_action a);

/* Send what waits in a remote queue's outbox, now, if the server answers
 * (the queue screen does before it lists, so a decision made while the
 * server was away is recorded before its draft could be listed again). */
void ui_app_drain_outbox(struct ui_app *app);

/* Ask the loop to refresh the status-bar figures before the next draw. */
void ui_app_counts_stale(struct ui_app *app);
/* The status-bar counts as a decision's reply brought them (a negative
 * one: unknown, refresh them); the refresh timer starts again. */
void ui_app_counts_set(struct ui_app *app, int64_t pending, int64_t waiting,
                       int64_t my_today);
/* 1 while the queue screen shows the supervisors' inbox (the limit ~e). */
int ui_app_in_inbox(const struct ui_app *app);

/* Wait for a key while doing the pending work between keys (lease
 * renewal, counts). For modal prompts; the loop uses it too. *func is 1 for
 * KEY_* codes, 0 for characters. */
enum ui_input ui_app_getkey(struct ui_app *app, int *ch, int *func);

/* Draw everything (title, current screen, status bar, message or prompt)
 * and update the terminal. Modal prompts call it before drawing on top. */
void ui_app_draw(struct ui_app *app);

/* Suspend curses (def_prog_mode + endwin) around an external program and
 * restore it afterwards; ui_app_resume also forces a full redraw. */
void ui_app_suspend(struct ui_app *app);
void ui_app_resume(struct ui_app *app);

/* Draw, then refresh the status-bar counts if they are due and draw again:
 * the screen appears before the (possibly slow) counting. */
void ui_app_frame(struct ui_app *app);

/* (Re)create the title, body and status windows for the terminal's size. */
void ui_app_layout(struct ui_app *app);

/* SIGINT, SIGTERM and SIGHUP set a flag the key wait returns on;
 * ui_app_quitting says whether one came. */
void ui_app_signals(void);
int ui_app_quitting(void);

/* The draft screen's overlay (a diff under a heading) while a prompt asks
 * about it; text NULL removes it. Takes text and spans. */
void ui_app_overlay(struct ui_app *app, const char *heading, char *text,
                    struct ui_span *spans, size_t nspans);

#endif
