/* How the cenum command writes records: JSON Lines or a readable table. */
#ifndef CENUM_TOOLS_OUTPUT_H
#define CENUM_TOOLS_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* One JSON object on one line: json_begin, fields, json_end. */
typedef struct json_line {
  FILE *out;
  bool first;
} json_line;

void json_begin(json_line *line, FILE *out);
void json_string(json_line *line, const char *key, const char *value);
void json_int(json_line *line, const char *key, int64_t value);
void json_null(json_line *line, const char *key);
void json_bool(json_line *line, const char *key, bool value);
void json_string_array(json_line *line, const char *key,
                       const char *const *values, size_t count);
void json_end(json_line *line);

/* Writes `text` as a JSON string, quotes included: control characters are
 * escaped and bytes that are not UTF-8 become \ufffd. */
void json_write_string(FILE *out, const char *text);

/*
 * Writes `text` as one cell of a table on a terminal. A character the
 * terminal would act on rather than show is written as a visible escape: a
 * control character (C0, DEL, C1: \e, \x07, \u009b), a bidirectional
 * formatting character (U+061C, U+200E, U+200F, U+202A..U+202E,
 * U+2066..U+2069) or a line or paragraph separator (U+2028, U+2029); a byte
 * that is not UTF-8 as \xff. So a record can never move the cursor, change
 * colours or reorder the columns after it.
 *
 * With `width` 0 the text is written whole. Otherwise the cell takes exactly
 * `width` terminal columns: padded with spaces, or cut and ended with "…"
 * when it is wider (an escape is never cut). Returns the columns written.
 */
size_t text_cell(FILE *out, const char *text, size_t width);

/* The columns text_cell takes for the whole of `text`. */
size_t text_width(const char *text);

/* The columns a terminal gives code point `cp` that text_cell writes as it
 * is: 0 for combining marks and format characters, 2 for East Asian wide
 * and fullwidth characters (emoji among them), else 1 (see
 * tools/gen-width-table.py). */
unsigned text_char_width(uint32_t cp);

#endif
