/* SPDX-License-Identifier: MIT */
/*
 * The Wayland watch: a connection of the watch's own to the compositor,
 * bound to the same window lists as the enumeration
 * (ext_foreign_toplevel_list_v1 and zwlr_foreign_toplevel_manager_v1), whose
 * events say when the records may have changed: a toplevel announced, a
 * `done` after its title, app_id, state, parent, identifier or outputs
 * changed, a toplevel closed. The entry then lists
 * the windows again with ce_enum_windows_ex, the enumeration's own code,
 * and diffs the lists, so the records are built by one code path, never
 * two, and are exactly what an enumeration gives.
 *
 * Where the enumeration takes the process and the frame from sway's IPC,
 * the watch also subscribes to sway's window events (`subscribe
 * ["window"]`): a window moved to another workspace or container, made
 * floating or fullscreen changes its frame without any event of the
 * Wayland protocols. And sway 1.7 changes a new window's frame once more
 * without any event, when the client settled its decorations (measured:
 * foot's `border` goes from none to normal, and the title bar leaves the
 * frame, 20 ms after the window appeared): so a toplevel announced also
 * arms a one-shot timer, SECOND_LOOK_MS later, for one more list. It runs
 * only after a new window, never while nothing changes. The descriptor the
 * entry polls is an epoll descriptor of this source's, holding the
 * compositor's socket and, with sway, its IPC socket and that timer.
 *
 * The watch does not resume: once the compositor closed the connection,
 * every dispatch returns CE_E_UNAVAILABLE. A compositor that comes back is
 * another session (a new socket, new toplevels), for a new watch.
 */
#include "protocol.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

/* How long after a new toplevel its frame is looked at again (see above):
 * a client's decorations are settled in a few round trips. */
#define SECOND_LOOK_MS 300

/* As many toplevels as the enumeration believes (windows.c). */
#define MAX_TOPLEVELS 100000u

/* A handle of either list, kept only to be destroyed when it closes or the
 * watch does. */
typedef struct toplevel {
  struct source *source;
  void *proxy;
  int ext; /* an ext_foreign_toplevel_handle_v1, else a wlr handle */
  struct toplevel *prev, *next;
} toplevel;

typedef struct source {
  ce__wl_connection c;
  struct zwlr_foreign_toplevel_manager_v1 *wlr;
  struct ext_foreign_toplevel_list_v1 *ext;
  toplevel *toplevels;
  size_t count;
  int described; /* a field changed, or a toplevel came, since a `done` */
  int changed;   /* the records may have changed since the last drain */
  int arrived;   /* a toplevel came since the last drain */
  ce__sway_events sway;
  int timer_fd; /* the second look's, with sway; else -1 */
  int epoll_fd;
} source;

/* ----------------------------------------------------------- toplevels -- */

/* The new toplevel, or NULL (its proxy destroyed, the failure kept). */
static toplevel *add_toplevel(source *s, void *proxy, int ext) {
  toplevel *t = NULL;
  if (s->count >= MAX_TOPLEVELS) {
    if (s->c.failure == CE_OK)
      s->c.failure = ce__fail(CE_E_BACKEND,
                              "Wayland: the compositor announced more than "
                              "%u toplevels",
                              MAX_TOPLEVELS);
  } else if ((t = calloc(1, sizeof *t)) == NULL && s->c.failure == CE_OK) {
    s->c.failure = ce__fail(CE_E_NOMEM, "Wayland: out of memory for a "
                                        "toplevel");
  }
  if (t == NULL) {
    wl_proxy_destroy(proxy);
    return NULL;
  }
  t->source = s;
  t->proxy = proxy;
  t->ext = ext;
  t->next = s->toplevels;
  if (t->next != NULL)
    t->next->prev = t;
  s->toplevels = t;
  s->count++;
  s->described = 1;
  s->arrived = 1;
  return t;
}

/* A toplevel that closed: the protocols ask the client to destroy its
 * handle, and the record it had is gone. */
static void close_toplevel(toplevel *t) {
  source *s = t->source;
  if (t->ext)
    ext_foreign_toplevel_handle_v1_destroy(t->proxy);
  else
    zwlr_foreign_toplevel_handle_v1_destroy(t->proxy);
  if (t->prev != NULL)
    t->prev->next = t->next;
  else
    s->toplevels = t->next;
  if (t->next != NULL)
    t->next->prev = t->prev;
  s->count--;
  s->changed = 1;
  free(t);
}

/* A `done`: what was described since the last one is now the toplevel's. */
static void described(toplevel *t) {
  source *s = t->source;
  if (s->described)
    s->changed = 1;
  s->described = 0;
}

static void field(toplevel *t) { t->source->described = 1; }

/* -------------------------------------------------------- wlr listener -- */

