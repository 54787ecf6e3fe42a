/*
 * filter: parse mutt-style limit patterns for the queue screen into the
 * filter fields of a listing request. Terms are ANDed; a term given twice
 * keeps the last value (plain words accumulate). Pure: no curses, no I/O.
 */
#include "signoff/filter.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* A cursor over the pattern. */
struct scan {
    const char *p;
};

static void skip_blanks(struct scan *s)
{
    while (*s->p && isspace((unsigned char)*s->p))
        s->p++;
}

/* The next word (up to a blank), or NULL at the end. Caller frees. */
static char *next_word(struct scan *s)
{
    skip_blanks(s);
    if (!*s->p)
        return NULL;
    const char *b = s->p;
    while (*s->p && !isspace((unsigned char)*s->p))
        s->p++;
    return xstrndup(b, (size_t)(s->p - b));
}

/* ~c<0.6, ~c>=0.8 (also with a blank after ~c). */
static enum so_status parse_conf(struct scan *s, struct filter *f,
                                 struct so_error *err)
{
    skip_blanks(s);
    char *w = next_word(s);
    const char *p = w ? w : "";
    int below = 0;
    if (p[0] == '<' && p[1] != '=') {
        below = 1;
        p++;
    } else if (p[0] == '>' && p[1] == '=') {
        p += 2;
    } else {
        free(w);
        return so_fail(err, SO_ERR_INVALID,
                       "~c: expected ~c<0.6 or ~c>=0.8");
    }
    double v;
    if (so_parse_double(p, 0.0, 1.0, &v) != 0) {
        free(w);
        return so_fail(err, SO_ERR_INVALID,
                       "~c: confidence is a number from 0 to 1");
    }
    free(w);
    if (below)
        f->conf_below = v;
    else
        f->conf_atleast = v;
    return SO_OK;
}

/* ~w WORKFLOW or ~m MODEL: the argument is the next word. */
static enum so_status parse_arg(struct scan *s, char **slot, char term,
                                struct so_error *err)
{
    char *w = next_word(s);
    if (!w || w[0] == '~') {
        free(w);
        return so_fail(err, SO_ERR_INVALID, "~%c: needs a name after it",
                       term);
    }
    free(*slot);
    *slot = w;
    return SO_OK;
}

static void add_word(struct filter *f, const char *w)
{
    char *joined = f->words ? xasprintf("%s %s", f->words, w) : xstrdup(w);
    free(f->words);
    f->words = joined;
}

/* "a phrase" starting at s->p (the quote): the phrase without quotes, or
 * NULL with err set. */
static char *next_phrase(struct scan *s, struct so_error *err)
{
    const char *b = s->p + 1, *e = strchr(b, '"');
    if (!e) {
        so_fail(err, SO_ERR_INVALID, "a quoted phrase is not closed: %s",
                s->p);
        return NULL;
    }
    s->p = e + 1;
    if (e == b) {
        so_fail(err, SO_ERR_INVALID, "an empty quoted phrase (\"\")");
        return NULL;
    }
    return xstrndup(b, (size_t)(e - b));
}

/* One term starting at s->p (not blank). */
static enum so_status parse_term(struct scan *s, struct filter *f,
                                 struct so_error *err)
{
    if (s->p[0] == '"') {
        char *w = next_phrase(s, err);
        if (!w)
            return err->code;
        char *q = xasprintf("\"%s\"", w);
        add_word(f, q);
        free(q);
        free(w);
        return SO_OK;
    }
    if (s->p[0] != '~') {
        char *w = next_word(s);
        add_word(f, w);
        free(w);
        return SO_OK;
    }
    char t = s->p[1];
    const char *after = s->p + (t ? 2 : 1); /* a lone "~" ends the pattern */
    int bare = *after == '\0' || isspace((unsigned char)*after);
    s->p = after;
    switch (t) {
    case 'w':
        return bare ? parse_arg(s, &f->workflow, t, err)
                    : so_fail(err, SO_ERR_INVALID, "~w: write ~w NAME");
    case 'm':
        return bare ? parse_arg(s, &f->model, t, err)
                    : so_fail(err, SO_ERR_INVALID, "~m: write ~m NAME");
    case 'c':
        return parse_conf(s, f, err);
    case 'g':
    case 'e':
        if (!bare)
            return so_fail(err, SO_ERR_INVALID, "~%c takes no argument", t);
        *(t == 'g' ? &f->grounding : &f->escalated) = 1;
        return SO_OK;
    default:
        return so_fail(err, SO_ERR_INVALID,
                       "unknown pattern ~%c (use ~w ~m ~c ~g ~e or words)",
                       t ? t : ' ');
    }
}

enum so_status filter_parse(const char *pattern, struct filter *out,
                            struct so_error *err)
{
    memset(out, 0, sizeof *out);
    out->conf_below = -1;
    out->conf_atleast = -1;
    so_error_clear(err);
    struct scan s = {pattern ? pattern : ""};
    skip_blanks(&s);
    if (!*s.p)
        return SO_OK;
    while (*s.p) {
        enum so_status st = parse_term(&s, out, err);
        if (st != SO_OK) {
            filter_clear(out);
            return st;
        }
        skip_blanks(&s);
    }
    char **terms = NULL;
    size_t n = 0;
    enum so_status st = out->words
                            ? filter_terms(out->words, &terms, &n, err)
                            : SO_OK;
    filter_terms_free(terms, n);
    if (st != SO_OK) {
        filter_clear(out);
        return st;
    }
    out->pattern = xstrdup(pattern);
    return SO_OK;
}

void filter_terms_free(char **terms, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(terms[i]);
    free(terms);
}

enum so_status filter_terms(const char *text, char ***terms, size_t *n,
                            struct so_error *err)
{
    struct scan s = {text ? text : ""};
    struct so_error local;
    if (!err)
        err = &local;
    *terms = NULL;
    *n = 0;
    for (skip_blanks(&s); *s.p; skip_blanks(&s)) {
        if (*n == FILTER_MAX_TERMS) {
            filter_terms_free(*terms, *n);
            *terms = NULL;
            *n = 0;
            return so_fail(err, SO_ERR_INVALID,
                           "text filter: at most %d words and phrases",
                           FILTER_MAX_TERMS);
        }
        char *t = s.p[0] == '"' ? next_phrase(&s, err) : next_word(&s);
        if (!t) {
            filter_terms_free(*terms, *n);
            *terms = NULL;
            *n = 0;
            return err->code;
        }
        *terms = xrealloc(*terms, (*n + 1) * sizeof **terms);
        (*terms)[(*n)++] = t;
    }
    return SO_OK;
}

void filter_apply(const struct filter *f, struct so_list_req *req)
{
    req->workflow = f->workflow;
    req->model = f->model;
    req->conf_below = f->conf_below;
    req->conf_atleast = f->conf_atleast;
    req->grounding_only = f->grounding;
    req->escalated_only = f->escalated;
    req->text = f->words;
}

int filter_needs_listing(const struct filter *f)
{
    return f->model || f->words || f->conf_below >= 0 ||
           f->conf_atleast >= 0 || f->grounding || f->escalated;
}

void filter_clear(struct filter *f)
{
    if (!f)
        return;
    free(f->pattern);
    free(f->workflow);
    free(f->model);
    free(f->words);
    memset(f, 0, sizeof *f);
    f->conf_below = -1;
    f->conf_atleast = -1;
}
