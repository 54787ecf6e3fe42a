/*
 * verify: walk an audit chain and name its first bad record; write and read
 * exports that carry every field the hash covers. The field table below is
 * the export format: JSON Lines objects and CSV columns follow it in order.
 * Must not touch the database (records come from a verify_source), must not
 * print to the terminal, and must never let stored text out unescaped.
 */
#include "signoff/verify.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "signoff/audit.h"
#include "signoff/escape.h"
#include "signoff/json.h"
#include "signoff/text.h"

/* ---- the record's fields, in export order ----------------------------- */

enum field_type { F_INT, F_STR, F_SHA, F_ACTION };

struct field {
    const char *name;
    enum field_type type;
    size_t off;
    int required;
    int utc; /* a time in ms: NAME_utc, ISO 8601, follows it in exports */
};

#define FIELD(name, type, member, req)                                         \
    { name, type, offsetof(struct so_decision, member), req, 0 }
#define TIME_FIELD(name, member)                                               \
    { name, F_INT, offsetof(struct so_decision, member), 1, 1 }

static const struct field fields[] = {
    FIELD("seq", F_INT, seq, 1),
    FIELD("draft", F_STR, draft_id, 1),
    FIELD("request_id", F_STR, request_id, 1),
    FIELD("reviewer", F_STR, reviewer, 1),
    FIELD("action", F_ACTION, action, 1),
    FIELD("kind", F_STR, kind, 0),
    FIELD("reason", F_STR, reason, 0),
    FIELD("note", F_STR, note, 0),
    FIELD("edit_size", F_INT, edit_size, 1),
    FIELD("body_sha", F_SHA, body_sha, 1),
    FIELD("final_sha", F_SHA, final_sha, 0),
    TIME_FIELD("shown_at", shown_at),
    TIME_FIELD("decided_at", decided_at),
    FIELD("active_ms", F_INT, active_ms, 1),
    FIELD("reverts_seq", F_INT, reverts_seq, 1),
    FIELD("prev_hash", F_SHA, prev_hash, 1),
    FIELD("hash", F_SHA, hash, 1),
    FIELD("final_body", F_STR, final_body, 0),
};
#define NFIELDS SO_ARRAY_LEN(fields)

#define AT(d, f, type) ((type *)((char *)(d) + (f)->off))
#define CAT(d, f, type) ((const type *)((const char *)(d) + (f)->off))

/* A draft id as it may appear in a message: sanitized and cut short. */
static char *safe_id(const char *id)
{
    return text_plain(id ? id : "?", 40, 0);
}

/* ---- the walk --------------------------------------------------------- */

struct walk {
    const struct verify_source *src;
    const struct verify_opts *opts;
    struct so_decision cur, next;
    int have_next;
    int first;
    char expected[65]; /* prev_hash the current record must carry */
    int64_t prev_seq;
};

static int sha_ok(const char *text, const char *want)
{
    char got[65];
    audit_sha256_hex(text, strlen(text), got);
    return strcmp(got, want) == 0;
}

/* Why the current record is bad, or NULL when it holds. The order matters:
 * a missing or foreign neighbour explains a broken link better than the
 * record's own hash does. */
