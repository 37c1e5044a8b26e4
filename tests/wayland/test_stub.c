/* SPDX-License-Identifier: MIT */
/*
 * The Wayland backend against the tests' own compositor (stub_compositor.c):
 * ext_foreign_toplevel_list_v1, both lists at once, hostile data, and a
 * compositor that is silent, closes, reports an error or has no window list.
 * Each case starts the stub with its scenario in a private XDG_RUNTIME_DIR.
 *
 * Environment: CENUM_TEST_STUB (the program), CENUM_TEST_TMP (a directory).
 */
#include "check.h"
#include "stub.h"
#include "wayland/ce_wayland.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RECORDS 10010

typedef struct record {
  uint64_t id, transient_for;
  char title[4096], app_id[256];
  int64_t pid;
  int x, y, width, height;
  bool visible, minimized, managed, focused;
} record;

typedef struct listing {
  record *records;
  size_t count;
  size_t stop_after; /* 0: never */
} listing;

static ce_next collect(const ce_window *w, void *ctx) {
  listing *l = ctx;
  record *r;
  CHECK(check_valid_utf8(w->title));
  CHECK(check_valid_utf8(w->class_name));
  CHECK_STR(w->instance, "");
  CHECK_STR(w->exe, "");
  if (l->count >= MAX_RECORDS)
    return CE_STOP;
  r = &l->records[l->count++];
  r->id = w->id;
  r->transient_for = w->transient_for;
  snprintf(r->title, sizeof r->title, "%s", w->title);
  snprintf(r->app_id, sizeof r->app_id, "%s", w->class_name);
  r->pid = w->pid;
  r->x = w->x;
  r->y = w->y;
  r->width = w->width;
  r->height = w->height;
  r->visible = w->visible;
  r->minimized = w->minimized;
  r->managed = w->managed;
  r->focused = w->focused;
  return l->stop_after != 0 && l->count >= l->stop_after ? CE_STOP
                                                         : CE_CONTINUE;
}

static int list(listing *l, unsigned timeout_ms, const volatile int *cancel) {
  ce_window_query q = CE_WINDOW_QUERY_INIT;
  q.timeout_ms = timeout_ms;
  q.cancel = cancel;
  q.backend = CE_WINDOWS_WAYLAND;
  l->count = 0;
  return ce_enum_windows_ex(&q, collect, l);
}

static uint64_t ext_id(const char *identifier) {
  return ce__wl_identifier_id(identifier, strlen(identifier));
}

static void test_ext(listing *l) {
  start_stub("ext");
  CHECK_INT(list(l, 5000, NULL), CE_OK);
  REQUIRE(l->count == 3);
  CHECK_STR(l->records[0].title, "Grüße — 日本 ✓");
  CHECK_STR(l->records[1].title, "bad \xEF\xBF\xBD\xEF\xBF\xBD utf-8");
  CHECK_STR(l->records[2].title, "the dialog");
  CHECK_STR(l->records[0].app_id, "org.cenum.one");
  CHECK_STR(l->records[1].app_id, "org.cenum.two");
  CHECK(l->records[0].id == ext_id("a1b2c3d4-0001"));
  CHECK(l->records[2].id == ext_id("a1b2c3d4-0003"));
  for (size_t i = 0; i < l->count; i++) {
    const record *r = &l->records[i];
    /* No states without wlr; no pid or frame without an IPC. */
    CHECK(r->visible && !r->minimized && r->managed && !r->focused);
    CHECK(r->transient_for == 0);
    CHECK(r->pid == -1);
    CHECK(r->x == 0 && r->y == 0 && r->width == 0 && r->height == 0);
  }
  /* The identifier's id is the same in the next enumeration. */
  {
    uint64_t first = l->records[0].id;
    CHECK_INT(list(l, 5000, NULL), CE_OK);
    CHECK(l->count == 3 && l->records[0].id == first);
  }
  /* A callback that stops ends the enumeration. */
  l->stop_after = 1;
  CHECK_INT(list(l, 5000, NULL), CE_STOPPED);
  CHECK(l->count == 1);
  l->stop_after = 0;
}

static void test_both(listing *l) {
  start_stub("both");
  CHECK_INT(list(l, 5000, NULL), CE_OK);
  REQUIRE(l->count == 3); /* one record per toplevel, not one per list */
  CHECK(l->records[0].id == ext_id("a1b2c3d4-0001"));
  CHECK(!l->records[0].minimized && l->records[0].visible);
  CHECK(l->records[1].minimized && !l->records[1].visible);
  CHECK(l->records[2].focused && !l->records[0].focused);
  CHECK(l->records[2].transient_for == l->records[0].id);
  CHECK(l->records[0].transient_for == 0);
  {
    ce_window_query q = CE_WINDOW_QUERY_INIT;
    listing visible = *l;
    q.backend = CE_WINDOWS_WAYLAND;
    q.visible_only = true;
    visible.count = 0;
    CHECK_INT(ce_enum_windows_ex(&q, collect, &visible), CE_OK);
    CHECK(visible.count == 2);
  }
}

/* Threads enumerating at once, each on its own connection. */
static void *enumerate_often(void *data) {
  listing l;
  int *ok = data;
  memset(&l, 0, sizeof l);
  l.records = calloc(8, sizeof *l.records);
  *ok = l.records != NULL;
  for (int i = 0; *ok && i < 10; i++) {
    ce_window_query q = CE_WINDOW_QUERY_INIT;
    q.backend = CE_WINDOWS_WAYLAND;
    q.timeout_ms = 10000;
    l.count = 0;
    *ok = ce_enum_windows_ex(&q, collect, &l) == CE_OK && l.count == 3;
  }
  free(l.records);
  return NULL;
}

