/*
 * dl_pq: libpq loaded on first use. store/pg/dl_pq.c defines the libpq
 * functions the PostgreSQL store calls, with <libpq-fe.h>'s prototypes,
 * each forwarding to the library it dlopens once, as remote/dl_curl.c
 * does for libcurl: a command on a SQLite file never maps libpq and the
 * libraries it brings (tests/cli/lazy_libs.sh). Never includes libpq-fe.h
 * here.
 */
#ifndef SIGNOFF_STORE_PG_DL_PQ_H
#define SIGNOFF_STORE_PG_DL_PQ_H

#include "signoff/util.h"

/* Load libpq now (once per process; thread-safe). SO_OK, or SO_ERR with
 * "PostgreSQL queues need libpq (libpq.so.5): <why>" when it is missing. */
enum so_status dl_pq_load(struct so_error *err);

#endif
