/*
 * verify: the audit chain checked end to end (DESIGN.md section 5). Walks
 * decision records in seq order, recomputes each hash with audit.h's
 * canonical record, and names the first record that was changed, removed,
 * inserted or reordered. Also writes exports (JSON Lines or CSV) that carry
 * every field needed to recompute the chain elsewhere, and reads them back
 * for `verify --export`. Records come from a source callback, so the walk
 * knows neither SQLite nor files. Never prints to the terminal (exports go
 * to the FILE the caller passes) and never exits.
 */
#ifndef SIGNOFF_VERIFY_H
#define SIGNOFF_VERIFY_H

#include <stdint.h>
#include <stdio.h>

#include "signoff/queue.h"

/* A stream of decision records in seq order. next fills *d (owned by the
 * caller, cleared with so_decision_clear) and returns SO_OK, SO_EMPTY at
 * the end, or an error with err set. */
struct verify_source {
    enum so_status (*next)(void *ctx, struct so_decision *d,
                           struct so_error *err);
    void *ctx;
};

/* Called now and then while walking: done of total records (total may be
 * 0 when unknown). */
typedef void (*verify_progress_fn)(void *ctx, int64_t done, int64_t total);

/* The chain head the records must end at, as the store keeps it. */
struct verify_head {
    int64_t seq;  /* 0: an empty chain */
    char hash[65];
};

struct verify_opts {
    /* The first record must be seq 1 on the genesis hash (a whole chain);
     * otherwise the first record's prev_hash is taken as given (an export
     * made with --since). */
    int from_genesis;
    const struct verify_head *head; /* NULL: no head to check against */
    int64_t total;                  /* for progress; 0 if unknown */
    verify_progress_fn progress;    /* may be NULL */
    void *progress_ctx;
};

struct verify_result {
    int64_t records;   /* records checked */
    int64_t first_seq; /* 0 when there were none */
    int64_t last_seq;
    char last_hash[65];
    int64_t bad_seq; /* the first bad record (0: none, or the head) */
};

/*
 * Walk src and check every link. SO_OK when the chain holds; SO_ERR_INVALID
 * when it does not, with err->msg naming the first bad record, e.g.
 * "decision 1042 (draft T-9): hash does not match: record changed";
 * another status when the source failed.
 */
enum so_status verify_chain(const struct verify_source *src,
                            const struct verify_opts *opts,
                            struct verify_result *res, struct so_error *err);

/* Export formats. */
enum verify_format { VERIFY_JSONL, VERIFY_CSV };

/* "jsonl" | "csv" to a format; -1 when unknown. */
int verify_format_from_name(const char *name);

/* What the export header records (JSON Lines only: its first line). */
struct verify_export_info {
    const char *queue;              /* where it came from (as given) */
    int64_t exported_at;            /* ms */
    int64_t since_ms;               /* 0: the whole chain */
    const struct verify_head *head; /* the store's chain head, or NULL */
};

/*
 * Write every record of src to out. Text fields are written with all
 * non-ASCII and control characters escaped (\uXXXX), so an export shown on
 * a terminal cannot drive it, yet reads back to the exact stored bytes.
 * JSON Lines: a header object, then one object per record. CSV: a header
 * row, then one row per record. *count gets the records written.
 */
enum so_status verify_export_write(FILE *out, enum verify_format fmt,
                                   const struct verify_export_info *info,
                                   const struct verify_source *src,
                                   int64_t *count, struct so_error *err);

/*
 * Check an export file (JSON Lines or CSV, told apart by its first byte)
 * without the database: every record, every link, the final bodies against
 * their hashes, and for JSON Lines the header's chain head. Same results as
 * verify_chain; errors in the file itself name its line.
 */
enum so_status verify_export_file(const char *path,
                                  const struct verify_opts *opts,
                                  struct verify_result *res,
                                  struct so_error *err);

#endif
