/* Windows on X11: filled in by the X11 issue. */
#include "../internal.h"

int ce__backend_enum_windows(const ce_window_query *query, ce_window_fn fn,
                             void *ctx) {
  (void)query, (void)fn, (void)ctx;
  return ce__fail(CE_E_UNSUPPORTED, "X11: not implemented yet");
}
