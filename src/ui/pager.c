/*
 * ui_pager: a scrollable, read-only text screen. Shows the help generated
 * from the key table and the output of pipe commands. The text is laid out
 * (and so sanitized) for the current width each time it is drawn.
 */
#include "signoff/ui/pager.h"

#include <stdlib.h>
#include <string.h>

struct pager {
    char *heading;
    char *text;
    struct ui_span *spans;
    size_t nspans;
    struct text_doc *doc; /* text laid out for width */
    int width;
    size_t top; /* first display line shown */
};

static const enum keys_action pager_hints[] = {KA_BACK, KA_DOWN, KA_UP,
                                               KA_NONE};

static void *pager_open(struct ui_app *app)
{
    (void)app;
    return xcalloc(1, sizeof(struct pager));
}

static void pager_reset(struct pager *p)
{
    text_doc_free(p->doc);
    free(p->heading);
    free(p->text);
    free(p->spans);
    memset(p, 0, sizeof *p);
}

static void pager_close(void *state)
{
    pager_reset(state);
    free(state);
}

void ui_pager_open(struct ui_app *app, const char *heading, char *text,
                   struct ui_span *spans, size_t nspans)
{
    struct pager *p = app->state[UI_SCREEN_PAGER];
    pager_reset(p);
    p->heading = xstrdup(heading);
    p->text = text;
    p->spans = spans;
    p->nspans = nspans;
}

static void pager_draw(struct ui_app *app, void *state)
{
    struct pager *p = state;
    ui_draw_text(app->body, 0, 0, app->cols, p->heading, TR_PANE);
    if (!p->doc || p->width != app->cols - 1) {
        struct text_opts o = {app->cols - 1, 0, 0};
        const char *t = p->text ? p->text : "";
        text_doc_free(p->doc);
        p->doc = text_layout(t, strlen(t), &o);
        p->width = app->cols - 1;
    }
    size_t lines = p->doc->nlines;
    size_t view = app->rows > 1 ? (size_t)app->rows - 1 : 1;
    if (p->top + view > lines)
        p->top = lines > view ? lines - view : 0;
    for (size_t i = 0; i < view && p->top + i < lines; i++)
        ui_draw_doc_line(app->body, (int)i + 1, 0, p->doc, p->top + i,
                         TR_NORMAL, p->spans, p->nspans);
}

static enum ui_next pager_key(struct ui_app *app, void *state,
                              enum keys_action act, int ch)
{
    struct pager *p = state;
    size_t page = app->rows > 2 ? (size_t)app->rows - 2 : 1;
    (void)ch;
    switch (act) {
    case KA_DOWN:
        p->top++;
        return UI_REDRAW;
    case KA_UP:
        p->top = p->top ? p->top - 1 : 0;
        return UI_REDRAW;
    case KA_PAGE_DOWN:
        p->top += page;
        return UI_REDRAW;
    case KA_PAGE_UP:
        p->top = p->top > page ? p->top - page : 0;
        return UI_REDRAW;
    case KA_TOP:
        p->top = 0;
        return UI_REDRAW;
    case KA_BOTTOM:
        p->top = p->doc ? p->doc->nlines : 0;
        return UI_REDRAW;
    case KA_BACK:
    case KA_HELP:
        return UI_BACK;
    default:
        return UI_STAY;
    }
}

char *ui_pager_help(const struct keys *k, struct ui_span **spans,
                    size_t *nspans)
{
    struct buf b;
    buf_init(&b);
    *spans = xcalloc(KA_COUNT, sizeof **spans);
    *nspans = 0;
    for (int a = 0; a < KA_COUNT; a++) {
        struct buf keys;
        buf_init(&keys);
        keys_describe(k, (enum keys_action)a, &keys);
        const char *shown = keys.len ? buf_cstr(&keys) : "(unbound)";
        (*spans)[(*nspans)++] =
            (struct ui_span){b.len + 2, strlen(shown), TR_HELP_KEY};
        buf_addf(&b, "  %-16s %-14s %s\n", shown,
                 keys_action_name((enum keys_action)a),
                 keys_action_help((enum keys_action)a));
        buf_free(&keys);
    }
    buf_adds(&b, "\nLimit patterns (l): ~w WORKFLOW  ~m MODEL  ~c<0.6  "
                 "~c>=0.8  ~g grounding flagged  ~e escalated  words "
                 "(title or body); terms combine with AND.\n");
    return buf_steal(&b);
}

const struct ui_screen_ops ui_pager_screen = {
    .name = "view",
    .open = pager_open,
    .close = pager_close,
    .draw = pager_draw,
    .key = pager_key,
    .hints = pager_hints,
};
