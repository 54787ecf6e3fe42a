/*
 * diff: word-level Myers diff (rules in include/signoff/diff.h). Tokens
 * point into the caller's strings; only the final ops own copies. Never
 * prints, never sanitizes.
 */
#include "signoff/diff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/util.h"

/* Snake steps Myers may take before giving up on a fine diff (keeps a
 * rewritten 1 MiB body well under a second). */
#define DIFF_MAX_WORK 20000000L

struct tok {
    const char *p;
    size_t len;
    uint32_t hash;
    int space; /* a whitespace run, not a word */
};

/* One step of the edit script: a token kept, deleted from a or inserted
 * from b. */
struct step {
    enum diff_kind kind;
    const struct tok *t;
};

struct script {
    struct step *v;
    size_t n, cap;
};

static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* Split s into word and whitespace tokens. */
static struct tok *tokenize(const char *s, size_t *n)
{
    size_t cap = 16, i = 0;
    struct tok *v = xmalloc(cap * sizeof(*v));

    *n = 0;
    while (s[i]) {
        struct tok *t;
        int sp = is_ws((unsigned char)s[i]);
        uint32_t h = 2166136261u;
        size_t start = i;
        while (s[i] && is_ws((unsigned char)s[i]) == sp) {
            h = (h ^ (unsigned char)s[i]) * 16777619u;
            i++;
        }
        if (*n == cap) {
            cap *= 2;
            v = xrealloc(v, cap * sizeof(*v));
        }
        t = &v[(*n)++];
        t->p = s + start;
        t->len = i - start;
        t->hash = h;
        t->space = sp;
    }
    return v;
}

static int tok_eq(const struct tok *a, const struct tok *b)
{
    return a->hash == b->hash && a->len == b->len &&
           memcmp(a->p, b->p, a->len) == 0;
}

static void push(struct script *s, enum diff_kind kind, const struct tok *t)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
    }
    s->v[s->n].kind = kind;
    s->v[s->n].t = t;
    s->n++;
}

/* Myers' greedy forward pass over a[0..n) and b[0..m). Fills hist with V
 * after each d (hist[d] has 2d+1 entries for k = -d..d); returns the edit
 * distance, or -1 past DIFF_MAX_EDITS or DIFF_MAX_WORK. */
static long myers_forward(const struct tok *a, long n, const struct tok *b,
                          long m, long **hist)
{
    long d, k, x, y, work = 0;

    for (d = 0; d <= DIFF_MAX_EDITS; d++) {
        long *v = xmalloc((size_t)(2 * d + 1) * sizeof(*v));
        long *prev = d ? hist[d - 1] + (d - 1) : NULL; /* prev[k], |k|<d */
        hist[d] = v;
        v += d;
        for (k = -d; k <= d; k += 2) {
            if (d == 0)
                x = 0;
            else if (k == -d || (k != d && prev[k - 1] < prev[k + 1]))
                x = prev[k + 1];
            else
                x = prev[k - 1] + 1;
            y = x - k;
            while (x < n && y < m && tok_eq(&a[x], &b[y])) {
                x++;
                y++;
                work++;
            }
            v[k] = x;
            if (x >= n && y >= m)
                return d;
        }
        work += d;
        if (work > DIFF_MAX_WORK)
            return -1;
    }
    return -1;
}

/* Walk hist back from (n, m) and append the steps in forward order. */
static void myers_backtrack(const struct tok *a, long n, const struct tok *b,
                            long m, long **hist, long dist, struct script *s)
{
    struct script rev = {0};
    long x = n, y = m, d;
    size_t i;

    for (d = dist; d > 0; d--) {
        const long *prev = hist[d - 1] + (d - 1);
        long k = x - y, pk, px, py;
        if (k == -d || (k != d && prev[k - 1] < prev[k + 1]))
            pk = k + 1; /* came by an insertion */
        else
            pk = k - 1; /* came by a deletion */
        px = prev[pk];
        py = px - pk;
        while (x > px + (pk == k - 1) && y > py + (pk == k + 1)) {
            push(&rev, DIFF_EQUAL, &a[--x]);
            y--;
        }
        if (pk == k + 1)
            push(&rev, DIFF_INSERT, &b[--y]);
        else
            push(&rev, DIFF_DELETE, &a[--x]);
    }
    while (x > 0 && y > 0) {
        push(&rev, DIFF_EQUAL, &a[--x]);
        y--;
    }
    for (i = rev.n; i > 0; i--)
        push(s, rev.v[i - 1].kind, rev.v[i - 1].t);
    free(rev.v);
}

/* The middle part: Myers, or a whole replace when it would take too long.
 * Returns 1 when it fell back. */
