/* SPDX-License-Identifier: MIT */
/*
 * The X client the X11 tests enumerate. It links Xlib directly (only the
 * library itself must not).
 *
 *   x11_helper wait-wm MS   exit 0 once a window manager owns the screen
 *                           (_NET_SUPPORTING_WM_CHECK) and manages a probe
 *                           window (see wait_wm)
 *   x11_helper serve        create the windows listed in `specs` below,
 *                           print "ready" once they are mapped (and managed,
 *                           when a window manager runs), then obey commands
 *                           on stdin, answering "ok" to each:
 *                             raise NAME | iconify NAME | grab | ungrab
 *                             | quit
 *   x11_helper tasks        the same with the windows of `task_specs`, and
 *                           after "ready PID" one line "NAME 0xID" for each
 *                           window, then "end"
 *   x11_helper churn MS     create and destroy windows with properties in a
 *                           tight loop for MS milliseconds; print "ready"
 *                           after the first round
 *
 * Every window carries the property CENUM_TEST_NAME (STRING) with its name,
 * so a test can tell which record is which.
 */
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static Display *dpy;

static Atom atom(const char *name) { return XInternAtom(dpy, name, False); }

static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static void set_prop(Window w, const char *name, Atom type, int format,
                     const void *data, int count) {
  XChangeProperty(dpy, w, atom(name), type, format, PropModeReplace,
                  (const unsigned char *)data, count);
}

static void set_text(Window w, const char *name, const char *type,
                     const char *bytes, int len) {
  set_prop(w, name, strcmp(type, "STRING") == 0 ? XA_STRING : atom(type), 8,
           bytes, len);
}

/* Whether the root names a live window manager check window. */
static int wm_running(void) {
  Atom type;
  int format;
  unsigned long n, after;
  unsigned char *data = NULL;
  int ok = 0;
  if (XGetWindowProperty(
          dpy, DefaultRootWindow(dpy), atom("_NET_SUPPORTING_WM_CHECK"), 0, 1,
          False, XA_WINDOW, &type, &format, &n, &after, &data) == Success &&
      type == XA_WINDOW && n == 1)
    ok = 1;
  if (data)
    XFree(data);
  return ok;
}

/* ----------------------------------------------------------- serve -- */

typedef struct spec {
  const char *name;
  int x, y, width, height;
  int map;      /* 0 unmapped, 1 mapped, 2 mapped iconic (WM_HINTS) */
  int override; /* override-redirect */
  Window w;
} spec;

static spec serve_specs[] = {
    {"main", 10, 20, 200, 150, 1, 0, 0},
    {"latin1", 30, 40, 120, 80, 1, 0, 0},
    {"ctext", 50, 60, 120, 80, 1, 0, 0},
    {"badutf8", 70, 80, 120, 80, 1, 0, 0},
    {"wrongtype", 90, 100, 120, 80, 1, 0, 0},
    {"noterm", 110, 120, 120, 80, 1, 0, 0},
    {"noclass", 130, 140, 120, 80, 1, 0, 0},
    {"huge", 150, 160, 120, 80, 1, 0, 0},
    {"dialog", 170, 180, 120, 80, 1, 0, 0},
    {"skiptaskbar", 190, 200, 120, 80, 1, 0, 0},
    {"dock", 210, 220, 120, 30, 1, 0, 0},
    {"override", 300, 310, 64, 32, 1, 1, 0},
    {"unmapped", 320, 330, 64, 32, 0, 0, 0},
    {"iconic", 340, 350, 64, 32, 0, 0, 0},
    {"top", 360, 370, 100, 50, 1, 0, 0},
};

/*
 * The windows of `tasks`: one for each branch of the task-list rule
 * (libwnck's), for the minimized and focused states, for STRING text in
 * UTF-8, and a client inside an override-redirect frame. All are mapped
 * with the size hints below and _NET_WM_PID; see task_decorate.
 */
