/*
 * fuzz.h: what every harness shares. A harness defines
 * LLVMFuzzerTestOneInput; libFuzzer drives it under `make fuzz`, and
 * replay_main.c feeds it the corpus under `make check`. Harnesses check
 * properties with FUZZ_ASSERT, which aborts (a finding) on failure.
 */
#ifndef SIGNOFF_FUZZ_H
#define SIGNOFF_FUZZ_H

#include <locale.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(cond)                                                      \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__,          \
                    __LINE__, #cond);                                          \
            abort();                                                           \
        }                                                                      \
    } while (0)

/* The locale signoff runs in (main sets it): wcwidth needs UTF-8. */
static inline void fuzz_locale(void)
{
    static int done;
    if (!done && !setlocale(LC_ALL, "C.UTF-8"))
        setlocale(LC_ALL, "");
    done = 1;
}

/* The input as a NUL-terminated copy (caller frees). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Bytes a terminal would act on: ESC, other C0 controls but '\n', DEL, C1
 * controls (U+0080..U+009F as UTF-8), and the bidi overrides/isolates.
 * Returns the offset of the first one, or -1 when the text is safe. */
static inline long fuzz_find_unsafe(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len; i++) {
        if ((u[i] < 0x20 && u[i] != '\n') || u[i] == 0x7f)
            return (long)i;
        if (u[i] == 0xc2 && i + 1 < len && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f)
            return (long)i;
        if (u[i] == 0xe2 && i + 2 < len && u[i + 1] == 0x80 &&
            u[i + 2] >= 0xaa && u[i + 2] <= 0xae)
            return (long)i;
        if (u[i] == 0xe2 && i + 2 < len && u[i + 1] == 0x81 &&
            u[i + 2] >= 0xa6 && u[i + 2] <= 0xa9)
            return (long)i;
    }
    return -1;
}

#endif
