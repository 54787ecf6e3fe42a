/*
 * theme: parse theme files (`role = fg bg [attr...]`) into a table of
 * semantic roles and find them on disk. Pure data: never includes curses.h,
 * never prints. The defaults here are what themes/default.theme says, so the
 * UI works even when no theme file is installed.
 */
#include "signoff/theme.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define THEME_MAX_BYTES (64u << 10)

static const struct {
    const char *name;
    unsigned mono;
} roles[TR_COUNT] = {
#define THEME_X_INFO(id, name, mono) {name, mono},
    THEME_ROLE_LIST(THEME_X_INFO)
#undef THEME_X_INFO
};

static const char *const color_names[] = {
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct {
    const char *name;
    unsigned bit;
} attr_names[] = {
    {"bold", THEME_A_BOLD},       {"underline", THEME_A_UNDERLINE},
    {"reverse", THEME_A_REVERSE}, {"dim", THEME_A_DIM},
    {"standout", THEME_A_STANDOUT},
};

/* The default look: role, fg, bg, attrs. */
static const struct {
    enum theme_role role;
    short fg, bg;
    unsigned attrs;
} builtin[] = {
    {TR_TITLE, 7, 4, THEME_A_BOLD},
    {TR_STATUS, 0, 6, 0},
    {TR_STATUS_ALERT, 7, 1, THEME_A_BOLD},
    {TR_CURSOR, 0, 6, 0},
    {TR_INDEX_FLAG, 1, -1, THEME_A_BOLD},
    {TR_SLA_NEAR, 3, -1, THEME_A_BOLD},
    {TR_SLA_PAST, 7, 1, THEME_A_BOLD},
    {TR_CONF_LOW, 1, -1, THEME_A_BOLD},
    {TR_CONF_MID, 3, -1, 0},
    {TR_CONF_HIGH, 2, -1, 0},
    {TR_LABEL, 4, -1, THEME_A_BOLD},
    {TR_INPUT, 6, -1, 0},
    {TR_MARKER, 3, -1, THEME_A_BOLD},
    {TR_MARKER_ACTIVE, 0, 3, THEME_A_BOLD},
    {TR_SEARCH, 0, 2, 0},
    {TR_HIDDEN, 5, -1, THEME_A_REVERSE},
    {TR_PANE, 4, -1, THEME_A_BOLD | THEME_A_UNDERLINE},
    {TR_CITE_TITLE, -1, -1, THEME_A_BOLD},
    {TR_CITE_URI, 4, -1, THEME_A_UNDERLINE},
    {TR_QUOTE, 2, -1, THEME_A_BOLD},
    {TR_CITE_MISSING, 7, 1, THEME_A_BOLD},
    {TR_DIFF_ADD, 2, -1, THEME_A_BOLD | THEME_A_UNDERLINE},
    {TR_DIFF_DEL, 1, -1, THEME_A_REVERSE},
    {TR_HELP_KEY, 3, -1, THEME_A_BOLD},
    {TR_MONITOR_OK, 2, -1, 0},
    {TR_MONITOR_OVER, 7, 1, THEME_A_BOLD},
    {TR_MONITOR_PAUSED, 3, -1, THEME_A_BOLD},
    {TR_MONITOR_SPARK, 6, -1, 0},
};

const char *theme_role_name(enum theme_role r)
{
    return (int)r >= 0 && r < TR_COUNT ? roles[r].name : NULL;
}

unsigned theme_role_mono(enum theme_role r)
{
    return (int)r >= 0 && r < TR_COUNT ? roles[r].mono : 0;
}

void theme_defaults(struct theme *t)
{
    for (int r = 0; r < TR_COUNT; r++)
        t->role[r] = (struct theme_style){-1, -1, 0};
    for (size_t i = 0; i < SO_ARRAY_LEN(builtin); i++)
        t->role[builtin[i].role] = (struct theme_style){
            builtin[i].fg, builtin[i].bg, builtin[i].attrs};
}

/* "default", a colour name, "brightNAME" (8-15) or 0..255; -2 if none. */
static short parse_color(const char *w)
{
    if (strcmp(w, "default") == 0)
        return -1;
    int bright = strncmp(w, "bright", 6) == 0;
    const char *base = bright ? w + 6 : w;
    for (size_t i = 0; i < SO_ARRAY_LEN(color_names); i++)
        if (strcmp(color_names[i], base) == 0)
            return (short)(i + (bright ? 8 : 0));
    long n;
    if (so_parse_long(w, 0, 255, &n) == 0)
        return (short)n;
    return -2;
}

static enum theme_role role_from_name(const char *name)
{
    for (int r = 0; r < TR_COUNT; r++)
        if (strcmp(roles[r].name, name) == 0)
            return (enum theme_role)r;
    return TR_COUNT;
}

/* Split a line into at most max blank-separated words (in place). */
static size_t split_words(char *line, char **w, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (*p) {
        while (*p && isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        if (n == max)
            return max + 1;
        w[n++] = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        if (*p)
            *p++ = '\0';
    }
    return n;
}

/* One line `role = fg bg [attr...]`; NULL or why it is bad. */
static const char *parse_line(char *line, struct theme *t)
{
    char *w[9];
    size_t n = split_words(line, w, 8);
    if (n == 0 || w[0][0] == '#')
        return NULL;
    if (n > 8 || n < 4 || strcmp(w[1], "=") != 0)
        return "expected 'role = fg bg [attr...]'";
    enum theme_role r = role_from_name(w[0]);
    if (r == TR_COUNT)
        return "unknown role";
    struct theme_style st = {parse_color(w[2]), parse_color(w[3]), 0};
    if (st.fg == -2 || st.bg == -2)
        return "unknown colour (default, black..white, brightNAME, 0-255)";
    for (size_t i = 4; i < n; i++) {
        size_t a = 0;
        while (a < SO_ARRAY_LEN(attr_names) && strcmp(attr_names[a].name, w[i]))
            a++;
        if (a == SO_ARRAY_LEN(attr_names))
            return "unknown attribute (bold, underline, reverse, dim, "
                   "standout)";
        st.attrs |= attr_names[a].bit;
    }
    t->role[r] = st;
    return NULL;
}

enum so_status theme_parse(const char *name, const char *text, struct theme *t,
                           struct so_error *err)
{
    enum so_status st = SO_OK;
    int lineno = 0;
    so_error_clear(err);
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *line = xstrndup(p, len);
        lineno++;
        const char *why = parse_line(line, t);
        free(line);
        if (why && st == SO_OK)
            st = so_fail(err, SO_ERR_INVALID, "%s:%d: %s", name, lineno, why);
        p = nl ? nl + 1 : p + len;
    }
    return st;
}

static int valid_name(const char *name)
{
    if (!*name || strlen(name) > 64)
        return 0;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
            return 0;
    return 1;
}

/* The first existing NAME.theme along the search path (caller frees). */
static char *find_theme(const char *name)
{
    char *cfg = so_xdg_dir("CONFIG");
    const char *envdir = getenv("SIGNOFF_DATADIR");
    char *dirs[4] = {
        xasprintf("%s/themes", cfg),
        xstrdup("themes"),
        envdir && *envdir ? xasprintf("%s/themes", envdir) : NULL,
        xstrdup(SIGNOFF_DATADIR "/themes"),
    };
    char *found = NULL;
    for (size_t i = 0; i < SO_ARRAY_LEN(dirs); i++) {
        struct stat sb;
        char *path = dirs[i] ? xasprintf("%s/%s.theme", dirs[i], name) : NULL;
        if (!found && path && stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
            found = path;
            path = NULL;
        }
        free(path);
        free(dirs[i]);
    }
    free(cfg);
    return found;
}

enum so_status theme_load(const char *name, struct theme *t,
                          struct so_error *err)
{
    theme_defaults(t);
    if (!valid_name(name))
        return so_fail(err, SO_ERR_INVALID,
                       "theme %s: a name is letters, digits, - and _", name);
    char *path = find_theme(name);
    if (!path) {
        if (strcmp(name, "default") == 0)
            return SO_OK;
        return so_fail(err, SO_ERR_NOTFOUND,
                       "theme %s: no %s.theme in $XDG_CONFIG_HOME/signoff/"
                       "themes, ./themes or %s/themes (signoff ships "
                       "default, light, high-contrast and mono)",
                       name, name, SIGNOFF_DATADIR);
    }
    char *text = NULL;
    enum so_status st = so_read_file(path, THEME_MAX_BYTES, &text, NULL, err);
    if (st == SO_OK)
        st = theme_parse(path, text, t, err);
    free(text);
    free(path);
    return st;
}
