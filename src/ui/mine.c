/*
 * ui_mine: the "my decisions" screen (see ui_mine.h). Asks the queue for my
 * decisions each time it is entered (one request), keeps them for moving
 * about, and never records a decision itself: undo goes through the
 * session like the u key anywhere else.
 */
#include "signoff/ui/mine.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/text.h"
#include "signoff/ui/decide.h"
#include "signoff/ui/pager.h"

/* Days shown: today and the six before it. */
#define MINE_DAYS 7
#define MINE_LIMIT 1000
#define DAY_MS 86400000LL

struct mine_view {
    struct so_decision *v;
    size_t n;
    size_t sel, top;
    int64_t today; /* ms of today's 00:00 UTC when loaded */
};

static const enum keys_action mine_hints[] = {
    KA_BACK, KA_OPEN, KA_UNDO, KA_MONITOR, KA_HELP, KA_NONE};

static const enum keys_action mine_keys[] = {
    KA_DOWN, KA_PAGE_DOWN, KA_UP,   KA_PAGE_UP, KA_TOP,
    KA_BOTTOM, KA_OPEN,    KA_UNDO, KA_BACK,    KA_NONE};

static void *mine_open(struct ui_app *app)
{
    (void)app;
    return xcalloc(1, sizeof(struct mine_view));
}

static void mine_clear(struct mine_view *m)
{
    for (size_t i = 0; i < m->n; i++)
        so_decision_clear(&m->v[i]);
    free(m->v);
    m->v = NULL;
    m->n = 0;
}

static void mine_close(void *state)
{
    mine_clear(state);
    free(state);
}

static void mine_enter(struct ui_app *app, void *state)
{
    struct mine_view *m = state;
    struct so_error err;
    so_error_clear(&err);
    /* Back from a reopened decision: the same row stays selected. */
    int64_t keep = m->n ? m->v[m->sel].seq : 0;
    mine_clear(m);
    m->sel = m->top = 0;
    m->today = so_now_ms() / DAY_MS * DAY_MS;
    if (!app->q->ops->my_decisions) {
        ui_app_message(app, 1, "my decisions: this queue cannot list them");
        return;
    }
    if (app->q->ops->my_decisions(app->q, m->today - (MINE_DAYS - 1) * DAY_MS,
                                  MINE_LIMIT, &m->v, &m->n, &err) != SO_OK)
        ui_app_message(app, 1, "my decisions: %s", err.msg);
    for (size_t i = 0; keep && i < m->n; i++)
        if (m->v[i].seq == keep)
            m->sel = i;
}

/* The first decision that still stands: the one undo takes back. */
static size_t latest_live(const struct mine_view *m)
{
    for (size_t i = 0; i < m->n; i++)
        if (!m->v[i].undone_by)
            return i;
    return m->n;
}

static void draw_row(struct ui_app *app, const struct mine_view *m, int y,
                     size_t i)
{
    const struct so_decision *d = &m->v[i];
    int cursor = i == m->sel;
    enum theme_role base = cursor ? TR_CURSOR : TR_NORMAL;
    char when[32], row[48];
    so_format_time(d->decided_at, when);
    /* "2026-12-06T14:05:09Z": today's rows by time, older by date too. */
    if (d->decided_at >= m->today)
        snprintf(row, sizeof row, "today %.5s", when + 11);
    else
        snprintf(row, sizeof row, "%.5s %.5s", when + 5, when + 11);
    if (cursor)
        ui_draw_fill(app->body, y, TR_CURSOR);
    ui_draw_text(app->body, y, 0, 12, row, base);
    ui_draw_text(app->body, y, 13, 16, d->draft_id, base);
    int x = 30;
    struct buf b;
    buf_init(&b);
    buf_adds(&b, so_action_name(d->action));
    if (d->kind && strcmp(d->kind, "resolve") == 0)
        buf_adds(&b, " (resolve)");
    if (d->reason && *d->reason)
        buf_addf(&b, " %s", d->reason);
    if (d->undone_by)
        buf_adds(&b, "  UNDONE");
    else if (i == latest_live(m))
        buf_adds(&b, "  (u undoes)");
    if (d->note && *d->note)
        buf_addf(&b, "  \"%s\"", d->note);
    ui_draw_text(app->body, y, x, app->cols - x, buf_cstr(&b),
                 d->undone_by && !cursor ? TR_INPUT : base);
    buf_free(&b);
}

static void mine_draw(struct ui_app *app, void *state)
{
    struct mine_view *m = state;
    size_t today = 0, undone = 0;
    for (size_t i = 0; i < m->n; i++) {
        undone += m->v[i].undone_by != 0;
        today += m->v[i].decided_at >= m->today && !m->v[i].undone_by;
    }
    /* Both counts are of the decisions that stand; the undone ones are
     * counted apart ("2 today, 3 in 7 days" for three of today, one
     * undone, read as a day with a decision missing). */
    char undone_s[48] = "";
    if (undone)
        snprintf(undone_s, sizeof undone_s, ", %zu undone", undone);
    char *head = xasprintf("My decisions: %zu today, %zu in %d days%s%s",
                           today, m->n - undone, MINE_DAYS, undone_s,
                           m->n ? "  (Enter: open, u: undo the latest)" : "");
    ui_draw_text(app->body, 0, 0, app->cols, head, TR_LABEL);
    free(head);
    if (m->n == 0) {
        ui_draw_text(app->body, 2, 2, app->cols - 2,
                     "No decisions of yours in these days.", TR_NORMAL);
        return;
    }
    size_t view = app->rows > 1 ? (size_t)app->rows - 1 : 1;
    if (m->sel < m->top)
        m->top = m->sel;
    if (m->sel >= m->top + view)
        m->top = m->sel - view + 1;
    for (size_t i = 0; i < view && m->top + i < m->n; i++)
        draw_row(app, m, (int)i + 1, m->top + i);
}