static const char *judge(const struct walk *w, char *buf, size_t size)
{
    const struct so_decision *c = &w->cur;
    int link_ok = strcmp(c->prev_hash, w->expected) == 0;
    char self[65];
    audit_record_hash(c->prev_hash, c, self);
    if (w->have_next && strcmp(c->prev_hash, w->next.hash) == 0)
        return "out of order (it follows the next record): records reordered";
    if (!link_ok && c->seq > w->prev_seq + 1) {
        if (c->seq == w->prev_seq + 2)
            snprintf(buf, size, "decision %lld before it is missing: record removed",
                     (long long)(w->prev_seq + 1));
        else
            snprintf(buf, size,
                     "decisions %lld..%lld before it are missing: records removed",
                     (long long)(w->prev_seq + 1), (long long)(c->seq - 1));
        return buf;
    }
    if (w->have_next && strcmp(w->next.prev_hash, w->expected) == 0 &&
        strcmp(w->next.prev_hash, c->hash) != 0)
        return "not part of the chain (the next record skips it): record inserted";
    if (c->seq <= w->prev_seq && !w->first)
        return "seq does not increase: records reordered";
    if (strcmp(self, c->hash) != 0)
        return "hash does not match: record changed";
    if (c->final_body && (!c->final_sha[0] || !sha_ok(c->final_body, c->final_sha)))
        return "final body does not match its hash: record changed";
    if (!link_ok && w->prev_seq == 0)
        return "does not start from the genesis hash: records before it removed";
    if (!link_ok) {
        snprintf(buf, size,
                 "does not link to decision %lld: a record before it was changed or removed",
                 (long long)w->prev_seq);
        return buf;
    }
    return NULL;
}

static enum so_status walk_read(struct walk *w, struct so_decision *d,
                                int *have, struct so_error *err)
{
    so_decision_clear(d);
    memset(d, 0, sizeof *d);
    enum so_status st = w->src->next(w->src->ctx, d, err);
    *have = st == SO_OK;
    return st == SO_EMPTY ? SO_OK : st;
}

static enum so_status fail_record(const struct so_decision *d, const char *why,
                                  struct verify_result *res,
                                  struct so_error *err)
{
    char *id = safe_id(d->draft_id);
    res->bad_seq = d->seq;
    so_fail(err, SO_ERR_INVALID, "decision %lld (draft %s): %s",
            (long long)d->seq, id, why);
    free(id);
    return SO_ERR_INVALID;
}

static enum so_status check_head(const struct verify_head *h,
                                 struct verify_result *res,
                                 struct so_error *err)
{
    const char *last = res->records ? res->last_hash : AUDIT_GENESIS;
    if (h->seq == res->last_seq && strcmp(h->hash, last) == 0)
        return SO_OK;
    res->bad_seq = h->seq;
    if (h->seq > res->last_seq)
        return so_fail(err, SO_ERR_INVALID,
                       "decision %lld (the chain head) is missing; the last "
                       "record is decision %lld: records removed",
                       (long long)h->seq, (long long)res->last_seq);
    return so_fail(err, SO_ERR_INVALID,
                   "the chain head (decision %lld) does not match the last "
                   "record (decision %lld): records changed or inserted",
                   (long long)h->seq, (long long)res->last_seq);
}

static void walk_start(struct walk *w)
{
    const struct so_decision *c = &w->cur;
    if (w->opts->from_genesis || c->seq == 1) { /* seq 1 starts every chain */
        snprintf(w->expected, sizeof w->expected, "%s", AUDIT_GENESIS);
        w->prev_seq = 0;
    } else {
        snprintf(w->expected, sizeof w->expected, "%s", c->prev_hash);
        w->prev_seq = c->seq - 1;
    }
}

enum so_status verify_chain(const struct verify_source *src,
                            const struct verify_opts *opts,
                            struct verify_result *res, struct so_error *err)
{
    struct walk w;
    memset(&w, 0, sizeof w);
    memset(res, 0, sizeof *res);
    w.src = src;
    w.opts = opts;
    w.first = 1;
    int have_cur = 0;
    enum so_status st = walk_read(&w, &w.cur, &have_cur, err);
    while (st == SO_OK && have_cur) {
        if (w.first)
            walk_start(&w);
        st = walk_read(&w, &w.next, &w.have_next, err);
        if (st != SO_OK)
            break;
        char buf[160];
        const char *why = judge(&w, buf, sizeof buf);
        if (why) {
            st = fail_record(&w.cur, why, res, err);
            break;
        }
        if (!res->records++)
            res->first_seq = w.cur.seq;
        res->last_seq = w.cur.seq;
        snprintf(res->last_hash, sizeof res->last_hash, "%s", w.cur.hash);
        snprintf(w.expected, sizeof w.expected, "%s", w.cur.hash);
        w.prev_seq = w.cur.seq;
        w.first = 0;
        if (opts->progress && res->records % 1000 == 0)
            opts->progress(opts->progress_ctx, res->records, opts->total);
        struct so_decision tmp = w.cur;
        w.cur = w.next;
        w.next = tmp;
        have_cur = w.have_next;
    }
    so_decision_clear(&w.cur);
    so_decision_clear(&w.next);
    if (st == SO_OK && opts->progress)
        opts->progress(opts->progress_ctx, res->records, opts->total);
    if (st == SO_OK && opts->head)
        st = check_head(opts->head, res, err);
    return st;
}

