/*
 * ui_prompt: modal questions. Each waits for keys through ui_app_getkey
 * (which keeps renewing the lease and redraws after a resize) and draws on
 * top of ui_app_draw's frame. Typed text is UTF-8 and may hold anything the
 * terminal sends; it is shown through the sanitizer like every other text.
 */
#include "signoff/ui/prompt.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "signoff/text.h"
#include "signoff/ui/draw.h"

#define PROMPT_MAX (16u << 10)

/* Remove the last UTF-8 character of b. */
static void drop_last_char(struct buf *b)
{
    while (b->len > 0) {
        unsigned char c = (unsigned char)b->data[--b->len];
        if ((c & 0xC0) != 0x80)
            break;
    }
    if (b->data)
        b->data[b->len] = '\0';
}

static void add_char(struct buf *b, int ch)
{
    char enc[4];
    size_t n = text_utf8_encode((uint32_t)ch, enc);
    if (n && b->len + n < PROMPT_MAX)
        buf_add(b, enc, n);
}

enum ui_answer ui_prompt_line(struct ui_app *app, const char *label,
                              const char *initial, char **out)
{
    struct buf b;
    buf_init(&b);
    buf_adds(&b, initial ? initial : "");
    enum ui_answer ans = UI_CANCELLED;
    app->prompt = label;
    ui_app_flush_input(app); /* keys typed before it was drawn */
    for (;;) {
        app->prompt_text = buf_cstr(&b);
        ui_app_draw(app);
        int ch = 0, func = 0;
        enum ui_input in = ui_app_getkey(app, &ch, &func);
        if (in == UI_IN_QUIT) {
            ans = UI_QUITTING;
            break;
        }
        if (in == UI_IN_RESIZE)
            continue;
        if ((!func && (ch == '\r' || ch == '\n')) || (func && ch == KEY_ENTER)) {
            ans = UI_ANSWERED;
            break;
        }
        if (!func && (ch == 27 || ch == 7))
            break;
        if ((func && ch == KEY_BACKSPACE) || (!func && (ch == 127 || ch == 8)))
            drop_last_char(&b);
        else if (!func && ch == 21) /* ^U */
            buf_reset(&b);
        else if (!func && ch >= 0x20 && ch != 0x7f)
            add_char(&b, ch);
    }
    app->prompt = NULL;
    app->prompt_text = NULL;
    *out = ans == UI_ANSWERED ? xstrdup(buf_cstr(&b)) : NULL;
    buf_free(&b);
    return ans;
}

enum ui_answer ui_prompt_choice(struct ui_app *app, const char *question,
                                const char *keys, int *choice)
{
    enum ui_answer ans = UI_CANCELLED;
    app->prompt = question;
    app->prompt_text = "";
    ui_app_flush_input(app);
    for (;;) {
        ui_app_draw(app);
        int ch = 0, func = 0;
        enum ui_input in = ui_app_getkey(app, &ch, &func);
        if (in == UI_IN_QUIT) {
            ans = UI_QUITTING;
            break;
        }
        if (in == UI_IN_RESIZE || func)
            continue;
        if (ch == 27 || ch == 7)
            break;
        if (ch > 0 && ch < 0x80 && strchr(keys, ch)) {
            *choice = ch;
            ans = UI_ANSWERED;
            break;
        }
    }
    app->prompt = NULL;
    app->prompt_text = NULL;
    return ans;
}

/* An open menu: what draw_menu shows over every frame. */
struct menu {
    const char *title;
    const char *const *labels;
    size_t n, sel;
    size_t top; /* the first item shown when not all fit */
};

/* The menu box over the body, item sel highlighted; ui_app_draw calls it
 * last (app->on_top), so the lease countdown's redraw keeps it. */
