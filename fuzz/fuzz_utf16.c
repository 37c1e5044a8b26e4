/* SPDX-License-Identifier: MIT */
/*
 * The Win32 backend's UTF-16 conversion (src/win32/utf16.c), built natively:
 * any 16-bit units in, valid UTF-8 within its cap out; and UTF-8 it made
 * comes back the same through the other direction.
 *
 * Input: byte 0 picks the cap, byte 1 whether the units are read up to
 * their NUL (CE_WIN32_NUL); the rest are little-endian 16-bit units.
 */
#include "fuzz_check.h"
#include "win32/ce_utf16.h"

#include <stdlib.h>
#include <string.h>

#define MAX_UNITS 8192

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static uint16_t units[MAX_UNITS + 1], back[3 * MAX_UNITS + 1];
  ce__arena arena = CE__ARENA_INIT;
  size_t n, cap, len;
  const char *out, *again;
  int nul_terminated;

  if (size < 2)
    return 0;
  cap = data[0] == 0xFF ? CE__CAP_TITLE : (size_t)data[0];
  nul_terminated = data[1] & 1;
  n = (size - 2) / 2;
  if (n > MAX_UNITS)
    n = MAX_UNITS;
  for (size_t i = 0; i < n; i++)
    units[i] = (uint16_t)(data[2 + 2 * i] | data[3 + 2 * i] << 8);
  units[n] = 0;

  out = ce__win32_utf8(&arena, units, nul_terminated ? CE_WIN32_NUL : n, cap);
  fuzz_check_string(out, cap);
  len = strlen(out);
  if (ce__win32_utf8(&arena, NULL, n, cap) == NULL)
    abort();

  /* Back to UTF-16 and again to UTF-8: the same text (it is valid UTF-8,
   * and each code point takes no more UTF-8 than before). */
  if (!ce__win32_utf16(back, sizeof back / sizeof back[0], out))
    abort();
  again = ce__win32_utf8(&arena, back, CE_WIN32_NUL, CE__CAP_TITLE);
  if (again == NULL || strcmp(again, out) != 0)
    abort();

  /* A destination too small fails cleanly and writes inside its room. */
  if (len > 0) {
    uint16_t small[4];
    int fits = ce__win32_utf16(small, sizeof small / sizeof small[0], out);
    if (fits && small[3] != 0 && small[2] != 0 && small[1] != 0 &&
        small[0] != 0)
      abort();
  }
  ce__arena_free(&arena);
  return 0;
}
