/*
 * store_pg_schema: the PostgreSQL store's schema and its versioned
 * migrations, as on SQLite: so_meta holds the version; each step only adds;
 * a database made by a newer signoff is refused, not touched. Internal to
 * store/pg.
 */
#ifndef SIGNOFF_STORE_PG_SCHEMA_H
#define SIGNOFF_STORE_PG_SCHEMA_H

#include "signoff/store/pg/db.h"

/* The version this build writes and reads up to. */
#define PG_SCHEMA_VERSION 12

/* Check the database is a signoff queue this build reads (with create, an
 * empty database becomes one) and bring it to PG_SCHEMA_VERSION, under an
 * advisory lock so that servers starting together migrate once. */
enum so_status pg_schema_open(struct pgq *p, int create, struct so_error *err);

#endif
