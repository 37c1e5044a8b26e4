/* SPDX-License-Identifier: MIT */
/*
 * spawn_windows: creates N top-level windows for the window benchmark, each
 * with a title (_NET_WM_NAME in UTF-8 and WM_NAME), WM_CLASS and
 * _NET_WM_PID, maps them, prints "ready N" once they are all mapped (and,
 * when a window manager runs, all listed in its _NET_CLIENT_LIST), and keeps
 * them alive until it is killed.
 *
 * usage: spawn_windows N
 *        spawn_windows --wm-check   (exit 0 when an EWMH window manager runs)
 */
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int compare_ids(const void *a, const void *b) {
  Window x = *(const Window *)a, y = *(const Window *)b;
  return x < y ? -1 : x > y;
}

/*
 * How many of our windows (`ours`, sorted) the window manager lists. When
 * `remap` is set, maps again each of ours it does not list: a window mapped
 * while the window manager was still starting can stay unmanaged, and a new
 * map request makes it take the window.
 */
static long managed_count(Display *display, Atom client_list,
                          const Window *ours, size_t n, int remap) {
  Atom type;
  int format;
  unsigned long count = 0, after;
  unsigned char *data = NULL;
  Window *listed;
  long found = 0;
  if (XGetWindowProperty(display, DefaultRootWindow(display), client_list, 0,
                         1L << 24, False, XA_WINDOW, &type, &format, &count,
                         &after, &data) != Success)
    return 0;
  if (type != XA_WINDOW || format != 32)
    count = 0;
  listed = (Window *)(void *)data;
  if (count > 0)
    qsort(listed, count, sizeof *listed, compare_ids);
  for (size_t i = 0; i < n; i++) {
    if (count > 0 &&
        bsearch(&ours[i], listed, count, sizeof *listed, compare_ids) != NULL) {
      found++;
    } else if (remap) {
      XUnmapWindow(display, ours[i]);
      XMapWindow(display, ours[i]);
    }
  }
  if (data)
    XFree(data);
  if (remap)
    XFlush(display);
  return found;
}

static int has_window_manager(Display *display) {
  Atom check = XInternAtom(display, "_NET_SUPPORTING_WM_CHECK", False);
  Atom type;
  int format;
  unsigned long count = 0, after;
  unsigned char *data = NULL;
  int found = XGetWindowProperty(display, DefaultRootWindow(display), check, 0,
                                 1, False, XA_WINDOW, &type, &format, &count,
                                 &after, &data) == Success &&
              count == 1;
  if (data)
    XFree(data);
  return found;
}

int main(int argc, char **argv) {
  Display *display;
  Window root;
  Atom net_wm_name, utf8_string, net_wm_pid, client_list;
  long n, pid = (long)getpid();
  Window *windows;

  if (argc != 2 || (n = atol(argv[1])) < 0) {
    fputs("usage: spawn_windows N | --wm-check\n", stderr);
    return 2;
  }
  display = XOpenDisplay(NULL);
  if (display == NULL) {
    fputs("spawn_windows: cannot open the display\n", stderr);
    return 1;
  }
  if (strcmp(argv[1], "--wm-check") == 0)
    return has_window_manager(display) ? 0 : 1;
  root = DefaultRootWindow(display);
  net_wm_name = XInternAtom(display, "_NET_WM_NAME", False);
  utf8_string = XInternAtom(display, "UTF8_STRING", False);
  net_wm_pid = XInternAtom(display, "_NET_WM_PID", False);
  client_list = XInternAtom(display, "_NET_CLIENT_LIST", False);
  windows = calloc((size_t)n + 1, sizeof *windows);
  if (windows == NULL)
    return 1;

  for (long i = 0; i < n; i++) {
    char title[96], wm_name[64];
    XClassHint hint = {"benchwin", "BenchWin"};
    XSizeHints hints;
    Window w = XCreateSimpleWindow(
        display, root, (int)(i * 37 % 1000), (int)(i * 23 % 800),
        (unsigned)(120 + i % 50), (unsigned)(60 + i % 30), 0, 0, 0);
    windows[i] = w;
    /* A UTF-8 title with non-ASCII text, and a plain WM_NAME beside it, as
     * real clients set both. */
    memset(&hints, 0, sizeof hints);
    snprintf(title, sizeof title, "Bench window %ld \xe2\x80\x94 f\xc3\xbcr",
             i);
    snprintf(wm_name, sizeof wm_name, "Bench window %ld", i);
    XChangeProperty(display, w, net_wm_name, utf8_string, 8, PropModeReplace,
                    (unsigned char *)title, (int)strlen(title));
    XStoreName(display, w, wm_name);
    XSetClassHint(display, w, &hint);
    XChangeProperty(display, w, net_wm_pid, XA_CARDINAL, 32, PropModeReplace,
                    (unsigned char *)&pid, 1);
    /* A position the program asks for: the window manager then places
     * nothing itself (openbox's smart placement costs time that grows with
     * the square of the windows already on the screen). */
    hints.flags = USPosition | PPosition;
    XSetWMNormalHints(display, w, &hints);
    XMapWindow(display, w);
    if (i % 256 == 255)
      XFlush(display);
  }
  XSync(display, False);
  qsort(windows, (size_t)n, sizeof *windows, compare_ids);

  if (has_window_manager(display)) {
    /* Wait until the window manager has taken every window, so the
     * benchmark lists a settled display (up to ten minutes for big N). */
    struct timespec pause = {0, 50000000};
    long managed = 0, stalled = 0;
    for (int tries = 1; tries <= 12000; tries++) {
      /* Map again only when the window manager has stopped making progress
       * for five seconds, not while it works through a backlog. */
      long now = managed_count(display, client_list, windows, (size_t)n,
                               stalled >= 100);
      if (now >= n)
        break;
      if (tries == 12000) {
        printf("timeout: %ld of %ld windows managed\n", now, n);
        return 1;
      }
      stalled = now > managed || stalled >= 100 ? 0 : stalled + 1;
      managed = now;
      nanosleep(&pause, NULL);
    }
  }
  printf("ready %ld\n", n);
  fflush(stdout);

  for (;;) {
    XEvent event;
    XNextEvent(display, &event);
  }
}
