/*
 * agreement: percent agreement and Cohen's kappa from the confusion-matrix
 * cells the store keeps (see agreement.h for the definitions), and their
 * text for stats and the monitor, and their wire form for the remote
 * protocol. JSON goes through cJSON and json.h. Must not touch a queue or
 * print.
 */
#include "signoff/agreement.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/escape.h"
#include "signoff/json.h"
#include "signoff/queue.h"
#include "signoff/table.h"
#include "signoff/text.h"

static const char *const category_names[AGREE_NCAT] = {"approve", "edit",
                                                       "reject"};

void agreement_free(struct so_agreement *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->ncells; i++) {
        free(a->cells[i].workflow);
        free(a->cells[i].reviewer_a);
        free(a->cells[i].reviewer_b);
    }
    for (size_t i = 0; i < a->nresolves; i++)
        free(a->resolves[i].workflow);
    free(a->cells);
    free(a->resolves);
    memset(a, 0, sizeof *a);
}

cJSON *agreement_to_json(const struct so_agreement *a)
{
    cJSON *j = json_new_object(), *cells = json_new_array();
    cJSON *res = json_new_array();
    for (size_t i = 0; i < a->ncells; i++) {
        const struct so_agree_cell *c = &a->cells[i];
        cJSON *o = json_new_object();
        json_add_string(o, "workflow", c->workflow);
        json_add_string(o, "reviewer_a", c->reviewer_a);
        json_add_string(o, "reviewer_b", c->reviewer_b);
        json_add_string(o, "action_a", category_names[c->cat_a]);
        json_add_string(o, "action_b", category_names[c->cat_b]);
        json_add_int(o, "n", c->n);
        cJSON_AddItemToArray(cells, o);
    }
    for (size_t i = 0; i < a->nresolves; i++) {
        cJSON *o = json_new_object();
        json_add_string(o, "workflow", a->resolves[i].workflow);
        json_add_int(o, "resolved", a->resolves[i].resolved);
        json_add_int(o, "sided_ai", a->resolves[i].sided_ai);
        cJSON_AddItemToArray(res, o);
    }
    json_add_item(j, "cells", cells);
    json_add_item(j, "resolves", res);
    return j;
}

static enum so_status cell_from_json(const cJSON *o, struct so_agree_cell *c,
                                     struct so_error *err)
{
    const char *wf = NULL, *ra = NULL, *rb = NULL, *xa = NULL, *xb = NULL;
    enum so_status s;
    if ((s = json_get_string(o, "cells", "workflow", JSON_REQUIRED, SO_MAX_ID,
                             &wf, err)) != SO_OK ||
        (s = json_get_string(o, "cells", "reviewer_a", JSON_REQUIRED,
                             SO_MAX_ID, &ra, err)) != SO_OK ||
        (s = json_get_string(o, "cells", "reviewer_b", JSON_REQUIRED,
                             SO_MAX_ID, &rb, err)) != SO_OK ||
        (s = json_get_string(o, "cells", "action_a", JSON_REQUIRED, 16, &xa,
                             err)) != SO_OK ||
        (s = json_get_string(o, "cells", "action_b", JSON_REQUIRED, 16, &xb,
                             err)) != SO_OK ||
        (s = json_get_int(o, "cells", "n", JSON_REQUIRED, 0,
                          JSON_MAX_SAFE_INT, &c->n, err)) != SO_OK)
        return s;
    c->cat_a = agreement_category(xa);
    c->cat_b = agreement_category(xb);
    if (c->cat_a < 0 || c->cat_b < 0)
        return so_fail(err, SO_ERR_PROTOCOL, "cells: unknown action");
    c->workflow = xstrdup(wf);
    c->reviewer_a = xstrdup(ra);
    c->reviewer_b = xstrdup(rb);
    return SO_OK;
}

static enum so_status resolve_from_json(const cJSON *o,
                                        struct so_resolve_count *r,
                                        struct so_error *err)
{
    const char *wf = NULL;
    enum so_status s;
    if ((s = json_get_string(o, "resolves", "workflow", JSON_REQUIRED,
                             SO_MAX_ID, &wf, err)) != SO_OK ||
        (s = json_get_int(o, "resolves", "resolved", JSON_REQUIRED, 0,
                          JSON_MAX_SAFE_INT, &r->resolved, err)) != SO_OK ||
        (s = json_get_int(o, "resolves", "sided_ai", JSON_REQUIRED, 0,
                          r->resolved, &r->sided_ai, err)) != SO_OK)
        return s;
    r->workflow = xstrdup(wf);
    return SO_OK;
}

