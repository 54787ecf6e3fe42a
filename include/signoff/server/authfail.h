/*
 * authfail: failed authentications counted per client address (an IPv6
 * one per /64, guard.h: guard_key), and the slowdown that follows
 * (signoff serve). Bounded both ways: a fixed table
 * of addresses (the longest-quiet entry is reused when it is full) and a
 * refusal that is answered at once (429 with Retry-After), never a sleep
 * that holds a connection or a thread for the attacker. Never logs.
 */
#ifndef SIGNOFF_SERVER_AUTHFAIL_H
#define SIGNOFF_SERVER_AUTHFAIL_H

#include <stdint.h>

#define AUTHFAIL_FREE 5        /* failures before the slowdown starts */
#define AUTHFAIL_MAX_WAIT_S 60 /* the longest an address is refused */
#define AUTHFAIL_FORGET_MS (15 * 60 * 1000LL) /* quiet this long: clean */
#define AUTHFAIL_SLOTS 1024

struct authfail;

struct authfail *authfail_new(void);
void authfail_free(struct authfail *a);

/* Seconds addr must still wait before a token of it is looked at (0: go
 * on). now_ms is a monotonic clock. */
int authfail_wait(struct authfail *a, const char *addr, int64_t now_ms);

/* One failed authentication from addr: after AUTHFAIL_FREE of them in a
 * row, each refuses the address for 1, 2, 4 ... up to AUTHFAIL_MAX_WAIT_S
 * seconds. */
void authfail_failed(struct authfail *a, const char *addr, int64_t now_ms);

/* A good token from addr: its count starts again. */
void authfail_ok(struct authfail *a, const char *addr);

#endif
