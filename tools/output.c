/* SPDX-License-Identifier: MIT */
/* JSON and terminal escaping for the cenum command. */
#include "output.h"

#include "ce_utf8.h" /* the library's own UTF-8 rule, compiled in */

#include <inttypes.h>
#include <string.h>

/* Decodes one character; *valid is false for bytes that are not UTF-8 (the
 * decoder gives U+FFFD for those, which a real U+FFFD also decodes to). */
static size_t next_char(const unsigned char *s, size_t len, uint32_t *cp,
                        bool *valid) {
  size_t used = ce__utf8_decode(s, len, cp);
  *valid = ce__utf8_well_formed(s, used, *cp) != 0;
  return used;
}

static bool is_control(uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

void json_write_string(FILE *out, const char *text) {
  const unsigned char *s = (const unsigned char *)text;
  size_t len = strlen(text);

  fputc('"', out);
  while (len > 0) {
    uint32_t cp;
    bool valid;
    size_t used;
    /* Printable ASCII that needs no escape goes out in one run. */
    size_t run = 0;
    while (run < len && s[run] >= 0x20 && s[run] < 0x7F && s[run] != '"' &&
           s[run] != '\\')
      run++;
    if (run > 0) {
      fwrite(s, 1, run, out);
      s += run;
      len -= run;
      continue;
    }

    used = next_char(s, len, &cp, &valid);
    if (!valid)
      fputs("\\ufffd", out);
    else if (cp == '"')
      fputs("\\\"", out);
    else if (cp == '\\')
      fputs("\\\\", out);
    else if (cp == '\n')
      fputs("\\n", out);
    else if (cp == '\t')
      fputs("\\t", out);
    else if (cp == '\r')
      fputs("\\r", out);
    /* Line and paragraph separators are valid JSON but end lines in
     * JavaScript and some viewers, which would split a JSON Line. */
    else if (is_control(cp) || cp == 0x2028 || cp == 0x2029)
      fprintf(out, "\\u%04" PRIx32, cp);
    else
      fwrite(s, 1, used, out);
    s += used;
    len -= used;
  }
  fputc('"', out);
}

static void json_key(json_line *line, const char *key) {
  if (!line->first)
    fputc(',', line->out);
  line->first = false;
  json_write_string(line->out, key);
  fputc(':', line->out);
}

void json_begin(json_line *line, FILE *out) {
  line->out = out;
  line->first = true;
  fputc('{', out);
}

void json_string(json_line *line, const char *key, const char *value) {
  json_key(line, key);
  json_write_string(line->out, value);
}

void json_int(json_line *line, const char *key, int64_t value) {
  json_key(line, key);
  fprintf(line->out, "%" PRId64, value);
}

void json_null(json_line *line, const char *key) {
  json_key(line, key);
  fputs("null", line->out);
}

void json_bool(json_line *line, const char *key, bool value) {
  json_key(line, key);
  fputs(value ? "true" : "false", line->out);
}

void json_string_array(json_line *line, const char *key,
                       const char *const *values, size_t count) {
  json_key(line, key);
  fputc('[', line->out);
  for (size_t i = 0; i < count; i++) {
    if (i > 0)
      fputc(',', line->out);
    json_write_string(line->out, values[i]);
  }
  fputc(']', line->out);
}

void json_end(json_line *line) { fputs("}\n", line->out); }

size_t text_write(FILE *out, const char *text, size_t width) {
  const unsigned char *s = (const unsigned char *)text;
  size_t len = strlen(text);
  size_t written = 0;

  while (len > 0) {
    uint32_t cp;
    bool valid;
    size_t used = next_char(s, len, &cp, &valid);

    if (!valid) {
      for (size_t i = 0; i < used; i++)
        written += (size_t)fprintf(out, "\\x%02x", s[i]);
    } else if (cp == 0x1B) {
      written += (size_t)fprintf(out, "\\e");
    } else if (is_control(cp)) {
      /* C1 controls are characters, not stray bytes: \u0085, not \x85. */
      written += (size_t)fprintf(
          out, cp < 0x80 ? "\\x%02" PRIx32 : "\\u%04" PRIx32, cp);
    } else {
      fwrite(s, 1, used, out);
      written++;
    }
    s += used;
    len -= used;
  }
  for (; written < width; written++)
    fputc(' ', out);
  return written;
}
