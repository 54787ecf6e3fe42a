/*
 * dl_curl: libcurl loaded on first use. remote/dl_curl.c defines the libcurl
 * functions remote/http.c calls, with <curl/curl.h>'s prototypes, each
 * forwarding to the library it dlopens once. The binary does not link
 * libcurl, so the commands that never go remote do not pay for mapping
 * it and the ~20 libraries it brings. Never includes curl.h here: the UI
 * and the CLI only need the check below.
 */
#ifndef SIGNOFF_DL_CURL_H
#define SIGNOFF_DL_CURL_H

#include "signoff/util.h"

/* Load libcurl now (once per process; thread-safe). SO_OK, or SO_ERR with
 * "remote queues need libcurl (libcurl.so.4): <why>" when it is missing.
 * Call before opening a remote queue so the user sees that sentence and
 * not a failure from inside libcurl's first call. */
enum so_status dl_curl_load(struct so_error *err);

#endif
