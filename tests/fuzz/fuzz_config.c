/*
 * fuzz_config: the config file parser (include/signoff/config.h). Property:
 * it never fails to return, every error names the file and line, and what
 * it keeps can be freed.
 */
#include "fuzz.h"

#include "signoff/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    struct config c;
    memset(&c, 0, sizeof c);
    struct so_error err = {0};
    if (config_parse("fuzz.conf", text, &c, &err) != SO_OK)
        FUZZ_ASSERT(strncmp(err.msg, "fuzz.conf:", 10) == 0);
    for (size_t i = 0; i < c.nbinds; i++)
        FUZZ_ASSERT(c.binds[i].key && c.binds[i].action);
    config_free(&c);
    free(text);
    return 0;
}
