/*
 * longpoll: suspended GET /v1/events requests and the one thread that
 * resumes them. The thread reads the feed from the smallest waiting cursor
 * with a short wait (queue_ops.events wakes on a commit by any process, so
 * a decision reaches a waiting producer within the store's wake-up time),
 * then resumes the requests the head has passed and those whose deadline
 * came. A request is suspended under the lock and resumed under it, so a
 * resume never precedes its suspend. Must not answer requests itself.
 */
#define _GNU_SOURCE
#include "signoff/server/longpoll.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/backends.h"

/* The longest single wait of the thread: a new request's deadline is met
 * within this, and stop is seen within it. */
#define LONGPOLL_STEP_MS 250

struct waiter {
    struct MHD_Connection *con;
    int64_t after;
    int64_t deadline;
};

struct longpoll {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct queue *q;
    struct waiter *v;
    size_t n, cap;
    int stop;
};

/* Resume and drop the waiters for which done(w) holds. Under mu. */
static void resume_if(struct longpoll *lp, int64_t head, int64_t now, int all)
{
    size_t k = 0;
    for (size_t i = 0; i < lp->n; i++) {
        struct waiter *w = &lp->v[i];
        if (all || head > w->after || now >= w->deadline)
            MHD_resume_connection(w->con);
        else
            lp->v[k++] = *w;
    }
    lp->n = k;
}

/* The smallest cursor and the nearest deadline of the waiters. Under mu. */
static void bounds(const struct longpoll *lp, int64_t *after, int64_t *until)
{
    *after = INT64_MAX;
    *until = INT64_MAX;
    for (size_t i = 0; i < lp->n; i++) {
        if (lp->v[i].after < *after)
            *after = lp->v[i].after;
        if (lp->v[i].deadline < *until)
            *until = lp->v[i].deadline;
    }
}

static void *run(void *arg)
{
    struct longpoll *lp = arg;
    pthread_mutex_lock(&lp->mu);
    while (!lp->stop) {
        if (lp->n == 0) {
            pthread_cond_wait(&lp->cv, &lp->mu);
            continue;
        }
        int64_t after, until;
        bounds(lp, &after, &until);
        pthread_mutex_unlock(&lp->mu);
        int64_t left = until - so_mono_ms();
        struct so_event_req req = {
            .after = after,
            .limit = 1,
            .wait_ms = left < 0                  ? 0
                       : left > LONGPOLL_STEP_MS ? LONGPOLL_STEP_MS
                                                 : left};
        struct so_event_page p;
        struct so_error err;
        int64_t head = after;
        if (lp->q->ops->events(lp->q, &req, &p, &err) == SO_OK) {
            head = p.next_after;
            so_event_page_free(&p);
        }
        pthread_mutex_lock(&lp->mu);
        resume_if(lp, head, so_mono_ms(), 0);
    }
    resume_if(lp, 0, 0, 1);
    pthread_mutex_unlock(&lp->mu);
    return NULL;
}

enum so_status longpoll_start(const char *path, struct longpoll **out,
                              struct so_error *err)
{
    struct longpoll *lp = xcalloc(1, sizeof *lp);
    struct queue_opts o = {.reviewer = "signoff-serve"};
    enum so_status st = queue_open(path, &o, &lp->q, err);
    if (st != SO_OK) {
        free(lp);
        return st;
    }
    pthread_mutex_init(&lp->mu, NULL);
    pthread_cond_init(&lp->cv, NULL);
    if (pthread_create(&lp->thread, NULL, run, lp) != 0) {
        queue_close(lp->q);
        pthread_cond_destroy(&lp->cv);
        pthread_mutex_destroy(&lp->mu);
        free(lp);
        return so_fail(err, SO_ERR_IO, "cannot start the long-poll thread");
    }
    *out = lp;
    return SO_OK;
}

void longpoll_add(struct longpoll *lp, struct MHD_Connection *con,
                  int64_t after, int64_t deadline_ms)
{
    pthread_mutex_lock(&lp->mu);
    MHD_suspend_connection(con);
    if (lp->stop) {
        MHD_resume_connection(con);
    } else {
        if (lp->n == lp->cap) {
            lp->cap = lp->cap ? lp->cap * 2 : 16;
            lp->v = xrealloc(lp->v, lp->cap * sizeof *lp->v);
        }
        lp->v[lp->n++] = (struct waiter){con, after, deadline_ms};
        pthread_cond_signal(&lp->cv);
    }
    pthread_mutex_unlock(&lp->mu);
}

void longpoll_stop(struct longpoll *lp)
{
    if (!lp)
        return;
    pthread_mutex_lock(&lp->mu);
    int was = lp->stop;
    lp->stop = 1;
    pthread_cond_signal(&lp->cv);
    pthread_mutex_unlock(&lp->mu);
    if (!was)
        pthread_join(lp->thread, NULL);
}

void longpoll_free(struct longpoll *lp)
{
    if (!lp)
        return;
    longpoll_stop(lp);
    queue_close(lp->q);
    free(lp->v);
    pthread_cond_destroy(&lp->cv);
    pthread_mutex_destroy(&lp->mu);
    free(lp);
}
