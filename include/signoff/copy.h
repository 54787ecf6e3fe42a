/*
 * copy: moving a queue from one store to another (`signoff copy`, SQLite to
 * PostgreSQL and back): the tables a queue's history lives in, in the order
 * a load takes them (a referenced table before the tables that reference
 * it), and the run that streams one store's dump into the other's load.
 * Knows no backend: each store dumps and loads rows (struct queue_ops), so
 * no rule is written twice. Never prints.
 */
#ifndef SIGNOFF_COPY_H
#define SIGNOFF_COPY_H

#include <stddef.h>
#include <stdint.h>

#include "signoff/queue.h"

/* The pseudo-table a dump ends with: one row (seq, hash), the chain head. */
#define COPY_CHAIN_HEAD "chain_head"

/* The tables copied, in load order; NULL-terminated. Counters a store
 * keeps by triggers (draft and decision counts, the per-workflow rollup)
 * are not in it: the target's own triggers rebuild them from the rows. */
extern const char *const copy_tables[];

/* 1 when name may stand in a store's copy statement as a table or column
 * name: 1..63 of a-z, 0-9 and '_', not starting with a digit (the names
 * of our own schemas; a store checks every name before it builds its
 * statements, so no name from a database reaches SQL unchecked). */
int copy_name_ok(const char *name);

/* The INSERT of a row into its table, "INSERT INTO t (a, b) VALUES (?, ?)"
 * (numbered "$1, $2" with dollar), after copy_name_ok passed every name;
 * NULL with err set when one does not. Owned. The values are the
 * caller's to bind. */
char *copy_insert_sql(const struct so_row *row, int dollar,
                      struct so_error *err);

/* What a copy did. */
struct copy_report {
    int64_t rows;           /* rows loaded, chain head excluded */
    int64_t drafts, decisions, workflows;
    int64_t head_seq;       /* the chain head copied */
    char head_hash[65];
    /* What the target has no place for, or NULL: "TABLE (N rows)" and
     * "TABLE.COLUMN (N values)" (NULL, 0 and "" are no value), comma
     * separated. Owned. */
    char *not_copied;
};
void copy_report_clear(struct copy_report *r);

/* Copy every row of from into to, in one transaction of to: all or
 * nothing. SO_ERR_CONFLICT when to is not empty (what init writes aside);
 * SO_ERR_USAGE when a backend has no dump or load (a remote queue). */
enum so_status copy_queue(struct queue *from, struct queue *to,
                          struct copy_report *r, struct so_error *err);

#endif