/* ---- writing ---------------------------------------------------------- */

int verify_format_from_name(const char *name)
{
    if (name && strcmp(name, "jsonl") == 0)
        return VERIFY_JSONL;
    if (name && strcmp(name, "csv") == 0)
        return VERIFY_CSV;
    return -1;
}

/* JSON text from cJSON with every non-ASCII character as \uXXXX (surrogate
 * pairs above U+FFFF): the same value, safe on any terminal. cJSON already
 * escapes C0 controls; DEL is escaped here. A byte that is not part of
 * valid UTF-8 (text stored before signoff refused it at entry) is written
 * as the lone surrogate \udc80..\udcff, one per byte, as Python's
 * "surrogateescape" does, so the export carries the exact bytes the hash
 * covers (docs/audit.md); export_unescape_bytes reads them back. */
static void add_ascii(struct buf *b, const char *json)
{
    size_t len = strlen(json), pos = 0;
    while (pos < len) {
        unsigned char c = (unsigned char)json[pos];
        if (c < 0x80 && c != 0x7f) {
            buf_addc(b, (char)c);
            pos++;
            continue;
        }
        uint32_t cp;
        size_t start = pos;
        if (!text_utf8_next(json, len, &pos, &cp)) {
            for (size_t i = start; i < pos; i++)
                buf_addf(b, "\\udc%02x", (unsigned)(unsigned char)json[i]);
            continue;
        }
        if (cp > 0xffff) {
            cp -= 0x10000;
            buf_addf(b, "\\u%04x\\u%04x", 0xd800 + (unsigned)(cp >> 10),
                     0xdc00 + (unsigned)(cp & 0x3ff));
        } else {
            buf_addf(b, "\\u%04x", (unsigned)cp);
        }
    }
}

static cJSON *field_json(const struct so_decision *d, const struct field *f)
{
    const char *s = NULL;
    char num[24];
    switch (f->type) {
    case F_INT: /* plain decimal, never through a double (as audit.c) */
        snprintf(num, sizeof num, "%lld", (long long)*CAT(d, f, int64_t));
        return cJSON_CreateRaw(num);
    case F_ACTION:
        return cJSON_CreateString(so_action_name(*CAT(d, f, enum so_action)));
    case F_SHA:
        s = CAT(d, f, char);
        break;
    case F_STR:
        s = *CAT(d, f, char *);
        break;
    }
    return s && *s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* A time in ms as ISO 8601 UTC with milliseconds ("" for 0: not
 * recorded), for the NAME_utc companions of the time fields. */
static void iso_utc(int64_t ms, char out[32])
{
    out[0] = '\0';
    if (ms <= 0)
        return;
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return;
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%03dZ", (int)(ms % 1000));
}

static void write_jsonl_record(struct buf *b, const struct so_decision *d)
{
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; i < NFIELDS; i++) {
        cJSON_AddItemToObject(o, fields[i].name, field_json(d, &fields[i]));
        if (fields[i].utc) {
            char iso[32], name[32];
            iso_utc(*CAT(d, &fields[i], int64_t), iso);
            snprintf(name, sizeof name, "%s_utc", fields[i].name);
            json_add_string(o, name, *iso ? iso : NULL);
        }
    }
    if (d->gold) /* a gold check (gold.h): outside the hash */
        cJSON_AddTrueToObject(o, "gold");
    char *text = json_print(o);
    add_ascii(b, text);
    buf_addc(b, '\n');
    free(text);
    cJSON_Delete(o);
}

