/*
 * guard: connection limits, the request-head deadline and the cap on
 * buffered request bodies of `signoff serve` (see guard.h). One mutex
 * guards a list of the open connections (a few hundred at most, so a scan
 * is cheap); a thread wakes four times a second to shut down connections
 * whose head is late. Never closes a socket and never prints: limits are
 * reported through the log callback, rate-limited.
 */
#define _GNU_SOURCE
#include "signoff/server/guard.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "signoff/util.h"

#define GUARD_TICK_MS 250
#define GUARD_LOG_EVERY_MS 1000

/* The kinds of limit, each with its own log rate. */
enum guard_kind { G_ADDR, G_TOTAL, G_HEAD, G_MEMORY, G_NKINDS };

struct guard_conn {
    struct guard_conn *prev, *next;
    int fd;
    char addr[INET6_ADDRSTRLEN];    /* the peer, for the log */
    char key[INET6_ADDRSTRLEN + 3]; /* whose limit: the address, an IPv6
                                       one's /64 (one host's share) */
    int64_t head_since; /* mono ms the awaited head began; 0: none awaited */
    int cut;            /* shut down by the guard, closing */
};

struct guard {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
    int stopping;
    struct guard_limits lim;
    struct guard_conn *conns; /* newest first */
    size_t held;              /* request-body bytes in memory */
    int64_t logged_at[G_NKINDS];
    unsigned unsaid[G_NKINDS];
    void (*log)(void *arg, const char *line);
    void *log_arg;
};

/* A pending log line, written once the mutex is released. */
struct guard_note {
    char line[256];
};

/* Count one hit of kind; fill note (when due) with what, and how many went
 * unsaid since the last line of that kind. Called with g->mu held. */
static void note(struct guard *g, enum guard_kind kind, struct guard_note *n,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void note(struct guard *g, enum guard_kind kind, struct guard_note *n,
                 const char *fmt, ...)
{
    int64_t now = so_mono_ms();
    if (g->logged_at[kind] && now - g->logged_at[kind] < GUARD_LOG_EVERY_MS) {
        g->unsaid[kind]++;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(n->line, sizeof n->line, fmt, ap);
    va_end(ap);
    if (g->unsaid[kind] && len > 0 && (size_t)len < sizeof n->line)
        snprintf(n->line + len, sizeof n->line - (size_t)len,
                 " (and %u more like it in the last %lld ms)", g->unsaid[kind],
                 (long long)(now - g->logged_at[kind]));
    g->logged_at[kind] = now;
    g->unsaid[kind] = 0;
}

static void say(struct guard *g, struct guard_note *n, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (n[i].line[0] && g->log)
            g->log(g->log_arg, n[i].line);
}

/* Shut c down: the HTTP library sees the peer gone and closes it. */
static void cut(struct guard_conn *c)
{
    shutdown(c->fd, SHUT_RDWR);
    c->cut = 1;
}

static void *guard_main(void *arg)
{
    struct guard *g = arg;
    pthread_mutex_lock(&g->mu);
    while (!g->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += GUARD_TICK_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&g->cv, &g->mu, &until);
        struct guard_note n = {{0}};
        int64_t now = so_mono_ms();
        for (struct guard_conn *c = g->conns; c; c = c->next)
            if (!c->cut && c->head_since &&
                now - c->head_since >= g->lim.head_ms) {
                cut(c);
                note(g, G_HEAD, &n,
                     "limit: %s sent no complete request head within %lld ms;"
                     " closed the connection",
                     c->addr, (long long)g->lim.head_ms);
            }
        if (n.line[0]) {
            pthread_mutex_unlock(&g->mu);
            say(g, &n, 1);
            pthread_mutex_lock(&g->mu);
        }
    }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

struct guard *guard_new(const struct guard_limits *lim,
                        void (*log)(void *arg, const char *line),
                        void *log_arg)
{
    struct guard *g = xcalloc(1, sizeof *g);
    g->lim = *lim;
    if (!g->lim.per_addr)
        g->lim.per_addr = GUARD_PER_ADDR;
    if (!g->lim.total)
        g->lim.total = GUARD_TOTAL;
    if (!g->lim.buffered)
        g->lim.buffered = GUARD_BUFFERED;
    g->log = log;
    g->log_arg = log_arg;
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->cv, NULL);
    if (pthread_create(&g->thread, NULL, guard_main, g) != 0) {
        pthread_cond_destroy(&g->cv);
        pthread_mutex_destroy(&g->mu);
        free(g);
        return NULL;
    }
    return g;
}

void guard_free(struct guard *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->mu);
    g->stopping = 1;
    pthread_cond_signal(&g->cv);
    pthread_mutex_unlock(&g->mu);
    pthread_join(g->thread, NULL);
    while (g->conns) {
        struct guard_conn *c = g->conns;
        g->conns = c->next;
        free(c);
    }
    pthread_cond_destroy(&g->cv);
    pthread_mutex_destroy(&g->mu);
    free(g);
}

