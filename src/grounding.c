/*
 * grounding: [n] markers against citations (rules in
 * include/signoff/grounding.h). Pure functions over a draft; never prints,
 * never touches the queue.
 */
#define _GNU_SOURCE /* memmem */
#include "signoff/grounding.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "signoff/util.h"

#define MAX_MARKER 99999

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Length of the number at s[i] (1..99999, no leading zero), 0 if none. */
static size_t number_len(const char *s, size_t len, size_t i)
{
    size_t k = i;

    if (i >= len || s[i] < '1' || s[i] > '9')
        return 0;
    while (k < len && is_digit(s[k]) && k - i < 6)
        k++;
    return k - i > 5 ? 0 : k - i;
}

/* If a marker group "[1]" / "[1, 2]" starts at s[i], the offset just past
 * its ']'; else 0. */
static size_t group_end(const char *s, size_t len, size_t i)
{
    size_t k = i + 1;

    for (;;) {
        size_t n = number_len(s, len, k);
        if (!n)
            return 0;
        k += n;
        if (k < len && s[k] == ']')
            return k + 1;
        if (k >= len || s[k] != ',')
            return 0;
        k++;
        while (k < len && s[k] == ' ')
            k++;
    }
}

static int citation_index(const struct so_draft *d, int n)
{
    size_t i;

    for (i = 0; i < d->ncitations; i++)
        if (d->citations[i].n == n)
            return (int)i;
    return -1;
}

static void add_marker(struct grounding *g, size_t *cap,
                       const struct grounding_marker *m)
{
    if (g->nmarkers == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        g->markers = xrealloc(g->markers, *cap * sizeof(*g->markers));
    }
    g->markers[g->nmarkers++] = *m;
}

