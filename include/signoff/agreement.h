/*
 * agreement: how often four-eyes reviewers agree. The store keeps a small
 * table of confusion-matrix cells (one per workflow, reviewer pair, day and
 * pair of actions), written when a draft's last review lands, and a count
 * of resolutions; this module turns those cells into percent agreement and
 * Cohen's kappa per workflow and per reviewer pair, and into text for
 * `signoff stats` and the monitor. Pure computation on what it is given:
 * never touches a queue, never prints.
 *
 * Definitions (also in signoff(1), STATISTICS):
 *   categories   approve, edit, reject (an escalation ends the review step
 *                and makes no pair)
 *   pair         two reviewers of one draft, named in strcmp order (a < b);
 *                a draft with three reviews makes three pairs
 *   agreement    p_o = diagonal / shared drafts
 *   kappa        (p_o - p_e) / (1 - p_e), p_e = sum over categories of
 *                (row share of a) x (column share of b); undefined when
 *                p_e = 1 (both reviewers used one and the same category)
 *                or there are no shared drafts
 *   workflow     the cells of all its pairs added up, then the same
 *                formulas (rater a = the first name of each pair)
 *   sided with the AI  resolutions whose outcome was approve (the draft
 *                unchanged) / all resolutions
 */
#ifndef SIGNOFF_AGREEMENT_H
#define SIGNOFF_AGREEMENT_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "signoff/util.h"

#define AGREE_NCAT 3 /* approve, edit, reject */

/* One cell: shared drafts where reviewer_a chose cat_a and reviewer_b
 * chose cat_b (categories are AGREE_CAT_* indexes). Strings owned. */
struct so_agree_cell {
    char *workflow;
    char *reviewer_a;
    char *reviewer_b;
    int cat_a, cat_b;
    int64_t n;
};

/* Resolutions of one workflow. Strings owned. */
struct so_resolve_count {
    char *workflow;
    int64_t resolved; /* resolve decisions that stand */
    int64_t sided_ai; /* of them: outcome approve, the AI's text unchanged */
};

/* What the queue's agreement op returns. Free with agreement_free. */
struct so_agreement {
    struct so_agree_cell *cells;
    size_t ncells;
    struct so_resolve_count *resolves;
    size_t nresolves;
};

/* Free everything a queue's agreement op filled in (not a itself). */
void agreement_free(struct so_agreement *a);

/* The wire form of protocol v1's GET /v1/agreement:
 * {"cells":[{"workflow","reviewer_a","reviewer_b","action_a","action_b",
 * "n"}...],"resolves":[{"workflow","resolved","sided_ai"}...]}. */
cJSON *agreement_to_json(const struct so_agreement *a);
/* Read it back with the limits of json.h (unknown actions refused). On
 * failure out is left empty. */
enum so_status agreement_from_json(const cJSON *j, struct so_agreement *out,
                                   struct so_error *err);

/* Category index of an action (approve 0, edit 1, reject 2), -1 for
 * others. */
int agreement_category(const char *action);

/* The figures of one confusion matrix. */
struct agreement_figures {
    int64_t shared;      /* drafts both reviewed */
    double percent;      /* p_o x 100; 0 when shared = 0 */
    double kappa;        /* valid only when kappa_defined */
    int kappa_defined;   /* 0: p_e = 1 or no shared drafts */
};

/* Percent agreement and Cohen's kappa of matrix m[a][b]. */
void agreement_compute(const int64_t m[AGREE_NCAT][AGREE_NCAT],
                       struct agreement_figures *out);

/* One line of the summary: a workflow (reviewer_a NULL) or a pair. */
struct agreement_line {
    char *workflow;   /* owned */
    char *reviewer_a; /* owned; NULL on a workflow line */
    char *reviewer_b; /* owned; NULL on a workflow line */
    struct agreement_figures fig;
    int64_t resolved, sided_ai; /* workflow lines only */
};

/* Workflow lines then pair lines, each sorted by name. Owned. */
struct agreement_summary {
    struct agreement_line *lines;
    size_t n;
};

/* Sum the cells per workflow and per pair and compute the figures. A
 * workflow with resolutions but no pairs still gets a line. */
void agreement_summarise(const struct so_agreement *a,
                         struct agreement_summary *out);
void agreement_summary_free(struct agreement_summary *s);

/* Formats of agreement_format. */
enum agreement_fmt { AGREE_TABLE, AGREE_JSON, AGREE_CSV, AGREE_PROM };

/* The window a summary covers, for the JSON object's header (borrowed). */
struct agreement_window {
    const char *first_day, *last_day; /* YYYY-MM-DD */
    size_t days;
};

/*
 * Append the summary to out in fmt: a table (kappa "undefined" when not
 * defined; "no four-eyes reviews in this window" when empty), the one JSON
 * object every `stats --by` gives ({"by":"pair", first_day, last_day, days,
 * groups: [{workflow, reviewer_a, reviewer_b (null on a workflow line),
 * shared, agreement, kappa (null when undefined), ...}]}), CSV with a
 * header and CRLF line ends (RFC 4180), or Prometheus gauges (undefined
 * kappa left out). The table shows names through text_plain and fits
 * width columns (> 0; table.h), or shows every column (<= 0); CSV and
 * Prometheus escape them (escape.h).
 */
void agreement_format(const struct agreement_summary *s,
                      const struct agreement_window *w, enum agreement_fmt fmt,
                      int width, struct buf *out);

#endif
