/*
 * filter: parse mutt-style limit patterns for the queue screen into the
 * filter fields of a listing request. Terms are ANDed; a term given twice
 * keeps the last value (plain words accumulate). Pure: no curses, no I/O.
 */
#include "signoff/filter.h"

#include <cJSON.h>
#include <ctype.h>
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/grounding.h"

/* A cursor over the pattern; meta: metadata comparisons allowed. */
struct scan {
    const char *p;
    int meta;
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

/* The operator at the start of p: its length (0: none). */
static size_t op_at(const char *p, enum filter_op *op)
{
    if (p[0] == '>' || p[0] == '<') {
        int eq = p[1] == '=';
        *op = p[0] == '>' ? (eq ? FILTER_GE : FILTER_GT)
                          : (eq ? FILTER_LE : FILTER_LT);
        return eq ? 2 : 1;
    }
    if (p[0] == '=' || p[0] == ':') {
        *op = FILTER_EQ;
        return 1;
    }
    return 0;
}

static int meta_key_ok(const char *k, size_t n)
{
    if (n == 0 || k[0] == '.' || k[n - 1] == '.')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)k[i]) && !strchr("_-.", k[i]))
            return 0;
    return 1;
}

/* Add KEY OP VALUE; value owned by the caller. */
static enum so_status add_meta(struct filter *f, const char *key, size_t klen,
                               enum filter_op op, const char *value,
                               struct so_error *err)
{
    if (!meta_key_ok(key, klen))
        return so_fail(err, SO_ERR_INVALID,
                       "metadata key '%.*s': letters, digits, _ - and dots",
                       (int)klen, key);
    if (!value || !*value)
        return so_fail(err, SO_ERR_INVALID, "%.*s: a value must follow",
                       (int)klen, key);
    double num = 0;
    int numeric = so_parse_double(value, -DBL_MAX, DBL_MAX, &num) == 0;
    if (op != FILTER_EQ && !numeric)
        return so_fail(err, SO_ERR_INVALID,
                       "%.*s: < <= > >= compare with a number, not '%s'",
                       (int)klen, key, value);
    f->meta = xrealloc(f->meta, (f->nmeta + 1) * sizeof *f->meta);
    struct filter_meta *m = &f->meta[f->nmeta++];
    m->key = xstrndup(key, klen);
    m->op = op;
    m->value = xstrdup(value);
    m->numeric = numeric;
    m->num = num;
    return SO_OK;
}

/* The value after an operator: a "phrase" or a word (NULL at the end). */
static char *meta_value(struct scan *s, struct so_error *err)
{
    skip_blanks(s);
    if (s->p[0] == '"')
        return next_phrase(s, err);
    char *v = next_word(s);
    if (!v)
        so_fail(err, SO_ERR_INVALID, "a comparison needs a value after it");
    return v;
}

/* A word w of a policy pattern that may be a metadata comparison: KEY:
 * VALUE, KEY OP VALUE, KEY>VALUE. 1 when it was one (or an error). */
