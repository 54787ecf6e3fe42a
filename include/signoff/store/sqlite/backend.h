/*
 * store_sqlite: the queue on one SQLite file shared by many processes
 * (DESIGN.md section 4): schema and migrations, WAL, leases with fencing
 * tokens, idempotent decisions, the rollup and the audit chain, all written
 * in the decision's own transaction. Never includes curses.h or curl.h.
 */
#ifndef SIGNOFF_STORE_SQLITE_H
#define SIGNOFF_STORE_SQLITE_H

#include "signoff/queue.h"
#include "signoff/store/sqlite/schema.h"

/* Open (or with opts->create, create) the queue file at path. */
enum so_status store_open(const char *path, const struct queue_opts *opts,
                          struct queue **out, struct so_error *err);

/* The ops table, for tests that want to check the seam. */
extern const struct queue_ops store_sqlite_ops;

#endif
