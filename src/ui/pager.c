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

static const enum keys_action pager_hints[] = {
    KA_BACK, KA_DOWN, KA_UP, KA_PAGE_DOWN, KA_PAGE_UP, KA_TOP, KA_BOTTOM,
    KA_MONITOR, KA_NONE};

static const enum keys_action pager_keys[] = {
    KA_DOWN, KA_UP, KA_PAGE_DOWN, KA_PAGE_UP, KA_TOP, KA_BOTTOM,
    KA_BACK, KA_HELP, KA_NONE};

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

void ui_pager_to_end(struct ui_app *app)
{
    struct pager *p = app->state[UI_SCREEN_PAGER];
    p->top = (size_t)-1 / 2; /* clamped to the last page when drawn */
}

/* Help columns: keys, the action's name (for `bind`), what it does. The
 * text is laid out for HELP_WIDTH columns, so it reads at 80. */
#define HELP_KEYS 16
#define HELP_NAME 14
#define HELP_WIDTH 79
#define HELP_TEXT_COL (2 + HELP_KEYS + 1 + HELP_NAME + 1)

/* What an action does on one screen when that differs from its help. */
static const struct {
    int screen;
    enum keys_action act;
    const char *help;
} help_on[] = {
    {UI_SCREEN_MONITOR, KA_OPEN, "pause or resume the selected workflow's "
                                 "automation (asks why)"},
    {UI_SCREEN_MONITOR, KA_BACK, "back to where you were"},
    {UI_SCREEN_PAGER, KA_BACK, "back to where you were"},
    {UI_SCREEN_PAGER, KA_HELP, "close this view"},
    {UI_SCREEN_DRAFT, KA_BACK, "back to the queue (releases the draft)"},
    {UI_SCREEN_QUEUE, KA_BACK, "quit"},
    {UI_SCREEN_MINE, KA_OPEN, "reopen the selected decision (an edit as "
                              "its diff)"},
    {UI_SCREEN_MINE, KA_BACK, "back to where you were"},
};

/* The actions every screen takes (the loop handles them). */
static int help_global(enum keys_action a)
{
    return a == KA_HELP || a == KA_MONITOR || a == KA_MINE ||
           a == KA_MESSAGES || a == KA_REDRAW;
}

static void help_text(struct buf *b, const char *text, int col)
{
    size_t len = strlen(text);
    int width = HELP_WIDTH - col;
    while (len > (size_t)width) {
        size_t cut = (size_t)width;
        while (cut > 0 && text[cut] != ' ')
            cut--;
        if (cut == 0)
            cut = (size_t)width;
        buf_add(b, text, cut);
        buf_addf(b, "\n%*s", col, "");
        text += cut + (text[cut] == ' ');
        len = strlen(text);
    }
    buf_adds(b, text);
    buf_addc(b, '\n');
}

/* One row; keys too wide for their column go on a line of their own. */
static void help_row(struct buf *b, struct ui_span **spans, size_t *n,
                     size_t *cap, const char *keys, const char *name,
                     const char *text)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *spans = xrealloc(*spans, *cap * sizeof **spans);
    }
    (*spans)[(*n)++] = (struct ui_span){b->len + 2, strlen(keys),
                                        TR_HELP_KEY};
    if (strlen(keys) > HELP_KEYS)
        buf_addf(b, "  %s\n  %-*s", keys, HELP_KEYS, "");
    else
        buf_addf(b, "  %-*s", HELP_KEYS, keys);
    buf_addf(b, " %-*s ", HELP_NAME, name);
    help_text(b, text, HELP_TEXT_COL);
}

static const char *help_for(int screen, enum keys_action a)
{
    for (size_t i = 0; i < SO_ARRAY_LEN(help_on); i++)
        if (help_on[i].screen == screen && help_on[i].act == a)
            return help_on[i].help;
    return keys_action_help(a);
}

/* What a does on the screens other than `screen`, as "queue: open the
 * selected draft; monitor: pause or resume ..." (screens that do the
 * same named together); screens where it does `same` (may be NULL) are
 * left out. */
