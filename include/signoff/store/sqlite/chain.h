/*
 * store_chain: the append to the audit chain of the SQLite store, shared by
 * every writer of records (decisions, reverts, action records): the next
 * seq comes from the head kept in the meta table, the record is hashed
 * (audit.h) and linked, inserted, and the head moved. Runs in the caller's
 * transaction; never opens one, never prints.
 */
#ifndef SIGNOFF_STORE_CHAIN_H
#define SIGNOFF_STORE_CHAIN_H

#include "signoff/queue.h"
#include "signoff/store/sqlite/db.h"

/* Give d the next seq, link it to the head (prev_hash), hash it, insert
 * it and move the head. d's other fields are the caller's. */
enum so_status store_chain_append(struct store *s, struct so_decision *d,
                                  struct so_error *err);

/* Append v[0..n) in order as store_chain_append would one by one (each
 * given its seq, linked and hashed), inserted many to a statement, the
 * head moved once. Every record has its request id; v's strings must live
 * until the call returns. */
enum so_status store_chain_append_many(struct store *s, struct so_decision *v,
                                       size_t n, struct so_error *err);

/* The chain head kept in the meta table: the last record's seq and hash
 * (0 and the genesis before the first). */
enum so_status store_chain_head(struct store *s, int64_t *seq, char hash[65],
                                struct so_error *err);
/* Move the head (signoff copy sets it to the copied chain's). */
enum so_status store_chain_set_head(struct store *s, int64_t seq,
                                   const char *hash, struct so_error *err);

/* A run of appends inside one transaction (the automatic decisions of an
 * enqueue batch): the head is read by the first append and kept in s;
 * store_chain_run_end writes it once (write = 1, before the commit) or
 * forgets it (write = 0, on the way to a rollback). */
void store_chain_run_begin(struct store *s);
enum so_status store_chain_run_end(struct store *s, int write,
                                   struct so_error *err);

#endif
