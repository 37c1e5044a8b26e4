/* SPDX-License-Identifier: MIT */
/*
 * The Win32 backend's one UTF-16 conversion and its one Win32 error
 * mapping, with the system's own messages (FormatMessageW).
 */
#include "check.h"
#include "win32/ce_win32.h"

static void check_utf8(const wchar_t *src, size_t len, size_t cap,
                       const char *expected) {
  ce__arena arena = CE__ARENA_INIT;
  const char *out = ce__win32_utf8(&arena, src, len, cap);
  CHECK_STR(out, expected);
  ce__arena_free(&arena);
}

static void test_utf8(void) {
  static const wchar_t lone_high[] = {L'A', 0xD800, L'B', 0};
  static const wchar_t lone_low[] = {0xDC00, 0};
  static const wchar_t pair[] = {0xD834, 0xDD1E, 0};
  static const wchar_t high_at_end[] = {L'A', 0xD834, 0};
  static const wchar_t reversed[] = {0xDD1E, 0xD834, 0};
  static const wchar_t with_nul[] = {L'a', 0, L'b'};
  static const wchar_t accents[] = {0xE9, 0xE9, 0xE9, 0};

  check_utf8(L"plain", CE_WIN32_NUL, 100, "plain");
  check_utf8(NULL, 3, 100, "");
  check_utf8(L"", CE_WIN32_NUL, 100, "");
  check_utf8(lone_high, CE_WIN32_NUL, 100,
             "A\xEF\xBF\xBD"
             "B");
  check_utf8(lone_low, CE_WIN32_NUL, 100, "\xEF\xBF\xBD");
  check_utf8(pair, CE_WIN32_NUL, 100, "\xF0\x9D\x84\x9E");
  check_utf8(high_at_end, CE_WIN32_NUL, 100, "A\xEF\xBF\xBD");
  check_utf8(reversed, CE_WIN32_NUL, 100, "\xEF\xBF\xBD\xEF\xBF\xBD");
  /* A pair cut by the length is two halves: the high one alone. */
  check_utf8(pair, 1, 100, "\xEF\xBF\xBD");
  check_utf8(with_nul, 3, 100,
             "a\xEF\xBF\xBD"
             "b");
  /* The cap cuts at a character boundary. */
  check_utf8(accents, CE_WIN32_NUL, 5, "\xC3\xA9\xC3\xA9");
  check_utf8(accents, CE_WIN32_NUL, 6, "\xC3\xA9\xC3\xA9\xC3\xA9");
  check_utf8(pair, CE_WIN32_NUL, 3, "");
  check_utf8(L"abcdef", CE_WIN32_NUL, 3, "abc");
}

static void test_utf16(void) {
  wchar_t out[8];
  CHECK(ce__win32_utf16(out, 8, "a\xF0\x9F\x98\x80"));
  CHECK(out[0] == L'a' && out[1] == 0xD83D && out[2] == 0xDE00 && out[3] == 0);
  CHECK(ce__win32_utf16(out, 8, "\xFF"));
  CHECK(out[0] == 0xFFFD && out[1] == 0);
  CHECK(ce__win32_utf16(out, 8, "1234567"));
  CHECK(!ce__win32_utf16(out, 8, "12345678"));
  CHECK(!ce__win32_utf16(out, 3, "ab\xF0\x9F\x98\x80"));
  CHECK(ce__win32_utf16(out, 1, ""));
  CHECK(out[0] == 0);
}

/* The detail is "Win32: <call> failed: <message> (error N)". */
static void check_fail(DWORD error, int expected, int known) {
  char suffix[64];
  const char *detail;
  size_t len, suffix_len;
  const char prefix[] = "Win32: EnumPrintersW failed: ";

  CHECK_INT(ce__win32_fail("EnumPrintersW", error), expected);
  CHECK_INT(ce__win32_status(error), expected);
  detail = ce_error_detail();
  snprintf(suffix, sizeof suffix, " (error %lu)", (unsigned long)error);
  len = strlen(detail);
  suffix_len = strlen(suffix);
  CHECK(strncmp(detail, prefix, sizeof prefix - 1) == 0);
  CHECK(len > sizeof prefix - 1 + suffix_len &&
        strcmp(detail + len - suffix_len, suffix) == 0);
  /* A known code has the system's message, without its final period and
   * line break; an unknown one says so. */
  if (known)
    CHECK(strstr(detail, "unknown error") == NULL &&
          detail[len - suffix_len - 1] != '.' &&
          detail[len - suffix_len - 1] != '\n');
  else
    CHECK(strstr(detail, "failed: unknown error (error") != NULL);
  if (check_failures > 0)
    fprintf(stderr, "detail: %s\n", detail);
}

static void test_errors(void) {
  check_fail(ERROR_ACCESS_DENIED, CE_E_BACKEND, 1);
  check_fail(ERROR_NOT_ENOUGH_MEMORY, CE_E_NOMEM, 1);
  check_fail(ERROR_OUTOFMEMORY, CE_E_NOMEM, 1);
  check_fail(ERROR_TIMEOUT, CE_E_TIMEOUT, 1);
  check_fail(ERROR_CANCELLED, CE_E_CANCELLED, 1);
  check_fail(ERROR_CALL_NOT_IMPLEMENTED, CE_E_UNSUPPORTED, 1);
  check_fail(RPC_S_SERVER_UNAVAILABLE, CE_E_UNAVAILABLE, 1);
  check_fail(ERROR_SERVICE_NOT_ACTIVE, CE_E_UNAVAILABLE, 1);
  check_fail(0x2000ABCDu, CE_E_BACKEND, 0);
}

int main(void) {
  test_utf8();
  test_utf16();
  test_errors();
  return check_finish();
}