static spec task_specs[] = {
    {"app", 10, 10, 100, 60, 1, 0, 0},
    {"t_notype", 20, 20, 100, 60, 1, 0, 0},
    {"t_dialog", 30, 30, 100, 60, 1, 0, 0},
    {"dialog", 40, 40, 100, 60, 1, 0, 0},
    {"t_root_dialog", 50, 50, 100, 60, 1, 0, 0},
    {"t_unlisted", 60, 60, 100, 60, 1, 0, 0},
    {"self_transient", 70, 70, 100, 60, 1, 0, 0},
    {"utility", 80, 80, 100, 60, 1, 0, 0},
    {"t_utility", 90, 90, 100, 60, 1, 0, 0},
    {"toolbar", 100, 100, 100, 60, 1, 0, 0},
    {"t_toolbar", 110, 110, 100, 60, 1, 0, 0},
    {"menu", 120, 120, 100, 60, 1, 0, 0},
    {"t_menu", 130, 130, 100, 60, 1, 0, 0},
    {"t_normal", 140, 140, 100, 60, 1, 0, 0},
    {"utility_normal", 150, 150, 100, 60, 1, 0, 0},
    {"notification_normal", 160, 160, 100, 60, 1, 0, 0},
    {"popup_menu", 170, 170, 100, 60, 1, 0, 0},
    {"desktop", 180, 180, 100, 60, 1, 0, 0},
    {"dock", 190, 190, 100, 60, 1, 0, 0},
    {"splash", 200, 200, 100, 60, 1, 0, 0},
    {"skip", 210, 210, 100, 60, 1, 0, 0},
    {"shaded", 220, 220, 100, 60, 1, 0, 0},
    {"elsewhere", 230, 230, 100, 60, 1, 0, 0},
    {"iconified", 240, 240, 100, 60, 1, 0, 0},
    {"focus", 250, 250, 100, 60, 1, 0, 0},
    {"utf8", 260, 260, 100, 60, 1, 0, 0},
    {"latin1", 270, 270, 100, 60, 1, 0, 0},
    {"orframe", 400, 400, 160, 90, 1, 1, 0},
};

static spec *specs = serve_specs;
static int NSPECS = sizeof serve_specs / sizeof serve_specs[0];

static spec *find_window(Window w) {
  for (int i = 0; i < NSPECS; i++)
    if (specs[i].w == w)
      return &specs[i];
  return NULL;
}

static spec *find(const char *name) {
  for (int i = 0; i < NSPECS; i++)
    if (strcmp(specs[i].name, name) == 0)
      return &specs[i];
  return NULL;
}

static void set_class(Window w, const char *bytes, int len) {
  set_prop(w, "WM_CLASS", XA_STRING, 8, bytes, len);
}

static void set_atoms(Window w, const char *name, const char *a1,
                      const char *a2) {
  Atom list[2];
  int n = 0;
  list[n++] = atom(a1);
  if (a2)
    list[n++] = atom(a2);
  set_prop(w, name, XA_ATOM, 32, list, n);
}

/* A leader window that is never mapped, so never listed: a transient for
 * it is a dialog of no listed window. */
static Window unlisted_leader;

static void set_window(Window w, const char *name, Window value) {
  set_prop(w, name, XA_WINDOW, 32, &value, 1);
}

