/*
 * fuzz_theme: the theme file parser (include/signoff/theme.h). Property:
 * every style it leaves is a colour curses can take (-1..255) and every
 * error names the file and line.
 */
#include "fuzz.h"

#include "signoff/theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    struct theme t;
    theme_defaults(&t);
    struct so_error err = {0};
    if (theme_parse("fuzz.theme", text, &t, &err) != SO_OK)
        FUZZ_ASSERT(strncmp(err.msg, "fuzz.theme:", 11) == 0);
    for (int r = 0; r < TR_COUNT; r++) {
        FUZZ_ASSERT(t.role[r].fg >= -1 && t.role[r].fg <= 255);
        FUZZ_ASSERT(t.role[r].bg >= -1 && t.role[r].bg <= 255);
    }
    free(text);
    return 0;
}
