/*
 * offload: a small pool of threads for the requests that write (see
 * offload.h). Jobs wait in a FIFO under one mutex; a connection is
 * suspended before its job is queued, so its resume never precedes its
 * suspend. Must not answer requests itself.
 */
#include "signoff/server/offload.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdlib.h>

struct job {
    struct job *next;
    struct MHD_Connection *con;
    void (*fn)(void *arg);
    void *arg;
};

struct offload {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct job *head, *tail;
    int stop;
    pthread_t *threads;
    unsigned n;
};

static void *run(void *arg)
{
    struct offload *o = arg;
    pthread_mutex_lock(&o->mu);
    for (;;) {
        while (!o->head && !o->stop)
            pthread_cond_wait(&o->cv, &o->mu);
        struct job *j = o->head;
        if (!j)
            break; /* stopping, nothing left */
        o->head = j->next;
        if (!o->head)
            o->tail = NULL;
        pthread_mutex_unlock(&o->mu);
        j->fn(j->arg);
        MHD_resume_connection(j->con);
        free(j);
        pthread_mutex_lock(&o->mu);
    }
    pthread_mutex_unlock(&o->mu);
    return NULL;
}

enum so_status offload_start(unsigned n, struct offload **out,
                             struct so_error *err)
{
    struct offload *o = xcalloc(1, sizeof *o);
    pthread_mutex_init(&o->mu, NULL);
    pthread_cond_init(&o->cv, NULL);
    o->threads = xcalloc(n ? n : 1, sizeof *o->threads);
    for (o->n = 0; o->n < (n ? n : 1); o->n++)
        if (pthread_create(&o->threads[o->n], NULL, run, o) != 0) {
            offload_stop(o);
            return so_fail(err, SO_ERR_IO, "cannot start a writer thread");
        }
    *out = o;
    return SO_OK;
}

void offload_run(struct offload *o, struct MHD_Connection *con,
                 void (*fn)(void *arg), void *arg)
{
    struct job *j = xcalloc(1, sizeof *j);
    j->con = con;
    j->fn = fn;
    j->arg = arg;
    MHD_suspend_connection(con);
    pthread_mutex_lock(&o->mu);
    if (o->tail)
        o->tail->next = j;
    else
        o->head = j;
    o->tail = j;
    pthread_cond_signal(&o->cv);
    pthread_mutex_unlock(&o->mu);
}

void offload_stop(struct offload *o)
{
    if (!o)
        return;
    pthread_mutex_lock(&o->mu);
    o->stop = 1;
    pthread_cond_broadcast(&o->cv);
    pthread_mutex_unlock(&o->mu);
    for (unsigned i = 0; i < o->n; i++)
        pthread_join(o->threads[i], NULL);
    free(o->threads);
    pthread_cond_destroy(&o->cv);
    pthread_mutex_destroy(&o->mu);
    free(o);
}