static void task_decorate(spec *s) {
  /* Each name: its _NET_WM_WINDOW_TYPE (up to two, without the prefix),
   * what it is transient for, and its _NET_WM_STATE. */
  static const struct {
    const char *name, *type1, *type2, *transient, *state;
  } kinds[] = {
      {"t_notype", NULL, NULL, "app", NULL},
      {"t_dialog", "DIALOG", NULL, "app", NULL},
      {"dialog", "DIALOG", NULL, NULL, NULL},
      {"t_root_dialog", "DIALOG", NULL, "root", NULL},
      {"t_unlisted", NULL, NULL, "leader", NULL},
      {"self_transient", NULL, NULL, "self", NULL},
      {"utility", "UTILITY", NULL, NULL, NULL},
      {"t_utility", "UTILITY", NULL, "app", NULL},
      {"toolbar", "TOOLBAR", NULL, NULL, NULL},
      {"t_toolbar", "TOOLBAR", NULL, "app", NULL},
      {"menu", "MENU", NULL, NULL, NULL},
      {"t_menu", "MENU", NULL, "app", NULL},
      {"t_normal", "NORMAL", NULL, "app", NULL},
      {"utility_normal", "UTILITY", "NORMAL", NULL, NULL},
      {"notification_normal", "NOTIFICATION", "NORMAL", NULL, NULL},
      {"popup_menu", "POPUP_MENU", NULL, NULL, NULL},
      {"desktop", "DESKTOP", NULL, NULL, NULL},
      {"dock", "DOCK", NULL, NULL, NULL},
      {"splash", "SPLASH", NULL, NULL, NULL},
      {"skip", NULL, NULL, NULL, "SKIP_TASKBAR"},
  };
  Window w = s->w;
  char title[64], a1[64], a2[64];
  snprintf(title, sizeof title, "cenum %s", s->name);
  set_text(w, "_NET_WM_NAME", "UTF8_STRING", title, (int)strlen(title));
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    if (strcmp(kinds[i].name, s->name) != 0)
      continue;
    if (kinds[i].type1) {
      snprintf(a1, sizeof a1, "_NET_WM_WINDOW_TYPE_%s", kinds[i].type1);
      snprintf(a2, sizeof a2, "_NET_WM_WINDOW_TYPE_%s",
               kinds[i].type2 ? kinds[i].type2 : "");
      set_atoms(w, "_NET_WM_WINDOW_TYPE", a1, kinds[i].type2 ? a2 : NULL);
    }
    if (kinds[i].state) {
      snprintf(a1, sizeof a1, "_NET_WM_STATE_%s", kinds[i].state);
      set_atoms(w, "_NET_WM_STATE", a1, NULL);
    }
    if (kinds[i].transient == NULL)
      ;
    else if (strcmp(kinds[i].transient, "root") == 0)
      set_window(w, "WM_TRANSIENT_FOR", DefaultRootWindow(dpy));
    else if (strcmp(kinds[i].transient, "self") == 0)
      set_window(w, "WM_TRANSIENT_FOR", w);
    else if (strcmp(kinds[i].transient, "leader") == 0)
      set_window(w, "WM_TRANSIENT_FOR", unlisted_leader);
    else
      set_window(w, "WM_TRANSIENT_FOR", find(kinds[i].transient)->w);
  }
  if (strcmp(s->name, "utf8") == 0) {
    /* UTF-8 bytes in STRING properties, as `xterm -class 日本語クラス`
     * and many programs set them. */
    static const char cls[] = "utf8-inst\0\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa"
                              "\x9e\xe3\x82\xaf\xe3\x83\xa9\xe3\x82\xb9";
    static const char name[] = "\xe3\x82\xbf\xe3\x82\xa4\xe3\x83\x88\xe3"
                               "\x83\xab \xc3\xa9";
    XDeleteProperty(dpy, w, atom("_NET_WM_NAME"));
    set_text(w, "WM_NAME", "STRING", name, (int)sizeof name - 1);
    set_prop(w, "WM_CLASS", XA_STRING, 8, cls, (int)sizeof cls);
  } else if (strcmp(s->name, "latin1") == 0) {
    /* Latin-1 that is not valid UTF-8 stays Latin-1. */
    static const char cls[] = "caf\xe9\0Caf\xe9";
    set_prop(w, "WM_CLASS", XA_STRING, 8, cls, (int)sizeof cls);
  }
}

