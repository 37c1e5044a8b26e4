/* SPDX-License-Identifier: MIT */
/* The one UTF-8 decoder and repair function every backend and the command use.
 */
#include "ce_utf8.h"

#include <string.h>

size_t ce__utf8_decode(const unsigned char *s, size_t len, uint32_t *cp) {
  unsigned char lead = s[0];
  size_t need;
  uint32_t value;
  /* The bounds of the second byte rule out overlong forms, surrogates and
   * values beyond U+10FFFF (Unicode, table 3-7). */
  unsigned char low = 0x80, high = 0xBF;

  if (lead < 0x80) {
    *cp = lead;
    return 1;
  }
  if (lead >= 0xC2 && lead <= 0xDF) {
    need = 1;
    value = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    need = 2;
    value = lead & 0x0Fu;
    if (lead == 0xE0)
      low = 0xA0;
    else if (lead == 0xED)
      high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    need = 3;
    value = lead & 0x07u;
    if (lead == 0xF0)
      low = 0x90;
    else if (lead == 0xF4)
      high = 0x8F;
  } else {
    *cp = 0xFFFD;
    return 1;
  }

  for (size_t i = 1; i <= need; i++) {
    if (i >= len || s[i] < low || s[i] > high) {
      /* The maximal subpart so far is replaced by one U+FFFD. */
      *cp = 0xFFFD;
      return i;
    }
    value = (value << 6) | (s[i] & 0x3Fu);
    low = 0x80;
    high = 0xBF;
  }
  *cp = value;
  return need + 1;
}

size_t ce__utf8_encode(uint32_t cp, char out[4]) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp >= 0xD800 && cp <= 0xDFFF)
    cp = 0xFFFD;
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  if (cp > 0x10FFFF)
    return ce__utf8_encode(0xFFFD, out);
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

int ce__utf8_well_formed(const unsigned char *s, size_t used, uint32_t cp) {
  return cp != 0xFFFD ||
         (used == 3 && s[0] == 0xEF && s[1] == 0xBF && s[2] == 0xBD);
}

int ce__utf8_valid(const char *src, size_t len) {
  const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
  const unsigned char *s = (const unsigned char *)src;
  while (len > 0) {
    uint32_t cp;
    size_t used;
    /* Eight bytes at a time while they are all ASCII other than NUL: no high
     * bit set, and no zero byte (the classic test, exact when no byte has
     * its high bit set). This check runs over every string a record
     * borrows, so it must cost little more than strlen. */
    if (len >= 8) {
      uint64_t word;
      memcpy(&word, s, 8);
      if (((word | ((word - ones) & ~word)) & highs) == 0) {
        s += 8;
        len -= 8;
        continue;
      }
    }
    if ((unsigned)*s - 1u < 0x7Fu) { /* ASCII other than NUL */
      s++;
      len--;
      continue;
    }
    used = ce__utf8_decode(s, len, &cp);
    if (cp == 0 || !ce__utf8_well_formed(s, used, cp))
      return 0;
    s += used;
    len -= used;
  }
  return 1;
}

size_t ce__utf8_repair(char *dst, size_t dst_size, const char *src,
                       size_t len) {
  static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */
  const unsigned char *in = (const unsigned char *)src;
  size_t room = dst_size - 1; /* one byte is for the terminating NUL */
  size_t written = 0;

  while (len > 0) {
    /* Most text is ASCII: a run of it is copied as it is, at once, and no
     * further than the room left. The unsigned subtraction makes NUL the
     * largest value, so it ends a run. */
    size_t run = 0, limit = len < room - written ? len : room - written;
    while (run < limit && (unsigned)in[run] - 1u < 0x7Fu)
      run++;
    if (run > 0) {
      memcpy(dst + written, in, run);
      written += run;
      in += run;
      len -= run;
      if (written == room)
        break;
      continue;
    }
    {
      uint32_t cp;
      size_t used = ce__utf8_decode(in, len, &cp);
      /* An embedded NUL would cut the C string short, so it is replaced
       * too; a well-formed sequence is copied, anything else becomes one
       * U+FFFD per maximal subpart. */
      int keep = cp != 0 && ce__utf8_well_formed(in, used, cp);
      const void *bytes = keep ? (const void *)in : (const void *)replacement;
      size_t n = keep ? used : 3;
      if (n > room - written)
        break;
      memcpy(dst + written, bytes, n);
      written += n;
      in += used;
      len -= used;
    }
  }
  dst[written] = '\0';
  return written;
}
