/*
 * store_workflow: workflow settings and the automation kill switch in the
 * SQLite store, with an event row for every flip (who, when, why). Internal
 * to the store (queue ops behind store_sqlite_ops). Must not touch drafts.
 */
#ifndef SIGNOFF_STORE_WORKFLOW_H
#define SIGNOFF_STORE_WORKFLOW_H

#include "signoff/queue.h"
#include "signoff/store/sqlite/db.h"

/* Create workflow name with the defaults if it does not exist, in the
 * caller's transaction. */
enum so_status store_workflow_ensure(struct store *s, const char *name,
                                     struct so_error *err);

/* store_workflow_ensure for a draft's workflow at enqueue (by "enqueue")
 * or gold add (by "gold"): a workflow the draft creates gets its admin
 * record (workflow.create, by the store's reviewer, naming the draft) in
 * the caller's transaction. */
enum so_status store_workflow_ensure_for(struct store *s,
                                         const struct so_draft *d,
                                         const char *by,
                                         struct so_error *err);

/* Set the kill switch and log the event, in the caller's transaction. */
enum so_status store_workflow_flip(struct store *s, const char *name,
                                   int paused, const char *reason,
                                   const char *by, struct so_error *err);

/* queue_ops.workflow_list: every workflow by name, with pending counts. */
enum so_status store_workflow_list(struct queue *q, struct so_workflow **out,
                                   size_t *n, struct so_error *err);
/* queue_ops.workflow_get: SO_ERR_NOTFOUND for an unknown name. */
enum so_status store_workflow_get(struct queue *q, const char *name,
                                  struct so_workflow *out,
                                  struct so_error *err);
/* queue_ops.workflow_set: validate and write the fields in mask (SO_WF_*),
 * creating the workflow with defaults first; with SO_WF_SWITCH the kill
 * switch too, in the same transaction (queue.h). */
enum so_status store_workflow_set(struct queue *q, const struct so_workflow *w,
                                  unsigned mask, struct so_error *err);
/* queue_ops.workflow_pause: pausing needs a reason; resuming needs an
 * owner (someone answerable for the automation). */
enum so_status store_workflow_pause(struct queue *q, const char *name,
                                    int paused, const char *reason,
                                    struct so_error *err);

#endif
