/* SPDX-License-Identifier: MIT */
/* A program that made its own fontconfig configuration current (built in
 * code, from one directory of its own, without configuration files) gets the
 * faces of that configuration: cenum uses the process's current
 * configuration, it does not mistake it for fontconfig's fallback. */
#include "check.h"

#include <cenum.h>
#include <fontconfig/fontconfig.h>

typedef struct seen {
  int count, outside;
  const char *dir;
} seen;

static ce_next count(const ce_font *font, void *ctx) {
  seen *s = ctx;
  s->count++;
  if (strncmp(font->path, s->dir, strlen(s->dir)) != 0)
    s->outside++;
  return CE_CONTINUE;
}

int main(void) {
  seen s = {0, 0, getenv("CENUM_TEST_FONT_DIR")};
  FcConfig *own;

  REQUIRE(s.dir != NULL);
  own = FcConfigCreate();
  REQUIRE(own != NULL);
  REQUIRE(FcConfigAppFontAddDir(own, (const FcChar8 *)s.dir));
  REQUIRE(FcConfigSetCurrent(own));
  FcConfigDestroy(own); /* fontconfig holds the current one */

  CHECK_INT(ce_enum_fonts(count, &s), CE_OK);
  CHECK_STR(ce_error_detail(), "");
  /* The six DejaVu faces of the fixture's directory, and nothing else. */
  CHECK_INT(s.count, 6);
  CHECK_INT(s.outside, 0);
  return check_finish();
}
