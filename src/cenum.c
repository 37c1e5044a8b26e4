/*
 * Every public ce_enum_* function: check the arguments, complete the query,
 * and hand over to the backend this build has.
 */
#include "internal.h"

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

static int check_callback(int have_callback) {
  return have_callback ? CE_OK : ce__fail(CE_E_INVALID, "the callback is NULL");
}

static unsigned timeout_or_default(unsigned timeout_ms) {
  return timeout_ms != 0 ? timeout_ms : CE_DEFAULT_TIMEOUT_MS;
}

/* A callback may start another enumeration; each call keeps its own query
 * copy on the stack, so nothing carries over between them. */

int ce_enum_fonts_ex(const ce_font_query *query, ce_font_fn fn, void *ctx) {
  ce_font_query q;
  int status;
  ce__clear_detail();
  status =
      copy_query(&q, sizeof q, query, FONT_QUERY_MIN_SIZE, "ce_font_query");
  if (status == CE_OK)
    status = check_callback(fn != NULL);
  if (status != CE_OK)
    return status;
  q.size = sizeof q;
  q.timeout_ms = timeout_or_default(q.timeout_ms);
  return ce__backend_enum_fonts(&q, fn, ctx);
}

int ce_enum_fonts(ce_font_fn fn, void *ctx) {
  ce_font_query q = CE_FONT_QUERY_INIT;
  return ce_enum_fonts_ex(&q, fn, ctx);
}

int ce_enum_windows_ex(const ce_window_query *query, ce_window_fn fn,
                       void *ctx) {
  ce_window_query q;
  int status;
  ce__clear_detail();
  status =
      copy_query(&q, sizeof q, query, WINDOW_QUERY_MIN_SIZE, "ce_window_query");
  if (status == CE_OK)
    status = check_callback(fn != NULL);
  if (status != CE_OK)
    return status;
  q.size = sizeof q;
  q.timeout_ms = timeout_or_default(q.timeout_ms);
  return ce__backend_enum_windows(&q, fn, ctx);
}

int ce_enum_windows(ce_window_fn fn, void *ctx) {
  ce_window_query q = CE_WINDOW_QUERY_INIT;
  return ce_enum_windows_ex(&q, fn, ctx);
}

int ce_enum_printers_ex(const ce_printer_query *query, ce_printer_fn fn,
                        void *ctx) {
  ce_printer_query q;
  int status;
  ce__clear_detail();
  status = copy_query(&q, sizeof q, query, PRINTER_QUERY_MIN_SIZE,
                      "ce_printer_query");
  if (status == CE_OK)
    status = check_callback(fn != NULL);
  if (status != CE_OK)
    return status;
  q.size = sizeof q;
  q.timeout_ms = timeout_or_default(q.timeout_ms);
  return ce__backend_enum_printers(&q, fn, ctx);
}

int ce_enum_printers(ce_printer_fn fn, void *ctx) {
  ce_printer_query q = CE_PRINTER_QUERY_INIT;
  return ce_enum_printers_ex(&q, fn, ctx);
}
