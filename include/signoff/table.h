/*
 * table: the text tables of the CLI (workflow list, token list, stats),
 * laid out in display columns and fitted to a width: like ps, git branch
 * -v or kubectl, the least important columns are dropped and the cuttable
 * ones (names, notes) cut with "…" so every line fits a terminal of that
 * width; width 0 keeps every column at its full width (a pipe, --wide).
 * Pure: the model only, no I/O, never prints.
 */
#ifndef SIGNOFF_TABLE_H
#define SIGNOFF_TABLE_H

#include <stddef.h>

#include "signoff/util.h"

/* One column. */
struct table_col {
    const char *head;
    int right; /* right-aligned */
    int fixed; /* > 0: always this many columns wide (cells cut to it) */
    int drop;  /* 0: never dropped; else the higher, the sooner it goes */
    int min;   /* > 0: may be cut down to this many columns with "…" */
    int gap;   /* > 0: this many spaces before it (0: the table's sep) */
};

/* A table of ncols columns (cols is borrowed and must outlive it) with
 * sep spaces between columns. */
struct table *table_new(const struct table_col *cols, size_t ncols, int sep);

/* Append a cell to the current row (owned by the table; plain text, as
 * text_plain makes it); col 0 starts a new row. */
void table_add(struct table *t, size_t col, char *cell);

/*
 * Append the table (its header first) to out, every line ending in '\n'
 * with no trailing spaces. width > 0: drop columns, the highest drop rank
 * first, while the table at its cut widths (min) would not fit, then cut
 * the cuttable columns, the least important first, until it fits (a table
 * whose kept columns alone are wider stays wider). width <= 0: every
 * column at its full width. Frees t.
 */
void table_render(struct table *t, int width, struct buf *out);

#endif