static void decorate(spec *s, int wm) {
  Window w = s->w;
  long pid = getpid();
  char host[256];
  set_text(w, "CENUM_TEST_NAME", "STRING", s->name, (int)strlen(s->name));
  if (specs == task_specs) {
    if (strcmp(s->name, "orframe") != 0)
      set_prop(w, "_NET_WM_PID", XA_CARDINAL, 32, &pid, 1);
    if (gethostname(host, sizeof host) == 0) {
      host[sizeof host - 1] = '\0';
      set_text(w, "WM_CLIENT_MACHINE", "STRING", host, (int)strlen(host));
    }
    task_decorate(s);
    s = NULL; /* the size hints below still apply */
  }

  if (s == NULL) {
    ;
  } else if (strcmp(s->name, "main") == 0) {
    const char *title = "Gr\xc3\xbc\xc3\x9f"
                        "e \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac \xe2\x9c\x93";
    set_text(w, "_NET_WM_NAME", "UTF8_STRING", title, (int)strlen(title));
    set_text(w, "WM_NAME", "STRING", "Gruesse", 7);
    set_class(w, "cenum-main\0CenumMain", 21);
    set_prop(w, "_NET_WM_PID", XA_CARDINAL, 32, &pid, 1);
    /* This host: _NET_WM_PID is a pid of ours (see "latin1"). */
    if (gethostname(host, sizeof host) == 0) {
      host[sizeof host - 1] = '\0';
      set_text(w, "WM_CLIENT_MACHINE", "STRING", host, (int)strlen(host));
    }
    set_atoms(w, "_NET_WM_WINDOW_TYPE", "_NET_WM_WINDOW_TYPE_NORMAL", NULL);
  } else if (strcmp(s->name, "latin1") == 0) {
    set_text(w, "WM_NAME", "STRING", "Caf\xe9 na\xefve", 10);
    set_class(w, "lat\0Lat", 8);
    /* Another host: its _NET_WM_PID is no pid of ours to look up in /proc,
     * unless the server itself says which local process it is. */
    set_text(w, "WM_CLIENT_MACHINE", "STRING", "elsewhere.invalid", 17);
  } else if (strcmp(s->name, "ctext") == 0) {
    /* "abc 日本é": JIS X 0208 in GR, then ISO 8859-1 again. */
    static const char ct[] = "abc \x1b$)B\xc6\xfc\xcb\xdc\x1b-A\xe9";
    set_text(w, "WM_NAME", "COMPOUND_TEXT", ct, (int)sizeof ct - 1);
  } else if (strcmp(s->name, "badutf8") == 0) {
    /* An invalid byte, an embedded NUL and a truncated sequence. */
    set_text(w, "_NET_WM_NAME", "UTF8_STRING",
             "A\xff"
             "B\0C\xc3",
             6);
  } else if (strcmp(s->name, "wrongtype") == 0) {
    short pid16 = 77;
    set_text(w, "_NET_WM_NAME", "STRING", "not utf8 type", 13);
    set_text(w, "WM_NAME", "STRING", "fallback", 8);
    set_text(w, "_NET_WM_PID", "STRING", "1234", 4);
    set_prop(w, "_NET_WM_DESKTOP", XA_CARDINAL, 16, &pid16, 1);
    set_prop(w, "WM_CLASS", XA_CARDINAL, 32, &pid, 1);
  } else if (strcmp(s->name, "noterm") == 0) {
    set_class(w, "inst\0cls", 8); /* no final NUL */
    set_text(w, "WM_NAME", "STRING", "noterm", 6);
  } else if (strcmp(s->name, "noclass") == 0) {
    set_class(w, "onlyinst", 8); /* no NUL at all */
    set_text(w, "WM_NAME", "STRING", "noclass", 7);
  } else if (strcmp(s->name, "huge") == 0) {
    /* 100 000 times "é", far beyond the 64 KiB cap. */
    enum { N = 100000 };
    char *big = malloc(2 * N);
    for (int i = 0; i < N; i++)
      big[2 * i] = '\xc3', big[2 * i + 1] = '\xa9';
    set_text(w, "_NET_WM_NAME", "UTF8_STRING", big, 2 * N);
    free(big);
  } else if (strcmp(s->name, "dialog") == 0) {
    set_text(w, "_NET_WM_NAME", "UTF8_STRING", "cenum dialog", 12);
    set_atoms(w, "_NET_WM_WINDOW_TYPE", "_CENUM_OWN_TYPE",
              "_NET_WM_WINDOW_TYPE_DIALOG");
  } else if (strcmp(s->name, "skiptaskbar") == 0) {
    set_text(w, "_NET_WM_NAME", "UTF8_STRING", "cenum skip", 10);
    set_atoms(w, "_NET_WM_STATE", "_NET_WM_STATE_SKIP_TASKBAR", NULL);
  } else if (strcmp(s->name, "dock") == 0) {
    set_text(w, "_NET_WM_NAME", "UTF8_STRING", "cenum dock", 10);
    set_atoms(w, "_NET_WM_WINDOW_TYPE", "_NET_WM_WINDOW_TYPE_DOCK", NULL);
  } else if (strcmp(s->name, "iconic") == 0) {
    XWMHints hints;
    set_text(w, "_NET_WM_NAME", "UTF8_STRING", "cenum iconic", 12);
    if (wm) {
      hints.flags = StateHint;
      hints.initial_state = IconicState;
      XSetWMHints(dpy, w, &hints);
      s->map = 2;
    } else {
      /* No window manager to iconify it: say so as one would, on a window
       * that stays unmapped. */
      long state[2] = {IconicState, None};
      set_prop(w, "WM_STATE", atom("WM_STATE"), 32, state, 2);
    }
  } else {
    char title[64];
    snprintf(title, sizeof title, "cenum %s", s->name);
    set_text(w, "_NET_WM_NAME", "UTF8_STRING", title, (int)strlen(title));
  }
  if (s != NULL && strcmp(s->name, "override") != 0 &&
      strcmp(s->name, "main") != 0 && strcmp(s->name, "wrongtype") != 0)
    set_prop(w, "_NET_WM_PID", XA_CARDINAL, 32, &pid, 1);
  /* Keep the window manager from placing windows where it likes. */
  if (wm) {
    XSizeHints size;
    s = find_window(w);
    memset(&size, 0, sizeof size);
    size.flags = USPosition | USSize;
    size.x = s->x, size.y = s->y, size.width = s->width,
    size.height = s->height;
    XSetWMNormalHints(dpy, w, &size);
  }
}

