/* SPDX-License-Identifier: MIT */
/*
 * Windows in-process: ce_enum_windows against a plain Xlib loop that reads
 * the same things one window at a time, the way most tools do: XQueryTree of
 * the root, then for each child the search for the client window (WM_STATE,
 * below window-manager frames), each property with its own
 * XGetWindowProperty, and XGetWindowAttributes plus XTranslateCoordinates
 * for the frame. Each call blocks on its reply, so the loop costs a round
 * trip per property per window; cenum's cost should not grow that way.
 * Both open and close their own connection per enumeration.
 */
#include "bench_common.h"
#include "floor_windows.h"

#include <cenum.h>

#include <X11/Xatom.h>
#include <X11/Xlib.h>

#include <stdio.h>
#include <string.h>

static size_t checksum;

static ce_next count_window(const ce_window *w, void *ctx) {
  long *records = ctx;
  checksum += strlen(w->title) + strlen(w->class_name) + strlen(w->instance) +
              strlen(w->exe) + (size_t)w->pid + (size_t)(w->x + w->y) +
              (size_t)(w->width + w->height + w->desktop) + w->visible +
              w->minimized + w->managed;
  ++*records;
  return CE_CONTINUE;
}

static long enumerate(uint64_t fields) {
  long records = 0;
  /* A long timeout: big displays behind the slow proxy must not time out. */
  ce_window_query query = CE_WINDOW_QUERY_INIT;
  int status;
  query.timeout_ms = 600000;
  query.fields = fields;
  status = ce_enum_windows_ex(&query, count_window, &records);
  return bench_cenum_result("ce_enum_windows", status, records);
}

static long run_cenum(void) { return enumerate(CE_WINDOW_FIELDS_ALL); }

/* A window switcher's first paint: id, title and class only. */
#define SWITCHER_FIELDS (CE_WINDOW_FIELD_TITLE | CE_WINDOW_FIELD_CLASS)
static long run_switcher(void) { return enumerate(SWITCHER_FIELDS); }

/* ------------------------------------------------------- plain Xlib loop -- */

enum {
  WM_STATE,
  NET_WM_NAME,
  UTF8_STRING,
  NET_WM_PID,
  NET_WM_DESKTOP,
  NET_WM_STATE,
  ATOM_COUNT
};
static char *atom_names[ATOM_COUNT] = {"WM_STATE",        "_NET_WM_NAME",
                                       "UTF8_STRING",     "_NET_WM_PID",
                                       "_NET_WM_DESKTOP", "_NET_WM_STATE"};

/* Windows vanish between calls on a live display; a benchmark loop ignores
 * the errors that causes, as tools like wmctrl do. */
static int ignore_error(Display *display, XErrorEvent *event) {
  (void)display, (void)event;
  return 0;
}

/* Reads one property; returns its item count and sets *data (XFree it). */
static unsigned long get_property(Display *d, Window w, Atom property,
                                  Atom type, unsigned char **data) {
  Atom actual;
  int format;
  unsigned long count = 0, after;
  *data = NULL;
  if (XGetWindowProperty(d, w, property, 0, 16384, False, type, &actual,
                         &format, &count, &after, data) != Success ||
      actual == None) {
    if (*data)
      XFree(*data);
    *data = NULL;
    return 0;
  }
  return count;
}

static int has_wm_state(Display *d, Window w, const Atom *atoms) {
  unsigned char *data;
  unsigned long n = get_property(d, w, atoms[WM_STATE], atoms[WM_STATE], &data);
  if (data)
    XFree(data);
  return n > 0;
}

/* XmuClientWindow's search below a frame: first every child for WM_STATE,
 * then the children's children, one level at a time per branch. */
static Window try_children(Display *d, Window w, const Atom *atoms) {
  Window root, parent, *children = NULL, found = None;
  unsigned int count = 0;
  if (!XQueryTree(d, w, &root, &parent, &children, &count))
    return None;
  for (unsigned int i = 0; i < count && found == None; i++)
    if (has_wm_state(d, children[i], atoms))
      found = children[i];
  for (unsigned int i = 0; i < count && found == None; i++)
    found = try_children(d, children[i], atoms);
  if (children)
    XFree(children);
  return found;
}

static Window find_client(Display *d, Window w, const Atom *atoms) {
  if (has_wm_state(d, w, atoms))
    return w;
  return try_children(d, w, atoms);
}

