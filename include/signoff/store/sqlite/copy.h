/*
 * store_copy: the SQLite store's dump and load for `signoff copy` (the
 * queue_ops of copy.h): rows of copy_tables out of one read snapshot, and
 * rows into an empty queue in one transaction. Moves rows; holds no rule.
 * Never prints.
 */
#ifndef SIGNOFF_STORE_SQLITE_COPY_H
#define SIGNOFF_STORE_SQLITE_COPY_H

#include "signoff/queue.h"

enum so_status store_dump(struct queue *q, so_row_fn fn, void *ctx,
                          struct so_error *err);
enum so_status store_load_columns(struct queue *q, const char *table,
                                  char ***cols, struct so_error *err);
enum so_status store_load_begin(struct queue *q, struct so_error *err);
enum so_status store_load_row(struct queue *q, const struct so_row *row,
                              struct so_error *err);
enum so_status store_load_end(struct queue *q, int commit,
                              struct so_error *err);

#endif
