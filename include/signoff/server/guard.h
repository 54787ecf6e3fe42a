/*
 * guard: what keeps `signoff serve` answering while clients misbehave.
 * It tracks every open connection (its socket and peer address), holds at
 * most `per_addr` connections per address (an IPv6 address's /64: one
 * host's share) and `total` in all, gives each
 * request head (request line and headers) a total deadline that sending
 * one byte at a time does not extend, and caps the request-body bytes held
 * in memory across all connections. Knows no HTTP library: the server
 * tells it when a connection opens, when its head is complete and when a
 * request ends. It closes a connection by shutting its socket down (the
 * HTTP library then sees the peer gone and frees it as usual); the socket
 * is never closed here, so a descriptor number is never reused under it.
 */
#ifndef SIGNOFF_SERVER_GUARD_H
#define SIGNOFF_SERVER_GUARD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define GUARD_PER_ADDR 32  /* connections one address may hold */
#define GUARD_TOTAL 512    /* connections in all */
#define GUARD_BUFFERED ((size_t)64 << 20) /* request-body bytes in memory */

struct guard_limits {
    unsigned per_addr;   /* 0: GUARD_PER_ADDR */
    unsigned total;      /* 0: GUARD_TOTAL */
    int64_t head_ms;     /* a request head must arrive within this */
    size_t buffered;     /* 0: GUARD_BUFFERED */
};

struct guard;
struct guard_conn;

/* Start guarding (a thread that enforces the head deadline). log gets one
 * finished line (no newline) whenever a limit is hit, at most one a
 * second per kind with a count of the ones left unsaid; may be NULL. */
struct guard *guard_new(const struct guard_limits *lim,
                        void (*log)(void *arg, const char *line),
                        void *log_arg);
/* Stop the thread and free. Every connection must be closed first. */
void guard_free(struct guard *g);

/*
 * A connection was accepted on socket fd from addr; its first head starts
 * now. When its address (or the server) is at its limit, the oldest
 * connection of that address (or of all) still waiting for a request head
 * is shut down to make room, so a client that completes its request in
 * time is served during a flood of slow ones; when every such connection
 * is busy with a request, the new one is shut down instead. Either is
 * logged. Returns the handle to pass to the calls below.
 */
struct guard_conn *guard_open(struct guard *g, int fd,
                              const struct sockaddr *addr);
/* The connection is gone: forget it (c is freed). */
void guard_close(struct guard *g, struct guard_conn *c);
/* Its request head is complete: no deadline while the request runs. */
void guard_head_done(struct guard *g, struct guard_conn *c);
/* Its request is done: the next head's deadline starts now. */
void guard_head_wait(struct guard *g, struct guard_conn *c);
/* The peer address as text (for the log); "" when unknown. */
const char *guard_addr(const struct guard_conn *c);
/* What the peer's limits are counted under: its address, or for IPv6 its
 * /64 ("2001:db8:1:2::/64"); "" when unknown. */
const char *guard_key(const struct guard_conn *c);

/* Hold n more request-body bytes in memory: 0, or -1 (and a log line)
 * when that would pass the cap; guard_unhold gives bytes back. */
int guard_hold(struct guard *g, size_t n);
void guard_unhold(struct guard *g, size_t n);

#endif
