/*
 * cmd_workflow: `signoff workflow list|show|set|pause|resume`, the settings
 * of a workflow and its automation kill switch. `show` exits 4 when the
 * workflow is paused, so a producer's script can ask before letting the AI
 * act unreviewed; `resume` needs the workflow's owner. The
 * switch records who flipped it (the reviewer identity), when and why; the
 * queue interface does the recording.
 */
#define _GNU_SOURCE
#include "signoff/cli/cli.h"

#include <cJSON.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/automate.h"
#include "signoff/json.h"
#include "signoff/names.h"
#include "signoff/stats_format.h"
#include "signoff/table.h"
#include "signoff/text.h"

static const char usage_text[] =
    "usage: signoff workflow list [--format table|json] [--wide]\n"
    "       signoff workflow show W [--format text|json]\n"
    "       signoff workflow set W [--owner NAME] [--threshold T] [--window D]\n"
    "                            [--min-decisions N] [--reviews N]\n"
    "                            [--auto-pause on|off] [--reveal after|never]\n"
    "                            [--resolver supervisor|reviewer]\n"
    "                            [--min-seen D] [--confirm-flagged on|off]\n"
    "                            [--release-after D] [--applied-within D]\n"
    "                            [--guidelines-file F]\n"
    "                            [--reasons CODE=LABEL,...|default]\n"
    "                            [--automate-from C|off] [--sample P]\n"
    "                            [--always-review PATTERN]... [--force\n"
    "                            --reason R] [--currency CODE]\n"
    "                            [--hourly-rate R] [--sla D|off]\n"
    "                            [--sla-alert S] [--gold P] [--gold-bar P]\n"
    "       signoff workflow pause W --reason R\n"
    "       signoff workflow resume W --reason R\n"
    "       signoff workflow log W\n"
    "\n"
    "Workflow settings and the automation switch (the kill switch producers\n"
    "read before letting the AI act unreviewed). `show` exits 4 when the\n"
    "workflow is paused. Only a supervisor pauses, and only the workflow's\n"
    "owner (as a supervisor) resumes, always with a reason.\n"
    "\n";

/* The options part of the help (two literals: C99 compilers need only
 * take 4095 bytes in one). */
static const char usage_options[] =
    "Options:\n"
    "  -o, --owner NAME        the person who answers for the workflow;\n"
    "                          only its owner changes it, or another\n"
    "                          supervisor with --reason (a takeover,\n"
    "                          recorded; it pauses the automation)\n"
    "  -t, --threshold T       override rate that raises an alert: 0..1 or\n"
    "                          a percentage like 20%\n"
    "  -W, --window D          the alert window (24h, 7d, 30d ...)\n"
    "  -m, --min-decisions N   decisions before a rate is meaningful\n"
    "  -n, --reviews N         independent reviews a draft needs (1..5)\n"
    "  -e, --reveal after|never  four-eyes: show a reviewer the other\n"
    "                          reviews once the draft is final, or never\n"
    "  -S, --resolver supervisor|reviewer  who settles reviews that\n"
    "                          disagree: a supervisor, or also a reviewer\n"
    "                          who gave none of them\n"
    "  -a, --auto-pause on|off  pause on the first decision over the\n"
    "                          threshold\n"
    "      --min-seen D        the reviewer UI: how long a draft is on\n"
    "                          screen before a decision key acts (400ms,\n"
    "                          1s, 0; at most 60s; default 1s)\n"
    "      --confirm-flagged on|off  the reviewer UI: approving a draft\n"
    "                          with grounding flags asks first (default on)\n"
    "      --release-after D   hold final outcomes back from the producer\n"
    "                          this long, for undo (0 .. 24h; default 0)\n"
    "      --applied-within D  a released outcome with no action record\n"
    "                          after this long is unapplied backlog\n"
    "                          (default 24h)\n"
    "      --guidelines-file F  how to review the drafts (UTF-8, at most\n"
    "                          64 KiB; empty: none), shown by the UI's w\n"
    "      --reasons LIST      the workflow's reject and escalate reason\n"
    "                          codes, CODE=LABEL separated by commas, in\n"
    "                          menu order (code: a-z, 0-9, _ -); default:\n"
    "                          back to the queue's default set\n"
    "      --automate-from C|off  owner: approve drafts at or above C at\n"
    "                          enqueue (reviewer auto) if readiness allows\n"
    "      --sample P          share of those sent to people blind (5%)\n"
    "      --always-review PATTERN  keep matches with people ('amount >\n"
    "                          500', 'risk: high'); repeatable; '' clears\n"
    "      --force             overrule readiness (with --reason)\n"
    "      --currency CODE     the ISO 4217 code every cost of the workflow\n"
    "                          is in (default USD); drafts with a cost in\n"
    "                          another are refused\n"
    "      --hourly-rate R     what an hour of reviewing costs, in the\n"
    "                          currency (0: not counted)\n"
    "      --sla D|off         service level: a draft is due this long\n"
    "                          after enqueue (4h, 1d); drafts nearing or\n"
    "                          past it are marked and sorted up\n"
    "      --sla-alert S       stats --check alerts when the share of\n"
    "                          tasks past the SLA exceeds S (0..1 or a\n"
    "                          percentage; default 10%)\n"
    "      --gold P            gold drafts mixed in per 100 to people (0..50%)\n"
    "      --gold-bar P        flag gold accuracy below P (default 90%)\n"
    "  -r, --reason R          why the switch is flipped (required), why\n"
    "                          --force, or why --owner takes it over\n"
    "  -f, --format F          table/text (default) or json\n"    "      --wide              list: every column (on a terminal the table\n"
    "                          fits its width, $COLUMNS when set; a pipe\n"
    "                          gets all)\n"
    "  -q, --queue Q           the queue (file or URL)\n"
    "      --reviewer NAME     who flips the switch (default: you)\n"
    "      --role ROLE         supervisor: may pause and resume\n"
    "  -h, --help              show this help\n"
    "      --version           show the version\n";

