/* SPDX-License-Identifier: MIT */
/* FONTCONFIG_FILE names a file that does not exist: a clear error, no crash,
 * and no fonts from fontconfig's built-in fallback. */
#include "check.h"

#include <cenum.h>

static ce_next count(const ce_font *font, void *ctx) {
  (void)font;
  ++*(int *)ctx;
  return CE_CONTINUE;
}

int main(void) {
  int calls = 0;
  int status = ce_enum_fonts(count, &calls);
  CHECK_INT(status, CE_E_UNAVAILABLE);
  CHECK_INT(calls, 0);
  CHECK(strstr(ce_error_detail(), "fontconfig") != NULL);
  CHECK(strstr(ce_error_detail(), getenv("FONTCONFIG_FILE")) != NULL);
  /* A second call gives the same answer: nothing was cached as success. */
  CHECK_INT(ce_enum_fonts(count, &calls), CE_E_UNAVAILABLE);
  return check_finish();
}
