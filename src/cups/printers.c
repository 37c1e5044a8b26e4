/* Printers with CUPS: filled in by the CUPS issue. */
#include "../internal.h"

int ce__backend_enum_printers(const ce_printer_query *query, ce_printer_fn fn,
                              void *ctx) {
  (void)query, (void)fn, (void)ctx;
  return ce__fail(CE_E_UNSUPPORTED, "CUPS: not implemented yet");
}
