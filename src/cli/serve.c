/*
 * cmd_serve: `signoff serve` - serve a queue file over HTTP (protocol v1)
 * until SIGTERM or SIGINT, then let in-flight requests finish and exit 0.
 * Prints the access log (one line per request, never a token) on stderr.
 */
#include <openssl/crypto.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "signoff/cli/cli.h"
#include "signoff/cli/deliver.h"
#include "signoff/backends.h"
#include "signoff/json.h"
#include "signoff/server/dl_mhd.h"
#include "signoff/server/server.h"
#include "signoff/token.h"

static const char usage_text[] =
    "usage: signoff serve --queue Q [--tokens FILE] [--listen ADDR:PORT]\n"
    "                     [--threads N] [--timeout SECONDS]\n"
    "                     [--synchronous full|normal]\n"
    "                     [--tls-cert FILE --tls-key FILE]\n"
    "                     [--log-format text|json] [--allow-private-hooks]\n\n"
    "Serve the queue Q (a file or a PostgreSQL database) over HTTP\n"
    "(protocol v1, docs/protocol.md).\n\n"
    "Options:\n"
    "  -q, --queue Q           the queue file or postgresql:// URI (default:\n"
    "                          $SIGNOFF_QUEUE, the config file,\n"
    "                          $XDG_DATA_HOME/signoff/signoff.db)\n"
    "  -l, --listen ADDR:PORT  address to listen on (default 127.0.0.1:8750;\n"
    "                          port 0 picks a free port); [::1]:PORT for IPv6\n"
    "  -t, --tokens FILE       the simple mode: lines `token reviewer role`\n"
    "                          (role: reviewer, supervisor or producer); must\n"
    "                          be mode 0600; weak tokens are refused. The\n"
    "                          queue's own tokens (signoff token) are always\n"
    "                          accepted, checked on every request\n"
    "  -n, --threads N         worker threads (default 4)\n"
    "  -T, --timeout SECONDS   close connections idle or stalled this long, or\n"
    "                          whose request head takes longer in total\n"
    "                          (default 30)\n"
    "      --synchronous MODE  full (default: an acknowledged decision\n"
    "                          survives power loss) or normal (survives a\n"
    "                          crash of the server, not of the machine; faster)\n"
    "      --tls-cert FILE     serve HTTPS with this PEM certificate (chain)\n"
    "      --tls-key FILE      and this PEM private key (mode 0600)\n"
    "      --log-format F      text (default: one line per request) or json\n"
    "                          (one object per line, the same fields and the\n"
    "                          time; for log shippers). Never a token.\n"
    "      --allow-private-hooks  a supervisor may add over HTTP a hook whose\n"
    "                          URL is a private or loopback address (refused\n"
    "                          by default: the server would POST into its own\n"
    "                          network for whoever holds the token)\n"
    "  -h, --help              show this help\n"
    "      --version           show the version\n"
"Stops on SIGTERM or SIGINT after in-flight requests finish.\n";

/* A log line on stderr: the text format gets the time in front; a JSON
 * line carries its own (arg points at the server's log_json). */
static void serve_log(void *arg, const char *line)
{
    char when[32];
    if (*(const int *)arg) {
        fprintf(stderr, "%s\n", line);
        return;
    }
    so_format_time(so_now_ms(), when);
    fprintf(stderr, "%s %s\n", when, line);
}

/* "signoff: WHAT TEXT" on stderr, or as {"time","msg"} in the JSON log. */
static void serve_say(const struct server_opts *o, const char *what,
                      const char *text)
{
    if (!o->log_json) {
        fprintf(stderr, "signoff: %s %s\n", what, text);
        return;
    }
    char when[32];
    so_format_time(so_now_ms(), when);
    cJSON *j = json_new_object();
    json_add_string(j, "time", when);
    char *msg = xasprintf("signoff: %s %s", what, text);
    json_add_string(j, "msg", msg);
    free(msg);
    char *line = json_print_escaped(j, 0);
    cJSON_Delete(j);
    fprintf(stderr, "%s\n", line);
    free(line);
}

