/*
 * ui_app: the reviewer UI's central loop. Owns the terminal: sets it up,
 * waits for keys with a timeout, does the pending work between keys (lease
 * renewal, status-bar counts, the screen's tick), maps keys to actions and
 * hands them to the current screen, whose answer says what happens next.
 * Signal handlers only set a flag; quitting restores the terminal and
 * releases the claim. Speaks to the queue only through queue.h.
 */
#define _GNU_SOURCE
#include "signoff/ui/ui.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "signoff/ui/draft.h"
#include "signoff/ui/draw.h"
#include "signoff/ui/frame.h"
#include "signoff/ui/mine.h"
#include "signoff/ui/monitor.h"
#include "signoff/ui/pager.h"
#include "signoff/ui/queue.h"

/* Mouse reports taken from curses' queue after one KEY_MOUSE, at most. */
#define UI_MOUSE_QUEUE 8
/* Rows one turn of the mouse wheel moves. */
#define UI_WHEEL_STEPS 3

static const struct ui_screen_ops *const screens[UI_SCREEN_COUNT] = {
#define UI_X_OPS(id, ops) &ops,
    UI_SCREEN_LIST(UI_X_OPS)
#undef UI_X_OPS
};

static void go(struct ui_app *app, int screen, int remember)
{
    if (remember && app->screen != screen &&
        app->nback < (int)SO_ARRAY_LEN(app->back))
        app->back[app->nback++] = app->screen;
    app->screen = screen;
    if (screens[screen]->enter)
        screens[screen]->enter(app, app->state[screen]);
}

static void show_help(struct ui_app *app)
{
    struct ui_span *spans = NULL;
    size_t n = 0;
    char *text = ui_pager_help(app, app->screen, &spans, &n);
    char *head = xasprintf("Keys of the %s screen, then the others (remap "
                           "with `bind KEY ACTION`)",
                           screens[app->screen]->name);
    ui_pager_open(app, head, text, spans, n);
    free(head);
}

/* Act on a screen's answer; 1 when the loop should end. */
static int follow(struct ui_app *app, enum ui_next next)
{
    switch (next) {
    case UI_QUIT:
        return 1;
    case UI_BACK:
        if (app->nback == 0)
            return 1;
        go(app, app->back[--app->nback], 0);
        break;
    case UI_GO_QUEUE:
        app->nback = 0;
        go(app, UI_SCREEN_QUEUE, 0);
        break;
    case UI_GO_DRAFT:
        go(app, UI_SCREEN_DRAFT, app->screen != UI_SCREEN_DRAFT);
        break;
    case UI_GO_HELP:
        show_help(app);
        go(app, UI_SCREEN_PAGER, 1);
        break;
    case UI_GO_PAGER:
        go(app, UI_SCREEN_PAGER, 1);
        break;
    case UI_GO_MONITOR:
        go(app, UI_SCREEN_MONITOR, 1);
        break;
    case UI_GO_MINE:
        go(app, UI_SCREEN_MINE, 1);
        break;
    case UI_STAY:
    case UI_REDRAW:
        break;
    }
    return 0;
}

/* A mouse event: the wheel is UI_WHEEL_STEPS of down or up on any screen
 * (scrolling a draft, moving the queue's selection); a click goes to the
 * screen's click op with its row in the body. Nothing else is done with
 * the mouse: no decision is ever taken by a click. */
static enum ui_next mouse_event(struct ui_app *app)
{
    MEVENT ev;
    if (getmouse(&ev) != OK)
        return UI_STAY;
    const struct ui_screen_ops *ops = screens[app->screen];
    void *state = app->state[app->screen];
    if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
        enum keys_action act = ev.bstate & BUTTON4_PRESSED ? KA_UP : KA_DOWN;
        enum ui_next next = UI_STAY, n;
        for (int i = 0; i < UI_WHEEL_STEPS; i++) {
            n = ops->key(app, state, act, 0);
            if (n != UI_STAY && n != UI_REDRAW)
                return n;
            if (n == UI_REDRAW)
                next = UI_REDRAW;
        }
        return next;
    }
    /* Reports read in one go (two clicks that arrive together on a loaded
     * machine) come as one KEY_MOUSE: the rest wait in curses' queue, and
     * each is a click of its own (the second press on the row the first
     * selected opens it; it was lost). */
    enum ui_next next = UI_STAY;
    for (int i = 0; i < UI_MOUSE_QUEUE; i++) {
        if ((ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) && ops->click &&
            ev.y >= 1 && ev.y - 1 < app->rows) {
            enum ui_next n = ops->click(app, state, ev.y - 1, ev.x);
            if (n != UI_STAY && n != UI_REDRAW)
                return n;
            if (n == UI_REDRAW)
                next = UI_REDRAW;
        }
        if (getmouse(&ev) != OK)
            break;
    }
    return next;
}

