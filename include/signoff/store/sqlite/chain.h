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

#endif
