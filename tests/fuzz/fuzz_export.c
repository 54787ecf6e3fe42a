/*
 * fuzz_export: `signoff verify --export` on arbitrary files (the export
 * reader of src/verify.c: JSON Lines header and records, CSV rows with
 * JSON-escaped cells). Properties: it always answers, an accepted file
 * counted its records, and a refusal says why.
 */
#define _GNU_SOURCE
#include "fuzz.h"

#include <unistd.h>

#include "signoff/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/signoff-fuzz-export.XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        unlink(path);
        return 0;
    }
    close(fd);
    struct verify_opts o = {0};
    struct verify_result res;
    struct so_error err = {0};
    enum so_status st = verify_export_file(path, &o, &res, &err);
    if (st == SO_OK)
        FUZZ_ASSERT(res.records >= 0 && res.bad_seq == 0);
    else
        FUZZ_ASSERT(err.msg[0] != '\0');
    unlink(path);
    return 0;
}
