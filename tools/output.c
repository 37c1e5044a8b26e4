/* JSON and terminal escaping for the cenum command. */
#include "output.h"

#include "ce_utf8.h" /* the library's own UTF-8 rule, compiled in */
#include "width_table.h"

#include <inttypes.h>
#include <stdint.h>
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

/* ------------------------------------------------------------- terminal -- */

/*
 * Characters a terminal acts on rather than shows: the C0 and C1 controls,
 * the bidirectional formatting characters (marks, embeddings, overrides and
 * isolates, which reorder the text after them, even in later columns) and
 * the line and paragraph separators.
 */
static bool acts_on_terminal(uint32_t cp) {
  return is_control(cp) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
         cp == 0x2028 || cp == 0x2029;
}

static bool in_ranges(const ce_width_range *ranges, size_t count, uint32_t cp) {
  size_t low = 0, high = count;
  while (low < high) {
    size_t middle = low + (high - low) / 2;
    if (cp < ranges[middle].first)
      high = middle;
    else if (cp > ranges[middle].last)
      low = middle + 1;
    else
      return true;
  }
  return false;
}

unsigned text_char_width(uint32_t cp) {
  if (in_ranges(zero_width, sizeof zero_width / sizeof zero_width[0], cp))
    return 0;
  if (in_ranges(double_width, sizeof double_width / sizeof double_width[0], cp))
    return 2;
  return 1;
}

/* One unit of a cell as the terminal gets it: a character's own bytes, or
 * the visible escape that stands for it. */
typedef struct unit {
  const unsigned char *bytes;
  size_t length;  /* of `bytes`, or of `escape` when bytes is NULL */
  size_t used;    /* input bytes it stands for */
  size_t columns; /* on the terminal */
  char escape[32];
} unit;

static void next_unit(const unsigned char *s, size_t len, unit *u) {
  uint32_t cp;
  bool valid;
  u->used = next_char(s, len, &cp, &valid);
  u->bytes = NULL;
  u->escape[0] = '\0';
  if (!valid) {
    for (size_t i = 0; i < u->used && i < 4; i++)
      snprintf(u->escape + 4 * i, sizeof u->escape - 4 * i, "\\x%02x", s[i]);
  } else if (cp == 0x1B) {
    snprintf(u->escape, sizeof u->escape, "\\e");
  } else if (cp < 0x80 && is_control(cp)) {
    snprintf(u->escape, sizeof u->escape, "\\x%02" PRIx32, cp);
  } else if (acts_on_terminal(cp)) {
    /* C1 controls and the rest are characters, not stray bytes: \u0085,
     * not \x85. */
    snprintf(u->escape, sizeof u->escape, "\\u%04" PRIx32, cp);
  } else {
    u->bytes = s;
    u->length = u->used;
    u->columns = text_char_width(cp);
    return;
  }
  u->length = strlen(u->escape);
  u->columns = u->length;
}

static void put_unit(FILE *out, const unit *u) {
  if (u->bytes != NULL)
    fwrite(u->bytes, 1, u->length, out);
  else
    fputs(u->escape, out);
}

size_t text_width(const char *text) {
  const unsigned char *s = (const unsigned char *)text;
  size_t len = strlen(text), columns = 0;
  while (len > 0) {
    unit u;
    next_unit(s, len, &u);
    columns += u.columns;
    s += u.used;
    len -= u.used;
  }
  return columns;
}

size_t text_cell(FILE *out, const char *text, size_t width) {
  const unsigned char *s = (const unsigned char *)text;
  size_t len = strlen(text), written = 0;
  /* Room for the text itself: all of it when it fits, else one column
   * less, for the ellipsis. */
  size_t room = width == 0 || text_width(text) <= width ? SIZE_MAX : width - 1;

  while (len > 0) {
    unit u;
    next_unit(s, len, &u);
    if (written + u.columns > room)
      break;
    put_unit(out, &u);
    written += u.columns;
    s += u.used;
    len -= u.used;
  }
  if (len > 0) {
    fputs("\xE2\x80\xA6", out); /* U+2026 HORIZONTAL ELLIPSIS */
    written++;
  }
  for (; written < width; written++)
    fputc(' ', out);
  return written;
}
