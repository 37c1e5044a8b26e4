/* SPDX-License-Identifier: MIT */
/*
 * The Win32 backend's one mapping of Win32 error codes to cenum's status
 * codes, and the one place a Win32 error becomes a failure with its detail.
 */
#include "ce_win32.h"

#include <stdio.h>

int ce__win32_status(DWORD error) {
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

int ce__win32_fail(const char *call, DWORD error) {
  wchar_t text[256];
  ce__arena arena = CE__ARENA_INIT;
  const char *message = NULL;
  DWORD n = FormatMessageW(
      FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, error,
      0, text, (DWORD)(sizeof text / sizeof text[0]), NULL);
  int status = ce__win32_status(error);

  /* System messages end with a period and a line break; the detail is one
   * sentence that goes on with the code. */
  while (n > 0 && (text[n - 1] == L'\r' || text[n - 1] == L'\n' ||
                   text[n - 1] == L' ' || text[n - 1] == L'.'))
    n--;
  if (n > 0)
    message = ce__win32_utf8(&arena, text, n, CE__CAP_NAME);
  ce__fail(status, "Win32: %s failed: %s (error %lu)", call,
           message != NULL ? message : "unknown error", (unsigned long)error);
  ce__arena_free(&arena);
  return status;
}
