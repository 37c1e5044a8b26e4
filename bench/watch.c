/* SPDX-License-Identifier: MIT */
/*
 * The watch's figures (a benchmark, never a test):
 *
 *   bench_watch fonts DIR N     latency from a font copied into DIR (a font
 *                               directory of the FONTCONFIG_FILE in use)
 *                               to its CE_ADDED, and from its removal to
 *                               its CE_REMOVED, N times
 *   bench_watch printers N      from `lpadmin -p` / `lpadmin -x` to the
 *                               callback, N times (CUPS_SERVER)
 *   bench_watch windows N       from XMapWindow to CE_ADDED and from
 *                               XDestroyWindow to CE_REMOVED, N times, then
 *                               a burst of N windows created at once
 *                               (DISPLAY)
 *   bench_watch titles FIFO N   from a line written to FIFO to the CE_CHANGED
 *                               of a window with that title, N times: FIFO
 *                               is read by a terminal's shell that sets its
 *                               title from each line (OSC 2), as in
 *                               `foot sh -c 'while read -r t; do printf
 *                               "\033]2;%s\007" "$t"; done < FIFO'`, on
 *                               any windows backend (Wayland too)
 *   bench_watch idle KIND SEC   CPU time and wake-ups of a watch that sees
 *                               no change for SEC seconds
 *
 * Prints median and max in milliseconds.
 */
#include <cenum.h>

#include <dlfcn.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int changes[4]; /* by ce_change */
static char wanted[1024 + 8];
static int wanted_change, seen_wanted;

static ce_next on_font(ce_change c, const ce_font *f, void *ctx) {
  (void)ctx;
  changes[c]++;
  if ((int)c == wanted_change && strcmp(f->path, wanted) == 0)
    seen_wanted = 1;
  return CE_CONTINUE;
}

static ce_next on_printer(ce_change c, const ce_printer *p, void *ctx) {
  (void)ctx;
  changes[c]++;
  if ((int)c == wanted_change && strcmp(p->name, wanted) == 0)
    seen_wanted = 1;
  return CE_CONTINUE;
}

static ce_next on_window(ce_change c, const ce_window *w, void *ctx) {
  (void)ctx;
  changes[c]++;
  if ((int)c == wanted_change && strcmp(w->title, wanted) == 0)
    seen_wanted = 1;
  return CE_CONTINUE;
}

/* Waits on the handle as a program's loop would, until the wanted change
 * came; returns the milliseconds since `start`. */
static double until_seen(ce_watch *w, double start) {
  while (!seen_wanted && now_ms() - start < 30000) {
    struct pollfd p = {(int)ce_watch_handle(w), POLLIN, 0};
    poll(&p, 1, 1000);
    ce_watch_dispatch(w, 0);
  }
  return seen_wanted ? now_ms() - start : -1;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void report(const char *what, double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, by_value);
  printf("%-34s median %8.2f ms  max %8.2f ms  (n=%d)\n", what, v[n / 2],
         v[n - 1], n);
}

static int open_kind(const char *kind, ce_watch **w) {
  if (strcmp(kind, "fonts") == 0)
    return ce_watch_fonts(NULL, on_font, NULL, w);
  if (strcmp(kind, "printers") == 0)
    return ce_watch_printers(NULL, on_printer, NULL, w);
  return ce_watch_windows(NULL, on_window, NULL, w);
}

static int opened(const char *kind, ce_watch **w) {
  int status = open_kind(kind, w);
  if (status != CE_OK) {
    fprintf(stderr, "bench_watch: %s: %s\n", ce_status_name(status),
            ce_error_detail());
    return 0;
  }
  ce_watch_dispatch(*w, 0);
  return 1;
}

static void expect(int change, const char *what) {
  wanted_change = change;
  snprintf(wanted, sizeof wanted, "%s", what);
  seen_wanted = 0;
}

