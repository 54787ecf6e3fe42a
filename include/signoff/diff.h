/*
 * diff: word-level diff of two UTF-8 texts, for the edit confirmation in the
 * UI, `signoff show` and the edit size recorded with each decision.
 *
 * Tokens are words (runs of non-whitespace bytes) and whitespace runs
 * (ASCII space, \t, \n, \r, \f, \v), so a diff never splits a UTF-8
 * sequence. The common prefix and suffix are stripped, then Myers' O(ND)
 * algorithm runs on the token arrays; when the edit distance would pass
 * DIFF_MAX_EDITS tokens the diff falls back to one whole replacement of the
 * differing middle, so a rewritten 1 MiB body stays fast.
 *
 * Must not: print, sanitize (render output holds the raw text: the caller
 * sanitizes it before it reaches a terminal).
 */
#ifndef SIGNOFF_DIFF_H
#define SIGNOFF_DIFF_H

#include <stddef.h>

/* Beyond this many inserted+deleted tokens the diff is a whole replace. */
#define DIFF_MAX_EDITS 2000

enum diff_kind { DIFF_EQUAL, DIFF_DELETE, DIFF_INSERT };

/* One run of text: kept, removed from old, or added in new. */
struct diff_op {
    enum diff_kind kind;
    char *text; /* owned, NUL-terminated */
    size_t len;
};

/* A word diff. Owns its ops; free with diff_free. Runs of changes that are
 * separated only by whitespace are merged into one delete followed by one
 * insert, so "[-a b-]{+c d+}" rather than "[-a-]{+c+} [-b-]{+d+}". */
struct diff {
    struct diff_op *ops;
    size_t nops;
    size_t words_deleted;  /* words (not whitespace) removed */
    size_t words_inserted; /* words added */
    int fallback;          /* 1 if DIFF_MAX_EDITS was hit */
};

/* Diff old_text against new_text (NUL-terminated; NULL counts as ""). Never
 * returns NULL. */
struct diff *diff_words(const char *old_text, const char *new_text);

/* Free a diff (NULL is fine). */
void diff_free(struct diff *d);

/* The edit size: words deleted + words inserted between old and new (0 when
 * only whitespace changed). */
size_t diff_changed_words(const char *old_text, const char *new_text);

/* Render like `git diff --word-diff=plain`: equal text as is, deletions as
 * "[-old-]", insertions as "{+new+}". Owned result, never NULL. */
char *diff_render_plain(const struct diff *d);

#endif
