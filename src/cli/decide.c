/*
 * cmd_decide: `signoff decide ID ACTION` records a decision for a script
 * through the same queue operations the reviewer UI uses: it claims the
 * draft by id (unless it already holds the claim), then decides with the
 * claim's fencing token. A --request-id makes retries safe: the same id
 * again returns the first result. Validates everything before it claims,
 * and gives the claim back when the decision fails.
 */
#define _GNU_SOURCE
#include "signoff/cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/config.h"
#include "signoff/names.h"
#include "signoff/json.h"
#include "signoff/text.h"

#define REQUEST_ID_MAX 64

static const char usage_text[] =
    "usage: signoff decide [OPTIONS] ID approve|edit|reject|escalate\n"
    "\n"
    "Record a decision on draft ID. A pending draft is claimed first; a\n"
    "draft claimed by another reviewer is refused. Prints the decision's\n"
    "sequence number and audit hash.\n"
    "\n"
    "Options:\n"
    "  -q, --queue PATH|URL   the queue (default: $SIGNOFF_QUEUE, the config\n"
    "                         file, $XDG_DATA_HOME/signoff/signoff.db)\n"
    "      --reviewer NAME    who decides (default: $SIGNOFF_REVIEWER, the\n"
    "                         config file, the login name)\n"
    "      --role ROLE        reviewer or supervisor (who may resolve a\n"
    "                         four-eyes disagreement; default: $SIGNOFF_ROLE,\n"
    "                         the config file, reviewer); a remote queue's\n"
    "                         token decides\n"
    "  -r, --reason CODE      why: required for reject, optional for\n"
    "                         escalate; one of the config's reason codes\n"
    "                         (default: factual, unsupported, tone, policy,\n"
    "                         incomplete, other)\n"
    "  -n, --note TEXT        a free-text note kept with the decision\n"
    "  -b, --body-file FILE   edit: the new text (- for standard input)\n"
    "      --request-id ID    idempotency key (default: a new UUID); the same\n"
    "                         key again returns the first result\n"
    "      --shown-at MS      when the draft was shown (epoch ms; default now)\n"
    "      --active-ms MS     time spent reviewing (default: now - shown-at)\n"
    "  -f, --format FMT       text (default) or json\n"
    "  -h, --help             show this help\n"
    "      --version          show the version\n";

/* decide's own long-only options */
enum { OPT_RID = CLI_OPT_OWN, OPT_SHOWN, OPT_ACTIVE };

struct decide_args {
    struct cli_common common;
    const char *id;
    enum so_action action;
    const char *reason;
    const char *note;
    const char *body_file;
    const char *request_id;
    int64_t shown_at; /* -1: now */
    int64_t active_ms; /* -1: now - shown_at */
    int json;
};

/* Read the edited body from path ("-": stdin), at most SO_MAX_BODY bytes of
 * valid UTF-8. Returns NULL after printing why. */
static char *read_body(const char *path)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    struct buf b;
    char chunk[65536];
    size_t n;
    if (!f) {
        cli_error(path, "cannot read: %s", strerror(errno));
        return NULL;
    }
    buf_init(&b);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= SO_MAX_BODY)
        buf_add(&b, chunk, n);
    int bad = ferror(f);
    if (!is_stdin)
        fclose(f);
    const char *name = is_stdin ? "<stdin>" : path;
    if (bad)
        cli_error(name, "read error");
    else if (b.len > SO_MAX_BODY)
        cli_error(name, "the body is larger than %u bytes", SO_MAX_BODY);
    else if (!text_utf8_valid(buf_cstr(&b), b.len, NULL) ||
             strlen(buf_cstr(&b)) != b.len)
        cli_error(name, "the body is not valid UTF-8 text");
    else
        return buf_steal(&b);
    buf_free(&b);
    return NULL;
}

