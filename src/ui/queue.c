/*
 * ui_queue: the queue screen, a mutt-like index of the open drafts. Rows
 * are fetched a page at a time with the queue's list cursors as the
 * selection moves down, so opening a queue of any size costs one page.
 * Enter claims the selected draft and opens it; l sets the limit.
 */
#include "signoff/ui/queue.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/ui/bulk.h"
#include "signoff/ui/decide.h"
#include "signoff/ui/draw.h"
#include "signoff/text.h"
#include "signoff/ui/prompt.h"

#define QUEUE_PAGE 200
/* G walks at most this many pages per press on a huge queue. */
#define QUEUE_MAX_WALK 20

struct queue_view {
    struct so_draft_row *rows; /* the pages fetched so far */
    size_t n, cap;
    char *next_cursor; /* NULL: no more pages */
    int loaded;        /* at least the first page was asked for */
    int id_cols, wf_cols; /* widest id and workflow fetched so far */
    size_t sel, top;
    struct ui_tags tags; /* t: rows tagged for a bulk action */
    int64_t listed_at;   /* wall ms when the rows shown were listed */
    int64_t stale_since; /* wall ms of the first failed reload since; 0
                            while the rows are fresh */
    int64_t tried_mono;  /* the last reload tried (mono ms) */
    int64_t seen_sent;   /* app->counts.sent when last listed: a decision
                            sent from the outbox since may have left a row */
};

/* While the list is stale, a reload is tried this often (ms). */
#define QUEUE_RETRY_MS 3000

static const enum keys_action queue_hints[] = {
    KA_BACK,   KA_OPEN,    KA_LIMIT, KA_UNDO, KA_RELOAD, KA_TAG,
    KA_MONITOR, KA_MINE,   KA_HELP,  KA_NONE};

static const enum keys_action queue_keys[] = {
    KA_DOWN,  KA_UP,   KA_PAGE_DOWN, KA_PAGE_UP, KA_TOP, KA_BOTTOM,
    KA_OPEN,  KA_BACK, KA_LIMIT,     KA_UNDO,    KA_INBOX, KA_RELOAD,
    KA_TAG,   KA_BULK, KA_NONE};

static void *index_open(struct ui_app *app)
{
    (void)app;
    return xcalloc(1, sizeof(struct queue_view));
}

static void rows_clear(struct queue_view *v)
{
    struct so_draft_page p = {v->rows, v->n, v->next_cursor};
    so_draft_page_free(&p);
    v->rows = NULL;
    v->n = v->cap = 0;
    v->next_cursor = NULL;
    v->loaded = 0;
    v->id_cols = 2;
    v->wf_cols = 8;
}

static void index_close(void *state)
{
    ui_bulk_clear(&((struct queue_view *)state)->tags);
    rows_clear(state);
    free(state);
}

/* Fetch the next page; 0 when there was nothing more, -1 on an error
 * (shown on the message line). */
/* One list request of the queue's rows into *page: the open drafts I can
 * act on, those of sla (SO_LIST_SLA_*) after cursor. */
static enum so_status list_rows(struct ui_app *app, int sla,
                                const char *cursor, struct so_draft_page *page)
{
    struct so_list_req req = {0};
    filter_apply(&app->filter, &req);
    req.status = "open";
    req.mine = 1; /* what I can act on; the rest is counted apart */
    req.after = cursor;
    req.limit = QUEUE_PAGE;
    req.sla = sla;
    struct so_error err;
    so_error_clear(&err);
    enum so_status st = app->q->ops->list(app->q, &req, page, &err);
    if (st != SO_OK && st != SO_EMPTY)
        ui_app_message(app, 1, "cannot list the queue: %s", err.msg);
    return st == SO_EMPTY ? SO_OK : st;
}

/* Append page's rows (taken) to v. */
static void add_rows(struct queue_view *v, struct so_draft_page *page)
{
    if (v->n + page->n > v->cap) {
        v->cap = v->n + page->n;
        v->rows = xrealloc(v->rows, v->cap * sizeof *v->rows);
    }
    for (size_t i = 0; i < page->n; i++) {
        const struct so_draft_row *r = &page->rows[i];
        int iw = text_width(r->id, strlen(r->id));
        int ww = text_width(r->workflow, strlen(r->workflow));
        v->id_cols = iw > v->id_cols ? iw : v->id_cols;
        v->wf_cols = ww > v->wf_cols ? ww : v->wf_cols;
    }
    if (page->n)
        memcpy(v->rows + v->n, page->rows, page->n * sizeof *page->rows);
    v->n += page->n;
    free(page->rows);
    page->rows = NULL;
}