static int has_wm_state(Window w) {
  Atom type;
  int format;
  unsigned long n, after;
  unsigned char *data = NULL;
  int ok =
      XGetWindowProperty(dpy, w, atom("WM_STATE"), 0, 2, False, AnyPropertyType,
                         &type, &format, &n, &after, &data) == Success &&
      type != None;
  if (data)
    XFree(data);
  return ok;
}

static int wm_state_is(Window w, long want) {
  Atom type;
  int format;
  unsigned long n, after;
  unsigned char *data = NULL;
  int ok = 0;
  if (XGetWindowProperty(dpy, w, atom("WM_STATE"), 0, 2, False,
                         atom("WM_STATE"), &type, &format, &n, &after,
                         &data) == Success &&
      n >= 1 && format == 32)
    ok = ((long *)data)[0] == want;
  if (data)
    XFree(data);
  return ok;
}

/* Waits until `done` holds for every window that is mapped and managed. */
static int wait_until(int (*done)(spec *), long timeout_ms) {
  long end = now_ms() + timeout_ms;
  while (now_ms() < end) {
    int all = 1;
    XSync(dpy, False);
    for (int i = 0; i < NSPECS && all; i++)
      all = done(&specs[i]);
    if (all)
      return 1;
    sleep_ms(10);
  }
  return 0;
}

static int viewable_done(spec *s) {
  XWindowAttributes a;
  if (s->map != 1)
    return 1;
  return XGetWindowAttributes(dpy, s->w, &a) && a.map_state == IsViewable;
}

