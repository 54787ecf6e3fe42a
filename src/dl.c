/*
 * dl: load an optional shared library on first use (see dl.h). RTLD_NOW so
 * a library missing a function fails here, with the function's name, and
 * not later in the middle of a request; RTLD_LOCAL so its symbols do not
 * leak into the global scope. Never prints.
 */
#include "signoff/dl.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

/* POSIX lets dlsym's object pointer hold a function address; the copy
 * below relies on the two having one size. */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)),
               "function pointers must fit in void *");

static void set_why(struct dl_lib *lib, const char *what)
{
    snprintf(lib->why, sizeof lib->why, "%s", what ? what : "unknown error");
}

int dl_open(struct dl_lib *lib)
{
    void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        set_why(lib, dlerror());
        return -1;
    }
    for (size_t i = 0; i < lib->nsyms; i++) {
        dlerror();
        void *addr = dlsym(h, lib->syms[i].name);
        if (!addr) {
            const char *e = dlerror();
            set_why(lib, e ? e : lib->syms[i].name);
            dlclose(h);
            return -1;
        }
        memcpy(lib->syms[i].slot, &addr, sizeof addr);
    }
    lib->handle = h;
    return 0;
}

enum so_status dl_fail(const struct dl_lib *lib, struct so_error *err)
{
    return so_fail(err, SO_ERR, "%s (%s): %s", lib->need, lib->soname,
                   lib->why[0] ? lib->why : "not loaded");
}
