/* SPDX-License-Identifier: MIT */
/* What every backend does after building a record: the callback's answer
 * becomes the enumeration's status, and the record's strings are released. */
#include "internal.h"

int ce__delivered(int built, ce_next next, ce__arena *arena) {
  ce__arena_reset(arena);
  if (built == CE__SKIP)
    return CE_OK;
  if (built != CE_OK)
    return built;
  return next == CE_STOP ? CE_STOPPED : CE_OK;
}