static void wlr_text(void *data, struct zwlr_foreign_toplevel_handle_v1 *p,
                     const char *text) {
  (void)p, (void)text;
  field(data);
}

/* No record holds the output, but sway moves a toplevel onto one when it
 * first applies its layout (the first configure the client acked), which
 * is also when sway's IPC starts counting the title bar out of the frame:
 * this event is the only one at that moment. */
static void wlr_output(void *data, struct zwlr_foreign_toplevel_handle_v1 *p,
                       struct wl_output *output) {
  (void)p, (void)output;
  field(data);
}

static void wlr_state(void *data, struct zwlr_foreign_toplevel_handle_v1 *p,
                      struct wl_array *state) {
  (void)p, (void)state;
  field(data);
}

static void wlr_done(void *data, struct zwlr_foreign_toplevel_handle_v1 *p) {
  (void)p;
  described(data);
}

static void wlr_closed(void *data, struct zwlr_foreign_toplevel_handle_v1 *p) {
  (void)p;
  close_toplevel(data);
}

static void wlr_parent(void *data, struct zwlr_foreign_toplevel_handle_v1 *p,
                       struct zwlr_foreign_toplevel_handle_v1 *parent) {
  (void)p, (void)parent;
  field(data);
}

static const struct zwlr_foreign_toplevel_handle_v1_listener wlr_handle_events =
    {wlr_text,  wlr_text, wlr_output, wlr_output,
     wlr_state, wlr_done, wlr_closed, wlr_parent};

static void wlr_toplevel(void *data, struct zwlr_foreign_toplevel_manager_v1 *m,
                         struct zwlr_foreign_toplevel_handle_v1 *proxy) {
  toplevel *t = add_toplevel(data, proxy, 0);
  (void)m;
  if (t != NULL)
    zwlr_foreign_toplevel_handle_v1_add_listener(proxy, &wlr_handle_events, t);
}

/* The compositor stops the list (it is going away): no change would be
 * told any more, which is a failure, not a quiet watch. */
static void finished(source *s) {
  if (s->c.failure == CE_OK)
    s->c.failure = ce__fail(CE_E_UNAVAILABLE,
                            "Wayland: the compositor ended its window list "
                            "(finished)");
}

static void wlr_finished(void *data,
                         struct zwlr_foreign_toplevel_manager_v1 *m) {
  (void)m;
  finished(data);
}

static const struct zwlr_foreign_toplevel_manager_v1_listener wlr_events = {
    wlr_toplevel, wlr_finished};

/* -------------------------------------------------------- ext listener -- */

static void ext_closed(void *data, struct ext_foreign_toplevel_handle_v1 *p) {
  (void)p;
  close_toplevel(data);
}

static void ext_done(void *data, struct ext_foreign_toplevel_handle_v1 *p) {
  (void)p;
  described(data);
}

static void ext_text(void *data, struct ext_foreign_toplevel_handle_v1 *p,
                     const char *text) {
  (void)p, (void)text;
  field(data);
}

static const struct ext_foreign_toplevel_handle_v1_listener ext_handle_events =
    {ext_closed, ext_done, ext_text, ext_text, ext_text};

static void ext_toplevel(void *data, struct ext_foreign_toplevel_list_v1 *l,
                         struct ext_foreign_toplevel_handle_v1 *proxy) {
  toplevel *t = add_toplevel(data, proxy, 1);
  (void)l;
  if (t != NULL)
    ext_foreign_toplevel_handle_v1_add_listener(proxy, &ext_handle_events, t);
}

static void ext_finished(void *data, struct ext_foreign_toplevel_list_v1 *l) {
  (void)l;
  finished(data);
}

static const struct ext_foreign_toplevel_list_v1_listener ext_events = {
    ext_toplevel, ext_finished};

/* ------------------------------------------------------------- source -- */

static void source_close(void *opaque) {
  source *s = opaque;
  /* The server frees its side of every object with the connection. */
  while (s->toplevels != NULL) {
    toplevel *t = s->toplevels;
    s->toplevels = t->next;
    wl_proxy_destroy(t->proxy);
    free(t);
  }
  if (s->wlr != NULL)
    wl_proxy_destroy((struct wl_proxy *)s->wlr);
  if (s->ext != NULL)
    wl_proxy_destroy((struct wl_proxy *)s->ext);
  ce__wl_disconnect(&s->c);
  if (s->sway.fd >= 0)
    close(s->sway.fd);
  if (s->timer_fd >= 0)
    close(s->timer_fd);
  if (s->epoll_fd >= 0)
    close(s->epoll_fd);
  free(s);
}

/* sway's window events, when the enumeration reads sway's IPC: the same
 * rule (SWAYSOCK's sway is the process serving the Wayland socket). Without
 * it the enumeration reads no field of sway's, and neither is watched. */
