/*
 * longpoll: the waiting of GET /v1/events?wait=S without holding a worker
 * thread. A request with nothing to answer yet is suspended
 * (MHD_suspend_connection) and handed here; one thread with its own queue
 * handle waits on the feed (queue_ops.events, which wakes on a commit) and
 * resumes every request whose cursor the head has passed, or whose
 * deadline came; the resumed request runs its handler again. Never prints.
 */
#ifndef SIGNOFF_SERVER_LONGPOLL_H
#define SIGNOFF_SERVER_LONGPOLL_H

#include <stdint.h>

#include "signoff/util.h"

struct MHD_Connection;
struct longpoll;

/* Start the waiting thread on the queue at path. */
enum so_status longpoll_start(const char *path, struct longpoll **out,
                              struct so_error *err);

/* Suspend con until the feed's head passes after or the monotonic clock
 * reaches deadline_ms (whichever first); then it is resumed. */
void longpoll_add(struct longpoll *lp, struct MHD_Connection *con,
                  int64_t after, int64_t deadline_ms);

/* Resume every waiting request at once and stop the thread; a later
 * longpoll_add resumes its request at once. */
void longpoll_stop(struct longpoll *lp);

/* Stop (if not yet) and free; after the daemon stopped. */
void longpoll_free(struct longpoll *lp);

#endif
