/*
 * ui_draft: the draft screen. Lays out the draft the session holds (header,
 * folded input, the body with its [n] markers, the citations pane beside it
 * at >= 120 columns or below it when narrower, grounding flags and the
 * hidden-character badge), scrolls, searches and moves between citations.
 * Decisions are in ui_decide. All text is sanitized by the text module.
 */
#define _GNU_SOURCE
#include "signoff/ui/draft.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/grounding.h"
#include "signoff/ui/decide.h"
#include "signoff/ui/prompt.h"

/* The widest the body is laid out (a readable measure). */
#define UI_DRAFT_MEASURE 96
/* Rows above the panes: header, title, input, flags. */
#define DRAFT_HEAD_ROWS 4
/* Search matches highlighted at most. */
#define DRAFT_MAX_MATCHES 1000

/* A laid-out pane: its text, highlight spans and scroll position. */
struct pane {
    char *src;          /* what was laid out (owned) */
    struct text_doc *doc;
    struct ui_span *spans;
    size_t nspans;
    size_t top;
    int width;
};

struct draft_view {
    const struct so_draft *d; /* the session's draft the layout is for */
    unsigned long gen;        /* and its session generation */
    int cols, input_open;
    struct grounding g;
    struct pane left;   /* [input +] body */
    size_t body_base;   /* offset of the body in left.src */
    struct pane right;  /* citations */
    size_t *cite_line;  /* first pane line of each citation */
    size_t hidden;      /* characters shown as tokens, whole draft */
    int focus;          /* 0 body, 1 citations */
    int active;         /* citation index for n/N, -1 none */
    char *search;
    size_t hit;         /* source offset of the current match + 1, 0 none */
    char *overlay_head; /* the edit diff, shown instead of the panes */
    struct pane overlay;
    int guides;         /* w: the guidelines in the citations' pane */
    char *guide_wf;     /* the workflow guide_text is for (NULL: none yet) */
    char *guide_text;   /* its guidelines as the queue gave them, or why
                           they could not be read */
    char *escalation;   /* an escalated draft: who escalated it, why (owned,
                           NULL otherwise) */
};

/* The title line's hints, most wanted first: at 80 columns they all fit
 * in their short form but q. */
static const enum keys_action draft_hints[] = {
    KA_BACK,    KA_APPROVE,   KA_EDIT, KA_REJECT, KA_ESCALATE,
    KA_SKIP,    KA_UNDO,      KA_CITE_NEXT, KA_PANE, KA_REVIEWS,
    KA_PIPE,    KA_MONITOR,   KA_HELP, KA_NONE};

static const enum keys_action draft_keys[] = {
    KA_DOWN,   KA_UP,        KA_PAGE_DOWN, KA_PAGE_UP,  KA_TOP,
    KA_BOTTOM, KA_BACK,      KA_APPROVE,   KA_EDIT,     KA_REJECT,
    KA_ESCALATE, KA_SKIP,    KA_UNDO,      KA_PANE,     KA_CITE_NEXT,
    KA_CITE_PREV, KA_INPUT,  KA_SEARCH,    KA_PIPE,     KA_REVIEWS,
    KA_GUIDELINES, KA_ADOPT, KA_NONE};

static void pane_clear(struct pane *p)
{
    free(p->src);
    text_doc_free(p->doc);
    free(p->spans);
    memset(p, 0, sizeof *p);
}

static void pane_add_span(struct pane *p, size_t off, size_t len,
                          enum theme_role r)
{
    p->spans = xrealloc(p->spans, (p->nspans + 1) * sizeof *p->spans);
    p->spans[p->nspans++] = (struct ui_span){off, len, r};
}

static void pane_layout(struct pane *p, int width)
{
    struct text_opts o = {width > 8 ? width : 8, 0, 0};
    text_doc_free(p->doc);
    p->doc = text_layout(p->src, strlen(p->src), &o);
    p->width = width;
}

