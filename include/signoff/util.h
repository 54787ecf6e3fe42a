/*
 * util: checked allocation, growable byte buffers, clocks, ids and the
 * status/error type every module returns. Never prints, never exits (except
 * the allocation wrappers, which abort on out-of-memory: there is no sane
 * recovery in a terminal tool).
 */
#ifndef SIGNOFF_UTIL_H
#define SIGNOFF_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* One X-macro list of status codes: yields the enum and the names. */
#define SO_STATUS_LIST(X)                                                      \
    X(SO_OK, "ok")                                                             \
    X(SO_EMPTY, "empty")             /* nothing to claim / no rows */          \
    X(SO_ERR, "error")               /* generic failure */                     \
    X(SO_ERR_USAGE, "usage")         /* bad arguments */                       \
    X(SO_ERR_INVALID, "invalid")     /* bad input data */                      \
    X(SO_ERR_NOTFOUND, "not_found")  /* unknown draft/workflow */              \
    X(SO_ERR_CONFLICT, "conflict")   /* already decided, other content */      \
    X(SO_ERR_LEASE, "lease_lost")    /* claim held by another or expired */    \
    X(SO_ERR_BUSY, "busy")           /* database locked past busy timeout */   \
    X(SO_ERR_IO, "io")               /* read/write/sync failure */             \
    X(SO_ERR_FULL, "full")           /* disk or database full */               \
    X(SO_ERR_READONLY, "read_only")  /* file or directory not writable */      \
    X(SO_ERR_CORRUPT, "corrupt")     /* not a database / malformed */          \
    X(SO_ERR_SCHEMA, "schema")       /* file from a newer signoff */           \
    X(SO_ERR_NETWORK, "network")     /* remote unreachable / timed out */      \
    X(SO_ERR_AUTH, "unauthorized")   /* missing or bad token */                \
    X(SO_ERR_FORBIDDEN, "forbidden") /* wrong role */                          \
    X(SO_ERR_PROTOCOL, "protocol")   /* remote answered garbage */             \
    X(SO_ERR_TOOLARGE, "too_large")  /* size limit exceeded */                 \
    X(SO_ERR_PAUSED, "paused")       /* workflow automation paused */

enum so_status {
#define SO_X_ENUM(id, name) id,
    SO_STATUS_LIST(SO_X_ENUM)
#undef SO_X_ENUM
        SO_STATUS_COUNT
};

/* Short stable name of a status ("lease_lost"), used in JSON error codes. */
const char *so_status_name(enum so_status s);
/* Inverse of so_status_name; SO_ERR for unknown names. */
enum so_status so_status_from_name(const char *name);

/* An error as returned by library code: a status and a human sentence.
 * Owned by the caller (usually on its stack). */
struct so_error {
    enum so_status code;
    char msg[512];
};

/* Set err (if non-NULL) and return code. printf-style message. */
enum so_status so_fail(struct so_error *err, enum so_status code,
                       const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void so_error_clear(struct so_error *err);

/* Allocation wrappers: abort with a message on out-of-memory. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);            /* NULL in, NULL out */
char *xstrndup(const char *s, size_t n); /* copies at most n bytes + NUL */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Growable byte buffer; always NUL-terminated when len > 0 or after
 * buf_cstr(). Owns data. */
struct buf {
    char *data;
    size_t len;
    size_t cap;
};
void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_addc(struct buf *b, char c);
void buf_adds(struct buf *b, const char *s);
void buf_addf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* NUL-terminated view of the contents ("" when empty). */
const char *buf_cstr(struct buf *b);
/* Hand the data to the caller (NUL-terminated, caller frees); b is reset. */
char *buf_steal(struct buf *b);

/* Wall clock in integer milliseconds since the epoch, UTC. Honours
 * $SIGNOFF_NOW_MS (tests pin time with it). */
int64_t so_now_ms(void);
/* Monotonic clock in milliseconds, for durations. */
int64_t so_mono_ms(void);

/* A new random UUID (v4) as 36 chars + NUL. */
void so_uuid(char out[37]);

/* Parse a duration like "90s", "10m", "24h", "7d", "2w" into milliseconds:
 * a whole number and one of the units of SO_DURATION_UNITS. Returns 0 on
 * success, -1 if malformed, also a number without a unit ("7" is not
 * taken as 7 seconds or 7 days: the reader cannot know which was meant);
 * a bare "0" is zero. */
#define SO_DURATION_UNITS "ms, s, m, h, d, w"
int so_parse_duration_ms(const char *s, int64_t *out_ms);
/* Parse "YYYY-MM-DD" (UTC midnight) into epoch ms. 0 ok, -1 malformed. */
int so_parse_date_ms(const char *s, int64_t *out_ms);
/* Format epoch ms as ISO-8601 UTC "2026-11-24T10:00:00Z" into out. */
void so_format_time(int64_t ms, char out[32]);
/* Format an age like "3m", "5h", "2d" (now - ms) into out. */
void so_format_age(int64_t now_ms, int64_t ms, char out[16]);

/* Strict number parsing for options: whole string must be consumed.
 * 0 ok, -1 malformed or out of [min,max]. */
int so_parse_long(const char *s, long min, long max, long *out);
int so_parse_double(const char *s, double min, double max, double *out);

/* Read a whole file (at most max bytes) into *out (NUL-terminated, caller
 * frees). Errors name the path. */
enum so_status so_read_file(const char *path, size_t max, char **out,
                            size_t *len, struct so_error *err);
/* Write data to path atomically: temp file in the same dir, fsync, rename.
 * mode is the new file's permission bits. */
enum so_status so_write_file_atomic(const char *path, const void *data,
                                    size_t len, int mode,
                                    struct so_error *err);
/* Make sure path is a regular file we may open, creating it with mode
 * (O_CREAT | O_EXCL | O_NOFOLLOW) when it does not exist; *created says
 * which. A symbolic link at path is refused, dangling or not: a file we
 * create is never made at a link's target. Errors name the path. */
enum so_status so_file_ensure(const char *path, int mode, int *created,
                              struct so_error *err);
/* mkdir -p with the given mode for created directories. */
enum so_status so_mkdirs(const char *path, int mode, struct so_error *err);

/* $XDG_<kind>_HOME/signoff (kind: "DATA", "STATE", "CONFIG") with the
 * standard fallbacks under $HOME. Caller frees. */
char *so_xdg_dir(const char *kind);

/* Count words (runs of non-space bytes) in UTF-8 text. */
size_t so_word_count(const char *s);

#define SO_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
