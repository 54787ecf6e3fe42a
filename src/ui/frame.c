/*
 * ui_frame: what every screen of the reviewer UI shares around it: the
 * title line with the screen's key hints, the status bar, the message line,
 * the wait for a key with the work between keys (lease renewal, counts,
 * the outbox), and curses' suspension around an external program. Knows
 * the screens only through app->screens (the table app.c registers), so a
 * screen may call it without a cycle.
 */
#define _GNU_SOURCE
#include "signoff/ui/frame.h"

#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "signoff/ui/draw.h"

/* How long to wait for a key before doing pending work (ms). */
#define APP_TICK_MS 1000
/* Below this size the UI only says the terminal is too small (the queue's
 * columns and the draft's header need this much). */
#define APP_MIN_ROWS 10
#define APP_MIN_COLS 50
/* What a message line too long for the terminal ends with. */
#define APP_MORE " L: whole"
/* How often the status-bar counts are refreshed (ms). */
#define APP_COUNTS_MS 10000

static volatile sig_atomic_t quit_requested;

static void on_quit_signal(int sig)
{
    (void)sig;
    quit_requested = 1;
}

void ui_app_message(struct ui_app *app, int error, const char *fmt, ...)
{
    va_list ap;
    struct buf b;
    buf_init(&b);
    va_start(ap, fmt);
    buf_vaddf(&b, fmt, ap);
    va_end(ap);
    free(app->message);
    app->message = buf_steal(&b);
    app->message_error = error;
    char at[32];
    so_format_time(so_now_ms(), at);
    size_t slot = (app->log_head + app->nlog) % UI_LOG_MAX;
    if (app->nlog == UI_LOG_MAX) {
        free(app->log[app->log_head]);
        app->log_head = (app->log_head + 1) % UI_LOG_MAX;
    } else {
        app->nlog++;
    }
    /* "2026-11-24T10:00:00Z" -> the time of day (UTC). */
    const char *t = strchr(at, 'T') ? strchr(at, 'T') + 1 : at;
    app->log[slot] = xasprintf("%.8s %s %s", t, error ? "!" : " ",
                               app->message);
}

char *ui_app_log_text(const struct ui_app *app)
{
    struct buf b;
    buf_init(&b);
    if (app->nlog == 0)
        buf_adds(&b, "No messages yet.\n");
    for (size_t i = 0; i < app->nlog; i++) {
        buf_adds(&b, app->log[(app->log_head + i) % UI_LOG_MAX]);
        buf_addc(&b, '\n');
    }
    return buf_steal(&b);
}

