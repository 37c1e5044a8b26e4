/* SPDX-License-Identifier: MIT */
/*
 * The fontconfig watch against a private configuration of its own (a
 * directory this test changes): the first dispatch adds exactly its faces;
 * a font copied in, one removed, a folder made with a font in it are each
 * reported, and the set told equals what fc-list lists afresh. Also: a
 * callback's CE_STOP leaves the rest pending (the handle stays readable),
 * no change means no wake-up, and ce_watch_close from another thread ends a
 * blocked dispatch.
 */
#include "check.h"
#include "told.h"

#include <cenum.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEJAVU "/usr/share/fonts/truetype/dejavu/"

static char dir[1024], fonts[1100];
static told seen;
static int stop_after; /* > 0: CE_STOP after this many changes */
static int close_calls;

static ce_next on_font(ce_change change, const ce_font *font, void *ctx) {
  char key[4200];
  if (ctx != NULL) {
    /* Closing its own watch from a callback. */
    close_calls++;
    ce_watch_close(*(ce_watch **)ctx);
    return CE_CONTINUE;
  }
  CHECK(font->size == sizeof *font);
  snprintf(key, sizeof key, "%s:%d", font->path, font->index);
  if (getenv("WATCH_DEBUG"))
    fprintf(stderr, "change %d %s %s/%s\n", (int)change, key, font->family,
            font->style);
  told_apply(&seen, change, key);
  if (stop_after > 0 && --stop_after == 0)
    return CE_STOP;
  return CE_CONTINUE;
}

static void copy_file(const char *from, const char *to) {
  char buffer[65536];
  size_t got;
  FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
  REQUIRE(in != NULL && out != NULL);
  /* Written in pieces with a flush between, as a slow copy would: the
   * watch must not take the half-written file for the whole one. */
  while ((got = fread(buffer, 1, sizeof buffer, in)) > 0) {
    REQUIRE(fwrite(buffer, 1, got, out) == got);
    fflush(out);
  }
  fclose(in);
  REQUIRE(fclose(out) == 0);
}

/* Dispatches until `what` holds or 10 s passed. */
#define DISPATCH_UNTIL(w, what) DISPATCH_UNTIL_TRIES(w, what, 100, 0)

static int readable(ce_watch *w, int timeout_ms) {
  struct pollfd p = {(int)ce_watch_handle(w), POLLIN, 0};
  return poll(&p, 1, timeout_ms);
}

static int matches_fc_list(void) {
  char command[2048];
  snprintf(command, sizeof command,
           "fc-list --format '%%{file}:%%{index}\\n' | sort -u");
  return told_equals_command(&seen, command);
}

static void *close_later(void *w) {
  usleep(300 * 1000);
  ce_watch_close(w);
  return NULL;
}

