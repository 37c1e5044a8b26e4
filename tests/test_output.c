/* The command's escaping: hostile record text must reach neither a JSON
 * parser nor a terminal as anything but visible, valid text. */
#ifndef _WIN32
#define _XOPEN_SOURCE 700 /* wcwidth */
#endif
#include "check.h"

#include "output.h"

#include <locale.h>
#include <stdint.h>
#ifndef _WIN32
#include <wchar.h>
#endif

static char buffer[4096];

/* Runs `write` into a memory stream and returns what it wrote. */
#define CAPTURE(call)                                                          \
  do {                                                                         \
    FILE *out = tmpfile();                                                     \
    size_t n;                                                                  \
    REQUIRE(out != NULL);                                                      \
    {                                                                          \
      FILE *stream = out;                                                      \
      call;                                                                    \
    }                                                                          \
    rewind(out);                                                               \
    n = fread(buffer, 1, sizeof buffer - 1, out);                              \
    buffer[n] = '\0';                                                          \
    fclose(out);                                                               \
  } while (0)

static void expect_json(const char *in, const char *expected) {
  CAPTURE(json_write_string(stream, in));
  CHECK_STR(buffer, expected);
}

static void expect_text(const char *in, size_t width, const char *expected) {
  CAPTURE(text_cell(stream, in, width));
  CHECK_STR(buffer, expected);
}

/*
 * The width table against the C library's wcwidth in C.UTF-8 (which
 * Debian's libc always has), for every code point: they may differ only
 * where glibc follows a newer Unicode than the table (U+3248..U+324F and
 * U+4DC0..U+4DFF became wide in Unicode 15.1 and 16) and where the command
 * escapes the character anyway.
 */
static void check_widths(void) {
#ifndef _WIN32
  long compared = 0, differ = 0;
  REQUIRE(setlocale(LC_CTYPE, "C.UTF-8") != NULL);
  for (uint32_t cp = 0x20; cp <= 0x10FFFF; cp++) {
    int theirs;
    if ((cp >= 0x7F && cp < 0xA0) || (cp >= 0xD800 && cp <= 0xDFFF))
      continue;
    theirs = wcwidth((wchar_t)cp);
    if (theirs < 0)
      continue; /* unassigned or not printable for glibc */
    compared++;
    if ((int)text_char_width(cp) != theirs && !(cp >= 0x3248 && cp <= 0x324F) &&
        !(cp >= 0x4DC0 && cp <= 0x4DFF) && !(cp >= 0x2028 && cp <= 0x202E) &&
        !(cp >= 0x2066 && cp <= 0x2069) && cp != 0x200E && cp != 0x200F &&
        cp != 0x061C) {
      if (differ++ < 10)
        fprintf(stderr, "U+%04X: width %u, glibc's wcwidth %d\n", (unsigned)cp,
                text_char_width(cp), theirs);
    }
  }
  CHECK(compared > 250000);
  CHECK_INT(differ, 0);
  setlocale(LC_CTYPE, "C");
#endif
  CHECK_INT(text_char_width('a'), 1);
  CHECK_INT(text_char_width(0x65E5), 2);  /* 日 */
  CHECK_INT(text_char_width(0xFF21), 2);  /* fullwidth A */
  CHECK_INT(text_char_width(0x1F600), 2); /* emoji */
  CHECK_INT(text_char_width(0x0301), 0);  /* combining acute */
  CHECK_INT(text_char_width(0x200B), 0);  /* zero width space */
  CHECK_INT(text_char_width(0x1160), 0);  /* Hangul medial vowel */
  CHECK_INT(text_char_width(0x0600), 1);  /* prepended concatenation mark */
  CHECK_INT(text_char_width(0x20000), 2); /* CJK Extension B */
  CHECK_INT(text_char_width(0x2FFFD), 2); /* unassigned, plane 2: wide */
  CHECK_INT(text_char_width(0x10FFFF), 1);
}

