/*
 * authfail: per-address failed authentications (authfail.h). One mutex
 * over a fixed table; a lookup is a scan of AUTHFAIL_SLOTS short entries,
 * done only for requests that carry a token.
 */
#include "signoff/server/authfail.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/util.h"

struct entry {
    char addr[INET6_ADDRSTRLEN + 3]; /* an address, or an IPv6 /64 */
    unsigned fails;
    int64_t last_ms;  /* the last failure */
    int64_t until_ms; /* refused until */
};

struct authfail {
    pthread_mutex_t mu;
    struct entry v[AUTHFAIL_SLOTS];
};

struct authfail *authfail_new(void)
{
    struct authfail *a = xcalloc(1, sizeof *a);
    pthread_mutex_init(&a->mu, NULL);
    return a;
}

void authfail_free(struct authfail *a)
{
    if (!a)
        return;
    pthread_mutex_destroy(&a->mu);
    free(a);
}

/* addr's entry, or NULL (mu held). */
static struct entry *find(struct authfail *a, const char *addr)
{
    for (size_t i = 0; i < AUTHFAIL_SLOTS; i++)
        if (a->v[i].addr[0] && strcmp(a->v[i].addr, addr) == 0)
            return &a->v[i];
    return NULL;
}

int authfail_wait(struct authfail *a, const char *addr, int64_t now_ms)
{
    int wait = 0;
    pthread_mutex_lock(&a->mu);
    struct entry *e = find(a, addr);
    if (e && e->until_ms > now_ms)
        wait = (int)((e->until_ms - now_ms + 999) / 1000);
    pthread_mutex_unlock(&a->mu);
    return wait;
}

void authfail_failed(struct authfail *a, const char *addr, int64_t now_ms)
{
    pthread_mutex_lock(&a->mu);
    struct entry *e = find(a, addr);
    if (!e) {
        e = &a->v[0];
        for (size_t i = 1; i < AUTHFAIL_SLOTS && e->addr[0]; i++)
            if (!a->v[i].addr[0] || a->v[i].last_ms < e->last_ms)
                e = &a->v[i];
        memset(e, 0, sizeof *e);
        snprintf(e->addr, sizeof e->addr, "%s", addr);
    } else if (now_ms - e->last_ms > AUTHFAIL_FORGET_MS) {
        e->fails = 0;
    }
    e->fails++;
    e->last_ms = now_ms;
    if (e->fails > AUTHFAIL_FREE) {
        unsigned k = e->fails - AUTHFAIL_FREE - 1;
        int64_t s = k >= 6 ? AUTHFAIL_MAX_WAIT_S : (int64_t)1 << k;
        if (s > AUTHFAIL_MAX_WAIT_S)
            s = AUTHFAIL_MAX_WAIT_S;
        e->until_ms = now_ms + s * 1000;
    }
    pthread_mutex_unlock(&a->mu);
}

void authfail_ok(struct authfail *a, const char *addr)
{
    pthread_mutex_lock(&a->mu);
    struct entry *e = find(a, addr);
    if (e)
        memset(e, 0, sizeof *e);
    pthread_mutex_unlock(&a->mu);
}
