/* SPDX-License-Identifier: MIT */
/* What /proc says of a process, for the backends that learn a pid. */
#include "internal.h"

#include <stdio.h>
#include <unistd.h>

const char *ce__read_exe_cached(ce__arena *arena, ce__exe_cache *cache,
                                int64_t pid) {
  if (pid <= 0)
    return "";
  if (cache->pid != pid) {
    char path[64];
    ssize_t n;
    snprintf(path, sizeof path, "/proc/%lld/exe", (long long)pid);
    n = readlink(path, cache->target, sizeof cache->target);
    cache->length = n > 0 ? (size_t)n : 0;
    cache->pid = pid;
  }
  return cache->length > 0
             ? ce__arena_utf8(arena, cache->target, cache->length, CE__CAP_NAME)
             : "";
}

const char *ce__read_exe(ce__arena *arena, int64_t pid) {
  ce__exe_cache cache;
  cache.pid = 0;
  return ce__read_exe_cached(arena, &cache, pid);
}
