/*
 * table: text tables fitted to a width (see table.h). Cells are plain text
 * measured with text_width; nothing here knows what a column means.
 */
#include "signoff/table.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/text.h"

struct table {
    const struct table_col *col;
    size_t ncols, rows, cap;
    int sep;
    char **cell; /* rows * ncols, row 0 the header */
};

struct table *table_new(const struct table_col *cols, size_t ncols, int sep)
{
    struct table *t = xcalloc(1, sizeof *t);
    t->col = cols;
    t->ncols = ncols;
    t->sep = sep;
    for (size_t c = 0; c < ncols; c++)
        table_add(t, c, xstrdup(cols[c].head));
    return t;
}

void table_add(struct table *t, size_t col, char *cell)
{
    if (col == 0) {
        if (t->rows == t->cap) {
            t->cap = t->cap ? t->cap * 2 : 16;
            t->cell = xrealloc(t->cell, t->cap * t->ncols * sizeof *t->cell);
        }
        memset(&t->cell[t->rows * t->ncols], 0, t->ncols * sizeof *t->cell);
        t->rows++;
    }
    size_t i = (t->rows - 1) * t->ncols + col;
    free(t->cell[i]);
    t->cell[i] = cell;
}

static int cell_width(const char *s)
{
    return s ? text_width(s, strlen(s)) : 0;
}

/* The spaces before column c when a column is shown before it. */
static int gap(const struct table *t, size_t c)
{
    return t->col[c].gap > 0 ? t->col[c].gap : t->sep;
}

/* Sum of the shown columns' widths w with the separators between them. */
static int total(const struct table *t, const int *w, const int *shown)
{
    int sum = 0, n = 0;
    for (size_t c = 0; c < t->ncols; c++)
        if (shown[c])
            sum += w[c] + (n++ ? gap(t, c) : 0);
    return sum;
}

/* The shown column of the highest drop rank (0: never dropped), or -1. */
static int most_droppable(const struct table *t, const int *shown)
{
    int best = -1;
    for (size_t c = 0; c < t->ncols; c++)
        if (shown[c] && t->col[c].drop > 0 &&
            (best < 0 || t->col[c].drop > t->col[best].drop))
            best = (int)c;
    return best;
}

/* Choose the shown columns and their widths w for width (see table.h):
 * the columns in order of importance, the least first (the highest drop
 * rank; the never dropped ones last), each cut (down to its min) or
 * dropped until the table fits; then, if it still does not, the cut ones
 * that may go are dropped too. */
static void fit(const struct table *t, int width, int *w, int *shown)
{
    size_t *order = xcalloc(t->ncols, sizeof *order);
    for (size_t c = 0; c < t->ncols; c++) {
        size_t k = c;
        while (k > 0 && t->col[order[k - 1]].drop < t->col[c].drop) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = c;
    }
    for (size_t k = 0; k < t->ncols && total(t, w, shown) > width; k++) {
        size_t c = order[k];
        int over = total(t, w, shown) - width, min = t->col[c].min;
        if (min > 0 && w[c] > min)
            w[c] -= w[c] - min < over ? w[c] - min : over;
        else if (min <= 0 && t->col[c].drop > 0)
            shown[c] = 0;
    }
    int d;
    while (total(t, w, shown) > width && (d = most_droppable(t, shown)) >= 0)
        shown[d] = 0;
    free(order);
}

void table_render(struct table *t, int width, struct buf *out)
{
    int *w = xcalloc(t->ncols, sizeof *w);
    int *shown = xcalloc(t->ncols, sizeof *shown);
    /* Full width: a fixed column at its width, the others as wide as
     * their widest cell; fitted, a fixed column first gives up the room
     * its cells do not use. */
    for (size_t c = 0; c < t->ncols; c++) {
        int fixed = t->col[c].fixed;
        shown[c] = 1;
        for (size_t r = 0; r < t->rows; r++) {
            int cw = cell_width(t->cell[r * t->ncols + c]);
            w[c] = cw > w[c] ? cw : w[c];
        }
        if (fixed && (width <= 0 || w[c] > fixed))
            w[c] = fixed;
    }
    if (width > 0)
        fit(t, width, w, shown);
    struct buf line;
    buf_init(&line);
    for (size_t r = 0; r < t->rows; r++) {
        int first = 1;
        buf_reset(&line);
        for (size_t c = 0; c < t->ncols; c++) {
            if (!shown[c])
                continue;
            const char *s = t->cell[r * t->ncols + c];
            char *v = cell_width(s) > w[c] ? text_plain(s, w[c], 0) : NULL;
            const char *text = v ? v : s ? s : "";
            int pad = w[c] - cell_width(text);
            buf_addf(&line, "%*s", first ? 0 : gap(t, c), "");
            first = 0;
            if (t->col[c].right)
                buf_addf(&line, "%*s", pad > 0 ? pad : 0, "");
            buf_adds(&line, text);
            if (!t->col[c].right)
                buf_addf(&line, "%*s", pad > 0 ? pad : 0, "");
            free(v);
        }
        while (line.len && line.data[line.len - 1] == ' ')
            line.len--;
        buf_add(out, line.data, line.len);
        buf_addc(out, '\n');
    }
    buf_free(&line);
    for (size_t i = 0; i < t->rows * t->ncols; i++)
        free(t->cell[i]);
    free(t->cell);
    free(w);
    free(shown);
    free(t);
}
