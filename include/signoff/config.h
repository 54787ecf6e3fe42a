/*
 * config: the user's config file ($XDG_CONFIG_HOME/signoff/config):
 *   queue = PATH|URL      theme = NAME        reviewer = NAME
 *   ca_file = FILE        token_file = FILE   durability = full|normal
 *   role = reviewer|supervisor  mouse = on|off
 *   bind KEY ACTION       (reason CODE lines of older versions are
 *   reported and skipped: reason codes are kept in the queue)
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
    char *where;  /* "FILE:LINE" of the line, for the UI's messages */
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
    char *durability; /* "full" | "normal" | NULL (default: full) */
    char *role;       /* "reviewer" | "supervisor" | NULL (reviewer); local
                         queues only: a server takes it from the token */
    char *mouse;      /* "on" | "off" | NULL (on): clicks and the wheel in
                         the reviewer UI */
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
