/*
 * store_audit: read access to a queue file's decision chain for verify and
 * export, on its own read-only connection: the chain head the store keeps
 * in its meta table and the decisions in seq order, all from one read
 * snapshot so head and records agree. Reads the documented schema
 * (store/sqlite/schema.c) and nothing else; never writes, never prints.
 */
#ifndef SIGNOFF_STORE_AUDIT_H
#define SIGNOFF_STORE_AUDIT_H

#include <stdint.h>

#include "signoff/queue.h"
#include "signoff/verify.h"

struct store_audit;

/*
 * Open path read-only and start a read snapshot (a file whose directory the
 * reader cannot write is read as immutable when no -wal is beside it). Records from since_ms on:
 * from the first decision decided at or after it through the head (a run
 * of consecutive seqs); 0 for the whole chain.
 */
enum so_status store_audit_open(const char *path, int64_t since_ms,
                                struct store_audit **out,
                                struct so_error *err);

/* The database's own check, in the audit's snapshot: PRAGMA quick_check
 * (every page and b-tree readable and well formed), or with full
 * integrity_check (also every index against its table). SO_ERR_CORRUPT
 * with the first problems named when it finds any. */
enum so_status store_audit_check(struct store_audit *a, int full,
                                 struct so_error *err);

/* The chain head as the store recorded it. */
const struct verify_head *store_audit_head(const struct store_audit *a);

/* How many records the walk will return (for progress). */
int64_t store_audit_count(const struct store_audit *a);

/* The records as a verify_source (valid until store_audit_close). */
struct verify_source store_audit_source(struct store_audit *a);

void store_audit_close(struct store_audit *a);

#endif
