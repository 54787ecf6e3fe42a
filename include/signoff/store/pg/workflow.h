/*
 * store_pg_workflow: workflows and the kill switch on the PostgreSQL
 * store. Internal to store/pg.
 */
#ifndef SIGNOFF_STORE_PG_WORKFLOW_H
#define SIGNOFF_STORE_PG_WORKFLOW_H

#include "signoff/store/pg/db.h"

enum so_status pg_workflow_list(struct queue *q, struct so_workflow **out,
                                size_t *n, struct so_error *err);
enum so_status pg_workflow_get(struct queue *q, const char *name,
                               struct so_workflow *out, struct so_error *err);
enum so_status pg_workflow_set(struct queue *q, const struct so_workflow *w,
                               unsigned mask, struct so_error *err);
/* Create the workflow draft d names with the defaults if it does not
 * exist, in the caller's transaction; a workflow it creates gets its
 * admin record (workflow.create naming the draft, by "enqueue" or
 * "gold"), as store_workflow_ensure_for does on SQLite. */
enum so_status pg_workflow_ensure_for(struct pgq *p, const struct so_draft *d,
                                      const char *by, struct so_error *err);
/* Fill w->reasons (w->name's own list, else the default set). */
enum so_status pg_reasons_read(struct pgq *p, struct so_workflow *w,
                               struct so_error *err);
enum so_status pg_workflow_pause(struct queue *q, const char *name, int paused,
                                 const char *reason, struct so_error *err);
/* The kill switch thrown (paused 1) or released by who (a person, or
 * "signoff" for auto-pause) with reason, and its event, in the caller's
 * transaction; a pause pulls back the automatic outcomes still held
 * (pg_route_pull_back). */
enum so_status pg_workflow_flip(struct pgq *p, const char *name, int paused,
                                const char *reason, const char *by,
                                struct so_error *err);
/* Auto-pause on the automation's measured error rate, as on SQLite:
 * with auto-pause on and workflow running, people's override rate on its
 * sampled drafts in the window (automate_sampled_over) over the threshold
 * pauses it, by "signoff" with a reason naming the rate; in the caller's
 * transaction, before the chain head is locked. */
enum so_status pg_workflow_autopause_sampled(struct pgq *p,
                                             const char *workflow,
                                             struct so_error *err);

#endif
