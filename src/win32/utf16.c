/*
 * The Win32 backend's text and errors: the one UTF-16 to UTF-8 conversion
 * and the one mapping of Win32 error codes to cenum's status codes.
 */
#include "win32.h"

#include <stdint.h>
#include <stdio.h>

/* The next code point of src[*i..len), advancing *i; an unpaired surrogate
 * or a NUL gives U+FFFD. */
static uint32_t next_code_point(const wchar_t *src, size_t len, size_t *i) {
  uint32_t unit = (uint32_t)src[(*i)++];
  if (unit == 0)
    return 0xFFFDu;
  if (unit >= 0xD800u && unit <= 0xDBFFu && *i < len) {
    uint32_t low = (uint32_t)src[*i];
    if (low >= 0xDC00u && low <= 0xDFFFu) {
      (*i)++;
      return 0x10000u + ((unit - 0xD800u) << 10) + (low - 0xDC00u);
    }
  }
  if (unit >= 0xD800u && unit <= 0xDFFFu)
    return 0xFFFDu;
  return unit;
}

const char *ce_win32_utf8(ce__arena *arena, const wchar_t *src, size_t len,
                          size_t cap) {
  char *dst;
  size_t room, used = 0, i = 0;

  if (src == NULL)
    return "";
  if (len == CE_WIN32_NUL) {
    /* Every unit gives at least one byte: no need to look past the cap. */
    len = 0;
    while (len < cap && src[len] != 0)
      len++;
  }
  if (len == 0)
    return "";
  /* A unit gives at most three bytes (a pair gives four for two units). */
  room = len <= cap / 3 ? len * 3 + 1 : cap + 1;
  dst = ce__arena_alloc(arena, room);
  if (dst == NULL)
    return NULL;
  while (i < len) {
    char bytes[4];
    size_t n = ce__utf8_encode(next_code_point(src, len, &i), bytes);
    if (used + n > room - 1)
      break;
    for (size_t k = 0; k < n; k++)
      dst[used++] = bytes[k];
  }
  dst[used] = '\0';
  return dst;
}

int ce_win32_utf16(wchar_t *dst, size_t dst_len, const char *src) {
  const unsigned char *s = (const unsigned char *)src;
  size_t len = 0, used = 0, i = 0;

  while (s[len] != 0)
    len++;
  while (i < len) {
    uint32_t cp;
    i += ce__utf8_decode(s + i, len - i, &cp);
    if (cp >= 0x10000u) {
      if (used + 2 >= dst_len)
        return 0;
      cp -= 0x10000u;
      dst[used++] = (wchar_t)(0xD800u + (cp >> 10));
      dst[used++] = (wchar_t)(0xDC00u + (cp & 0x3FFu));
    } else {
      if (used + 1 >= dst_len)
        return 0;
      dst[used++] = (wchar_t)cp;
    }
  }
  if (used >= dst_len)
    return 0;
  dst[used] = 0;
  return 1;
}

int ce_win32_status(DWORD error) {
  switch (error) {
  case ERROR_NOT_ENOUGH_MEMORY:
  case ERROR_OUTOFMEMORY:
  case ERROR_NO_SYSTEM_RESOURCES:
    return CE_E_NOMEM;
  case ERROR_TIMEOUT:
  case WAIT_TIMEOUT:
  case ERROR_SEM_TIMEOUT:
    return CE_E_TIMEOUT;
  case ERROR_CANCELLED:
  case ERROR_OPERATION_ABORTED:
    return CE_E_CANCELLED;
  case ERROR_CALL_NOT_IMPLEMENTED:
  case ERROR_NOT_SUPPORTED:
  case ERROR_PROC_NOT_FOUND:
    return CE_E_UNSUPPORTED;
  /* The service is not there or not running: the print spooler stopped,
   * its RPC server gone, no window station for this process. */
  case ERROR_SERVICE_NOT_ACTIVE:
  case ERROR_SERVICE_DISABLED:
  case ERROR_SERVICE_DOES_NOT_EXIST:
  case RPC_S_SERVER_UNAVAILABLE:
  case RPC_S_UNKNOWN_IF:
  case RPC_S_CALL_FAILED:
  case ERROR_BAD_NETPATH:
  case ERROR_NETWORK_UNREACHABLE:
  case ERROR_HOST_UNREACHABLE:
  case ERROR_ACCESS_DISABLED_BY_POLICY:
    return CE_E_UNAVAILABLE;
  default:
    /* Access denied and the rest: the system answered with an error. */
    return CE_E_BACKEND;
  }
}

int ce_win32_fail(const char *call, DWORD error) {
  wchar_t text[256];
  ce__arena arena = CE__ARENA_INIT;
  const char *message = NULL;
  DWORD n = FormatMessageW(
      FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, error,
      0, text, (DWORD)(sizeof text / sizeof text[0]), NULL);
  int status = ce_win32_status(error);

  /* System messages end with a period and a line break; the detail is one
   * sentence that goes on with the code. */
  while (n > 0 && (text[n - 1] == L'\r' || text[n - 1] == L'\n' ||
                   text[n - 1] == L' ' || text[n - 1] == L'.'))
    n--;
  if (n > 0)
    message = ce_win32_utf8(&arena, text, n, CE__CAP_NAME);
  ce__fail(status, "Win32: %s failed: %s (error %lu)", call,
           message != NULL ? message : "unknown error", (unsigned long)error);
  ce__arena_free(&arena);
  return status;
}