/* Split "HOST:PORT" or "[V6]:PORT" into opts (host points into buf). */
static int parse_listen(char *buf, struct server_opts *o)
{
    char *colon = strrchr(buf, ':');
    long port;
    if (!colon || so_parse_long(colon + 1, 0, 65535, &port) != 0)
        return -1;
    *colon = '\0';
    o->host = buf;
    if (buf[0] == '[' && colon > buf + 1 && colon[-1] == ']') {
        colon[-1] = '\0';
        o->host = buf + 1;
    }
    o->port = (int)port;
    return *o->host ? 0 : -1;
}

struct serve_args {
    struct cli_common common;
    const char *tokens, *listen;
    const char *tls_cert, *tls_key;
    long threads, timeout;
    int sync_normal;
    int log_json; /* --log-format json */
    int hooks_private; /* --allow-private-hooks */
};

/* The options of serve besides --queue (cli_parse): 0, or the usage
 * error's exit code for a malformed value. */
static int serve_option(int c, const char *v, void *ctx)
{
    struct serve_args *a = ctx;
    const char *want = NULL; /* what a malformed value should have been */
    switch (c) {
    case 't': a->tokens = v; break;
    case 'l': a->listen = v; break;
    case 'C': a->tls_cert = v; break;
    case 'K': a->tls_key = v; break;
    case 'L':
        if (strcmp(v, "text") != 0 && strcmp(v, "json") != 0)
            want = "--log-format: text or json";
        a->log_json = strcmp(v, "json") == 0;
        break;
    case 'P': a->hooks_private = 1; break;
    case 'n':
        if (so_parse_long(v, 1, 256, &a->threads) != 0)
            want = "--threads: a whole number from 1 to 256";
        break;
    case 'T':
        if (so_parse_long(v, 1, 3600, &a->timeout) != 0)
            want = "--timeout: seconds from 1 to 3600";
        break;
    default: /* 'S' */
        if (strcmp(v, "full") != 0 && strcmp(v, "normal") != 0)
            want = "--synchronous: full or normal";
        a->sync_normal = strcmp(v, "normal") == 0;
        break;
    }
    return want ? cli_usage_error("serve", "%s, not '%s'", want, v) : 0;
}

/* -1 to go on, else the exit code (help, version, usage errors). */
static int serve_parse(int argc, char **argv, struct serve_args *a)
{
    static const struct option longopts[] = {
        CLI_OPTION_QUEUE,
        {"tokens", required_argument, NULL, 't'},
        {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 'n'},
        {"timeout", required_argument, NULL, 'T'},
        {"synchronous", required_argument, NULL, 'S'},
        {"tls-cert", required_argument, NULL, 'C'},
        {"tls-key", required_argument, NULL, 'K'},
        {"log-format", required_argument, NULL, 'L'},
        {"allow-private-hooks", no_argument, NULL, 'P'},
        CLI_OPTION_END,
    };
    static const struct cli_cmd cmd = {"serve", usage_text, "q:t:l:n:T:",
                                       longopts, serve_option, 0};
    int rc = cli_parse(&cmd, argc, argv, &a->common, a);
    if (rc >= 0)
        return rc;
    if (!a->tls_cert != !a->tls_key)
        return cli_usage_error("serve", "--tls-cert and --tls-key go together");
    return -1;
}

/* A server with no token at all refuses every request but /healthz: say
 * so at the start, with what makes one, rather than leave the operator to
 * find out from 401s. */
static void say_if_no_tokens(const struct server_opts *o,
                             const struct server_tokens *file)
{
    if (file->n)
        return;
    struct queue_opts qo = {.readonly = 1};
    struct queue *q = cli_open_queue(o->queue_path, NULL, &qo);
    if (!q)
        return;
    struct so_token *v = NULL;
    size_t n = 0, active = 0;
    struct so_error err;
    int64_t now = so_now_ms();
    if (q->ops->token_list && q->ops->token_list(q, &v, &n, &err) == SO_OK)
        for (size_t i = 0; i < n; i++)
            active += strcmp(so_token_state(&v[i], now), "active") == 0;
    else
        active = 1; /* cannot tell: say nothing */
    for (size_t i = 0; i < n; i++)
        so_token_clear(&v[i]);
    free(v);
    queue_close(q);
    if (!active)
        serve_say(o, "no tokens:",
                  "every request but /healthz is refused (401) until "
                  "'signoff token create --reviewer NAME --role ROLE' "
                  "makes one on this queue, or --tokens names a file");
}

