/*
 * draft_json: drafts to and from JSON, the JSONL reader and the content
 * fingerprint (rules in include/signoff/draft_json.h). Every field goes
 * through the typed getters of json.c; nothing here trusts cJSON's own
 * leniency. Never prints, never touches the queue.
 */
#include "signoff/draft_json.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "signoff/json.h"
#include "signoff/names.h"
#include "signoff/text.h"

#define READ_CHUNK (64u << 10)

/* 1 if s[0..len) holds nothing but whitespace. */
static int blank(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (!s[i] || !strchr(" \t\r\n\f\v", s[i]))
            return 0;
    return 1;
}

/* An absent optional field is fine. */
static enum so_status opt(enum so_status st)
{
    return st == SO_EMPTY ? SO_OK : st;
}

/* Copy an optional string field (SO_EMPTY leaves *out NULL). */
static enum so_status get_str(const cJSON *o, const char *path,
                              const char *key, int flags, size_t max,
                              char **out, struct so_error *err)
{
    const char *s = NULL;
    enum so_status st = json_get_string(o, path, key, flags, max, &s, err);

    if (st == SO_OK)
        *out = xstrdup(s);
    return opt(st);
}

/* An identifier: 1..SO_MAX_ID bytes, no C0, DEL or C1 control. */
static enum so_status get_ident(const cJSON *o, const char *key, int flags,
                                char **out, struct so_error *err)
{
    const char *s = NULL;
    enum so_status st = json_get_string(o, "", key, flags, SO_MAX_ID, &s,
                                        err);
    size_t pos = 0, len;
    uint32_t cp;

    if (st == SO_EMPTY)
        return SO_OK;
    if (st != SO_OK)
        return st;
    if (!*s)
        return so_fail(err, SO_ERR_INVALID, "%s: empty", key);
    len = strlen(s);
    while (pos < len) {
        size_t at = pos;
        text_utf8_next(s, len, &pos, &cp);
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
            return so_fail(err, SO_ERR_INVALID,
                           "%s: control character U+%04X at byte %zu", key,
                           (unsigned)cp, at);
    }
    *out = xstrdup(s);
    return SO_OK;
}

/* A name (workflow, model): an identifier that also passes the names rule
 * (names.h), so a producer cannot put a bidi control or an invisible
 * character where a label is printed. */
static enum so_status get_name(const cJSON *o, const char *key, int flags,
                               char **out, struct so_error *err)
{
    enum so_status st = get_ident(o, key, flags, out, err);
    if (st == SO_OK && *out && names_check(key, *out, err) != SO_OK) {
        free(*out);
        *out = NULL;
        return err->code;
    }
    return st;
}

/* One element of citations (index i, path "citations[i]"). */
static enum so_status parse_citation(const cJSON *c, size_t i,
                                     struct so_citation *out,
                                     struct so_error *err)
{
    char path[32];
    int64_t n = 0;
    enum so_status st;

    snprintf(path, sizeof(path), "citations[%zu]", i);
    if (!cJSON_IsObject(c))
        return so_fail(err, SO_ERR_INVALID, "%s: expected an object", path);
    st = json_get_int(c, path, "n", JSON_REQUIRED, 1, INT_MAX, &n, err);
    if (st != SO_OK)
        return st;
    out->n = (int)n;
    st = get_str(c, path, "title", JSON_OPTIONAL, SO_MAX_FIELD, &out->title,
                 err);
    if (st == SO_OK)
        st = get_str(c, path, "uri", JSON_OPTIONAL, SO_MAX_FIELD, &out->uri,
                     err);
    if (st == SO_OK)
        st = get_str(c, path, "excerpt", JSON_OPTIONAL, SO_MAX_BODY,
                     &out->excerpt, err);
    if (st == SO_OK)
        st = get_str(c, path, "quote", JSON_OPTIONAL, SO_MAX_FIELD,
                     &out->quote, err);
    return st;
}