/* One CSV cell (RFC 4180): a number as its digits; text as itself, the
 * stored bytes, quoted by escape_csv_raw; an empty cell for null. */
static void write_csv_cell(struct buf *b, const struct so_decision *d,
                           const struct field *f)
{
    switch (f->type) {
    case F_INT:
        buf_addf(b, "%lld", (long long)*CAT(d, f, int64_t));
        break;
    case F_ACTION:
        buf_adds(b, so_action_name(*CAT(d, f, enum so_action)));
        break;
    case F_SHA:
        buf_adds(b, CAT(d, f, char));
        break;
    case F_STR:
        escape_csv_raw(b, *CAT(d, f, char *));
        break;
    }
    if (f->utc) {
        char iso[32];
        iso_utc(*CAT(d, f, int64_t), iso);
        buf_addf(b, ",%s", iso);
    }
}

static void write_csv_record(struct buf *b, const struct so_decision *d)
{
    for (size_t i = 0; i < NFIELDS; i++) {
        if (i)
            buf_addc(b, ',');
        write_csv_cell(b, d, &fields[i]);
    }
    /* gold: as JSON Lines marks it, outside the hash; empty otherwise */
    buf_adds(b, d->gold ? ",true\r\n" : ",\r\n");
}

static void write_header(struct buf *b, enum verify_format fmt,
                         const struct verify_export_info *info)
{
    if (fmt == VERIFY_CSV) {
        for (size_t i = 0; i < NFIELDS; i++) {
            buf_addf(b, "%s%s", i ? "," : "", fields[i].name);
            if (fields[i].utc)
                buf_addf(b, ",%s_utc", fields[i].name);
        }
        buf_adds(b, ",gold\r\n");
        return;
    }
    cJSON *o = cJSON_CreateObject();
    json_add_string(o, "format", "signoff-audit");
    json_add_int(o, "version", 1);
    json_add_string(o, "queue", info->queue);
    char iso[32];
    json_add_int(o, "exported_at", info->exported_at);
    iso_utc(info->exported_at, iso);
    json_add_string(o, "exported_at_utc", *iso ? iso : NULL);
    json_add_int(o, "since", info->since_ms);
    iso_utc(info->since_ms, iso);
    json_add_string(o, "since_utc", *iso ? iso : NULL);
    if (info->head) {
        json_add_int(o, "head_seq", info->head->seq);
        json_add_string(o, "head_hash", info->head->hash);
    }
    char *text = json_print(o);
    add_ascii(b, text);
    buf_addc(b, '\n');
    free(text);
    cJSON_Delete(o);
}

static enum so_status flush_buf(FILE *out, struct buf *b, struct so_error *err)
{
    if (b->len && fwrite(b->data, 1, b->len, out) != b->len)
        return so_fail(err, SO_ERR_IO, "writing the export: %s",
                       strerror(errno));
    buf_reset(b);
    return SO_OK;
}

enum so_status verify_export_write(FILE *out, enum verify_format fmt,
                                   const struct verify_export_info *info,
                                   const struct verify_source *src,
                                   int64_t *count, struct so_error *err)
{
    struct buf b;
    buf_init(&b);
    *count = 0;
    write_header(&b, fmt, info);
    struct so_decision d;
    memset(&d, 0, sizeof d);
    enum so_status st;
    while ((st = src->next(src->ctx, &d, err)) == SO_OK) {
        if (fmt == VERIFY_CSV)
            write_csv_record(&b, &d);
        else
            write_jsonl_record(&b, &d);
        so_decision_clear(&d);
        memset(&d, 0, sizeof d);
        ++*count;
        if (b.len >= (1u << 16) && (st = flush_buf(out, &b, err)) != SO_OK)
            break;
    }
    so_decision_clear(&d);
    if (st == SO_EMPTY)
        st = flush_buf(out, &b, err);
    if (st == SO_OK && fflush(out) != 0)
        st = so_fail(err, SO_ERR_IO, "writing the export: %s", strerror(errno));
    buf_free(&b);
    return st;
}

