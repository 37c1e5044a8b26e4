/* SPDX-License-Identifier: MIT */
/* A program outside cenum that uses it as a user would: #include <cenum.h>,
 * link the installed library, list fonts. Exits 0 when it found any. */
#include <cenum.h>

#include <stdio.h>

static ce_next count(const ce_font *font, void *ctx) {
  (void)font;
  ++*(int *)ctx;
  return CE_CONTINUE;
}

int main(void) {
  int faces = 0;
  int status = ce_enum_fonts(count, &faces);
  printf("cenum %s: %s, %d faces\n", ce_version_string(),
         ce_status_name(status), faces);
  return status == CE_OK && faces > 0 ? 0 : 1;
}
