/* SPDX-License-Identifier: MIT */
/*
 * The shared core: the status table, the version, the one UTF-8 repair, the
 * record arena and the checks every ce_enum_* makes before its backend runs.
 */
#include "check.h"

#include "internal.h"

#include <cenum.h>

static void test_status_table(void) {
  static const int codes[] = {CE_OK,
                              CE_STOPPED,
                              CE_E_INVALID,
                              CE_E_UNSUPPORTED,
                              CE_E_UNAVAILABLE,
                              CE_E_TIMEOUT,
                              CE_E_CANCELLED,
                              CE_E_NOMEM,
                              CE_E_BACKEND};
  CHECK(CE_STOPPED > 0);
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
    CHECK(codes[i] == CE_OK || codes[i] == CE_STOPPED || codes[i] < 0);
    CHECK(strcmp(ce_strerror(codes[i]), "unknown status") != 0);
    CHECK(strncmp(ce_status_name(codes[i]), "CE_", 3) == 0);
    for (size_t j = 0; j < i; j++)
      CHECK(strcmp(ce_strerror(codes[i]), ce_strerror(codes[j])) != 0);
  }
  CHECK_STR(ce_status_name(CE_E_TIMEOUT), "CE_E_TIMEOUT");
  CHECK_STR(ce_status_name(CE_STOPPED), "CE_STOPPED");
  CHECK_STR(ce_strerror(CE_E_UNAVAILABLE), "service unavailable");
  CHECK_STR(ce_strerror(12345), "unknown status");
  CHECK_STR(ce_status_name(-12345), "CE_E_UNKNOWN");
}

static void test_version(void) {
  char expected[32];
  snprintf(expected, sizeof expected, "%d.%d.%d", CE_VERSION_MAJOR,
           CE_VERSION_MINOR, CE_VERSION_PATCH);
  CHECK_STR(ce_version_string(), expected);
}

/* Repairs `in` (len bytes) into a buffer of `size` and compares. */
static void expect_repair(const char *in, size_t len, size_t size,
                          const char *expected) {
  char out[256];
  size_t n = ce__utf8_repair(out, size, in, len);
  CHECK_INT(n, strlen(expected));
  CHECK_STR(out, expected);
  /* Valid input is exactly what the repair, given room, leaves unchanged. */
  if (size > len)
    CHECK_INT(ce__utf8_valid(in, len), n == len && memcmp(out, in, len) == 0);
}

#define FFFD "\xEF\xBF\xBD"

static void test_utf8_repair(void) {
  expect_repair("plain", 5, 256, "plain");
  expect_repair("Gr\xC3\xBC\xC3\x9F"
                "e \xE2\x9C\x93",
                11, 256,
                "Gr\xC3\xBC\xC3\x9F"
                "e \xE2\x9C\x93");
  expect_repair("\xF0\x9F\x98\x80", 4, 256, "\xF0\x9F\x98\x80");
  /* A stray continuation byte, a Latin-1 byte, a truncated sequence. */
  expect_repair("a\x80z", 3, 256, "a" FFFD "z");
  expect_repair("caf\xE9", 4, 256, "caf" FFFD);
  expect_repair("\xE2\x9C", 2, 256, FFFD);
  /* Overlong forms, surrogates and values past U+10FFFF are invalid; each
   * maximal subpart gives one U+FFFD. */
  expect_repair("\xC0\xAF", 2, 256, FFFD FFFD);
  expect_repair("\xE0\x80\xAF", 3, 256, FFFD FFFD FFFD);
  expect_repair("\xED\xA0\x80", 3, 256, FFFD FFFD FFFD);
  expect_repair("\xF4\x90\x80\x80", 4, 256, FFFD FFFD FFFD FFFD);
  expect_repair("\xF0\x9F\x98", 3, 256, FFFD);
  /* An embedded NUL would cut the string short. */
  expect_repair("a\0b", 3, 256, "a" FFFD "b");
  /* A genuine U+FFFD stays one. */
  expect_repair(FFFD, 3, 256, FFFD);
  /* Cut at a character boundary, never inside one. */
  expect_repair("ab\xE2\x9C\x93", 5, 5, "ab");
  expect_repair("ab\xE2\x9C\x93", 5, 6, "ab\xE2\x9C\x93");
  expect_repair("abc", 3, 1, "");
}