/* ---- reading an export ------------------------------------------------ */

/* One CSV record as read: cells unquoted, owned. */
struct csv_row {
    struct buf *cell;
    size_t n, cap;
};

struct export_reader {
    FILE *f;
    const char *path;
    enum verify_format fmt;
    size_t lineno;
    char *line;
    size_t cap;
    struct verify_head head;
    int has_head;
    int64_t since;
    size_t col[NFIELDS]; /* CSV: the column of each field */
    size_t ncols;        /* CSV: columns of the header */
    struct csv_row row;  /* CSV: the record being read */
};

static long hex4_at(const char *s)
{
    long v = 0;
    for (int k = 0; k < 4; k++) {
        char c = s[k];
        int h = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* The bytes that are not UTF-8, written as \udc80..\udcff (add_ascii):
 * a copy of the JSON text with each such escape replaced by \ufffd
 * (to_byte 0: the same structure, for the strict parse) or by the byte
 * itself (to_byte 1: the values); NULL when the text holds none. A
 * surrogate pair (\ud800\udc80 is U+10080) is left alone. */
static char *bytes_escaped(const char *s, int to_byte)
{
    if (!strstr(s, "\\udc") && !strstr(s, "\\uDC"))
        return NULL;
    struct buf b;
    buf_init(&b);
    int found = 0;
    for (size_t i = 0; s[i];) {
        if (s[i] != '\\' || !s[i + 1]) {
            buf_addc(&b, s[i++]);
            continue;
        }
        long v = s[i + 1] == 'u' ? hex4_at(s + i + 2) : -1;
        size_t n = v >= 0 ? 6 : 2;
        if (v >= 0xd800 && v <= 0xdbff && s[i + 6] == '\\' && s[i + 7] == 'u' &&
            hex4_at(s + i + 8) >= 0xdc00)
            n = 12;
        if (v >= 0xdc80 && v <= 0xdcff) {
            found = 1;
            if (to_byte)
                buf_addc(&b, (char)(v & 0xff));
            else
                buf_adds(&b, "\\ufffd");
        } else {
            buf_add(&b, s + i, n);
        }
        i += n;
    }
    if (!found) {
        buf_free(&b);
        return NULL;
    }
    return buf_steal(&b);
}

/* Parse one JSON text of an export: strictly (depth, duplicate keys,
 * UTF-8), with the \udc80..\udcff escapes read back as bytes. */
static enum so_status export_json_parse(const char *text, int depth, cJSON **out,
                                        struct so_error *err)
{
    char *shape = bytes_escaped(text, 0);
    if (!shape)
        return json_parse_strict(text, strlen(text), depth, out, err);
    cJSON *v = NULL;
    enum so_status st = json_parse_strict(shape, strlen(shape), depth, &v, err);
    free(shape);
    cJSON_Delete(v);
    *out = NULL;
    if (st != SO_OK)
        return st;
    char *raw = bytes_escaped(text, 1);
    *out = cJSON_Parse(raw);
    free(raw);
    return *out ? SO_OK : so_fail(err, SO_ERR_INVALID, "not JSON");
}

/* Set one field of d from a JSON value (null or absent: left empty). */
static enum so_status set_field(struct so_decision *d, const struct field *f,
                                const cJSON *v, struct so_error *err)
{
    if (!v || cJSON_IsNull(v)) {
        if (f->required)
            return so_fail(err, SO_ERR_INVALID, "%s: missing", f->name);
        return SO_OK;
    }
    if (f->type == F_INT) {
        /* Range first: converting an out-of-range double is undefined. */
        double x = cJSON_IsNumber(v) ? v->valuedouble : -1;
        if (!(x >= 0 && x <= (double)JSON_MAX_SAFE_INT) ||
            x != (double)(int64_t)x)
            return so_fail(err, SO_ERR_INVALID, "%s: not a whole number "
                           "in 0..2^53", f->name);
        *AT(d, f, int64_t) = (int64_t)x;
        return SO_OK;
    }
    if (!cJSON_IsString(v))
        return so_fail(err, SO_ERR_INVALID, "%s: not a string", f->name);
    const char *s = v->valuestring;
    if (f->type == F_ACTION) {
        int a = so_action_from_name(s);
        if (a < 0)
            return so_fail(err, SO_ERR_INVALID, "%s: unknown action", f->name);
        *AT(d, f, enum so_action) = (enum so_action)a;
    } else if (f->type == F_SHA) {
        if (strlen(s) != 64 || strspn(s, "0123456789abcdef") != 64)
            return so_fail(err, SO_ERR_INVALID, "%s: not a SHA-256 in hex",
                           f->name);
        memcpy(AT(d, f, char), s, 65);
    } else {
        *AT(d, f, char *) = xstrdup(s);
    }
    return SO_OK;
}

static enum so_status record_from_json(const cJSON *o, struct so_decision *d,
                                       struct so_error *err)
{
    for (size_t i = 0; i < NFIELDS; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, fields[i].name);
        enum so_status st = set_field(d, &fields[i], v, err);
        if (st != SO_OK)
            return st;
    }
    return SO_OK;
}

/* Next line without its end of line; 0 at the end of the file. */
static int read_line(struct export_reader *r)
{
    ssize_t n = getline(&r->line, &r->cap, r->f);
    if (n < 0)
        return 0;
    r->lineno++;
    while (n > 0 && (r->line[n - 1] == '\n' || r->line[n - 1] == '\r'))
        r->line[--n] = '\0';
    return 1;
}

static struct buf *csv_cell_new(struct csv_row *row)
{
    if (row->n == row->cap) {
        row->cap = row->cap ? row->cap * 2 : 32;
        row->cell = xrealloc(row->cell, row->cap * sizeof *row->cell);
        for (size_t i = row->n; i < row->cap; i++)
            buf_init(&row->cell[i]);
    }
    buf_reset(&row->cell[row->n]);
    return &row->cell[row->n++];
}

static void csv_row_free(struct csv_row *row)
{
    for (size_t i = 0; i < row->cap; i++)
        buf_free(&row->cell[i]);
    free(row->cell);
}

/* Read one RFC 4180 record from r->f into r->row: a quoted cell may hold
 * commas, doubled quotes, CR and LF; the record ends at CRLF or LF outside
 * quotes. 1 a record, 0 at the end of the file, -1 malformed (why set). */
static int csv_read_row(struct export_reader *r, struct so_error *why)
{
    struct csv_row *row = &r->row;
    row->n = 0;
    int c = getc(r->f);
    if (c == EOF)
        return 0;
    r->lineno++;
    struct buf *cell = csv_cell_new(row);
    for (;;) {
        if (c == '"' && cell->len == 0) {
            for (;;) { /* a quoted cell */
                c = getc(r->f);
                if (c == EOF) {
                    so_fail(why, SO_ERR_INVALID, "unterminated quote");
                    return -1;
                }
                if (c == '"' && (c = getc(r->f)) != '"')
                    break;
                if (c == '\n')
                    r->lineno++;
                buf_addc(cell, (char)c);
            }
            if (c != ',' && c != '\r' && c != '\n' && c != EOF) {
                so_fail(why, SO_ERR_INVALID, "text after a quoted cell");
                return -1;
            }
            continue;
        }
        if (c == ',') {
            cell = csv_cell_new(row);
        } else if (c == '\r' || c == '\n' || c == EOF) {
            if (c == '\r' && (c = getc(r->f)) != '\n') {
                so_fail(why, SO_ERR_INVALID, "a CR outside quotes");
                return -1;
            }
            buf_cstr(cell);
            for (size_t i = 0; i < row->n; i++)
                buf_cstr(&row->cell[i]);
            return 1;
        } else if (c == '"') {
            so_fail(why, SO_ERR_INVALID, "a quote inside an unquoted cell");
            return -1;
        } else {
            buf_addc(cell, (char)c);
        }
        c = getc(r->f);
    }
}

/* Set one field of d from its CSV cell: digits for a number, the text
 * itself otherwise; an empty cell is null. */
static enum so_status set_field_cell(struct so_decision *d,
                                     const struct field *f, const char *cell,
                                     size_t len, struct so_error *err)
{
    if (!len)
        return set_field(d, f, NULL, err);
    if (memchr(cell, '\0', len))
        return so_fail(err, SO_ERR_INVALID, "%s: a NUL byte", f->name);
    if (f->type == F_INT) {
        if (len > 16 || strspn(cell, "0123456789") != len)
            return so_fail(err, SO_ERR_INVALID, "%s: not a whole number "
                           "in 0..2^53", f->name);
        long long v = strtoll(cell, NULL, 10);
        if (v > JSON_MAX_SAFE_INT)
            return so_fail(err, SO_ERR_INVALID, "%s: not a whole number "
                           "in 0..2^53", f->name);
        *AT(d, f, int64_t) = (int64_t)v;
        return SO_OK;
    }
    cJSON *v = cJSON_CreateString(cell);
    enum so_status st = set_field(d, f, v, err);
    cJSON_Delete(v);
    return st;
}

static enum so_status record_from_csv(struct export_reader *r,
                                      struct so_decision *d,
                                      struct so_error *err)
{
    if (r->row.n != r->ncols)
        return so_fail(err, SO_ERR_INVALID, "%zu cells, the header has %zu",
                       r->row.n, r->ncols);
    enum so_status st = SO_OK;
    for (size_t i = 0; i < NFIELDS && st == SO_OK; i++) {
        const struct buf *c = &r->row.cell[r->col[i]];
        st = set_field_cell(d, &fields[i], c->data ? c->data : "", c->len,
                            err);
    }
    return st;
}

/* The CSV header (the first line, already read): each field's column by
 * name; further columns (the _utc times) are not part of the record. */
static enum so_status read_csv_header(struct export_reader *r,
                                      struct so_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i < NFIELDS; i++)
        r->col[i] = (size_t)-1;
    for (char *p = r->line, *end;; p = end + 1) {
        end = p + strcspn(p, ",");
        for (size_t i = 0; i < NFIELDS; i++)
            if ((size_t)(end - p) == strlen(fields[i].name) &&
                memcmp(p, fields[i].name, (size_t)(end - p)) == 0)
                r->col[i] = n;
        n++;
        if (!*end)
            break;
    }
    r->ncols = n;
    for (size_t i = 0; i < NFIELDS; i++)
        if (r->col[i] == (size_t)-1)
            return so_fail(err, SO_ERR_INVALID, "%s:1: CSV header: no column "
                           "%s", r->path, fields[i].name);
    return SO_OK;
}

