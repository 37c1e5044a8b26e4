/* SPDX-License-Identifier: MIT */
/*
 * Windows on X11 against a real Xvfb (the x11 fixture) or Xvfb with openbox
 * (x11_wm): the windows of tests/x11/x11_helper.c are found with exact
 * fields, in stacking order, through the filters, and nothing goes wrong
 * when windows vanish during the enumeration, when the server stalls, or
 * when there is no display at all.
 *
 * Environment: CENUM_TEST_X11_STATE (the fixture's directory, holding the
 * file `display`), CENUM_TEST_X11_HELPER (the helper program),
 * CENUM_TEST_X11_WM=1 when a window manager runs.
 */
#include "check.h"
#include "internal.h"

#include <X11/Xatom.h>
#include <X11/Xlib.h>

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char MAIN_TITLE[] =
    "Gr\xc3\xbc\xc3\x9f"
    "e \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac \xe2\x9c\x93";

static int wm;
static int nores; /* the server has no X-Resource extension */
static const char *helper_path;
static Display *dpy; /* the test's own connection */

/* ----------------------------------------------------------- helpers -- */

static uint64_t now_ms(void) { return ce__now_ms(); }

typedef struct helper {
  pid_t pid;
  FILE *in, *out;
  int reported_pid;
} helper;

static void helper_start(helper *h, const char *mode, const char *arg) {
  int to[2], from[2];
  char line[64];
  REQUIRE(pipe(to) == 0 && pipe(from) == 0);
  h->pid = fork();
  REQUIRE(h->pid >= 0);
  if (h->pid == 0) {
    dup2(to[0], 0);
    dup2(from[1], 1);
    close(to[1]), close(from[0]);
    execl(helper_path, helper_path, mode, arg, (char *)NULL);
    _exit(127);
  }
  close(to[0]), close(from[1]);
  h->in = fdopen(to[1], "w");
  h->out = fdopen(from[0], "r");
  REQUIRE(fgets(line, sizeof line, h->out) != NULL);
  REQUIRE(strncmp(line, "ready", 5) == 0);
  h->reported_pid = atoi(line + 5);
}

static void helper_command(helper *h, const char *command) {
  char line[64];
  fprintf(h->in, "%s\n", command);
  fflush(h->in);
  if (fgets(line, sizeof line, h->out) == NULL) {
    fprintf(stderr, "helper: no answer to '%s'\n", command);
    exit(1);
  }
  if (strncmp(line, "ok", 2) != 0)
    fprintf(stderr, "helper: '%s' gave %s", command, line);
  REQUIRE(strncmp(line, "ok", 2) == 0);
}

static void helper_stop(helper *h) {
  int status;
  fclose(h->in);
  fclose(h->out);
  waitpid(h->pid, &status, 0);
}

/* ----------------------------------------------------------- records -- */

typedef struct rec {
  char name[32]; /* the helper's CENUM_TEST_NAME, "" for others' windows */
  uint64_t id;
  char *title, *class_name, *instance, *exe;
  int64_t pid;
  int x, y, width, height, desktop;
  bool visible, minimized, managed;
} rec;

typedef struct list {
  rec *r;
  size_t n;
  int invalid; /* records with a NULL or invalid UTF-8 string */
} list;

static ce_next collect(const ce_window *w, void *ctx) {
  list *l = ctx;
  rec *r;
  if (!w->title || !w->class_name || !w->instance || !w->exe ||
      !check_valid_utf8(w->title) || !check_valid_utf8(w->class_name) ||
      !check_valid_utf8(w->instance) || !check_valid_utf8(w->exe) ||
      w->size != sizeof *w) {
    l->invalid++;
    return CE_CONTINUE;
  }
  l->r = realloc(l->r, (l->n + 1) * sizeof *l->r);
  r = &l->r[l->n++];
  memset(r, 0, sizeof *r);
  r->id = w->id;
  r->title = strdup(w->title);
  r->class_name = strdup(w->class_name);
  r->instance = strdup(w->instance);
  r->exe = strdup(w->exe);
  r->pid = w->pid;
  r->x = w->x, r->y = w->y, r->width = w->width, r->height = w->height;
  r->desktop = w->desktop;
  r->visible = w->visible, r->minimized = w->minimized;
  r->managed = w->managed;
  return CE_CONTINUE;
}