static void test_threads(void) {
  pthread_t threads[4];
  int ok[4];
  start_stub("both");
  for (int i = 0; i < 4; i++)
    REQUIRE(pthread_create(&threads[i], NULL, enumerate_often, &ok[i]) == 0);
  for (int i = 0; i < 4; i++) {
    pthread_join(threads[i], NULL);
    CHECK(ok[i]);
  }
}

static void test_hostile(listing *l) {
  uint64_t start = ce__now_ms();
  size_t focused = 0;
  start_stub("hostile");
  CHECK_INT(list(l, 20000, NULL), CE_OK);
  /* 10,000 less the one never done and the one closed. */
  CHECK(l->count == 9998);
  if (l->count == 9998) {
    char expected[4096];
    size_t n = 0;
    /* 3,000 invalid bytes, each a U+FFFD, cut at a character boundary
     * within the title cap. */
    while (n + 3 < sizeof expected && n / 3 < 3000)
      memcpy(expected + n, "\xEF\xBF\xBD", 3), n += 3;
    expected[n] = '\0';
    CHECK(strncmp(l->records[0].title, expected,
                  sizeof l->records[0].title - 3) == 0);
    CHECK_STR(l->records[1].title, "toplevel 1");
    CHECK(l->records[1].focused); /* the first of two activated */
    CHECK(!l->records[2].focused);
    CHECK(l->records[3].minimized);
    CHECK_STR(l->records[4].title, "toplevel 6"); /* 4 and 5 left out */
    for (size_t i = 0; i < l->count; i++) {
      focused += l->records[i].focused;
      CHECK(strcmp(l->records[i].title, "never announced") != 0);
    }
    CHECK(focused == 1);
    /* Ids by order of appearance, above 2^62. */
    CHECK(l->records[0].id == (UINT64_C(1) << 62) + 1);
  }
  printf("hostile: 10,000 toplevels in %llu ms\n",
         (unsigned long long)(ce__now_ms() - start));
}

static void *cancel_soon(void *flag) {
  struct timespec pause = {0, 100 * 1000000L};
  nanosleep(&pause, NULL);
  __atomic_store_n((volatile int *)flag, 1, __ATOMIC_SEQ_CST);
  return NULL;
}

static void test_failures(listing *l) {
  uint64_t start;
  volatile int cancel = 0;

  start_stub("huge");
  CHECK_INT(list(l, 5000, NULL), CE_E_BACKEND);
  CHECK(strstr(ce_error_detail(), "Wayland") != NULL);

  start_stub("chatty");
  CHECK_INT(list(l, 20000, NULL), CE_E_BACKEND);
  CHECK(strstr(ce_error_detail(), "32 MiB") != NULL);

  start_stub("none");
  CHECK_INT(list(l, 5000, NULL), CE_E_UNSUPPORTED);
  CHECK(strstr(ce_error_detail(), "stub_compositor") != NULL);
  CHECK(strstr(ce_error_detail(), "CENUM_WINDOWS=x11") != NULL);

  start_stub("close");
  CHECK_INT(list(l, 5000, NULL), CE_E_UNAVAILABLE);
  CHECK(strstr(ce_error_detail(), "closed") != NULL);

  start_stub("error");
  CHECK_INT(list(l, 5000, NULL), CE_E_BACKEND);
  CHECK(strstr(ce_error_detail(), "zwlr_foreign_toplevel_manager_v1") != NULL);

  start_stub("silent");
  start = ce__now_ms();
  CHECK_INT(list(l, 300, NULL), CE_E_TIMEOUT);
  /* Room for valgrind, and never much less than asked. */
  CHECK(ce__now_ms() - start >= 290 && ce__now_ms() - start < 3000);
  CHECK(strstr(ce_error_detail(), "did not answer") != NULL);

  /* A cancel while the backend waits for the silent compositor. */
  {
    pthread_t canceller;
    start = ce__now_ms();
    REQUIRE(pthread_create(&canceller, NULL, cancel_soon, (void *)&cancel) ==
            0);
    CHECK_INT(list(l, 10000, &cancel), CE_E_CANCELLED);
    CHECK(ce__now_ms() - start < 3000);
    pthread_join(canceller, NULL);
  }
  stop_stub();

  /* No compositor at all: the socket is not there. */
  CHECK_INT(list(l, 5000, NULL), CE_E_UNAVAILABLE);
  CHECK(strstr(ce_error_detail(), "wayland-stub") != NULL);
  /* A session variable naming no socket: auto steps on to X11, which says
   * why it cannot serve either. */
  setenv("WAYLAND_DISPLAY", "wayland-none", 1);
  unsetenv("DISPLAY");
  CHECK_INT(ce_enum_windows(collect, l), CE_E_UNAVAILABLE);
  CHECK(strstr(ce_error_detail(), "no compositor socket") != NULL);
  CHECK(strstr(ce_error_detail(), "DISPLAY is not set") != NULL);
}

int main(void) {
  listing l;
  if (getenv("CENUM_TEST_STUB") == NULL)
    return 2;
  memset(&l, 0, sizeof l);
  l.records = calloc(MAX_RECORDS, sizeof *l.records);
  REQUIRE(l.records != NULL);
  unsetenv("CENUM_WINDOWS");
  test_ext(&l);
  test_both(&l);
  test_threads();
  test_hostile(&l);
  test_failures(&l);
  stop_stub();
  free(l.records);
  return check_finish();
}