/* Long-only options. */
enum {
    OPT_RELEASE = CLI_OPT_OWN,
    OPT_APPLIED,
    OPT_GUIDELINES,
    OPT_REASONS,
    OPT_AUTOMATE,
    OPT_SAMPLE,
    OPT_ALWAYS,
    OPT_FORCE,
    OPT_CURRENCY,
    OPT_RATE,
    OPT_SLA,
    OPT_SLA_ALERT,
    OPT_GOLD,
    OPT_GOLD_BAR
};

struct wf_args {
    struct cli_common common;
    const char *reason;
    int json;
    unsigned mask; /* SO_WF_* given */
    const char *guidelines_file; /* read by set */
    const char *reasons;         /* --reasons, parsed by set */
    int sample_given;
    char *always; /* owned: --always-review patterns, one a line */
    struct so_workflow set; /* borrowed strings */
};

static int parse_threshold(const char *s, double *out)
{
    size_t n = strlen(s);
    if (n > 1 && s[n - 1] == '%') {
        char *num = xstrndup(s, n - 1);
        int rc = so_parse_double(num, 0, 100, out);
        free(num);
        *out /= 100.0;
        return rc;
    }
    return so_parse_double(s, 0, 1, out);
}

/* --currency, --hourly-rate, --sla, --sla-alert; 0 ok, else the usage
 * exit code. */
static int parse_cost_setting(int c, const char *arg, struct wf_args *a)
{
    switch (c) {
    case OPT_CURRENCY:
        a->mask |= SO_WF_CURRENCY;
        snprintf(a->set.currency, sizeof a->set.currency, "%s", arg);
        return so_currency_valid(arg)
                   ? 0
                   : cli_usage_error("workflow", "--currency: expected an ISO "
                                     "4217 code like USD or EUR, not '%s'",
                                     arg);
    case OPT_RATE:
        a->mask |= SO_WF_RATE;
        return so_parse_double(arg, 0, SO_MAX_HOURLY_RATE,
                               &a->set.hourly_rate) == 0
                   ? 0
                   : cli_usage_error("workflow", "--hourly-rate: expected a "
                                     "number 0..%.0f, not '%s'",
                                     SO_MAX_HOURLY_RATE, arg);
    case OPT_SLA:
        a->mask |= SO_WF_SLA;
        if (strcmp(arg, "off") == 0 || strcmp(arg, "0") == 0)
            return 0;
        return so_parse_duration_ms(arg, &a->set.sla_ms) == 0 &&
                       a->set.sla_ms >= SO_MIN_SLA_MS &&
                       a->set.sla_ms <= SO_MAX_SLA_MS
                   ? 0
                   : cli_usage_error("workflow", "--sla: expected a duration "
                                     "from 1m to 366d like 4h, or off, not "
                                     "'%s'", arg);
    default:
        a->mask |= SO_WF_SLA_ALERT;
        return parse_threshold(arg, &a->set.sla_alert) == 0
                   ? 0
                   : cli_usage_error("workflow", "--sla-alert: expected 0..1 "
                                     "or a percentage, not '%s'", arg);
    }
}