static enum so_status parse_citations(const cJSON *o, struct so_draft *d,
                                      struct so_error *err)
{
    const cJSON *arr = NULL, *c;
    enum so_status st = json_get_array(o, "", "citations", JSON_OPTIONAL,
                                       SO_MAX_CITATIONS, &arr, err);
    size_t i = 0, k;

    if (st == SO_EMPTY)
        return SO_OK;
    if (st != SO_OK)
        return st;
    d->citations = xcalloc((size_t)cJSON_GetArraySize(arr) + 1,
                           sizeof(*d->citations));
    cJSON_ArrayForEach(c, arr) {
        d->ncitations = i + 1; /* so so_draft_free sees partial fields */
        st = parse_citation(c, i, &d->citations[i], err);
        if (st != SO_OK)
            return st;
        for (k = 0; k < i; k++)
            if (d->citations[k].n == d->citations[i].n)
                return so_fail(err, SO_ERR_INVALID,
                               "citations[%zu].n: %d is used twice", i,
                               d->citations[i].n);
        i++;
    }
    return SO_OK;
}

/* The optional cost object {"amount": 0.0123, "currency": "USD"}: a
 * number of at most SO_MAX_COST_MICROS millionths and an ISO 4217 code
 * (three capital letters). */
static enum so_status parse_cost(const cJSON *o, struct so_draft *d,
                                 struct so_error *err)
{
    const cJSON *cost = NULL;
    const char *cur = NULL;
    double amount = 0;
    enum so_status st = json_get_object(o, "", "cost", JSON_OPTIONAL, &cost,
                                        err);

    if (st != SO_OK)
        return opt(st);
    st = json_get_double(cost, "cost", "amount", JSON_REQUIRED, 0.0,
                         (double)SO_MAX_COST_MICROS / 1e6, &amount, err);
    if (st == SO_OK)
        st = json_get_string(cost, "cost", "currency", JSON_REQUIRED, 3, &cur,
                             err);
    if (st != SO_OK)
        return st;
    if (!so_currency_valid(cur))
        return so_fail(err, SO_ERR_INVALID,
                       "cost.currency: expected an ISO 4217 code of three "
                       "capital letters (USD, EUR)");
    d->cost_micros = llround(amount * 1e6);
    memcpy(d->currency, cur, 4);
    return SO_OK;
}

/* What the producer reports of making the draft: cost, tokens, latency. */
static enum so_status parse_usage(const cJSON *o, struct so_draft *d,
                                  struct so_error *err)
{
    enum so_status st = parse_cost(o, d, err);

    if (st == SO_OK)
        st = opt(json_get_int(o, "", "tokens", JSON_OPTIONAL, 0, SO_MAX_TOKENS,
                              &d->tokens, err));
    if (st == SO_OK)
        st = opt(json_get_int(o, "", "latency_ms", JSON_OPTIONAL, 0,
                              SO_MAX_LATENCY_MS, &d->latency_ms, err));
    return st;
}

/* The optional scalar content fields. */
static enum so_status parse_optional(const cJSON *o, struct so_draft *d,
                                     struct so_error *err)
{
    enum so_status st;
    int64_t prio = 0;
    const cJSON *meta = NULL;

    st = get_name(o, "model", JSON_OPTIONAL, &d->model, err);
    if (st == SO_OK)
        st = opt(json_get_double(o, "", "confidence", JSON_OPTIONAL, 0.0, 1.0,
                                 &d->confidence, err));
    if (st == SO_OK)
        st = get_str(o, "", "title", JSON_OPTIONAL, SO_MAX_FIELD, &d->title,
                     err);
    if (st == SO_OK)
        st = get_str(o, "", "input", JSON_OPTIONAL, SO_MAX_BODY, &d->input,
                     err);
    if (st == SO_OK)
        st = opt(json_get_int(o, "", "priority", JSON_OPTIONAL, INT_MIN,
                              INT_MAX, &prio, err));
    d->priority = (int)prio;
    if (st == SO_OK)
        st = opt(json_get_object(o, "", "metadata", JSON_OPTIONAL, &meta,
                                 err));
    if (st == SO_OK && meta)
        d->metadata_json = json_print(meta);
    if (st == SO_OK)
        st = parse_usage(o, d, err);
    return st;
}

