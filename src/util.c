/*
 * util: allocation wrappers, buffers, clocks, ids, small parsers and file
 * helpers shared by every module. Must not depend on curses, SQLite or curl.
 */
#define _GNU_SOURCE
#include "signoff/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

static const char *const status_names[] = {
#define SO_X_NAME(id, name) name,
    SO_STATUS_LIST(SO_X_NAME)
#undef SO_X_NAME
};

const char *so_status_name(enum so_status s)
{
    if ((int)s < 0 || s >= SO_STATUS_COUNT)
        return "error";
    return status_names[s];
}

enum so_status so_status_from_name(const char *name)
{
    for (int i = 0; name && i < SO_STATUS_COUNT; i++)
        if (strcmp(status_names[i], name) == 0)
            return (enum so_status)i;
    return SO_ERR;
}

enum so_status so_fail(struct so_error *err, enum so_status code,
                       const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

void so_error_clear(struct so_error *err)
{
    if (err) {
        err->code = SO_OK;
        err->msg[0] = '\0';
    }
}

static void oom(size_t n)
{
    fprintf(stderr, "signoff: out of memory (%zu bytes)\n", n);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom(n * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *xstrdup(const char *s)
{
    return s ? xstrndup(s, strlen(s)) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    size_t len = strnlen(s, n);
    char *p = xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    struct buf b;
    va_list ap;
    buf_init(&b);
    va_start(ap, fmt);
    buf_vaddf(&b, fmt, ap);
    va_end(ap);
    return buf_steal(&b);
}

void buf_init(struct buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void buf_free(struct buf *b)
{
    free(b->data);
    buf_init(b);
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static void buf_grow(struct buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        oom(SIZE_MAX);
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

void buf_add(struct buf *b, const void *p, size_t n)
{
    buf_grow(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void buf_addc(struct buf *b, char c)
{
    buf_add(b, &c, 1);
}

void buf_adds(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    buf_grow(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(b, fmt, ap);
    va_end(ap);
}

const char *buf_cstr(struct buf *b)
{
    return b->data ? b->data : "";
}

char *buf_steal(struct buf *b)
{
    char *p = b->data ? b->data : xstrdup("");
    buf_init(b);
    return p;
}

int64_t so_now_ms(void)
{
    const char *pin = getenv("SIGNOFF_NOW_MS");
    if (pin && *pin) {
        char *end;
        errno = 0;
        long long v = strtoll(pin, &end, 10);
        if (!errno && *end == '\0' && v >= 0)
            return (int64_t)v;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t so_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void so_uuid(char out[37])
{
    uuid_t u;
    uuid_generate_random(u);
    uuid_unparse_lower(u, out);
}

int so_parse_duration_ms(const char *s, int64_t *out_ms)
{
    if (!s || !isdigit((unsigned char)*s))
        return -1;
    if (strcmp(s, "0") == 0) { /* zero is zero in every unit */
        *out_ms = 0;
        return 0;
    }
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || v < 0)
        return -1;
    int64_t unit;
    if (strcmp(end, "s") == 0)
        unit = 1000;
    else if (strcmp(end, "ms") == 0)
        unit = 1;
    else if (strcmp(end, "m") == 0)
        unit = 60 * 1000;
    else if (strcmp(end, "h") == 0)
        unit = 3600 * 1000;
    else if (strcmp(end, "d") == 0)
        unit = 86400 * 1000LL;
    else if (strcmp(end, "w") == 0)
        unit = 7 * 86400 * 1000LL;
    else
        return -1;
    if (v > INT64_MAX / unit)
        return -1;
    *out_ms = (int64_t)v * unit;
    return 0;
}

int so_parse_date_ms(const char *s, int64_t *out_ms)
{
    int y, m, d;
    char tail;
    if (!s || strlen(s) != 10 ||
        sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return -1;
    if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    time_t t = timegm(&tm);
    if (t == (time_t)-1)
        return -1;
    struct tm back;
    gmtime_r(&t, &back);
    if (back.tm_mday != d) /* 2026-02-31 */
        return -1;
    *out_ms = (int64_t)t * 1000;
    return 0;
}

void so_format_time(int64_t ms, char out[32])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void so_format_age(int64_t now_ms, int64_t ms, char out[16])
{
    int64_t s = (now_ms - ms) / 1000;
    if (s < 0)
        s = 0;
    if (s < 60)
        snprintf(out, 16, "%llds", (long long)s);
    else if (s < 3600)
        snprintf(out, 16, "%lldm", (long long)(s / 60));
    else if (s < 86400)
        snprintf(out, 16, "%lldh", (long long)(s / 3600));
    else if (s < 86400LL * 365)
        snprintf(out, 16, "%lldd", (long long)(s / 86400));
    else
        snprintf(out, 16, "%lldy", (long long)(s / (86400LL * 365)));
}

int so_parse_long(const char *s, long min, long max, long *out)
{
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int so_parse_double(const char *s, double min, double max, double *out)
{
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end != '\0' || !isfinite(v) || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

enum so_status so_read_file(const char *path, size_t max, char **out,
                            size_t *len, struct so_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return so_fail(err, SO_ERR_IO, "%s: %s", path, strerror(errno));
    struct buf b;
    buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > max) {
            fclose(f);
            buf_free(&b);
            return so_fail(err, SO_ERR_TOOLARGE, "%s: larger than %zu bytes",
                           path, max);
        }
        buf_add(&b, chunk, n);
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        buf_free(&b);
        return so_fail(err, SO_ERR_IO, "%s: read error", path);
    }
    if (len)
        *len = b.len;
    *out = buf_steal(&b);
    return SO_OK;
}

enum so_status so_write_file_atomic(const char *path, const void *data,
                                    size_t len, int mode, struct so_error *err)
{
    char *tmp = xasprintf("%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        enum so_status st =
            so_fail(err, SO_ERR_IO, "%s: %s", path, strerror(errno));
        free(tmp);
        return st;
    }
    const char *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            goto fail;
        p += w;
        left -= (size_t)w;
    }
    if (fchmod(fd, (mode_t)mode) != 0 || fsync(fd) != 0)
        goto fail;
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0)
        goto fail;
    free(tmp);
    return SO_OK;
fail:;
    int e = errno;
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    free(tmp);
    return so_fail(err, e == ENOSPC ? SO_ERR_FULL : SO_ERR_IO, "%s: %s", path,
                   strerror(e));
}

enum so_status so_file_ensure(const char *path, int mode, int *created,
                              struct so_error *err)
{
    struct stat sb;
    *created = 0;
    if (lstat(path, &sb) == 0) {
        if (S_ISLNK(sb.st_mode))
            return so_fail(err, SO_ERR_INVALID,
                           "%s: is a symbolic link%s; signoff does not "
                           "create files through links (remove it, or give "
                           "the path it points to)",
                           path, stat(path, &sb) != 0 ? " to nothing" : "");
        return SO_OK;
    }
    if (errno != ENOENT)
        return so_fail(err, SO_ERR_IO, "%s: %s", path, strerror(errno));
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  (mode_t)mode);
    if (fd < 0)
        return so_fail(err,
                       errno == EACCES || errno == EROFS ? SO_ERR_READONLY
                       : errno == EEXIST || errno == ELOOP
                           ? SO_ERR_INVALID
                           : SO_ERR_IO,
                       "%s: %s", path,
                       errno == EEXIST ? "appeared while being created"
                                       : strerror(errno));
    close(fd);
    *created = 1;
    return SO_OK;
}

enum so_status so_mkdirs(const char *path, int mode, struct so_error *err)
{
    char *p = xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST) {
            enum so_status st =
                so_fail(err, SO_ERR_IO, "%s: %s", p, strerror(errno));
            free(p);
            return st;
        }
        *s = '/';
    }
    if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST) {
        enum so_status st =
            so_fail(err, SO_ERR_IO, "%s: %s", p, strerror(errno));
        free(p);
        return st;
    }
    free(p);
    return SO_OK;
}

char *so_xdg_dir(const char *kind)
{
    char var[32];
    snprintf(var, sizeof var, "XDG_%s_HOME", kind);
    const char *base = getenv(var);
    if (base && base[0] == '/')
        return xasprintf("%s/signoff", base);
    const char *home = getenv("HOME");
    if (!home || !*home)
        home = "/tmp";
    const char *rel = strcmp(kind, "CONFIG") == 0  ? ".config"
                      : strcmp(kind, "STATE") == 0 ? ".local/state"
                                                   : ".local/share";
    return xasprintf("%s/%s/signoff", home, rel);
}

size_t so_word_count(const char *s)
{
    size_t n = 0;
    int in = 0;
    for (; s && *s; s++) {
        int sp = isspace((unsigned char)*s);
        if (!sp && !in)
            n++;
        in = !sp;
    }
    return n;
}