/* One option of `set`; 0 ok, else the usage exit code. */
static int parse_setting(int c, const char *arg, struct wf_args *a)
{
    long v;
    switch (c) {
    case 'o':
        a->set.owner = (char *)arg;
        a->mask |= SO_WF_OWNER;
        return *arg ? cli_check_name("workflow", "--owner", arg) : 0;
    case 't':
        a->mask |= SO_WF_THRESHOLD;
        return parse_threshold(arg, &a->set.threshold) == 0
                   ? 0
                   : cli_usage_error("workflow", "--threshold: expected 0..1 "
                                     "or a percentage, not '%s'", arg);
    case 'W':
        a->mask |= SO_WF_WINDOW;
        return so_parse_duration_ms(arg, &a->set.window_ms) == 0 &&
                       a->set.window_ms >= SO_MIN_WINDOW_MS &&
                       a->set.window_ms <= SO_MAX_WINDOW_MS
                   ? 0
                   : cli_usage_error("workflow", "--window: expected a "
                                     "duration from 1m to 366d like 7d (units "
                                     SO_DURATION_UNITS "), not '%s'", arg);
    case OPT_RELEASE:
    case OPT_APPLIED: {
        int64_t *to = c == OPT_RELEASE ? &a->set.release_after_ms
                                       : &a->set.applied_within_ms;
        a->mask |= c == OPT_RELEASE ? SO_WF_RELEASE : SO_WF_APPLIED_WITHIN;
        return so_parse_duration_ms(arg, to) == 0 &&
                       (c == OPT_RELEASE ||
                        (*to > 0 && *to <= SO_MAX_APPLIED_WITHIN_MS))
                   ? 0
                   : cli_usage_error("workflow", "%s: expected a duration "
                                     "like 30s%s, not '%s'",
                                     c == OPT_RELEASE ? "--release-after"
                                                      : "--applied-within",
                                     c == OPT_RELEASE ? "" : " (at most 366d)",
                                     arg);
    }
    case 'm':
    case 'n':
        if (so_parse_long(arg, c == 'm' ? 0 : 1,
                          c == 'm' ? SO_MAX_MIN_DECISIONS : SO_MAX_REVIEWS,
                          &v) != 0)
            return cli_usage_error("workflow", "%s: out of range: '%s'",
                                   c == 'm' ? "--min-decisions" : "--reviews",
                                   arg);
        *(c == 'm' ? &a->set.min_decisions : &a->set.reviews) = (int)v;
        a->mask |= c == 'm' ? SO_WF_MIN : SO_WF_REVIEWS;
        return 0;
    case 'e':
    case 'S': {
        static const char *const reveal[] = {"after", "never", NULL};
        static const char *const resolver[] = {"supervisor", "reviewer", NULL};
        const char *const *names = c == 'e' ? reveal : resolver;
        int i = cli_pick("workflow", c == 'e' ? "--reveal" : "--resolver", arg,
                         names);
        *(c == 'e' ? &a->set.reveal : &a->set.resolver) =
            i < 0 ? NULL : (char *)names[i];
        a->mask |= c == 'e' ? SO_WF_REVEAL : SO_WF_RESOLVER;
        return i < 0 ? EXIT_USAGE : 0;
    }
    case OPT_GUIDELINES:
        a->guidelines_file = arg;
        a->mask |= SO_WF_GUIDELINES;
        return 0;
    case OPT_REASONS:
        a->reasons = arg;
        a->mask |= SO_WF_REASONS;
        return 0;
    case OPT_AUTOMATE:
        a->mask |= SO_WF_AUTOMATE;
        a->set.automate = strcmp(arg, "off") != 0;
        return !a->set.automate ||
                       so_parse_double(arg, 0, 1, &a->set.automate_from) == 0
                   ? 0
                   : cli_usage_error("workflow", "--automate-from: expected "
                                     "a confidence 0..1 or off, not '%s'",
                                     arg);
    case OPT_SAMPLE:
        a->sample_given = 1;
        if (parse_threshold(arg, &a->set.sample_pct) != 0)
            return cli_usage_error("workflow", "--sample: expected a "
                                   "percentage like 5%%, not '%s'", arg);
        a->set.sample_pct *= 100.0;
        return 0;
    case OPT_GOLD:
    case OPT_GOLD_BAR: {
        double *g = c == OPT_GOLD ? &a->set.gold_pct : &a->set.gold_bar;
        if (parse_threshold(arg, g) != 0)
            return cli_usage_error("workflow", "--%s: expected a percentage "
                                   "like 5%%, not '%s'",
                                   c == OPT_GOLD ? "gold" : "gold-bar", arg);
        if (c == OPT_GOLD)
            a->set.gold_pct *= 100.0;
        a->mask |= c == OPT_GOLD ? SO_WF_GOLD : SO_WF_GOLD_BAR;
        return 0;
    }
    case OPT_ALWAYS: {
        char *joined = !*arg      ? xstrdup("")
                       : a->always ? xasprintf("%s\n%s", a->always, arg)
                                   : xstrdup(arg);
        free(a->always);
        a->always = joined;
        a->mask |= SO_WF_ALWAYS_REVIEW;
        return 0;
    }
    case OPT_FORCE:
        a->set.force = 1;
        return 0;
    case OPT_CURRENCY:
    case OPT_RATE:
    case OPT_SLA:
    case OPT_SLA_ALERT:
        return parse_cost_setting(c, arg, a);
    case 's':
        a->mask |= SO_WF_MIN_SEEN;
        return so_parse_duration_ms(arg, &a->set.min_seen_ms) == 0 &&
                       a->set.min_seen_ms <= SO_MAX_MIN_SEEN_MS
                   ? 0
                   : cli_usage_error("workflow", "--min-seen: expected a "
                                     "duration up to 60s like 400ms or 1s, "
                                     "not '%s'", arg);
    default: {
        static const char *const onoff[] = {"off", "on", NULL};
        int flag = c == 'F';
        int i = cli_pick("workflow", flag ? "--confirm-flagged"
                                          : "--auto-pause", arg, onoff);
        *(flag ? &a->set.confirm_flagged : &a->set.auto_pause) = i;
        a->mask |= flag ? SO_WF_CONFIRM_FLAGGED : SO_WF_AUTOPAUSE;
        return i < 0 ? EXIT_USAGE : 0;
    }
    }
}

