/*
 * config: the user's config file ($XDG_CONFIG_HOME/signoff/config):
 *   queue = PATH|URL      theme = NAME        reviewer = NAME
 *   bind KEY ACTION       reason CODE "Label"
 * Lines starting with # and blank lines are ignored. Parsing never prints:
 * errors come back as "FILE:LINE: why". Never includes curses.h.
 */
#ifndef SIGNOFF_CONFIG_H
#define SIGNOFF_CONFIG_H

#include <stddef.h>

#include "signoff/util.h"

struct config_bind {
    char *key;    /* as written: "a", "^X", "<Enter>", "<Down>", "F5" */
    char *action; /* action name, e.g. "approve" */
};

struct config_reason {
    char *code;  /* "factual" */
    char *label; /* "Factual error" */
};

/* Everything owned; free with config_free. */
struct config {
    char *queue;
    char *theme;
    char *reviewer;
    char *ca_file;
    char *token_file;
    struct config_bind *binds;
    size_t nbinds;
    struct config_reason *reasons; /* empty: use the default reasons */
    size_t nreasons;
};

/* Default path of the config file (caller frees). */
char *config_default_path(void);
/* Parse text (from file `name`, for messages). Errors are per line; the
 * first is returned in err, the good lines are kept. */
enum so_status config_parse(const char *name, const char *text,
                            struct config *out, struct so_error *err);
/* Load path (default path when NULL). A missing file is not an error. */
enum so_status config_load(const char *path, struct config *out,
                           struct so_error *err);
void config_free(struct config *c);

#endif
