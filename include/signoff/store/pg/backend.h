/*
 * store_pg: the queue on PostgreSQL (DESIGN.md section 10), for several
 * `signoff serve` instances and hosts on one database: claims with FOR
 * UPDATE SKIP LOCKED and leases on the database's clock, one transaction
 * per decision, the audit chain appended under one head row so it never
 * forks. A spec is a libpq URI (postgresql://, postgres://) or a service
 * name (service=NAME). libpq is loaded on first use (dl_pq.h).
 */
#ifndef SIGNOFF_STORE_PG_BACKEND_H
#define SIGNOFF_STORE_PG_BACKEND_H

#include "signoff/queue.h"

/* Open (with opts->create, create the schema in) the database spec names. */
enum so_status pg_open(const char *spec, const struct queue_opts *opts,
                       struct queue **out, struct so_error *err);

/* 1 if spec is a service= spec this backend serves. */
int pg_is_service_spec(const char *spec);

extern const struct queue_ops store_pg_ops;

#endif
