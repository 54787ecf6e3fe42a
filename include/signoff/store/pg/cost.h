/*
 * store_pg_cost: cost and service levels on the PostgreSQL store (issue 16
 * part 4; the columns of schema v9, those of SQLite's v18): what a
 * producer reports of a draft (cost, currency, tokens, latency), a
 * workflow's currency, hourly rate, SLA and alert share, its oldest open
 * draft and the open drafts past its SLA, and the list filter that sorts
 * what is due first. The rules are store/rules.h's; only SQL here.
 * Internal to store/pg; never prints. The rollup of the task figures is
 * store_pg_rollup's (schema v10).
 */
#ifndef SIGNOFF_STORE_PG_COST_H
#define SIGNOFF_STORE_PG_COST_H

#include "signoff/store/pg/db.h"

/* The open drafts nearing (80% of it) or past their workflow's SLA, as a
 * condition on a row of drafts; the list's SLA bits and deadline. */
#define PG_SLA_DUE                                                             \
    " EXISTS (SELECT 1 FROM workflows sw WHERE sw.name = drafts.workflow"      \
    " AND sw.sla_ms > 0 AND drafts.status <> 'decided'"                        \
    " AND drafts.created_at <= " PG_NOW_MS " - sw.sla_ms * 4 / 5)"
#define PG_SLA_COLS                                                            \
    ", (SELECT CASE WHEN sw.sla_ms <= 0 OR drafts.status = 'decided' THEN 0"   \
    " WHEN " PG_NOW_MS " - drafts.created_at > sw.sla_ms THEN 8"               \
    " WHEN (" PG_NOW_MS " - drafts.created_at) * 5 >= sw.sla_ms * 4 THEN 4"    \
    " ELSE 0 END FROM workflows sw WHERE sw.name = drafts.workflow)"

/* The reported figures of d on the draft row rid (after its insert or
 * replace, in the enqueue's transaction). */
enum so_status pg_cost_draft_write(struct pgq *p, int64_t rid,
                                   const struct so_draft *d,
                                   struct so_error *err);
/* Read them back into d (-1: not reported). */
enum so_status pg_cost_draft_read(struct pgq *p, int64_t rid,
                                  struct so_draft *d, struct so_error *err);
/* The currency rule at enqueue (store_rules_draft_cost) against the
 * workflow's currency (USD for a new one): *bad set and res filled when
 * the draft is refused. */
enum so_status pg_cost_check(struct pgq *p, const struct so_draft *d,
                             struct so_error *res, int *bad,
                             struct so_error *err);
/* The SO_WF_CURRENCY, SO_WF_RATE, SO_WF_SLA and SO_WF_SLA_ALERT fields of
 * a workflow set, in its transaction. */
enum so_status pg_cost_workflow_set(struct pgq *p, const struct so_workflow *w,
                                    unsigned mask, struct so_error *err);
/* Fill w's currency, hourly_rate, sla_ms, sla_alert, oldest_pending_at
 * and sla_open_past. */
enum so_status pg_cost_workflow_read(struct pgq *p, struct so_workflow *w,
                                     struct so_error *err);

#endif