static void view_clear(struct draft_view *v)
{
    pane_clear(&v->left);
    pane_clear(&v->right);
    grounding_clear(&v->g);
    free(v->cite_line);
    v->cite_line = NULL;
    v->d = NULL;
}

/* A reason code as the supervisor reads it: its label in the workflow's
 * list with the code ("Against policy (policy)"), the code alone when the
 * list no longer has it, "none given" for an escalation without one. */
static char *reason_text(struct ui_app *app, const char *code)
{
    if (!code || !*code)
        return xstrdup("none given");
    struct ui_guard g = ui_session_guard(&app->session);
    for (size_t i = 0; i < g.nreasons; i++)
        if (strcmp(g.reasons[i].code, code) == 0)
            return xasprintf("%s (%s)", g.reasons[i].label, code);
    return xstrdup(code);
}

/* The live escalation of an escalated draft, as lines above its body:
 * the supervisor decides with the reviewer's reason and note in view. */
static char *escalation_text(struct ui_app *app, const struct so_draft *d)
{
    struct so_decision *v = NULL;
    size_t n = 0;
    struct so_error err;
    so_error_clear(&err);
    if (app->q->ops->decisions(app->q, d->id, &v, &n, &err) != SO_OK)
        return xasprintf("Escalated (the escalation cannot be read: %s)\n\n",
                         err.msg);
    char *out = NULL;
    for (size_t i = n; i-- > 0 && !out;) {
        if (v[i].action != SO_ACT_ESCALATE)
            continue;
        int undone = 0;
        for (size_t j = i + 1; j < n; j++)
            undone |= v[j].reverts_seq == v[i].seq;
        if (!undone) {
            char *why = reason_text(app, v[i].reason);
            out = xasprintf("Escalated by %s, reason: %s\nNote: %s\n\n",
                            v[i].reviewer, why,
                            v[i].note && *v[i].note ? v[i].note : "(none)");
            free(why);
        }
    }
    for (size_t i = 0; i < n; i++)
        so_decision_clear(&v[i]);
    free(v);
    return out ? out : xstrdup("Escalated (no escalation on record)\n\n");
}

static void *draft_open(struct ui_app *app)
{
    (void)app;
    struct draft_view *v = xcalloc(1, sizeof *v);
    v->active = -1;
    return v;
}

static void draft_close(void *state)
{
    struct draft_view *v = state;
    view_clear(v);
    pane_clear(&v->overlay);
    free(v->overlay_head);
    free(v->search);
    free(v->guide_wf);
    free(v->guide_text);
    free(v->escalation);
    free(v);
}

/* Pane widths for the terminal: beside at >= UI_DRAFT_WIDE columns. */
static void pane_widths(const struct ui_app *app, int *lw, int *rw)
{
    if (app->cols >= UI_DRAFT_WIDE) {
        /* A body wider than this is hard to read; the citations take the
         * rest. */
        *lw = app->cols * 3 / 5 - 1;
        if (*lw > UI_DRAFT_MEASURE)
            *lw = UI_DRAFT_MEASURE;
        *rw = app->cols - *lw - 2;
    } else {
        *lw = *rw = app->cols - 1;
    }
}

/* A one-line field inside the citations pane: newlines become spaces so
 * a hostile title cannot fake the pane's structure. */
static void add_field(struct buf *b, const char *s)
{
    size_t from = b->len;
    buf_adds(b, s ? s : "");
    for (size_t i = from; i < b->len; i++)
        if (b->data[i] == '\n' || b->data[i] == '\r')
            b->data[i] = ' ';
}

/* add_field, highlighted in role r. */
static void add_marked(struct pane *p, struct buf *b, const char *s,
                       enum theme_role r)
{
    size_t from = b->len;
    add_field(b, s);
    pane_add_span(p, from, b->len - from, r);
}

static int has_number(int n, const int *a, size_t na)
{
    for (size_t i = 0; i < na; i++)
        if (a[i] == n)
            return 1;
    return 0;
}

