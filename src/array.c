/* SPDX-License-Identifier: MIT */
/* The one growing array of every backend. */
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>

int ce__grow(void **items, size_t *capacity, size_t need, size_t item_size,
             const char *backend, const char *what) {
  size_t wanted = *capacity ? *capacity : 16;
  void *grown = NULL;
  if (need <= *capacity)
    return CE_OK;
  while (wanted < need && wanted <= SIZE_MAX / 2)
    wanted *= 2;
  /* Doubling keeps the number of copies linear in the final size. */
  if (wanted >= need && (item_size == 0 || wanted <= SIZE_MAX / item_size))
    grown = realloc(*items, wanted * item_size);
  if (grown == NULL)
    return ce__fail(CE_E_NOMEM, "%s: out of memory for %zu %s", backend, need,
                    what);
  *items = grown;
  *capacity = wanted;
  return CE_OK;
}
