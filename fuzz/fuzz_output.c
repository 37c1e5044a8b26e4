/*
 * The command's escaping. JSON: the output is one JSON string that a strict
 * parser accepts, with no raw control byte. Text: no control character, no
 * bidirectional formatting character, no line or paragraph separator and no
 * invalid UTF-8 reaches the terminal, and a cell takes exactly its width.
 */
#include "fuzz_check.h"
#include "output.h"

#include <stdio.h>
#include <string.h>

/* A strict JSON string check: quotes, escapes, no raw byte below 0x20. */
static void assert_json_string(const char *s, size_t len) {
  size_t i = 1;
  if (len < 2 || s[0] != '"' || s[len - 1] != '"')
    abort();
  while (i < len - 1) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x20 || c == 0x7F)
      abort();
    if (c == '"')
      abort(); /* an unescaped quote would end the string early */
    if (c == '\\') {
      char e = s[i + 1];
      if (e == 'u') {
        for (int k = 2; k < 6; k++)
          if (i + (size_t)k >= len - 1 || !strchr("0123456789abcdef", s[i + k]))
            abort();
        i += 6;
        continue;
      }
      if (!strchr("\"\\/bfnrt", e) || i + 1 >= len - 1)
        abort();
      i += 2;
      continue;
    }
    i++;
  }
  fuzz_assert_utf8(s, len);
}

static void assert_terminal_safe(const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  fuzz_assert_utf8(s, len);
  while (len > 0) {
    uint32_t cp;
    size_t used = ce__utf8_decode(p, len, &cp);
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C ||
        cp == 0x200E || cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) ||
        (cp >= 0x2066 && cp <= 0x2069))
      abort();
    p += used;
    len -= used;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char input[4096];
  char *buffer = NULL;
  size_t length = 0;
  FILE *out;

  /* Records are C strings: the input up to its first NUL. */
  if (size >= sizeof input)
    size = sizeof input - 1;
  memcpy(input, data, size);
  input[size] = '\0';

  out = open_memstream(&buffer, &length);
  json_write_string(out, input);
  fclose(out);
  assert_json_string(buffer, length);
  free(buffer);

  out = open_memstream(&buffer, &length);
  text_cell(out, input, 0);
  fclose(out);
  assert_terminal_safe(buffer, length);
  free(buffer);

  /* A cell of the table: exactly its width, cut or padded. */
  {
    size_t width = 1 + (size > 0 ? data[0] % 40 : 0);
    out = open_memstream(&buffer, &length);
    if (text_cell(out, input, width) != width)
      abort();
    fclose(out);
    assert_terminal_safe(buffer, length);
    if (text_width(buffer) != width)
      abort();
    free(buffer);
  }
  return 0;
}
