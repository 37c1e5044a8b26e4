/* SPDX-License-Identifier: MIT */
/*
 * The Xauthority file's format, read without libXau: libXau's
 * XauGetBestAuthByAddr finds the file through XauFileName, whose static
 * buffer makes it unsafe for two threads at once (and cenum's callers may
 * enumerate from many). The file is a sequence of entries, each five
 * counted strings with big-endian 16-bit lengths: family (a 16-bit number
 * instead of a string), address, display number, authorisation name, data.
 * Pure, on the file's bytes: the fuzzer calls it too.
 */
#include "ce_x11.h"

#include <string.h>

/* The next counted string at `*at`, or 0 when the bytes end first. */
static int counted(const unsigned char **at, const unsigned char *end,
                   const unsigned char **bytes, size_t *len) {
  if (end - *at < 2)
    return 0;
  *len = (size_t)(*at)[0] << 8 | (*at)[1];
  *at += 2;
  if ((size_t)(end - *at) < *len)
    return 0;
  *bytes = *at;
  *at += *len;
  return 1;
}

static int same(const unsigned char *a, size_t a_len, const void *b,
                size_t b_len) {
  return a_len == b_len && memcmp(a, b, a_len) == 0;
}

int ce__x11_find_cookie(const void *file, size_t length, unsigned family,
                        const void *address, size_t address_len,
                        const char *number, const unsigned char **data,
                        size_t *data_len) {
  static const char cookie[] = "MIT-MAGIC-COOKIE-1";
  const unsigned char *at = file, *end = at + length;
  while (end - at >= 2) {
    unsigned entry_family = (unsigned)at[0] << 8 | at[1];
    const unsigned char *addr, *num, *name, *value;
    size_t addr_len, num_len, name_len, value_len;
    at += 2;
    if (!counted(&at, end, &addr, &addr_len) ||
        !counted(&at, end, &num, &num_len) ||
        !counted(&at, end, &name, &name_len) ||
        !counted(&at, end, &value, &value_len))
      return 0;
    /* As libXau matches: the wildcard family, or the same family and
     * address; an empty number matches every display. The first match in
     * the file wins. */
    if ((entry_family == CE_X11_FAMILY_WILD ||
         (entry_family == family &&
          same(addr, addr_len, address, address_len))) &&
        (num_len == 0 || same(num, num_len, number, strlen(number))) &&
        same(name, name_len, cookie, sizeof cookie - 1)) {
      *data = value;
      *data_len = value_len;
      return 1;
    }
  }
  return 0;
}
