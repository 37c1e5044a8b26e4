/* SPDX-License-Identifier: MIT */
/*
 * The compatibility promise: a program built against the 0.1 header keeps
 * working with this library. The structs below are the 0.1 layouts, copied
 * as that header had them; the static assertions fail the build when a
 * change moves a 0.1 field or puts a newer one inside a 0.1 struct's size,
 * and the calls show the library accepts 0.1 queries and reports record
 * sizes a 0.1 reader can rely on.
 */
#include "check.h"

#include <cenum.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------ the 0.1 layouts -- */

typedef struct font_query_0_1 {
  size_t size;
  unsigned timeout_ms;
  const volatile int *cancel;
  const char *family;
  bool monospace_only;
} font_query_0_1;

typedef struct window_query_0_1 {
  size_t size;
  unsigned timeout_ms;
  const volatile int *cancel;
  bool visible_only;
  bool apps_only;
  void *x11_display;
} window_query_0_1;

/* ce_window_query as it was with `backend` last, whose sizeof `fields`
 * (appended after it) must not start below. */
typedef struct window_query_0_2 {
  window_query_0_1 v0_1;
  ce_windows_backend backend;
} window_query_0_2;

typedef struct printer_query_0_1 {
  size_t size;
  unsigned timeout_ms;
  const volatile int *cancel;
  bool include_discovered;
} printer_query_0_1;

typedef struct font_0_1 {
  size_t size;
  const char *family, *style, *fullname, *postscript_name, *path;
  int index, weight, width;
  ce_slant slant;
  bool monospace, scalable;
  const char *format;
} font_0_1;

typedef struct window_0_1 {
  size_t size;
  uint64_t id;
  const char *title, *class_name, *instance;
  int64_t pid;
  const char *exe;
  int x, y, width, height, desktop;
  bool visible, minimized, managed;
} window_0_1;

typedef struct printer_0_1 {
  size_t size;
  const char *name, *info, *location, *make_model, *uri;
  bool is_default;
  ce_printer_state state;
  const char *state_message;
  const char *const *state_reasons;
  size_t state_reason_count;
  bool accepting, shared, discovered;
} printer_0_1;

/* Every 0.1 field is where the 0.1 header put it. */
#define SAME(old, new, field) (offsetof(old, field) == offsetof(new, field))

_Static_assert(SAME(font_query_0_1, ce_font_query, timeout_ms) &&
                   SAME(font_query_0_1, ce_font_query, cancel) &&
                   SAME(font_query_0_1, ce_font_query, family) &&
                   SAME(font_query_0_1, ce_font_query, monospace_only),
               "a 0.1 field of ce_font_query moved");
_Static_assert(SAME(window_query_0_1, ce_window_query, timeout_ms) &&
                   SAME(window_query_0_1, ce_window_query, cancel) &&
                   SAME(window_query_0_1, ce_window_query, visible_only) &&
                   SAME(window_query_0_1, ce_window_query, apps_only) &&
                   SAME(window_query_0_1, ce_window_query, x11_display),
               "a 0.1 field of ce_window_query moved");
_Static_assert(SAME(printer_query_0_1, ce_printer_query, timeout_ms) &&
                   SAME(printer_query_0_1, ce_printer_query, cancel) &&
                   SAME(printer_query_0_1, ce_printer_query,
                        include_discovered),
               "a 0.1 field of ce_printer_query moved");
_Static_assert(
    SAME(font_0_1, ce_font, family) && SAME(font_0_1, ce_font, style) &&
        SAME(font_0_1, ce_font, fullname) &&
        SAME(font_0_1, ce_font, postscript_name) &&
        SAME(font_0_1, ce_font, path) && SAME(font_0_1, ce_font, index) &&
        SAME(font_0_1, ce_font, weight) && SAME(font_0_1, ce_font, width) &&
        SAME(font_0_1, ce_font, slant) && SAME(font_0_1, ce_font, monospace) &&
        SAME(font_0_1, ce_font, scalable) && SAME(font_0_1, ce_font, format),
    "a 0.1 field of ce_font moved");
_Static_assert(SAME(window_0_1, ce_window, id) &&
                   SAME(window_0_1, ce_window, title) &&
                   SAME(window_0_1, ce_window, class_name) &&
                   SAME(window_0_1, ce_window, instance) &&
                   SAME(window_0_1, ce_window, pid) &&
                   SAME(window_0_1, ce_window, exe) &&
                   SAME(window_0_1, ce_window, x) &&
                   SAME(window_0_1, ce_window, y) &&
                   SAME(window_0_1, ce_window, width) &&
                   SAME(window_0_1, ce_window, height) &&
                   SAME(window_0_1, ce_window, desktop) &&
                   SAME(window_0_1, ce_window, visible) &&
                   SAME(window_0_1, ce_window, minimized) &&
                   SAME(window_0_1, ce_window, managed),
               "a 0.1 field of ce_window moved");
