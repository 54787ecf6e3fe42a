/*
 * dl: an optional shared library, loaded with dlopen the first time a
 * command needs it instead of by the dynamic loader at every start-up.
 * Used by dl_curl (remote queues) and dl_mhd (signoff serve). Not
 * thread-safe by itself: each user calls dl_open once under
 * pthread_once. Never prints.
 */
#ifndef SIGNOFF_DL_H
#define SIGNOFF_DL_H

#include <stddef.h>

#include "signoff/util.h"

/* One function to resolve: its symbol name and the function pointer object
 * that receives its address (e.g. &real.curl_easy_init). */
struct dl_sym {
    const char *name;
    void *slot;
};

/* An optional library. The caller fills the first four fields (static
 * strings and a static table); dl_open fills the rest. A library, once
 * loaded, stays loaded until exit. */
struct dl_lib {
    const char *need;   /* start of the error: "remote queues need libcurl" */
    const char *soname; /* what dlopen loads: "libcurl.so.4" */
    const struct dl_sym *syms;
    size_t nsyms;
    void *handle;  /* NULL until loaded */
    char why[256]; /* dlerror's text when loading failed */
};

/* Load lib->soname and resolve every symbol of lib->syms into its slot.
 * Returns 0, or -1 with lib->why set and lib->handle NULL; then the slots
 * must not be called (some may hold addresses in the unloaded library). */
int dl_open(struct dl_lib *lib);

/* The error for a library dl_open could not load, e.g. "remote queues need
 * libcurl (libcurl.so.4): libcurl.so.4: cannot open shared object file".
 * Returns SO_ERR. */
enum so_status dl_fail(const struct dl_lib *lib, struct so_error *err);

#endif