/* The options of workflow besides the shared ones (cli_parse). */
static int workflow_option(int c, const char *arg, void *ctx)
{
    static const char *const formats[] = {"table", "text", "json", NULL};
    struct wf_args *a = ctx;
    int k;
    if (c == 'r') {
        struct so_error err;
        a->reason = arg;
        a->set.policy_reason = (char *)arg;
        a->set.owner_reason = (char *)arg; /* a takeover's, with --owner */
        if (names_check_note("--reason", arg, SO_MAX_FIELD, &err) != SO_OK)
            return cli_usage_error("workflow", "%s", err.msg);
        return 0;
    }
    if (c != 'f')
        return parse_setting(c, arg, a);
    if ((k = cli_pick("workflow", "--format", arg, formats)) < 0)
        return EXIT_USAGE;
    a->json = k == 2;
    return 0;
}

/* "7d", "36h", "90m" or "45s": the largest unit that divides ms. */
static void format_window(int64_t ms, char out[32])
{
    static const struct { int64_t ms; char unit; } units[] = {
        {86400000LL, 'd'}, {3600000LL, 'h'}, {60000LL, 'm'}, {1000LL, 's'}};
    for (size_t i = 0; i < SO_ARRAY_LEN(units); i++)
        if (ms > 0 && ms % units[i].ms == 0) {
            snprintf(out, 32, "%lld%c", (long long)(ms / units[i].ms),
                     units[i].unit);
            return;
        }
    snprintf(out, 32, "%lldms", (long long)ms);
}

static cJSON *wf_json(const struct so_workflow *w)
{
    cJSON *o = cJSON_CreateObject();
    char win[32];
    format_window(w->window_ms, win);
    cJSON_AddStringToObject(o, "name", w->name);
    if (w->owner && *w->owner)
        cJSON_AddStringToObject(o, "owner", w->owner);
    else
        cJSON_AddNullToObject(o, "owner");
    cJSON_AddNumberToObject(o, "threshold", w->threshold);
    cJSON_AddStringToObject(o, "window", win);
    cJSON_AddNumberToObject(o, "window_ms", (double)w->window_ms);
    cJSON_AddNumberToObject(o, "min_decisions", w->min_decisions);
    cJSON_AddNumberToObject(o, "reviews", w->reviews);
    cJSON_AddStringToObject(o, "reveal", w->reveal ? w->reveal : "after");
    cJSON_AddStringToObject(o, "resolver",
                            w->resolver ? w->resolver : "supervisor");
    cJSON_AddBoolToObject(o, "auto_pause", w->auto_pause);
    cJSON_AddNumberToObject(o, "min_seen_ms", (double)w->min_seen_ms);
    cJSON_AddBoolToObject(o, "confirm_flagged", w->confirm_flagged);
    cJSON_AddStringToObject(o, "automation", w->automation_paused ? "paused"
                                                                  : "on");
    if (w->automation_at > 0) {
        char at[32];
        so_format_time(w->automation_at, at);
        cJSON_AddStringToObject(o, "automation_at", at);
        cJSON_AddStringToObject(o, "automation_by", w->automation_by
                                                         ? w->automation_by
                                                         : "");
        cJSON_AddStringToObject(o, "automation_reason",
                                w->automation_reason ? w->automation_reason
                                                     : "");
    }
    cJSON_AddNumberToObject(o, "release_after_ms",
                            (double)w->release_after_ms);
    cJSON_AddNumberToObject(o, "applied_within_ms",
                            (double)w->applied_within_ms);
    cJSON_AddStringToObject(o, "phase", automate_phase(w));
    cJSON_AddNumberToObject(o, "auto_decided", (double)w->auto_decided);
    cJSON_AddNumberToObject(o, "sampled_decided", (double)w->sampled_decided);
    cJSON_AddNumberToObject(o, "sampled_overrides",
                            (double)w->sampled_overrides);
    cJSON_AddNumberToObject(o, "gold_pct", w->gold_pct);
    cJSON_AddNumberToObject(o, "gold_bar", w->gold_bar);
    cJSON_AddNumberToObject(o, "gold_pool", (double)w->gold_pool);
    cJSON_AddNumberToObject(o, "gold_released", (double)w->gold_released);
    if (w->automate) {
        cJSON_AddNumberToObject(o, "automate_from", w->automate_from);
        cJSON_AddNumberToObject(o, "sample_pct", w->sample_pct);
    } else {
        cJSON_AddNullToObject(o, "automate_from");
    }
    if (w->always_review)
        cJSON_AddStringToObject(o, "always_review", w->always_review);
    else
        cJSON_AddNullToObject(o, "always_review");
    cJSON_AddNumberToObject(o, "pending", (double)w->pending);
    cJSON_AddNumberToObject(o, "unapplied", (double)w->unapplied);
    if (w->guidelines)
        cJSON_AddStringToObject(o, "guidelines", w->guidelines);
    else
        cJSON_AddNullToObject(o, "guidelines");
    cJSON *rs = cJSON_AddArrayToObject(o, "reasons");
    for (size_t i = 0; i < w->nreasons; i++) {
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "code", w->reasons[i].code);
        cJSON_AddStringToObject(r, "label", w->reasons[i].label);
        cJSON_AddItemToArray(rs, r);
    }
    cJSON_AddBoolToObject(o, "reasons_own", w->reasons_own);
    cJSON_AddStringToObject(o, "currency", w->currency[0] ? w->currency
                                                          : SO_DEFAULT_CURRENCY);
    cJSON_AddNumberToObject(o, "hourly_rate", w->hourly_rate);
    cJSON_AddNumberToObject(o, "sla_ms", (double)w->sla_ms);
    cJSON_AddNumberToObject(o, "sla_alert", w->sla_alert);
    if (w->oldest_pending_at > 0)
        cJSON_AddNumberToObject(o, "oldest_pending_ms",
                                (double)(so_now_ms() - w->oldest_pending_at));
    else
        cJSON_AddNullToObject(o, "oldest_pending_ms");
    cJSON_AddNumberToObject(o, "sla_open_past", (double)w->sla_open_past);
    return o;
}

