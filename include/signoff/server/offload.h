/*
 * offload: requests that write to the queue run on a few threads of their
 * own while their connection is suspended, so a write that waits for
 * another process's lock never holds a libmicrohttpd thread: /healthz and
 * reads on that thread go on being answered. The job runs, then the
 * connection is resumed and the access handler runs again to send what the
 * job left. Never prints.
 */
#ifndef SIGNOFF_SERVER_OFFLOAD_H
#define SIGNOFF_SERVER_OFFLOAD_H

#include "signoff/util.h"

struct MHD_Connection;
struct offload;

/* Start n threads (at least 1). */
enum so_status offload_start(unsigned n, struct offload **out,
                             struct so_error *err);

/* Suspend con, run fn(arg) on one of the threads, then resume con. */
void offload_run(struct offload *o, struct MHD_Connection *con,
                 void (*fn)(void *arg), void *arg);

/* Run the jobs still queued, wait for every thread and free. Call before
 * stopping the daemon (a job resumes its connection). NULL is a no-op. */
void offload_stop(struct offload *o);

#endif
