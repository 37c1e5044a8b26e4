/* SPDX-License-Identifier: MIT */
/* The command's escaping: hostile record text must reach neither a JSON
 * parser nor a terminal as anything but visible, valid text. */
#include "check.h"

#include "output.h"

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
  CAPTURE(text_write(stream, in, width));
  CHECK_STR(buffer, expected);
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
  return check_finish();
}