/* Serve until SIGTERM/SIGINT. The signals are blocked before the worker
 * threads start (they inherit the mask) and taken here with sigwait, so
 * no handler runs at all. */
static int serve_run(struct server_opts *o, struct server_tokens *tokens)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct server *srv = NULL;
    struct so_error err;
    int port = 0;
    if (dl_mhd_load(&err) != SO_OK ||
        server_start(o, tokens, &srv, &port, &err) != SO_OK) {
        fprintf(stderr, "signoff: serve: %s\n", err.msg);
        return EXIT_FAIL;
    }
    char *url = xasprintf("%s://%s%s%s:%d", o->tls_cert ? "https" : "http",
                          strchr(o->host, ':') ? "[" : "", o->host,
                          strchr(o->host, ':') ? "]" : "", port);
    serve_say(o, "listening on", url);
    free(url);
    say_if_no_tokens(o, tokens);
    struct deliverer *dl = NULL;
    if (deliver_start(o->queue_path, &dl, &err) != SO_OK)
        serve_say(o, "webhooks not delivered:", err.msg);
    int sig = 0;
    sigwait(&set, &sig);
    serve_say(o, "stopping:", "finishing requests in flight");
    deliver_stop(dl);
    server_stop(srv);
    return 0;
}

/* Read a PEM file; a private key must be readable by its owner only. */
static enum so_status pem_read(const char *path, int secret, char **out,
                               struct so_error *err)
{
    struct stat st;
    size_t len;
    if (secret && stat(path, &st) == 0 && (st.st_mode & 077))
        return so_fail(err, SO_ERR_FORBIDDEN,
                       "%s: readable by group or others; chmod 600 it", path);
    return so_read_file(path, 1u << 20, out, &len, err);
}

/* Tokens, and the TLS certificate and key when asked for. */
static int serve_files(const struct serve_args *a, struct server_tokens *t,
                       char **cert, char **key)
{
    struct so_error err;
    if ((!a->tokens || server_tokens_load(a->tokens, t, &err) == SO_OK) &&
        (!a->tls_cert || (pem_read(a->tls_cert, 0, cert, &err) == SO_OK &&
                          pem_read(a->tls_key, 1, key, &err) == SO_OK)))
        return 0;
    fprintf(stderr, "signoff: serve: %s\n", err.msg);
    return EXIT_FAIL;
}

int cmd_serve(int argc, char **argv)
{
    struct serve_args a = {.listen = "127.0.0.1:8750", .threads = 4,
                           .timeout = 30};
    int rc = serve_parse(argc, argv, &a);
    if (rc >= 0)
        return rc;
    char *spec = cli_queue_spec(a.common.queue);
    char *listen = xstrdup(a.listen);
    char *cert = NULL, *key = NULL;
    struct server_opts o = {.queue_path = spec,
                            .threads = (unsigned)a.threads,
                            .timeout_s = (unsigned)a.timeout,
                            .sync_normal = a.sync_normal,
                            .log = serve_log,
                            .log_json = a.log_json,
                            .hooks_private = a.hooks_private,
                            .hook_ping = deliver_ping};
    o.log_arg = &o.log_json;
    struct server_tokens tokens = {0};
    if (queue_is_remote(spec))
        rc = cli_usage_error("serve", "--queue must be a file, not a URL");
    else if (parse_listen(listen, &o) != 0)
        rc = cli_usage_error("serve", "--listen: expected ADDR:PORT (an "
                             "IPv4 address or [IPv6], a port 0..65535), not "
                             "'%s'", a.listen);
    else if ((rc = serve_files(&a, &tokens, &cert, &key)) == 0) {
        o.tls_cert = cert;
        o.tls_key = key;
        rc = serve_run(&o, &tokens);
    }
    server_tokens_free(&tokens);
    if (key)
        OPENSSL_cleanse(key, strlen(key));
    free(key);
    free(cert);
    free(listen);
    free(spec);
    return rc;
}
