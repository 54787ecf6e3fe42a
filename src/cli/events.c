/*
 * cmd_events: `signoff events` prints the outcome feed, the audit records
 * in chain order from a cursor (outcome.h says which are outcomes), as
 * JSON Lines for programs or one line each for people; --follow keeps
 * waiting for more (on a local queue it wakes on a commit by any process,
 * see store_events; on a remote one it long-polls the server).
 */
#define _GNU_SOURCE
#include "signoff/cli/cli.h"

#include <stdio.h>
#include <stdlib.h>

#include "signoff/json.h"
#include "signoff/remote/protocol.h"
#include "signoff/text.h"

/* One wait of --follow: the feed answers at once when there is more. */
#define FOLLOW_WAIT_MS 30000

static const char usage_text[] =
    "usage: signoff events [--queue PATH|URL] [--after SEQ] [--workflow W]\n"
    "                      [--limit N] [--follow] [--format text|jsonl]\n"
    "\n"
    "The outcome feed: every audit record (review, resolve, revert, action\n"
    "record) after the cursor SEQ, in chain order, each with its seq, hash\n"
    "and prev_hash. A record that is a final outcome carries what the\n"
    "producer acts on (the text to send, the reject reason and note); a\n"
    "final outcome is held back for the workflow's release delay, and so is\n"
    "every record after it. Store the seq of the last event you handled and\n"
    "pass it as --after next time. See signoff-queue(5), OUTCOMES.\n"
    "\n"
    "Options:\n"
    "  -q, --queue PATH|URL  the queue (default: $SIGNOFF_QUEUE, the config\n"
    "                        file, $XDG_DATA_HOME/signoff/signoff.db)\n"
    "  -a, --after SEQ       start after this seq (default 0: the beginning)\n"
    "  -w, --workflow W      only events of drafts of workflow W\n"
    "  -n, --limit N         at most N events (1..1000, default 1000; with\n"
    "                        --follow: per read)\n"
    "  -F, --follow          keep waiting for new events (until killed)\n"
    "  -f, --format FMT      text (default) or jsonl (one JSON object per\n"
    "                        line, the fields of GET /v1/events)\n"
    "  -h, --help            show this help\n"
    "      --version         show the version\n";

struct events_args {
    struct cli_common common;
    long after;
    const char *workflow;
    long limit;
    int follow;
    int jsonl;
};

static void print_text(const struct so_event *e)
{
    char *id = text_plain(e->rec.draft_id, 0, 0);
    char *wf = text_plain(e->workflow ? e->workflow : "-", 0, 0);
    char *who = text_plain(e->rec.reviewer ? e->rec.reviewer : "-", 0, 0);
    char at[32];
    so_format_time(e->rec.decided_at, at);
    printf("%lld %s %s/%s %s %s %s", (long long)e->rec.seq, at,
           e->rec.kind ? e->rec.kind : "review", so_action_name(e->rec.action),
           id, wf, who);
    if (e->outcome)
        printf(" outcome=%s", so_action_name(e->rec.action));
    if (e->retracted)
        printf(" retracted");
    if (e->revokes)
        printf(" revokes=%lld", (long long)e->revokes);
    if (e->rec.reverts_seq && !e->revokes)
        printf(" reverts=%lld", (long long)e->rec.reverts_seq);
    if (e->rec.action == SO_ACT_APPLIED || e->rec.action == SO_ACT_ADMIN) {
        char *ref = text_plain(e->rec.reason ? e->rec.reason : "", 0, 0);
        printf(" %s=%s", e->rec.action == SO_ACT_ADMIN ? "what" : "ref", ref);
        free(ref);
    }
    putchar('\n');
    free(who);
    free(wf);
    free(id);
}

static void print_event(const struct so_event *e, int jsonl)
{
    if (!jsonl) {
        print_text(e);
        return;
    }
    cJSON *o = proto_event_to_json(e);
    char *s = json_print_escaped(o, 0);
    printf("%s\n", s);
    free(s);
    cJSON_Delete(o);
}

static int run(struct queue *q, const struct events_args *a)
{
    if (!q->ops->events) {
        cli_error("events", "this queue cannot serve the feed");
        return EXIT_FAIL;
    }
    struct so_event_req req = {.after = a->after,
                               .workflow = a->workflow,
                               .limit = a->limit ? (int)a->limit : 1000};
    for (;;) {
        struct so_event_page p;
        struct so_error err;
        so_error_clear(&err);
        req.wait_ms = a->follow ? FOLLOW_WAIT_MS : 0;
        if (q->ops->events(q, &req, &p, &err) != SO_OK) {
            cli_error("events", "%s", err.msg);
            return EXIT_FAIL;
        }
        for (size_t i = 0; i < p.n; i++)
            print_event(&p.v[i], a->jsonl);
        req.after = p.next_after;
        so_event_page_free(&p);
        if (fflush(stdout) != 0 || ferror(stdout))
            return EXIT_FAIL;
        if (!a->follow)
            return 0;
    }
}

static int events_option(int c, const char *arg, void *ctx)
{
    static const char *const formats[] = {"text", "jsonl", NULL};
    struct events_args *a = ctx;
    int k;
    switch (c) {
    case 'a':
        if (so_parse_long(arg, 0, JSON_MAX_SAFE_INT, &a->after) != 0)
            return cli_usage_error("events", "--after: expected a seq, not "
                                             "'%s'", arg);
        return 0;
    case 'n':
        if (so_parse_long(arg, 1, 1000, &a->limit) != 0)
            return cli_usage_error("events", "--limit: expected 1..1000, not "
                                             "'%s'", arg);
        return 0;
    case 'w':
        a->workflow = arg;
        return 0;
    case 'F':
        a->follow = 1;
        return 0;
    default: /* 'f' */
        if ((k = cli_pick("events", "--format", arg, formats)) < 0)
            return EXIT_USAGE;
        a->jsonl = k == 1;
        return 0;
    }
}

int cmd_events(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_OPTION_QUEUE,
        {"after", required_argument, NULL, 'a'},
        {"workflow", required_argument, NULL, 'w'},
        {"limit", required_argument, NULL, 'n'},
        {"follow", no_argument, NULL, 'F'},
        {"format", required_argument, NULL, 'f'},
        CLI_OPTION_END,
    };
    static const struct cli_cmd cmd = {"events", usage_text, "q:a:w:n:Ff:",
                                       longopts, events_option, 0};
    struct events_args a = {0};
    int rc = cli_parse(&cmd, argc, argv, &a.common, &a);
    if (rc >= 0)
        return rc;
    struct queue_opts o = {.readonly = 0};
    struct queue *q = cli_open_queue(a.common.queue, NULL, &o);
    if (!q)
        return EXIT_FAIL;
    rc = run(q, &a);
    queue_close(q);
    return rc;
}