static void build_citation(struct draft_view *v, struct buf *b, size_t i)
{
    const struct so_citation *c = &v->d->citations[i];
    struct pane *p = &v->right;
    size_t head = b->len;
    buf_addf(b, "[%d] ", c->n);
    pane_add_span(p, head, b->len - head - 1,
                  (int)i == v->active ? TR_MARKER_ACTIVE : TR_MARKER);
    add_marked(p, b, c->title ? c->title : "(no title)", TR_CITE_TITLE);
    buf_adds(b, "\n");
    add_marked(p, b, c->uri, TR_CITE_URI);
    buf_adds(b, "\n");
    size_t e = b->len, off, len;
    buf_adds(b, c->excerpt ? c->excerpt : "");
    int bad = has_number(c->n, v->g.bad_quotes, v->g.nbad_quotes);
    /* The quote where it is; for a quote not found, the passage closest to
     * it, so the reviewer compares the two. */
    int closest = bad && grounding_quote_closest(c->excerpt, c->quote, &off,
                                                 &len);
    if (closest || (!bad && grounding_quote_locate(c->excerpt, c->quote,
                                                   &off, &len)))
        pane_add_span(p, e + off, len, closest ? TR_SEARCH : TR_QUOTE);
    buf_adds(b, "\n");
    size_t f = b->len;
    if (bad) {
        buf_adds(b, "! quote not found in this excerpt");
        buf_adds(b, closest ? " (closest passage highlighted):\n"
                            : " (nothing close in it):\n");
        pane_add_span(p, f, b->len - f, TR_CITE_MISSING);
        buf_adds(b, "  \"");
        add_marked(p, b, c->quote, TR_CITE_MISSING);
        buf_adds(b, "\"\n");
        f = b->len;
    }
    if (has_number(c->n, v->g.unreferenced, v->g.nunreferenced))
        buf_adds(b, "! never referenced in the body\n");
    if (b->len > f)
        pane_add_span(p, f, b->len - f, TR_CITE_MISSING);
    buf_adds(b, "\n");
}

/* The guidelines of the draft's workflow, asked of the queue once per
 * workflow (a change of workflow asks again). */
static void fetch_guidelines(struct ui_app *app, struct draft_view *v)
{
    if (v->guide_wf && strcmp(v->guide_wf, v->d->workflow) == 0)
        return;
    struct so_workflow w = {0};
    struct so_error err;
    so_error_clear(&err);
    free(v->guide_wf);
    free(v->guide_text);
    v->guide_wf = xstrdup(v->d->workflow);
    if (app->q->ops->workflow_get(app->q, v->d->workflow, &w, &err) != SO_OK)
        v->guide_text = xasprintf("! guidelines not read: %s\n", err.msg);
    else if (!w.guidelines)
        v->guide_text = xasprintf(
            "(no guidelines for %s: a supervisor sets them with\n"
            "signoff workflow set %s --guidelines-file FILE)\n",
            v->d->workflow, v->d->workflow);
    else
        v->guide_text = xstrdup(w.guidelines);
    so_workflow_clear(&w);
}

static void build_guidelines(struct ui_app *app, struct draft_view *v,
                             int width)
{
    pane_clear(&v->right);
    fetch_guidelines(app, v);
    v->right.src = xstrdup(v->guide_text);
    pane_layout(&v->right, width);
}

static void build_right(struct draft_view *v, int width)
{
    struct buf b;
    buf_init(&b);
    size_t *starts = xcalloc(v->d->ncitations + 1, sizeof *starts);
    pane_clear(&v->right);
    for (size_t i = 0; i < v->d->ncitations; i++) {
        starts[i] = b.len;
        build_citation(v, &b, i);
    }
    size_t f = b.len;
    for (size_t i = 0; i < v->g.nmissing; i++)
        buf_addf(&b, "! [%d] is in the body but has no citation\n",
                 v->g.missing[i]);
    if (b.len > f)
        pane_add_span(&v->right, f, b.len - f, TR_CITE_MISSING);
    if (v->d->ncitations == 0 && b.len == 0)
        buf_adds(&b, "(no citations)\n");
    v->right.src = buf_steal(&b);
    pane_layout(&v->right, width);
    free(v->cite_line);
    v->cite_line = xcalloc(v->d->ncitations + 1, sizeof *v->cite_line);
    for (size_t i = 0; i < v->d->ncitations; i++) {
        int col;
        text_doc_locate(v->right.doc, starts[i], &v->cite_line[i], &col);
    }
    free(starts);
}

