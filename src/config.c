/* config: placeholder until the CLI lands (issue 2). */
#include "signoff/config.h"

#include <stdlib.h>
#include <string.h>

char *config_default_path(void)
{
    char *dir = so_xdg_dir("CONFIG");
    char *p = xasprintf("%s/config", dir);
    free(dir);
    return p;
}

enum so_status config_parse(const char *name, const char *text,
                            struct config *out, struct so_error *err)
{
    (void)name;
    (void)text;
    memset(out, 0, sizeof *out);
    so_error_clear(err);
    return SO_OK;
}

enum so_status config_load(const char *path, struct config *out,
                           struct so_error *err)
{
    return config_parse(path, "", out, err);
}

void config_free(struct config *c)
{
    memset(c, 0, sizeof *c);
}
