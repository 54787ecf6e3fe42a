/*
 * store_reasons: the reason codes a workflow takes (schema v11): its own
 * list, else the queue's default set (workflow ''). The one list the UI's
 * reject menu, the CLI, the server and stats read, and the one decide
 * checks a reject's or escalation's reason against. Runs in the caller's
 * transaction; never prints.
 */
#ifndef SIGNOFF_STORE_REASONS_H
#define SIGNOFF_STORE_REASONS_H

#include "signoff/queue.h"
#include "signoff/store/sqlite/db.h"

/* Fill w->reasons, w->nreasons and w->reasons_own for workflow w->name. */
enum so_status store_reasons_read(struct store *s, struct so_workflow *w,
                                  struct so_error *err);

/* Replace the own list of workflow name with v[0..n) (validated by
 * store_rules_reasons); n == 0 drops
 * it, so the workflow takes the default set again. */
enum so_status store_reasons_write(struct store *s, const char *name,
                                   const struct so_reason *v, size_t n,
                                   struct so_error *err);

/* SO_OK when code is one of workflow's reason codes; else SO_ERR_INVALID
 * naming draft id and the list (store_rules_reason_in). */
enum so_status store_reasons_check(struct store *s, const char *id,
                                   const char *workflow, const char *code,
                                   struct so_error *err);

#endif