static int managed_done(spec *s) {
  if (s->override || s->map == 0 || !viewable_done(s))
    return s->override || s->map == 0 ? 1 : 0;
  return has_wm_state(s->w);
}

static int iconic_done(spec *s) {
  return s->map != 2 || wm_state_is(s->w, IconicState);
}

/* The child of the root that holds `w` (its frame, or itself). */
static Window frame_of(Window w) {
  for (;;) {
    Window root, parent, *children = NULL;
    unsigned n;
    if (!XQueryTree(dpy, w, &root, &parent, &children, &n))
      return None;
    if (children)
      XFree(children);
    if (parent == root)
      return w;
    w = parent;
  }
}

static spec *raised;

/* Whether the frame of `raised` is above the frames of our other mapped
 * windows. */
static int raised_on_top(spec *unused) {
  Window root, parent, *children = NULL, mine = frame_of(raised->w);
  unsigned n;
  int ok = 0;
  (void)unused;
  if (!XQueryTree(dpy, DefaultRootWindow(dpy), &root, &parent, &children, &n))
    return 0;
  for (unsigned i = n; i-- > 0 && !ok;) {
    int other = 0;
    if (children[i] == mine) {
      ok = 1;
      break;
    }
    for (int k = 0; k < NSPECS && !other; k++)
      /* Docks live in a layer of their own, above the normal windows. */
      other = specs[k].map == 1 && !specs[k].override &&
              strcmp(specs[k].name, "dock") != 0 &&
              frame_of(specs[k].w) == children[i];
    if (other)
      break;
  }
  XFree(children);
  return ok;
}

/*
 * Waits until a window manager owns the screen and manages windows: openbox
 * sets _NET_SUPPORTING_WM_CHECK before it has finished starting, and a
 * window mapped in between is left unmanaged. So a probe window is mapped
 * until it gets WM_STATE, mapped again each second that it does not (a
 * starting window manager may have missed it), then destroyed. Since the
 * window manager handles requests in order, this also waits until it has
 * worked through a backlog (after the churn test).
 */
static int wait_wm(long end) {
  Window probe;
  long remap_at;
  int managed = 0;
  while (!wm_running()) {
    if (now_ms() >= end)
      return 0;
    sleep_ms(20);
  }
  probe =
      XCreateSimpleWindow(dpy, DefaultRootWindow(dpy), 0, 0, 10, 10, 0, 0, 0);
  XMapWindow(dpy, probe);
  remap_at = now_ms() + 1000;
  while (!(managed = has_wm_state(probe)) && now_ms() < end) {
    if (now_ms() >= remap_at) {
      XUnmapWindow(dpy, probe);
      XMapWindow(dpy, probe);
      remap_at = now_ms() + 1000;
    }
    sleep_ms(20);
  }
  XDestroyWindow(dpy, probe);
  XSync(dpy, False);
  return managed;
}

/* Asks the window manager to activate (focus and raise) `w`, as a pager
 * would (source 2): window managers refuse applications that raise
 * themselves over the focused window. */
static void activate(Window w) {
  XEvent e;
  memset(&e, 0, sizeof e);
  e.xclient.type = ClientMessage;
  e.xclient.window = w;
  e.xclient.message_type = atom("_NET_ACTIVE_WINDOW");
  e.xclient.format = 32;
  e.xclient.data.l[0] = 2;
  e.xclient.data.l[1] = CurrentTime;
  XSendEvent(dpy, DefaultRootWindow(dpy), False,
             SubstructureRedirectMask | SubstructureNotifyMask, &e);
}

static Window focus_target;