static void free_list(list *l) {
  for (size_t i = 0; i < l->n; i++) {
    free(l->r[i].title), free(l->r[i].class_name);
    free(l->r[i].instance), free(l->r[i].exe);
  }
  free(l->r);
  memset(l, 0, sizeof *l);
}

/* Names each record by the helper's CENUM_TEST_NAME on its window. */
static void name_records(list *l) {
  Atom name = XInternAtom(dpy, "CENUM_TEST_NAME", False);
  for (size_t i = 0; i < l->n; i++) {
    Atom type;
    int format;
    unsigned long n, after;
    unsigned char *data = NULL;
    if (XGetWindowProperty(dpy, (Window)l->r[i].id, name, 0, 8, False,
                           XA_STRING, &type, &format, &n, &after,
                           &data) == Success &&
        type == XA_STRING && data != NULL)
      snprintf(l->r[i].name, sizeof l->r[i].name, "%s", (char *)data);
    if (data)
      XFree(data);
  }
}

static int enumerate(list *l, bool visible_only, bool apps_only) {
  ce_window_query q = CE_WINDOW_QUERY_INIT;
  int status;
  memset(l, 0, sizeof *l);
  q.visible_only = visible_only;
  q.apps_only = apps_only;
  status = ce_enum_windows_ex(&q, collect, l);
  if (status != CE_OK)
    fprintf(stderr, "ce_enum_windows_ex: %s: %s\n", ce_status_name(status),
            ce_error_detail());
  name_records(l);
  return status;
}

static const rec *find(const list *l, const char *name) {
  const rec *found = NULL;
  int count = 0;
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->r[i].name, name) == 0)
      found = &l->r[i], count++;
  if (count != 1)
    fprintf(stderr, "window '%s' found %d times\n", name, count);
  return count == 1 ? found : NULL;
}

static long index_of(const list *l, const char *name) {
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->r[i].name, name) == 0)
      return (long)i;
  return -1;
}

/* ------------------------------------------------------------- tests -- */

static const char *const ALL[] = {
    "main",   "latin1",   "ctext",    "badutf8", "wrongtype",
    "noterm", "noclass",  "huge",     "dialog",  "skiptaskbar",
    "dock",   "override", "unmapped", "iconic",  "top"};
enum { NALL = sizeof ALL / sizeof ALL[0] };

