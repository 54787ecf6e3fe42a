/*
 * store_read: the read-only operations of the SQLite store: one draft with
 * its citations, list pages by keyset, counts (O(1) from the counters for
 * status/workflow questions), a draft's decisions, my decisions today and
 * the rollup for stats. Internal to the store. Must not write.
 */
#ifndef SIGNOFF_STORE_READ_H
#define SIGNOFF_STORE_READ_H

#include "signoff/queue.h"
#include "signoff/store/sqlite/db.h"

/* Load draft rid (with citations) into a new *out. */
enum so_status store_read_draft(struct store *s, int64_t rid,
                                struct so_draft **out, struct so_error *err);
/* Load decision seq into *out (cleared first); SO_ERR_NOTFOUND if none. */
/* Copy a row of columns seq, draft, request_id, reviewer, action, kind,
 * reason, note, final_body, edit_size, body_sha, final_sha, shown_at,
 * decided_at, active_ms, reverts_seq, prev_hash, hash (in that order, from
 * column 0) into d (owned strings). */
void store_read_decision_row(sqlite3_stmt *st, struct so_decision *d);

enum so_status store_read_decision(struct store *s, int64_t seq,
                                   struct so_decision *out,
                                   struct so_error *err);
/* The seq of the decision carrying request_id, 0 when there is none. */
enum so_status store_read_request(struct store *s, const char *request_id,
                                  int64_t *seq, struct so_error *err);

/* queue_ops.get: SO_ERR_NOTFOUND for an unknown id. */
enum so_status store_read_get(struct queue *q, const char *id,
                              struct so_draft **out, struct so_error *err);
/* queue_ops.list: ordered like the claim (priority desc, age, insertion);
 * next_cursor encodes the last row's sort key. */
enum so_status store_read_list(struct queue *q, const struct so_list_req *req,
                               struct so_draft_page *out, struct so_error *err);
/* queue_ops.count (cursor and limit ignored). */
enum so_status store_read_count(struct queue *q, const struct so_list_req *req,
                                int64_t *n, struct so_error *err);
/* queue_ops.decisions: oldest first, reverts included. */
enum so_status store_read_decisions(struct queue *q, const char *draft_id,
                                    struct so_decision **out, size_t *n,
                                    struct so_error *err);
/* queue_ops.my_decisions: newest first, each with the revert that undid
 * it (undone_by). */
enum so_status store_read_my_decisions(struct queue *q, int64_t since_ms,
                                       int limit, struct so_decision **out,
                                       size_t *n, struct so_error *err);
/* queue_ops.my_today: my decisions since UTC midnight that still stand
 * (reverts and reverted decisions excluded). */
enum so_status store_read_my_today(struct queue *q, int64_t *n,
                                   struct so_error *err);
/* queue_ops.rollup: whole UTC days from since_ms's day up to the day of
 * until_ms (inclusive when until_ms is inside that day), with the reject
 * reasons of the same days. */
enum so_status store_read_rollup(struct queue *q,
                                 const struct so_stats_req *req,
                                 struct so_rollup *out, struct so_error *err);

/* The producer's usage columns (cost_micros, currency, tokens, latency_ms)
 * from column col on into d; NULL reads -1 (not reported). */
void store_read_usage(sqlite3_stmt *st, int col, struct so_draft *d);

#endif
