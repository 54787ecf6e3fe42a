/*
 * dl_mhd: libmicrohttpd loaded on first use. server/dl_mhd.c defines the
 * libmicrohttpd functions server/server.c calls, with <microhttpd.h>'s
 * prototypes, each forwarding to the library it dlopens once. The binary
 * does not link libmicrohttpd, so every command but `signoff serve` is
 * spared mapping it and GnuTLS, nettle, gmp, p11-kit, ... Never includes
 * microhttpd.h here.
 */
#ifndef SIGNOFF_DL_MHD_H
#define SIGNOFF_DL_MHD_H

#include "signoff/util.h"

/* Load libmicrohttpd now (once per process; thread-safe). SO_OK, or SO_ERR
 * with "serving HTTP needs libmicrohttpd (libmicrohttpd.so.12): <why>".
 * Call before server_start so the user sees that sentence and not
 * "cannot listen". */
enum so_status dl_mhd_load(struct so_error *err);

#endif