/* Four-eyes: where the review left the draft, one line. */
static void print_review_step(const struct so_decide_result *r)
{
    if (r->replayed)
        return;
    if (strcmp(r->draft_status, "escalated") == 0)
        printf("escalated: open for a supervisor's final decision\n");
    else if (r->resolution)
        printf("resolved: final %s\n", so_action_name(r->action));
    else if (r->reviews_needed < 2)
        return;
    else if (strcmp(r->draft_status, "pending") == 0)
        printf("review %d of %d recorded\n", r->reviews_done,
               r->reviews_needed);
    else if (strcmp(r->draft_status, "resolve") == 0)
        printf("%s: sent to resolve\n",
               r->review_agreed == 0 ? "disagreed" : "reviews differ");
    else if (r->action != SO_ACT_ESCALATE)
        printf("%sfinal %s\n", r->review_agreed == 1 ? "agreed: " : "",
               so_action_name(r->action));
}

/* Print o (non-ASCII escaped) as one line and free it. */
static void put_json(cJSON *o)
{
    char *s = json_print_escaped(o, 0);
    printf("%s\n", s);
    free(s);
    cJSON_Delete(o);
}

/* A decision the server did not answer: safe in the outbox (signoff(1):
 * every decision is written there first), sent by the next sync. */
static void print_queued(struct queue *q, const struct decide_args *a)
{
    int64_t unsent = 0;
    struct so_error err;
    q->ops->unsent(q, &unsent, &err);
    if (a->json) {
        cJSON *o = json_new_object();
        json_add_string(o, "id", a->id);
        json_add_string(o, "action", so_action_name(a->action));
        json_add_string(o, "status", "queued");
        json_add_int(o, "unsent", unsent);
        put_json(o);
        return;
    }
    char *id = text_plain(a->id, 0, 0);
    printf("queued: %lld unsent (%s of %s is in the outbox: the server did "
           "not answer; signoff sync sends it)\n",
           (long long)unsent, so_action_name(a->action), id);
    free(id);
}

static void print_result(const struct decide_args *a,
                         const struct so_decide_result *r)
{
    if (a->json) {
        cJSON *o = json_new_object();
        json_add_string(o, "id", a->id);
        json_add_string(o, "action", so_action_name(r->action));
        json_add_int(o, "seq", r->seq);
        json_add_string(o, "hash", r->hash);
        json_add_bool(o, "replayed", r->replayed);
        json_add_int(o, "decided_at", r->decided_at);
        json_add_string(o, "status", r->draft_status);
        json_add_int(o, "reviews_done", r->reviews_done);
        json_add_int(o, "reviews_needed", r->reviews_needed);
        json_add_int(o, "review_agreed", r->review_agreed);
        put_json(o);
        return;
    }
    char *id = text_plain(a->id, 0, 0);
    printf("%s%s of %s: seq %lld, hash %s", r->replayed ? "already recorded: "
                                                        : "recorded ",
           so_action_name(r->action), id, (long long)r->seq, r->hash);
    if (!r->replayed && r->action != a->action)
        printf(" (the edit changed nothing)");
    if (strcmp(r->draft_status, "decided") != 0)
        printf(" (draft now %s)", r->draft_status);
    printf("\n");
    free(id);
    print_review_step(r);
}

/* Say why the claim of d failed: who holds it, else the queue's reason. */
static void explain_claim_failure(const struct queue *q,
                                  const struct so_draft *d,
                                  enum so_status st, const struct so_error *err)
{
    if (d->status == SO_DS_CLAIMED && d->claimed_by &&
        strcmp(d->claimed_by, q->reviewer) != 0 && st == SO_ERR_LEASE) {
        char until[32];
        so_format_time(d->lease_until, until);
        cli_error(d->id, "claimed by %s until %s", d->claimed_by, until);
    } else {
        cli_error(err->msg, NULL);
    }
}

/* Claim d unless we hold it already; *token is the fencing token to decide
 * with (0 for a decided draft: only a replayed request can succeed). */
static int take_claim(struct queue *q, const struct so_draft *d,
                      int64_t *token, int *claimed_here)
{
    struct so_error err;
    so_error_clear(&err);
    *claimed_here = 0;
    *token = 0;
    if (d->status == SO_DS_DECIDED)
        return 0;
    if (d->status == SO_DS_CLAIMED && d->claimed_by &&
        strcmp(d->claimed_by, q->reviewer) == 0 &&
        d->lease_until > so_now_ms()) {
        *token = d->lease_token;
        return 0;
    }
    struct so_claim_req req = {.draft_id = d->id};
    struct so_draft *mine = NULL;
    enum so_status st = q->ops->claim(q, &req, &mine, &err);
    if (st != SO_OK) {
        if (st == SO_EMPTY)
            so_fail(&err, SO_ERR_LEASE, "%s: not claimable", d->id);
        explain_claim_failure(q, d, st == SO_EMPTY ? SO_ERR_LEASE : st, &err);
        return -1;
    }
    *token = mine->lease_token;
    *claimed_here = 1;
    so_draft_free(mine);
    return 0;
}