static int parse_meta(struct scan *s, struct filter *f, const char *w,
                      enum so_status *st, struct so_error *err)
{
    enum filter_op op = FILTER_EQ;
    size_t k = strcspn(w, "<>=:"), n;
    if (w[k]) {
        n = op_at(w + k, &op);
        char *v = w[k + n] ? xstrdup(w + k + n) : meta_value(s, err);
        *st = v ? add_meta(f, w, k, op, v, err) : err->code;
        free(v);
        return 1;
    }
    struct scan peek = *s;
    char *next = next_word(&peek);
    n = next ? op_at(next, &op) : 0;
    int is_op = n && next[n] == '\0';
    free(next);
    if (!is_op)
        return 0;
    *s = peek;
    char *v = meta_value(s, err);
    *st = v ? add_meta(f, w, k, op, v, err) : err->code;
    free(v);
    return 1;
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
        enum so_status st = SO_OK;
        if (!s->meta || !parse_meta(s, f, w, &st, err))
            add_word(f, w);
        free(w);
        return st;
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

static enum so_status parse(const char *pattern, int meta, struct filter *out,
                            struct so_error *err)
{
    memset(out, 0, sizeof *out);
    out->conf_below = -1;
    out->conf_atleast = -1;
    so_error_clear(err);
    struct scan s = {pattern ? pattern : "", meta};
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

enum so_status filter_parse(const char *pattern, struct filter *out,
                            struct so_error *err)
{
    return parse(pattern, 0, out, err);
}

enum so_status filter_parse_policy(const char *pattern, struct filter *out,
                                   struct so_error *err)
{
    return parse(pattern, 1, out, err);
}

/* Case-insensitive (ASCII, as SQLite's LIKE) substring. */
static int has_text(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = hay; p && *p; p++) {
        size_t i = 0;
        while (i < n && p[i] &&
               tolower((unsigned char)p[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return n == 0;
}

static int words_match(const char *words, const struct so_draft *d)
{
    char **terms = NULL;
    size_t n = 0;
    if (filter_terms(words, &terms, &n, NULL) != SO_OK)
        return 0;
    int ok = 1;
    for (size_t i = 0; ok && i < n; i++)
        ok = has_text(d->title, terms[i]) || has_text(d->body, terms[i]);
    filter_terms_free(terms, n);
    return ok;
}

/* The value at key (a.b.c through nested objects), or NULL. */
static const cJSON *meta_lookup(const cJSON *o, const char *key)
{
    char *k = xstrdup(key);
    const cJSON *v = o;
    for (char *p = k, *dot; v && p; p = dot ? dot + 1 : NULL) {
        dot = strchr(p, '.');
        if (dot)
            *dot = '\0';
        v = cJSON_IsObject(v) ? cJSON_GetObjectItemCaseSensitive(v, p) : NULL;
    }
    free(k);
    return v;
}

static int meta_one(const cJSON *o, const struct filter_meta *m)
{
    const cJSON *v = meta_lookup(o, m->key);
    if (!v)
        return 0;
    if (cJSON_IsNumber(v) && m->numeric) {
        double x = v->valuedouble;
        switch (m->op) {
        case FILTER_LT: return x < m->num;
        case FILTER_LE: return x <= m->num;
        case FILTER_GT: return x > m->num;
        case FILTER_GE: return x >= m->num;
        default: return x == m->num;
        }
    }
    if (m->op != FILTER_EQ)
        return 0;
    if (cJSON_IsString(v))
        return strlen(v->valuestring) == strlen(m->value) &&
               has_text(v->valuestring, m->value);
    if (cJSON_IsBool(v))
        return strcmp(m->value, cJSON_IsTrue(v) ? "true" : "false") == 0;
    return 0;
}

static int meta_match(const struct filter *f, const struct so_draft *d)
{
    if (!f->nmeta)
        return 1;
    cJSON *o = d->metadata_json ? cJSON_Parse(d->metadata_json) : NULL;
    int ok = o != NULL;
    for (size_t i = 0; ok && i < f->nmeta; i++)
        ok = meta_one(o, &f->meta[i]);
    cJSON_Delete(o);
    return ok;
}

static int grounding_flagged(const struct so_draft *d)
{
    struct grounding g;
    grounding_check(d, &g);
    int flags = grounding_row_flags(&g);
    grounding_clear(&g);
    return (flags & SO_ROW_GROUNDING) != 0;
}

int filter_match(const struct filter *f, const struct so_draft *d)
{
    if (f->escalated)
        return 0;
    if ((f->workflow && (!d->workflow || strcmp(f->workflow, d->workflow))) ||
        (f->model && (!d->model || strcmp(f->model, d->model))))
        return 0;
    if (f->conf_below >= 0 && !(d->confidence >= 0 &&
                                d->confidence < f->conf_below))
        return 0;
    if (f->conf_atleast >= 0 && !(d->confidence >= f->conf_atleast))
        return 0;
    if (f->words && !words_match(f->words, d))
        return 0;
    if (f->grounding && !grounding_flagged(d))
        return 0;
    return meta_match(f, d);
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
    struct scan s = {text ? text : "", 0};
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
    for (size_t i = 0; i < f->nmeta; i++) {
        free(f->meta[i].key);
        free(f->meta[i].value);
    }
    free(f->meta);
    memset(f, 0, sizeof *f);
    f->conf_below = -1;
    f->conf_atleast = -1;
}