/* Whether the root's _NET_ACTIVE_WINDOW names `focus_target`. */
static int focus_done(spec *unused) {
  Atom type;
  int format;
  unsigned long n, after;
  unsigned char *data = NULL;
  int ok = 0;
  (void)unused;
  if (XGetWindowProperty(dpy, DefaultRootWindow(dpy),
                         atom("_NET_ACTIVE_WINDOW"), 0, 1, False, XA_WINDOW,
                         &type, &format, &n, &after, &data) == Success &&
      type == XA_WINDOW && n == 1)
    ok = *(Window *)data == focus_target;
  if (data)
    XFree(data);
  return ok;
}

/* The client inside the override-redirect "orframe" of `tasks`, with the
 * WM_STATE a window manager such as i3 gives the clients of its
 * override-redirect frames. */
static Window orclient;

static void make_orclient(Window frame) {
  long state[2] = {NormalState, None};
  long pid = getpid();
  orclient = XCreateSimpleWindow(dpy, frame, 0, 20, 160, 70, 0, 0, 0);
  set_text(orclient, "CENUM_TEST_NAME", "STRING", "orclient", 8);
  set_text(orclient, "_NET_WM_NAME", "UTF8_STRING", "cenum orclient", 14);
  set_prop(orclient, "_NET_WM_PID", XA_CARDINAL, 32, &pid, 1);
  set_prop(orclient, "WM_STATE", atom("WM_STATE"), 32, state, 2);
  XMapWindow(dpy, orclient);
}

static int serve(int tasks) {
  int wm = wm_running();
  char line[256];
  XSetWindowAttributes attrs;

  if (tasks) {
    specs = task_specs;
    NSPECS = sizeof task_specs / sizeof task_specs[0];
    unlisted_leader =
        XCreateSimpleWindow(dpy, DefaultRootWindow(dpy), 0, 0, 1, 1, 0, 0, 0);
  }

  for (int i = 0; i < NSPECS; i++) {
    spec *s = &specs[i];
    attrs.override_redirect = s->override;
    attrs.background_pixel = BlackPixel(dpy, DefaultScreen(dpy));
    s->w = XCreateWindow(dpy, DefaultRootWindow(dpy), s->x, s->y,
                         (unsigned)s->width, (unsigned)s->height, 0,
                         CopyFromParent, InputOutput, CopyFromParent,
                         CWOverrideRedirect | CWBackPixel, &attrs);
  }
  /* Decorated once all exist: a transient names its window by id. */
  for (int i = 0; i < NSPECS; i++)
    decorate(&specs[i], wm);
  if (tasks)
    make_orclient(find("orframe")->w);
  for (int i = 0; i < NSPECS; i++)
    if (specs[i].map)
      XMapWindow(dpy, specs[i].w);
  if (!wait_until(viewable_done, 10000) ||
      (wm &&
       (!wait_until(managed_done, 10000) || !wait_until(iconic_done, 10000)))) {
    fprintf(stderr, "x11_helper: windows did not come up\n");
    return 1;
  }
  /* The window manager moves the focus to new windows a moment after
   * managing them: give it to the last one ourselves and wait until it is
   * there, so that the focus stays put until a test moves it. */
  if (wm) {
    focus_target = find(tasks ? "app" : "top")->w;
    activate(focus_target);
    if (!wait_until(focus_done, 10000)) {
      fprintf(stderr, "x11_helper: the window manager did not focus %s\n",
              tasks ? "app" : "top");
      return 1;
    }
  }
  printf("ready %d\n", (int)getpid());
  if (tasks) {
    /* The ids, for the reference tools: "NAME 0xID" lines, then "end". */
    for (int i = 0; i < NSPECS; i++)
      printf("%s 0x%lx\n", specs[i].name, (unsigned long)specs[i].w);
    printf("orclient 0x%lx\nend\n", (unsigned long)orclient);
  }
  fflush(stdout);

  while (fgets(line, sizeof line, stdin) != NULL) {
    char name[64] = "";
    spec *s;
    int ok = 1;
    if (sscanf(line, "raise %63s", name) == 1 && (s = find(name)) != NULL) {
      if (wm) {
        activate(s->w);
      } else {
        XRaiseWindow(dpy, s->w);
      }
      raised = s;
      ok = wait_until(raised_on_top, 10000);
    } else if (sscanf(line, "iconify %63s", name) == 1 &&
               (s = find(name)) != NULL) {
      XIconifyWindow(dpy, s->w, DefaultScreen(dpy));
      s->map = 2;
      ok = wait_until(iconic_done, 10000);
    } else if (strncmp(line, "grab", 4) == 0) {
      XGrabServer(dpy);
      XSync(dpy, False);
    } else if (strncmp(line, "ungrab", 6) == 0) {
      XUngrabServer(dpy);
      XSync(dpy, False);
    } else if (strncmp(line, "quit", 4) == 0) {
      printf("ok\n");
      fflush(stdout);
      break;
    } else {
      ok = 0;
    }
    printf("%s\n", ok ? "ok" : "failed");
    fflush(stdout);
  }
  return 0;
}

