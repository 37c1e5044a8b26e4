/* SPDX-License-Identifier: MIT */
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
 * Writes `text` for a terminal: a control character (C0, DEL, C1) or a byte
 * that is not UTF-8 is shown as a visible escape (\e, \x9b, ...), so a record
 * can never move the cursor or change colours. Pads with spaces to `width`
 * characters when the text is shorter (0: no padding). Returns the characters
 * written.
 */
size_t text_write(FILE *out, const char *text, size_t width);

#endif