static int load_page(struct ui_app *app, struct queue_view *v)
{
    if (v->loaded && !v->next_cursor)
        return 0;
    struct so_draft_page page = {0};
    size_t before = v->n;
    if (!v->loaded) { /* first the drafts nearing or past their SLA, most
                         overdue first (one page), then the rest */
        if (list_rows(app, SO_LIST_SLA_DUE, NULL, &page) != SO_OK) {
            v->loaded = 1;
            return -1;
        }
        app->session.sla_due = page.n > 0;
        add_rows(v, &page);
        free(page.next_cursor);
        memset(&page, 0, sizeof page);
    }
    enum so_status st =
        list_rows(app, SO_LIST_SLA_REST, v->next_cursor, &page);
    v->loaded = 1;
    if (st != SO_OK) {
        free(v->next_cursor);
        v->next_cursor = NULL;
        return -1;
    }
    add_rows(v, &page);
    free(v->next_cursor);
    v->next_cursor = page.next_cursor;
    return v->n > before;
}

/* List the first page again. When the queue cannot answer (a server
 * away) the rows shown stay, marked stale with the time they were listed,
 * never replaced by an empty list; the tick retries. */
static void reload(struct ui_app *app, struct queue_view *v)
{
    struct queue_view fresh;
    memset(&fresh, 0, sizeof fresh);
    rows_clear(&fresh);
    v->tried_mono = so_mono_ms();
    /* What waits in the outbox goes first: a draft decided offline is
     * recorded before the list is asked, so it is never listed open. */
    int64_t sent = app->counts.sent;
    ui_app_drain_outbox(app);
    sent = app->counts.sent - sent;
    if (load_page(app, &fresh) < 0) {
        rows_clear(&fresh);
        if (!v->stale_since)
            v->stale_since = so_now_ms();
        return;
    }
    int was_stale = v->stale_since != 0;
    rows_clear(v);
    v->rows = fresh.rows;
    v->n = fresh.n;
    v->cap = fresh.cap;
    v->next_cursor = fresh.next_cursor;
    v->loaded = fresh.loaded;
    v->id_cols = fresh.id_cols;
    v->wf_cols = fresh.wf_cols;
    v->listed_at = so_now_ms();
    v->stale_since = 0;
    v->seen_sent = app->counts.sent;
    if (v->sel >= v->n)
        v->sel = v->n ? v->n - 1 : 0;
    if (was_stale) {
        ui_app_counts_stale(app);
        if (sent > 0)
            ui_app_message(app, 0, "the queue answers again: sent %lld "
                           "waiting decision%s; list reloaded",
                           (long long)sent, sent == 1 ? "" : "s");
        else
            ui_app_message(app, 0, "the queue answers again: list reloaded");
    }
}

/* While the list is stale, try again every QUEUE_RETRY_MS: the list comes
 * back by itself when the server does; and list again once decisions left
 * the outbox, so a draft decided offline is not offered again. */
static enum ui_next queue_tick(struct ui_app *app, void *state)
{
    struct queue_view *v = state;
    if (!v->stale_since && v->seen_sent != app->counts.sent) {
        reload(app, v); /* the outbox drained: its drafts are decided */
        return UI_REDRAW;
    }
    if (!v->stale_since || so_mono_ms() - v->tried_mono < QUEUE_RETRY_MS)
        return UI_STAY;
    reload(app, v);
    return UI_REDRAW;
}

/* "HH:MM" (UTC) of ms. */
static void hhmm(int64_t ms, char out[8])
{
    char iso[32];
    so_format_time(ms, iso);
    snprintf(out, 8, "%.5s", iso + 11);
}

/* The truth while the queue does not answer, on the header line. */
static void draw_stale(struct ui_app *app, const struct queue_view *v, int y)
{
    char since[8], at[8], waiting[48] = "";
    hhmm(v->stale_since, since);
    hhmm(v->listed_at, at);
    if (app->counts.unsent > 0)
        snprintf(waiting, sizeof waiting, " %lld decision%s waiting;",
                 (long long)app->counts.unsent,
                 app->counts.unsent == 1 ? "" : "s");
    char *t = v->listed_at
                  ? xasprintf("queue unreachable since %s UTC:%s the list "
                              "below is from %s (stale); R retries now",
                              since, waiting, at)
                  : xasprintf("queue unreachable since %s UTC:%s nothing "
                              "listed yet; R retries now",
                              since, waiting);
    if (text_width(t, strlen(t)) > app->cols) {
        /* Narrow (80 columns): the same facts in short words, so "(stale)"
         * and the key are never the part cut off. */
        free(t);
        if (app->counts.unsent > 0)
            snprintf(waiting, sizeof waiting, " %lld waiting;",
                     (long long)app->counts.unsent);
        t = v->listed_at
                ? xasprintf("queue unreachable since %s UTC:%s list from %s "
                            "(stale); R: retry", since, waiting, at)
                : xasprintf("queue unreachable since %s UTC:%s nothing listed "
                            "yet; R: retry", since, waiting);
    }
    ui_draw_fill(app->body, y, TR_STATUS_ALERT);
    ui_draw_text(app->body, y, 0, app->cols, t, TR_STATUS_ALERT);
    free(t);
}