const char *ui_app_unprefixed(const char *msg, const char *id)
{
    size_t n = strlen(id);
    if (strncmp(msg, id, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ')
        return msg + n + 2;
    return msg;
}

void ui_app_flush_input(struct ui_app *app)
{
    app->flush_input = 1;
}

int ui_app_drop_typed(struct ui_app *app)
{
    int n = 0, resized = 0;
    wint_t wc;
    int r;
    wtimeout(app->bar, 0);
    while ((r = wget_wch(app->bar, &wc)) != ERR) {
        if (r == KEY_CODE_YES && wc == KEY_RESIZE)
            resized = 1;
        else
            n++;
    }
    wtimeout(app->bar, APP_TICK_MS);
    /* A resize among them is the loop's to handle (it lays the screen
     * out again and draws it), not a key to drop. */
    if (resized)
        ungetch(KEY_RESIZE);
    return n;
}

int ui_screen_takes(const struct ui_screen_ops *ops, enum keys_action a)
{
    if (!ops->keys)
        return 1;
    for (const enum keys_action *k = ops->keys; *k != KA_NONE; k++)
        if (*k == a)
            return 1;
    return 0;
}

int ui_app_in_inbox(const struct ui_app *app)
{
    return app->filter.pattern && strcmp(app->filter.pattern, "~e") == 0;
}

void ui_app_counts_stale(struct ui_app *app)
{
    app->counts.at = 0;
}

static void drain_outbox(struct ui_app *app);

void ui_app_counts_set(struct ui_app *app, int64_t pending, int64_t waiting,
                       int64_t my_today)
{
    struct so_error err;
    if (pending < 0 || waiting < 0 || my_today < 0) {
        ui_app_counts_stale(app);
        return;
    }
    app->counts.pending = pending;
    app->counts.down_since = 0; /* they came from the queue */
    app->counts.waiting = waiting;
    app->counts.my_today = my_today;
    /* The outbox is local: no round trip. */
    so_error_clear(&err);
    if (app->q->ops->unsent(app->q, &app->counts.unsent, &err) != SO_OK)
        app->counts.unsent = -1;
    drain_outbox(app);
    app->counts.at = so_mono_ms();
}

/* Decisions waiting in a remote queue's outbox go out in the background of
 * the UI: sync returns at once while the server is known to be away. */
static void drain_outbox(struct ui_app *app)
{
    struct so_error err;
    int64_t sent = 0;
    so_error_clear(&err);
    if (app->counts.unsent > 0 &&
        app->q->ops->sync(app->q, &sent, &err) == SO_OK && sent > 0) {
        ui_app_message(app, 0, "sent %lld waiting decision%s",
                       (long long)sent, sent == 1 ? "" : "s");
        app->counts.sent += sent;
        if (app->q->ops->unsent(app->q, &app->counts.unsent, &err) != SO_OK)
            app->counts.unsent = -1;
    }
    /* What this session decided into the outbox is recorded (or refused
     * for good) now: its rows may be offered again. */
    if (app->counts.unsent == 0)
        ui_session_outbox_sent(&app->session);
}

void ui_app_drain_outbox(struct ui_app *app)
{
    struct so_error err;
    so_error_clear(&err);
    /* The outbox is local: no round trip. */
    if (app->q->ops->unsent(app->q, &app->counts.unsent, &err) != SO_OK)
        app->counts.unsent = -1;
    drain_outbox(app);
}

static void refresh_counts(struct ui_app *app)
{
    struct so_error err;
    struct so_list_req req = {0};
    int64_t open = -1;
    filter_apply(&app->filter, &req);
    req.status = "open";
    so_error_clear(&err);
    enum so_status st = app->q->ops->count(app->q, &req, &open, &err);
    if (st != SO_OK)
        open = -1;
    /* A queue that does not answer: the status bar says since when, on
     * every screen (a decision meanwhile waits in the outbox). */
    if (st == SO_OK)
        app->counts.down_since = 0;
    else if (err.code == SO_ERR_NETWORK && !app->counts.down_since)
        app->counts.down_since = so_now_ms();
    req.mine = 1;
    if (app->q->ops->count(app->q, &req, &app->counts.pending, &err) != SO_OK)
        app->counts.pending = -1;
    app->counts.waiting = open >= 0 && app->counts.pending >= 0
                              ? open - app->counts.pending
                              : -1;
    if (app->q->ops->my_today(app->q, &app->counts.my_today, &err) != SO_OK)
        app->counts.my_today = -1;
    if (app->q->ops->unsent(app->q, &app->counts.unsent, &err) != SO_OK)
        app->counts.unsent = -1;
    drain_outbox(app);
    app->counts.at = so_mono_ms();
}

/* The name of a hint on the title line: the short form where room is
 * short ("a:ok"), else the medium one ("a:approve"). */
static const char *hint_name(enum keys_action a, int brief)
{
    switch (a) {
    case KA_PANE:
        return "pane";
    case KA_CITE_NEXT:
        return "cite";
    case KA_APPROVE:
        return brief ? "ok" : "approve";
    case KA_REJECT:
        return brief ? "rej" : "reject";
    case KA_ESCALATE:
        return brief ? "esc" : "escalate";
    case KA_MONITOR:
        return brief ? "mon" : "monitor";
    case KA_REVIEWS:
        return brief ? "revs" : "reviews";
    case KA_MINE:
        return brief ? "mine" : "my-decisions";
    case KA_PAGE_DOWN:
        return brief ? "pgdn" : "page-down";
    case KA_PAGE_UP:
        return brief ? "pgup" : "page-up";
    default:
        return keys_action_name(a);
    }
}

/* The title line in one form: the screen's name (long: "signoff: draft",
 * none: left out), then "key:name" for each hint, the first key bound to
 * it with its angle brackets dropped ("Tab", "Enter"); skip_back leaves q
 * out. Hints that do not fit are left out whole (the help lists them).
 * Returns how many hints were left out. */
static int title_form(struct ui_app *app, struct buf *b, int name, int brief,
                      int skip_back)
{
    const struct ui_screen_ops *ops = app->screens[app->screen];
    int dropped = 0;
    buf_reset(b);
    if (name)
        buf_addf(b, name > 1 ? " signoff: %s" : " %s", ops->name);
    for (const enum keys_action *h = ops->hints; h && *h != KA_NONE; h++) {
        if (skip_back && *h == KA_BACK)
            continue;
        struct buf k;
        buf_init(&k);
        keys_describe(app->keys, *h, &k);
        const char *key = buf_cstr(&k);
        size_t n = strcspn(key, ","); /* "j" of "j, <Down>" */
        if (n > 2 && key[0] == '<' && key[n - 1] == '>') {
            key++;
            n -= 2;
        }
        const char *hname = hint_name(*h, brief);
        size_t need = (b->len ? 1 : 0) + n + 1 + strlen(hname);
        if (n && b->len + need <= (size_t)app->cols)
            buf_addf(b, "%s%.*s:%s", b->len ? " " : "", (int)n, key, hname);
        else
            dropped++;
        buf_free(&k);
    }
    return dropped;
}

/* "key:name" for each hint of the current screen: the first form that
 * shows them all (full names with "signoff: NAME"; short names with the
 * screen's name; short names without the name and without q, which the
 * help and every screen keep), else the last form with what fits. */
static void draw_title(struct ui_app *app)
{
    struct buf b;
    buf_init(&b);
    if (title_form(app, &b, 2, 0, 0) && title_form(app, &b, 1, 1, 0))
        title_form(app, &b, 0, 1, 1);
    ui_draw_fill(app->title, 0, TR_TITLE);
    ui_draw_text(app->title, 0, 0, app->cols, buf_cstr(&b), TR_TITLE);
    buf_free(&b);
}

/* The status bar's parts, in display order, each with how much it
 * matters: when the bar is wider than the terminal the least important go
 * first (never a cut-off count). */
struct bar_part {
    char *text; /* owned, with its leading gap */
    int keep;   /* higher stays longer */
};

static void bar_add(struct bar_part *p, size_t *n, int keep, char *text)
{
    p[*n].text = text;
    p[(*n)++].keep = keep;
}

static char *count_text(const char *label, int64_t n, const char *tail)
{
    return n >= 0 ? xasprintf("  %s%lld%s", label, (long long)n, tail)
                  : xasprintf("  %s?", label);
}

/* Where I am: the selected row of the queue, or this draft among the
 * session's decisions and what is left ("12 of 146"). */
static char *position_text(const struct ui_app *app)
{
    const struct ui_session *s = &app->session;
    if (app->screen == UI_SCREEN_QUEUE && app->queue_row > 0 &&
        app->counts.pending >= 0)
        return xasprintf("  row %ld of %lld", app->queue_row,
                         (long long)app->counts.pending);
    if (app->screen == UI_SCREEN_DRAFT && s->draft && app->counts.pending >= 0)
        return xasprintf("  %lld of %lld", (long long)s->decided + 1,
                         (long long)(s->decided + app->counts.pending));
    return NULL;
}

/* Time worked this session and decisions per hour of it. */
static char *pace_text(const struct ui_session *s)
{
    int64_t min = s->worked_ms / 60000;
    if (s->worked_ms < 60000)
        return xasprintf("  worked %lld:%02lld", (long long)(min / 60),
                         (long long)(min % 60));
    return xasprintf("  worked %lld:%02lld %lld/h", (long long)(min / 60),
                     (long long)(min % 60),
                     (long long)(s->decided * 3600000 / s->worked_ms));
}

/* The parts of the status bar into p, shorter for each level of squeeze:
 * 1, short labels, no "unsent 0" and a limit cut to 16 columns; 2, also
 * without the waiting and today counts; 3, the limit cut to 8. The lease
 * and who I am stay in view down to the minimum size. */
/* The queue's short name for a narrow status bar: a file's name, a
 * server's host:port, a PostgreSQL URI's database (its last '/' may be in
 * the query: "postgresql:///demo?host=/run/pg" is "demo", not "pg"). */
static char *spec_short(const char *spec)
{
    const char *p = NULL;
    if (!strncmp(spec, "postgresql://", 13))
        p = spec + 13;
    else if (!strncmp(spec, "postgres://", 11))
        p = spec + 11;
    if (p) {
        const char *q = strchr(p, '?'), *db = strchr(p, '/');
        if (db && (!q || db < q) && db[1] && db[1] != '?')
            return xstrndup(db + 1, q ? (size_t)(q - db - 1) : strlen(db + 1));
        return xstrndup(spec, q ? (size_t)(q - spec) : strlen(spec));
    }
    const char *slash = strrchr(spec, '/');
    return xstrdup(slash && slash[1] ? slash + 1 : spec);
}

static size_t status_parts(struct ui_app *app, int squeeze,
                           struct bar_part *p)
{
    size_t n = 0;
    /* A narrow terminal shows the queue's short name, not the whole spec. */
    char *name = app->cols < 120 ? spec_short(app->q->spec)
                                 : xstrdup(app->q->spec);
    bar_add(p, &n, 10, xasprintf(" %s", name));
    free(name);
    if (ui_app_in_inbox(app))
        bar_add(p, &n, 8,
                xstrdup(squeeze ? "  [inbox]" : "  [inbox: escalated]"));
    else if (app->filter.pattern) {
        /* A long limit is cut before where I am gives way. */
        char *pat = text_plain(app->filter.pattern,
                               squeeze == 0 ? 0 : squeeze < 3 ? 16 : 8, 0);
        bar_add(p, &n, 8, xasprintf("  [limit: %s]", pat));
        free(pat);
    }
    char *pos = position_text(app);
    if (pos)
        bar_add(p, &n, 9, pos);
    if (app->counts.down_since && app->counts.pending < 0) {
        char since[32];
        so_format_time(app->counts.down_since, since);
        bar_add(p, &n, 10,
                xasprintf("  unreachable since %.5s", since + 11));
    } else {
        bar_add(p, &n, 10,
                count_text("pending ", app->counts.pending,
                           ui_app_in_inbox(app) ? " in inbox"
                           : app->filter.pattern ? " in limit"
                                                 : ""));
    }
    if (app->counts.waiting > 0 && squeeze < 2)
        bar_add(p, &n, 9,
                count_text(squeeze ? "waiting " : "waiting on others: ",
                           app->counts.waiting, ""));
    if (squeeze < 2 &&
        !(app->counts.down_since && app->counts.my_today < 0))
        bar_add(p, &n, 8,
                count_text(squeeze ? "today " : "mine today ",
                           app->counts.my_today, ""));
    /* Only a queue with an outbox (a remote one) has unsent decisions. */
    if (app->q->ops->has_outbox && (!squeeze || app->counts.unsent != 0))
        bar_add(p, &n, 9, count_text("unsent ", app->counts.unsent, ""));
    int64_t left = ui_session_lease_left(&app->session);
    if (app->session.draft && app->session.lease_lost)
        bar_add(p, &n, 8, xstrdup("  lease lost"));
    else if (app->session.draft)
        bar_add(p, &n, 8,
                xasprintf("  lease %lld:%02lld", (long long)(left / 60000),
                          (long long)(left / 1000 % 60)));
    bar_add(p, &n, 3, pace_text(&app->session));
    /* Who the queue says I am: on a remote queue the token's reviewer. */
    if (app->q->reviewer)
        bar_add(p, &n, 8, xasprintf("  @%s", app->q->reviewer));
    return n;
}

/* The queue's name (" host:port", its leading blank kept) cut to room
 * columns from the left, so a server's port stays in view: " …0.0.1:18719".
 * NULL when the name is not a host:port (ASCII, ending ":digits") or the
 * port and a little of the host do not fit: then its end is cut. */
static char *name_cut_left(const char *name, int room)
{
    size_t len = strlen(name);
    const char *colon = strrchr(name, ':');
    if (!colon || !colon[1] || strspn(colon + 1, "0123456789") !=
                                   strlen(colon + 1))
        return NULL;
    for (const char *c = name; *c; c++)
        if ((unsigned char)*c >= 0x80 || (unsigned char)*c < 0x20)
            return NULL;
    /* " …" and at least two columns of the host before ":port" */
    size_t tail = room > 2 ? (size_t)room - 2 : 0;
    if (tail < strlen(colon) + 2 || tail >= len)
        return NULL;
    const char *from = name + len - tail;
    while (*from == '.') /* "…0.0.1", not "….0.1" */
        from++;
    return xasprintf(" \xe2\x80\xa6%s", from);
}

static size_t parts_width(const struct bar_part *p, size_t n)
{
    size_t width = 0;
    for (size_t i = 0; i < n; i++)
        if (p[i].text)
            width += (size_t)text_width(p[i].text, strlen(p[i].text));
    return width;
}

static void parts_free(struct bar_part *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(p[i].text);
}

/* The width of the parts after the name, and whether they fit beside
 * the name cut to name_min columns. */
static int parts_fit(const struct bar_part *p, size_t n, int name_min,
                     int cols)
{
    return name_min + (int)parts_width(p + 1, n - 1) <= cols;
}

/* Long labels when they fit (the time worked gives way first), else short
 * ones with the name cut to 12 columns and a long limit cut to 16; then
 * the waiting and today counts go, then the limit is cut to 8 (only when
 * it must: a limit that fits is never cut), and the name is cut to what is
 * left at the end: where I am, the lease and who I am stay in view. A long
 * queue name or limit never costs the reviewer where they are. */
static void draw_status(struct ui_app *app)
{
    struct bar_part p[12];
    size_t n = 0;
    int name_w = 0;
    for (int squeeze = 0; squeeze <= 3; squeeze++) {
        parts_free(p, n);
        n = status_parts(app, squeeze, p);
        name_w = text_width(p[0].text, strlen(p[0].text));
        int name_min = squeeze == 0 ? name_w : name_w < 12 ? name_w : 12;
        if (parts_fit(p, n, name_min, app->cols))
            break;
        /* The least needed parts give way in order: with the long labels
         * only the time worked (keep <= 3), after that up to keep 7. */
        int most = squeeze == 0 ? 3 : 7;
        for (int keep = 1;
             keep <= most && !parts_fit(p, n, name_min, app->cols); keep++)
            for (size_t i = 1; i < n; i++)
                if (p[i].text && p[i].keep == keep) {
                    free(p[i].text);
                    p[i].text = NULL;
                }
        if (parts_fit(p, n, name_min, app->cols))
            break;
    }
    /* The name gives way last: cut (with its "…") to what is left; a
     * host:port from the left, keeping the port. */
    struct buf b;
    buf_init(&b);
    for (size_t i = 1; i < n; i++)
        if (p[i].text)
            buf_adds(&b, p[i].text);
    int room = app->cols - text_width(buf_cstr(&b), b.len);
    room = room < 8 ? 8 : room;
    ui_draw_fill(app->bar, 0, TR_STATUS);
    char *cut = room < name_w ? name_cut_left(p[0].text, room) : NULL;
    int x = ui_draw_text(app->bar, 0, 0, room < name_w ? room : name_w,
                         cut ? cut : p[0].text, TR_STATUS);
    free(cut);
    ui_draw_text(app->bar, 0, x, app->cols - x, buf_cstr(&b), TR_STATUS);
    buf_free(&b);
    parts_free(p, n);
}

static void draw_message(struct ui_app *app)
{
    ui_draw_fill(app->bar, 1, TR_NORMAL);
    if (app->prompt) {
        int x = ui_draw_text(app->bar, 1, 0, app->cols, app->prompt, TR_LABEL);
        int w = app->cols - x - 1;
        const char *t = app->prompt_text ? app->prompt_text : "";
        /* Show the end of a long answer: the part being typed. */
        size_t len = strlen(t);
        while (w > 0 && text_width(t, len) > w) {
            t++;
            while ((*t & 0xC0) == 0x80)
                t++;
            len = strlen(t);
        }
        ui_draw_text(app->bar, 1, x, w, t, TR_NORMAL);
        return;
    }
    if (!app->message)
        return;
    enum theme_role r = app->message_error ? TR_STATUS_ALERT : TR_MESSAGE;
    int w = app->cols, more = text_width(APP_MORE, strlen(APP_MORE));
    /* A message that does not fit says where to read it whole. */
    if (text_width(app->message, strlen(app->message)) > w && w > more + 8) {
        int x = ui_draw_text(app->bar, 1, 0, w - more, app->message, r);
        ui_draw_text(app->bar, 1, x, more, APP_MORE, TR_LABEL);
        return;
    }
    ui_draw_text(app->bar, 1, 0, w, app->message, r);
}

static int counts_due(const struct ui_app *app)
{
    return app->counts.at == 0 || so_mono_ms() - app->counts.at > APP_COUNTS_MS;
}

void ui_app_draw(struct ui_app *app)
{
    if (app->tiny) {
        char size[64];
        snprintf(size, sizeof size, "%dx%d, needs %dx%d", COLS, LINES,
                 APP_MIN_COLS, APP_MIN_ROWS);
        const char *say[] = {"terminal too small", size, "q quits"};
        werase(app->bar);
        for (int i = 0; i < (int)SO_ARRAY_LEN(say) && i < LINES; i++)
            mvwaddnstr(app->bar, i, 0, say[i], COLS);
        wnoutrefresh(app->bar);
        doupdate();
        return;
    }
    werase(app->title);
    werase(app->body);
    werase(app->bar);
    draw_title(app);
    wattrset(app->body, ui_draw_attr(TR_NORMAL));
    app->screens[app->screen]->draw(app, app->state[app->screen]);
    draw_status(app);
    draw_message(app);
    wnoutrefresh(app->title);
    wnoutrefresh(app->body);
    wnoutrefresh(app->bar);
    if (app->on_top)
        app->on_top(app, app->on_top_ctx);
    if (app->prompt) {
        curs_set(1);
        wnoutrefresh(app->bar);
    } else {
        curs_set(0);
    }
    /* Keys typed before the new draft, menu or prompt is written are
     * dropped; one typed once it is on screen is kept (flushing after
     * doupdate() would drop a key sent in answer to what was just shown).
     * The windows are refreshed into curses' screen already, so reading
     * what waits draws nothing early. */
    if (app->flush_input) {
        app->flush_input = 0;
        int n = ui_app_drop_typed(app);
        /* A key typed ahead of a draft is said dropped on the draft's
         * message line ("a a": the second a did not touch this draft). */
        if (n > 0 && app->screen == UI_SCREEN_DRAFT && !app->prompt &&
            !app->on_top && app->session.draft) {
            char *was = app->message ? xstrdup(app->message) : NULL;
            if (was)
                ui_app_message(app, app->message_error,
                               "%s; %d key%s typed ahead dropped", was, n,
                               n == 1 ? "" : "s");
            else
                ui_app_message(app, 0, "%d key%s typed before %s was shown "
                               "dropped", n, n == 1 ? "" : "s",
                               app->session.draft->id);
            free(was);
            draw_message(app);
            wnoutrefresh(app->bar);
        }
    }
    doupdate();
}

/* Below the minimum size one window says so, and still takes keys (q
 * quits). */
void ui_app_layout(struct ui_app *app)
{
    if (app->title)
        delwin(app->title);
    if (app->body)
        delwin(app->body);
    if (app->bar)
        delwin(app->bar);
    app->title = app->body = NULL;
    app->tiny = LINES < APP_MIN_ROWS || COLS < APP_MIN_COLS;
    if (app->tiny) {
        app->bar = newwin(0, 0, 0, 0);
        app->rows = 0;
    } else {
        app->title = newwin(1, COLS, 0, 0);
        app->body = newwin(LINES - 3, COLS, 1, 0);
        app->bar = newwin(2, COLS, LINES - 2, 0);
        wbkgd(app->title, ui_draw_attr(TR_NORMAL));
        wbkgd(app->body, ui_draw_attr(TR_NORMAL));
        app->rows = LINES - 3;
    }
    wbkgd(app->bar, ui_draw_attr(TR_NORMAL));
    keypad(app->bar, TRUE);
    wtimeout(app->bar, APP_TICK_MS);
    app->cols = COLS;
}

/* The calls of idle_work; 1 when the screen needs drawing. */
static int idle_calls(struct ui_app *app)
{
    struct so_error err;
    int redraw = 0;
    so_error_clear(&err);
    enum so_status st = ui_session_tick(&app->session, &err);
    if (st == SO_ERR_LEASE) {
        ui_app_message(app, 1, "%s; nothing of yours was recorded: s goes "
                       "on to the next draft, q back to the queue", err.msg);
        redraw = 1;
    } else if (st != SO_OK) {
        ui_app_message(app, 1, "lease not renewed: %s", err.msg);
        redraw = 1;
    }
    const struct ui_screen_ops *ops = app->screens[app->screen];
    if (ops->tick && ops->tick(app, app->state[app->screen]) != UI_STAY)
        redraw = 1;
    if (counts_due(app)) {
        refresh_counts(app);
        redraw = 1;
    }
    return redraw;
}

/* Work between keys: renew the lease, refresh counts, the screen's tick.
 * Nobody waits for it: the queue is told (queue.background), so a server
 * that does not answer holds the input loop briefly and ever more rarely. */
static int idle_work(struct ui_app *app)
{
    app->q->background = 1;
    int redraw = idle_calls(app);
    app->q->background = 0;
    /* The lease countdown in the status bar. */
    return redraw || app->session.draft;
}

enum ui_input ui_app_getkey(struct ui_app *app, int *ch, int *func)
{
    for (;;) {
        if (quit_requested)
            return UI_IN_QUIT;
        wint_t wc = 0;
        int r = wget_wch(app->bar, &wc);
        if (quit_requested)
            return UI_IN_QUIT;
        if (r == ERR) {
            if (idle_work(app))
                ui_app_draw(app);
            continue;
        }
        if (r == KEY_CODE_YES && wc == KEY_RESIZE) {
            ui_app_layout(app);
            ui_app_draw(app);
            return UI_IN_RESIZE;
        }
        /* ^L also measures the terminal again: a size change that sent no
         * signal is caught up with. */
        enum keys_action act = r == KEY_CODE_YES || wc < 0x80
                                   ? keys_lookup(app->keys, (int)wc)
                                   : KA_NONE;
        if (act == KA_REDRAW) {
            struct winsize ws;
            if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
                ws.ws_col > 0 && (ws.ws_row != LINES || ws.ws_col != COLS))
                resizeterm(ws.ws_row, ws.ws_col);
            clearok(curscr, TRUE);
            ui_app_layout(app);
            ui_app_draw(app);
            return UI_IN_RESIZE;
        }
        /* Below the minimum size nothing is shown, so only q does
         * anything. */
        if (app->tiny) {
            if (act == KA_BACK)
                return UI_IN_QUIT;
            flushinp();
            continue;
        }
        ui_session_input(&app->session);
        *ch = (int)wc;
        *func = r == KEY_CODE_YES;
        return UI_IN_KEY;
    }
}

void ui_app_suspend(struct ui_app *app)
{
    (void)app;
    def_prog_mode();
    endwin();
}

void ui_app_resume(struct ui_app *app)
{
    reset_prog_mode();
    clearok(curscr, TRUE);
    ui_app_layout(app);
    ui_app_draw(app);
}

void ui_app_frame(struct ui_app *app)
{
    ui_app_draw(app);
    if (counts_due(app)) {
        refresh_counts(app);
        ui_app_draw(app);
    }
}

int ui_app_quitting(void)
{
    return quit_requested != 0;
}

void ui_app_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_quit_signal;
    quit_requested = 0;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

void ui_app_overlay(struct ui_app *app, const char *heading, char *text,
                    struct ui_span *spans, size_t nspans)
{
    const struct ui_screen_ops *ops = app->screens[UI_SCREEN_DRAFT];
    if (ops->overlay)
        ops->overlay(app, app->state[UI_SCREEN_DRAFT], heading, text, spans,
                     nspans);
    else
        free(spans);
}