/* Content fields of an object into d. */
static enum so_status parse_content(const cJSON *o, struct so_draft *d,
                                    struct so_error *err)
{
    enum so_status st;

    if (!cJSON_IsObject(o))
        return so_fail(err, SO_ERR_INVALID, "json: expected an object");
    st = get_ident(o, "id", JSON_REQUIRED, &d->id, err);
    if (st == SO_OK)
        st = get_name(o, "workflow", JSON_REQUIRED, &d->workflow, err);
    if (st == SO_OK)
        st = get_str(o, "", "body", JSON_REQUIRED, SO_MAX_BODY, &d->body, err);
    if (st == SO_OK && blank(d->body, strlen(d->body)))
        st = so_fail(err, SO_ERR_INVALID, "body: empty");
    if (st == SO_OK)
        st = parse_optional(o, d, err);
    if (st == SO_OK)
        st = parse_citations(o, d, err);
    return st;
}

enum so_status draft_from_jsonl(const char *line, size_t len,
                                struct so_draft **out, struct so_error *err)
{
    cJSON *root = NULL;
    struct so_draft *d;
    enum so_status st;

    *out = NULL;
    if (len > SO_MAX_LINE)
        return so_fail(err, SO_ERR_TOOLARGE, "line: longer than %u bytes",
                       SO_MAX_LINE);
    st = json_parse_strict(line, len, SO_MAX_DEPTH, &root, err);
    if (st != SO_OK)
        return st;
    d = so_draft_new();
    st = parse_content(root, d, err);
    cJSON_Delete(root);
    if (st != SO_OK) {
        so_draft_free(d);
        return st;
    }
    *out = d;
    return SO_OK;
}

/* An int64 state field that must be >= 0 (absent: 0). */
static enum so_status get_count(const cJSON *o, const char *key, int64_t *v,
                                struct so_error *err)
{
    return opt(json_get_int(o, "", key, JSON_OPTIONAL, 0, JSON_MAX_SAFE_INT,
                            v, err));
}

/* Queue state fields of a server reply. */
static enum so_status parse_state(const cJSON *o, struct so_draft *d,
                                  struct so_error *err)
{
    const char *status = NULL;
    int64_t attempts = 0, needed = 1, done = 0;
    enum so_status st;

    st = json_get_string(o, "", "status", JSON_OPTIONAL, 16, &status, err);
    if (st == SO_OK) {
        int s = so_dstatus_from_name(status);
        if (s < 0)
            return so_fail(err, SO_ERR_INVALID, "status: unknown value");
        d->status = (enum so_dstatus)s;
    } else if (st != SO_EMPTY) {
        return st;
    }
    st = get_count(o, "created_at", &d->created_at, err);
    if (st == SO_OK)
        st = get_ident(o, "claimed_by", JSON_OPTIONAL, &d->claimed_by, err);
    if (st == SO_OK)
        st = get_count(o, "lease_until", &d->lease_until, err);
    if (st == SO_OK)
        st = get_count(o, "lease_token", &d->lease_token, err);
    if (st == SO_OK)
        st = get_count(o, "attempts", &attempts, err);
    if (st == SO_OK)
        st = opt(json_get_int(o, "", "reviews_needed", JSON_OPTIONAL, 1,
                              SO_MAX_REVIEWS, &needed, err));
    if (st == SO_OK)
        st = opt(json_get_int(o, "", "reviews_done", JSON_OPTIONAL, 0,
                              SO_MAX_REVIEWS, &done, err));
    if (st == SO_OK)
        st = get_ident(o, "last_action", JSON_OPTIONAL, &d->last_action, err);
    d->attempts = attempts > INT_MAX ? INT_MAX : (int)attempts;
    d->reviews_needed = (int)needed;
    d->reviews_done = (int)done;
    return st;
}

