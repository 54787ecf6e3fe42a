/*
 * ui_editor: the reviewer's editor and pipe commands, run with curses
 * suspended. Text goes through a private temporary file (mkstemp, 0600,
 * removed afterwards); vi-family editors are started with modelines off so
 * a draft cannot run editor commands. While the child runs, Ctrl-C belongs
 * to it: the UI ignores SIGINT until it returns.
 */
#define _GNU_SOURCE
#include "signoff/ui/editor.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define EDITOR_MAX_OUTPUT (1u << 20)

/* A new private temp file holding text; *path owned by the caller. */
static enum so_status temp_with(const char *text, char **path, int *fd_out,
                                struct so_error *err)
{
    const char *dir = getenv("TMPDIR");
    *path = xasprintf("%s/signoff-XXXXXX.txt", dir && *dir ? dir : "/tmp");
    int fd = mkstemps(*path, 4);
    if (fd < 0) {
        enum so_status st = so_fail(err, SO_ERR_IO, "%s: %s", *path,
                                    strerror(errno));
        free(*path);
        *path = NULL;
        return st;
    }
    fchmod(fd, 0600);
    size_t len = strlen(text), done = 0;
    while (done < len) {
        ssize_t w = write(fd, text + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            unlink(*path);
            enum so_status st = so_fail(err, SO_ERR_IO, "%s: %s", *path,
                                        strerror(errno));
            free(*path);
            *path = NULL;
            return st;
        }
        done += (size_t)w;
    }
    lseek(fd, 0, SEEK_SET);
    *fd_out = fd;
    return SO_OK;
}

/* The program the first word of cmd names, resolved along $PATH and
 * through symlinks ("vi" is often vim). Caller frees; NULL if not found. */
static char *resolve_program(const char *cmd)
{
    size_t n = strcspn(cmd, " \t");
    char *word = xstrndup(cmd, n);
    char *found = NULL;
    if (strchr(word, '/')) {
        found = realpath(word, NULL);
    } else {
        const char *path = getenv("PATH");
        char *dirs = xstrdup(path ? path : "/usr/bin:/bin");
        char *save = NULL;
        for (char *d = strtok_r(dirs, ":", &save); d && !found;
             d = strtok_r(NULL, ":", &save)) {
            char *cand = xasprintf("%s/%s", d, word);
            if (access(cand, X_OK) == 0)
                found = realpath(cand, NULL);
            free(cand);
        }
        free(dirs);
    }
    free(word);
    return found;
}

/* Options that turn modelines off for vi-family editors ("" otherwise). */
static const char *nomodeline_opts(const char *editor)
{
    char *prog = resolve_program(editor);
    const char *opts = "";
    if (prog) {
        const char *base = basename(prog);
        if (strncmp(base, "vim", 3) == 0 || strncmp(base, "nvim", 4) == 0 ||
            strncmp(base, "gvim", 4) == 0)
            opts = "--cmd 'set nomodeline' ";
        else if (strcmp(base, "vi") == 0 || strcmp(base, "nvi") == 0 ||
                 strcmp(base, "ex") == 0)
            opts = "-c 'set nomodeline' ";
    }
    free(prog);
    return opts;
}

/* Run `sh -c script sh arg` with the given stdin/stdout (-1: inherit) and
 * wait for it. Returns the exit status (128+N for signal N), -1 on error. */
static int run_shell(const char *script, const char *arg, int in, int out)
{
    struct sigaction ign, old_int;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigaction(SIGINT, &ign, &old_int);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        if (in >= 0)
            dup2(in, STDIN_FILENO);
        if (out >= 0) {
            dup2(out, STDOUT_FILENO);
            dup2(out, STDERR_FILENO);
        }
        execl("/bin/sh", "sh", "-c", script, "sh", arg, (char *)NULL);
        _exit(127);
    }
    int status = -1, ws = 0;
    while (pid > 0 && waitpid(pid, &ws, 0) < 0 && errno == EINTR)
        ;
    if (pid > 0)
        status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
    sigaction(SIGINT, &old_int, NULL);
    return status;
}

enum so_status ui_editor_edit(struct ui_app *app, const char *text,
                              char **out, struct so_error *err)
{
    const char *visual = getenv("VISUAL"), *editor = getenv("EDITOR");
    const char *ed = visual && *visual   ? visual
                     : editor && *editor ? editor
                                         : "vi";
    char *path = NULL;
    int fd = -1;
    *out = NULL;
    enum so_status st = temp_with(text, &path, &fd, err);
    if (st != SO_OK)
        return st;
    close(fd);
    char *script = xasprintf("%s %s\"$1\"", ed, nomodeline_opts(ed));
    ui_app_suspend(app);
    int status = run_shell(script, path, -1, -1);
    ui_app_resume(app);
    free(script);
    if (status != 0)
        st = so_fail(err, SO_ERR, "the editor (%s) exited with status %d",
                     ed, status);
    else
        st = so_read_file(path, SO_MAX_BODY, out, NULL, err);
    unlink(path);
    free(path);
    return st;
}

/* Read what the command wrote (fd at its end), at most the limit. */
static char *read_back(int fd)
{
    struct buf b;
    buf_init(&b);
    lseek(fd, 0, SEEK_SET);
    char chunk[8192];
    ssize_t r;
    while (b.len < EDITOR_MAX_OUTPUT &&
           ((r = read(fd, chunk, sizeof chunk)) > 0 ||
            (r < 0 && errno == EINTR)))
        if (r > 0)
            buf_add(&b, chunk, (size_t)r);
    char *out = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return out;
}

enum so_status ui_editor_pipe(struct ui_app *app, const char *text,
                              const char *command, char **output,
                              int *status, struct so_error *err)
{
    char *in_path = NULL, *out_path = NULL;
    int in = -1, out = -1;
    *output = NULL;
    enum so_status st = temp_with(text, &in_path, &in, err);
    if (st == SO_OK)
        st = temp_with("", &out_path, &out, err);
    if (st == SO_OK) {
        ui_app_suspend(app);
        *status = run_shell(command, "", in, out);
        ui_app_resume(app);
        *output = read_back(out);
    }
    if (in >= 0) {
        close(in);
        unlink(in_path);
    }
    if (out >= 0) {
        close(out);
        unlink(out_path);
    }
    free(in_path);
    free(out_path);
    return st;
}