static enum so_status reader_next(void *ctx, struct so_decision *d,
                                  struct so_error *err)
{
    struct export_reader *r = ctx;
    struct so_error why = {0};
    enum so_status st;
    if (r->fmt == VERIFY_CSV) {
        size_t at = r->lineno + 1;
        int got = csv_read_row(r, &why);
        if (got == 0)
            return ferror(r->f) ? so_fail(err, SO_ERR_IO, "%s: read error",
                                          r->path)
                                : SO_EMPTY;
        st = got < 0 ? SO_ERR_INVALID : record_from_csv(r, d, &why);
        if (st != SO_OK)
            return so_fail(err, SO_ERR_INVALID, "%s:%zu: %s", r->path, at,
                           why.msg);
        return SO_OK;
    }
    if (!read_line(r))
        return ferror(r->f) ? so_fail(err, SO_ERR_IO, "%s: read error", r->path)
                            : SO_EMPTY;
    {
        cJSON *o = NULL;
        st = export_json_parse(r->line, 4, &o, &why);
        if (st == SO_OK)
            st = cJSON_IsObject(o) ? record_from_json(o, d, &why)
                                   : so_fail(&why, SO_ERR_INVALID, "not an object");
        cJSON_Delete(o);
    }
    if (st != SO_OK)
        return so_fail(err, SO_ERR_INVALID, "%s:%zu: %s", r->path, r->lineno,
                       why.msg);
    return SO_OK;
}