static void print_json(cJSON *o)
{
    char *s = json_print_escaped(o, 0);
    printf("%s\n", s);
    free(s);
    cJSON_Delete(o);
}

/* One "label: value" line of show, the value sanitized. */
static void show_line(const char *label, const char *value)
{
    char *v = text_plain(value ? value : "-", 0, 0);
    printf("%-15s %s\n", label, v);
    free(v);
}

/* "reasons:" and one indented "CODE  Label" line per reason code. */
static void show_reasons(const struct so_workflow *w)
{
    printf("%-15s %s\n", "reasons:",
           w->reasons_own ? "(the workflow's own)"
                          : "(the queue's default set)");
    for (size_t i = 0; i < w->nreasons; i++) {
        char *code = text_plain(w->reasons[i].code, 0, 0);
        char *label = text_plain(w->reasons[i].label, 0, 0);
        printf("  %-13s %s\n", code, label);
        free(code);
        free(label);
    }
}

/* The guidelines under show's lines, each line indented and sanitized. */
static void show_guidelines(const char *g)
{
    if (!g) {
        show_line("guidelines:", "(none)");
        return;
    }
    printf("guidelines:\n");
    for (const char *p = g; *p;) {
        size_t n = strcspn(p, "\n");
        char *line = xstrndup(p, n);
        char *safe = text_plain(line, 0, 0);
        printf("  %s\n", safe);
        free(safe);
        free(line);
        p += n + (p[n] == '\n');
    }
}

/* The always-review patterns, one a line, sanitized. */
static void show_patterns(const char *text)
{
    if (!text) {
        show_line("always review:", "(none)");
        return;
    }
    const char *label = "always review:";
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        char *line = xstrndup(p, n);
        show_line(label, line);
        free(line);
        label = "";
        p += n + (p[n] == '\n');
    }
}

/* Currency, rate, service level and the oldest open draft. */
static void show_cost(const struct so_workflow *w)
{
    char buf[96], win[32];
    snprintf(buf, sizeof buf, "%.2f %s an hour", w->hourly_rate,
             w->currency[0] ? w->currency : SO_DEFAULT_CURRENCY);
    show_line("hourly rate:", w->hourly_rate > 0 ? buf : "(not counted)");
    if (w->sla_ms > 0) {
        format_window(w->sla_ms, win);
        snprintf(buf, sizeof buf, "%s (alert over %.1f%% past it; %lld open "
                 "past it now)", win, w->sla_alert * 100.0,
                 (long long)w->sla_open_past);
        show_line("sla:", buf);
    } else {
        show_line("sla:", "(none)");
    }
    if (w->oldest_pending_at > 0) {
        /* "35.9h" as the monitor says it, not "2155m" */
        char age[16];
        stats_format_span((double)(so_now_ms() - w->oldest_pending_at), age);
        show_line("oldest open:", w->oldest_pending_at >= so_now_ms() - 60000
                                      ? "under 1m"
                                      : age);
    } else {
        show_line("oldest open:", "(none)");
    }
}

