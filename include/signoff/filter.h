/*
 * filter: the queue screen's limit patterns, mutt style, turned into a
 * listing request (struct so_list_req). Terms are combined with AND:
 *   ~w WORKFLOW   ~m MODEL   ~c<0.6   ~c>=0.8   ~g (grounding flagged)
 *   ~e (escalated)   plain words (match id, title or body)
 *   "a quoted phrase" (matches as a phrase)
 * Pure: no curses, no queue I/O.
 */
#ifndef SIGNOFF_FILTER_H
#define SIGNOFF_FILTER_H

#include "signoff/queue.h"

/* A metadata comparison of an always-review pattern (filter_parse_policy):
 * `amount > 500`, `amount>=500`, `risk: high`, `risk = high`. */
enum filter_op { FILTER_EQ, FILTER_LT, FILTER_LE, FILTER_GT, FILTER_GE };
struct filter_meta {
    char *key;     /* a top-level key, or a.b for a nested object */
    enum filter_op op;
    char *value;   /* as written */
    int numeric;   /* value is a number (num); ordering needs one */
    double num;
};

/* A parsed pattern. Owns its strings; free with filter_clear. */
struct filter {
    char *pattern;  /* as typed, NULL when no limit */
    char *workflow;
    char *model;
    char *words;    /* plain words and "quoted phrases" joined by single
                       spaces (filter_terms splits them again) */
    double conf_below;   /* < 0: none */
    double conf_atleast; /* < 0: none */
    int grounding;
    int escalated;
    struct filter_meta *meta; /* filter_parse_policy only */
    size_t nmeta;
};

/* Parse pattern into out (which is cleared first). An empty or all-blank
 * pattern is "no limit". On error out is left empty and err says which
 * term is wrong. */
enum so_status filter_parse(const char *pattern, struct filter *out,
                            struct so_error *err);

/* The same language extended with metadata comparisons on the draft's
 * metadata JSON object (the workflow policy's always-review patterns):
 * KEY: VALUE and KEY = VALUE are equal (a string case-insensitively, a
 * number as a number, true/false), KEY > N, >=, <, <= compare a JSON
 * number; KEY is letters, digits, _ - and dots for nested objects. A key
 * the draft lacks never matches. */
enum so_status filter_parse_policy(const char *pattern, struct filter *out,
                                   struct so_error *err);

/* 1 when draft d matches every term of f (the in-process form of the
 * store's listing filter: words as case-insensitive substrings of title or
 * body, ~c on the confidence, ~g on grounding_check, ~e never at enqueue,
 * and the metadata comparisons). */
int filter_match(const struct filter *f, const struct so_draft *d);

/* Fill the filter fields of req (workflow, model, confidence, flags, text);
 * req keeps pointers into f. Other fields are left alone. */
void filter_apply(const struct filter *f, struct so_list_req *req);

/* 1 if the filter narrows more than a workflow (claim() alone cannot honour
 * it, so the next draft must be picked from a listing). */
int filter_needs_listing(const struct filter *f);

/* At most this many words and phrases in one text filter. */
#define FILTER_MAX_TERMS 16

/* Split the text of a listing filter (so_list_req.text) into its terms:
 * blank-separated words, and "quoted phrases" as one term without the
 * quotes. Every term must appear (AND), each as a case-insensitive
 * substring of the title or the body: the one rule for every backend.
 * *terms is an array of *n owned strings (free with filter_terms_free).
 * An unclosed quote, an empty phrase or more than FILTER_MAX_TERMS terms
 * is an error saying so. */
enum so_status filter_terms(const char *text, char ***terms, size_t *n,
                            struct so_error *err);
void filter_terms_free(char **terms, size_t n);

/* Free f's strings and leave it as "no limit". */
void filter_clear(struct filter *f);

#endif
