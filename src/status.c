/* SPDX-License-Identifier: MIT */
/* The status table's names and messages, and the per-thread error detail. */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *ce_strerror(int status) {
  switch (status) {
#define CE_STATUS_MESSAGE_(name, value, message)                               \
  case CE_##name:                                                              \
    return message;
    CE_STATUS_MAP(CE_STATUS_MESSAGE_)
#undef CE_STATUS_MESSAGE_
  }
  return "unknown status";
}

const char *ce_status_name(int status) {
  switch (status) {
#define CE_STATUS_NAME_(name, value, message)                                  \
  case CE_##name:                                                              \
    return "CE_" #name;
    CE_STATUS_MAP(CE_STATUS_NAME_)
#undef CE_STATUS_NAME_
  }
  return "CE_E_UNKNOWN";
}

const char *ce_version_string(void) {
#define CE_STRINGIFY_(x) #x
#define CE_VERSION_TEXT_(a, b, c)                                              \
  CE_STRINGIFY_(a) "." CE_STRINGIFY_(b) "." CE_STRINGIFY_(c)
  return CE_VERSION_TEXT_(CE_VERSION_MAJOR, CE_VERSION_MINOR, CE_VERSION_PATCH);
}

/*
 * Each thread has its own detail, so two threads that fail at the same time
 * each read their own cause; nothing is shared between threads.
 */
#if defined(_MSC_VER)
#define CE_THREAD_LOCAL __declspec(thread)
#else
#define CE_THREAD_LOCAL _Thread_local
#endif

static CE_THREAD_LOCAL char error_detail[512];

const char *ce_error_detail(void) { return error_detail; }

void ce__clear_detail(void) { error_detail[0] = '\0'; }

int ce__fail(int status, const char *format, ...) {
  /* The arguments may hold outside text (a display name, a server's name):
   * the detail goes through the UTF-8 repair, which also cuts an over-long
   * one at a character boundary. */
  char formatted[2 * sizeof error_detail];
  va_list args;
  va_start(args, format);
  vsnprintf(formatted, sizeof formatted, format, args);
  va_end(args);
  ce__utf8_repair(error_detail, sizeof error_detail, formatted,
                  strlen(formatted));
  return status;
}
