/* SPDX-License-Identifier: MIT */
/*
 * Loads a backend's system library at first use, so a program pays only for
 * what it enumerates: one that lists fonts never maps libcups.
 */
#include "internal.h"

#include <dlfcn.h>
#include <pthread.h>

/* One lock for every library: loads are rare and short, and a single lock
 * cannot deadlock against itself across backends. */
static pthread_mutex_t loader_lock = PTHREAD_MUTEX_INITIALIZER;

static int load_locked(ce__library *library) {
  const char *tried = "";
  void *handle = NULL;

  for (const char *const *soname = library->sonames; *soname != NULL;
       soname++) {
    tried = *soname;
    /* RTLD_LOCAL keeps the library's symbols out of the global namespace, so
     * it cannot interpose on the host program's own. */
    handle = dlopen(*soname, RTLD_NOW | RTLD_LOCAL);
    if (handle != NULL)
      break;
  }
  if (handle == NULL)
    return ce__fail(CE_E_UNAVAILABLE, "%s: cannot load %s (%s)", library->label,
                    tried, dlerror());

  for (const ce__symbol *symbol = library->symbols; symbol->name != NULL;
       symbol++) {
    void *address = dlsym(handle, symbol->name);
    if (address == NULL) {
      dlclose(handle);
      return ce__fail(CE_E_UNAVAILABLE, "%s: %s lacks %s", library->label,
                      tried, symbol->name);
    }
    *symbol->slot = address;
  }
  if (library->after_load != NULL)
    library->after_load();
  library->loaded = 1;
  return CE_OK;
}

int ce__library_load(ce__library *library) {
  int status = CE_OK;
  pthread_mutex_lock(&loader_lock);
  if (!library->loaded)
    status = load_locked(library);
  pthread_mutex_unlock(&loader_lock);
  /* The library stays loaded for the life of the process: its functions may
   * be in use by another thread, and unloading libraries such as libX11 is
   * unsafe. */
  return status;
}
