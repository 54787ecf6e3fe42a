/*
 * grounding: does a draft's body stand on its citations? Finds the [n]
 * markers in the body, markers with no citation, citations never referenced
 * and citations whose quote is not in their excerpt. The UI highlights and
 * flags them; the store keeps the summary as SO_ROW_GROUNDING per draft.
 *
 * Markers accepted: "[n]" with n a decimal number 1..99999 (no sign, no
 * leading zero), adjacent markers "[1][2]", and lists "[1, 2]" / "[1,2]"
 * (commas, optional spaces after them). Not markers: "[0]", "[01]",
 * "[1-3]", "[ 1 ]", "[a]", "[1,]".
 *
 * Quotes are compared case-sensitively (a quote is the exact span relied
 * on) after collapsing every run of whitespace to one space and trimming
 * both ends, so line breaks inside an excerpt do not matter. A citation
 * without a quote (NULL or only whitespace) is not checked.
 *
 * Must not: print, touch the queue. Pure functions over a struct so_draft.
 */
#ifndef SIGNOFF_GROUNDING_H
#define SIGNOFF_GROUNDING_H

#include <stddef.h>

#include "signoff/queue.h"

/* Summary bits. */
#define GROUNDING_MISSING 1      /* a marker with no citation */
#define GROUNDING_UNREFERENCED 2 /* a citation no marker points to */
#define GROUNDING_BAD_QUOTE 4    /* a quote not found in its excerpt */

/* One number inside a marker. "[1, 2]" gives two, sharing off/len. */
struct grounding_marker {
    size_t off;     /* byte offset of the whole bracket group's '[' */
    size_t len;     /* bytes of the group, '[' to ']' inclusive */
    size_t num_off; /* byte offset of this number's digits */
    size_t num_len;
    int n;
    int citation; /* index into d->citations, -1 if none has this n */
};

/* The result of a check. Owns its arrays; release with grounding_clear. */
struct grounding {
    struct grounding_marker *markers; /* in body order */
    size_t nmarkers;
    int *missing; /* distinct marker numbers with no citation, ascending */
    size_t nmissing;
    int *unreferenced; /* citation numbers never referenced, ascending */
    size_t nunreferenced;
    int *bad_quotes; /* citation numbers whose quote is not in the excerpt */
    size_t nbad_quotes;
    unsigned flags; /* GROUNDING_* bits */
};

/* Check d (body and citations) into *out (overwritten). A NULL body has no
 * markers. Never fails. */
void grounding_check(const struct so_draft *d, struct grounding *out);

/* Free what grounding_check allocated and zero *g. */
void grounding_clear(struct grounding *g);

/* SO_ROW_GROUNDING when a marker lacks its citation or a quote is not in its
 * excerpt (an unreferenced citation alone is not a row flag), else 0. */
int grounding_row_flags(const struct grounding *g);

/* 1 if quote is found in excerpt under the rules above (NULL/blank quote:
 * 1). */
int grounding_quote_found(const char *excerpt, const char *quote);

/* Where quote sits in excerpt under the same rules, as a byte range of the
 * original excerpt (so "within\n 30 days" is highlighted whole): returns 1
 * and sets *off and *len, or 0 when not found (or quote is NULL/blank). */
int grounding_quote_locate(const char *excerpt, const char *quote,
                           size_t *off, size_t *len);

/* Words of an excerpt grounding_quote_closest looks at (a quote: an
 * eighth of it). */
#define GROUNDING_CLOSEST_WORDS 4096

/* For a quote not found: the passage of excerpt closest to it, so a
 * reviewer sees what the source says instead. The quote is laid over the
 * excerpt word by word (words: runs of letters and digits, compared without
 * case) at each offset; the offset where most words agree wins, and its
 * agreeing words from first to last are the passage. Returns 1 and sets
 * *off and *len (a byte range of excerpt) when enough agree (one for a
 * quote of up to two words, else a third of them and at least two), 0
 * when nothing is close. */
int grounding_quote_closest(const char *excerpt, const char *quote,
                            size_t *off, size_t *len);

#endif