static void show_log(struct ui_app *app)
{
    ui_pager_open(app, "Messages, newest last (q returns)",
                  ui_app_log_text(app), NULL, 0);
    ui_pager_to_end(app);
}

/* A key this screen does nothing with: say so, naming the screens where
 * it works, and drop what was typed after it (it was aimed elsewhere). */
static enum ui_next refuse(struct ui_app *app, enum keys_action act, int ch)
{
    char key[16];
    keys_name(ch, key);
    int dropped = ui_app_drop_typed(app);
    ui_app_flush_input(app);
    char *tail = dropped ? xasprintf("; the %d key%s typed after it dropped",
                                     dropped, dropped == 1 ? "" : "s")
                         : xstrdup("");
    if (act == KA_NONE) {
        ui_app_message(app, 1, "%s: not a key; ? lists the keys%s", key, tail);
        free(tail);
        return UI_REDRAW;
    }
    const char *where[UI_SCREEN_COUNT];
    int n = 0;
    for (int i = 0; i < UI_SCREEN_COUNT; i++)
        if (i != app->screen && screens[i]->keys &&
            ui_screen_takes(screens[i], act))
            where[n++] = screens[i]->name;
    struct buf b; /* "the queue, monitor and my decisions screens" */
    buf_init(&b);
    for (int i = 0; i < n; i++)
        buf_addf(&b, "%s%s", i == 0 ? "" : i == n - 1 ? " and " : ", ",
                 where[i]);
    if (n)
        ui_app_message(app, 1, "%s: %s works on the %s screen%s%s", key,
                       keys_action_name(act), buf_cstr(&b), n > 1 ? "s" : "",
                       tail);
    else
        ui_app_message(app, 1, "%s: %s does nothing here%s", key,
                       keys_action_name(act), tail);
    buf_free(&b);
    free(tail);
    return UI_REDRAW;
}

/* The action of a key, with the keys every screen shares. */
static enum ui_next dispatch(struct ui_app *app, int ch, int func)
{
    if (func && ch == KEY_MOUSE)
        return mouse_event(app);
    enum keys_action act = func || ch < 0x80 ? keys_lookup(app->keys, ch)
                                              : KA_NONE;
    if (act == KA_HELP && app->screen != UI_SCREEN_PAGER)
        return UI_GO_HELP;
    if (act == KA_MONITOR && app->screen != UI_SCREEN_MONITOR)
        return UI_GO_MONITOR;
    if (act == KA_MINE && app->screen != UI_SCREEN_MINE)
        return UI_GO_MINE;
    if (act == KA_MESSAGES) {
        show_log(app);
        return UI_GO_PAGER;
    }
    const struct ui_screen_ops *ops = screens[app->screen];
    if ((act == KA_NONE && ops->keys) || !ui_screen_takes(ops, act))
        return refuse(app, act, ch);
    return ops->key(app, app->state[app->screen], act,
                    func || ch < 0x80 ? ch : 0);
}

static void run_loop(struct ui_app *app)
{
    ui_app_frame(app);
    for (;;) {
        int ch = 0, func = 0;
        enum ui_input in = ui_app_getkey(app, &ch, &func);
        if (in == UI_IN_QUIT)
            return;
        if (in == UI_IN_RESIZE)
            continue;
        free(app->message);
        app->message = NULL;
        if (follow(app, dispatch(app, ch, func)) || ui_app_quitting())
            return;
        ui_app_frame(app);
    }
}

