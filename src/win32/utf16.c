/* SPDX-License-Identifier: MIT */
/*
 * The Win32 backend's one UTF-16 to UTF-8 conversion, and its inverse for
 * the strings a caller gives. Plain C on 16-bit units, without <windows.h>,
 * so that the fuzzer builds it on any system (fuzz/fuzz_utf16.c).
 */
#include "ce_utf16.h"

/* The next code point of src[*i..len), advancing *i; an unpaired surrogate
 * or a NUL gives U+FFFD. */
static uint32_t next_code_point(const uint16_t *src, size_t len, size_t *i) {
  uint32_t unit = (uint32_t)src[(*i)++];
  if (unit == 0)
    return 0xFFFDu;
  if (unit >= 0xD800u && unit <= 0xDBFFu && *i < len) {
    uint32_t low = (uint32_t)src[*i];
    if (low >= 0xDC00u && low <= 0xDFFFu) {
      (*i)++;
      return 0x10000u + ((unit - 0xD800u) << 10) + (low - 0xDC00u);
    }
  }
  if (unit >= 0xD800u && unit <= 0xDFFFu)
    return 0xFFFDu;
  return unit;
}

const char *ce__win32_utf8(ce__arena *arena, const uint16_t *src, size_t len,
                           size_t cap) {
  char *dst;
  size_t room, used = 0, i = 0;

  if (src == NULL)
    return "";
  if (len == CE_WIN32_NUL) {
    /* Every unit gives at least one byte: no need to look past the cap. */
    len = 0;
    while (len < cap && src[len] != 0)
      len++;
  }
  if (len == 0)
    return "";
  /* A unit gives at most three bytes (a pair gives four for two units). */
  room = len <= cap / 3 ? len * 3 + 1 : cap + 1;
  dst = ce__arena_alloc(arena, room);
  if (dst == NULL)
    return NULL;
  while (i < len) {
    char bytes[4];
    size_t n = ce__utf8_encode(next_code_point(src, len, &i), bytes);
    if (used + n > room - 1)
      break;
    for (size_t k = 0; k < n; k++)
      dst[used++] = bytes[k];
  }
  dst[used] = '\0';
  return dst;
}

int ce__win32_utf16(uint16_t *dst, size_t dst_len, const char *src) {
  const unsigned char *s = (const unsigned char *)src;
  size_t len = 0, used = 0, i = 0;

  while (s[len] != 0)
    len++;
  while (i < len) {
    uint32_t cp;
    i += ce__utf8_decode(s + i, len - i, &cp);
    if (cp >= 0x10000u) {
      if (used + 2 >= dst_len)
        return 0;
      cp -= 0x10000u;
      dst[used++] = (uint16_t)(0xD800u + (cp >> 10));
      dst[used++] = (uint16_t)(0xDC00u + (cp & 0x3FFu));
    } else {
      if (used + 1 >= dst_len)
        return 0;
      dst[used++] = (uint16_t)cp;
    }
  }
  if (used >= dst_len)
    return 0;
  dst[used] = 0;
  return 1;
}
