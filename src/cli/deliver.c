/*
 * cmd_deliver: `signoff deliver` sends the webhooks of a local queue until
 * SIGTERM or SIGINT (or, with --once, what is due now), and the deliverer
 * thread `signoff serve` runs beside its server. The rules of an attempt's
 * result are webhook.h's; the lease and the rows are the queue's.
 */
#define _GNU_SOURCE
#include "signoff/cli/deliver.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "signoff/backends.h"
#include "signoff/cli/cli.h"
#include "signoff/json.h"
#include "signoff/remote/webhook_send.h"
#include "signoff/webhook.h"

/* The longest idle wait between looks at the due deliveries (a retry's
 * time comes without a commit). */
#define DELIVER_IDLE_MS 1000

/* $SIGNOFF_WEBHOOK_BACKOFF_MS and $SIGNOFF_WEBHOOK_TIMEOUT_MS: shorter
 * first retries and attempts (tests; 10..WEBHOOK_BACKOFF_MS and
 * 100..WEBHOOK_TIMEOUT_MS), else the defaults. */
static int64_t env_ms(const char *name, long lo, long def)
{
    const char *v = getenv(name);
    long ms;
    return v && so_parse_long(v, lo, def, &ms) == 0 ? ms : def;
}

int64_t deliver_timeout_ms(void)
{
    return env_ms("SIGNOFF_WEBHOOK_TIMEOUT_MS", 100, WEBHOOK_TIMEOUT_MS);
}

enum so_status deliver_ping(const struct so_hook *h, struct so_hook_ping *out,
                            struct so_error *err)
{
    char msg_id[64], at[32];
    int64_t now = so_now_ms();
    snprintf(msg_id, sizeof msg_id, "msg_test_%lld", (long long)now);
    so_format_time(now, at);
    cJSON *o = json_new_object();
    json_add_string(o, "type", "signoff.test");
    json_add_string(o, "timestamp", at);
    cJSON *d = json_new_object();
    json_add_int(d, "hook", h->id);
    json_add_string(d, "workflow", h->workflow);
    json_add_item(o, "data", d);
    char *body = json_print(o);
    cJSON_Delete(o);
    struct webhook_reply rep;
    enum so_status st =
        webhook_post(h, msg_id, body, deliver_timeout_ms(), &rep, err);
    free(body);
    memset(out, 0, sizeof *out);
    if (st == SO_OK) {
        out->status = rep.status;
        out->ms = rep.ms;
        snprintf(out->error, sizeof out->error, "%s", rep.error);
    }
    return st;
}

static double jitter(void)
{
    static __thread unsigned seed;
    if (!seed)
        seed = (unsigned)so_mono_ms() ^ (unsigned)getpid() ^
               (unsigned)(uintptr_t)&seed;
    return (double)(rand_r(&seed) % 10000) / 10000.0;
}

/* Send d (or skip it) and fill r. body and error texts live in bufs. */
static void attempt(struct so_delivery *d, struct so_delivery_result *r,
                    struct webhook_reply *rep)
{
    int64_t now = so_now_ms();
    if (!webhook_wants(d->hook.events, &d->event)) {
        r->state = "skipped";
        return;
    }
    char id[64];
    struct so_error err;
    webhook_msg_id(d->event.rec.seq, d->event.rec.hash, id);
    char *body = webhook_message(&d->event, now);
    if (webhook_post(&d->hook, id, body, deliver_timeout_ms(), rep, &err) !=
        SO_OK)
        snprintf(rep->error, sizeof rep->error, "%.150s", err.msg);
    free(body);
    struct webhook_verdict v;
    webhook_judge(rep->status, d->attempts + 1,
                  d->first_at ? d->first_at : now, so_now_ms(),
                  d->hook.retry_for_ms, d->hook.fail_streak,
                  d->hook.max_failures,
                  env_ms("SIGNOFF_WEBHOOK_BACKOFF_MS", 10, WEBHOOK_BACKOFF_MS),
                  jitter(), &v);
    r->attempted = 1;
    r->status = rep->status;
    r->error = rep->error[0] ? rep->error : NULL;
    r->ms = rep->ms;
    r->state = v.next == WEBHOOK_DELIVERED ? "delivered"
               : v.next == WEBHOOK_DEAD    ? "dead"
                                           : "pending";
    r->next_at = v.next_at;
    r->disable_hook = v.disable_hook;
}

int deliver_due(struct queue *q, int max, struct so_error *err)
{
    if (!q->ops->delivery_claim) {
        so_fail(err, SO_ERR_USAGE, "webhooks are delivered where the queue "
                                   "file is (signoff serve or deliver)");
        return -1;
    }
    int done = 0;
    while (done < max) {
        struct so_delivery d;
        enum so_status st =
            q->ops->delivery_claim(q, WEBHOOK_LEASE_MS, &d, err);
        if (st == SO_EMPTY)
            break;
        if (st != SO_OK)
            return -1;
        struct so_delivery_result r = {.id = d.id,
                                       .lease_token = d.lease_token};
        struct webhook_reply rep;
        memset(&rep, 0, sizeof rep);
        attempt(&d, &r, &rep);
        st = q->ops->delivery_finish(q, &r, err);
        so_delivery_clear(&d);
        if (st != SO_OK && st != SO_ERR_LEASE)
            return -1;
        done++;
    }
    return done;
}