int main(void) {
  expect_json("plain", "\"plain\"");
  expect_json("q\"b\\s", "\"q\\\"b\\\\s\"");
  expect_json("a\nb\tc\rd", "\"a\\nb\\tc\\rd\"");
  expect_json("\x1b[31mred", "\"\\u001b[31mred\"");
  expect_json("del\x7f", "\"del\\u007f\"");
  expect_json("c1\xC2\x9B", "\"c1\\u009b\"");
  expect_json("ls\xE2\x80\xA8", "\"ls\\u2028\"");
  expect_json("bad\xFF", "\"bad\\ufffd\"");
  expect_json("Gr\xC3\xBC\xC3\x9F"
              "e",
              "\"Gr\xC3\xBC\xC3\x9F"
              "e\"");

  expect_text("plain", 0, "plain");
  expect_text("ab", 5, "ab   ");
  expect_text("\xC3\xBC", 3, "\xC3\xBC  ");
  expect_text("\x1b[2Jwiped", 0, "\\e[2Jwiped");
  expect_text("bell\a", 0, "bell\\x07");
  expect_text("c1\xC2\x9B", 0, "c1\\u009b");
  expect_text("bad\xFF", 0, "bad\\xff");
  /* Backslashes stay as they are: Windows paths must read as paths. */
  expect_text("C:\\Windows\\Fonts", 0, "C:\\Windows\\Fonts");

  /* Bidirectional controls and separators would reorder or break the
   * columns after them: escaped like controls. JSON escapes the
   * separators, which end lines in JavaScript, and keeps the rest. */
  expect_text("a\xE2\x80\xAE"
              "b",
              0, "a\\u202eb"); /* RLO */
  expect_text("\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD", 0,
              "\\u202a\\u202b\\u202c\\u202d"); /* LRE..LRO */
  expect_text("\xE2\x81\xA6\xE2\x81\xA7\xE2\x81\xA8\xE2\x81\xA9", 0,
              "\\u2066\\u2067\\u2068\\u2069"); /* isolates */
  expect_text("\xE2\x80\x8E\xE2\x80\x8F\xD8\x9C", 0,
              "\\u200e\\u200f\\u061c"); /* marks */
  expect_text("l\xE2\x80\xA8p\xE2\x80\xA9", 0, "l\\u2028p\\u2029");
  expect_json("r\xE2\x80\xAEl", "\"r\xE2\x80\xAEl\"");
  expect_json("p\xE2\x80\xA9", "\"p\\u2029\"");

  /* Cells are padded by display columns: CJK and emoji take two, combining
   * marks none. */
  expect_text("\xE6\x97\xA5\xE6\x9C\xAC", 6, "\xE6\x97\xA5\xE6\x9C\xAC  ");
  expect_text(
      "\xF0\x9F\x96\xA8\xF0\x9F\x98\x80", 5,
      "\xF0\x9F\x96\xA8\xF0\x9F\x98\x80  "); /* U+1F5A8 is 1, U+1F600 2 */
  expect_text("e\xCC\x81t\xC3\xA9", 4, "e\xCC\x81t\xC3\xA9 ");
  /* A cell wider than its column is cut and ends with an ellipsis, within
   * the column; a wide character that would straddle it is left out. */
  expect_text("abcdefgh", 5, "abcd\xE2\x80\xA6");
  expect_text("abcde", 5, "abcde");
  expect_text("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 5,
              "\xE6\x97\xA5\xE6\x9C\xAC\xE2\x80\xA6");
  expect_text("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 4,
              "\xE6\x97\xA5\xE2\x80\xA6 ");
  /* An escape is never cut in two. */
  expect_text("ab\x1b[2J", 4, "ab\xE2\x80\xA6 ");
  expect_text("ab\x1b", 4, "ab\\e");
  CHECK_INT(text_width("\xE6\x97\xA5"
                       "e\xCC\x81\x1b"),
            5);

  check_widths();
  return check_finish();
}
