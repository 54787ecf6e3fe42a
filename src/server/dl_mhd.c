/*
 * dl_mhd: the libmicrohttpd functions signoff calls, defined here and
 * forwarded to libmicrohttpd dlopened on first use (see dl_mhd.h for why).
 * A function of libmicrohttpd that server/server.c starts to call must be added
 * to MHD_FUNCS and given a forwarder below, or the binary links
 * libmicrohttpd again (the Makefile links it as-needed;
 * tests/cli/lazy_libs.sh then fails).
 *
 * The variadic MHD_start_daemon forwards its option list whole to
 * MHD_start_daemon_va, so every option works without this file knowing
 * its type. Must not do anything but forward: no policy lives here.
 */
#include "signoff/server/dl_mhd.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>

#include "signoff/dl.h"

/* The soname the build's -lmicrohttpd resolves to (the Makefile reads it
 * from the library); libmicrohttpd.so.12 is the 0.9 series' ABI. */
#ifndef SIGNOFF_LIBMHD_SONAME
#define SIGNOFF_LIBMHD_SONAME "libmicrohttpd.so.12"
#endif

/* X(return type, name, parameters): every libmicrohttpd function used. */
#define MHD_FUNCS(X)                                                           \
    X(struct MHD_Daemon *, MHD_start_daemon_va,                                \
      (unsigned int, uint16_t, MHD_AcceptPolicyCallback, void *,               \
       MHD_AccessHandlerCallback, void *, va_list))                            \
    X(void, MHD_stop_daemon, (struct MHD_Daemon *))                            \
    X(MHD_socket, MHD_quiesce_daemon, (struct MHD_Daemon *))                   \
    X(const union MHD_DaemonInfo *, MHD_get_daemon_info,                       \
      (struct MHD_Daemon *, enum MHD_DaemonInfoType, ...))                     \
    X(const union MHD_ConnectionInfo *, MHD_get_connection_info,              \
      (struct MHD_Connection *, enum MHD_ConnectionInfoType, ...))             \
    X(int, MHD_get_connection_values,                                          \
      (struct MHD_Connection *, enum MHD_ValueKind, MHD_KeyValueIterator,      \
       void *))                                                                \
    X(size_t, MHD_http_unescape, (char *))                                     \
    X(const char *, MHD_lookup_connection_value,                               \
      (struct MHD_Connection *, enum MHD_ValueKind, const char *))             \
    X(enum MHD_Result, MHD_queue_response,                                     \
      (struct MHD_Connection *, unsigned int, struct MHD_Response *))          \
    X(struct MHD_Response *, MHD_create_response_from_buffer,                  \
      (size_t, void *, enum MHD_ResponseMemoryMode))                           \
    X(void, MHD_destroy_response, (struct MHD_Response *))                     \
    X(enum MHD_Result, MHD_add_response_header,                                \
      (struct MHD_Response *, const char *, const char *))                     \
    X(void, MHD_suspend_connection, (struct MHD_Connection *))                 \
    X(void, MHD_resume_connection, (struct MHD_Connection *))

/* The library's functions; set once by dl_open, read-only after. */
static struct {
#define MHD_X_FIELD(ret, name, params) ret(*name) params;
    MHD_FUNCS(MHD_X_FIELD)
#undef MHD_X_FIELD
} real;

static const struct dl_sym mhd_syms[] = {
#define MHD_X_SYM(ret, name, params) {#name, &real.name},
    MHD_FUNCS(MHD_X_SYM)
#undef MHD_X_SYM
};

static struct dl_lib mhd_lib = {
    .need = "serving HTTP needs libmicrohttpd",
    .soname = SIGNOFF_LIBMHD_SONAME,
    .syms = mhd_syms,
    .nsyms = sizeof mhd_syms / sizeof mhd_syms[0],
};

static pthread_once_t mhd_once = PTHREAD_ONCE_INIT;

static void mhd_load(void)
{
    dl_open(&mhd_lib);
}

/* 1 once the library is loaded (pthread_once also publishes `real`). */
static int ready(void)
{
    pthread_once(&mhd_once, mhd_load);
    return mhd_lib.handle != NULL;
}

enum so_status dl_mhd_load(struct so_error *err)
{
    return ready() ? SO_OK : dl_fail(&mhd_lib, err);
}

/* ---- the forwarders: <microhttpd.h> documents each. Without the library
 * they fail (NULL, MHD_NO); only MHD_start_daemon can be reached then, as
 * every other call takes an object it made. ---- */

