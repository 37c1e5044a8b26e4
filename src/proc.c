/* SPDX-License-Identifier: MIT */
/* What /proc says of a process, for the backends that learn a pid. */
#include "internal.h"

#include <stdio.h>
#include <unistd.h>

const char *ce__read_exe(ce__arena *arena, int64_t pid) {
  char path[64], target[4096];
  ssize_t n;
  if (pid <= 0)
    return "";
  snprintf(path, sizeof path, "/proc/%lld/exe", (long long)pid);
  n = readlink(path, target, sizeof target);
  return n > 0 ? ce__arena_utf8(arena, target, (size_t)n, CE__CAP_NAME) : "";
}
