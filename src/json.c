/*
 * json: strict parsing and typed getters over cJSON (rules in
 * include/signoff/json.h). The scan before cJSON bounds nesting and checks
 * strings byte by byte; the walk after it refuses duplicate keys. Never
 * prints, never exits (out-of-memory aborts, as in xmalloc).
 */
#include "signoff/json.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/text.h"

/* Longest key or path quoted in a message, in columns. */
#define MSG_KEY_COLS 64

static enum so_status bad_at(struct so_error *err, size_t at, const char *what)
{
    return so_fail(err, SO_ERR_INVALID, "json: %s at byte %zu", what, at);
}

static int hex_val(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The 4-hex-digit value at t[i..i+4), or -1 when not four hex digits. */
static long hex4(const char *t, size_t len, size_t i)
{
    long v = 0;
    size_t k;

    if (len < 4 || i > len - 4)
        return -1;
    for (k = 0; k < 4; k++) {
        int h = hex_val((unsigned char)t[i + k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Check a \u escape at t[*i] (the backslash); advance past it (and past the
 * low half of a surrogate pair). Malformed escapes are left to cJSON. */
static enum so_status scan_unicode(const char *t, size_t len, size_t *i,
                                   struct so_error *err)
{
    size_t at = *i;
    long v = hex4(t, len, at + 2), lo;

    if (v < 0) {
        *i += 2;
        return SO_OK;
    }
    *i += 6;
    if (v == 0)
        return bad_at(err, at, "\\u0000 in a string");
    if (v >= 0xDC00 && v <= 0xDFFF)
        return bad_at(err, at, "lone surrogate escape in a string");
    if (v < 0xD800 || v > 0xDBFF)
        return SO_OK;
    lo = (*i + 1 < len && t[*i] == '\\' && t[*i + 1] == 'u')
             ? hex4(t, len, *i + 2)
             : -1;
    if (lo < 0xDC00 || lo > 0xDFFF)
        return bad_at(err, at, "lone surrogate escape in a string");
    *i += 6;
    return SO_OK;
}

/* Check the string starting at t[*i] (the opening quote); advance past its
 * closing quote. */
static enum so_status scan_string(const char *t, size_t len, size_t *i,
                                  struct so_error *err)
{
    enum so_status st;
    uint32_t cp;
    size_t start = *i;

    (*i)++;
    while (*i < len) {
        unsigned char c = (unsigned char)t[*i];
        size_t at = *i;
        if (c == '"') {
            (*i)++;
            return SO_OK;
        }
        if (c == '\\' && *i + 1 < len && t[*i + 1] == 'u') {
            st = scan_unicode(t, len, i, err);
            if (st != SO_OK)
                return st;
        } else if (c == '\\') {
            *i += 2;
        } else if (c < 0x20) {
            return bad_at(err, at, "raw control character in a string");
        } else if (c >= 0x80) {
            if (!text_utf8_next(t, len, i, &cp))
                return bad_at(err, at, "invalid UTF-8");
        } else {
            (*i)++;
        }
    }
    return bad_at(err, start, "unterminated string");
}

/* The scan before cJSON: depth, strings, stray bytes. */
static enum so_status scan(const char *t, size_t len, int max_depth,
                           struct so_error *err)
{
    size_t i = 0;
    int depth = 0;
    enum so_status st;

    while (i < len) {
        unsigned char c = (unsigned char)t[i];
        if (c == '"') {
            st = scan_string(t, len, &i, err);
            if (st != SO_OK)
                return st;
            continue;
        }
        if (c == '[' || c == '{') {
            if (++depth > max_depth)
                return so_fail(err, SO_ERR_INVALID,
                               "json: nesting deeper than %d at byte %zu",
                               max_depth, i);
        } else if (c == ']' || c == '}') {
            depth--;
        } else if (c == 0) {
            return bad_at(err, i, "NUL byte");
        } else if (c >= 0x80) {
            size_t pos = i;
            uint32_t cp;
            return bad_at(err, i,
                          text_utf8_next(t, len, &pos, &cp)
                              ? "unexpected character"
                              : "invalid UTF-8");
        }
        i++;
    }
    return SO_OK;
}

/* ASCII case-insensitive compare (locale-independent). */
static int key_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z')
            ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z')
            cb += 'a' - 'A';
        if (ca != cb || ca == 0)
            return ca - cb;
    }
}

/* A key and its position in the object, so duplicates are named in
 * document order. */
struct key_pos {
    const char *key;
    size_t pos;
};

static int cmp_keys(const void *a, const void *b)
{
    const struct key_pos *x = a, *y = b;
    int c = key_casecmp(x->key, y->key);

    if (c)
        return c;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* "path.key" for messages, key sanitized and cut. */
static void path_add_key(struct buf *path, const char *key)
{
    char *clean = text_plain(key, MSG_KEY_COLS, 0);

    if (path->len > 0)
        buf_addc(path, '.');
    buf_adds(path, clean);
    free(clean);
}

/* Refuse two keys of obj equal ignoring ASCII case. */
static enum so_status check_object_keys(const cJSON *obj, struct buf *path,
                                        struct so_error *err)
{
    size_t n = 0, k;
    const cJSON *it;
    struct key_pos *keys;
    enum so_status st = SO_OK;

    for (it = obj->child; it; it = it->next)
        n++;
    if (n < 2)
        return SO_OK;
    keys = xmalloc(n * sizeof(*keys));
    n = 0;
    for (it = obj->child; it; it = it->next, n++) {
        keys[n].key = it->string ? it->string : "";
        keys[n].pos = n;
    }
    qsort(keys, n, sizeof(*keys), cmp_keys);
    for (k = 1; k < n; k++) {
        if (key_casecmp(keys[k - 1].key, keys[k].key) == 0) {
            char *other = text_plain(keys[k - 1].key, MSG_KEY_COLS, 0);
            path_add_key(path, keys[k].key);
            st = so_fail(err, SO_ERR_INVALID,
                         "%s: duplicate key (also given as \"%s\")",
                         buf_cstr(path), other);
            free(other);
            break;
        }
    }
    free(keys);
    return st;
}

/* Walk the tree: duplicate keys anywhere. path is the field path so far. */
static enum so_status check_dups(const cJSON *item, struct buf *path,
                                 struct so_error *err)
{
    const cJSON *it;
    size_t mark = path->len, idx = 0;
    enum so_status st;

    if (cJSON_IsObject(item)) {
        st = check_object_keys(item, path, err);
        if (st != SO_OK)
            return st;
    }
    if (!cJSON_IsObject(item) && !cJSON_IsArray(item))
        return SO_OK;
    for (it = item->child; it; it = it->next, idx++) {
        if (!cJSON_IsObject(it) && !cJSON_IsArray(it))
            continue;
        if (cJSON_IsObject(item))
            path_add_key(path, it->string ? it->string : "");
        else
            buf_addf(path, "[%zu]", idx);
        st = check_dups(it, path, err);
        path->len = mark;
        if (path->data)
            path->data[mark] = '\0';
        if (st != SO_OK)
            return st;
    }
    return SO_OK;
}

/* Explain why cJSON refused copy[0..len): trailing characters after a whole
 * value, truncation, or a syntax error at the offset it stopped. */
static enum so_status explain_failure(const char *copy, size_t len,
                                      struct so_error *err)
{
    const char *end = NULL;
    cJSON *v = cJSON_ParseWithLengthOpts(copy, len + 1, &end, 0);
    size_t at = end ? (size_t)(end - copy) : 0;

    if (v) {
        cJSON_Delete(v);
        while (at < len && strchr(" \t\r\n", copy[at]))
            at++;
        return bad_at(err, at, "trailing characters after the value");
    }
    if (at >= len) {
        size_t k = 0;
        while (k < len && strchr(" \t\r\n", copy[k]))
            k++;
        return bad_at(err, len, k == len ? "no value" : "unexpected end");
    }
    return bad_at(err, at, "malformed JSON");
}

enum so_status json_parse_strict(const char *text, size_t len, int max_depth,
                                 cJSON **out, struct so_error *err)
{
    enum so_status st;
    char *copy;
    const char *end = NULL;
    cJSON *v;
    struct buf path;

    *out = NULL;
    st = scan(text, len, max_depth, err);
    if (st != SO_OK)
        return st;
    /* cJSON wants the terminating NUL inside the length it is given. */
    copy = xmalloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    v = cJSON_ParseWithLengthOpts(copy, len + 1, &end, 1);
    if (!v) {
        st = explain_failure(copy, len, err);
        free(copy);
        return st;
    }
    free(copy);
    buf_init(&path);
    st = check_dups(v, &path, err);
    buf_free(&path);
    if (st != SO_OK) {
        cJSON_Delete(v);
        return st;
    }
    *out = v;
    return SO_OK;
}

/* The field path "path.key" (or "key" at the top level) for messages. */
static void field_name(const char *path, const char *key, char out[160])
{
    char *clean = text_plain(key, MSG_KEY_COLS, 0);

    snprintf(out, 160, "%s%s%s", path ? path : "",
             path && *path ? "." : "", clean);
    free(clean);
}

/* Fail with "path.key: <printf message>". */
__attribute__((format(printf, 5, 6))) static enum so_status field_fail(struct so_error *err, enum so_status code,
                                 const char *path, const char *key,
                                 const char *fmt, ...)
{
    char name[160], why[448];
    va_list ap;

    field_name(path, key, name);
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    return so_fail(err, code, "%s: %s", name, why);
}

/* The value of key in parent, or NULL with *st set: SO_EMPTY when it is
 * absent or null and optional, an error when it is required. */
static const cJSON *lookup(const cJSON *parent, const char *path,
                           const char *key, int flags, enum so_status *st,
                           struct so_error *err)
{
    const cJSON *it = cJSON_IsObject(parent)
                          ? cJSON_GetObjectItemCaseSensitive(parent, key)
                          : NULL;

    if (it && !cJSON_IsNull(it))
        return it;
    *st = (flags & JSON_REQUIRED) ? field_fail(err, SO_ERR_INVALID, path, key,
                                               "required")
                                  : SO_EMPTY;
    return NULL;
}

static enum so_status type_error(const char *path, const char *key,
                                 const char *what, struct so_error *err)
{
    return field_fail(err, SO_ERR_INVALID, path, key, "expected %s", what);
}

enum so_status json_get_string(const cJSON *parent, const char *path,
                               const char *key, int flags, size_t max_bytes,
                               const char **out, struct so_error *err)
{
    enum so_status st = SO_OK;
    const cJSON *it = lookup(parent, path, key, flags, &st, err);

    if (!it)
        return st;
    if (!cJSON_IsString(it) || !it->valuestring)
        return type_error(path, key, "a string", err);
    if (strlen(it->valuestring) > max_bytes)
        return field_fail(err, SO_ERR_TOOLARGE, path, key,
                          "longer than %zu bytes", max_bytes);
    *out = it->valuestring;
    return SO_OK;
}

enum so_status json_get_int(const cJSON *parent, const char *path,
                            const char *key, int flags, int64_t min,
                            int64_t max, int64_t *out, struct so_error *err)
{
    enum so_status st = SO_OK;
    const cJSON *it = lookup(parent, path, key, flags, &st, err);
    double v;

    if (!it)
        return st;
    if (!cJSON_IsNumber(it))
        return type_error(path, key, "an integer", err);
    v = it->valuedouble;
    if (!isfinite(v) || v != floor(v))
        return type_error(path, key, "an integer", err);
    if (fabs(v) > (double)JSON_MAX_SAFE_INT)
        return field_fail(err, SO_ERR_INVALID, path, key,
                          "integer too large (beyond 2^53)");
    if (v < (double)min || v > (double)max)
        return field_fail(err, SO_ERR_INVALID, path, key,
                          "%lld is outside %lld..%lld", (long long)v,
                          (long long)min, (long long)max);
    *out = (int64_t)v;
    return SO_OK;
}

enum so_status json_get_double(const cJSON *parent, const char *path,
                               const char *key, int flags, double min,
                               double max, double *out, struct so_error *err)
{
    enum so_status st = SO_OK;
    const cJSON *it = lookup(parent, path, key, flags, &st, err);

    if (!it)
        return st;
    if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble))
        return type_error(path, key, "a number", err);
    if (it->valuedouble < min || it->valuedouble > max)
        return field_fail(err, SO_ERR_INVALID, path, key,
                          "%g is outside %g..%g", it->valuedouble, min, max);
    *out = it->valuedouble;
    return SO_OK;
}

enum so_status json_get_bool(const cJSON *parent, const char *path,
                             const char *key, int flags, int *out,
                             struct so_error *err)
{
    enum so_status st = SO_OK;
    const cJSON *it = lookup(parent, path, key, flags, &st, err);

    if (!it)
        return st;
    if (!cJSON_IsBool(it))
        return type_error(path, key, "true or false", err);
    *out = cJSON_IsTrue(it) ? 1 : 0;
    return SO_OK;
}

enum so_status json_get_object(const cJSON *parent, const char *path,
                               const char *key, int flags, const cJSON **out,
                               struct so_error *err)
{
    enum so_status st = SO_OK;
    const cJSON *it = lookup(parent, path, key, flags, &st, err);

    if (!it)
        return st;
    if (!cJSON_IsObject(it))
        return type_error(path, key, "an object", err);
    *out = it;
    return SO_OK;
}

enum so_status json_only_keys(const cJSON *obj, const char *path,
                              const char *const *keys, struct so_error *err)
{
    const cJSON *it;

    cJSON_ArrayForEach(it, obj)
    {
        size_t i = 0;
        while (keys[i] && strcmp(keys[i], it->string) != 0)
            i++;
        if (keys[i])
            continue;
        char list[400] = "";
        size_t used = 0;
        for (i = 0; keys[i] && used < sizeof list; i++)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                     i ? ", " : "", keys[i]);
        if (!keys[0])
            return field_fail(err, SO_ERR_INVALID, path, it->string,
                              "unknown key (this body takes no members)");
        return field_fail(err, SO_ERR_INVALID, path, it->string,
                          "unknown key (expected one of: %s)", list);
    }
    return SO_OK;
}

enum so_status json_get_array(const cJSON *parent, const char *path,
                              const char *key, int flags, size_t max_items,
                              const cJSON **out, struct so_error *err)
{
    enum so_status st = SO_OK;
    const cJSON *it = lookup(parent, path, key, flags, &st, err);

    if (!it)
        return st;
    if (!cJSON_IsArray(it))
        return type_error(path, key, "an array", err);
    if ((size_t)cJSON_GetArraySize(it) > max_items)
        return field_fail(err, SO_ERR_TOOLARGE, path, key,
                          "more than %zu items", max_items);
    *out = it;
    return SO_OK;
}

/* cJSON returns NULL only when it cannot allocate: same policy as xmalloc. */
static void *must(void *p)
{
    if (!p)
        abort();
    return p;
}

char *json_print(const cJSON *item)
{
    return must(cJSON_PrintUnformatted(item));
}

char *json_print_pretty(const cJSON *item)
{
    return must(cJSON_Print(item));
}

/* Append cp as one \uXXXX escape, or a surrogate pair above U+FFFF. */
static void add_u_escape(struct buf *b, uint32_t cp)
{
    if (cp > 0xFFFF) {
        cp -= 0x10000;
        buf_addf(b, "\\u%04x\\u%04x", (unsigned)(0xD800 + (cp >> 10)),
                 (unsigned)(0xDC00 + (cp & 0x3FF)));
        return;
    }
    buf_addf(b, "\\u%04x", (unsigned)cp);
}

char *json_print_escaped(const cJSON *item, int pretty)
{
    char *raw = pretty ? json_print_pretty(item) : json_print(item);
    size_t len = strlen(raw), pos = 0;
    struct buf b;

    buf_init(&b);
    while (pos < len) {
        size_t at = pos;
        uint32_t cp;
        int ok = text_utf8_next(raw, len, &pos, &cp);
        /* C0 is escaped by cJSON; raw '\n' and '\t' are the indentation */
        if (!ok || (cp >= 0x7F && text_is_hidden(cp)))
            add_u_escape(&b, cp); /* invalid: cp is U+FFFD */
        else
            buf_add(&b, raw + at, pos - at);
    }
    free(raw);
    buf_cstr(&b);
    return buf_steal(&b);
}

cJSON *json_new_object(void)
{
    return must(cJSON_CreateObject());
}

cJSON *json_new_array(void)
{
    return must(cJSON_CreateArray());
}

void json_add_string(cJSON *obj, const char *key, const char *s)
{
    if (s)
        must(cJSON_AddStringToObject(obj, key, s));
    else
        must(cJSON_AddNullToObject(obj, key));
}

void json_add_int(cJSON *obj, const char *key, int64_t v)
{
    must(cJSON_AddNumberToObject(obj, key, (double)v));
}

void json_add_double(cJSON *obj, const char *key, double v)
{
    must(cJSON_AddNumberToObject(obj, key, v));
}

void json_add_bool(cJSON *obj, const char *key, int v)
{
    must(cJSON_AddBoolToObject(obj, key, v ? 1 : 0));
}

void json_add_item(cJSON *obj, const char *key, cJSON *item)
{
    if (!cJSON_AddItemToObject(obj, key, item))
        abort();
}

char *json_error_text(enum so_status code, const char *message)
{
    cJSON *root = json_new_object(), *e = json_new_object();
    char *s;

    json_add_string(e, "code", so_status_name(code));
    json_add_string(e, "message", message ? message : "");
    json_add_item(root, "error", e);
    s = json_print(root);
    cJSON_Delete(root);
    return s;
}