static void test_fields(const helper *h) {
  list l;
  const rec *r;
  char exe[PATH_MAX];

  CHECK_INT(enumerate(&l, false, false), CE_OK);
  CHECK_INT(l.invalid, 0);
  for (int i = 0; i < NALL; i++)
    CHECK(find(&l, ALL[i]) != NULL);
  REQUIRE(realpath(helper_path, exe) != NULL);

  if ((r = find(&l, "main")) != NULL) {
    CHECK_STR(r->title, MAIN_TITLE);
    CHECK_STR(r->class_name, "CenumMain");
    CHECK_STR(r->instance, "cenum-main");
    /* From X-Resource, or from _NET_WM_PID with WM_CLIENT_MACHINE this
     * host: either way a local pid, whose executable is read. */
    CHECK_INT(r->pid, h->pid);
    CHECK_STR(r->exe, exe);
    CHECK(r->visible);
    CHECK(!r->minimized);
    CHECK_INT(r->managed, wm);
    if (wm) {
      /* The frame includes openbox's decorations around 200x150. */
      CHECK(r->width >= 200 && r->height > 150);
      CHECK_INT(r->desktop, 0);
    } else {
      CHECK_INT(r->x, 10);
      CHECK_INT(r->y, 20);
      CHECK_INT(r->width, 200);
      CHECK_INT(r->height, 150);
      CHECK_INT(r->desktop, CE_DESKTOP_UNKNOWN);
    }
  }
  if ((r = find(&l, "latin1")) != NULL) {
    CHECK_STR(r->title, "Caf\xc3\xa9 na\xc3\xafve");
    CHECK_STR(r->class_name, "Lat");
    CHECK_STR(r->instance, "lat");
    /* WM_CLIENT_MACHINE names another host: only the server's word (X-
     * Resource, on a server that shares our pids) makes the pid ours;
     * without it, its _NET_WM_PID names no process of ours. */
    CHECK_INT(r->pid, nores ? -1 : h->pid);
    CHECK_STR(r->exe, nores ? "" : exe);
  }
  if ((r = find(&l, "ctext")) != NULL) {
    CHECK_STR(r->title, "abc \xe6\x97\xa5\xe6\x9c\xac\xc3\xa9");
    CHECK_STR(r->class_name, "");
  }
  if ((r = find(&l, "badutf8")) != NULL)
    CHECK_STR(r->title, "A\xef\xbf\xbd"
                        "B\xef\xbf\xbd"
                        "C\xef\xbf\xbd");
  if ((r = find(&l, "wrongtype")) != NULL) {
    /* _NET_WM_NAME of type STRING is not used; WM_NAME is. A WM_CLASS of
     * type CARDINAL, a _NET_WM_PID of type STRING and a 16-bit
     * _NET_WM_DESKTOP are all ignored. */
    CHECK_STR(r->title, "fallback");
    CHECK_STR(r->class_name, "");
    CHECK_STR(r->instance, "");
    /* From X-Resource where the server has it; else unknown. */
    CHECK_INT(r->pid, nores ? -1 : h->pid);
    if (!wm)
      CHECK_INT(r->desktop, CE_DESKTOP_UNKNOWN);
  }
  if ((r = find(&l, "noterm")) != NULL) {
    CHECK_STR(r->instance, "inst");
    CHECK_STR(r->class_name, "cls");
  }
  if ((r = find(&l, "noclass")) != NULL) {
    CHECK_STR(r->instance, "onlyinst");
    CHECK_STR(r->class_name, "");
  }
  if ((r = find(&l, "huge")) != NULL) {
    size_t len = strlen(r->title);
    CHECK(len <= 64 * 1024 && len >= 64 * 1024 - 2);
    CHECK(len % 2 == 0);
    for (size_t i = 0; i + 1 < len; i += 2)
      if (memcmp(r->title + i, "\xc3\xa9", 2) != 0) {
        CHECK(!"the huge title is all \"\\u00e9\"");
        break;
      }
  }
  if ((r = find(&l, "override")) != NULL) {
    CHECK_STR(r->title, "cenum override");
    CHECK(r->visible);
    CHECK(!r->managed);
    CHECK_INT(r->pid, nores ? -1 : h->pid); /* it has no _NET_WM_PID */
  }
  if ((r = find(&l, "unmapped")) != NULL) {
    CHECK(!r->visible);
    CHECK(!r->managed);
    CHECK(!r->minimized);
  }
  if ((r = find(&l, "iconic")) != NULL) {
    CHECK_STR(r->title, "cenum iconic");
    CHECK(r->minimized);
    CHECK(!r->visible);
    CHECK_INT(r->managed, wm);
  }
  if ((r = find(&l, "dialog")) != NULL) {
    CHECK_STR(r->title, "cenum dialog");
    CHECK_INT(r->managed, wm);
  }
  free_list(&l);
}

/* Lists the windows with `fields` on the test's own connection; returns the
 * status and sets *requests to the X requests the call sent. */
static int enumerate_fields(list *l, uint64_t fields, unsigned long *requests) {
  ce_window_query q = CE_WINDOW_QUERY_INIT;
  unsigned long before;
  int status;
  memset(l, 0, sizeof *l);
  q.fields = fields;
  q.x11_display = dpy;
  XSync(dpy, False);
  before = NextRequest(dpy);
  status = ce_enum_windows_ex(&q, collect, l);
  XSync(dpy, False);
  *requests = NextRequest(dpy) - before - 1; /* less the XSync */
  if (status != CE_OK)
    fprintf(stderr, "ce_enum_windows_ex: %s: %s\n", ce_status_name(status),
            ce_error_detail());
  name_records(l);
  return status;
}

/* ce_window_query.fields: the fields asked for are exact, the others hold
 * their unknown values, and fewer fields cost fewer requests. */