enum so_status agreement_from_json(const cJSON *j, struct so_agreement *out,
                                   struct so_error *err)
{
    const cJSON *cells = NULL, *res = NULL, *it;
    memset(out, 0, sizeof *out);
    enum so_status s = json_get_array(j, "", "cells", JSON_REQUIRED, 1000000,
                                      &cells, err);
    if (s == SO_OK)
        s = json_get_array(j, "", "resolves", JSON_REQUIRED, 100000, &res,
                           err);
    if (s != SO_OK)
        return s;
    out->cells = xcalloc((size_t)cJSON_GetArraySize(cells) + 1,
                         sizeof *out->cells);
    out->resolves = xcalloc((size_t)cJSON_GetArraySize(res) + 1,
                            sizeof *out->resolves);
    cJSON_ArrayForEach(it, cells) {
        if (s == SO_OK && (s = cell_from_json(it, &out->cells[out->ncells],
                                              err)) == SO_OK)
            out->ncells++;
    }
    cJSON_ArrayForEach(it, res) {
        if (s == SO_OK &&
            (s = resolve_from_json(it, &out->resolves[out->nresolves], err)) ==
                SO_OK)
            out->nresolves++;
    }
    if (s != SO_OK)
        agreement_free(out);
    return s;
}

int agreement_category(const char *action)
{
    for (int i = 0; action && i < AGREE_NCAT; i++)
        if (strcmp(action, category_names[i]) == 0)
            return i;
    return -1;
}

void agreement_compute(const int64_t m[AGREE_NCAT][AGREE_NCAT],
                       struct agreement_figures *out)
{
    int64_t n = 0, diag = 0, row[AGREE_NCAT] = {0}, col[AGREE_NCAT] = {0};
    for (int a = 0; a < AGREE_NCAT; a++)
        for (int b = 0; b < AGREE_NCAT; b++) {
            n += m[a][b];
            row[a] += m[a][b];
            col[b] += m[a][b];
            if (a == b)
                diag += m[a][b];
        }
    memset(out, 0, sizeof *out);
    out->shared = n;
    if (n <= 0)
        return;
    double po = (double)diag / (double)n, pe = 0;
    for (int k = 0; k < AGREE_NCAT; k++)
        pe += ((double)row[k] / (double)n) * ((double)col[k] / (double)n);
    out->percent = po * 100.0;
    /* p_e = 1 only when both used one and the same category; compare the
     * integers, not the rounded double */
    int single = 0;
    for (int k = 0; k < AGREE_NCAT; k++)
        single |= row[k] == n && col[k] == n;
    if (single)
        return;
    out->kappa = (po - pe) / (1.0 - pe);
    out->kappa_defined = 1;
}

/* Index of the line for (wf, a, b) in s, appended when missing. */
static size_t line_for(struct agreement_summary *s, size_t *cap,
                       const char *wf, const char *a, const char *b)
{
    for (size_t i = 0; i < s->n; i++) {
        const struct agreement_line *l = &s->lines[i];
        if (strcmp(l->workflow, wf) == 0 && !l->reviewer_a == !a &&
            (!a || (strcmp(l->reviewer_a, a) == 0 &&
                    strcmp(l->reviewer_b, b) == 0)))
            return i;
    }
    if (s->n == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        s->lines = xrealloc(s->lines, *cap * sizeof *s->lines);
    }
    struct agreement_line *l = &s->lines[s->n];
    memset(l, 0, sizeof *l);
    l->workflow = xstrdup(wf);
    l->reviewer_a = a ? xstrdup(a) : NULL;
    l->reviewer_b = b ? xstrdup(b) : NULL;
    return s->n++;
}

static int line_cmp(const void *x, const void *y)
{
    const struct agreement_line *a = x, *b = y;
    if (!a->reviewer_a != !b->reviewer_a)
        return a->reviewer_a ? 1 : -1; /* workflow lines first */
    int c = strcmp(a->workflow, b->workflow);
    if (c || !a->reviewer_a)
        return c;
    c = strcmp(a->reviewer_a, b->reviewer_a);
    return c ? c : strcmp(a->reviewer_b, b->reviewer_b);
}