static enum so_status read_jsonl_header(struct export_reader *r,
                                        struct so_error *err)
{
    cJSON *o = NULL;
    struct so_error why = {0};
    const char *fmt = NULL, *hash = NULL;
    int64_t version = 0, seq = -1;
    enum so_status st = export_json_parse(r->line, 4, &o, &why);
    if (st == SO_OK)
        st = json_get_string(o, "", "format", JSON_REQUIRED, 64, &fmt, &why);
    if (st == SO_OK && strcmp(fmt, "signoff-audit") != 0)
        st = so_fail(&why, SO_ERR_INVALID, "format: not a signoff audit export");
    if (st == SO_OK)
        st = json_get_int(o, "", "version", JSON_REQUIRED, 1, 1, &version, &why);
    if (st == SO_OK)
        st = json_get_int(o, "", "since", JSON_OPTIONAL, 0, JSON_MAX_SAFE_INT,
                          &r->since, &why);
    if (st == SO_OK)
        st = json_get_int(o, "", "head_seq", JSON_OPTIONAL, 0,
                          JSON_MAX_SAFE_INT, &seq, &why);
    if (st == SO_OK)
        st = json_get_string(o, "", "head_hash", JSON_OPTIONAL, 64, &hash, &why);
    if (st == SO_OK && seq >= 0 && hash) {
        r->has_head = 1;
        r->head.seq = seq;
        snprintf(r->head.hash, sizeof r->head.hash, "%s", hash);
    }
    cJSON_Delete(o);
    if (st != SO_OK)
        return so_fail(err, SO_ERR_INVALID, "%s:1: %s", r->path, why.msg);
    return SO_OK;
}

