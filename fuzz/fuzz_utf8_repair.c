/* ce__utf8_repair and the arena: any bytes in, valid bounded UTF-8 out. */
#include "fuzz_check.h"

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
  ce__arena_free(&arena);
  return 0;
}
