/*
 * automate: the workflow automation policy (issue 15) as pure rules: which
 * route a draft takes at enqueue (decided automatically, sampled for blind
 * human review, or human review as before), the deterministic sample, the
 * always-review patterns, and whether the readiness figure supports a band.
 * Every store backend asks these; only its SQL differs. No I/O.
 */
#ifndef SIGNOFF_AUTOMATE_H
#define SIGNOFF_AUTOMATE_H

#include <stdint.h>

#include "signoff/filter.h"
#include "signoff/queue.h"

/* The reviewer name automatic decisions are recorded under. */
#define AUTOMATE_REVIEWER "auto"
/* At most this many always-review patterns (one a line). */
#define AUTOMATE_MAX_PATTERNS 32

/* Where a draft goes at enqueue (stored as drafts.route). */
enum automate_route {
    AUTOMATE_HUMAN = 0,   /* no policy, paused, below the band, or matched
                             by an always-review pattern */
    AUTOMATE_AUTO = 1,    /* approved by reviewer "auto" */
    AUTOMATE_SAMPLED = 2  /* eligible, but in the sample: human review, and
                             its outcome measures the automation */
};

/* A workflow's policy ready to route drafts. Owns the filters. */
struct automate_policy {
    int on;               /* a policy is set and the workflow not paused */
    double from;
    double sample_pct;
    char seed[65];        /* the per-workflow sample seed */
    struct filter *always;
    size_t nalways;
};

/* A workflow's phase: "automate" (a policy on and not paused) or
 * "augment" (every draft reviewed). */
const char *automate_phase(const struct so_workflow *w);
int automate_active(const struct so_workflow *w);

/* The override rate of people on the sampled drafts of w (its window),
 * with its Wilson 95% interval: the automation's measured error rate.
 * -1s when none is decided yet. */
void automate_sampled_rate(const struct so_workflow *w, double *rate,
                           double *lo, double *hi);

/* The automation figures (stats_format.h) of the workflows of wfs, only
 * the one named only when not NULL, in order; *n in, their number out.
 * They point into wfs. Caller frees the array. */
struct stats_phase;
struct stats_phase *automate_phase_rows(const struct so_workflow *wfs,
                                        size_t *n, const char *only);

/* 1 when auto-pause should trip on the sampled rate of w: auto-pause on,
 * at least min-decisions (and one) sampled drafts decided, and their
 * override rate over the threshold (the rule of the human rate). */
int automate_sampled_over(const struct so_workflow *w);
/* The pause reason when it does: "auto-pause: sampled override rate R
 * over threshold T (K of N sampled drafts)". */
void automate_sampled_reason(const struct so_workflow *w, char out[160]);

/* How far the neighbouring bands of a policy lie (the "what if
 * the band moved by 0.05"). */
#define AUTOMATE_NEAR_STEP 0.05
/* The neighbouring band k (0: below, 1: above) of from: from -/+ 0.05,
 * clamped to 0..1 and rounded to the 0.01 the CLI takes. */
double automate_near_from(double from, int k);
/* The readiness of w's neighbouring bands as one line, "0.75: upper 16.2%
 * of 31, ready; 0.85: upper 16.2% of 31, ready" (the monitor, workflow
 * show). Owned by the caller. */
char *automate_near_describe(const struct so_workflow *w);

/* Check the always-review text (patterns, one a line, blank lines
 * ignored): each must parse (filter_parse_policy); err names the line. */
enum so_status automate_check_patterns(const char *text, struct so_error *err);

/* Load p from the workflow's settings (paused: the kill switch). A pattern
 * that no longer parses keeps every draft in human review. */
void automate_policy_load(struct automate_policy *p, int automate,
                          int paused, double from, double sample_pct,
                          const char *seed, const char *always_review);
void automate_policy_clear(struct automate_policy *p);

/* 1 when draft id falls in the sample of sample_pct percent for seed:
 * the first 64 bits of SHA-256(seed "\n" id) modulo 10000 below
 * sample_pct * 100. The same seed and id always give the same answer. */
int automate_in_sample(const char *seed, const char *id, double sample_pct);

/* The route of draft d under p. */
enum automate_route automate_route(const struct automate_policy *p,
                                   const struct so_draft *d);

/* The readiness figure for a band: decided human final outcomes on
 * drafts at or above it in the window, overrides among them. */
struct automate_evidence {
    int64_t decided;
    int64_t overrides;
    double rate, lo, hi; /* Wilson 95%; -1 when decided == 0 */
};
void automate_evidence_finish(struct automate_evidence *e);

/* 1 when e supports automating at threshold with min_decisions: at least
 * min_decisions decided and the Wilson upper bound below the threshold. */
int automate_supported(const struct automate_evidence *e, double threshold,
                       int min_decisions);

#endif