static int bench_fonts(const char *dir, int n) {
  ce_watch *w;
  double *added = calloc((size_t)n, sizeof *added);
  double *removed = calloc((size_t)n, sizeof *removed);
  char command[2048], path[1024];
  if (!opened("fonts", &w))
    return 1;
  snprintf(path, sizeof path, "%s/bench-watch.ttf", dir);
  for (int i = 0; i < n; i++) {
    double start;
    snprintf(command, sizeof command,
             "cp /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf '%s'", path);
    expect(CE_ADDED, path);
    start = now_ms();
    if (system(command) != 0)
      return 1;
    added[i] = until_seen(w, start);
    expect(CE_REMOVED, path);
    start = now_ms();
    unlink(path);
    removed[i] = until_seen(w, start);
  }
  report("fonts: copy -> CE_ADDED", added, n);
  report("fonts: unlink -> CE_REMOVED", removed, n);
  ce_watch_close(w);
  return 0;
}

static int bench_printers(int n) {
  ce_watch *w;
  double *added = calloc((size_t)n, sizeof *added);
  double *removed = calloc((size_t)n, sizeof *removed);
  char command[256];
  if (!opened("printers", &w))
    return 1;
  for (int i = 0; i < n; i++) {
    double start;
    expect(CE_ADDED, "bench_watch");
    start = now_ms();
    snprintf(command, sizeof command,
             "lpadmin -p bench_watch -E -v file:///dev/null");
    if (system(command) != 0)
      return 1;
    added[i] = until_seen(w, start);
    expect(CE_REMOVED, "bench_watch");
    start = now_ms();
    if (system("lpadmin -x bench_watch") != 0)
      return 1;
    removed[i] = until_seen(w, start);
  }
  report("printers: lpadmin -p -> CE_ADDED", added, n);
  report("printers: lpadmin -x -> CE_REMOVED", removed, n);
  ce_watch_close(w);
  return 0;
}

/* Xlib, loaded here so the benchmark needs no X development files. */
typedef void *(*open_fn)(const char *);
typedef unsigned long (*create_fn)(void *, unsigned long, int, int, unsigned,
                                   unsigned, unsigned, unsigned long,
                                   unsigned long);
typedef int (*window_fn)(void *, unsigned long);
typedef int (*store_fn)(void *, unsigned long, const char *);
typedef int (*sync_fn)(void *, int);
typedef unsigned long (*root_fn)(void *);

static int bench_windows(int n) {
  void *x = dlopen("libX11.so.6", RTLD_NOW);
  open_fn XOpenDisplay;
  create_fn XCreateSimpleWindow;
  window_fn XMapWindow, XDestroyWindow;
  store_fn XStoreName;
  sync_fn XSync;
  root_fn XDefaultRootWindow;
  double *added = calloc((size_t)n, sizeof *added);
  double *removed = calloc((size_t)n, sizeof *removed);
  unsigned long *burst = calloc((size_t)n, sizeof *burst);
  void *dpy;
  ce_watch *w;
  char title[64];
  double start;

  if (x == NULL)
    return 1;
  *(void **)&XOpenDisplay = dlsym(x, "XOpenDisplay");
  *(void **)&XCreateSimpleWindow = dlsym(x, "XCreateSimpleWindow");
  *(void **)&XMapWindow = dlsym(x, "XMapWindow");
  *(void **)&XDestroyWindow = dlsym(x, "XDestroyWindow");
  *(void **)&XStoreName = dlsym(x, "XStoreName");
  *(void **)&XSync = dlsym(x, "XSync");
  *(void **)&XDefaultRootWindow = dlsym(x, "XDefaultRootWindow");
  if ((dpy = XOpenDisplay(NULL)) == NULL || !opened("windows", &w))
    return 1;
  for (int i = 0; i < n; i++) {
    unsigned long win;
    snprintf(title, sizeof title, "bench %d", i);
    expect(CE_ADDED, title);
    start = now_ms();
    win = XCreateSimpleWindow(dpy, XDefaultRootWindow(dpy), 0, 0, 50, 50, 0, 0,
                              0);
    XStoreName(dpy, win, title);
    XMapWindow(dpy, win);
    XSync(dpy, 0);
    added[i] = until_seen(w, start);
    expect(CE_REMOVED, title);
    start = now_ms();
    XDestroyWindow(dpy, win);
    XSync(dpy, 0);
    removed[i] = until_seen(w, start);
  }
  report("windows: map -> CE_ADDED", added, n);
  report("windows: destroy -> CE_REMOVED", removed, n);

  /* A burst: n windows at once, until the last one is told. */
  start = now_ms();
  for (int i = 0; i < n; i++) {
    snprintf(title, sizeof title, "burst %d", i);
    burst[i] = XCreateSimpleWindow(dpy, XDefaultRootWindow(dpy), 0, 0, 50, 50,
                                   0, 0, 0);
    XStoreName(dpy, burst[i], title);
    XMapWindow(dpy, burst[i]);
  }
  XSync(dpy, 0);
  expect(CE_ADDED, title);
  changes[CE_ADDED] = 0;
  {
    double took = until_seen(w, start);
    printf("windows: burst of %d, last told after %.1f ms (%d added by "
           "then)\n",
           n, took, changes[CE_ADDED]);
  }
  ce_watch_close(w);
  return 0;
}

