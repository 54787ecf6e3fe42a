/*
 * store_pg_audit: the audit chain of a PostgreSQL queue read for verify
 * and export, in pages of PG_AUDIT_PAGE records, each its own short
 * statement: no snapshot is held for the minutes a long chain takes, and
 * the walk stops at the head read when it began, so decisions recorded
 * meanwhile by busy servers neither disturb nor extend it. Internal to the
 * store; verify.h knows it only as a verify_source.
 */
#ifndef SIGNOFF_STORE_PG_AUDIT_H
#define SIGNOFF_STORE_PG_AUDIT_H

#include "signoff/queue.h"
#include "signoff/verify.h"

#define PG_AUDIT_PAGE 1000

struct pg_audit;

/* Read the head of q (a PostgreSQL queue) and where the walk starts: the
 * first record decided at or after since_ms (0: the whole chain). */
enum so_status pg_audit_open(struct queue *q, int64_t since_ms,
                             struct pg_audit **out, struct so_error *err);
const struct verify_head *pg_audit_head(const struct pg_audit *a);
/* Records the walk will read. */
int64_t pg_audit_count(const struct pg_audit *a);
struct verify_source pg_audit_source(struct pg_audit *a);
void pg_audit_close(struct pg_audit *a);

/* The database check before the chain (store/pg/check.c): PostgreSQL's
 * amcheck on every table and B-tree index of q's schema (full: also every
 * row in each index). SO_OK with how naming what ran ("amcheck"), or why
 * the database could not be checked ("not checked: ..."); SO_ERR_CORRUPT
 * "the database is damaged (amcheck: ...)" when it is. Only reads. */
enum so_status pg_audit_check(struct queue *q, int full, char *how,
                              size_t howlen, struct so_error *err);

#endif
