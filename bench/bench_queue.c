/*
 * bench_queue: claim+decide throughput and latency through the queue
 * interface, the same code path as the UI and the CLI, against a local file
 * or a remote server. Forks WORKERS reviewer processes that each loop
 * claim -> decide(approve) for SECONDS and prints one line of figures:
 *   decisions=N rate=D/s p50=MS p99=MS claim_max=MS commit_p99=MS busy=N
 *
 *   bench_queue QUEUE SECONDS WORKERS [normal]
 * For a remote QUEUE the token file comes from $SIGNOFF_TOKEN_FILE.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "signoff/queue.h"
#include "signoff/backends.h"

struct sample {
    double claim_ms;
    double decide_ms;
};

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One reviewer: write samples to fd until the time is up or the queue is
 * empty. Returns the number of errors of kind busy. */
static int reviewer(const char *spec, double seconds, int normal, int idx,
                    int fd)
{
    char name[32];
    snprintf(name, sizeof name, "bench%d", idx);
    struct queue_opts o = {.reviewer = name, .sync_normal = normal,
                           .token_file = getenv("SIGNOFF_TOKEN_FILE")};
    struct queue *q;
    struct so_error err;
    if (queue_open(spec, &o, &q, &err) != SO_OK) {
        fprintf(stderr, "bench_queue: %s\n", err.msg);
        return 1;
    }
    int busy = 0;
    double end = mono() + seconds * 1000;
    while (mono() < end) {
        struct so_claim_req cr = {0};
        struct so_draft *d = NULL;
        double t0 = mono();
        enum so_status st = q->ops->claim(q, &cr, &d, &err);
        double t1 = mono();
        if (st == SO_EMPTY)
            break;
        if (st != SO_OK) {
            busy += st == SO_ERR_BUSY;
            fprintf(stderr, "bench_queue: claim: %s\n", err.msg);
            continue;
        }
        char rid[37];
        so_uuid(rid);
        struct so_decide_req dr = {.draft_id = d->id, .request_id = rid,
                                   .action = SO_ACT_APPROVE,
                                   .shown_at = so_now_ms(), .active_ms = 4000,
                                   .lease_token = d->lease_token};
        struct so_decide_result res;
        st = q->ops->decide(q, &dr, &res, &err);
        double t2 = mono();
        so_draft_free(d);
        if (st != SO_OK) {
            busy += st == SO_ERR_BUSY;
            fprintf(stderr, "bench_queue: decide: %s\n", err.msg);
            continue;
        }
        struct sample s = {t1 - t0, t2 - t1};
        if (write(fd, &s, sizeof s) != (ssize_t)sizeof s)
            break;
    }
    queue_close(q);
    return busy;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_queue QUEUE SECONDS WORKERS [normal]\n");
        return 2;
    }
    double seconds = atof(argv[2]);
    int workers = atoi(argv[3]);
    int normal = argc > 4 && strcmp(argv[4], "normal") == 0;
    int pfd[2];
    if (pipe(pfd) != 0)
        return 1;
    double t0 = mono();
    for (int i = 0; i < workers; i++) {
        if (fork() == 0) {
            close(pfd[0]);
            int busy = reviewer(argv[1], seconds, normal, i, pfd[1]);
            _exit(busy > 100 ? 100 : busy);
        }
    }
    close(pfd[1]);
    size_t n = 0, cap = 1 << 16;
    struct sample *s = malloc(cap * sizeof *s);
    while (read(pfd[0], &s[n], sizeof *s) == (ssize_t)sizeof *s)
        if (++n == cap)
            s = realloc(s, (cap *= 2) * sizeof *s);
    int busy = 0, status;
    while (wait(&status) > 0)
        if (WIFEXITED(status))
            busy += WEXITSTATUS(status);
    double elapsed = mono() - t0;
    if (n == 0) {
        printf("decisions=0\n");
        return 1;
    }
    double *total = malloc(n * sizeof *total), *commit = malloc(n * sizeof *commit);
    double claim_max = 0;
    for (size_t i = 0; i < n; i++) {
        total[i] = s[i].claim_ms + s[i].decide_ms;
        commit[i] = s[i].decide_ms;
        if (s[i].claim_ms > claim_max)
            claim_max = s[i].claim_ms;
    }
    qsort(total, n, sizeof *total, cmp);
    qsort(commit, n, sizeof *commit, cmp);
    printf("decisions=%zu rate=%.0f p50=%.3f p99=%.3f claim_max=%.1f "
           "commit_p99=%.3f busy=%d\n",
           n, n / (elapsed / 1000.0), total[n / 2], total[(size_t)(n * 0.99)],
           claim_max, commit[(size_t)(n * 0.99)], busy);
    free(s);
    free(total);
    free(commit);
    return 0;
}