/* Markers (flagged when they have no citation, active ones reversed) and
 * search matches over the left pane. */
static void left_spans(struct draft_view *v)
{
    struct pane *p = &v->left;
    free(p->spans);
    p->spans = NULL;
    p->nspans = 0;
    int active_n = v->active >= 0 ? v->d->citations[v->active].n : -1;
    for (size_t i = 0; i < v->g.nmarkers; i++) {
        const struct grounding_marker *m = &v->g.markers[i];
        enum theme_role r = m->citation < 0 ? TR_CITE_MISSING
                            : m->n == active_n ? TR_MARKER_ACTIVE
                                               : TR_MARKER;
        pane_add_span(p, v->body_base + m->off, m->len, r);
    }
    size_t slen = v->search ? strlen(v->search) : 0;
    const char *s = p->src;
    for (size_t k = 0; slen && k < DRAFT_MAX_MATCHES; k++) {
        const char *hit = strcasestr(s, v->search);
        if (!hit)
            break;
        pane_add_span(p, (size_t)(hit - p->src), slen, TR_SEARCH);
        s = hit + slen;
    }
}

static void build_left(struct draft_view *v, int width)
{
    pane_clear(&v->left);
    const char *body = v->d->body ? v->d->body : "";
    if ((v->input_open && v->d->input) || v->escalation) {
        struct buf b;
        buf_init(&b);
        if (v->escalation)
            buf_adds(&b, v->escalation);
        if (v->input_open && v->d->input) {
            buf_adds(&b, "Input:\n");
            buf_adds(&b, v->d->input);
            buf_adds(&b, "\n\n");
        }
        buf_adds(&b, "Draft:\n");
        v->body_base = b.len;
        buf_adds(&b, body);
        v->left.src = buf_steal(&b);
    } else {
        v->body_base = 0;
        v->left.src = xstrdup(body);
    }
    pane_layout(&v->left, width);
}

/* Lay the draft out again when it, the width or the input fold changed. */
static void ensure_layout(struct ui_app *app, struct draft_view *v)
{
    const struct so_draft *d = app->session.draft;
    unsigned long gen = app->session.generation;
    if (v->d == d && v->gen == gen && v->cols == app->cols)
        return;
    int fresh = v->d != d || v->gen != gen;
    view_clear(v);
    v->d = d;
    v->gen = gen;
    v->cols = app->cols;
    if (!d)
        return;
    if (fresh) {
        v->active = -1;
        v->focus = 0;
        v->hit = 0;
        v->input_open = 0;
        free(v->escalation);
        v->escalation =
            d->status == SO_DS_ESCALATED ? escalation_text(app, d) : NULL;
    }
    int lw, rw;
    pane_widths(app, &lw, &rw);
    grounding_check(d, &v->g);
    build_left(v, lw);
    build_right(v, rw);
    v->hidden = v->left.doc->hidden + v->right.doc->hidden;
    if (v->guides)
        build_guidelines(app, v, rw);
    if (!v->input_open && d->input) {
        struct text_doc *in = text_layout(d->input, strlen(d->input), NULL);
        v->hidden += in->hidden;
        text_doc_free(in);
    }
    if (d->title) {
        struct text_doc *t = text_layout(d->title, strlen(d->title), NULL);
        v->hidden += t->hidden;
        text_doc_free(t);
    }
}

static void draft_overlay(struct ui_app *app, void *state, const char *heading,
                          char *text, struct ui_span *spans, size_t nspans)
{
    struct draft_view *v = state;
    pane_clear(&v->overlay);
    free(v->overlay_head);
    v->overlay_head = NULL;
    if (!text) {
        free(spans);
        return;
    }
    v->overlay_head = xstrdup(heading);
    v->overlay.src = text;
    v->overlay.spans = spans;
    v->overlay.nspans = nspans;
    pane_layout(&v->overlay, app->cols - 1);
}

