/*
 * replay_main: a standalone main for a fuzz harness, so `make check` can
 * replay the corpus under ASan+UBSan without libFuzzer. Each argument is a
 * file or a directory of files; each file is one input. Prints one line per
 * input only on failure (the sanitizer aborts the process) and the count at
 * the end.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static long replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: %s: cannot open\n", path);
        exit(2);
    }
    size_t cap = 1 << 16, len = 0;
    uint8_t *data = malloc(cap);
    size_t n;
    while (data && (n = fread(data + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap)
            data = realloc(data, cap *= 2);
    }
    fclose(f);
    if (!data)
        abort();
    /* An exact-size copy, so ASan sees reads past the input's end. */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact)
        abort();
    memcpy(exact, data, len);
    free(data);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 1;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static long replay_path(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        fprintf(stderr, "replay: %s: missing\n", path);
        exit(2);
    }
    if (!S_ISDIR(sb.st_mode))
        return replay_file(path);
    DIR *d = opendir(path);
    if (!d)
        exit(2);
    char **names = NULL;
    size_t count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        names = realloc(names, (count + 1) * sizeof *names);
        if (!names || asprintf(&names[count], "%s/%s", path, e->d_name) < 0)
            abort();
        count++;
    }
    closedir(d);
    qsort(names, count, sizeof *names, by_name);
    long total = 0;
    for (size_t i = 0; i < count; i++) {
        total += replay_path(names[i]);
        free(names[i]);
    }
    free(names);
    return total;
}

int main(int argc, char **argv)
{
    long total = 0;
    for (int i = 1; i < argc; i++)
        total += replay_path(argv[i]);
    printf("replayed %ld inputs\n", total);
    return 0;
}