void agreement_summarise(const struct so_agreement *a,
                         struct agreement_summary *out)
{
    memset(out, 0, sizeof *out);
    size_t cap = 0;
    /* matrices live beside the lines while summing, same index */
    int64_t(*m)[AGREE_NCAT][AGREE_NCAT] = NULL;
    size_t mcap = 0;
    for (size_t i = 0; i < a->ncells; i++) {
        const struct so_agree_cell *c = &a->cells[i];
        if (c->cat_a < 0 || c->cat_b < 0)
            continue;
        size_t idx[2] = {line_for(out, &cap, c->workflow, NULL, NULL),
                         line_for(out, &cap, c->workflow, c->reviewer_a,
                                  c->reviewer_b)};
        if (out->n > mcap) {
            size_t was = mcap;
            mcap = cap;
            m = xrealloc(m, mcap * sizeof *m);
            memset(m + was, 0, (mcap - was) * sizeof *m);
        }
        for (int k = 0; k < 2; k++)
            m[idx[k]][c->cat_a][c->cat_b] += c->n;
    }
    for (size_t i = 0; i < out->n; i++)
        agreement_compute((const int64_t(*)[AGREE_NCAT])m[i],
                          &out->lines[i].fig);
    free(m);
    for (size_t i = 0; i < a->nresolves; i++) {
        size_t k = line_for(out, &cap, a->resolves[i].workflow, NULL, NULL);
        out->lines[k].resolved = a->resolves[i].resolved;
        out->lines[k].sided_ai = a->resolves[i].sided_ai;
    }
    if (out->n > 1)
        qsort(out->lines, out->n, sizeof *out->lines, line_cmp);
}

void agreement_summary_free(struct agreement_summary *s)
{
    for (size_t i = 0; s && i < s->n; i++) {
        free(s->lines[i].workflow);
        free(s->lines[i].reviewer_a);
        free(s->lines[i].reviewer_b);
    }
    if (s) {
        free(s->lines);
        memset(s, 0, sizeof *s);
    }
}

/* The columns of the table; at a narrow width the empty AGREEMENT column
 * and the resolutions go first (table.h). Cells are made as wide as they
 * always were (a rate "%5.1f%%", a count "%-8lld"). */
static const struct table_col agree_cols[] = {
    {"AGREEMENT", 0, 0, 9, 0, 0}, {"WORKFLOW", 0, 17, 0, 12, 0},
    {"PAIR", 0, 28, 0, 16, 1},    {"SHARED", 1, 0, 2, 0, 1},
    {"AGREE", 0, 0, 0, 0, 0},     {"KAPPA", 0, 0, 3, 0, 0},
    {"RESOLVED", 0, 0, 7, 0, 0},  {"SIDED-AI", 0, 0, 8, 0, 0}};

static void format_table(const struct agreement_summary *s, int width,
                         struct buf *out)
{
    if (!s->n) {
        buf_adds(out, "no four-eyes reviews in this window\n");
        return;
    }
    struct table *t = table_new(agree_cols, SO_ARRAY_LEN(agree_cols), 2);
    for (size_t i = 0; i < s->n; i++) {
        const struct agreement_line *l = &s->lines[i];
        size_t c = 0;
        char *pair = l->reviewer_a
                         ? xasprintf("%s+%s", l->reviewer_a, l->reviewer_b)
                         : xstrdup("(all pairs)");
        table_add(t, c++, xstrdup(""));
        table_add(t, c++, text_plain(l->workflow, 17, 0));
        table_add(t, c++, text_plain(pair, 28, 0));
        free(pair);
        table_add(t, c++, xasprintf("%lld", (long long)l->fig.shared));
        table_add(t, c++, xasprintf("%5.1f%%", l->fig.percent));
        table_add(t, c++, l->fig.kappa_defined
                              ? xasprintf("%-9.3f", l->fig.kappa)
                              : xstrdup("undefined"));
        table_add(t, c++, l->reviewer_a
                              ? xstrdup("-")
                              : xasprintf("%lld", (long long)l->resolved));
        table_add(t, c++, l->reviewer_a
                              ? xstrdup("-")
                              : xasprintf("%lld", (long long)l->sided_ai));
    }
    table_render(t, width, out);
}

static cJSON *line_json(const struct agreement_line *l)
{
    cJSON *o = cJSON_CreateObject();
    json_add_string(o, "workflow", l->workflow);
    json_add_string(o, "reviewer_a", l->reviewer_a);
    json_add_string(o, "reviewer_b", l->reviewer_b);
    cJSON_AddNumberToObject(o, "shared", (double)l->fig.shared);
    cJSON_AddNumberToObject(o, "agreement", l->fig.percent / 100.0);
    if (l->fig.kappa_defined)
        cJSON_AddNumberToObject(o, "kappa", l->fig.kappa);
    else
        cJSON_AddNullToObject(o, "kappa");
    if (!l->reviewer_a) {
        cJSON_AddNumberToObject(o, "resolved", (double)l->resolved);
        cJSON_AddNumberToObject(o, "resolver_sided_ai", (double)l->sided_ai);
    }
    return o;
}

