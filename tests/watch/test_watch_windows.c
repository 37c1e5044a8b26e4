/* SPDX-License-Identifier: MIT */
/*
 * The X11 watch on the x11 fixtures' Xvfb, with and without openbox
 * (CENUM_TEST_X11_WM): a window created, renamed, minimized (unmapped
 * without a window manager), moved to another desktop and destroyed is
 * reported each time with the fields set; after churns of hundreds of
 * windows the records told equal a fresh ce_enum_windows_ex, field by field
 * (several rounds). The host's X error handler is untouched. Prints the
 * cost of a burst of new windows (dispatch time), a figure, not a bound.
 */
#include "check.h"
#include "told.h"

#include <cenum.h>

#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static Display *dpy;
static told seen;
static int with_wm;
static struct {
  uint64_t id;
  char title[256];
  bool minimized, visible;
  int desktop;
  ce_change change;
} last;

/* The fields a churn compares: what the test's windows change. */
static void value_of(const ce_window *w, char *out, size_t size) {
  snprintf(out, size, "%s|%s|v%d|m%d|d%d|%dx%d", w->title, w->class_name,
           (int)w->visible, (int)w->minimized, w->desktop, w->width, w->height);
}

static void key_of(const ce_window *w, char *out, size_t size) {
  snprintf(out, size, "%016llx", (unsigned long long)w->id);
}

static ce_next on_window(ce_change change, const ce_window *w, void *ctx) {
  char key[32], value[600];
  (void)ctx;
  CHECK(w->size == sizeof *w);
  key_of(w, key, sizeof key);
  value_of(w, value, sizeof value);
  if (getenv("WATCH_DEBUG"))
    fprintf(stderr, "change %d %s %s\n", (int)change, key, value);
  told_apply_value(&seen, change, key, value);
  last.id = w->id;
  last.change = change;
  snprintf(last.title, sizeof last.title, "%s", w->title);
  last.minimized = w->minimized;
  last.visible = w->visible;
  last.desktop = w->desktop;
  return CE_CONTINUE;
}

/* The promise: what was told equals a fresh enumeration with the query. */
static int matches_fresh(void) {
  return told_equals_windows(&seen, key_of, value_of);
}

/* Dispatches until `what` holds or 10 s passed. */
#define DISPATCH_UNTIL(w, what) DISPATCH_UNTIL_TRIES(w, what, 100, 0)

/* The promise holds modulo changes in flight: a window manager still busy
 * with a burst changes windows after a quiet half second. */
static int settles_to_fresh(ce_watch *w) {
  return told_settles(&seen, w, matches_fresh);
}

static Window make_window(const char *title) {
  XSetWindowAttributes attributes;
  Window w;
  XClassHint hint;
  attributes.override_redirect = False;
  w = XCreateWindow(dpy, DefaultRootWindow(dpy), 10, 10, 120, 80, 0,
                    CopyFromParent, InputOutput, CopyFromParent,
                    CWOverrideRedirect, &attributes);
  XStoreName(dpy, w, title);
  hint.res_name = (char *)"watch";
  hint.res_class = (char *)"CenumWatch";
  XSetClassHint(dpy, w, &hint);
  XMapWindow(dpy, w);
  XSync(dpy, False);
  return w;
}

static void rename_window(Window w, const char *title) {
  XStoreName(dpy, w, title);
  XSync(dpy, False);
}

/* Asks for desktop 1: the window manager's way with one, the property
 * itself without. */
static void to_desktop(Window w, long desktop) {
  Atom atom = XInternAtom(dpy, "_NET_WM_DESKTOP", False);
  if (with_wm) {
    XEvent e;
    memset(&e, 0, sizeof e);
    e.xclient.type = ClientMessage;
    e.xclient.window = w;
    e.xclient.message_type = atom;
    e.xclient.format = 32;
    e.xclient.data.l[0] = desktop;
    e.xclient.data.l[1] = 2;
    XSendEvent(dpy, DefaultRootWindow(dpy), False,
               SubstructureRedirectMask | SubstructureNotifyMask, &e);
  } else {
    XChangeProperty(dpy, w, atom, XA_CARDINAL, 32, PropModeReplace,
                    (unsigned char *)&desktop, 1);
  }
  XSync(dpy, False);
}

static int host_errors;
static int host_handler(Display *d, XErrorEvent *e) {
  (void)d, (void)e;
  host_errors++;
  return 0;
}

