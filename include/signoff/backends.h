/*
 * backends: the registered queue backends and the choice between them, as
 * git chooses a ref store from a table: a spec is a URL whose scheme names
 * its backend (http://, https://), or else a file path (SQLite). The one
 * module that knows every backend; the model (queue.h) knows none, and a
 * new backend is one entry in the table of src/backends.c.
 */
#ifndef SIGNOFF_BACKENDS_H
#define SIGNOFF_BACKENDS_H

#include "signoff/queue.h"

/* One backend. Everything static. */
struct queue_backend {
    const char *name;           /* "sqlite", "http": in messages */
    const char *const *schemes; /* URL schemes it serves ("https", NULL);
                                   NULL for the one that takes a path */
    int remote;                 /* a server holds the queue, not a file */
    /* Load what it needs on first use (a shared library); may be NULL. */
    enum so_status (*load)(struct so_error *err);
    enum so_status (*open)(const char *spec, const struct queue_opts *opts,
                           struct queue **out, struct so_error *err);
};

/* The backend for spec, or NULL with err set (SO_ERR_USAGE) when spec is
 * empty or a URL whose scheme no backend serves. */
const struct queue_backend *backend_for(const char *spec,
                                        struct so_error *err);

/* Open a queue with the backend its spec names. */
enum so_status queue_open(const char *spec, const struct queue_opts *opts,
                          struct queue **out, struct so_error *err);

/* 1 if spec names a queue a server holds (a remote queue). */
int queue_is_remote(const char *spec);

/* The name of the backend spec names ("sqlite", "http", "postgresql"), or
 * NULL when no backend serves it. */
const char *queue_backend_name(const char *spec);

#endif