static void queue_enter(struct ui_app *app, void *state)
{
    reload(app, state);
}

static enum theme_role conf_role(double c)
{
    return c < 0 ? TR_NORMAL : c < 0.5 ? TR_CONF_LOW
                           : c < 0.8   ? TR_CONF_MID
                                       : TR_CONF_HIGH;
}

/* From this width the index also shows model, priority and reviews. */
#define QUEUE_WIDE 160
#define QUEUE_MODEL_COLS 16

/* Where the index columns start, for the terminal width (model, prio and
 * rev are 0 when not shown). */
struct columns {
    int id, idw, wf, wfw, model, conf, age, prio, rev, title;
};

/* Columns as wide as the rows fetched need, within limits that leave the
 * title room. */
static struct columns columns_for(int cols, const struct queue_view *v)
{
    struct columns c;
    int id_max = cols >= 120 ? 28 : 18, wf_max = cols >= 120 ? 20 : 14;
    c.idw = v->id_cols < id_max ? v->id_cols : id_max;
    c.wfw = v->wf_cols < wf_max ? v->wf_cols : wf_max;
    c.id = 4;
    c.wf = c.id + c.idw + 1;
    c.model = c.prio = c.rev = 0;
    c.conf = c.wf + c.wfw + 1;
    if (cols >= QUEUE_WIDE) {
        c.model = c.conf;
        c.conf = c.model + QUEUE_MODEL_COLS + 1;
    }
    c.age = c.conf + 5;
    c.title = c.age + 5;
    if (cols >= QUEUE_WIDE) {
        c.prio = c.title;
        c.rev = c.prio + 5;
        c.title = c.rev + 5;
    }
    return c;
}

static void draw_row(struct ui_app *app, const struct queue_view *v, int y,
                     const struct so_draft_row *r, int cursor, int64_t now)
{
    struct columns c = columns_for(app->cols, v);
    enum theme_role base = cursor ? TR_CURSOR : TR_NORMAL;
    WINDOW *w = app->body;
    if (cursor)
        ui_draw_fill(w, y, TR_CURSOR);
    char flags[4] = "   ";
    if (r->flags & SO_ROW_GROUNDING)
        flags[0] = '!';
    if (r->flags & SO_ROW_ESCALATED)
        flags[1] = 'E';
    else if (r->status == SO_DS_RESOLVE) /* reviews disagree: a resolver's */
        flags[1] = 'R';
    if (r->status == SO_DS_CLAIMED && r->lease_until > now)
        flags[2] = 'C';
    ui_draw_text(w, y, 0, 3, flags, cursor ? TR_CURSOR : TR_INDEX_FLAG);
    if (ui_bulk_tagged(&v->tags, r->id))
        ui_draw_text(w, y, 3, 1, "*", cursor ? TR_CURSOR : TR_INDEX_FLAG);
    ui_draw_text(w, y, c.id, c.idw, r->id, base);
    ui_draw_text(w, y, c.wf, c.wfw, r->workflow, base);
    char conf[8] = "  -";
    if (r->confidence >= 0)
        snprintf(conf, sizeof conf, "%.2f", r->confidence);
    ui_draw_text(w, y, c.conf, 4, conf,
                 cursor ? TR_CURSOR : conf_role(r->confidence));
    /* past its workflow's SLA: "!" after the age and the alert role;
     * nearing it: the warning role (sorted first either way) */
    char age[16];
    so_format_age(now, r->created_at, age);
    if ((r->flags & SO_ROW_SLA_PAST) && strlen(age) < 4)
        strcat(age, "!");
    ui_draw_text(w, y, c.age, 4, age,
                 cursor                         ? base
                 : r->flags & SO_ROW_SLA_PAST ? TR_SLA_PAST
                 : r->flags & SO_ROW_SLA_NEAR ? TR_SLA_NEAR
                                              : base);
    if (c.model) {
        char num[24];
        ui_draw_text(w, y, c.model, QUEUE_MODEL_COLS, r->model ? r->model
                                                               : "-", base);
        snprintf(num, sizeof num, "%4d", r->priority);
        ui_draw_text(w, y, c.prio, 4, num, base);
        snprintf(num, sizeof num, "%d/%d", r->reviews_done,
                 r->reviews_needed > 0 ? r->reviews_needed : 1);
        ui_draw_text(w, y, c.rev, 4, num, base);
    }
    int tx = c.title;
    if (ui_session_outboxed(&app->session, r->id)) {
        /* decided while the server was away: not to be picked again */
        static const char mark[] = "(decided: in the outbox) ";
        ui_draw_text(w, y, tx, app->cols - tx, mark,
                     cursor ? TR_CURSOR : TR_INDEX_FLAG);
        tx += (int)strlen(mark);
        if (tx >= app->cols)
            return;
    }
    ui_draw_text(w, y, tx, app->cols - tx,
                 r->title ? r->title : "(untitled)", base);
}