static void read_window(Display *d, Window frame, const Atom *atoms) {
  Window client = find_client(d, frame, atoms), child;
  XWindowAttributes attributes;
  unsigned char *data;
  unsigned long n;
  int x = 0, y = 0;

  if (client == None)
    client = frame;
  n = get_property(d, client, atoms[NET_WM_NAME], atoms[UTF8_STRING], &data);
  if (n == 0)
    n = get_property(d, client, XA_WM_NAME, AnyPropertyType, &data);
  checksum += n;
  if (data)
    XFree(data);
  checksum += get_property(d, client, XA_WM_CLASS, XA_STRING, &data);
  if (data)
    XFree(data);
  if (get_property(d, client, atoms[NET_WM_PID], XA_CARDINAL, &data) == 1)
    checksum += (size_t) * (unsigned long *)(void *)data;
  if (data)
    XFree(data);
  checksum +=
      get_property(d, client, atoms[NET_WM_DESKTOP], XA_CARDINAL, &data);
  if (data)
    XFree(data);
  checksum += get_property(d, client, atoms[NET_WM_STATE], XA_ATOM, &data);
  if (data)
    XFree(data);
  checksum += get_property(d, client, atoms[WM_STATE], atoms[WM_STATE], &data);
  if (data)
    XFree(data);
  if (XGetWindowAttributes(d, frame, &attributes)) {
    XTranslateCoordinates(d, frame, attributes.root, 0, 0, &x, &y, &child);
    checksum += (size_t)(x + y + attributes.width + attributes.height +
                         attributes.map_state);
  }
}

/* The loop on an open display; returns the windows it went through. */
static long xlib_loop(Display *d) {
  Atom atoms[ATOM_COUNT];
  Window root, parent, *children = NULL;
  unsigned int count = 0;

  XSetErrorHandler(ignore_error);
  XInternAtoms(d, atom_names, ATOM_COUNT, False, atoms);
  if (!XQueryTree(d, DefaultRootWindow(d), &root, &parent, &children, &count))
    return -1;
  /* Topmost first, as cenum reports them. */
  for (unsigned int i = count; i-- > 0;)
    read_window(d, children[i], atoms);
  if (children)
    XFree(children);
  return (long)count;
}

static long run_xlib(void) {
  Display *d = XOpenDisplay(NULL);
  long count;
  if (d == NULL) {
    fputs("xlib: cannot open the display\n", stderr);
    return -1;
  }
  count = xlib_loop(d);
  XCloseDisplay(d);
  return count;
}

/*
 * Not timed: how many X requests one enumeration sends, read from the
 * sequence numbers of a connection both methods are given (cenum through
 * the query's x11_display). Over a slow link the round trips count; on a
 * local server the requests do, as each costs the server time.
 */
static unsigned long requests_of(Display *d, int cenum, uint64_t fields) {
  unsigned long before, after;
  long records = 0;
  XSync(d, False);
  before = NextRequest(d);
  if (cenum) {
    ce_window_query query = CE_WINDOW_QUERY_INIT;
    query.x11_display = d;
    query.timeout_ms = 600000;
    query.fields = fields;
    ce_enum_windows_ex(&query, count_window, &records);
  } else {
    records = xlib_loop(d);
  }
  XSync(d, False);
  after = NextRequest(d);
  /* The XSync after the enumeration is one request of its own. */
  return after - before - 1;
}

static int count_requests(void) {
  Display *d = XOpenDisplay(NULL);
  if (d == NULL) {
    fputs("xlib: cannot open the display\n", stderr);
    return 1;
  }
  printf("requests ce_enum_windows %lu\n",
         requests_of(d, 1, CE_WINDOW_FIELDS_ALL));
  printf("requests ce_enum_windows(title,class) %lu\n",
         requests_of(d, 1, SWITCHER_FIELDS));
  printf("requests xlib_loop %lu\n", requests_of(d, 0, 0));
  XCloseDisplay(d);
  return 0;
}

/* The floor every method pays: opening and closing a connection. */
static long run_connect(void) {
  Display *d = XOpenDisplay(NULL);
  if (d == NULL) {
    fputs("xlib: cannot open the display\n", stderr);
    return -1;
  }
  XCloseDisplay(d);
  return 0;
}

int main(int argc, char **argv) {
  static const bench_method methods[] = {
      {"cenum", run_cenum},
      {"switcher", run_switcher},
      {"xlib", run_xlib},
      {"connect", run_connect},
      {"floor", floor_windows},
      {"floor_clients", floor_windows_clients},
      {NULL, NULL}};
  int status;
  if (argc == 2 && strcmp(argv[1], "--count-requests") == 0)
    return count_requests();
  status = bench_main(argc, argv, methods);
  fprintf(stderr, "checksum %zu %zu\n", checksum, floor_windows_checksum);
  return status;
}