/* Wait for a commit (the feed's head moving) or DELIVER_IDLE_MS. */
static void idle(struct queue *q, int64_t *head)
{
    struct so_event_req req = {*head, NULL, 1, DELIVER_IDLE_MS};
    struct so_event_page p;
    struct so_error err;
    if (q->ops->events(q, &req, &p, &err) == SO_OK) {
        *head = p.head > p.next_after ? p.head : p.next_after;
        so_event_page_free(&p);
    } else {
        sleep(1);
    }
}

/* Deliver until *stop. */
static void run(struct queue *q, volatile sig_atomic_t *stop,
                void (*report)(const char *msg))
{
    int64_t head = 0;
    struct so_event_req req = {0, NULL, 1, 0};
    struct so_event_page p;
    struct so_error err;
    if (q->ops->events(q, &req, &p, &err) == SO_OK) {
        head = p.head;
        so_event_page_free(&p);
    }
    while (!*stop) {
        int n = deliver_due(q, 100, &err);
        if (n < 0 && report)
            report(err.msg);
        if (n <= 0 && !*stop)
            idle(q, &head);
    }
}

struct deliverer {
    pthread_t thread;
    struct queue *q;
    volatile sig_atomic_t stop;
};

static void *thread_main(void *arg)
{
    struct deliverer *d = arg;
    run(d->q, &d->stop, NULL);
    return NULL;
}

enum so_status deliver_start(const char *path, struct deliverer **out,
                             struct so_error *err)
{
    struct deliverer *d = xcalloc(1, sizeof *d);
    struct queue_opts o = {.reviewer = "signoff-deliver"};
    enum so_status st = queue_open(path, &o, &d->q, err);
    if (st == SO_OK && pthread_create(&d->thread, NULL, thread_main, d) != 0)
        st = so_fail(err, SO_ERR, "cannot start the webhook deliverer");
    if (st != SO_OK) {
        queue_close(d->q);
        free(d);
        return st;
    }
    *out = d;
    return SO_OK;
}

void deliver_stop(struct deliverer *d)
{
    if (!d)
        return;
    d->stop = 1;
    pthread_join(d->thread, NULL);
    queue_close(d->q);
    free(d);
}

/* ---- signoff deliver ---------------------------------------------------- */

static const char usage_text[] =
    "usage: signoff deliver [--queue PATH] [--once]\n"
    "\n"
    "Send the webhooks of a local queue (signoff hook) until SIGTERM or\n"
    "SIGINT: each due delivery is leased, signed (Standard Webhooks), sent\n"
    "and its result recorded; failures are retried with backoff, then\n"
    "dead-lettered. Several deliverers may run on one queue. signoff serve\n"
    "delivers for the queue it serves.\n"
    "\n"
    "Options:\n"
    "  -q, --queue PATH  the queue file (default: $SIGNOFF_QUEUE, the config\n"
    "                    file, $XDG_DATA_HOME/signoff/signoff.db)\n"
    "  -1, --once        send what is due now, then exit\n"
    "  -h, --help        show this help\n"
    "      --version     show the version\n";

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

static void report(const char *msg)
{
    fprintf(stderr, "signoff: deliver: %s\n", msg);
}

static int deliver_option(int c, const char *arg, void *ctx)
{
    (void)c;
    (void)arg;
    *(int *)ctx = 1;
    return 0;
}

int cmd_deliver(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_OPTION_QUEUE,
        {"once", no_argument, NULL, '1'},
        CLI_OPTION_END,
    };
    static const struct cli_cmd cmd = {"deliver", usage_text, "q:1", longopts,
                                       deliver_option, 0};
    struct cli_common common = {0};
    int once = 0;
    int rc = cli_parse(&cmd, argc, argv, &common, &once);
    if (rc >= 0)
        return rc;
    char *spec = cli_queue_spec(common.queue);
    int remote = queue_is_remote(spec);
    free(spec);
    if (remote)
        return cli_usage_error("deliver", "needs the queue file: the server "
                                          "of a remote queue delivers");
    struct queue_opts o = {.reviewer = "signoff-deliver"};
    struct queue *q = cli_open_queue(common.queue, "signoff-deliver", &o);
    if (!q)
        return EXIT_FAIL;
    struct so_error err;
    if (once) {
        int n = deliver_due(q, 1 << 30, &err);
        if (n < 0)
            report(err.msg);
        queue_close(q);
        return n < 0 ? EXIT_FAIL : 0;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    run(q, &stopping, report);
    queue_close(q);
    return 0;
}