/* MHD_start_daemon: the options, type-value pairs up to MHD_OPTION_END,
 * go to MHD_start_daemon_va as they are. */
struct MHD_Daemon *MHD_start_daemon(unsigned int flags, uint16_t port,
                                    MHD_AcceptPolicyCallback apc, void *apc_cls,
                                    MHD_AccessHandlerCallback dh, void *dh_cls,
                                    ...)
{
    if (!ready())
        return NULL;
    va_list ap;
    va_start(ap, dh_cls);
    struct MHD_Daemon *d =
        real.MHD_start_daemon_va(flags, port, apc, apc_cls, dh, dh_cls, ap);
    va_end(ap);
    return d;
}

/* MHD_stop_daemon: stop the threads and free the daemon. */
void MHD_stop_daemon(struct MHD_Daemon *daemon)
{
    if (ready())
        real.MHD_stop_daemon(daemon);
}

/* MHD_quiesce_daemon: stop accepting; the listen socket is the caller's. */
MHD_socket MHD_quiesce_daemon(struct MHD_Daemon *daemon)
{
    return ready() ? real.MHD_quiesce_daemon(daemon) : MHD_INVALID_SOCKET;
}

/* MHD_get_daemon_info: no MHD_DaemonInfoType of the 0.9 series takes an
 * argument after the type (the library never reads one), so none is
 * passed on. */
const union MHD_DaemonInfo *
MHD_get_daemon_info(struct MHD_Daemon *daemon,
                    enum MHD_DaemonInfoType info_type, ...)
{
    return ready() ? real.MHD_get_daemon_info(daemon, info_type) : NULL;
}

/* MHD_get_connection_info: the types signoff asks for (client address,
 * socket, socket context) take no argument after the type, so none is
 * passed on. */
const union MHD_ConnectionInfo *
MHD_get_connection_info(struct MHD_Connection *connection,
                        enum MHD_ConnectionInfoType info_type, ...)
{
    return ready() ? real.MHD_get_connection_info(connection, info_type)
                   : NULL;
}

/* MHD_get_connection_values: call iterator on each value of kind. */
int MHD_get_connection_values(struct MHD_Connection *connection,
                              enum MHD_ValueKind kind,
                              MHD_KeyValueIterator iterator,
                              void *iterator_cls)
{
    return ready() ? real.MHD_get_connection_values(connection, kind, iterator,
                                                    iterator_cls)
                   : -1;
}

/* MHD_http_unescape: decode %XX in place, return the new length. */
size_t MHD_http_unescape(char *val)
{
    return ready() ? real.MHD_http_unescape(val) : 0;
}

/* MHD_lookup_connection_value: one header or argument of the request. */
const char *MHD_lookup_connection_value(struct MHD_Connection *connection,
                                        enum MHD_ValueKind kind,
                                        const char *key)
{
    return ready() ? real.MHD_lookup_connection_value(connection, kind, key)
                   : NULL;
}

/* MHD_queue_response: send the response with this status. */
enum MHD_Result MHD_queue_response(struct MHD_Connection *connection,
                                   unsigned int status_code,
                                   struct MHD_Response *response)
{
    return ready() ? real.MHD_queue_response(connection, status_code, response)
                   : MHD_NO;
}

/* MHD_create_response_from_buffer: a response over a body buffer. */
struct MHD_Response *
MHD_create_response_from_buffer(size_t size, void *buffer,
                                enum MHD_ResponseMemoryMode mode)
{
    return ready() ? real.MHD_create_response_from_buffer(size, buffer, mode)
                   : NULL;
}

/* MHD_destroy_response: drop the caller's reference. */
void MHD_destroy_response(struct MHD_Response *response)
{
    if (ready())
        real.MHD_destroy_response(response);
}

/* MHD_add_response_header: one header line of the response. */
enum MHD_Result MHD_add_response_header(struct MHD_Response *response,
                                        const char *header, const char *content)
{
    return ready() ? real.MHD_add_response_header(response, header, content)
                   : MHD_NO;
}

/* MHD_suspend_connection: stop polling the connection until resumed. */
void MHD_suspend_connection(struct MHD_Connection *connection)
{
    if (ready())
        real.MHD_suspend_connection(connection);
}

/* MHD_resume_connection: poll it again; the access handler runs again. */
void MHD_resume_connection(struct MHD_Connection *connection)
{
    if (ready())
        real.MHD_resume_connection(connection);
}