static void draw_menu(struct ui_app *app, void *ctx)
{
    struct menu *m = ctx;
    if (app->tiny)
        return;
    int w = app->cols < 60 ? app->cols : 60;
    int h = (int)m->n + 4 > app->rows ? app->rows : (int)m->n + 4;
    WINDOW *win = newwin(h, w, 1 + (app->rows - h) / 2, (app->cols - w) / 2);
    if (!win)
        return;
    /* Not all items fit (a short terminal): the list scrolls with the
     * selection, and the blank rows above and below it say what is out of
     * view. */
    size_t shown = h > 4 ? (size_t)h - 4 : 1;
    if (m->sel < m->top)
        m->top = m->sel;
    if (m->sel >= m->top + shown)
        m->top = m->sel - shown + 1;
    wattrset(win, ui_draw_attr(TR_NORMAL));
    werase(win);
    box(win, 0, 0);
    ui_draw_text(win, 0, 2, w - 4, m->title, TR_PANE);
    if (m->top > 0) {
        char *more = xasprintf("  ^ %zu more", m->top);
        ui_draw_text(win, 1, 1, w - 2, more, TR_LABEL);
        free(more);
    }
    if (m->top + shown < m->n && h > 4) {
        char *more = xasprintf("  v %zu more", m->n - m->top - shown);
        ui_draw_text(win, h - 2, 1, w - 2, more, TR_LABEL);
        free(more);
    }
    for (size_t k = 0; k < shown && m->top + k < m->n; k++) {
        size_t i = m->top + k;
        enum theme_role r = i == m->sel ? TR_CURSOR : TR_NORMAL;
        wattrset(win, ui_draw_attr(r));
        mvwhline(win, (int)k + 2, 1, ' ', w - 2);
        char num[24];
        snprintf(num, sizeof num, " %zu ", i + 1);
        mvwaddstr(win, (int)k + 2, 1, i < 9 ? num : "   ");
        ui_draw_text(win, (int)k + 2, 4, w - 6, m->labels[i], r);
    }
    wnoutrefresh(win);
    delwin(win);
}

/* One menu key: 1 chosen, 0 go on, -1 cancelled. */
static int menu_key(struct ui_app *app, int ch, int func, size_t n,
                    size_t *sel)
{
    enum keys_action act = func || ch < 0x80 ? keys_lookup(app->keys, ch)
                                              : KA_NONE;
    if (!func && ch >= '1' && ch <= '9' && (size_t)(ch - '1') < n) {
        *sel = (size_t)(ch - '1');
        return 1;
    }
    if ((!func && (ch == '\r' || ch == '\n')) || (func && ch == KEY_ENTER))
        return 1;
    if ((!func && (ch == 27 || ch == 7)) || act == KA_BACK)
        return -1;
    if (act == KA_DOWN && *sel + 1 < n)
        (*sel)++;
    else if (act == KA_UP && *sel > 0)
        (*sel)--;
    return 0;
}

enum ui_answer ui_prompt_menu(struct ui_app *app, const char *title,
                              const char *const *labels, size_t n,
                              size_t *index)
{
    struct menu m = {title, labels, n, 0, 0};
    app->prompt = "Pick one: j/k and Enter, or its number; Esc cancels";
    app->prompt_text = "";
    app->on_top = draw_menu;
    app->on_top_ctx = &m;
    enum ui_answer ans = UI_CANCELLED;
    ui_app_flush_input(app); /* keys typed before it was drawn */
    for (;;) {
        ui_app_draw(app);
        int ch = 0, func = 0;
        enum ui_input in = ui_app_getkey(app, &ch, &func);
        if (in == UI_IN_QUIT) {
            ans = UI_QUITTING;
            break;
        }
        if (in == UI_IN_RESIZE)
            continue;
        int r = menu_key(app, ch, func, n, &m.sel);
        if (r != 0) {
            ans = r > 0 ? UI_ANSWERED : UI_CANCELLED;
            break;
        }
    }
    app->prompt = NULL;
    app->prompt_text = NULL;
    app->on_top = NULL;
    app->on_top_ctx = NULL;
    *index = m.sel;
    return ans;
}
