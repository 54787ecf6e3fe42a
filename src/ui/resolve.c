/*
 * ui_resolve: the four-eyes resolve view (see ui_resolve.h): a table of
 * the live reviews, then word diffs of each edit against the draft and of
 * every two edits against each other, handed to the pager. Table cells go
 * through text_plain (sanitized, cut to their column); diff text is laid
 * out by the pager, which sanitizes it. Must not record decisions.
 */
#include "signoff/ui/resolve.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/diff.h"
#include "signoff/text.h"
#include "signoff/ui/pager.h"

/* The spans being collected for the text. */
struct spans {
    struct ui_span *v;
    size_t n, cap;
};

static void span_add(struct spans *s, size_t off, size_t len,
                     enum theme_role role)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = (struct ui_span){off, len, role};
}

/* 1 when decision i is a review no later revert undid. */
static int is_live_review(const struct so_decision *v, size_t n, size_t i)
{
    if (v[i].action == SO_ACT_REVERT ||
        (v[i].kind && strcmp(v[i].kind, "review") != 0))
        return 0;
    for (size_t j = i + 1; j < n; j++)
        if (v[j].reverts_seq == v[i].seq)
            return 0;
    return 1;
}

static void add_cell(struct buf *b, const char *text, int width)
{
    char *cell = text_plain(text && *text ? text : "-", width, 1);
    buf_adds(b, cell);
    buf_adds(b, "  ");
    free(cell);
}

static void add_table(struct buf *b, struct spans *sp,
                      const struct so_decision *v, size_t n)
{
    size_t from = b->len;
    buf_adds(b, "REVIEWER              ACTION    REASON        WORDS  NOTE");
    span_add(sp, from, b->len - from, TR_LABEL);
    buf_addc(b, '\n');
    for (size_t i = 0; i < n; i++) {
        if (!is_live_review(v, n, i))
            continue;
        add_cell(b, v[i].reviewer, 20);
        add_cell(b, so_action_name(v[i].action), 8);
        add_cell(b, v[i].reason, 12);
        buf_addf(b, "%5lld  ", (long long)v[i].edit_size);
        char *note = text_plain(v[i].note && *v[i].note ? v[i].note : "-", 0,
                                0);
        buf_adds(b, note);
        free(note);
        buf_addc(b, '\n');
    }
}

/* "Heading:\n" then the word diff of old_text -> new_text, marked. */
static void add_diff(struct buf *b, struct spans *sp, const char *heading,
                     const char *old_text, const char *new_text)
{
    size_t from = b->len;
    buf_addf(b, "\n%s\n", heading);
    span_add(sp, from + 1, strlen(heading), TR_LABEL);
    struct diff *d = diff_words(old_text, new_text);
    for (size_t i = 0; i < d->nops; i++) {
        const struct diff_op *op = &d->ops[i];
        if (op->kind == DIFF_EQUAL) {
            buf_add(b, op->text, op->len);
            continue;
        }
        int del = op->kind == DIFF_DELETE;
        from = b->len;
        buf_adds(b, del ? "[-" : "{+");
        buf_add(b, op->text, op->len);
        buf_adds(b, del ? "-]" : "+}");
        span_add(sp, from, b->len - from, del ? TR_DIFF_DEL : TR_DIFF_ADD);
    }
    buf_addc(b, '\n');
    diff_free(d);
}

static void add_diffs(struct buf *b, struct spans *sp, const char *body,
                      const struct so_decision *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!is_live_review(v, n, i) || v[i].action != SO_ACT_EDIT)
            continue;
        char *who = text_plain(v[i].reviewer, 40, 0);
        char *h = xasprintf("Edit by %s against the draft:", who);
        add_diff(b, sp, h, body, v[i].final_body);
        free(h);
        for (size_t j = i + 1; j < n; j++) {
            if (!is_live_review(v, n, j) || v[j].action != SO_ACT_EDIT)
                continue;
            char *other = text_plain(v[j].reviewer, 40, 0);
            h = xasprintf("Edit by %s against the edit by %s:", other, who);
            add_diff(b, sp, h, v[i].final_body, v[j].final_body);
            free(h);
            free(other);
        }
        free(who);
    }
}

enum so_status ui_resolve_reviews(struct ui_app *app, struct so_decision **out,
                                  size_t *n, struct so_error *err)
{
    struct so_decision *v = NULL;
    size_t all = 0, k = 0;
    *out = NULL;
    *n = 0;
    enum so_status st = app->q->ops->decisions(app->q, app->session.draft->id,
                                               &v, &all, err);
    if (st != SO_OK)
        return st;
    /* Liveness looks at later records, so decide it for all first. */
    int *live = xcalloc(all + 1, sizeof *live);
    for (size_t i = 0; i < all; i++)
        live[i] = is_live_review(v, all, i);
    for (size_t i = 0; i < all; i++) {
        if (live[i])
            v[k++] = v[i];
        else
            so_decision_clear(&v[i]);
    }
    free(live);
    *out = v;
    *n = k;
    return SO_OK;
}

char *ui_resolve_text(struct ui_app *app, struct ui_span **spans,
                      size_t *nspans, struct so_error *err)
{
    const struct so_draft *d = app->session.draft;
    struct so_decision *v = NULL;
    size_t n = 0;
    if (app->q->ops->decisions(app->q, d->id, &v, &n, err) != SO_OK)
        return NULL;
    struct buf b;
    struct spans sp = {0};
    buf_init(&b);
    char *id = text_plain(d->id, 40, 0);
    if (d->status == SO_DS_RESOLVE)
        buf_addf(&b, "%s: the reviews disagree; your decision is final.\n\n",
                 id);
    else
        buf_addf(&b, "%s: %d of %d reviews (others stay hidden until the "
                     "draft is final).\n\n",
                 id, d->reviews_done, d->reviews_needed);
    free(id);
    add_table(&b, &sp, v, n);
    add_diffs(&b, &sp, d->body, v, n);
    for (size_t i = 0; i < n; i++)
        so_decision_clear(&v[i]);
    free(v);
    *spans = sp.v;
    *nspans = sp.n;
    return buf_steal(&b);
}

enum ui_next ui_resolve_open(struct ui_app *app)
{
    if (!app->session.draft)
        return UI_STAY;
    struct ui_span *spans = NULL;
    size_t n = 0;
    struct so_error err;
    so_error_clear(&err);
    char *text = ui_resolve_text(app, &spans, &n, &err);
    if (!text) {
        ui_app_message(app, 1, "reviews: %s", err.msg);
        return UI_REDRAW;
    }
    char *heading = xasprintf("reviews of %s", app->session.draft->id);
    ui_pager_open(app, heading, text, spans, n);
    free(heading);
    return UI_GO_PAGER;
}
