/* The one UTF-8 decoder and repair function every backend and the command use.
 */
#include "internal.h"

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

size_t ce__utf8_repair(char *dst, size_t dst_size, const char *src,
                       size_t len) {
  const unsigned char *in = (const unsigned char *)src;
  size_t written = 0;

  while (len > 0) {
    uint32_t cp;
    size_t used = ce__utf8_decode(in, len, &cp);
    char encoded[4];
    size_t n;

    /* An embedded NUL would cut the C string short, so it is replaced too. */
    if (cp == 0)
      cp = 0xFFFD;
    n = ce__utf8_encode(cp, encoded);
    if (written + n >= dst_size)
      break;
    memcpy(dst + written, encoded, n);
    written += n;
    in += used;
    len -= used;
  }
  dst[written] = '\0';
  return written;
}
