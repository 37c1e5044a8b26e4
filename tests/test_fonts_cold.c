/* SPDX-License-Identifier: MIT */
/*
 * fontconfig with a cold cache: the first enumeration of a process makes
 * fontconfig scan every font file of its configuration, which takes seconds
 * for a few thousand files. The timeout and the cancel flag still bound the
 * call; the scan goes on without the caller, and a later call lists every
 * face. The configuration (6,000 links to one DejaVu face, an empty cache
 * directory) is this test's own, made in a temporary directory.
 *
 * Environment: CENUM_TEST_FONT_DIR (the fontconfig fixture's fonts).
 */
#include "check.h"
#include "internal.h"

#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { LINKS = 6000 };

static char dir[PATH_MAX];

static void make_config(void) {
  const char *fonts = getenv("CENUM_TEST_FONT_DIR");
  char path[PATH_MAX + 64], target[PATH_MAX];
  FILE *conf;
  REQUIRE(fonts != NULL);
  snprintf(dir, sizeof dir, "%s/cenum-cold-XXXXXX",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  REQUIRE(mkdtemp(dir) != NULL);
  snprintf(path, sizeof path, "%s/fonts", dir);
  REQUIRE(mkdir(path, 0700) == 0);
  snprintf(path, sizeof path, "%s/cache", dir);
  REQUIRE(mkdir(path, 0700) == 0);
  snprintf(target, sizeof target, "%s/DejaVuSans.ttf", fonts);
  for (int i = 0; i < LINKS; i++) {
    snprintf(path, sizeof path, "%s/fonts/face%04d.ttf", dir, i);
    REQUIRE(symlink(target, path) == 0);
  }
  snprintf(path, sizeof path, "%s/fonts.conf", dir);
  conf = fopen(path, "w");
  REQUIRE(conf != NULL);
  fprintf(conf,
          "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM "
          "\"fonts.dtd\">\n<fontconfig><dir>%s/fonts</dir>"
          "<cachedir>%s/cache</cachedir></fontconfig>\n",
          dir, dir);
  fclose(conf);
  setenv("FONTCONFIG_FILE", path, 1);
}

static void remove_tree(const char *path) {
  DIR *d = opendir(path);
  struct dirent *e;
  char child[PATH_MAX + 256];
  while (d != NULL && (e = readdir(d)) != NULL) {
    struct stat st;
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    snprintf(child, sizeof child, "%s/%s", path, e->d_name);
    if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
      remove_tree(child);
    else
      unlink(child);
  }
  if (d != NULL)
    closedir(d);
  rmdir(path);
}

static ce_next count(const ce_font *font, void *ctx) {
  (void)font;
  ++*(int *)ctx;
  return CE_CONTINUE;
}

static int cancel_flag;

static void *cancel_later(void *unused) {
  struct timespec wait = {0, 300 * 1000000L};
  (void)unused;
  nanosleep(&wait, NULL);
  __atomic_store_n(&cancel_flag, 1, __ATOMIC_RELAXED);
  return NULL;
}

int main(void) {
  ce_font_query q = CE_FONT_QUERY_INIT;
  pthread_t canceller;
  uint64_t start, took;
  int n = 0, status;

  make_config();

  /* Cancelled 300 ms into the scan: the call ends then, not after it. */
  q.timeout_ms = 120000;
  q.cancel = &cancel_flag;
  REQUIRE(pthread_create(&canceller, NULL, cancel_later, NULL) == 0);
  start = ce__now_ms();
  status = ce_enum_fonts_ex(&q, count, &n);
  took = ce__now_ms() - start;
  pthread_join(canceller, NULL);
  CHECK_INT(status, CE_E_CANCELLED);
  CHECK(took >= 290 && took < 1500);

  /* The scan still runs: a 300 ms timeout is kept too, with the detail. */
  q.cancel = NULL;
  q.timeout_ms = 300;
  start = ce__now_ms();
  status = ce_enum_fonts_ex(&q, count, &n);
  took = ce__now_ms() - start;
  CHECK_INT(status, CE_E_TIMEOUT);
  CHECK(took >= 290 && took < 1500);
  CHECK(strstr(ce_error_detail(), "still loading") != NULL);
  CHECK_INT(n, 0);

  /* Given the time, every face of the scan is there. */
  q.timeout_ms = 600000;
  CHECK_INT(ce_enum_fonts_ex(&q, count, &n), CE_OK);
  CHECK_INT(n, LINKS);

  remove_tree(dir);
  return check_finish();
}