/* Record each number of the group s[start..end). */
static void record_group(const struct so_draft *d, struct grounding *g,
                         size_t *cap, size_t start, size_t end)
{
    const char *s = d->body;
    size_t k = start + 1;
    struct grounding_marker m;

    while (k < end - 1) {
        size_t n = number_len(s, end, k);
        m.off = start;
        m.len = end - start;
        m.num_off = k;
        m.num_len = n;
        m.n = atoi(s + k);
        m.citation = citation_index(d, m.n);
        add_marker(g, cap, &m);
        k += n;
        while (k < end - 1 && (s[k] == ',' || s[k] == ' '))
            k++;
    }
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Sort v[0..*n) and drop repeats. */
static void sort_unique(int *v, size_t *n)
{
    size_t i, k = 0;

    if (*n == 0)
        return;
    qsort(v, *n, sizeof(*v), cmp_int);
    for (i = 1; i < *n; i++)
        if (v[i] != v[k])
            v[++k] = v[i];
    *n = k + 1;
}

static void find_markers(const struct so_draft *d, struct grounding *g)
{
    size_t len = d->body ? strlen(d->body) : 0, i = 0, cap = 0;

    while (i < len) {
        const char *p = memchr(d->body + i, '[', len - i);
        size_t end;
        if (!p)
            break;
        i = (size_t)(p - d->body);
        end = group_end(d->body, len, i);
        if (end) {
            record_group(d, g, &cap, i, end);
            i = end;
        } else {
            i++;
        }
    }
}

/* Numbers of markers without citation, of citations without marker and of
 * quotes not in their excerpt. */
static void summarize(const struct so_draft *d, struct grounding *g)
{
    char *referenced = xcalloc(d->ncitations + 1, 1);
    size_t i;

    g->missing = xmalloc((g->nmarkers + 1) * sizeof(int));
    for (i = 0; i < g->nmarkers; i++) {
        if (g->markers[i].citation < 0)
            g->missing[g->nmissing++] = g->markers[i].n;
        else
            referenced[g->markers[i].citation] = 1;
    }
    sort_unique(g->missing, &g->nmissing);
    g->unreferenced = xmalloc((d->ncitations + 1) * sizeof(int));
    g->bad_quotes = xmalloc((d->ncitations + 1) * sizeof(int));
    for (i = 0; i < d->ncitations; i++) {
        const struct so_citation *c = &d->citations[i];
        if (!referenced[i])
            g->unreferenced[g->nunreferenced++] = c->n;
        if (!grounding_quote_found(c->excerpt, c->quote))
            g->bad_quotes[g->nbad_quotes++] = c->n;
    }
    sort_unique(g->unreferenced, &g->nunreferenced);
    sort_unique(g->bad_quotes, &g->nbad_quotes);
    free(referenced);
}

void grounding_check(const struct so_draft *d, struct grounding *out)
{
    memset(out, 0, sizeof(*out));
    find_markers(d, out);
    summarize(d, out);
    if (out->nmissing)
        out->flags |= GROUNDING_MISSING;
    if (out->nunreferenced)
        out->flags |= GROUNDING_UNREFERENCED;
    if (out->nbad_quotes)
        out->flags |= GROUNDING_BAD_QUOTE;
}

void grounding_clear(struct grounding *g)
{
    free(g->markers);
    free(g->missing);
    free(g->unreferenced);
    free(g->bad_quotes);
    memset(g, 0, sizeof(*g));
}

int grounding_row_flags(const struct grounding *g)
{
    return (g->flags & (GROUNDING_MISSING | GROUNDING_BAD_QUOTE)) != 0
               ? SO_ROW_GROUNDING
               : 0;
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* s with whitespace runs collapsed to one space and both ends trimmed;
 * *n is its length and, when map is non-NULL, (*map)[k] the offset in s of
 * collapsed byte k. Owned. */
static char *collapse(const char *s, size_t *n, size_t **map)
{
    size_t len = strlen(s), i, k = 0, gap_at = 0;
    char *out = xmalloc(len + 1);
    int gap = 0;

    if (map)
        *map = xmalloc((len + 1) * sizeof(**map));
    for (i = 0; i < len; i++) {
        if (is_ws(s[i])) {
            if (!gap && k > 0)
                gap_at = i;
            gap = k > 0;
            continue;
        }
        if (gap) {
            if (map)
                (*map)[k] = gap_at;
            out[k++] = ' ';
        }
        gap = 0;
        if (map)
            (*map)[k] = i;
        out[k++] = s[i];
    }
    out[k] = '\0';
    *n = k;
    return out;
}

int grounding_quote_locate(const char *excerpt, const char *quote,
                           size_t *off, size_t *len)
{
    size_t nq, ne, *map = NULL;
    char *q, *e;
    const char *hit;
    int found = 0;

    if (!quote || !excerpt)
        return 0;
    q = collapse(quote, &nq, NULL);
    e = collapse(excerpt, &ne, &map);
    hit = nq ? memmem(e, ne, q, nq) : NULL;
    if (hit) {
        size_t first = (size_t)(hit - e);
        *off = map[first];
        *len = map[first + nq - 1] + 1 - *off;
        found = 1;
    }
    free(map);
    free(q);
    free(e);
    return found;
}

int grounding_quote_found(const char *excerpt, const char *quote)
{
    size_t nq, off, len;
    char *q;

    if (!quote)
        return 1;
    q = collapse(quote, &nq, NULL);
    free(q);
    return nq == 0 || grounding_quote_locate(excerpt, quote, &off, &len);
}

/* A word: a run of letters, digits or non-ASCII bytes. */
struct word {
    size_t off, len;
};

static int word_byte(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* The words of s, at most max of them; owned array, count in *n. */
static struct word *words_of(const char *s, size_t max, size_t *n)
{
    size_t len = strlen(s), cap = 0;
    struct word *w = NULL;
    *n = 0;
    for (size_t i = 0; i < len && *n < max;) {
        if (!word_byte((unsigned char)s[i])) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && word_byte((unsigned char)s[i]))
            i++;
        if (*n == cap) {
            cap = cap ? cap * 2 : 32;
            w = xrealloc(w, cap * sizeof *w);
        }
        w[(*n)++] = (struct word){start, i - start};
    }
    return w;
}

static int same_word(const char *a, struct word wa, const char *b,
                     struct word wb)
{
    return wa.len == wb.len && strncasecmp(a + wa.off, b + wb.off, wa.len) == 0;
}

int grounding_quote_closest(const char *excerpt, const char *quote,
                            size_t *off, size_t *len)
{
    size_t ne = 0, nq = 0;
    if (!excerpt || !quote)
        return 0;
    struct word *e = words_of(excerpt, GROUNDING_CLOSEST_WORDS, &ne);
    struct word *q = words_of(quote, GROUNDING_CLOSEST_WORDS / 8, &nq);
    size_t best = 0, first = 0, last = 0;
    /* Lay the quote over the excerpt at every word offset (it may hang
     * over either end) and count the words that agree. */
    for (long shift = -(long)nq + 1; nq && shift < (long)ne; shift++) {
        size_t hits = 0, lo = 0, hi = 0;
        for (size_t k = 0; k < nq; k++) {
            long i = shift + (long)k;
            if (i < 0 || i >= (long)ne ||
                !same_word(excerpt, e[i], quote, q[k]))
                continue;
            if (hits++ == 0)
                lo = (size_t)i;
            hi = (size_t)i;
        }
        if (hits > best) {
            best = hits;
            first = lo;
            last = hi;
        }
    }
    size_t need = nq <= 2 ? 1 : nq / 3 > 2 ? nq / 3 : 2;
    int found = best >= need;
    if (found) {
        *off = e[first].off;
        *len = e[last].off + e[last].len - *off;
    }
    free(e);
    free(q);
    return found;
}
