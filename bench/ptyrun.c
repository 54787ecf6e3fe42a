/*
 * ptyrun: run a program on a pseudo-terminal of a given size, the way a
 * reviewer's ssh session would, and measure what a person feels: the time
 * until a marker text is first drawn, the bytes written to the terminal for
 * each step, and the resident memory of the program.
 *
 *   ptyrun COLS ROWS SCRIPT -- PROGRAM ARGS...
 * SCRIPT is a sequence of steps separated by ';':
 *   wait:TEXT      read output until TEXT has appeared (10 s limit)
 *   key:X          send the bytes X (\n, \e, \t escapes allowed)
 *   mark:NAME      print "NAME ms=<since start> bytes=<since last mark>"
 *   last:NAME      print "NAME ms=<when the last output byte came>" (after
 *                  a settle: the end of the frame, not of the quiet)
 *   settle:MS      read output until MS milliseconds pass without any
 *   rss:NAME       print "NAME rss_kb=<VmRSS of the child>"
 * Exit 0 when every step ran, 1 on a timeout (the step is named).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double t0;
static char *screen; /* everything read since the last wait matched */
static size_t slen, scap;
static size_t bytes_since_mark;
static double last_byte_ms; /* since t0 */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Read what is available within timeout_ms; 0 on timeout, -1 on EOF. */
static int pump(int fd, int timeout_ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int r = poll(&p, 1, timeout_ms);
    if (r <= 0)
        return 0;
    char chunk[65536];
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n <= 0)
        return -1;
    if (slen + (size_t)n + 1 > scap) {
        scap = (slen + (size_t)n + 1) * 2;
        screen = realloc(screen, scap);
    }
    memcpy(screen + slen, chunk, (size_t)n);
    slen += (size_t)n;
    screen[slen] = '\0';
    bytes_since_mark += (size_t)n;
    last_byte_ms = now_ms() - t0;
    return 1;
}

static void unescape(const char *in, char *out)
{
    while (*in) {
        if (in[0] == '\\' && in[1] == 'x' && in[2] && in[3]) {
            char hex[3] = {in[2], in[3], '\0'};
            *out++ = (char)strtol(hex, NULL, 16);
            in += 4;
        } else if (in[0] == '\\' && in[1]) {
            char c = in[1];
            *out++ = c == 'n' ? '\r' : c == 'e' ? 27 : c == 't' ? '\t' : c;
            in += 2;
        } else {
            *out++ = *in++;
        }
    }
    *out = '\0';
}

static long rss_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb;
}

static int step(int fd, pid_t pid, char *s)
{
    char *arg = strchr(s, ':');
    if (!arg)
        return 0;
    *arg++ = '\0';
    if (strcmp(s, "wait") == 0) {
        double start = now_ms();
        while (!memmem(screen ? screen : "", slen, arg, strlen(arg))) {
            if (now_ms() - start > 10000 || pump(fd, 50) < 0) {
                fprintf(stderr, "ptyrun: timed out waiting for '%s'\n", arg);
                return -1;
            }
        }
        slen = 0;
    } else if (strcmp(s, "key") == 0) {
        char buf[256];
        unescape(arg, buf);
        slen = 0;
        if (write(fd, buf, strlen(buf)) < 0)
            return -1;
    } else if (strcmp(s, "mark") == 0) {
        printf("%s ms=%.1f bytes=%zu\n", arg, now_ms() - t0, bytes_since_mark);
        bytes_since_mark = 0;
    } else if (strcmp(s, "last") == 0) {
        printf("%s ms=%.1f\n", arg, last_byte_ms);
    } else if (strcmp(s, "settle") == 0) {
        int ms = atoi(arg);
        while (pump(fd, ms) > 0)
            ;
    } else if (strcmp(s, "rss") == 0) {
        printf("%s rss_kb=%ld\n", arg, rss_kb(pid));
    }
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 6 || strcmp(argv[4], "--") != 0) {
        fprintf(stderr, "usage: ptyrun COLS ROWS SCRIPT -- PROGRAM ARGS...\n");
        return 2;
    }
    struct winsize ws = {.ws_col = (unsigned short)atoi(argv[1]),
                         .ws_row = (unsigned short)atoi(argv[2])};
    int fd;
    t0 = now_ms();
    pid_t pid = forkpty(&fd, NULL, NULL, &ws);
    if (pid < 0) {
        perror("forkpty");
        return 1;
    }
    if (pid == 0) {
        execvp(argv[5], argv + 5);
        _exit(127);
    }
    char *script = strdup(argv[3]);
    int rc = 0;
    for (char *save, *s = strtok_r(script, ";", &save); s;
         s = strtok_r(NULL, ";", &save))
        if (step(fd, pid, s) < 0) {
            rc = 1;
            break;
        }
    kill(pid, SIGTERM);
    for (int i = 0; i < 40 && pump(fd, 50) >= 0; i++)
        ;
    waitpid(pid, NULL, 0);
    free(script);
    free(screen);
    return rc;
}
