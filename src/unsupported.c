/*
 * The enumerators of kinds this build has no backend for. CMake compiles the
 * ones it needs, selected by the CE_NO_*_BACKEND definitions.
 */
#include "internal.h"

#ifdef CE_NO_FONTS_BACKEND
int ce__backend_enum_fonts(const ce_font_query *query, ce_font_fn fn,
                           void *ctx) {
  (void)query, (void)fn, (void)ctx;
  return ce__fail(CE_E_UNSUPPORTED, "fonts: this build has no font backend");
}
#endif

#ifdef CE_NO_WINDOWS_BACKEND
int ce__backend_enum_windows(const ce_window_query *query, ce_window_fn fn,
                             void *ctx) {
  (void)query, (void)fn, (void)ctx;
  return ce__fail(CE_E_UNSUPPORTED,
                  "windows: this build has no window backend");
}
#endif

#ifdef CE_NO_PRINTERS_BACKEND
int ce__backend_enum_printers(const ce_printer_query *query, ce_printer_fn fn,
                              void *ctx) {
  (void)query, (void)fn, (void)ctx;
  return ce__fail(CE_E_UNSUPPORTED,
                  "printers: this build has no printer backend");
}
#endif
