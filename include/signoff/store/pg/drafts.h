/*
 * store_pg_drafts: drafts on the PostgreSQL store: enqueue (one
 * transaction per batch), get, list (keyset pages in claim order), count,
 * a draft's decisions and my decisions today. Internal to store/pg.
 */
#ifndef SIGNOFF_STORE_PG_DRAFTS_H
#define SIGNOFF_STORE_PG_DRAFTS_H

#include "signoff/store/pg/db.h"

/* Read draft rid with its citations into *out (owned). */
enum so_status pg_read_draft(struct pgq *p, int64_t rid, struct so_draft **out,
                             struct so_error *err);
/* Fill a decision from row r of a DECISION_COLS result. */
void pg_read_decision(const PGresult *res, int r, struct so_decision *d);
#define PG_DECISION_COLS_X(more)                                               \
    "SELECT seq, draft, request_id, reviewer, action, kind, reason, note,"     \
    " final_body, edit_size, body_sha, final_sha, shown_at, decided_at,"       \
    " active_ms, reverts_seq, prev_hash, hash" more " FROM decisions"
#define PG_DECISION_COLS PG_DECISION_COLS_X("")
/* How many columns PG_DECISION_COLS reads (the first of `more`). */
#define PG_DECISION_NCOLS 18

enum so_status pg_enqueue(struct queue *q, struct so_draft *const *drafts,
                          size_t n, unsigned flags,
                          struct so_enq_result *results, struct so_error *err);
enum so_status pg_get(struct queue *q, const char *id, struct so_draft **out,
                      struct so_error *err);
enum so_status pg_list(struct queue *q, const struct so_list_req *req,
                       struct so_draft_page *out, struct so_error *err);
enum so_status pg_count(struct queue *q, const struct so_list_req *req,
                        int64_t *n, struct so_error *err);
enum so_status pg_decisions(struct queue *q, const char *draft_id,
                            struct so_decision **out, size_t *n,
                            struct so_error *err);
enum so_status pg_my_today(struct queue *q, int64_t *n, struct so_error *err);

#endif
