/*
 * store_pg_chain: the append to the audit chain of the PostgreSQL store,
 * shared by every writer of records (decisions, reverts, admin records,
 * automatic decisions): the head row locked FOR UPDATE, the record hashed
 * (audit.h: the bytes SQLite hashes) and linked, inserted, the head moved.
 * Runs in the caller's transaction; call it last, so the head is held
 * briefly. Internal to store/pg; never prints.
 */
#ifndef SIGNOFF_STORE_PG_CHAIN_H
#define SIGNOFF_STORE_PG_CHAIN_H

#include "signoff/store/pg/db.h"

/* Give d the next seq after the chain head (locked FOR UPDATE: call it
 * last in the transaction), hash it (audit.h), insert it, move the head.
 * An admin record (request_id NULL) gets the request id admin-SEQ. */
enum so_status pg_chain_append(struct pgq *p, struct so_decision *d,
                               struct so_error *err);

#endif