static void print_show(const struct so_workflow *w)
{
    char buf[64], win[32];
    show_line("workflow:", w->name);
    show_line("owner:", w->owner && *w->owner ? w->owner : "(none)");
    snprintf(buf, sizeof buf, "%.1f%%", w->threshold * 100.0);
    show_line("threshold:", buf);
    format_window(w->window_ms, win);
    show_line("window:", win);
    snprintf(buf, sizeof buf, "%d", w->min_decisions);
    show_line("min decisions:", buf);
    snprintf(buf, sizeof buf, "%d", w->reviews);
    show_line("reviews:", buf);
    if (w->reviews > 1) {
        show_line("reveal:", w->reveal);
        show_line("resolver:", w->resolver);
    }
    show_line("auto-pause:", w->auto_pause ? "on" : "off");
    snprintf(buf, sizeof buf, "%lldms", (long long)w->min_seen_ms);
    show_line("min seen:", buf);
    show_line("confirm flags:", w->confirm_flagged ? "on" : "off");
    show_line("automation:", w->automation_paused ? "paused" : "on");
    if (w->automation_at > 0) {
        char at[32];
        so_format_time(w->automation_at, at);
        show_line("  since:", at);
        show_line("  by:", w->automation_by);
        show_line("  reason:", w->automation_reason && *w->automation_reason
                                   ? w->automation_reason
                                   : "(none given)");
    }
    show_line("phase:", automate_phase(w));
    if (w->automate) {
        snprintf(buf, sizeof buf, "automate from %.2f, sample %g%%",
                 w->automate_from, w->sample_pct);
        show_line("policy:", buf);
    } else {
        show_line("policy:", "(none: every draft reviewed)");
    }
    show_patterns(w->always_review);
    if (w->automate || w->auto_decided || w->sampled_decided) {
        double rate, lo, hi;
        char r[16], l[16], h[16], line[160];
        automate_sampled_rate(w, &rate, &lo, &hi);
        stats_format_pct(rate, r);
        stats_format_pct(lo, l);
        stats_format_pct(hi, h);
        if (rate >= 0)
            snprintf(line, sizeof line, "auto %lld, sampled %lld, override %s "
                     "[%s, %s]", (long long)w->auto_decided,
                     (long long)w->sampled_decided, r, l, h);
        else
            snprintf(line, sizeof line, "auto %lld, sampled 0 (no error rate "
                     "yet)", (long long)w->auto_decided);
        show_line("measured:", line);
    }
    if (w->automate) {
        char *near = automate_near_describe(w);
        show_line("near bands:", near);
        free(near);
    }
    char *gold = xasprintf("%g%% of drafts to people, bar %.1f%%, %lld in "
                           "the pool, %lld mixed in",
                           w->gold_pct, w->gold_bar * 100.0,
                           (long long)w->gold_pool,
                           (long long)w->gold_released);
    show_line("gold:", gold);
    free(gold);
    format_window(w->release_after_ms, win);
    show_line("release after:", w->release_after_ms > 0 ? win : "0 (at once)");
    format_window(w->applied_within_ms, win);
    show_line("applied within:", win);
    snprintf(buf, sizeof buf, "%lld", (long long)w->pending);
    show_line("pending:", buf);
    snprintf(buf, sizeof buf, "%lld", (long long)w->unapplied);
    show_line("unapplied:", buf);
    show_cost(w);
    show_reasons(w);
    show_guidelines(w->guidelines);
}

/* The columns of workflow list, as wide as they always were; at a narrow
 * terminal the limits go first (table.h), the name and the pending count
 * stay. */
static const struct table_col list_cols[] = {
    {"WORKFLOW", 0, 24, 0, 16, 0},  {"OWNER", 0, 16, 5, 8, 0},
    {"THRESHOLD", 1, 9, 4, 0, 0},   {"WINDOW", 1, 6, 7, 0, 0},
    {"MIN", 1, 6, 8, 0, 0},         {"REVIEWS", 1, 7, 9, 0, 0},
    {"AUTO-PAUSE", 1, 10, 10, 0, 0}, {"AUTOMATION", 0, 10, 3, 0, 0},
    {"PHASE", 0, 8, 2, 0, 0},       {"PENDING", 1, 7, 0, 0, 0}};

static void print_list(const struct so_workflow *ws, size_t n, int width)
{
    struct table *t = table_new(list_cols, SO_ARRAY_LEN(list_cols), 1);
    for (size_t i = 0; i < n; i++) {
        const struct so_workflow *w = &ws[i];
        char win[32];
        size_t c = 0;
        format_window(w->window_ms, win);
        table_add(t, c++, text_plain(w->name, 24, 0));
        table_add(t, c++,
                  text_plain(w->owner && *w->owner ? w->owner : "-", 16, 0));
        table_add(t, c++, xasprintf("%.1f%%", w->threshold * 100.0));
        table_add(t, c++, xstrdup(win));
        table_add(t, c++, xasprintf("%d", w->min_decisions));
        table_add(t, c++, xasprintf("%d", w->reviews));
        table_add(t, c++, xstrdup(w->auto_pause ? "on" : "off"));
        table_add(t, c++, xstrdup(w->automation_paused ? "paused" : "on"));
        table_add(t, c++, xstrdup(automate_phase(w)));
        table_add(t, c++, xasprintf("%lld", (long long)w->pending));
    }
    struct buf out;
    buf_init(&out);
    table_render(t, width, &out);
    fputs(buf_cstr(&out), stdout);
    buf_free(&out);
}

static void free_list(struct so_workflow *ws, size_t n)
{
    for (size_t i = 0; i < n; i++)
        so_workflow_clear(&ws[i]);
    free(ws);
}

static int wf_list(struct queue *q, const struct wf_args *a)
{
    struct so_workflow *ws = NULL;
    size_t n = 0;
    struct so_error err;
    if (q->ops->workflow_list(q, &ws, &n, &err) != SO_OK)
        return cli_fail("workflow list", &err);
    if (a->json) {
        cJSON *arr = cJSON_CreateArray();
        for (size_t i = 0; i < n; i++)
            cJSON_AddItemToArray(arr, wf_json(&ws[i]));
        print_json(arr);
    } else {
        print_list(ws, n, cli_table_width(a->common.wide));
    }
    free_list(ws, n);
    return EXIT_OK_;
}

static int wf_show(struct queue *q, const char *name, const struct wf_args *a)
{
    struct so_workflow w = {0};
    struct so_error err;
    if (q->ops->workflow_get(q, name, &w, &err) != SO_OK)
        return cli_fail(name, &err);
    if (a->json)
        print_json(wf_json(&w));
    else
        print_show(&w);
    int rc = w.automation_paused ? EXIT_PAUSED : EXIT_OK_;
    so_workflow_clear(&w);
    return rc;
}

