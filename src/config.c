/*
 * config: parse the user's config file into a struct config. A line is a
 * setting (`queue = PATH`) or a key binding (`bind KEY ACTION`); a `reason`
 * line of older versions is reported (reason codes are kept in the queue
 * now). Bad lines are reported as "FILE:LINE: why"
 * and skipped; the good ones are kept. Never prints, never exits, and does
 * not know which actions or keys exist (the UI's key table checks those).
 */
#include "signoff/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "signoff/names.h"

#define CONFIG_MAX_BYTES (1u << 20)

/* A cursor over one line: the tokenizer advances p. */
struct line {
    const char *p;
    const char *end;
};

char *config_default_path(void)
{
    char *dir = so_xdg_dir("CONFIG");
    char *p = xasprintf("%s/config", dir);
    free(dir);
    return p;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static void skip_blanks(struct line *l)
{
    while (l->p < l->end && is_blank(*l->p))
        l->p++;
}

/* A double-quoted string with \" and \\ escapes. Returns NULL and sets why
 * when malformed. */
static char *read_quoted(struct line *l, const char **why)
{
    struct buf b;
    buf_init(&b);
    l->p++; /* opening quote */
    while (l->p < l->end && *l->p != '"') {
        char c = *l->p++;
        if (c == '\\') {
            if (l->p >= l->end || (*l->p != '"' && *l->p != '\\')) {
                buf_free(&b);
                *why = "only \\\" and \\\\ may be escaped in a quoted string";
                return NULL;
            }
            c = *l->p++;
        }
        buf_addc(&b, c);
    }
    if (l->p >= l->end) {
        buf_free(&b);
        *why = "unterminated quoted string";
        return NULL;
    }
    l->p++; /* closing quote */
    char *s = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return s;
}

/* The next word (run of non-blanks, or a quoted string). NULL at the end of
 * the line (why unset) or when malformed (why set). */
static char *next_token(struct line *l, const char **why)
{
    skip_blanks(l);
    if (l->p >= l->end)
        return NULL;
    if (*l->p == '"')
        return read_quoted(l, why);
    const char *s = l->p;
    while (l->p < l->end && !is_blank(*l->p))
        l->p++;
    return xstrndup(s, (size_t)(l->p - s));
}

/* The value after `=`: a quoted string, or the rest of the line trimmed
 * (paths may contain blanks). */
static char *read_value(struct line *l, const char **why)
{
    skip_blanks(l);
    if (l->p < l->end && *l->p == '"') {
        char *v = read_quoted(l, why);
        skip_blanks(l);
        if (v && l->p < l->end) {
            free(v);
            *why = "unexpected text after the quoted value";
            return NULL;
        }
        return v;
    }
    const char *e = l->end;
    while (e > l->p && is_blank(e[-1]))
        e--;
    if (e == l->p) {
        *why = "missing value after '='";
        return NULL;
    }
    char *v = xstrndup(l->p, (size_t)(e - l->p));
    l->p = l->end;
    return v;
}

static int valid_code(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-'))
            return 0;
    return 1;
}

/* Pointer to the string field named key, or NULL if no such setting. */
static char **setting_slot(struct config *c, const char *key)
{
    static const struct {
        const char *name;
        size_t off;
    } settings[] = {
        {"queue", offsetof(struct config, queue)},
        {"theme", offsetof(struct config, theme)},
        {"reviewer", offsetof(struct config, reviewer)},
        {"ca_file", offsetof(struct config, ca_file)},
        {"token_file", offsetof(struct config, token_file)},
        {"durability", offsetof(struct config, durability)},
        {"role", offsetof(struct config, role)},
        {"mouse", offsetof(struct config, mouse)},
    };
    for (size_t i = 0; i < SO_ARRAY_LEN(settings); i++)
        if (strcmp(settings[i].name, key) == 0)
            return (char **)((char *)c + settings[i].off);
    return NULL;
}

/* What an unknown setting's message offers. */
#define SETTINGS                                                               \
    "expected queue, theme, reviewer, ca_file, token_file, durability, "      \
    "role, mouse or bind"

static const char *parse_setting(struct config *c, const char *key,
                                 struct line *l)
{
    char **slot = setting_slot(c, key);
    if (!slot)
        return "unknown setting (" SETTINGS ")";
    skip_blanks(l);
    if (l->p >= l->end || *l->p != '=')
        return "expected '=' after the setting name";
    l->p++;
    const char *why = NULL;
    char *v = read_value(l, &why);
    if (!v)
        return why;
    if (strcmp(key, "durability") == 0 && strcmp(v, "full") != 0 &&
        strcmp(v, "normal") != 0) {
        free(v);
        return "durability: expected full or normal";
    }
    if (strcmp(key, "role") == 0 && strcmp(v, "reviewer") != 0 &&
        strcmp(v, "supervisor") != 0) {
        free(v);
        return "role: expected reviewer or supervisor";
    }
    if (strcmp(key, "mouse") == 0 && strcmp(v, "on") != 0 &&
        strcmp(v, "off") != 0) {
        free(v);
        return "mouse: expected on or off";
    }
    struct so_error err;
    if (strcmp(key, "reviewer") == 0 &&
        names_check("reviewer", v, &err) != SO_OK) {
        free(v);
        return "reviewer: not a valid name (no control, bidi or invisible "
               "character, valid UTF-8, at most 256 bytes)";
    }
    free(*slot);
    *slot = v;
    return NULL;
}

static const char *parse_bind(struct config *c, struct line *l,
                              const char *where)
{
    const char *why = NULL;
    char *key = next_token(l, &why);
    char *action = key ? next_token(l, &why) : NULL;
    char *extra = action ? next_token(l, &why) : NULL;
    if (!why && (!action || extra || !valid_code(action)))
        why = "expected 'bind KEY ACTION' (action: lower-case name)";
    if (why) {
        free(key);
        free(action);
        free(extra);
        return why;
    }
    for (size_t i = 0; i < c->nbinds; i++) {
        if (strcmp(c->binds[i].key, key) == 0) {
            free(c->binds[i].action);
            free(c->binds[i].where);
            c->binds[i].action = action;
            c->binds[i].where = xstrdup(where);
            free(key);
            return NULL;
        }
    }
    c->binds = xrealloc(c->binds, (c->nbinds + 1) * sizeof *c->binds);
    c->binds[c->nbinds].key = key;
    c->binds[c->nbinds].action = action;
    c->binds[c->nbinds].where = xstrdup(where);
    c->nbinds++;
    return NULL;
}

/* A `reason` line of an older config: reason codes are kept in the queue
 * now (the UI, the CLI and the server read one list), so the line is
 * reported and skipped. */
static const char *parse_reason(void)
{
    return "reason: reason codes are kept in the queue now (signoff "
           "workflow set W --reasons); line ignored";
}

/* One line (where: "FILE:LINE"); returns why it is bad (perhaps in
 * buf), or NULL. */
static const char *parse_line(struct config *c, struct line *l,
                              const char *where, char buf[160])
{
    skip_blanks(l);
    if (l->p >= l->end || *l->p == '#')
        return NULL;
    const char *s = l->p;
    while (l->p < l->end && !is_blank(*l->p) && *l->p != '=')
        l->p++;
    char *word = xstrndup(s, (size_t)(l->p - s));
    const char *why;
    if (strcmp(word, "bind") == 0)
        why = parse_bind(c, l, where);
    else if (strcmp(word, "reason") == 0)
        why = parse_reason();
    else if (!setting_slot(c, word)) { /* named, cut to fit */
        snprintf(buf, 160, "unknown setting '%.40s' (" SETTINGS ")", word);
        why = buf;
    } else
        why = parse_setting(c, word, l);
    free(word);
    return why;
}

enum so_status config_parse(const char *name, const char *text,
                            struct config *out, struct so_error *err)
{
    memset(out, 0, sizeof *out);
    so_error_clear(err);
    enum so_status st = SO_OK;
    int lineno = 0;
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        const char *end = nl ? nl : p + strlen(p);
        struct line l = {p, end};
        lineno++;
        char buf[160];
        char *where = xasprintf("%s:%d", name, lineno);
        const char *why = parse_line(out, &l, where, buf);
        free(where);
        if (why && st == SO_OK)
            st = so_fail(err, SO_ERR_INVALID, "%s:%d: %s", name, lineno, why);
        p = nl ? nl + 1 : end;
    }
    return st;
}

enum so_status config_load(const char *path, struct config *out,
                           struct so_error *err)
{
    char *def = path ? NULL : config_default_path();
    const char *p = path ? path : def;
    struct stat sb;
    enum so_status st;
    memset(out, 0, sizeof *out);
    so_error_clear(err);
    if (stat(p, &sb) != 0 && errno == ENOENT) {
        free(def);
        return SO_OK;
    }
    char *text = NULL;
    st = so_read_file(p, CONFIG_MAX_BYTES, &text, NULL, err);
    if (st == SO_OK)
        st = config_parse(p, text, out, err);
    free(text);
    free(def);
    return st;
}

void config_free(struct config *c)
{
    if (!c)
        return;
    free(c->queue);
    free(c->theme);
    free(c->reviewer);
    free(c->ca_file);
    free(c->token_file);
    free(c->durability);
    free(c->role);
    free(c->mouse);
    for (size_t i = 0; i < c->nbinds; i++) {
        free(c->binds[i].key);
        free(c->binds[i].action);
        free(c->binds[i].where);
    }
    free(c->binds);
    memset(c, 0, sizeof *c);
}