/* Theme, key bindings and the start limit; fills err on failure. */
static enum so_status app_setup(struct ui_app *app, struct theme *theme,
                                struct so_error *err)
{
    const struct config *c = app->config;
    const char *name = app->opts->theme ? app->opts->theme
                       : c && c->theme  ? c->theme
                                        : "default";
    enum so_status st = theme_load(name, theme, err);
    app->keys = keys_new();
    for (size_t i = 0; st == SO_OK && c && i < c->nbinds; i++)
        if ((st = keys_bind(app->keys, c->binds[i].key, c->binds[i].action,
                            err)) != SO_OK && c->binds[i].where) {
            char *why = xstrdup(err->msg); /* named with its line */
            st = so_fail(err, st, "%s: %s", c->binds[i].where, why);
            free(why);
        }
    if (st == SO_OK && app->opts->workflow) {
        char *pat = xasprintf("~w %s", app->opts->workflow);
        st = filter_parse(pat, &app->filter, err);
        free(pat);
    }
    return st;
}

static int color_wanted(void)
{
    const char *nc = getenv("NO_COLOR");
    return !(nc && *nc) && has_colors();
}

static void term_start(struct ui_app *app, const struct theme *theme)
{
    ui_app_signals();
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    set_escdelay(25);
    int colour = color_wanted();
    if (colour) {
        start_color();
        use_default_colors();
    }
    ui_draw_init(theme, colour);
    /* The mouse (on unless the config says `mouse = off`): presses, not
     * clicks, so nothing waits for a release to tell them apart. */
    const struct config *c = app->config;
    if (!(c && c->mouse && strcmp(c->mouse, "off") == 0)) {
        mouseinterval(0);
        mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    }
    ui_app_layout(app);
}

/* A full-screen UI needs cursor addressing; TERM=dumb has none, and
 * ncurses would write every screen onto one line. */
static int can_address(SCREEN *scr)
{
    set_term(scr);
    const char *cup = tigetstr("cup");
    return cup && cup != (const char *)-1;
}

int ui_run(struct queue *q, const struct ui_opts *opts)
{
    struct so_error local;
    so_error_clear(&local);
    struct so_error *err = opts->err ? opts->err : &local;
    struct ui_app app = {.q = q, .opts = opts, .config = opts->config,
                         .counts = {-1, -1, -1, 0}};
    struct theme theme;
    so_error_clear(err);
    filter_parse(NULL, &app.filter, err);
    ui_session_init(&app.session, q);
    setlocale(LC_ALL, "");
    int rc = 1;
    SCREEN *scr = NULL;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        so_fail(err, SO_ERR_USAGE, "the reviewer UI needs a terminal");
    else if (app_setup(&app, &theme, err) == SO_OK &&
             !(scr = newterm(NULL, stdout, stdin)))
        so_fail(err, SO_ERR, "cannot use terminal type %s",
                getenv("TERM") ? getenv("TERM") : "(unset)");
    else if (scr && !can_address(scr))
        so_fail(err, SO_ERR, "cannot use terminal type %s: it cannot move "
                "the cursor (TERM=dumb, as in an editor's shell); run "
                "signoff in a terminal, or use signoff list, claim and decide",
                getenv("TERM") ? getenv("TERM") : "(unset)");
    if (scr && err->code != SO_OK) {
        endwin();
        delscreen(scr);
        scr = NULL;
    }
    if (scr) {
        term_start(&app, &theme);
        app.screens = screens;
        for (int i = 0; i < UI_SCREEN_COUNT; i++)
            app.state[i] = screens[i]->open(&app);
        go(&app, UI_SCREEN_QUEUE, 0);
        if (opts->start_monitor)
            follow(&app, UI_GO_MONITOR);
        run_loop(&app);
        for (int i = 0; i < UI_SCREEN_COUNT; i++)
            screens[i]->close(app.state[i]);
        delwin(app.title);
        delwin(app.body);
        delwin(app.bar);
        endwin();
        delscreen(scr);
        rc = 0;
    }
    ui_session_fini(&app.session);
    filter_clear(&app.filter);
    keys_free(app.keys);
    free(app.message);
    for (size_t i = 0; i < app.nlog; i++)
        free(app.log[(app.log_head + i) % UI_LOG_MAX]);
    return rc;
}
