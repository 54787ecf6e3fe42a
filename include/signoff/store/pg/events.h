/*
 * store_pg_events: the outcome feed and the action record on the
 * PostgreSQL store (as store/sqlite/events.h): the feed read up to the
 * chain head or the first outcome still held back (release times compared
 * with the database's clock), its wait (LISTEN signoff_events, notified
 * at the commit of every append, on every server), and `applied`.
 * Internal to store/pg; what a fact means is outcome.h's.
 */
#ifndef SIGNOFF_STORE_PG_EVENTS_H
#define SIGNOFF_STORE_PG_EVENTS_H

#include "signoff/store/pg/db.h"

/* The last seq the feed shows now and when the first held outcome is
 * released (0: none held). */
enum so_status pg_events_head(struct pgq *p, int64_t *head,
                              int64_t *next_release, struct so_error *err);

/* The event of record seq (released or not); SO_ERR_NOTFOUND if none. */
enum so_status pg_events_at(struct pgq *p, int64_t seq, struct so_event *out,
                            struct so_error *err);

/* queue_ops.events and queue_ops.applied. */
enum so_status pg_events(struct queue *q, const struct so_event_req *req,
                         struct so_event_page *out, struct so_error *err);
enum so_status pg_applied(struct queue *q, const struct so_applied_req *req,
                          struct so_decide_result *res, struct so_error *err);

#endif