static int diff_middle(const struct tok *a, long n, const struct tok *b,
                       long m, struct script *s)
{
    long **hist = xcalloc(DIFF_MAX_EDITS + 2, sizeof(*hist));
    long dist = myers_forward(a, n, b, m, hist), i;

    if (dist >= 0)
        myers_backtrack(a, n, b, m, hist, dist, s);
    for (i = 0; i <= DIFF_MAX_EDITS && hist[i]; i++)
        free(hist[i]);
    free(hist);
    if (dist >= 0)
        return 0;
    for (i = 0; i < n; i++)
        push(s, DIFF_DELETE, &a[i]);
    for (i = 0; i < m; i++)
        push(s, DIFF_INSERT, &b[i]);
    return 1;
}

static void add_op(struct diff *d, enum diff_kind kind, struct buf *text)
{
    struct diff_op *op;

    if (text->len == 0)
        return;
    d->ops = xrealloc(d->ops, (d->nops + 1) * sizeof(*d->ops));
    op = &d->ops[d->nops++];
    op->kind = kind;
    op->len = text->len;
    op->text = buf_steal(text);
}

/* End of the change block starting at step i: changes, plus whitespace
 * kept between changes. */
static size_t block_end(const struct script *s, size_t i)
{
    size_t end = i, j;

    for (j = i; j < s->n; j++) {
        if (s->v[j].kind != DIFF_EQUAL)
            end = j + 1;
        else if (!s->v[j].t->space)
            break;
    }
    return end;
}

/* Turn the token script into merged ops. */
static void build_ops(struct diff *d, const struct script *s)
{
    struct buf eq, del, ins;
    size_t i = 0, j, end;

    buf_init(&eq);
    buf_init(&del);
    buf_init(&ins);
    while (i < s->n) {
        if (s->v[i].kind == DIFF_EQUAL) {
            buf_add(&eq, s->v[i].t->p, s->v[i].t->len);
            i++;
            continue;
        }
        add_op(d, DIFF_EQUAL, &eq);
        end = block_end(s, i);
        for (j = i; j < end; j++) {
            const struct step *st = &s->v[j];
            if (st->kind != DIFF_INSERT)
                buf_add(&del, st->t->p, st->t->len);
            if (st->kind != DIFF_DELETE)
                buf_add(&ins, st->t->p, st->t->len);
            if (st->kind == DIFF_DELETE && !st->t->space)
                d->words_deleted++;
            if (st->kind == DIFF_INSERT && !st->t->space)
                d->words_inserted++;
        }
        add_op(d, DIFF_DELETE, &del);
        add_op(d, DIFF_INSERT, &ins);
        i = end;
    }
    add_op(d, DIFF_EQUAL, &eq);
}

struct diff *diff_words(const char *old_text, const char *new_text)
{
    struct diff *d = xcalloc(1, sizeof(*d));
    struct script s = {0};
    size_t na, nb, pre = 0, suf = 0, i;
    struct tok *a = tokenize(old_text ? old_text : "", &na);
    struct tok *b = tokenize(new_text ? new_text : "", &nb);

    while (pre < na && pre < nb && tok_eq(&a[pre], &b[pre]))
        pre++;
    while (suf < na - pre && suf < nb - pre &&
           tok_eq(&a[na - 1 - suf], &b[nb - 1 - suf]))
        suf++;
    for (i = 0; i < pre; i++)
        push(&s, DIFF_EQUAL, &a[i]);
    d->fallback = diff_middle(a + pre, (long)(na - pre - suf), b + pre,
                              (long)(nb - pre - suf), &s);
    for (i = na - suf; i < na; i++)
        push(&s, DIFF_EQUAL, &a[i]);
    build_ops(d, &s);
    free(s.v);
    free(a);
    free(b);
    return d;
}

void diff_free(struct diff *d)
{
    size_t i;

    if (!d)
        return;
    for (i = 0; i < d->nops; i++)
        free(d->ops[i].text);
    free(d->ops);
    free(d);
}

size_t diff_changed_words(const char *old_text, const char *new_text)
{
    struct diff *d = diff_words(old_text, new_text);
    size_t n = d->words_deleted + d->words_inserted;

    diff_free(d);
    return n;
}

char *diff_render_plain(const struct diff *d)
{
    struct buf b;
    size_t i;

    buf_init(&b);
    for (i = 0; i < d->nops; i++) {
        const struct diff_op *op = &d->ops[i];
        if (op->kind == DIFF_DELETE)
            buf_adds(&b, "[-");
        else if (op->kind == DIFF_INSERT)
            buf_adds(&b, "{+");
        buf_add(&b, op->text, op->len);
        if (op->kind == DIFF_DELETE)
            buf_adds(&b, "-]");
        else if (op->kind == DIFF_INSERT)
            buf_adds(&b, "+}");
    }
    buf_cstr(&b);
    return buf_steal(&b);
}