/* --reasons: "default" (no own list), or CODE=LABEL items separated by
 * commas (a bare CODE is its own label) into w->reasons (owned). */
static int parse_reasons(const char *spec, struct so_workflow *w)
{
    struct so_error err;
    if (strcmp(spec, "default") == 0)
        return 0;
    for (const char *p = spec;; p++) {
        size_t n = strcspn(p, ",");
        char *item = xstrndup(p, n);
        char *eq = strchr(item, '=');
        w->reasons =
            xrealloc(w->reasons, (w->nreasons + 1) * sizeof *w->reasons);
        struct so_reason *r = &w->reasons[w->nreasons++];
        r->code = eq ? xstrndup(item, (size_t)(eq - item)) : xstrdup(item);
        r->label = xstrdup(eq ? eq + 1 : item);
        free(item);
        if (so_reason_check(r->code, r->label, &err) != SO_OK)
            return cli_usage_error("workflow", "--reasons: item %zu: %s",
                                   w->nreasons, err.msg);
        p += n;
        if (!*p)
            return 0;
    }
}

static void free_reasons(struct so_workflow *w)
{
    for (size_t i = 0; i < w->nreasons; i++) {
        free(w->reasons[i].code);
        free(w->reasons[i].label);
    }
    free(w->reasons);
    w->reasons = NULL;
    w->nreasons = 0;
}

static int wf_set(struct queue *q, const char *name, struct wf_args *a)
{
    struct so_error err;
    if (!a->mask)
        return cli_usage_error("workflow", "set %s: nothing to change", name);
    if ((a->sample_given || a->set.force) && !(a->mask & SO_WF_AUTOMATE))
        return cli_usage_error("workflow", "set %s: --sample and --force go "
                               "with --automate-from", name);
    if (a->set.force && (!a->reason || !*a->reason))
        return cli_usage_error("workflow", "set %s: --force needs --reason "
                               "(it is recorded)", name);
    if ((a->mask & SO_WF_AUTOMATE) && !a->sample_given)
        a->set.sample_pct = 5.0;
    a->set.always_review = a->always;
    a->set.name = (char *)name;
    if (a->reasons && parse_reasons(a->reasons, &a->set) != 0) {
        free_reasons(&a->set);
        return EXIT_USAGE;
    }
    char *text = NULL;
    size_t len = 0;
    if (a->guidelines_file) {
        if (so_read_file(a->guidelines_file, SO_MAX_GUIDELINES, &text, &len,
                         &err) != SO_OK)
            return cli_fail("--guidelines-file", &err);
        if (strlen(text) != len) {
            free(text);
            cli_error("--guidelines-file", "%s: holds a NUL byte (expected "
                      "UTF-8 text)", a->guidelines_file);
            return EXIT_FAIL;
        }
        a->set.guidelines = text;
    }
    enum so_status st = q->ops->workflow_set(q, &a->set, a->mask, &err);
    a->set.guidelines = NULL;
    free(text);
    free_reasons(&a->set);
    if (st != SO_OK)
        return cli_fail(name, &err);
    return wf_show(q, name, a) == EXIT_FAIL ? EXIT_FAIL : EXIT_OK_;
}

static int wf_switch(struct queue *q, const char *name, int pause,
                     const struct wf_args *a)
{
    struct so_workflow w = {0};
    struct so_error err;
    if (!a->reason || !*a->reason)
        return cli_usage_error("workflow", "%s %s: --reason is required",
                               pause ? "pause" : "resume", name);
    if (queue_switch_check(q, name, pause, NULL, &err) != SO_OK)
        return cli_fail(name, &err);
    if (q->ops->workflow_get(q, name, &w, &err) != SO_OK)
        return cli_fail(name, &err);
    enum so_status st = pause ? SO_OK : queue_resume_check(&w, q->reviewer,
                                                           &err);
    so_workflow_clear(&w);
    if (st != SO_OK ||
        queue_workflow_switch(q, name, pause, a->reason, &err) != SO_OK)
        return cli_fail(name, &err);
    char *safe = text_plain(name, 0, 0);
    char *who = text_plain(q->reviewer, 0, 0);
    printf("%s: automation %s by %s\n", safe, pause ? "paused" : "resumed",
           who);
    free(safe);
    free(who);
    return EXIT_OK_;
}

/* One admin record of `workflow log`: the time, who, what, the detail. */
static void log_line(const struct so_decision *r, int json)
{
    if (json) {
        cJSON *o = cJSON_CreateObject();
        char at[32];
        so_format_time(r->decided_at, at);
        cJSON_AddNumberToObject(o, "seq", (double)r->seq);
        cJSON_AddStringToObject(o, "at", at);
        cJSON_AddStringToObject(o, "by", r->reviewer);
        cJSON_AddStringToObject(o, "what", r->reason ? r->reason : "");
        cJSON *d = r->note ? cJSON_Parse(r->note) : NULL;
        cJSON_AddItemToObject(o, "detail", d ? d : cJSON_CreateNull());
        print_json(o);
        return;
    }
    char at[32];
    so_format_time(r->decided_at, at);
    char *who = text_plain(r->reviewer, 0, 0);
    char *what = text_plain(r->reason ? r->reason : "", 0, 0);
    char *detail = text_plain(r->note ? r->note : "", 0, 0);
    printf("%lld %s %s %s %s\n", (long long)r->seq, at, who, what, detail);
    free(who);
    free(what);
    free(detail);
}