static void format_json(const struct agreement_summary *s,
                        const struct agreement_window *w, struct buf *out)
{
    cJSON *root = json_new_object();
    json_add_string(root, "by", "pair");
    json_add_string(root, "first_day", w->first_day);
    json_add_string(root, "last_day", w->last_day);
    json_add_int(root, "days", (int64_t)w->days);
    cJSON *a = json_new_array();
    for (size_t i = 0; i < s->n; i++)
        cJSON_AddItemToArray(a, line_json(&s->lines[i]));
    json_add_item(root, "groups", a);
    char *text = json_print_escaped(root, 0);
    buf_adds(out, text);
    free(text);
    cJSON_Delete(root);
}

static void format_csv(const struct agreement_summary *s, struct buf *out)
{
    buf_adds(out, "workflow,reviewer_a,reviewer_b,shared,agreement,kappa,"
                  "resolved,resolver_sided_ai\r\n");
    for (size_t i = 0; i < s->n; i++) {
        const struct agreement_line *l = &s->lines[i];
        escape_csv_name(out, l->workflow);
        buf_addc(out, ',');
        escape_csv_name(out, l->reviewer_a);
        buf_addc(out, ',');
        escape_csv_name(out, l->reviewer_b);
        buf_addf(out, ",%lld,%.4f,", (long long)l->fig.shared,
                 l->fig.percent / 100.0);
        if (l->fig.kappa_defined)
            buf_addf(out, "%.4f", l->fig.kappa);
        if (l->reviewer_a)
            buf_adds(out, ",,\r\n");
        else
            buf_addf(out, ",%lld,%lld\r\n", (long long)l->resolved,
                     (long long)l->sided_ai);
    }
}

static void prom_gauge(struct buf *out, const char *metric,
                       const struct agreement_line *l, double v)
{
    buf_addf(out, "%s{", metric);
    escape_prom_label(out, "workflow", l->workflow);
    if (l->reviewer_a) {
        buf_addc(out, ',');
        escape_prom_label(out, "reviewer_a", l->reviewer_a);
        buf_addc(out, ',');
        escape_prom_label(out, "reviewer_b", l->reviewer_b);
    }
    buf_addf(out, "} %.6g\n", v);
}

/* The Prometheus families of the report, each whole before the next (a
 * family's samples must not be interleaved with another's). */
static const struct agree_family {
    const char *name;
    const char *help;
} agree_families[] = {
    {"signoff_agreement_shared_drafts",
     "Drafts both reviewers of the pair (or any pair of the workflow) "
     "reviewed in the window."},
    {"signoff_agreement_ratio", "Percent agreement p_o, 0..1."},
    {"signoff_agreement_kappa", "Cohen's kappa (absent when undefined)."},
    {"signoff_resolutions", "Four-eyes disagreements resolved in the window."},
    {"signoff_resolutions_sided_ai",
     "Resolutions that kept the AI draft unchanged (approve)."},
};

/* Family k's figure of line l; 0 when l has none (then left out). */
static int agree_value(const struct agreement_line *l, size_t k, double *v)
{
    switch (k) {
    case 0: *v = (double)l->fig.shared; return 1;
    case 1: *v = l->fig.percent / 100.0; return 1;
    case 2: *v = l->fig.kappa; return l->fig.kappa_defined;
    case 3: *v = (double)l->resolved; return !l->reviewer_a;
    default: *v = (double)l->sided_ai; return !l->reviewer_a;
    }
}

static void format_prom(const struct agreement_summary *s, struct buf *out)
{
    for (size_t k = 0; k < SO_ARRAY_LEN(agree_families); k++) {
        escape_prom_family(out, agree_families[k].name, "gauge",
                           agree_families[k].help);
        for (size_t i = 0; i < s->n; i++) {
            double v;
            if (agree_value(&s->lines[i], k, &v))
                prom_gauge(out, agree_families[k].name, &s->lines[i], v);
        }
    }
}

void agreement_format(const struct agreement_summary *s,
                      const struct agreement_window *w, enum agreement_fmt fmt,
                      int width, struct buf *out)
{
    switch (fmt) {
    case AGREE_TABLE:
        format_table(s, width, out);
        break;
    case AGREE_JSON:
        format_json(s, w, out);
        break;
    case AGREE_CSV:
        format_csv(s, out);
        break;
    case AGREE_PROM:
        format_prom(s, out);
        break;
    }
}