static void test_field_mask(const helper *h) {
  list all, some, other;
  unsigned long all_requests, some_requests, other_requests;
  const rec *r;
  ce_window_query q = CE_WINDOW_QUERY_INIT;

  CHECK_INT(enumerate_fields(&all, CE_WINDOW_FIELDS_ALL, &all_requests), CE_OK);
  CHECK_INT(enumerate_fields(&some,
                             CE_WINDOW_FIELD_TITLE | CE_WINDOW_FIELD_CLASS,
                             &some_requests),
            CE_OK);
  CHECK_INT(some.invalid, 0);
  CHECK_INT(some.n, all.n);
  /* Title and class: 3 property requests a window instead of up to 10. */
  CHECK(some_requests < all_requests);
  fprintf(stderr, "requests: every field %lu, title and class %lu\n",
          all_requests, some_requests);
  if ((r = find(&some, "main")) != NULL) {
    CHECK_STR(r->title, MAIN_TITLE);
    CHECK_STR(r->class_name, "CenumMain");
    CHECK_STR(r->instance, "cenum-main");
    CHECK_INT(r->pid, -1);
    CHECK_STR(r->exe, "");
    CHECK_INT(r->x, 0);
    CHECK_INT(r->y, 0);
    CHECK_INT(r->width, 0);
    CHECK_INT(r->height, 0);
    CHECK_INT(r->desktop, CE_DESKTOP_UNKNOWN);
    CHECK(!r->visible);
    CHECK(!r->managed);
  }
  if ((r = find(&some, "iconic")) != NULL) {
    CHECK_STR(r->title, "cenum iconic");
    CHECK(!r->minimized);
  }

  CHECK_INT(enumerate_fields(&other,
                             CE_WINDOW_FIELD_PID | CE_WINDOW_FIELD_GEOMETRY |
                                 CE_WINDOW_FIELD_MINIMIZED |
                                 CE_WINDOW_FIELD_VISIBLE,
                             &other_requests),
            CE_OK);
  CHECK(other_requests < all_requests);
  if ((r = find(&other, "main")) != NULL) {
    const rec *full = find(&all, "main");
    CHECK_STR(r->title, "");
    CHECK_STR(r->class_name, "");
    CHECK_STR(r->instance, "");
    CHECK_INT(r->pid, h->pid);
    CHECK(r->visible);
    if (full != NULL) {
      CHECK_STR(r->exe, full->exe);
      CHECK_INT(r->x, full->x);
      CHECK_INT(r->y, full->y);
      CHECK_INT(r->width, full->width);
      CHECK_INT(r->height, full->height);
    }
    if (!wm) {
      CHECK_INT(r->x, 10);
      CHECK_INT(r->width, 200);
    }
  }
  if ((r = find(&other, "iconic")) != NULL) {
    CHECK(r->minimized);
    CHECK(!r->visible);
    CHECK_STR(r->title, "");
  }
  free_list(&all);
  free_list(&some);
  free_list(&other);

  /* A bit this version does not know is refused, not ignored. */
  q.fields = (uint64_t)1 << 40;
  CHECK_INT(ce_enum_windows_ex(&q, collect, &all), CE_E_INVALID);
}

/* Topmost first: with no window manager the stacking order is the order of
 * creation, so our windows come in reverse; raising one puts it first. */
static void test_order(helper *h) {
  static const char *const normal[] = {"latin1", "ctext", "badutf8", "top"};
  list l;
  CHECK_INT(enumerate(&l, false, false), CE_OK);
  if (!wm) {
    for (int i = 0; i + 1 < NALL; i++)
      CHECK(index_of(&l, ALL[i]) > index_of(&l, ALL[i + 1]));
  } else {
    CHECK(index_of(&l, "main") > index_of(&l, "top"));
  }
  free_list(&l);

  helper_command(h, "raise main");
  CHECK_INT(enumerate(&l, false, false), CE_OK);
  for (size_t i = 0; i < sizeof normal / sizeof normal[0]; i++) {
    long m = index_of(&l, "main"), o = index_of(&l, normal[i]);
    if (!CHECK(m >= 0 && o >= 0 && m < o))
      fprintf(stderr, "main at %ld, %s at %ld\n", m, normal[i], o);
  }
  if (!wm)
    CHECK(index_of(&l, "main") < index_of(&l, "override"));
  free_list(&l);
}