static void test_arena(void) {
  ce__arena arena = CE__ARENA_INIT;
  static char big[100000];
  const char *s;

  CHECK_STR(ce__arena_cstr(&arena, NULL, 10), "");
  s = ce__arena_cstr(&arena, "title", CE__CAP_NAME);
  CHECK_STR(s, "title");

  /* A string far over its cap is cut to the cap. */
  memset(big, 'x', sizeof big - 1);
  s = ce__arena_utf8(&arena, big, sizeof big - 1, 1000);
  REQUIRE(s != NULL);
  CHECK_INT(strlen(s), 1000);
  /* Invalid bytes triple in size when repaired, still within the cap. */
  memset(big, 0xFF, 2000);
  s = ce__arena_utf8(&arena, big, 2000, 2500);
  REQUIRE(s != NULL);
  CHECK_INT(strlen(s), 2500 / 3 * 3);

  ce__arena_reset(&arena);
  s = ce__arena_cstr(&arena, "again", 100);
  CHECK_STR(s, "again");
  ce__arena_free(&arena);
}

/* A record of many large strings and small ones between them costs time in
 * proportion to its size: each allocation tries one chunk, not all of them
 * (20,000 of each took 1.7 s when every chunk was searched, 70 ms now). */
static void test_arena_linear(void) {
  ce__arena arena = CE__ARENA_INIT;
  uint64_t start = ce__now_ms();
  int ok = 1;
  for (int i = 0; i < 20000 && ok; i++) {
    char *large = ce__arena_alloc(&arena, 4096);
    char *small = ce__arena_alloc(&arena, 16);
    ok = large != NULL && small != NULL;
    if (ok)
      large[4095] = small[15] = 1;
  }
  CHECK(ok);
  /* Room for valgrind and a loaded machine (300 ms seen at a load of 17). */
  CHECK(ce__now_ms() - start < 1000);
  fprintf(stderr, "arena: 20,000 large and small allocations in %llu ms\n",
          (unsigned long long)(ce__now_ms() - start));
  /* A reset keeps one chunk, which serves the next record. */
  ce__arena_reset(&arena);
  CHECK(ce__arena_alloc(&arena, 16) != NULL);
  ce__arena_free(&arena);
}

static ce_next never_called(const ce_font *font, void *ctx) {
  (void)font;
  ++*(int *)ctx;
  return CE_CONTINUE;
}

/* A query from a newer header: longer, with fields this version lacks. */
typedef struct newer_font_query {
  ce_font_query known;
  int future_field;
} newer_font_query;

static void test_query_checks(void) {
  ce_font_query q = CE_FONT_QUERY_INIT;
  newer_font_query newer;
  volatile int cancelled = 1;
  int calls = 0;

  /* Shorter than the 0.1 fields (tests/test_abi.c holds the rest of the
   * size rules). */
  q.size = offsetof(ce_font_query, monospace_only);
  CHECK_INT(ce_enum_fonts_ex(&q, never_called, &calls), CE_E_INVALID);
  CHECK(strstr(ce_error_detail(), "size") != NULL);

  /* A newer, longer query whose unknown fields are zero is accepted; the
   * cancel flag shows the known part was read. */
  memset(&newer, 0, sizeof newer);
  newer.known.size = sizeof newer;
  newer.known.cancel = &cancelled;
  CHECK_INT(ce_enum_fonts_ex(&newer.known, never_called, &calls),
            CE_E_CANCELLED);
  /* A set field this version cannot honour is refused, not ignored. */
  newer.future_field = 1;
  CHECK_INT(ce_enum_fonts_ex(&newer.known, never_called, &calls), CE_E_INVALID);
  CHECK(strstr(ce_error_detail(), "does not know") != NULL);

  CHECK_INT(ce_enum_windows(NULL, NULL), CE_E_INVALID);
  CHECK_INT(ce_enum_printers(NULL, NULL), CE_E_INVALID);
  CHECK_INT(ce_enum_windows_ex(NULL, NULL, NULL), CE_E_INVALID);
  CHECK_INT(ce_enum_printers_ex(NULL, NULL, NULL), CE_E_INVALID);
  CHECK_INT(calls, 0);
}

static void test_has_field(void) {
  ce_font font;
  memset(&font, 0, sizeof font);
  font.size = offsetof(ce_font, index);
  CHECK(CE_HAS_FIELD(&font, ce_font, path));
  CHECK(!CE_HAS_FIELD(&font, ce_font, index));
  font.size = sizeof font;
  CHECK(CE_HAS_FIELD(&font, ce_font, format));
}

int main(void) {
  test_status_table();
  test_version();
  test_utf8_repair();
  test_arena();
  test_arena_linear();
  test_query_checks();
  test_has_field();
  return check_finish();
}
