/*
 * store_pg_copy: the PostgreSQL store's dump and load for `signoff copy`
 * (the queue_ops of copy.h): rows of copy_tables out of one snapshot,
 * paged by a cursor, and rows into an empty database in one transaction.
 * Moves rows; holds no rule. Never prints.
 */
#ifndef SIGNOFF_STORE_PG_COPY_H
#define SIGNOFF_STORE_PG_COPY_H

#include "signoff/queue.h"

struct pgq;

enum so_status pg_dump(struct queue *q, so_row_fn fn, void *ctx,
                       struct so_error *err);
enum so_status pg_load_columns(struct queue *q, const char *table,
                               char ***cols, struct so_error *err);
enum so_status pg_load_begin(struct queue *q, struct so_error *err);
enum so_status pg_load_row(struct queue *q, const struct so_row *row,
                           struct so_error *err);
enum so_status pg_load_end(struct queue *q, int commit, struct so_error *err);
/* Drop what a load left (the queue is closing). */
void pg_load_free(struct pgq *p);

#endif
