/* SPDX-License-Identifier: MIT */
/* What the Win32 backend's tests share, beside tests/check.h. */
#ifndef CENUM_TESTS_WIN32_TEST_H
#define CENUM_TESTS_WIN32_TEST_H

#include "cenum.h"

/* The file name of a path, after its last '\' or '/'. */
static inline const char *win32_base_name(const char *path) {
  const char *base = path;
  for (const char *p = path; *p; p++)
    if (*p == '\\' || *p == '/')
      base = p + 1;
  return base;
}

/*
 * Defines the callback `name` for records of type `record` that counts its
 * calls in the int that `ctx` points to and stops at the first, for the
 * tests of CE_STOPPED and CE_E_CANCELLED: WIN32_STOP_AT_FIRST(stop, ce_font).
 */
#define WIN32_STOP_AT_FIRST(name, record)                                      \
  static ce_next name(const record *r, void *ctx) {                            \
    (void)r;                                                                   \
    ++*(int *)ctx;                                                             \
    return CE_STOP;                                                            \
  }

/*
 * Checks that a callback's CE_STOP ends an enumeration after one record
 * (CE_STOPPED), and that a cancel flag already set ends it before the first
 * (CE_E_CANCELLED, with the backend's detail). `callback` is one that
 * WIN32_STOP_AT_FIRST defined.
 */
#define WIN32_CHECK_STOP_AND_CANCEL(query_type, query_init, enumerate_ex,      \
                                    callback)                                  \
  do {                                                                         \
    query_type query_ = query_init;                                            \
    volatile int cancel_ = 1;                                                  \
    int stops_ = 0;                                                            \
    CHECK_INT(enumerate_ex(&query_, callback, &stops_), CE_STOPPED);           \
    CHECK_INT(stops_, 1);                                                      \
    query_.cancel = &cancel_;                                                  \
    CHECK_INT(enumerate_ex(&query_, callback, &stops_), CE_E_CANCELLED);       \
    CHECK_INT(stops_, 1);                                                      \
    CHECK(strstr(ce_error_detail(), "Win32: cancelled") != NULL);              \
  } while (0)

#endif