_Static_assert(SAME(printer_0_1, ce_printer, name) &&
                   SAME(printer_0_1, ce_printer, info) &&
                   SAME(printer_0_1, ce_printer, location) &&
                   SAME(printer_0_1, ce_printer, make_model) &&
                   SAME(printer_0_1, ce_printer, uri) &&
                   SAME(printer_0_1, ce_printer, is_default) &&
                   SAME(printer_0_1, ce_printer, state) &&
                   SAME(printer_0_1, ce_printer, state_message) &&
                   SAME(printer_0_1, ce_printer, state_reasons) &&
                   SAME(printer_0_1, ce_printer, state_reason_count) &&
                   SAME(printer_0_1, ce_printer, accepting) &&
                   SAME(printer_0_1, ce_printer, shared) &&
                   SAME(printer_0_1, ce_printer, discovered),
               "a 0.1 field of ce_printer moved");

/* The first field after 0.1 starts at or after the 0.1 sizeof, out of the
 * tail padding a 0.1 library counted in the size it reported. */
_Static_assert(offsetof(ce_window, transient_for) >= sizeof(window_0_1),
               "a 0.2 field of ce_window sits in the 0.1 struct's padding");
_Static_assert(offsetof(ce_printer, instance) >= sizeof(printer_0_1),
               "a 0.2 field of ce_printer sits in the 0.1 struct's padding");
_Static_assert(offsetof(ce_window_query, backend) >= sizeof(window_query_0_1),
               "a 0.2 field of ce_window_query sits in the 0.1 padding");
_Static_assert(offsetof(window_query_0_2, backend) ==
                   offsetof(ce_window_query, backend),
               "ce_window_query.backend moved");
_Static_assert(offsetof(ce_window_query, fields) >= sizeof(window_query_0_2),
               "ce_window_query.fields sits in the padding after backend");

/* -------------------------------------------------- run-time checks -- */

typedef struct seen {
  int count;
  size_t size; /* the size the records reported */
  int family_ok;
} seen;

static ce_next on_font(const ce_font *font, void *ctx) {
  seen *s = ctx;
  s->count++;
  s->size = font->size;
  s->family_ok = strcmp(font->family, "DejaVu Sans") == 0;
  return CE_CONTINUE;
}

/* A 0.1 font query, with a 0.1 filter, lists exactly what a current one
 * does; the records tell their current size, which a 0.1 reader's
 * CE_HAS_FIELD reads correctly. */
static void test_font_query_0_1(void) {
  font_query_0_1 old;
  ce_font_query now = CE_FONT_QUERY_INIT;
  seen a = {0, 0, 0}, b = {0, 0, 0};

  memset(&old, 0, sizeof old);
  old.size = sizeof old;
  old.family = "DejaVu Sans";
  CHECK_INT(
      ce_enum_fonts_ex((const ce_font_query *)(const void *)&old, on_font, &a),
      CE_OK);
  now.family = "DejaVu Sans";
  CHECK_INT(ce_enum_fonts_ex(&now, on_font, &b), CE_OK);
  /* The fixture's fonts directory holds four DejaVu Sans faces. */
  CHECK(a.count > 0);
  CHECK_INT(a.count, b.count);
  CHECK(a.family_ok);
  CHECK(a.size == sizeof(ce_font));
  CHECK(a.size >= sizeof(font_0_1));
  /* The exact 0.1 fields and nothing more: the smallest size accepted. */
  old.size = offsetof(font_query_0_1, monospace_only) + sizeof(bool);
  a.count = 0;
  CHECK_INT(
      ce_enum_fonts_ex((const ce_font_query *)(const void *)&old, on_font, &a),
      CE_OK);
  CHECK_INT(a.count, b.count);
  old.size--;
  CHECK_INT(
      ce_enum_fonts_ex((const ce_font_query *)(const void *)&old, on_font, &a),
      CE_E_INVALID);
  CHECK(strstr(ce_error_detail(), "ce_font_query.size") != NULL);
}

static ce_next never(const void *record, void *ctx) {
  (void)record;
  ++*(int *)ctx;
  return CE_CONTINUE;
}
static ce_next never_window(const ce_window *w, void *ctx) {
  return never(w, ctx);
}
static ce_next never_printer(const ce_printer *p, void *ctx) {
  return never(p, ctx);
}

/* 0.1 window and printer queries are accepted: they reach the backend,
 * which then says what it says about this machine (no display here; a
 * print server that is not there), never CE_E_INVALID. */
static void test_other_queries_0_1(void) {
  window_query_0_1 w;
  printer_query_0_1 p;
  int calls = 0;

  memset(&w, 0, sizeof w);
  w.size = sizeof w;
  CHECK_INT(ce_enum_windows_ex((const ce_window_query *)(const void *)&w,
                               never_window, &calls),
            CE_E_UNAVAILABLE);
  CHECK(strstr(ce_error_detail(), "DISPLAY") != NULL);

  memset(&p, 0, sizeof p);
  p.size = sizeof p;
  p.timeout_ms = 2000;
  CHECK_INT(ce_enum_printers_ex((const ce_printer_query *)(const void *)&p,
                                never_printer, &calls),
            CE_E_UNAVAILABLE);
  CHECK(strstr(ce_error_detail(), "CUPS") != NULL);
  CHECK_INT(calls, 0);
}