/* The grounding flags and the hidden-character badge, on one line. */
static void draw_flags(struct ui_app *app, struct draft_view *v, int y)
{
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < v->g.nmissing; i++)
        buf_addf(&b, "! [%d] has no citation  ", v->g.missing[i]);
    for (size_t i = 0; i < v->g.nbad_quotes; i++)
        buf_addf(&b, "! quote of [%d] not in its excerpt  ",
                 v->g.bad_quotes[i]);
    for (size_t i = 0; i < v->g.nunreferenced; i++)
        buf_addf(&b, "! citation [%d] never referenced  ",
                 v->g.unreferenced[i]);
    if (v->hidden)
        buf_addf(&b, "%zu hidden characters  ", v->hidden);
    if (b.len)
        ui_draw_text(app->body, y, 0, app->cols, buf_cstr(&b),
                     TR_CITE_MISSING);
    else
        ui_draw_text(app->body, y, 0, app->cols,
                     "grounding: every marker has its citation", TR_INPUT);
    buf_free(&b);
}

static void draw_header(struct ui_app *app, struct draft_view *v)
{
    const struct so_draft *d = v->d;
    char age[16], conf[16] = "-";
    so_format_age(so_now_ms(), d->created_at, age);
    if (d->confidence >= 0)
        snprintf(conf, sizeof conf, "%.2f", d->confidence);
    char step[48] = "";
    if (d->status == SO_DS_ESCALATED)
        snprintf(step, sizeof step, "  escalated: your decision is final");
    else if (d->status == SO_DS_RESOLVE)
        snprintf(step, sizeof step, "  resolve: reviews disagree");
    else if (d->reviews_needed > 1)
        snprintf(step, sizeof step, "  review %d of %d", d->reviews_done + 1,
                 d->reviews_needed);
    char *head = xasprintf("%s  %s%s  %s  conf %s  age %s  prio %d", d->id,
                           d->workflow, step, d->model ? d->model : "-", conf,
                           age, d->priority);
    ui_draw_text(app->body, 0, 0, app->cols, head, TR_LABEL);
    free(head);
    int x = ui_draw_text(app->body, 1, 0, 7, "Title: ", TR_LABEL);
    ui_draw_text(app->body, 1, x, app->cols - x,
                 d->title ? d->title : "(untitled)", TR_NORMAL);
    x = ui_draw_text(app->body, 2, 0, 7, "Input: ", TR_LABEL);
    if (v->input_open)
        ui_draw_text(app->body, 2, x, app->cols - x,
                     "(shown above the draft; i folds it)", TR_INPUT);
    else
        ui_draw_text(app->body, 2, x, app->cols - x,
                     d->input ? d->input : "(none)", TR_INPUT);
    draw_flags(app, v, 3);
}

/* Draw pane p in the rectangle (y, x, rows) under its title line. */
static void draw_pane(struct ui_app *app, struct pane *p, const char *title,
                      int focused, int y, int x, int rows)
{
    size_t view = rows > 1 ? (size_t)rows - 1 : 1;
    if (p->top + view > p->doc->nlines)
        p->top = p->doc->nlines > view ? p->doc->nlines - view : 0;
    /* Where the view is in a pane longer than it: lines, the share read
     * so far, and whether more is below. */
    char *head = NULL;
    if (p->doc->nlines > view) {
        size_t last = p->top + view, n = p->doc->nlines;
        head = xasprintf("%s  lines %zu-%zu of %zu, %zu%%%s", title,
                         p->top + 1, last, n, last * 100 / n,
                         last < n ? "  \u2193 more below" : "  (end)");
    }
    ui_draw_text(app->body, y, x, p->width, head ? head : title,
                 focused ? TR_PANE : TR_LABEL);
    free(head);
    /* A pane of one row is its title alone: drawing a line under it would
     * run into the pane below (at 50x10 the citations' title was drawn over
     * a body line, leaving its tail on screen). */
    for (size_t i = 0; (int)i < rows - 1 && p->top + i < p->doc->nlines; i++)
        ui_draw_doc_line(app->body, y + 1 + (int)i, x, p->doc, p->top + i,
                         TR_NORMAL, p->spans, p->nspans);
}