static int bench_titles(const char *fifo, int n) {
  ce_watch *w;
  double *changed = calloc((size_t)n, sizeof *changed);
  char line[64];
  FILE *f = fopen(fifo, "w");
  if (f == NULL || changed == NULL || !opened("windows", &w))
    return 1;
  for (int i = 0; i < n; i++) {
    double start;
    snprintf(line, sizeof line, "bench title %d", i);
    expect(CE_CHANGED, line);
    start = now_ms();
    fprintf(f, "%s\n", line);
    fflush(f);
    changed[i] = until_seen(w, start);
    if (changed[i] < 0)
      return 1;
  }
  report("titles: retitled -> CE_CHANGED", changed, n);
  fclose(f);
  ce_watch_close(w);
  free(changed);
  return 0;
}

static int bench_idle(const char *kind, int seconds) {
  struct rusage before, after;
  ce_watch *w;
  int wakeups = 0;
  double end;
  if (!opened(kind, &w))
    return 1;
  getrusage(RUSAGE_SELF, &before);
  end = now_ms() + seconds * 1000.0;
  while (now_ms() < end) {
    struct pollfd p = {(int)ce_watch_handle(w), POLLIN, 0};
    int left = (int)(end - now_ms());
    if (poll(&p, 1, left > 0 ? left : 0) > 0) {
      wakeups++;
      ce_watch_dispatch(w, 0);
    }
  }
  getrusage(RUSAGE_SELF, &after);
  printf("%s: idle %d s: %d wake-ups, CPU %.1f ms\n", kind, seconds, wakeups,
         (after.ru_utime.tv_sec - before.ru_utime.tv_sec) * 1e3 +
             (after.ru_utime.tv_usec - before.ru_utime.tv_usec) / 1e3 +
             (after.ru_stime.tv_sec - before.ru_stime.tv_sec) * 1e3 +
             (after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e3);
  ce_watch_close(w);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "fonts") == 0)
    return bench_fonts(argv[2], atoi(argv[3]));
  if (argc == 3 && strcmp(argv[1], "printers") == 0)
    return bench_printers(atoi(argv[2]));
  if (argc == 3 && strcmp(argv[1], "windows") == 0)
    return bench_windows(atoi(argv[2]));
  if (argc == 4 && strcmp(argv[1], "titles") == 0)
    return bench_titles(argv[2], atoi(argv[3]));
  if (argc == 4 && strcmp(argv[1], "idle") == 0)
    return bench_idle(argv[2], atoi(argv[3]));
  fprintf(stderr, "usage: bench_watch fonts DIR N | printers N | windows N "
                  "| titles FIFO N | idle fonts|printers|windows SECONDS\n");
  return 2;
}
