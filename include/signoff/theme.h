/*
 * theme: colour themes as tables of semantic roles (`draft.marker`,
 * `citation.missing`, `status.alert`). A theme file themes/NAME.theme has
 * lines `role = fg bg [attr...]`; drawing code asks for a role, never for a
 * colour. Pure data: parses and looks up files, never includes curses.h
 * (src/ui/style.c turns a theme into curses attributes).
 */
#ifndef SIGNOFF_THEME_H
#define SIGNOFF_THEME_H

#include "signoff/util.h"

/* id, name in theme files, attributes always used without colour (mono,
 * NO_COLOR, vt100) so the role stays visible: THEME_A_* bits. */
#define THEME_ROLE_LIST(X)                                                     \
    X(TR_NORMAL, "normal", 0)                                                  \
    X(TR_TITLE, "title", THEME_A_REVERSE)                                      \
    X(TR_STATUS, "status", THEME_A_REVERSE)                                    \
    X(TR_STATUS_ALERT, "status.alert", THEME_A_BOLD)                           \
    X(TR_MESSAGE, "message", 0)                                                \
    X(TR_CURSOR, "index.cursor", THEME_A_REVERSE)                              \
    X(TR_INDEX_FLAG, "index.flag", THEME_A_BOLD)                               \
    X(TR_SLA_NEAR, "index.sla.near", THEME_A_BOLD)                             \
    X(TR_SLA_PAST, "index.sla.past", THEME_A_BOLD | THEME_A_REVERSE)           \
    X(TR_CONF_LOW, "confidence.low", THEME_A_BOLD)                             \
    X(TR_CONF_MID, "confidence.mid", 0)                                        \
    X(TR_CONF_HIGH, "confidence.high", 0)                                      \
    X(TR_LABEL, "header.label", THEME_A_BOLD)                                  \
    X(TR_INPUT, "draft.input", THEME_A_DIM)                                    \
    X(TR_MARKER, "draft.marker", THEME_A_BOLD)                                 \
    X(TR_MARKER_ACTIVE, "draft.marker.active", THEME_A_REVERSE)                \
    X(TR_SEARCH, "search.match", THEME_A_UNDERLINE)                            \
    X(TR_HIDDEN, "text.hidden", THEME_A_REVERSE)                               \
    X(TR_PANE, "pane.title", THEME_A_BOLD | THEME_A_UNDERLINE)                 \
    X(TR_CITE_TITLE, "citation.title", THEME_A_BOLD)                           \
    X(TR_CITE_URI, "citation.uri", THEME_A_UNDERLINE)                          \
    X(TR_QUOTE, "citation.quote", THEME_A_BOLD | THEME_A_UNDERLINE)            \
    X(TR_CITE_MISSING, "citation.missing", THEME_A_BOLD | THEME_A_REVERSE)     \
    X(TR_DIFF_ADD, "diff.add", THEME_A_BOLD | THEME_A_UNDERLINE)               \
    X(TR_DIFF_DEL, "diff.del", THEME_A_REVERSE)                                \
    X(TR_HELP_KEY, "help.key", THEME_A_BOLD)                                   \
    X(TR_MONITOR_OK, "monitor.ok", 0)                                          \
    X(TR_MONITOR_OVER, "monitor.over", THEME_A_BOLD | THEME_A_REVERSE)         \
    X(TR_MONITOR_PAUSED, "monitor.paused", THEME_A_BOLD)                       \
    X(TR_MONITOR_SPARK, "monitor.spark", 0)

/* Attribute bits (mapped to A_BOLD etc. by the UI). */
#define THEME_A_BOLD 1u
#define THEME_A_UNDERLINE 2u
#define THEME_A_REVERSE 4u
#define THEME_A_DIM 8u
#define THEME_A_STANDOUT 16u

enum theme_role {
#define THEME_X_ENUM(id, name, mono) id,
    THEME_ROLE_LIST(THEME_X_ENUM)
#undef THEME_X_ENUM
        TR_COUNT
};

/* One role's look. Colours: -1 terminal default, 0..255 (0-7 the classic
 * eight: black red green yellow blue magenta cyan white). */
struct theme_style {
    short fg;
    short bg;
    unsigned attrs; /* THEME_A_* */
};

struct theme {
    struct theme_style role[TR_COUNT];
};

/* The built-in look (what themes/default.theme also says); roles a theme
 * file leaves out keep it. */
void theme_defaults(struct theme *t);

/* Parse theme text (from file `name`, for messages) over t's current
 * values. The first bad line is returned as "NAME:LINE: why"; good lines
 * still apply. */
enum so_status theme_parse(const char *name, const char *text, struct theme *t,
                           struct so_error *err);

/* Find NAME.theme in $XDG_CONFIG_HOME/signoff/themes, ./themes,
 * $SIGNOFF_DATADIR/themes, then the compiled-in data dir; load it over the
 * defaults. "default" needs no file. Names are [A-Za-z0-9_-] only. */
enum so_status theme_load(const char *name, struct theme *t,
                          struct so_error *err);

/* The role's name in theme files ("draft.marker"), NULL if invalid. */
const char *theme_role_name(enum theme_role r);
/* THEME_A_* attributes the role keeps when drawing without colour. */
unsigned theme_role_mono(enum theme_role r);

#endif