/* Rows of the body pane (with its title line). Beside the citations it
 * has the full height; above them, what a short body needs (at least a
 * third, at most three fifths), the rest going to the citations. */
static int left_rows(const struct ui_app *app, const struct draft_view *v)
{
    int avail = app->rows - DRAFT_HEAD_ROWS;
    if (app->cols >= UI_DRAFT_WIDE)
        return avail;
    int need = (int)v->left.doc->nlines + 1;
    /* At least the title and one line of the body, however short the
     * terminal (at 50x10 a third was the title alone: no text at all). */
    int least = avail / 3 < 2 ? (avail < 2 ? avail : 2) : avail / 3;
    int most = avail * 3 / 5 < least ? least : avail * 3 / 5;
    return need > most ? most : need < least ? least : need;
}

static void draft_draw(struct ui_app *app, void *state)
{
    struct draft_view *v = state;
    ensure_layout(app, v);
    if (!v->d) {
        ui_draw_text(app->body, 1, 2, app->cols - 2,
                     "No draft is open. q goes back to the queue.", TR_NORMAL);
        return;
    }
    /* Keys typed before this draft was drawn were meant for another. */
    if (ui_session_shown(&app->session))
        ui_app_flush_input(app);
    left_spans(v);
    draw_header(app, v);
    int avail = app->rows - DRAFT_HEAD_ROWS, top = DRAFT_HEAD_ROWS;
    if (v->overlay_head) {
        if (v->overlay.width != app->cols - 1)
            pane_layout(&v->overlay, app->cols - 1);
        draw_pane(app, &v->overlay, v->overlay_head, 1, top, 0, avail);
        return;
    }
    char *ctitle = v->guides
                       ? xasprintf("Guidelines: %s  w: citations%s",
                                   v->d->workflow,
                                   v->focus ? "" : "  Tab: scroll")
                       : xasprintf("Citations (%zu)%s", v->d->ncitations,
                                   v->focus ? "" : "  Tab: scroll them");
    int lr = left_rows(app, v);
    draw_pane(app, &v->left, "Draft", v->focus == 0, top, 0, lr);
    if (app->cols >= UI_DRAFT_WIDE) {
        wattrset(app->body, ui_draw_attr(TR_LABEL));
        mvwvline(app->body, top, v->left.width + 1, '|', avail);
        draw_pane(app, &v->right, ctitle, v->focus == 1, top,
                  v->left.width + 2, avail);
    } else if (avail - lr > 0) {
        draw_pane(app, &v->right, ctitle, v->focus == 1, top + lr, 0,
                  avail - lr);
    }
    free(ctitle);
}

static struct pane *focused_pane(struct draft_view *v)
{
    return v->overlay_head ? &v->overlay : v->focus ? &v->right : &v->left;
}

static void pane_scroll(struct pane *p, long delta)
{
    if (delta < 0)
        p->top = p->top > (size_t)-delta ? p->top - (size_t)-delta : 0;
    else
        p->top += (size_t)delta;
}

/* Bring source offset off of the left pane into view. */
static void show_left_offset(struct draft_view *v, size_t off)
{
    size_t line;
    int col;
    if (text_doc_locate(v->left.doc, off, &line, &col) == 0)
        v->left.top = line > 2 ? line - 2 : 0;
}