static enum so_status reader_open(struct export_reader *r, const char *path,
                                  struct so_error *err)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->f = fopen(path, "r");
    if (!r->f)
        return so_fail(err, errno == ENOENT ? SO_ERR_NOTFOUND : SO_ERR_IO,
                       "%s: %s", path, strerror(errno));
    if (!read_line(r))
        return so_fail(err, SO_ERR_INVALID, "%s: empty file", path);
    if (r->line[0] == '{') {
        r->fmt = VERIFY_JSONL;
        return read_jsonl_header(r, err);
    }
    r->fmt = VERIFY_CSV;
    if (strncmp(r->line, "seq,draft,", 10) != 0)
        return so_fail(err, SO_ERR_INVALID,
                       "%s:1: neither a JSON Lines nor a CSV audit export", path);
    return read_csv_header(r, err);
}

enum so_status verify_export_file(const char *path,
                                  const struct verify_opts *opts,
                                  struct verify_result *res,
                                  struct so_error *err)
{
    struct export_reader r;
    enum so_status st = reader_open(&r, path, err);
    if (st == SO_OK) {
        struct verify_opts o = *opts;
        /* A whole-chain export starts at genesis; one made --since does not,
         * and a CSV export does not say. */
        o.from_genesis = r.fmt == VERIFY_JSONL && r.since == 0;
        o.head = r.has_head ? &r.head : NULL;
        struct verify_source src = {reader_next, &r};
        st = verify_chain(&src, &o, res, err);
    }
    if (r.f)
        fclose(r.f);
    free(r.line);
    csv_row_free(&r.row);
    return st;
}