static void test_filters(void) {
  list l;
  size_t ours = 0;

  CHECK_INT(enumerate(&l, true, false), CE_OK);
  for (size_t i = 0; i < l.n; i++)
    CHECK(l.r[i].visible);
  CHECK(find(&l, "main") != NULL);
  CHECK(find(&l, "override") != NULL);
  CHECK(index_of(&l, "unmapped") < 0);
  CHECK(index_of(&l, "iconic") < 0);
  free_list(&l);

  CHECK_INT(enumerate(&l, false, true), CE_OK);
  for (size_t i = 0; i < l.n; i++) {
    CHECK(l.r[i].managed);
    ours += l.r[i].name[0] != '\0';
  }
  if (wm) {
    /* What a task bar shows: normal windows and dialogs, minimized ones
     * included; not docks, not skip-taskbar, not unmanaged windows. */
    static const char *const shown[] = {"main", "latin1", "dialog", "iconic",
                                        "top"};
    static const char *const hidden[] = {"skiptaskbar", "dock", "override",
                                         "unmapped"};
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++)
      CHECK(find(&l, shown[i]) != NULL);
    for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
      CHECK(index_of(&l, hidden[i]) < 0);
  } else {
    /* Without a window manager nothing is managed. */
    CHECK_INT(ours, 0);
  }
  free_list(&l);
}

/* With a window manager, iconifying a window minimizes it (without one,
 * the "iconic" window's own WM_STATE stands for it, see test_fields). */
static void test_minimize(helper *h) {
  list l;
  const rec *r;
  if (!wm)
    return;
  helper_command(h, "iconify latin1");
  CHECK_INT(enumerate(&l, false, false), CE_OK);
  r = find(&l, "latin1");
  if (CHECK(r != NULL)) {
    CHECK(r->minimized);
    CHECK(!r->visible);
  }
  free_list(&l);
}

static int calls;
static ce_next stop_at_first(const ce_window *w, void *ctx) {
  (void)w, (void)ctx;
  calls++;
  return CE_STOP;
}

static ce_next count(const ce_window *w, void *ctx) {
  (void)w;
  ++*(int *)ctx;
  return CE_CONTINUE;
}

static ce_next nested(const ce_window *w, void *ctx) {
  int *inner = ctx;
  (void)w;
  if (*inner == 0) {
    int n = 0;
    CHECK_INT(ce_enum_windows(count, &n), CE_OK);
    CHECK(n >= NALL);
    *inner = n;
  }
  calls++;
  return CE_CONTINUE;
}

static void test_stop_and_nesting(void) {
  int inner = 0;
  calls = 0;
  CHECK_INT(ce_enum_windows(stop_at_first, NULL), CE_STOPPED);
  CHECK_INT(calls, 1);
  CHECK_STR(ce_error_detail(), "");

  calls = 0;
  CHECK_INT(ce_enum_windows(nested, &inner), CE_OK);
  CHECK(inner >= NALL);
  CHECK(calls >= NALL);
  CHECK_INT(ce_enum_windows(NULL, NULL), CE_E_INVALID);
}

static int handler_calls;
static int count_errors(Display *d, XErrorEvent *e) {
  (void)d, (void)e;
  handler_calls++;
  return 0;
}

/* The caller's own Display: used, not closed, its queue left alone. */
static void test_host_display(void) {
  ce_window_query q = CE_WINDOW_QUERY_INIT;
  Window mine =
      XCreateSimpleWindow(dpy, DefaultRootWindow(dpy), 0, 0, 10, 10, 0, 0, 0);
  Atom prop = XInternAtom(dpy, "CENUM_TEST_EVENT", False);
  XEvent event;
  int n = 0, queued;

  XSelectInput(dpy, mine, PropertyChangeMask);
  XChangeProperty(dpy, mine, prop, XA_STRING, 8, PropModeReplace,
                  (const unsigned char *)"x", 1);
  XSync(dpy, False); /* the PropertyNotify is now in Xlib's queue */
  queued = XEventsQueued(dpy, QueuedAlready);
  CHECK(queued >= 1);

  q.x11_display = dpy;
  CHECK_INT(ce_enum_windows_ex(&q, count, &n), CE_OK);
  CHECK(n >= NALL);
  CHECK_INT(XEventsQueued(dpy, QueuedAlready), queued);
  CHECK(XCheckTypedWindowEvent(dpy, mine, PropertyNotify, &event));
  /* The connection still works after us. */
  XDestroyWindow(dpy, mine);
  XSync(dpy, False);
  CHECK_INT(handler_calls, 0);
}