/* The draft as I decided it, in the pager: my decision, then the body (an
 * edit as its word diff against the draft). */
static enum ui_next reopen(struct ui_app *app, const struct so_decision *d)
{
    struct so_draft *draft = NULL;
    struct so_error err;
    so_error_clear(&err);
    if (app->q->ops->get(app->q, d->draft_id, &draft, &err) != SO_OK) {
        ui_app_message(app, 1, "open %s: %s", d->draft_id,
                       ui_app_unprefixed(err.msg, d->draft_id));
        return UI_REDRAW;
    }
    const char *body = draft->body ? draft->body : "";
    struct ui_span *spans = NULL;
    size_t n = 0;
    char when[32];
    so_format_time(d->decided_at, when);
    struct buf b;
    buf_init(&b);
    buf_addf(&b, "Title: %s\nWorkflow: %s\nYour decision: %s%s at %s, %lld s "
                 "on the draft\n",
             draft->title ? draft->title : "(untitled)", draft->workflow,
             so_action_name(d->action), d->undone_by ? " (undone)" : "", when,
             (long long)(d->active_ms / 1000));
    if (d->reason && *d->reason)
        buf_addf(&b, "Reason: %s\n", d->reason);
    if (d->note && *d->note)
        buf_addf(&b, "Note: %s\n", d->note);
    buf_addf(&b, "Now: %s%s%s\n\n", so_dstatus_name(draft->status),
             draft->last_action ? ", final " : "",
             draft->last_action ? draft->last_action : "");
    size_t base = b.len;
    if (d->action == SO_ACT_EDIT && d->final_body) {
        buf_addf(&b, "Your edit (%lld word%s changed; [-removed-] "
                     "{+added+}):\n",
                 (long long)d->edit_size, d->edit_size == 1 ? "" : "s");
        base = b.len;
        char *diff = ui_decide_diff_text(body, d->final_body, &spans, &n);
        buf_adds(&b, diff);
        free(diff);
    } else {
        buf_adds(&b, body);
    }
    for (size_t i = 0; i < n; i++)
        spans[i].off += base;
    char *head = xasprintf("%s: my decision (q returns to the list)",
                           d->draft_id);
    ui_pager_open(app, head, buf_steal(&b), spans, n);
    free(head);
    so_draft_free(draft);
    return UI_GO_PAGER;
}

static enum ui_next undo_latest(struct ui_app *app, struct mine_view *m)
{
    size_t live = latest_live(m);
    if (live == m->n) {
        ui_app_message(app, 1, m->n ? "undo: none of these decisions stands"
                                    : "undo: nothing to undo");
        return UI_REDRAW;
    }
    if (m->sel != live) {
        ui_app_message(app, 1, "undo: only your latest decision (%s) can be "
                               "undone; undo it first",
                       m->v[live].draft_id);
        return UI_REDRAW;
    }
    return ui_decide_key(app, KA_UNDO);
}

static enum ui_next mine_key(struct ui_app *app, void *state,
                             enum keys_action act, int ch)
{
    struct mine_view *m = state;
    size_t page = app->rows > 2 ? (size_t)app->rows - 2 : 1;
    (void)ch;
    switch (act) {
    case KA_DOWN:
    case KA_PAGE_DOWN: {
        size_t step = act == KA_DOWN ? 1 : page;
        m->sel = m->sel + step < m->n ? m->sel + step : (m->n ? m->n - 1 : 0);
        return UI_REDRAW;
    }
    case KA_UP:
    case KA_PAGE_UP: {
        size_t step = act == KA_UP ? 1 : page;
        m->sel = m->sel > step ? m->sel - step : 0;
        return UI_REDRAW;
    }
    case KA_TOP:
        m->sel = 0;
        return UI_REDRAW;
    case KA_BOTTOM:
        m->sel = m->n ? m->n - 1 : 0;
        return UI_REDRAW;
    case KA_OPEN:
        return m->n ? reopen(app, &m->v[m->sel]) : UI_STAY;
    case KA_UNDO:
        return undo_latest(app, m);
    case KA_BACK:
        return UI_BACK;
    default:
        return UI_STAY;
    }
}

/* A click selects a row; a click on the selected row opens it. */
static enum ui_next mine_click(struct ui_app *app, void *state, int row,
                               int col)
{
    struct mine_view *m = state;
    (void)col;
    if (row < 1 || m->top + (size_t)(row - 1) >= m->n)
        return UI_STAY;
    size_t i = m->top + (size_t)(row - 1);
    if (i == m->sel)
        return reopen(app, &m->v[i]);
    m->sel = i;
    return UI_REDRAW;
}

const struct ui_screen_ops ui_mine_screen = {
    .name = "my decisions",
    .open = mine_open,
    .close = mine_close,
    .enter = mine_enter,
    .draw = mine_draw,
    .key = mine_key,
    .click = mine_click,
    .hints = mine_hints,
    .keys = mine_keys,
};