/* A query from a newer header: longer, with a field this version lacks. */
typedef struct newer_window_query {
  ce_window_query known;
  uint64_t future_field;
} newer_window_query;

static void test_newer_query(void) {
  newer_window_query q;
  int calls = 0;

  memset(&q, 0, sizeof q);
  q.known.size = sizeof q;
  /* Unknown but zero: accepted (and so on to the backend). */
  CHECK_INT(ce_enum_windows_ex(&q.known, never_window, &calls),
            CE_E_UNAVAILABLE);
  /* Unknown and set: a filter we would ignore, so refused. */
  q.future_field = 1;
  CHECK_INT(ce_enum_windows_ex(&q.known, never_window, &calls), CE_E_INVALID);
  CHECK(strstr(ce_error_detail(), "does not know") != NULL);
  CHECK_INT(calls, 0);
}

/* The 0.2 backend field and its environment override. */
static void test_backend_choice(void) {
  ce_window_query q = CE_WINDOW_QUERY_INIT;
  int calls = 0;

  q.backend = (ce_windows_backend)42;
  CHECK_INT(ce_enum_windows_ex(&q, never_window, &calls), CE_E_INVALID);
  CHECK(strstr(ce_error_detail(), "backend") != NULL);

  q.backend = CE_WINDOWS_WIN32;
  CHECK_INT(ce_enum_windows_ex(&q, never_window, &calls), CE_E_UNSUPPORTED);
  CHECK(strstr(ce_error_detail(), "win32") != NULL);

  q.backend = CE_WINDOWS_AUTO;
  setenv("CENUM_WINDOWS", "bogus", 1);
  CHECK_INT(ce_enum_windows_ex(&q, never_window, &calls), CE_E_INVALID);
  CHECK(strstr(ce_error_detail(), "CENUM_WINDOWS") != NULL);
  setenv("CENUM_WINDOWS", "win32", 1);
  CHECK_INT(ce_enum_windows_ex(&q, never_window, &calls), CE_E_UNSUPPORTED);
  /* The program's own choice wins over the environment. */
  q.backend = CE_WINDOWS_X11;
  CHECK_INT(ce_enum_windows_ex(&q, never_window, &calls), CE_E_UNAVAILABLE);
  CHECK(strstr(ce_error_detail(), "X11") != NULL);
  unsetenv("CENUM_WINDOWS");
  CHECK_INT(calls, 0);
}

typedef struct backends {
  int fontconfig_available, x11_listed, x11_available, cups_listed;
  int wayland_listed, wayland_available;
  char x11_detail[256], wayland_detail[256];
} backends;

static ce_next on_backend(const ce_backend *b, void *ctx) {
  backends *s = ctx;
  CHECK(b->size == sizeof *b);
  if (strcmp(b->kind, "fonts") == 0 && strcmp(b->name, "fontconfig") == 0)
    s->fontconfig_available = b->available && b->detail[0] == '\0';
  if (strcmp(b->kind, "windows") == 0 && strcmp(b->name, "x11") == 0) {
    s->x11_listed = 1;
    s->x11_available = b->available;
    snprintf(s->x11_detail, sizeof s->x11_detail, "%s", b->detail);
  }
  if (strcmp(b->kind, "windows") == 0 && strcmp(b->name, "wayland") == 0) {
    s->wayland_listed = 1;
    s->wayland_available = b->available;
    snprintf(s->wayland_detail, sizeof s->wayland_detail, "%s", b->detail);
  }
  if (strcmp(b->kind, "printers") == 0 && strcmp(b->name, "cups") == 0)
    s->cups_listed = 1;
  return CE_CONTINUE;
}

static void test_backend_list(void) {
  backends s;
  memset(&s, 0, sizeof s);
  CHECK_INT(ce_enum_backends(on_backend, &s), CE_OK);
  CHECK(s.fontconfig_available);
  CHECK(s.x11_listed);
  CHECK(!s.x11_available); /* DISPLAY is unset for this test */
  CHECK(strstr(s.x11_detail, "DISPLAY") != NULL);
#ifdef CE_TEST_HAVE_WAYLAND
  /* Not a Wayland session: the Wayland backend steps aside for X11. */
  CHECK(s.wayland_listed);
  CHECK(!s.wayland_available);
  CHECK(strstr(s.wayland_detail, "WAYLAND_DISPLAY") != NULL);
#endif
  CHECK(s.cups_listed);
  CHECK_INT(ce_enum_backends(NULL, NULL), CE_E_INVALID);
}

int main(void) {
  unsetenv("DISPLAY");
  unsetenv("WAYLAND_DISPLAY");
  unsetenv("XDG_SESSION_TYPE");
  unsetenv("CENUM_WINDOWS");
  test_font_query_0_1();
  test_other_queries_0_1();
  test_newer_query();
  test_backend_choice();
  test_backend_list();
  return check_finish();
}
