/* FONTCONFIG_FILE names a file that does not exist: a clear error, no crash,
 * no fonts from fontconfig's built-in fallback, and nothing printed (the
 * library never prints; fontconfig would, if it were asked to load that
 * file). */
#include "check.h"

#include <cenum.h>

#include <fcntl.h>
#include <unistd.h>

static ce_next count(const ce_font *font, void *ctx) {
  (void)font;
  ++*(int *)ctx;
  return CE_CONTINUE;
}

int main(void) {
  int calls = 0, status, saved, fd;
  char printed[512] = "";
  ssize_t got;
  FILE *log = tmpfile();

  /* What the calls write to stderr goes to `log`. */
  REQUIRE(log != NULL);
  fflush(stderr);
  saved = dup(2);
  REQUIRE(saved >= 0 && dup2(fileno(log), 2) == 2);
  status = ce_enum_fonts(count, &calls);
  fflush(stderr);
  dup2(saved, 2);
  close(saved);

  CHECK_INT(status, CE_E_UNAVAILABLE);
  CHECK_INT(calls, 0);
  CHECK(strstr(ce_error_detail(), "fontconfig") != NULL);
  CHECK(strstr(ce_error_detail(), getenv("FONTCONFIG_FILE")) != NULL);
  fd = fileno(log);
  REQUIRE(lseek(fd, 0, SEEK_SET) == 0);
  got = read(fd, printed, sizeof printed - 1);
  printed[got > 0 ? got : 0] = '\0';
  CHECK_STR(printed, "");
  fclose(log);
  /* A second call gives the same answer: nothing was cached as success. */
  CHECK_INT(ce_enum_fonts(count, &calls), CE_E_UNAVAILABLE);
  return check_finish();
}