/* The peer sa as text (out), and the key its limits are counted under:
 * an IPv4 address itself (also one mapped into IPv6); an IPv6 address's
 * /64, which one host is routinely given whole, so that its 2^64
 * addresses share one allowance. */
static void addr_text(const struct sockaddr *sa, char out[INET6_ADDRSTRLEN],
                      char key[INET6_ADDRSTRLEN + 3])
{
    out[0] = key[0] = '\0';
    if (!sa)
        return;
    if (sa->sa_family == AF_INET) {
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
                  out, INET6_ADDRSTRLEN);
    } else if (sa->sa_family == AF_INET6) {
        struct in6_addr a =
            ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(&a)) {
            inet_ntop(AF_INET, &a.s6_addr[12], out, INET6_ADDRSTRLEN);
        } else {
            inet_ntop(AF_INET6, &a, out, INET6_ADDRSTRLEN);
            memset(&a.s6_addr[8], 0, 8);
            inet_ntop(AF_INET6, &a, key, INET6_ADDRSTRLEN);
            strcat(key, "/64");
            return;
        }
    }
    memcpy(key, out, INET6_ADDRSTRLEN);
}

/* The oldest live connection (of addr, or of all when addr is NULL) that
 * waits for a request head, or NULL. Called with g->mu held. */
static struct guard_conn *oldest_waiting(struct guard *g, const char *addr)
{
    struct guard_conn *best = NULL;
    for (struct guard_conn *c = g->conns; c; c = c->next)
        if (!c->cut && c->head_since && (!addr || strcmp(c->key, addr) == 0) &&
            (!best || c->head_since <= best->head_since))
            best = c;
    return best;
}

/* Make room for c when its address or the server is full: shut down the
 * oldest connection still waiting for a head, or c itself. */
static void make_room(struct guard *g, struct guard_conn *c,
                      struct guard_note n[2])
{
    size_t mine = 0, all = 0;
    for (struct guard_conn *o = g->conns; o; o = o->next)
        if (!o->cut && o != c) {
            all++;
            mine += strcmp(o->key, c->key) == 0;
        }
    int full_addr = mine >= g->lim.per_addr;
    if (!full_addr && all < g->lim.total)
        return;
    struct guard_conn *victim = oldest_waiting(g, full_addr ? c->key : NULL);
    const char *who = full_addr ? c->key : "the server";
    size_t count = full_addr ? mine : all;
    if (victim && victim != c) {
        cut(victim);
        note(g, full_addr ? G_ADDR : G_TOTAL, &n[0],
             "limit: %s has %zu connections; closed the oldest one still"
             " sending its request head (from %s) for a new one",
             who, count, victim->addr);
    } else {
        cut(c);
        note(g, full_addr ? G_ADDR : G_TOTAL, &n[1],
             "limit: %s has %zu connections, all busy; refused a new one"
             " from %s",
             who, count, c->addr);
    }
}

struct guard_conn *guard_open(struct guard *g, int fd,
                              const struct sockaddr *addr)
{
    struct guard_conn *c = xcalloc(1, sizeof *c);
    struct guard_note n[2] = {{{0}}, {{0}}};
    c->fd = fd;
    addr_text(addr, c->addr, c->key);
    c->head_since = so_mono_ms();
    pthread_mutex_lock(&g->mu);
    c->next = g->conns;
    if (g->conns)
        g->conns->prev = c;
    g->conns = c;
    make_room(g, c, n);
    pthread_mutex_unlock(&g->mu);
    say(g, n, 2);
    return c;
}

void guard_close(struct guard *g, struct guard_conn *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&g->mu);
    if (c->prev)
        c->prev->next = c->next;
    else
        g->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    pthread_mutex_unlock(&g->mu);
    free(c);
}

void guard_head_done(struct guard *g, struct guard_conn *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&g->mu);
    c->head_since = 0;
    pthread_mutex_unlock(&g->mu);
}

void guard_head_wait(struct guard *g, struct guard_conn *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&g->mu);
    c->head_since = so_mono_ms();
    pthread_mutex_unlock(&g->mu);
}

const char *guard_addr(const struct guard_conn *c)
{
    return c ? c->addr : "";
}

const char *guard_key(const struct guard_conn *c)
{
    return c ? c->key : "";
}

int guard_hold(struct guard *g, size_t n)
{
    struct guard_note msg = {{0}};
    int ok;
    pthread_mutex_lock(&g->mu);
    ok = g->held <= g->lim.buffered && n <= g->lim.buffered - g->held;
    if (ok)
        g->held += n;
    else
        note(g, G_MEMORY, &msg,
             "limit: request bodies in memory would pass %zu bytes; refused"
             " one with 503",
             g->lim.buffered);
    pthread_mutex_unlock(&g->mu);
    say(g, &msg, 1);
    return ok ? 0 : -1;
}

void guard_unhold(struct guard *g, size_t n)
{
    pthread_mutex_lock(&g->mu);
    g->held = n <= g->held ? g->held - n : 0;
    pthread_mutex_unlock(&g->mu);
}