/* ----------------------------------------------------------- churn -- */

static int churn(long ms) {
  /* Most windows live for a moment; one every 50 ms lingers for some three
   * seconds, so that even an enumeration slowed down by valgrind sees some
   * windows of the churn whole (and a test can tell the churn ran). */
  enum { LINGER = 64, LINGER_EVERY_MS = 50 };
  Window lingering[LINGER] = {0};
  int next_slot = 0;
  long end = now_ms() + ms, linger_at = 0;
  int first = 1;
  XSetWindowAttributes attrs;
  /* Each window is made whole under an unmapped parent of its own and then
   * reparented to the root in one request: the X server gives no atomic
   * view of two properties, so a window created at the root with its title
   * and class set one after the other can be read between the two (a
   * record that is true but torn, which the test counts as bad). */
  Window nursery =
      XCreateSimpleWindow(dpy, DefaultRootWindow(dpy), 0, 0, 1, 1, 0, 0, 0);
  attrs.override_redirect = False;
  while (now_ms() < end) {
    Window w[16];
    for (int i = 0; i < 16; i++) {
      w[i] = XCreateWindow(dpy, nursery, 0, 0, 50, 50, 0, CopyFromParent,
                           InputOutput, CopyFromParent, CWOverrideRedirect,
                           &attrs);
      set_text(w[i], "_NET_WM_NAME", "UTF8_STRING", "cenum churn", 11);
      set_class(w[i], "churn\0Churn", 12);
      XReparentWindow(dpy, w[i], DefaultRootWindow(dpy), i * 10, i * 10);
      if (i % 2)
        XMapWindow(dpy, w[i]);
    }
    if (now_ms() >= linger_at) {
      if (lingering[next_slot] != 0)
        XDestroyWindow(dpy, lingering[next_slot]);
      lingering[next_slot] = w[1]; /* a mapped one */
      w[1] = 0;
      next_slot = (next_slot + 1) % LINGER;
      linger_at = now_ms() + LINGER_EVERY_MS;
    }
    XFlush(dpy);
    for (int i = 0; i < 16; i++)
      if (w[i] != 0)
        XDestroyWindow(dpy, w[i]);
    XSync(dpy, False);
    if (first) {
      printf("ready\n");
      fflush(stdout);
      first = 0;
    }
  }
  return 0;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  dpy = XOpenDisplay(NULL);
  if (dpy == NULL) {
    fprintf(stderr, "x11_helper: cannot open display\n");
    return 2;
  }
  if (strcmp(mode, "wait-wm") == 0 && argc > 2)
    return wait_wm(now_ms() + atol(argv[2])) ? 0 : 1;
  if (strcmp(mode, "serve") == 0)
    return serve(0);
  if (strcmp(mode, "tasks") == 0)
    return serve(1);
  if (strcmp(mode, "churn") == 0 && argc > 2)
    return churn(atol(argv[2]));
  fprintf(stderr, "usage: x11_helper wait-wm MS | serve | tasks | churn MS\n");
  return 2;
}
