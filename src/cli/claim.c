/*
 * cmd_claim: `signoff claim` takes the next claimable draft for scripts,
 * with the same queue operation the reviewer UI uses, and prints it. Exit
 * status 5 when there is nothing to claim.
 */
#define _GNU_SOURCE
#include "signoff/cli/cli.h"

#include <stdio.h>
#include <stdlib.h>

#include "signoff/draft_json.h"
#include "signoff/json.h"
#include "signoff/text.h"

#define LEASE_MAX_S (24 * 60 * 60)

static const char usage_text[] =
    "usage: signoff claim [--queue PATH|URL] [--reviewer NAME] [--role ROLE]\n"
    "                     [--workflow W] [--lease SECONDS]\n"
    "                     [--format text|json|id]\n"
    "\n"
    "Claim the next draft (highest priority, then oldest) for a script. The\n"
    "claim is a lease: decide before it runs out, or the draft becomes\n"
    "claimable again. Exit status 5 when there is nothing to claim.\n"
    "\n"
    "Options:\n"
    "  -q, --queue PATH|URL  the queue (default: $SIGNOFF_QUEUE, the config\n"
    "                        file, $XDG_DATA_HOME/signoff/signoff.db)\n"
    "      --reviewer NAME   who claims (default: $SIGNOFF_REVIEWER, the\n"
    "                        config file, the login name)\n"
    "      --role ROLE       reviewer or supervisor (who may claim a resolve\n"
    "                        step; default: $SIGNOFF_ROLE, the config file,\n"
    "                        reviewer); a remote queue's token decides\n"
    "  -w, --workflow W      only from workflow W\n"
    "  -l, --lease SECONDS   how long the claim lasts (default 600)\n"
    "  -f, --format FMT      text (default), json (the draft with its lease)\n"
    "                        or id (just the id)\n"
    "  -h, --help            show this help\n"
    "      --version         show the version\n";

enum claim_format { FMT_TEXT, FMT_JSON, FMT_ID };

struct claim_args {
    struct cli_common common;
    const char *workflow;
    long lease_s; /* 0: default */
    enum claim_format format;
};

static void print_claim(const struct so_draft *d, enum claim_format f)
{
    if (f == FMT_JSON) {
        cJSON *o = draft_to_cjson(d, 1);
        char *s = json_print_escaped(o, 0);
        printf("%s\n", s);
        free(s);
        cJSON_Delete(o);
        return;
    }
    char *id = text_plain(d->id, 0, 0);
    if (f == FMT_ID) {
        printf("%s\n", id);
        free(id);
        return;
    }
    char until[32];
    char *wf = text_plain(d->workflow, 0, 0);
    char *title = text_plain(d->title ? d->title : "", 0, 0);
    so_format_time(d->lease_until, until);
    printf("claimed %s (%s) until %s\n%s\n", id, wf, until, title);
    free(title);
    free(wf);
    free(id);
}

static int claim(const struct claim_args *a)
{
    struct queue_opts o = {.role = a->common.role};
    struct queue *q = cli_open_queue(a->common.queue, a->common.reviewer, &o);
    if (!q)
        return EXIT_FAIL;
    struct so_claim_req req = {.workflow = a->workflow,
                               .lease_ms = a->lease_s * 1000};
    struct so_draft *d = NULL;
    struct so_error err;
    so_error_clear(&err);
    enum so_status st = q->ops->claim(q, &req, &d, &err);
    int rc = 0;
    if (st == SO_OK) {
        print_claim(d, a->format);
    } else if (st == SO_EMPTY) {
        /* a workflow the queue does not have is an error (exit 1), not
         * "nothing to claim" (5), which a script would wait out */
        rc = a->workflow ? cli_workflow_known(q, a->workflow) : 0;
        if (!rc) {
            cli_error("claim", "nothing to claim%s%s",
                      a->workflow ? " in " : "",
                      a->workflow ? a->workflow : "");
            rc = EXIT_NOTHING;
        }
    } else {
        cli_error(err.msg, NULL);
        rc = EXIT_FAIL;
    }
    so_draft_free(d);
    queue_close(q);
    return rc;
}

/* The options of claim besides the shared ones (cli_parse). */
static int claim_option(int c, const char *arg, void *ctx)
{
    static const char *const formats[] = {"text", "json", "id", NULL};
    struct claim_args *a = ctx;
    int k;
    switch (c) {
    case 'w':
        a->workflow = arg;
        return cli_check_name("claim", "--workflow", arg);
    case 'l':
        if (so_parse_long(arg, 1, LEASE_MAX_S, &a->lease_s) != 0)
            return cli_usage_error("claim", "--lease: expected seconds from "
                                            "1 to %d, not '%s'",
                                   LEASE_MAX_S, arg);
        return 0;
    default: /* 'f' */
        if ((k = cli_pick("claim", "--format", arg, formats)) < 0)
            return EXIT_USAGE;
        a->format = (enum claim_format)k;
        return 0;
    }
}

int cmd_claim(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_OPTION_QUEUE,
        CLI_OPTION_REVIEWER,
        CLI_OPTION_ROLE,
        {"workflow", required_argument, NULL, 'w'},
        {"lease", required_argument, NULL, 'l'},
        {"format", required_argument, NULL, 'f'},
        CLI_OPTION_END,
    };
    static const struct cli_cmd cmd = {"claim", usage_text, "q:w:l:f:",
                                       longopts, claim_option, 0};
    struct claim_args a = {0};
    int rc = cli_parse(&cmd, argc, argv, &a.common, &a);
    return rc >= 0 ? rc : claim(&a);
}