/* The request for a; token is the lease's fencing token (0: my current
 * claim), rid a fresh request id when a gives none. */
static struct so_decide_req decide_req(const struct decide_args *a,
                                       const char *body, int64_t token,
                                       const char *rid)
{
    int64_t now = so_now_ms();
    int64_t shown = a->shown_at >= 0 ? a->shown_at : now;
    struct so_decide_req req = {
        .draft_id = a->id,
        .request_id = a->request_id ? a->request_id : rid,
        .action = a->action,
        .reason = a->reason,
        .note = a->note,
        .final_body = body,
        .shown_at = shown,
        .active_ms = a->active_ms >= 0 ? a->active_ms
                                       : (now > shown ? now - shown : 0),
        .lease_token = token,
    };
    return req;
}

/* A remote queue whose server cannot be reached (opened with no
 * reviewer): the decision goes to the outbox under my current claim, and
 * sync sends it; if the draft is not mine by then, sync says so. */
static int record_offline(struct queue *q, const struct decide_args *a,
                          const char *body)
{
    char rid[37];
    so_uuid(rid);
    struct so_decide_req req = decide_req(a, body, 0, rid);
    struct so_decide_result res;
    struct so_error err;
    memset(&res, 0, sizeof res);
    enum so_status st = q->ops->decide(q, &req, &res, &err);
    if (st != SO_OK) {
        cli_error(err.msg, NULL);
        return EXIT_FAIL;
    }
    print_queued(q, a);
    return 0;
}

static int record(struct queue *q, const struct decide_args *a,
                  const char *body)
{
    struct so_error err;
    struct so_draft *d = NULL;
    so_error_clear(&err);
    if (!q->reviewer)
        return record_offline(q, a, body);
    enum so_status st = q->ops->get(q, a->id, &d, &err);
    if (st != SO_OK) {
        if (st == SO_ERR_NOTFOUND)
            cli_error(a->id, "no such draft");
        else
            cli_error(err.msg, NULL);
        return EXIT_FAIL;
    }
    int64_t token = 0;
    int claimed_here = 0;
    if (take_claim(q, d, &token, &claimed_here) != 0) {
        so_draft_free(d);
        return EXIT_FAIL;
    }
    char rid[37];
    so_uuid(rid);
    struct so_decide_req req = decide_req(a, body, token, rid);
    struct so_decide_result res;
    memset(&res, 0, sizeof res);
    st = q->ops->decide(q, &req, &res, &err);
    if (st == SO_OK && strcmp(res.draft_status, "queued") == 0) {
        print_queued(q, a);
    } else if (st == SO_OK) {
        print_result(a, &res);
    } else {
        /* A retry under an explicit --request-id gets the store's own
         * reason (its id may be taken by another decision). */
        if (d->status == SO_DS_DECIDED && !a->request_id)
            cli_error(a->id, "already decided%s%s",
                      d->last_action ? ": " : "",
                      d->last_action ? d->last_action : "");
        else
            cli_error(err.msg, NULL);
        if (claimed_here)
            q->ops->release(q, a->id, token, &err);
    }
    so_draft_free(d);
    return st == SO_OK ? 0 : EXIT_FAIL;
}

static int decide(const struct decide_args *a)
{
    char *body = NULL;
    if (a->action == SO_ACT_EDIT && !(body = read_body(a->body_file)))
        return EXIT_FAIL;
    struct queue_opts o = {.role = a->common.role, .offline_ok = 1};
    struct queue *q = cli_open_queue(a->common.queue, a->common.reviewer, &o);
    int rc = q ? record(q, a, body) : EXIT_FAIL;
    queue_close(q);
    free(body);
    return rc;
}

