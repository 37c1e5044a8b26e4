/* SPDX-License-Identifier: MIT */
/* ce__utf8_repair and the arena: any bytes in, valid bounded UTF-8 out. */
#include "fuzz_check.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char out[512];
  ce__arena arena = CE__ARENA_INIT;
  /* The first byte picks the output room, so the cut at a character
   * boundary is exercised at every size. */
  size_t room = size > 0 ? (size_t)data[0] % sizeof out + 1 : sizeof out;
  size_t n = ce__utf8_repair(out, room, (const char *)data, size);
  const char *copy;

  if (n >= room || out[n] != '\0' || strlen(out) != n)
    abort();
  fuzz_assert_utf8(out, n);

  copy = ce__arena_utf8(&arena, (const char *)data, size, 100);
  if (copy == NULL || strlen(copy) > 100)
    abort();
  fuzz_assert_utf8(copy, strlen(copy));

  /* Valid input is exactly what the repair, given all the room it may need,
   * leaves unchanged; and the borrowing copy agrees with the repair. */
  {
    size_t full_room = CE__UTF8_REPAIR_SIZE(size);
    char *full = malloc(full_room);
    char *terminated = malloc(size + 1);
    const char *borrowed;
    size_t full_n;
    if (full == NULL || terminated == NULL)
      abort();
    full_n = ce__utf8_repair(full, full_room, (const char *)data, size);
    if (ce__utf8_valid((const char *)data, size) !=
        (full_n == size && memcmp(full, data, size) == 0))
      abort();
    memcpy(terminated, data, size);
    terminated[size] = '\0';
    borrowed = ce__arena_borrow(&arena, terminated, 100);
    if (borrowed == NULL || strlen(borrowed) >= 101)
      abort();
    fuzz_assert_utf8(borrowed, strlen(borrowed));
    free(full);
    free(terminated);
  }
  ce__arena_free(&arena);
  return 0;
}