static char *help_elsewhere(const struct ui_app *app, int screen,
                            enum keys_action a, const char *same)
{
    struct buf w;
    buf_init(&w);
    int done[UI_SCREEN_COUNT] = {0};
    for (int i = 0; i < UI_SCREEN_COUNT; i++) {
        if (done[i] || i == screen || !app->screens[i]->keys ||
            !ui_screen_takes(app->screens[i], a))
            continue;
        const char *text = help_for(i, a);
        if (same && strcmp(text, same) == 0)
            continue;
        buf_addf(&w, "%s%s", w.len ? "; " : "", app->screens[i]->name);
        for (int j = i + 1; j < UI_SCREEN_COUNT; j++) {
            if (j != screen && app->screens[j]->keys &&
                ui_screen_takes(app->screens[j], a) &&
                strcmp(help_for(j, a), text) == 0) {
                buf_addf(&w, ", %s", app->screens[j]->name);
                done[j] = 1;
            }
        }
        buf_addf(&w, ": %s", text);
    }
    return buf_steal(&w);
}

/* The fixed keys of prompts, menus and questions. */
static void help_modal(struct buf *b, struct ui_span **spans, size_t *n,
                       size_t *cap)
{
    static const char *const rows[][3] = {
        {NULL, "In a prompt (Search:, Limit to:, a note)", NULL},
        {"<Enter>", "answer", "take what is typed"},
        {"<Esc>, ^G", "cancel", "cancel the question, nothing is done"},
        {"<Backspace>", "delete", "delete the character before the cursor"},
        {"^U", "clear", "clear what is typed"},
        {NULL, "In a menu (Reject: why?)", NULL},
        {"j, k", "move", "move the selection"},
        {"<Enter>, 1-9", "pick", "pick the selected item, or by its number"},
        {"<Esc>, q", "cancel", "close the menu, nothing is done"},
        {NULL, "Saving an edit (after e, with the diff shown)", NULL},
        {"y", "save", "record the edit"},
        {"e", "edit again", "back to the editor with your text"},
        {"c, <Esc>", "cancel", "drop the edit, nothing is recorded"},
        {NULL, "Approving a draft with grounding flags (a)", NULL},
        {"y", "approve", "approve it as it is, flags and all"},
        {"n, <Esc>", "back", "back to the draft, nothing is recorded"},
    };
    for (size_t i = 0; i < SO_ARRAY_LEN(rows); i++) {
        if (!rows[i][0])
            buf_addf(b, "\n%s\n", rows[i][1]);
        else
            help_row(b, spans, n, cap, rows[i][0], rows[i][1], rows[i][2]);
    }
}

/* What a does on screen, then where it does something else. */
static char *help_here(const struct ui_app *app, int screen,
                       enum keys_action a)
{
    const char *here = help_for(screen, a);
    char *other = help_elsewhere(app, screen, a, here);
    char *text = *other ? xasprintf("%s; %s", here, other) : xstrdup(here);
    free(other);
    return text;
}

char *ui_pager_help(const struct ui_app *app, int screen,
                    struct ui_span **spans, size_t *nspans)
{
    struct buf b;
    buf_init(&b);
    size_t cap = 0;
    *spans = NULL;
    *nspans = 0;
    const struct ui_screen_ops *here = app->screens[screen];
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 0)
            buf_addf(&b, "On the %s screen\n", here->name);
        else
            buf_adds(&b, "\nOn other screens\n");
        for (int a = 0; a < KA_COUNT; a++) {
            enum keys_action act = (enum keys_action)a;
            int mine = help_global(act) ||
                       (here->keys && ui_screen_takes(here, act));
            if (mine != (pass == 0))
                continue;
            struct buf keys;
            buf_init(&keys);
            keys_describe(app->keys, act, &keys);
            char *text = pass ? help_elsewhere(app, screen, act, NULL)
                              : help_here(app, screen, act);
            help_row(&b, spans, nspans, &cap,
                     keys.len ? buf_cstr(&keys) : "(unbound)",
                     keys_action_name(act), text);
            free(text);
            buf_free(&keys);
        }
    }
    help_modal(&b, spans, nspans, &cap);
    buf_adds(&b, "\nLimit patterns (l, on the queue screen):\n");
    help_text(&b, "  ~w WORKFLOW  ~m MODEL  ~c<0.6  ~c>=0.8  ~g grounding "
                  "flagged  ~e escalated  words (id, title or body); terms "
                  "combine with AND.", 2);
    buf_adds(&b, "\nQueue flags (before the id; after the age):\n");
    help_text(&b, "  ! a grounding flag  E escalated (a supervisor's)  R "
                  "reviews disagree (a resolver's)  C claimed by someone  "
                  "1d! past the workflow's SLA", 2);
    return buf_steal(&b);
}

const struct ui_screen_ops ui_pager_screen = {
    .name = "view",
    .open = pager_open,
    .close = pager_close,
    .draw = pager_draw,
    .key = pager_key,
    .hints = pager_hints,
    .keys = pager_keys,
};
