/*
 * store_schema: the tables of the SQLite queue file and the migrations that
 * build them, one step per schema version, tracked in PRAGMA user_version.
 * Must not hold queries of the operations (those live with each op).
 */
#ifndef SIGNOFF_STORE_SCHEMA_H
#define SIGNOFF_STORE_SCHEMA_H

#include "signoff/store/sqlite/db.h"

/* Current schema version (PRAGMA user_version). */
#define STORE_SCHEMA_VERSION 20

/* Read PRAGMA user_version into *version. */
enum so_status store_schema_read(struct store *s, int *version,
                                 struct so_error *err);

/*
 * Bring the file from its version up to the current one, each step in its
 * own BEGIN IMMEDIATE transaction (a crash leaves a whole version). A file
 * from a newer signoff is refused with SO_ERR_SCHEMA.
 */
enum so_status store_schema_migrate(struct store *s, struct so_error *err);

#endif