/* A server that stops answering (grabbed by another client) gives
 * CE_E_TIMEOUT or CE_E_CANCELLED in time, and the caller's connection works
 * again once the grab ends. */
static int cancel_flag;
static void *cancel_later(void *arg) {
  (void)arg;
  struct timespec ts = {0, 150 * 1000000L};
  nanosleep(&ts, NULL);
  __atomic_store_n(&cancel_flag, 1, __ATOMIC_RELAXED);
  return NULL;
}

static void test_stalled_server(helper *h) {
  Display *host = XOpenDisplay(NULL);
  ce_window_query q = CE_WINDOW_QUERY_INIT;
  uint64_t start;
  pthread_t thread;
  int n = 0;

  REQUIRE(host != NULL);
  helper_command(h, "grab");
  q.x11_display = host;
  q.timeout_ms = 300;
  start = now_ms();
  CHECK_INT(ce_enum_windows_ex(&q, count, &n), CE_E_TIMEOUT);
  CHECK(now_ms() - start < 3000);
  CHECK(strstr(ce_error_detail(), "X11") != NULL);

  /* A connection of the library's own: the server does not even answer the
   * connection setup while it is grabbed, and the call still ends at its
   * timeout (the connection is closed later, when the server answers). */
  {
    ce_window_query own = CE_WINDOW_QUERY_INIT;
    own.timeout_ms = 300;
    start = now_ms();
    CHECK_INT(ce_enum_windows_ex(&own, count, &n), CE_E_TIMEOUT);
    CHECK(now_ms() - start < 3000);
    CHECK(strstr(ce_error_detail(), "did not answer the connection") != NULL);
  }

  q.timeout_ms = 20000;
  q.cancel = &cancel_flag;
  __atomic_store_n(&cancel_flag, 0, __ATOMIC_RELAXED);
  pthread_create(&thread, NULL, cancel_later, NULL);
  start = now_ms();
  CHECK_INT(ce_enum_windows_ex(&q, count, &n), CE_E_CANCELLED);
  CHECK(now_ms() - start < 3000);
  pthread_join(thread, NULL);
  helper_command(h, "ungrab");
  CHECK_INT(n, 0);

  /* The replies we gave up on do not confuse the connection. */
  q.cancel = NULL;
  CHECK_INT(ce_enum_windows_ex(&q, count, &n), CE_OK);
  CHECK(n >= NALL);
  XSync(host, False);
  XCloseDisplay(host);

  /* A flag set before the call stops it before anything else. */
  {
    ce_window_query c = CE_WINDOW_QUERY_INIT;
    volatile int set = 1;
    c.cancel = &set;
    CHECK_INT(ce_enum_windows_ex(&c, count, &n), CE_E_CANCELLED);
  }
}

/* Windows created and destroyed while we enumerate, from two threads at
 * once and on the host's own connection. */
typedef struct churn_result {
  int runs, failures, invalid;
  Display *display;
} churn_result;

static void *enumerate_during_churn(void *arg) {
  churn_result *r = arg;
  uint64_t end = now_ms() + 2000;
  while (now_ms() < end) {
    ce_window_query q = CE_WINDOW_QUERY_INIT;
    list l;
    int status;
    memset(&l, 0, sizeof l);
    q.x11_display = r->display;
    status = ce_enum_windows_ex(&q, collect, &l);
    if (status != CE_OK) {
      fprintf(stderr, "during churn: %s: %s\n", ce_status_name(status),
              ce_error_detail());
      r->failures++;
    }
    r->invalid += l.invalid;
    r->runs++;
    free_list(&l);
  }
  return NULL;
}