enum so_status draft_from_cjson(const cJSON *obj, struct so_draft **out,
                                struct so_error *err)
{
    struct so_draft *d = so_draft_new();
    enum so_status st = parse_content(obj, d, err);

    *out = NULL;
    if (st == SO_OK)
        st = parse_state(obj, d, err);
    if (st != SO_OK) {
        so_draft_free(d);
        return st;
    }
    *out = d;
    return SO_OK;
}

enum so_status draft_from_json(const char *text, size_t len,
                               struct so_draft **out, struct so_error *err)
{
    cJSON *root = NULL;
    enum so_status st;

    *out = NULL;
    st = json_parse_strict(text, len, SO_MAX_DEPTH, &root, err);
    if (st != SO_OK)
        return st;
    st = draft_from_cjson(root, out, err);
    cJSON_Delete(root);
    return st;
}

/* Add key: s unless s is NULL. */
static void add_opt_string(cJSON *o, const char *key, const char *s)
{
    if (s)
        json_add_string(o, key, s);
}

static cJSON *citations_to_cjson(const struct so_draft *d)
{
    cJSON *arr = json_new_array();
    size_t i;

    for (i = 0; i < d->ncitations; i++) {
        const struct so_citation *c = &d->citations[i];
        cJSON *o = json_new_object();
        json_add_int(o, "n", c->n);
        add_opt_string(o, "title", c->title);
        add_opt_string(o, "uri", c->uri);
        add_opt_string(o, "excerpt", c->excerpt);
        add_opt_string(o, "quote", c->quote);
        if (!cJSON_AddItemToArray(arr, o))
            abort();
    }
    return arr;
}

/* cost, tokens and latency_ms when reported (absent ones leave the
 * content fingerprint of drafts that never had them unchanged). */
static void add_usage(cJSON *o, const struct so_draft *d)
{
    if (d->cost_micros >= 0) {
        cJSON *c = json_new_object();
        json_add_double(c, "amount", (double)d->cost_micros / 1e6);
        json_add_string(c, "currency", d->currency);
        json_add_item(o, "cost", c);
    }
    if (d->tokens >= 0)
        json_add_int(o, "tokens", d->tokens);
    if (d->latency_ms >= 0)
        json_add_int(o, "latency_ms", d->latency_ms);
}

static void add_state(cJSON *o, const struct so_draft *d)
{
    json_add_string(o, "status", so_dstatus_name(d->status));
    json_add_int(o, "created_at", d->created_at);
    add_opt_string(o, "claimed_by", d->claimed_by);
    json_add_int(o, "lease_until", d->lease_until);
    json_add_int(o, "lease_token", d->lease_token);
    json_add_int(o, "attempts", d->attempts);
    json_add_int(o, "reviews_needed", d->reviews_needed);
    json_add_int(o, "reviews_done", d->reviews_done);
    add_opt_string(o, "last_action", d->last_action);
}

cJSON *draft_to_cjson(const struct so_draft *d, int with_state)
{
    cJSON *o = json_new_object(), *meta;

    add_opt_string(o, "id", d->id);
    add_opt_string(o, "workflow", d->workflow);
    add_opt_string(o, "model", d->model);
    if (d->confidence >= 0)
        json_add_double(o, "confidence", d->confidence);
    add_opt_string(o, "title", d->title);
    add_opt_string(o, "input", d->input);
    add_opt_string(o, "body", d->body);
    json_add_int(o, "priority", d->priority);
    /* Stored text we wrote ourselves; parsed so the output stays valid
     * JSON even if the stored copy were damaged. */
    meta = d->metadata_json ? cJSON_Parse(d->metadata_json) : NULL;
    if (meta)
        json_add_item(o, "metadata", meta);
    if (d->ncitations)
        json_add_item(o, "citations", citations_to_cjson(d));
    add_usage(o, d);
    if (with_state)
        add_state(o, d);
    return o;
}

