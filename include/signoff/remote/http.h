/*
 * remote_http: the queue interface over HTTP (protocol v1, DESIGN.md
 * section 6) with libcurl and cJSON, and a local SQLite outbox so that no
 * decision is lost while the server is away. Never includes curses.h.
 */
#ifndef SIGNOFF_REMOTE_HTTP_H
#define SIGNOFF_REMOTE_HTTP_H

#include "signoff/queue.h"

/* Open a remote queue at url (http:// or https://). */
enum so_status remote_open(const char *url, const struct queue_opts *opts,
                           struct queue **out, struct so_error *err);

#endif