static void test_churn(void) {
  helper churn;
  churn_result results[3];
  pthread_t threads[2];

  helper_start(&churn, "churn", "4000");
  memset(results, 0, sizeof results);
  for (int i = 0; i < 2; i++)
    pthread_create(&threads[i], NULL, enumerate_during_churn, &results[i]);
  for (int i = 0; i < 2; i++)
    pthread_join(threads[i], NULL);
  /* Then on the test's own Display, whose error handler counts calls. */
  results[2].display = dpy;
  enumerate_during_churn(&results[2]);
  kill(churn.pid, SIGTERM);
  helper_stop(&churn);
  if (wm) {
    /* openbox may still be working through the churn's windows: the next
     * test's windows would wait behind them. */
    char command[PATH_MAX + 32];
    snprintf(command, sizeof command, "'%s' wait-wm 60000", helper_path);
    CHECK_INT(system(command), 0);
  }

  for (int i = 0; i < 3; i++) {
    CHECK(results[i].runs >= 3);
    CHECK_INT(results[i].failures, 0);
    CHECK_INT(results[i].invalid, 0);
  }
  XSync(dpy, False);
  CHECK_INT(handler_calls, 0);
}

static void test_no_display(void) {
  char *saved = strdup(getenv("DISPLAY"));
  uint64_t start;
  int n = 0;

  unsetenv("DISPLAY");
  CHECK_INT(ce_enum_windows(count, &n), CE_E_UNAVAILABLE);
  CHECK(strstr(ce_error_detail(), "DISPLAY") != NULL);
  setenv("DISPLAY", "", 1);
  CHECK_INT(ce_enum_windows(count, &n), CE_E_UNAVAILABLE);

  setenv("DISPLAY", ":999", 1);
  start = now_ms();
  CHECK_INT(ce_enum_windows(count, &n), CE_E_UNAVAILABLE);
  CHECK_STR(ce_error_detail(), "X11: cannot open display \":999\"");
  CHECK(now_ms() - start < 2000);
  CHECK_INT(n, 0);
  setenv("DISPLAY", saved, 1);
  free(saved);
}

static void read_display(void) {
  const char *state = getenv("CENUM_TEST_X11_STATE");
  char path[PATH_MAX], display[64] = "";
  FILE *f;
  snprintf(path, sizeof path, "%s/display", state ? state : ".");
  f = fopen(path, "r");
  check_require(f != NULL,
                wm ? "Xvfb or openbox (fixture x11_wm)" : "Xvfb (fixture x11)");
  if (fgets(display, sizeof display, f) != NULL)
    display[strcspn(display, "\n")] = '\0';
  fclose(f);
  REQUIRE(display[0] == ':');
  setenv("DISPLAY", display, 1);
}

int main(void) {
  helper h;
  XErrorHandler previous;

  wm = getenv("CENUM_TEST_X11_WM") && atoi(getenv("CENUM_TEST_X11_WM"));
  nores =
      getenv("CENUM_TEST_X11_NORES") && atoi(getenv("CENUM_TEST_X11_NORES"));
  helper_path = getenv("CENUM_TEST_X11_HELPER");
  REQUIRE(helper_path != NULL);
  read_display();
  dpy = XOpenDisplay(NULL);
  REQUIRE(dpy != NULL);
  /* The host program's handler: installed before, never called by the
   * library, still installed after. */
  XSetErrorHandler(count_errors);

  helper_start(&h, "serve", NULL);
  CHECK_INT(h.reported_pid, h.pid);
  test_fields(&h);
  test_field_mask(&h);
  if (nores) {
    /* Without X-Resource only the pid and exe differ: the fields are it. */
    helper_command(&h, "quit");
    helper_stop(&h);
    XCloseDisplay(dpy);
    return check_finish();
  }
  test_filters();
  test_stop_and_nesting();
  test_host_display();
  test_order(&h);
  test_minimize(&h);
  test_stalled_server(&h);
  test_churn();
  test_no_display();
  helper_command(&h, "quit");
  helper_stop(&h);

  previous = XSetErrorHandler(NULL);
  CHECK(previous == count_errors);
  CHECK_INT(handler_calls, 0);
  XCloseDisplay(dpy);
  return check_finish();
}