/* n / N: the next or previous citation, its markers highlighted. */
static void cite_step(struct ui_app *app, struct draft_view *v, int dir)
{
    int n = (int)v->d->ncitations;
    if (n == 0) {
        ui_app_message(app, 0, "this draft has no citations");
        return;
    }
    v->active = v->active < 0 ? (dir > 0 ? 0 : n - 1)
                              : (v->active + dir + n) % n;
    build_right(v, v->right.width);
    v->right.top = v->cite_line[v->active];
    int cn = v->d->citations[v->active].n;
    for (size_t i = 0; i < v->g.nmarkers; i++) {
        if (v->g.markers[i].n == cn) {
            show_left_offset(v, v->body_base + v->g.markers[i].off);
            return;
        }
    }
    ui_app_message(app, 1, "citation [%d] is never referenced in the body",
                   cn);
}

/* /: find the next match (an empty answer repeats the last search). */
static enum ui_next search(struct ui_app *app, struct draft_view *v)
{
    char *s = NULL;
    enum ui_answer a = ui_prompt_line(app, "Search: ", NULL, &s);
    if (a == UI_QUITTING)
        return UI_QUIT;
    if (a != UI_ANSWERED)
        return UI_REDRAW;
    if (*s) {
        free(v->search);
        v->search = s;
        v->hit = 0;
    } else {
        free(s);
    }
    if (!v->search || !*v->search)
        return UI_REDRAW;
    const char *from = v->left.src + v->hit;
    const char *hit = strcasestr(from, v->search);
    if (!hit && v->hit)
        hit = strcasestr(v->left.src, v->search);
    if (!hit) {
        ui_app_message(app, 1, "not found: %s", v->search);
        return UI_REDRAW;
    }
    v->hit = (size_t)(hit - v->left.src) + 1;
    v->focus = 0;
    show_left_offset(v, v->hit - 1);
    return UI_REDRAW;
}

static enum ui_next view_key(struct ui_app *app, struct draft_view *v,
                             enum keys_action act)
{
    long page = app->rows > 8 ? (app->rows - DRAFT_HEAD_ROWS) / 2 : 1;
    struct pane *p = focused_pane(v);
    switch (act) {
    case KA_DOWN:
        pane_scroll(p, 1);
        return UI_REDRAW;
    case KA_UP:
        pane_scroll(p, -1);
        return UI_REDRAW;
    case KA_PAGE_DOWN:
        pane_scroll(p, page);
        return UI_REDRAW;
    case KA_PAGE_UP:
        pane_scroll(p, -page);
        return UI_REDRAW;
    case KA_TOP:
        p->top = 0;
        return UI_REDRAW;
    case KA_BOTTOM:
        p->top = p->doc->nlines;
        return UI_REDRAW;
    case KA_PANE:
        v->focus = !v->focus;
        return UI_REDRAW;
    case KA_CITE_NEXT:
    case KA_CITE_PREV:
        if (v->guides) { /* n/N are about citations: show them again */
            v->guides = 0;
            v->cols = 0;
            ensure_layout(app, v);
        }
        cite_step(app, v, act == KA_CITE_NEXT ? 1 : -1);
        return UI_REDRAW;
    case KA_GUIDELINES:
        v->guides = !v->guides;
        v->right.top = 0;
        v->cols = 0; /* lay out again */
        return UI_REDRAW;
    case KA_INPUT:
        v->input_open = !v->input_open;
        v->cols = 0; /* lay out again */
        return UI_REDRAW;
    case KA_SEARCH:
        return search(app, v);
    default:
        return UI_STAY;
    }
}

static enum ui_next draft_key(struct ui_app *app, void *state,
                              enum keys_action act, int ch)
{
    struct draft_view *v = state;
    (void)ch;
    ensure_layout(app, v);
    if (!v->d)
        return act == KA_BACK ? UI_GO_QUEUE : UI_STAY;
    enum ui_next next = view_key(app, v, act);
    if (next != UI_STAY)
        return next;
    return ui_decide_key(app, act);
}

const struct ui_screen_ops ui_draft_screen = {
    .name = "draft",
    .open = draft_open,
    .close = draft_close,
    .draw = draft_draw,
    .key = draft_key,
    .hints = draft_hints,
    .keys = draft_keys,
    .overlay = draft_overlay,
};