int main(void) {
  const char *tmp = getenv("CENUM_TEST_TMP");
  char path[2048], conf[2100];
  ce_watch *w = NULL;
  FILE *f;

  REQUIRE(tmp != NULL);
  snprintf(dir, sizeof dir, "%s/watch-fonts", tmp);
  snprintf(fonts, sizeof fonts, "%s/fonts", dir);
  snprintf(path, sizeof path, "rm -rf '%s'", dir);
  REQUIRE(system(path) == 0);
  REQUIRE(mkdir(dir, 0700) == 0 && mkdir(fonts, 0700) == 0);
  snprintf(conf, sizeof conf, "%s/fonts.conf", dir);
  f = fopen(conf, "w");
  REQUIRE(f != NULL);
  fprintf(f,
          "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM "
          "\"urn:fontconfig:fonts.dtd\">\n<fontconfig>\n  <dir>%s</dir>\n"
          "  <cachedir>%s/cache</cachedir>\n</fontconfig>\n",
          fonts, dir);
  fclose(f);
  setenv("FONTCONFIG_FILE", conf, 1);
  snprintf(path, sizeof path, "%s/DejaVuSans.ttf", fonts);
  copy_file(DEJAVU "DejaVuSans.ttf", path);
  snprintf(path, sizeof path, "%s/DejaVuSansMono.ttf", fonts);
  copy_file(DEJAVU "DejaVuSansMono.ttf", path);

  /* Arguments. */
  CHECK_INT(ce_watch_fonts(NULL, NULL, NULL, &w), CE_E_INVALID);
  CHECK(w == NULL);
  CHECK_INT(ce_watch_fonts(NULL, on_font, NULL, NULL), CE_E_INVALID);
  CHECK_INT(ce_watch_dispatch(NULL, 0), CE_E_INVALID);
  CHECK(ce_watch_handle(NULL) == -1);
  ce_watch_close(NULL);

  /* The first dispatch: everything, as added; a stop leaves the rest. */
  REQUIRE(ce_watch_fonts(NULL, on_font, NULL, &w) == CE_OK);
  CHECK(readable(w, 0) == 1);
  stop_after = 1;
  CHECK_INT(ce_watch_dispatch(w, 0), CE_STOPPED);
  CHECK_INT(seen.added, 1);
  CHECK(readable(w, 0) == 1);
  CHECK_INT(ce_watch_dispatch(w, 0), CE_OK);
  CHECK_INT(seen.added, 2);
  CHECK_INT(seen.errors, 0);
  CHECK(matches_fc_list());

  /* Nothing changes: no wake-up, and a dispatch delivers nothing. */
  CHECK(readable(w, 500) == 0);
  told_reset_counts(&seen);
  CHECK_INT(ce_watch_dispatch(w, 200), CE_OK);
  CHECK_INT(seen.added + seen.removed + seen.changed, 0);

  /* A font copied in. */
  snprintf(path, sizeof path, "%s/DejaVuSerif.ttf", fonts);
  copy_file(DEJAVU "DejaVuSerif.ttf", path);
  DISPATCH_UNTIL(w, seen.added == 1);
  snprintf(conf, sizeof conf, "%s:0", path);
  CHECK_STR(seen.last_key, conf);
  CHECK_INT(seen.removed + seen.changed, 0);
  CHECK(matches_fc_list());

  /* A font half written while the watch loads for another one, then
   * finished: fontconfig's cache of the folder (whose mtime the second
   * write does not change) must not hide it. */
  told_reset_counts(&seen);
  {
    char half[2048];
    char buffer[4096];
    FILE *in = fopen(DEJAVU "DejaVuSerif-Bold.ttf", "rb"), *out;
    size_t got;
    snprintf(half, sizeof half, "%s/DejaVuSerif-Bold.ttf", fonts);
    out = fopen(half, "wb");
    REQUIRE(in != NULL && out != NULL);
    /* Too short for FreeType to take it for a font: not a face yet. */
    got = fread(buffer, 1, 16, in);
    REQUIRE(fwrite(buffer, 1, got, out) == got);
    fflush(out);
    snprintf(path, sizeof path, "%s/DejaVuSans-Bold.ttf", fonts);
    copy_file(DEJAVU "DejaVuSans-Bold.ttf", path);
    DISPATCH_UNTIL(w, seen.added == 1);
    snprintf(conf, sizeof conf, "%s:0", path);
    CHECK_STR(seen.last_key, conf);
    while ((got = fread(buffer, 1, sizeof buffer, in)) > 0)
      REQUIRE(fwrite(buffer, 1, got, out) == got);
    fclose(in);
    REQUIRE(fclose(out) == 0);
    DISPATCH_UNTIL(w, seen.added == 2);
    snprintf(conf, sizeof conf, "%s:0", half);
    CHECK_STR(seen.last_key, conf);
    CHECK_INT(seen.removed + seen.changed, 0);
    CHECK(matches_fc_list());
  }

  /* One removed. */
  told_reset_counts(&seen);
  snprintf(path, sizeof path, "%s/DejaVuSansMono.ttf", fonts);
  REQUIRE(unlink(path) == 0);
  DISPATCH_UNTIL(w, seen.removed == 1);
  snprintf(conf, sizeof conf, "%s:0", path);
  CHECK_STR(seen.last_key, conf);
  CHECK_INT(seen.added + seen.changed, 0);
  CHECK(matches_fc_list());

  /* A new folder with a font in it, copied right after it was made. */
  told_reset_counts(&seen);
  snprintf(path, sizeof path, "%s/sub", fonts);
  REQUIRE(mkdir(path, 0700) == 0);
  snprintf(path, sizeof path, "%s/sub/DejaVuSansMono-Bold.ttf", fonts);
  copy_file(DEJAVU "DejaVuSansMono-Bold.ttf", path);
  DISPATCH_UNTIL(w, seen.added == 1);
  CHECK_INT(seen.removed + seen.changed, 0);
  CHECK(matches_fc_list());
  CHECK_INT(seen.errors, 0);

  /* Closed from another thread while a dispatch waits. */
  {
    pthread_t thread;
    uint64_t started = ce__now_ms();
    REQUIRE(pthread_create(&thread, NULL, close_later, w) == 0);
    CHECK_INT(ce_watch_dispatch(w, 20000), CE_E_CANCELLED);
    CHECK(ce__now_ms() - started < 10000);
    pthread_join(thread, NULL);
  }

  /* Closed from its own callback: no callback after that one, and the
   * dispatch releases the watch as it returns (valgrind sees the rest). */
  {
    static ce_watch *self;
    REQUIRE(ce_watch_fonts(NULL, on_font, &self, &self) == CE_OK);
    CHECK_INT(ce_watch_dispatch(self, 0), CE_E_CANCELLED);
    CHECK_INT(close_calls, 1);
  }

  told_free(&seen);
  snprintf(path, sizeof path, "rm -rf '%s'", dir);
  CHECK(system(path) == 0);
  return check_failures ? 1 : 0;
}