char *draft_to_json(const struct so_draft *d, int with_state)
{
    cJSON *o = draft_to_cjson(d, with_state);
    char *s = json_print(o);

    cJSON_Delete(o);
    return s;
}

void draft_content_sha(const struct so_draft *d, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    char *canon = draft_to_json(d, 0);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    size_t i;

    if (!EVP_Digest(canon, strlen(canon), md, &mdlen, EVP_sha256(), NULL))
        abort(); /* only fails when libcrypto cannot allocate */
    free(canon);
    for (i = 0; i < mdlen && i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
}

struct draft_reader {
    FILE *f;
    char *chunk; /* READ_CHUNK bytes of read-ahead */
    size_t pos, end;
    int eof;
    struct buf line;
    int toolong; /* the current line passed SO_MAX_LINE: dropped */
    size_t lineno;
    size_t offset;
};

struct draft_reader *draft_reader_new(FILE *f)
{
    struct draft_reader *r = xcalloc(1, sizeof(*r));

    r->f = f;
    r->chunk = xmalloc(READ_CHUNK);
    buf_init(&r->line);
    return r;
}

void draft_reader_free(struct draft_reader *r)
{
    if (!r)
        return;
    buf_free(&r->line);
    free(r->chunk);
    free(r);
}

size_t draft_reader_offset(const struct draft_reader *r)
{
    return r->offset;
}

/* Take bytes up to the next newline into r->line (or drop them when the
 * line is too long). Returns 1 at the end of a line. */
static int take_segment(struct draft_reader *r, int *started)
{
    const char *p = r->chunk + r->pos;
    const char *nl = memchr(p, '\n', r->end - r->pos);
    size_t n = nl ? (size_t)(nl - p) : r->end - r->pos;

    *started = 1;
    if (!r->toolong && r->line.len + n > SO_MAX_LINE) {
        r->toolong = 1;
        buf_free(&r->line);
    }
    if (!r->toolong)
        buf_add(&r->line, p, n);
    r->pos += n + (nl ? 1 : 0);
    r->offset += n + (nl ? 1 : 0);
    return nl != NULL;
}

/* Read one line: 1 got one, 0 end of input, -1 read error. */
static int read_line(struct draft_reader *r)
{
    int started = 0;

    buf_reset(&r->line);
    r->toolong = 0;
    for (;;) {
        if (r->pos == r->end) {
            size_t n;
            if (r->eof)
                return started;
            n = fread(r->chunk, 1, READ_CHUNK, r->f);
            r->pos = 0;
            r->end = n;
            if (n == 0) {
                if (ferror(r->f))
                    return -1;
                r->eof = 1;
            }
            continue;
        }
        if (take_segment(r, &started))
            return 1;
    }
}

enum draft_read draft_reader_next(struct draft_reader *r, struct so_draft **out,
                                  size_t *lineno, struct so_error *err)
{
    int got = read_line(r);
    size_t len;

    *out = NULL;
    if (got < 0) {
        so_fail(err, SO_ERR_IO, "read error after line %zu", r->lineno);
        return DRAFT_READ_IOERR;
    }
    if (got == 0)
        return DRAFT_READ_END;
    *lineno = ++r->lineno;
    if (r->toolong) {
        so_fail(err, SO_ERR_TOOLARGE, "line: longer than %u bytes",
                SO_MAX_LINE);
        return DRAFT_READ_BAD;
    }
    len = r->line.len;
    if (len > 0 && r->line.data[len - 1] == '\r')
        len--;
    if (len == 0 || blank(r->line.data, len)) {
        so_fail(err, SO_ERR_INVALID, "empty line");
        return DRAFT_READ_EMPTY;
    }
    if (draft_from_jsonl(r->line.data, len, out, err) != SO_OK)
        return DRAFT_READ_BAD;
    return DRAFT_READ_OK;
}
