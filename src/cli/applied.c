/*
 * cmd_applied: `signoff applied ID --ref REF` records that the producer
 * acted on the draft's released outcome (sent the reply, made the refund):
 * an action record in the audit chain, shown by show and in the feed.
 * Idempotent by request id: a retry with the same --request-id answers
 * the first record.
 */
#define _GNU_SOURCE
#include "signoff/cli/cli.h"

#include <stdio.h>
#include <stdlib.h>

#include "signoff/json.h"
#include "signoff/text.h"

static const char usage_text[] =
    "usage: signoff applied ID --ref REF [--note N] [--request-id RID]\n"
    "                       [--queue PATH|URL] [--reviewer NAME]\n"
    "                       [--format text|json]\n"
    "\n"
    "Record that the producing system acted on the final outcome of draft\n"
    "ID (released: see signoff events), with its own reference for what it\n"
    "did. Once recorded, the outcome can no longer be undone. A released\n"
    "outcome without an action record for longer than the workflow's\n"
    "applied-within bound is unapplied backlog (signoff stats --check).\n"
    "\n"
    "Options:\n"
    "  -r, --ref REF         the external reference (ticket #8812, txn id)\n"
    "  -n, --note N          a note kept with the record\n"
    "  -i, --request-id RID  the idempotency key (default: a new uuid);\n"
    "                        pass the same one when retrying\n"
    "  -q, --queue PATH|URL  the queue (default: $SIGNOFF_QUEUE, the config\n"
    "                        file, $XDG_DATA_HOME/signoff/signoff.db)\n"
    "      --reviewer NAME   who records it (default: $SIGNOFF_REVIEWER, the\n"
    "                        config file, the login name); a remote queue's\n"
    "                        producer token decides\n"
    "  -f, --format FMT      text (default) or json\n"
    "  -h, --help            show this help\n"
    "      --version         show the version\n";

struct applied_args {
    struct cli_common common;
    const char *ref;
    const char *note;
    const char *request_id;
    int json;
};

static void print_result(const char *id, const struct so_decide_result *r,
                         int json)
{
    if (json) {
        cJSON *o = json_new_object();
        json_add_string(o, "draft_id", id);
        json_add_int(o, "seq", r->seq);
        json_add_string(o, "hash", r->hash);
        json_add_bool(o, "replayed", r->replayed);
        char *s = json_print_escaped(o, 0);
        printf("%s\n", s);
        free(s);
        cJSON_Delete(o);
        return;
    }
    char *pid = text_plain(id, 0, 0);
    printf("%s: applied, seq %lld%s\n", pid, (long long)r->seq,
           r->replayed ? " (already recorded)" : "");
    free(pid);
}

static int applied_option(int c, const char *arg, void *ctx)
{
    static const char *const formats[] = {"text", "json", NULL};
    struct applied_args *a = ctx;
    int k;
    switch (c) {
    case 'r':
        a->ref = arg;
        return 0;
    case 'n':
        a->note = arg;
        return 0;
    case 'i':
        a->request_id = arg;
        return 0;
    default: /* 'f' */
        if ((k = cli_pick("applied", "--format", arg, formats)) < 0)
            return EXIT_USAGE;
        a->json = k == 1;
        return 0;
    }
}

int cmd_applied(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_OPTION_QUEUE,
        CLI_OPTION_REVIEWER,
        {"ref", required_argument, NULL, 'r'},
        {"note", required_argument, NULL, 'n'},
        {"request-id", required_argument, NULL, 'i'},
        {"format", required_argument, NULL, 'f'},
        CLI_OPTION_END,
    };
    static const struct cli_cmd cmd = {"applied", usage_text, "q:r:n:i:f:",
                                       longopts, applied_option, 1};
    struct applied_args a = {0};
    int rc = cli_parse(&cmd, argc, argv, &a.common, &a);
    if (rc >= 0)
        return rc;
    if (optind + 1 != argc)
        return cli_usage_error("applied", "expected one draft ID");
    if (!a.ref)
        return cli_usage_error("applied", "--ref is required");
    const char *id = argv[optind];
    struct queue_opts o = {0};
    struct queue *q = cli_open_queue(a.common.queue, a.common.reviewer, &o);
    if (!q)
        return EXIT_FAIL;
    char fresh[37];
    so_uuid(fresh);
    struct so_applied_req req = {id, a.request_id ? a.request_id : fresh,
                                 a.ref, a.note};
    struct so_decide_result res;
    struct so_error err;
    so_error_clear(&err);
    if (!q->ops->applied)
        so_fail(&err, SO_ERR_INVALID, "%s: this queue cannot record actions",
                id);
    enum so_status st =
        q->ops->applied ? q->ops->applied(q, &req, &res, &err) : SO_ERR_INVALID;
    if (st == SO_OK)
        print_result(id, &res, a.json);
    else
        cli_error(err.msg, NULL);
    queue_close(q);
    return st == SO_OK ? 0 : cli_exit_for(st);
}
