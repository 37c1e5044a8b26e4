/* What every fuzz target asserts about text it produced. */
#ifndef CENUM_FUZZ_CHECK_H
#define CENUM_FUZZ_CHECK_H

#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Aborts (a finding) unless s[0..len) is valid UTF-8 without NUL bytes. */
static inline void fuzz_assert_utf8(const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  while (len > 0) {
    uint32_t cp;
    size_t used = ce__utf8_decode(p, len, &cp);
    int genuine_fffd =
        used == 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] == 0xBD;
    if (cp == 0 || (cp == 0xFFFD && !genuine_fffd))
      abort();
    p += used;
    len -= used;
  }
}

/* Aborts unless `s` is a string of at most `cap` bytes of valid UTF-8, as
 * every string field of a record must be. */
static inline void fuzz_check_string(const char *s, size_t cap) {
  size_t len;
  if (s == NULL)
    abort();
  len = strlen(s);
  if (len > cap)
    abort();
  fuzz_assert_utf8(s, len);
}

#endif
