/*
 * server: `signoff serve`, protocol v1 (docs/protocol.md) over the SQLite
 * store with libmicrohttpd and a thread pool. Bearer tokens map to a
 * reviewer and a role; every request acts as that reviewer on a store
 * handle of its own (SQLite handles are never shared between threads
 * unsynchronised). Never prints: the access log goes to a callback; never
 * logs a token.
 */
#ifndef SIGNOFF_SERVER_H
#define SIGNOFF_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "signoff/queue.h"
#include "signoff/util.h"

#define SERVER_MAX_BODY (8u << 20) /* request bodies over this get 413 */

/* Roles of the tokens file (bits, so routes can allow several). */
#define SERVER_ROLE_LIST(X)                                                    \
    X(SERVER_ROLE_REVIEWER, 1, "reviewer")                                     \
    X(SERVER_ROLE_SUPERVISOR, 2, "supervisor")                                 \
    X(SERVER_ROLE_PRODUCER, 4, "producer")

enum server_role {
#define SERVER_X_ENUM(id, bit, name) id = bit,
    SERVER_ROLE_LIST(SERVER_X_ENUM)
#undef SERVER_X_ENUM
};

/* One line of the tokens file. Owned strings. */
/* One identity the server knows: a --tokens file line (token set), or a
 * token of the queue (token.h) found by its hash for one request. */
struct server_token {
    char *token;    /* the secret of a file line; NULL for a queue token */
    char *reviewer;
    unsigned role;  /* one SERVER_ROLE_* bit */
    char *id;       /* safe to log: tk_... (queue) or f_... (file) */
    char *scope;    /* workflows it may touch (token.h); NULL: all */
};

struct server_tokens {
    struct server_token *v;
    size_t n;
};

/* Load a tokens file (`token reviewer role` lines, # comments). Refused if
 * the file is readable or writable by group or others. Errors name the
 * file and line, never the token. */
enum so_status server_tokens_load(const char *path, struct server_tokens *out,
                                  struct so_error *err);
void server_tokens_free(struct server_tokens *t);

struct server_opts {
    const char *queue_path; /* the SQLite queue file */
    const char *host;       /* listen address, e.g. "127.0.0.1" */
    int port;               /* 0: pick a free port */
    unsigned threads;       /* worker threads (0: 4) */
    unsigned timeout_s;     /* idle/slow connection timeout (0: 30) */
    int sync_normal;        /* store synchronous=NORMAL instead of FULL */
    const char *tls_cert;   /* PEM text: serve HTTPS (with tls_key) */
    const char *tls_key;    /* PEM text of the private key */
    /* Called once per request with a finished access log line (no
     * newline), and for each message (libmicrohttpd's, a limit hit); may
     * be NULL. Called from worker threads. */
    void (*log)(void *arg, const char *line);
    void *log_arg;
    /* 0: text lines (the callback adds the time); 1: one JSON object a
     * line with the same fields and the time (--log-format json). */
    int log_json;
    /* POST /v1/hooks may add a hook that reaches private and loopback
     * addresses (serve --allow-private-hooks); 0: refused with 403. */
    int hooks_private;
    /* Sends POST /v1/hooks/{id}/test's signed ping (the CLI's
     * deliver_ping: the server itself speaks no HTTP client); NULL: that
     * route answers 404. */
    enum so_status (*hook_ping)(const struct so_hook *h,
                                struct so_hook_ping *out,
                                struct so_error *err);
};

struct server;

/* Start serving. tokens is moved into the server (freed by server_stop).
 * On success *port_out is the bound port. */
enum so_status server_start(const struct server_opts *opts,
                            struct server_tokens *tokens,
                            struct server **out, int *port_out,
                            struct so_error *err);
/* Stop accepting, let in-flight requests finish (bounded wait), stop the
 * threads and free everything. */
void server_stop(struct server *srv);

#endif