/* `workflow log W`: W's admin records (who created, changed, paused and
 * resumed it, when and why) from the feed, oldest first. */
static int wf_log(struct queue *q, const char *name, const struct wf_args *a)
{
    if (!q->ops->events) {
        cli_error(name, "this queue cannot read its chain");
        return EXIT_FAIL;
    }
    struct so_event_req req = {.after = 0, .workflow = name, .limit = 1000};
    for (;;) {
        struct so_event_page p = {0};
        struct so_error err;
        if (q->ops->events(q, &req, &p, &err) != SO_OK)
            return cli_fail(name, &err);
        for (size_t i = 0; i < p.n; i++)
            if (p.v[i].rec.action == SO_ACT_ADMIN)
                log_line(&p.v[i].rec, a->json);
        int more = p.next_after > req.after && p.next_after < p.head;
        req.after = p.next_after;
        so_event_page_free(&p);
        if (!more)
            return EXIT_OK_;
    }
}

/* Run subcommand sub with positional arguments pos[0..npos). */
static int dispatch(const char *sub, char **pos, int npos, struct wf_args *a)
{
    static const char *const subs[] = {"list", "show", "set", "pause",
                                       "resume", "log", NULL};
    int which = cli_pick("workflow", "command", sub, subs);
    if (which < 0)
        return EXIT_USAGE;
    if (npos != (which == 0 ? 0 : 1))
        return cli_usage_error("workflow", which == 0
                                               ? "list takes no workflow"
                                               : "%s needs one workflow name",
                               sub);
    if (npos && cli_check_name("workflow", "workflow name", pos[0]) != 0)
        return EXIT_USAGE;
    struct queue_opts o = {.readonly = which < 2 || which == 5,
                           .role = a->common.role};
    struct queue *q = cli_open_queue(a->common.queue, a->common.reviewer, &o);
    if (!q)
        return EXIT_FAIL;
    int rc;
    switch (which) {
    case 0: rc = wf_list(q, a); break;
    case 1: rc = wf_show(q, pos[0], a); break;
    case 2: rc = wf_set(q, pos[0], a); break;
    case 5: rc = wf_log(q, pos[0], a); break;
    default: rc = wf_switch(q, pos[0], which == 3, a); break;
    }
    queue_close(q);
    return rc;
}

int cmd_workflow(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"owner", required_argument, NULL, 'o'},
        {"threshold", required_argument, NULL, 't'},
        {"window", required_argument, NULL, 'W'},
        {"min-decisions", required_argument, NULL, 'm'},
        {"reviews", required_argument, NULL, 'n'},
        {"auto-pause", required_argument, NULL, 'a'},
        {"reveal", required_argument, NULL, 'e'},
        {"resolver", required_argument, NULL, 'S'},
        {"min-seen", required_argument, NULL, 's'},
        {"confirm-flagged", required_argument, NULL, 'F'},
        {"release-after", required_argument, NULL, OPT_RELEASE},
        {"applied-within", required_argument, NULL, OPT_APPLIED},
        {"guidelines-file", required_argument, NULL, OPT_GUIDELINES},
        {"reasons", required_argument, NULL, OPT_REASONS},
        {"automate-from", required_argument, NULL, OPT_AUTOMATE},
        {"sample", required_argument, NULL, OPT_SAMPLE},
        {"gold", required_argument, NULL, OPT_GOLD},
        {"gold-bar", required_argument, NULL, OPT_GOLD_BAR},
        {"always-review", required_argument, NULL, OPT_ALWAYS},
        {"force", no_argument, NULL, OPT_FORCE},
        {"currency", required_argument, NULL, OPT_CURRENCY},
        {"hourly-rate", required_argument, NULL, OPT_RATE},
        {"sla", required_argument, NULL, OPT_SLA},
        {"sla-alert", required_argument, NULL, OPT_SLA_ALERT},
        {"reason", required_argument, NULL, 'r'},
        {"format", required_argument, NULL, 'f'},
        CLI_OPTION_WIDE,
        CLI_OPTION_QUEUE,
        CLI_OPTION_REVIEWER,
        CLI_OPTION_ROLE,
        CLI_OPTION_END,
    };
    static char usage[sizeof usage_text + sizeof usage_options];
    snprintf(usage, sizeof usage, "%s%s", usage_text, usage_options);
    const struct cli_cmd cmd = {"workflow", usage, "o:t:W:m:n:a:e:S:r:f:q:",
                                longopts, workflow_option, 1};
    struct wf_args a = {0};
    int rc = cli_parse(&cmd, argc, argv, &a.common, &a);
    if (rc >= 0)
        return rc;
    if (optind >= argc) {
        free(a.always);
        return cli_usage_error("workflow", "expected list, show, set, pause, "
                                           "resume or log");
    }
    setlocale(LC_CTYPE, "");
    rc = dispatch(argv[optind], argv + optind + 1, argc - optind - 1, &a);
    free(a.always);
    return rc;
}