static void churn(ce_watch *w, int round) {
  enum { N = 300 };
  static Window windows[N];
  char title[64];
  uint64_t started;
  told_reset_counts(&seen);
  for (int i = 0; i < N; i++) {
    snprintf(title, sizeof title, "churn %d.%d", round, i);
    windows[i] = make_window(title);
  }
  started = ce__now_ms();
  CHECK(settles_to_fresh(w));
  printf("round %d: %d windows added in %llu ms of dispatching (with the "
         "half second of quiet)\n",
         round, seen.added, (unsigned long long)(ce__now_ms() - started));
  /* A window manager reparents each new window into a frame: for a moment
   * the enumeration lists it unmanaged, then not at all, then managed, and
   * the watch reports what each list said (removed, added again). Without
   * one, every window is added exactly once. */
  if (with_wm)
    CHECK(seen.added >= N);
  else
    CHECK_INT(seen.added, N);
  told_reset_counts(&seen);
  for (int i = 0; i < N; i++) {
    if (i % 3 == 0) {
      snprintf(title, sizeof title, "renamed %d.%d", round, i);
      XStoreName(dpy, windows[i], title);
    } else {
      XDestroyWindow(dpy, windows[i]);
    }
  }
  XSync(dpy, False);
  CHECK(settles_to_fresh(w));
  if (with_wm)
    CHECK(seen.removed >= N - (N + 2) / 3);
  else
    CHECK_INT(seen.removed, N - (N + 2) / 3);
  for (int i = 0; i < N; i += 3)
    XDestroyWindow(dpy, windows[i]);
  XSync(dpy, False);
  CHECK(settles_to_fresh(w));
}

int main(void) {
  const char *state = getenv("CENUM_TEST_X11_STATE");
  char path[1024], display[64] = "";
  ce_window_query query = CE_WINDOW_QUERY_INIT;
  ce_watch *w = NULL;
  Window one;
  FILE *f;

  REQUIRE(state != NULL);
  with_wm = getenv("CENUM_TEST_X11_WM") && atoi(getenv("CENUM_TEST_X11_WM"));
  snprintf(path, sizeof path, "%s/display", state);
  f = fopen(path, "r");
  REQUIRE(f != NULL && fgets(display, sizeof display, f) != NULL);
  fclose(f);
  display[strcspn(display, "\n")] = '\0';
  setenv("DISPLAY", display, 1);
  dpy = XOpenDisplay(display);
  REQUIRE(dpy != NULL);
  XSetErrorHandler(host_handler);

  query.x11_display = dpy;
  CHECK_INT(ce_watch_windows(&query, on_window, NULL, &w), CE_E_INVALID);
  query.x11_display = NULL;
  /* Not a Wayland session: the Wayland watch refuses as the enumeration
   * does (CE_E_UNAVAILABLE, or CE_E_UNSUPPORTED in a build without it). */
  query.backend = CE_WINDOWS_WAYLAND;
  unsetenv("WAYLAND_DISPLAY");
  {
    told_fresh none = {key_of, value_of, {NULL}, 0};
    int listed = ce_enum_windows_ex(&query, told_collect_window, &none);
    CHECK(listed == CE_E_UNAVAILABLE || listed == CE_E_UNSUPPORTED);
    CHECK_INT(ce_watch_windows(&query, on_window, NULL, &w), listed);
    CHECK(strstr(ce_error_detail(), "ayland") != NULL);
  }
  CHECK(w == NULL);
  query.backend = CE_WINDOWS_AUTO;
  REQUIRE(ce_watch_windows(&query, on_window, NULL, &w) == CE_OK);
  CHECK_INT(ce_watch_dispatch(w, 0), CE_OK);
  CHECK(matches_fresh());

  /* Created. */
  told_reset_counts(&seen);
  one = make_window("watch one");
  DISPATCH_UNTIL(w, seen.added >= 1 && last.id == one);
  CHECK_STR(last.title, "watch one");
  told_settle(&seen, w);

  /* Renamed. */
  told_reset_counts(&seen);
  rename_window(one, "watch one, renamed");
  DISPATCH_UNTIL(w, last.id == one &&
                        strcmp(last.title, "watch one, renamed") == 0);
  CHECK(last.change == CE_CHANGED);
  CHECK_INT(seen.added + seen.removed, 0);

  /* Minimized (with a window manager), or unmapped (without). */
  told_reset_counts(&seen);
  if (with_wm) {
    XIconifyWindow(dpy, one, DefaultScreen(dpy));
    XSync(dpy, False);
    DISPATCH_UNTIL(w, last.id == one && last.minimized);
  } else {
    XUnmapWindow(dpy, one);
    XSync(dpy, False);
    DISPATCH_UNTIL(w, last.id == one && !last.visible);
    XMapWindow(dpy, one);
    XSync(dpy, False);
    DISPATCH_UNTIL(w, last.id == one && last.visible);
  }
  CHECK(last.change == CE_CHANGED);
  told_settle(&seen, w);

  /* Another desktop. */
  told_reset_counts(&seen);
  to_desktop(one, 1);
  DISPATCH_UNTIL(w, last.id == one && last.desktop == 1);
  CHECK(settles_to_fresh(w));

  /* Destroyed. */
  told_reset_counts(&seen);
  XDestroyWindow(dpy, one);
  XSync(dpy, False);
  DISPATCH_UNTIL(w, seen.removed >= 1 && last.id == one);
  CHECK(last.change == CE_REMOVED);
  CHECK(settles_to_fresh(w));

  for (int round = 1; round <= 3; round++)
    churn(w, round);
  CHECK_INT(seen.errors, 0);

  ce_watch_close(w);
  /* The host's handler is still its own, and saw none of the watch's. */
  CHECK(XSetErrorHandler(NULL) == host_handler);
  CHECK_INT(host_errors, 0);
  told_free(&seen);
  XCloseDisplay(dpy);
  return check_failures ? 1 : 0;
}