static void draw_header(struct ui_app *app, const struct queue_view *v)
{
    struct columns c = columns_for(app->cols, v);
    ui_draw_text(app->body, 0, c.id, c.idw, "id", TR_LABEL);
    ui_draw_text(app->body, 0, c.wf, c.wfw, "workflow", TR_LABEL);
    ui_draw_text(app->body, 0, c.conf, 4, "conf", TR_LABEL);
    ui_draw_text(app->body, 0, c.age, 4, "age", TR_LABEL);
    if (c.model) {
        ui_draw_text(app->body, 0, c.model, QUEUE_MODEL_COLS, "model",
                     TR_LABEL);
        ui_draw_text(app->body, 0, c.prio, 4, "prio", TR_LABEL);
        ui_draw_text(app->body, 0, c.rev, 4, "rev", TR_LABEL);
    }
    ui_draw_text(app->body, 0, c.title, 20, "title", TR_LABEL);
}

static void queue_draw(struct ui_app *app, void *state)
{
    struct queue_view *v = state;
    app->queue_row = v->n ? (long)v->sel + 1 : 0;
    if (v->stale_since && v->n == 0) {
        draw_stale(app, v, 0);
        return;
    }
    if (v->n == 0) {
        ui_draw_text(app->body, 1, 2, app->cols - 4,
                     app->filter.pattern
                         ? "No open drafts you can act on match the limit. "
                           "l changes it."
                         : app->counts.waiting > 0
                             ? "No drafts for you to review now."
                             : "No drafts to review. The queue is empty.",
                     TR_NORMAL);
        if (app->counts.waiting > 0) {
            char *w = xasprintf("Waiting on others: %lld (reviewed by you, "
                                "held by another reviewer, or for a "
                                "supervisor).",
                                (long long)app->counts.waiting);
            ui_draw_text(app->body, 2, 2, app->cols - 4, w, TR_NORMAL);
            free(w);
        }
        return;
    }
    if (v->stale_since)
        draw_stale(app, v, 0);
    else
        draw_header(app, v);
    size_t view = app->rows > 1 ? (size_t)app->rows - 1 : 1;
    if (v->sel < v->top)
        v->top = v->sel;
    if (v->sel >= v->top + view)
        v->top = v->sel - view + 1;
    int64_t now = so_now_ms();
    for (size_t i = 0; i < view && v->top + i < v->n; i++)
        draw_row(app, v, (int)i + 1, &v->rows[v->top + i],
                 v->top + i == v->sel, now);
}

/* Move the selection by delta rows, fetching pages as it goes down. */
static void move_sel(struct ui_app *app, struct queue_view *v, long delta)
{
    if (delta > 0) {
        size_t want = v->sel + (size_t)delta;
        while (want >= v->n && load_page(app, v) > 0)
            ;
        v->sel = want < v->n ? want : (v->n ? v->n - 1 : 0);
    } else {
        size_t up = (size_t)-delta;
        v->sel = v->sel > up ? v->sel - up : 0;
    }
}

static enum ui_next do_open(struct ui_app *app, struct queue_view *v)
{
    if (v->n == 0)
        return UI_STAY;
    struct so_error err;
    so_error_clear(&err);
    enum so_status st = ui_session_claim(&app->session, &app->filter,
                                         v->rows[v->sel].id, &err);
    if (st != SO_OK) {
        const char *id = v->rows[v->sel].id;
        ui_app_message(app, 1, "cannot open %s: %s", id,
                       st == SO_EMPTY ? "nothing to claim"
                                      : ui_app_unprefixed(err.msg, id));
        if (!ui_session_outboxed(&app->session, id)) /* else no news */
            reload(app, v);
        return UI_REDRAW;
    }
    return UI_GO_DRAFT;
}

