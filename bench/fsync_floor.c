/*
 * fsync_floor: the disk's own durable-write rate, the physical limit for
 * synchronous=FULL commits. Appends 4 KiB and fdatasync()s in a loop for a
 * bounded time on the filesystem of DIR and prints "syncs/s p50_ms p99_ms".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    double seconds = argc > 2 ? atof(argv[2]) : 3.0;
    char path[4096];
    snprintf(path, sizeof path, "%s/fsync_floor.%d", dir, (int)getpid());
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        perror(path);
        return 1;
    }
    char block[4096];
    memset(block, 'x', sizeof block);
    size_t cap = 1 << 20, n = 0;
    double *lat = malloc(cap * sizeof *lat);
    double start = now_ms();
    while (now_ms() - start < seconds * 1000 && n < cap) {
        double t0 = now_ms();
        if (write(fd, block, sizeof block) != (ssize_t)sizeof block ||
            fdatasync(fd) != 0) {
            perror("write/fdatasync");
            return 1;
        }
        lat[n++] = now_ms() - t0;
    }
    double total = now_ms() - start;
    close(fd);
    unlink(path);
    qsort(lat, n, sizeof *lat, cmp);
    printf("%.0f %.3f %.3f\n", n / (total / 1000.0), lat[n / 2],
           lat[(size_t)(n * 0.99)]);
    free(lat);
    return 0;
}
