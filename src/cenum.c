/*
 * Every public ce_enum_* function: check the arguments, complete the query,
 * and hand over to the backend this build has.
 */
#include "internal.h"

#include <stddef.h>
#include <string.h>

/* The size of each query in version 0.1, the smallest a caller may pass. */
#define FONT_QUERY_MIN_SIZE sizeof(ce_font_query)
#define WINDOW_QUERY_MIN_SIZE sizeof(ce_window_query)
#define PRINTER_QUERY_MIN_SIZE sizeof(ce_printer_query)

/*
 * Copies the caller's query into `out` (this library's size) and checks it.
 * A query from an older header is shorter: the fields it lacks stay zero. A
 * query from a newer header is longer: that is fine as long as every field
 * this library does not know is zero, since a set field we would ignore is a
 * filter we would silently not apply.
 */
static int copy_query(void *out, size_t out_size, const void *query,
                      size_t min_size, const char *type) {
  size_t given;
  memset(out, 0, out_size);
  if (query == NULL)
    return ce__fail(CE_E_INVALID, "the %s is NULL", type);
  memcpy(&given, query, sizeof given);
  if (given < min_size)
    return ce__fail(CE_E_INVALID,
                    "%s.size is %zu, less than %zu: initialise it with its "
                    "_INIT macro",
                    type, given, min_size);
  if (given > out_size) {
    const unsigned char *extra = (const unsigned char *)query + out_size;
    for (size_t i = 0; i < given - out_size; i++)
      if (extra[i] != 0)
        return ce__fail(CE_E_INVALID,
                        "%s sets a field this version (%s) does not know", type,
                        ce_version_string());
    given = out_size;
  }
  memcpy(out, query, given);
  return CE_OK;
}

/*
 * Every query begins with the same three fields (size, timeout_ms, cancel),
 * so one function can complete any of them: set its size to ours and its
 * timeout to the default when it is 0.
 */
#define SAME_OFFSET(field)                                                     \
  (offsetof(ce_font_query, field) == offsetof(ce_window_query, field) &&       \
   offsetof(ce_font_query, field) == offsetof(ce_printer_query, field))
_Static_assert(SAME_OFFSET(size) && SAME_OFFSET(timeout_ms) &&
                   SAME_OFFSET(cancel),
               "every query starts with size, timeout_ms and cancel");

/* Checks the arguments of a ce_enum_*_ex call and fills `copy` (of
 * `copy_size` bytes) with the completed query. */
static int prepare(void *copy, size_t copy_size, const void *query,
                   size_t min_size, const char *type, int have_callback) {
  unsigned timeout_ms;
  int status;

  ce__clear_detail();
  status = copy_query(copy, copy_size, query, min_size, type);
  if (status != CE_OK)
    return status;
  if (!have_callback)
    return ce__fail(CE_E_INVALID, "the callback is NULL");

  memcpy(copy, &copy_size, sizeof copy_size);
  memcpy(&timeout_ms, (char *)copy + offsetof(ce_font_query, timeout_ms),
         sizeof timeout_ms);
  if (timeout_ms == 0)
    timeout_ms = CE_DEFAULT_TIMEOUT_MS;
  memcpy((char *)copy + offsetof(ce_font_query, timeout_ms), &timeout_ms,
         sizeof timeout_ms);
  return CE_OK;
}

/* A callback may start another enumeration; each call keeps its own query
 * copy on the stack, so nothing carries over between them. */

int ce_enum_fonts_ex(const ce_font_query *query, ce_font_fn fn, void *ctx) {
  ce_font_query q;
  int status = prepare(&q, sizeof q, query, FONT_QUERY_MIN_SIZE,
                       "ce_font_query", fn != NULL);
  return status != CE_OK ? status : ce__backend_enum_fonts(&q, fn, ctx);
}

int ce_enum_fonts(ce_font_fn fn, void *ctx) {
  ce_font_query q = CE_FONT_QUERY_INIT;
  return ce_enum_fonts_ex(&q, fn, ctx);
}

int ce_enum_windows_ex(const ce_window_query *query, ce_window_fn fn,
                       void *ctx) {
  ce_window_query q;
  int status = prepare(&q, sizeof q, query, WINDOW_QUERY_MIN_SIZE,
                       "ce_window_query", fn != NULL);
  return status != CE_OK ? status : ce__backend_enum_windows(&q, fn, ctx);
}

int ce_enum_windows(ce_window_fn fn, void *ctx) {
  ce_window_query q = CE_WINDOW_QUERY_INIT;
  return ce_enum_windows_ex(&q, fn, ctx);
}

int ce_enum_printers_ex(const ce_printer_query *query, ce_printer_fn fn,
                        void *ctx) {
  ce_printer_query q;
  int status = prepare(&q, sizeof q, query, PRINTER_QUERY_MIN_SIZE,
                       "ce_printer_query", fn != NULL);
  return status != CE_OK ? status : ce__backend_enum_printers(&q, fn, ctx);
}

int ce_enum_printers(ce_printer_fn fn, void *ctx) {
  ce_printer_query q = CE_PRINTER_QUERY_INIT;
  return ce_enum_printers_ex(&q, fn, ctx);
}