/* Apply limit pattern pat (NULL: no limit) and reload. */
static void set_limit(struct ui_app *app, struct queue_view *v,
                      const char *pat)
{
    struct filter f;
    struct so_error err;
    if (filter_parse(pat ? pat : "", &f, &err) != SO_OK) {
        ui_app_message(app, 1, "limit: %s", err.msg);
        return;
    }
    filter_clear(&app->filter);
    app->filter = f;
    v->sel = 0;
    reload(app, v);
    ui_app_counts_stale(app);
}

static enum ui_next do_limit(struct ui_app *app, struct queue_view *v)
{
    char *pat = NULL;
    enum ui_answer a = ui_prompt_line(app, "Limit to: ", app->filter.pattern,
                                      &pat);
    if (a == UI_QUITTING)
        return UI_QUIT;
    if (a != UI_ANSWERED)
        return UI_REDRAW;
    set_limit(app, v, pat);
    free(pat);
    return UI_REDRAW;
}

/* The supervisors' inbox: the escalated drafts (the limit ~e); again goes
 * back to the whole queue. */
static enum ui_next do_inbox(struct ui_app *app, struct queue_view *v)
{
    if (ui_app_in_inbox(app)) {
        set_limit(app, v, NULL);
        ui_app_message(app, 0, "the whole queue");
        return UI_REDRAW;
    }
    set_limit(app, v, "~e");
    ui_app_message(app, 0, "inbox: escalated drafts, each waiting for a "
                           "supervisor's final decision; E: back");
    return UI_REDRAW;
}

static enum ui_next queue_key(struct ui_app *app, void *state,
                              enum keys_action act, int ch)
{
    struct queue_view *v = state;
    long page = app->rows > 2 ? app->rows - 2 : 1;
    (void)ch;
    switch (act) {
    case KA_DOWN:
        move_sel(app, v, 1);
        return UI_REDRAW;
    case KA_UP:
        move_sel(app, v, -1);
        return UI_REDRAW;
    case KA_PAGE_DOWN:
        move_sel(app, v, page);
        return UI_REDRAW;
    case KA_PAGE_UP:
        move_sel(app, v, -page);
        return UI_REDRAW;
    case KA_TOP:
        v->sel = 0;
        return UI_REDRAW;
    case KA_BOTTOM:
        for (int i = 0; i < QUEUE_MAX_WALK && load_page(app, v) > 0; i++)
            ;
        v->sel = v->n ? v->n - 1 : 0;
        if (v->next_cursor)
            ui_app_message(app, 0, "more drafts below: G again goes further");
        return UI_REDRAW;
    case KA_OPEN:
        return do_open(app, v);
    case KA_LIMIT:
        return do_limit(app, v);
    case KA_INBOX:
        return do_inbox(app, v);
    case KA_RELOAD:
        reload(app, v);
        ui_app_counts_stale(app);
        ui_app_message(app, 0, "reloaded");
        return UI_REDRAW;
    case KA_UNDO:
        return ui_decide_key(app, KA_UNDO);
    case KA_TAG:
        if (v->n == 0)
            return UI_STAY;
        ui_bulk_toggle(&v->tags, v->rows[v->sel].id);
        ui_app_message(app, 0, app->q->supervisor
                                   ? "%zu tagged (; acts on them)"
                                   : "%zu tagged (; acts on them: supervisors "
                                     "only)",
                       v->tags.n);
        move_sel(app, v, 1);
        return UI_REDRAW;
    case KA_BULK: {
        enum ui_next next = ui_bulk_menu(app, &v->tags);
        reload(app, v);
        return next;
    }
    case KA_BACK:
        return UI_QUIT;
    default:
        return UI_STAY;
    }
}

/* A click on a row selects it; a click on the selected row opens it (as
 * Enter does). The header and the blank lines below the rows do nothing. */
static enum ui_next queue_click(struct ui_app *app, void *state, int row,
                                int col)
{
    struct queue_view *v = state;
    (void)col;
    if (row < 1 || v->n == 0)
        return UI_STAY;
    size_t i = v->top + (size_t)(row - 1);
    if (i >= v->n)
        return UI_STAY;
    if (i == v->sel)
        return do_open(app, v);
    v->sel = i;
    return UI_REDRAW;
}

const struct ui_screen_ops ui_queue_screen = {
    .name = "queue",
    .open = index_open,
    .close = index_close,
    .enter = queue_enter,
    .draw = queue_draw,
    .key = queue_key,
    .tick = queue_tick,
    .click = queue_click,
    .hints = queue_hints,
    .keys = queue_keys,
};