static int subscribe_sway(source *s) {
  const char *swaysock = getenv("SWAYSOCK");
  int64_t sway_pid = -1;
  int status;
  if (swaysock == NULL || swaysock[0] == '\0' || s->c.compositor_pid <= 0)
    return CE_OK;
  status = ce__sway_subscribe(swaysock, "[\"window\"]", &s->c.deadline,
                              &s->sway, &sway_pid);
  if (status == CE_OK && sway_pid == s->c.compositor_pid)
    return CE_OK;
  if (s->sway.fd >= 0)
    close(s->sway.fd);
  s->sway.fd = -1;
  /* A sway that did not answer in time may answer the lists later, whose
   * frames the watch would then never follow: a failure, not "no sway". */
  if (status == CE_E_CANCELLED || status == CE_E_NOMEM ||
      status == CE_E_TIMEOUT)
    return status;
  ce__clear_detail();
  return CE_OK;
}

static int watch_fd(source *s, int fd) {
  struct epoll_event event;
  memset(&event, 0, sizeof event);
  event.events = EPOLLIN;
  event.data.fd = fd;
  if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, fd, &event) == 0)
    return CE_OK;
  return ce__fail(CE_E_UNAVAILABLE,
                  "Wayland: cannot poll the watch's "
                  "sockets: %s",
                  strerror(errno));
}

static int source_open(const void *query, void **out, int *fd) {
  const ce_window_query *q = query;
  int status = ce__wl_load();
  source *s;

  if (status != CE_OK)
    return status;
  if ((s = calloc(1, sizeof *s)) == NULL)
    return ce__fail(CE_E_NOMEM, "Wayland: out of memory");
  s->sway.fd = -1;
  s->timer_fd = -1;
  s->epoll_fd = -1;
  s->c.deadline = ce__deadline_start(q->timeout_ms, q->cancel);
  status = ce__wl_connect(&s->c);
  if (status == CE_OK)
    status =
        ce__wl_bind_lists(&s->c, &s->wlr, &wlr_events, &s->ext, &ext_events, s);
  /* The toplevels that exist are announced now; the entry's first list,
   * taken after this, tells them. */
  if (status == CE_OK)
    status = ce__wl_round_trip(&s->c, "the toplevels");
  if (status == CE_OK)
    status = subscribe_sway(s);
  if (status == CE_OK && (s->epoll_fd = epoll_create1(EPOLL_CLOEXEC)) < 0)
    status = ce__fail(CE_E_UNAVAILABLE, "Wayland: epoll_create1: %s",
                      strerror(errno));
  if (status == CE_OK)
    status = watch_fd(s, ce__wl.wl_display_get_fd(s->c.display));
  if (status == CE_OK && s->sway.fd >= 0 &&
      (s->timer_fd =
           timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)) < 0)
    status = ce__fail(CE_E_UNAVAILABLE, "Wayland: timerfd_create: %s",
                      strerror(errno));
  if (status == CE_OK && s->sway.fd >= 0)
    status = watch_fd(s, s->sway.fd);
  if (status == CE_OK && s->timer_fd >= 0)
    status = watch_fd(s, s->timer_fd);
  if (status != CE_OK) {
    source_close(s);
    return status;
  }
  s->changed = s->described = s->arrived = 0;
  *out = s;
  *fd = s->epoll_fd;
  return CE_OK;
}

/* The second look: due once, SECOND_LOOK_MS from now (a later toplevel
 * moves it on), or whether it is due now. */
static void arm_second_look(source *s) {
  struct itimerspec at;
  memset(&at, 0, sizeof at);
  at.it_value.tv_sec = SECOND_LOOK_MS / 1000;
  at.it_value.tv_nsec = (long)(SECOND_LOOK_MS % 1000) * 1000000L;
  timerfd_settime(s->timer_fd, 0, &at, NULL);
}

static int second_look_due(source *s) {
  uint64_t expirations = 0;
  return read(s->timer_fd, &expirations, sizeof expirations) ==
             (ssize_t)sizeof expirations &&
         expirations > 0;
}

static int source_drain(void *opaque, int *resync) {
  source *s = opaque;
  int status = ce__wl_drain(&s->c);
  if (status == CE_OK && s->sway.fd >= 0) {
    unsigned events = 0;
    status = ce__sway_read_events(&s->sway, &events);
    if (events > 0)
      *resync = 1;
  }
  if (s->timer_fd >= 0) {
    if (second_look_due(s))
      *resync = 1;
    if (s->arrived)
      arm_second_look(s);
  }
  if (s->changed)
    *resync = 1;
  s->changed = s->arrived = 0;
  return status;
}

const ce__watch_backend ce__wayland_watch = {
    "wayland", source_open, source_drain, NULL, NULL, NULL, source_close};
