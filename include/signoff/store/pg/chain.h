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

/* A run of appends in one transaction (an enqueue batch's automatic
 * approvals): the head read and locked at the first append, each record
 * linked to the one before, the head moved once by pg_chain_run_end. With
 * batch set, the records are kept and inserted PG_CHAIN_BATCH at a time in
 * one statement each (the rest by pg_chain_run_end); a run that ends in an
 * error may hold kept records: pg_chain_run_clear frees them. */
#define PG_CHAIN_COLS 18
#define PG_CHAIN_BATCH 500
struct pg_chain_run {
    int held, moved, batch;
    int64_t seq;
    char hash[65];
    struct buf cols[PG_CHAIN_COLS]; /* the kept records, column by column */
    size_t kept;
};
enum so_status pg_chain_append_in(struct pgq *p, struct pg_chain_run *run,
                                  struct so_decision *d, struct so_error *err);
void pg_chain_run_clear(struct pg_chain_run *run);
/* Insert what the run kept, move the head to its last record (none
 * appended: nothing). */
enum so_status pg_chain_run_end(struct pgq *p, struct pg_chain_run *run,
                                struct so_error *err);

#endif