/* Cross-option rules, checked before anything is claimed. */
static int check_args(const struct decide_args *a)
{
    if (a->action == SO_ACT_EDIT && !a->body_file)
        return cli_usage_error("decide", "edit needs --body-file FILE (or - "
                                         "for standard input)");
    if (a->action != SO_ACT_EDIT && a->body_file)
        return cli_usage_error("decide", "--body-file is only for edit");
    if (a->action == SO_ACT_REJECT && !a->reason)
        return cli_usage_error("decide", "reject needs --reason CODE");
    if (a->reason && a->action != SO_ACT_REJECT &&
        a->action != SO_ACT_ESCALATE)
        return cli_usage_error("decide", "--reason is for reject and "
                                         "escalate");
    return -1;
}

static int check_request_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > REQUEST_ID_MAX)
        return -1;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
            return -1;
    return 0;
}

/* The positional arguments: ID ACTION. */
static int positional(int argc, char **argv, struct decide_args *a)
{
    if (argc - optind != 2)
        return cli_usage_error("decide", argc - optind < 2
                                             ? "expected ID and an action"
                                             : "unexpected argument '%s'",
                               argv[argc - 1]);
    a->id = argv[optind];
    int act = so_action_from_name(argv[optind + 1]);
    if (act < 0 || act == SO_ACT_REVERT)
        return cli_usage_error("decide", "'%s' is not an action (approve, "
                                         "edit, reject or escalate)",
                               argv[optind + 1]);
    a->action = (enum so_action)act;
    return check_args(a);
}

/* 0, or the usage error's exit code. */
static int parse_ms(const char *opt, const char *arg, int64_t *out)
{
    long v;
    if (so_parse_long(arg, 0, 0x7fffffffffffffffL, &v) != 0)
        return cli_usage_error("decide", "%s: expected milliseconds, not '%s'",
                               opt, arg);
    *out = v;
    return 0;
}

/* --note: the note rule (names.h): newlines and tabs, no other control,
 * no bidi control, valid UTF-8, not empty (leave --note out for none). */
static int check_note(const char *note)
{
    struct so_error err;
    if (names_check_note("--note", note, SO_MAX_FIELD, &err) == SO_OK)
        return 0;
    return cli_usage_error("decide", "%s", err.msg);
}

/* The options of decide besides the shared ones (cli_parse). */
static int decide_option(int c, const char *arg, void *ctx)
{
    static const char *const formats[] = {"text", "json", NULL};
    struct decide_args *a = ctx;
    switch (c) {
    case 'r':
        a->reason = arg;
        return cli_check_name("decide", "--reason", arg);
    case 'n':
        a->note = arg;
        return check_note(arg);
    case 'b':
        a->body_file = arg;
        return 0;
    case OPT_RID:
        a->request_id = arg;
        return check_request_id(arg) == 0
                   ? 0
                   : cli_usage_error("decide", "--request-id: 1 to %d "
                                               "letters, digits, - or _",
                                     REQUEST_ID_MAX);
    case OPT_SHOWN:
        return parse_ms("--shown-at", arg, &a->shown_at);
    case OPT_ACTIVE:
        return parse_ms("--active-ms", arg, &a->active_ms);
    default: /* 'f' */
        return (a->json = cli_pick("decide", "--format", arg, formats)) < 0
                   ? EXIT_USAGE
                   : 0;
    }
}

int cmd_decide(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_OPTION_QUEUE,
        CLI_OPTION_REVIEWER,
        CLI_OPTION_ROLE,
        {"reason", required_argument, NULL, 'r'},
        {"note", required_argument, NULL, 'n'},
        {"body-file", required_argument, NULL, 'b'},
        {"request-id", required_argument, NULL, OPT_RID},
        {"shown-at", required_argument, NULL, OPT_SHOWN},
        {"active-ms", required_argument, NULL, OPT_ACTIVE},
        {"format", required_argument, NULL, 'f'},
        CLI_OPTION_END,
    };
    static const struct cli_cmd cmd = {"decide", usage_text, "q:r:n:b:f:",
                                       longopts, decide_option, 1};
    struct decide_args a = {.shown_at = -1, .active_ms = -1};
    int rc = cli_parse(&cmd, argc, argv, &a.common, &a);
    if (rc < 0)
        rc = positional(argc, argv, &a);
    return rc >= 0 ? rc : decide(&a);
}
