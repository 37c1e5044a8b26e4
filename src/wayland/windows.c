/* SPDX-License-Identifier: MIT */
/*
 * Windows on Wayland: the toplevels a compositor lists to other clients,
 * through ext_foreign_toplevel_list_v1 and zwlr_foreign_toplevel_manager_v1,
 * with the process and the frame from sway's IPC where it runs.
 *
 * One enumeration is one connection of its own: connect, list the globals,
 * bind the window lists, round trips until every toplevel is described,
 * disconnect, and only then the callbacks, so a slow callback never holds
 * the compositor's queue. Every wait polls the display's socket under the
 * query's deadline and cancel flag.
 */
#include "protocol.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* How long one poll waits at most, so a cancel is seen soon. */
#define POLL_SLICE_MS 50u

/* A compositor announcing more toplevels than this, or sending more text
 * in all (each title and app_id as repaired; replaced ones count too), is
 * not believed: the bound on what one enumeration holds. */
#define MAX_TOPLEVELS 100000u
#define MAX_TEXT_BYTES (32u << 20)

/* Round trips after the first that a toplevel may take to send its first
 * `done` (wlroots sends a new one's from an idle callback) before it is left
 * out as not yet mapped. */
#define EXTRA_ROUND_TRIPS 3

#define WLR_VERSION 3u
#define EXT_VERSION 1u

/* One handle of either list; allocated alone so its address, the
 * listener's data, stays put while the list grows. */
typedef struct handle {
  struct session *session;
  void *proxy; /* zwlr_foreign_toplevel_handle_v1 or ext_..._handle_v1 */
  char *title, *app_id, *identifier; /* repaired copies; NULL: none yet */
  unsigned states;
  struct handle *parent; /* wlr only; NULL when none */
  int done, closed;
  /* Filled when the records are made. */
  struct handle *states_from; /* the wlr handle matched to an ext one */
  uint64_t id;
} handle;

typedef struct handles {
  handle **items;
  size_t count, capacity;
} handles;

typedef struct session {
  ce__deadline deadline;
  struct wl_display *display;
  struct wl_registry *registry;
  struct wl_callback *sync;
  int synced;
  uint32_t wlr_name, wlr_version, ext_name, ext_version;
  int kde_window_management, gtk_shell; /* what tells the compositor */
  struct zwlr_foreign_toplevel_manager_v1 *wlr;
  struct ext_foreign_toplevel_list_v1 *ext;
  handles wlr_handles, ext_handles;
  int failure;       /* a status a listener could not return (its detail set) */
  size_t text_bytes; /* copied so far, for MAX_TEXT_BYTES */
  int64_t compositor_pid;
  char compositor[64]; /* its process name, "" when it cannot be told */
} session;

/* ------------------------------------------------------------ strings -- */

/* A repaired, capped copy of a string of the compositor (NULL gives ""),
 * counted against the enumeration's budget for text. */
static char *copy_text(session *s, const char *text, size_t cap) {
  size_t length = text != NULL ? strlen(text) : 0;
  size_t room = CE__UTF8_REPAIR_SIZE(length);
  char *copy, *fitted;
  if (room > cap + 1)
    room = cap + 1;
  copy = malloc(room);
  if (copy == NULL) {
    if (s->failure == CE_OK)
      s->failure = ce__fail(CE_E_NOMEM, "Wayland: out of memory for a title");
    return NULL;
  }
  room = ce__utf8_repair(copy, room, text != NULL ? text : "", length) + 1;
  fitted = realloc(copy, room);
  copy = fitted != NULL ? fitted : copy;
  s->text_bytes += room;
  if (s->text_bytes > MAX_TEXT_BYTES) {
    free(copy);
    if (s->failure == CE_OK)
      s->failure = ce__fail(CE_E_BACKEND,
                            "Wayland: the compositor sent more than %u MiB of "
                            "titles and app_ids",
                            MAX_TEXT_BYTES >> 20);
    return NULL;
  }
  return copy;
}

static void replace_text(session *s, char **field, const char *text,
                         size_t cap) {
  char *copy = copy_text(s, text, cap);
  if (copy != NULL) {
    free(*field);
    *field = copy;
  }
}

/* ------------------------------------------------------------ handles -- */

static handle *add_handle(session *s, handles *list, void *proxy) {
  handle *h;
  if (s->wlr_handles.count + s->ext_handles.count >= MAX_TOPLEVELS) {
    if (s->failure == CE_OK)
      s->failure = ce__fail(CE_E_BACKEND,
                            "Wayland: the compositor announced more than %u "
                            "toplevels",
                            MAX_TOPLEVELS);
    return NULL;
  }
  if (s->failure == CE_OK)
    s->failure =
        ce__grow((void **)&list->items, &list->capacity, list->count + 1,
                 sizeof *list->items, "Wayland", "toplevels");
  h = s->failure == CE_OK ? calloc(1, sizeof *h) : NULL;
  if (h == NULL) {
    if (s->failure == CE_OK)
      s->failure =
          ce__fail(CE_E_NOMEM, "Wayland: out of memory for a toplevel");
    return NULL;
  }
  h->session = s;
  h->proxy = proxy;
  list->items[list->count++] = h;
  return h;
}

static void forget_proxies(handles *list) {
  for (size_t i = 0; i < list->count; i++) {
    if (list->items[i]->proxy != NULL)
      wl_proxy_destroy(list->items[i]->proxy);
    list->items[i]->proxy = NULL;
  }
}

static void free_handles(handles *list) {
  forget_proxies(list);
  for (size_t i = 0; i < list->count; i++) {
    handle *h = list->items[i];
    free(h->title);
    free(h->app_id);
    free(h->identifier);
    free(h);
  }
  free(list->items);
  list->items = NULL;
  list->count = list->capacity = 0;
}

/* -------------------------------------------------------- wlr listener -- */

static void wlr_title(void *data, struct zwlr_foreign_toplevel_handle_v1 *p,
                      const char *title) {
  handle *h = data;
  (void)p;
  replace_text(h->session, &h->title, title, CE__CAP_TITLE);
}

static void wlr_app_id(void *data, struct zwlr_foreign_toplevel_handle_v1 *p,
                       const char *app_id) {
  handle *h = data;
  (void)p;
  replace_text(h->session, &h->app_id, app_id, CE__CAP_NAME);
}

static void wlr_output(void *data, struct zwlr_foreign_toplevel_handle_v1 *p,
                       struct wl_output *output) {
  (void)data, (void)p, (void)output;
}

static void wlr_state(void *data, struct zwlr_foreign_toplevel_handle_v1 *p,
                      struct wl_array *state) {
  handle *h = data;
  (void)p;
  h->states =
      state != NULL ? ce__wl_decode_states(state->data, state->size) : 0;
}

static void wlr_done(void *data, struct zwlr_foreign_toplevel_handle_v1 *p) {
  handle *h = data;
  (void)p;
  h->done = 1;
}

static void wlr_closed(void *data, struct zwlr_foreign_toplevel_handle_v1 *p) {
  handle *h = data;
  (void)p;
  h->closed = 1;
}

static void wlr_parent(void *data, struct zwlr_foreign_toplevel_handle_v1 *p,
                       struct zwlr_foreign_toplevel_handle_v1 *parent) {
  handle *h = data;
  (void)p;
  /* libwayland checked that the object is a handle of this interface; its
   * data is ours, since every such handle was made by our manager. */
  h->parent = parent != NULL
                  ? zwlr_foreign_toplevel_handle_v1_get_user_data(parent)
                  : NULL;
}

static const struct zwlr_foreign_toplevel_handle_v1_listener wlr_handle_events =
    {wlr_title, wlr_app_id, wlr_output, wlr_output,
     wlr_state, wlr_done,   wlr_closed, wlr_parent};

static void wlr_toplevel(void *data, struct zwlr_foreign_toplevel_manager_v1 *m,
                         struct zwlr_foreign_toplevel_handle_v1 *proxy) {
  session *s = data;
  handle *h = add_handle(s, &s->wlr_handles, proxy);
  (void)m;
  if (h == NULL) {
    zwlr_foreign_toplevel_handle_v1_destroy(proxy);
    return;
  }
  zwlr_foreign_toplevel_handle_v1_add_listener(proxy, &wlr_handle_events, h);
}

static void wlr_finished(void *data,
                         struct zwlr_foreign_toplevel_manager_v1 *m) {
  (void)data, (void)m;
}

static const struct zwlr_foreign_toplevel_manager_v1_listener wlr_events = {
    wlr_toplevel, wlr_finished};

/* -------------------------------------------------------- ext listener -- */

static void ext_closed(void *data, struct ext_foreign_toplevel_handle_v1 *p) {
  handle *h = data;
  (void)p;
  h->closed = 1;
}

static void ext_done(void *data, struct ext_foreign_toplevel_handle_v1 *p) {
  handle *h = data;
  (void)p;
  h->done = 1;
}

static void ext_title(void *data, struct ext_foreign_toplevel_handle_v1 *p,
                      const char *title) {
  handle *h = data;
  (void)p;
  replace_text(h->session, &h->title, title, CE__CAP_TITLE);
}

static void ext_app_id(void *data, struct ext_foreign_toplevel_handle_v1 *p,
                       const char *app_id) {
  handle *h = data;
  (void)p;
  replace_text(h->session, &h->app_id, app_id, CE__CAP_NAME);
}

static void ext_identifier(void *data, struct ext_foreign_toplevel_handle_v1 *p,
                           const char *identifier) {
  handle *h = data;
  (void)p;
  /* Sent once per handle; a second one is ignored, so the id stays. */
  if (h->identifier == NULL)
    h->identifier = copy_text(h->session, identifier, CE__CAP_NAME);
}

static const struct ext_foreign_toplevel_handle_v1_listener ext_handle_events =
    {ext_closed, ext_done, ext_title, ext_app_id, ext_identifier};

static void ext_toplevel(void *data, struct ext_foreign_toplevel_list_v1 *l,
                         struct ext_foreign_toplevel_handle_v1 *proxy) {
  session *s = data;
  handle *h = add_handle(s, &s->ext_handles, proxy);
  (void)l;
  if (h == NULL) {
    ext_foreign_toplevel_handle_v1_destroy(proxy);
    return;
  }
  ext_foreign_toplevel_handle_v1_add_listener(proxy, &ext_handle_events, h);
}

static void ext_finished(void *data, struct ext_foreign_toplevel_list_v1 *l) {
  (void)data, (void)l;
}

static const struct ext_foreign_toplevel_list_v1_listener ext_events = {
    ext_toplevel, ext_finished};

/* ------------------------------------------------------ registry, sync -- */

static void global(void *data, struct wl_registry *registry, uint32_t name,
                   const char *interface, uint32_t version) {
  session *s = data;
  (void)registry;
  if (interface == NULL)
    return;
  if (strcmp(interface, "zwlr_foreign_toplevel_manager_v1") == 0 &&
      s->wlr_name == 0) {
    s->wlr_name = name;
    s->wlr_version = version < WLR_VERSION ? version : WLR_VERSION;
  } else if (strcmp(interface, "ext_foreign_toplevel_list_v1") == 0 &&
             s->ext_name == 0) {
    s->ext_name = name;
    s->ext_version = version < EXT_VERSION ? version : EXT_VERSION;
  } else if (strcmp(interface, "org_kde_plasma_window_management") == 0) {
    s->kde_window_management = 1;
  } else if (strcmp(interface, "gtk_shell1") == 0) {
    s->gtk_shell = 1;
  }
}

static void global_remove(void *data, struct wl_registry *registry,
                          uint32_t name) {
  (void)data, (void)registry, (void)name;
}

static const struct wl_registry_listener registry_events = {global,
                                                            global_remove};

static void synced(void *data, struct wl_callback *callback, uint32_t serial) {
  session *s = data;
  (void)serial;
  wl_proxy_destroy((struct wl_proxy *)callback);
  s->sync = NULL;
  s->synced = 1;
}

static const struct wl_callback_listener sync_events = {synced};

/* The core requests, written here because wayland-client-protocol.h's own
 * stubs name libwayland's interface data directly. */
static struct wl_registry *get_registry(struct wl_display *display) {
  struct wl_proxy *d = (struct wl_proxy *)display;
  return (struct wl_registry *)wl_proxy_marshal_flags(
      d, WL_DISPLAY_GET_REGISTRY, ce__wl.wl_registry_interface,
      wl_proxy_get_version(d), 0, NULL);
}

static void *bind_global(struct wl_registry *registry, uint32_t name,
                         const struct wl_interface *interface,
                         uint32_t version) {
  return wl_proxy_marshal_flags((struct wl_proxy *)registry, WL_REGISTRY_BIND,
                                interface, version, 0, name, interface->name,
                                version, NULL);
}

static int start_sync(session *s) {
  struct wl_proxy *d = (struct wl_proxy *)s->display;
  s->synced = 0;
  s->sync = (struct wl_callback *)wl_proxy_marshal_flags(
      d, WL_DISPLAY_SYNC, ce__wl.wl_callback_interface, wl_proxy_get_version(d),
      0, NULL);
  if (s->sync == NULL)
    return ce__fail(CE_E_NOMEM, "Wayland: out of memory for a request");
  wl_proxy_add_listener((struct wl_proxy *)s->sync,
                        (void (**)(void))(void *)&sync_events, s);
  return CE_OK;
}

/* ---------------------------------------------------------- the loop -- */

/* The status of a connection libwayland gave up on. */
static int broken(session *s) {
  int error = ce__wl.wl_display_get_error(s->display);
  if (error == EPROTO) {
    const struct wl_interface *interface = NULL;
    uint32_t id = 0;
    uint32_t code =
        ce__wl.wl_display_get_protocol_error(s->display, &interface, &id);
    return ce__fail(CE_E_BACKEND,
                    "Wayland: the compositor reported protocol error %u on "
                    "%s@%u",
                    code, interface != NULL ? interface->name : "an object",
                    id);
  }
  if (error == EPIPE || error == ECONNRESET)
    return ce__fail(CE_E_UNAVAILABLE,
                    "Wayland: the compositor closed the connection");
  return ce__fail(CE_E_BACKEND, "Wayland: the connection failed: %s",
                  strerror(error != 0 ? error : EIO));
}

/* Reads and dispatches what the compositor sends until the sync started
 * last is answered, within the deadline. */
static int wait_for_sync(session *s, const char *waiting_for) {
  int fd = ce__wl.wl_display_get_fd(s->display);
  while (!s->synced) {
    struct pollfd p = {fd, POLLIN, 0};
    unsigned left;
    int flushed, ready;

    if (s->failure != CE_OK)
      return s->failure;
    if (ce__deadline_cancelled(&s->deadline))
      return ce__deadline_check(&s->deadline, "Wayland");
    left = ce__deadline_left_ms(&s->deadline);
    if (left == 0)
      return ce__fail(CE_E_TIMEOUT,
                      "Wayland: the compositor did not answer within the "
                      "timeout (waiting for %s)",
                      waiting_for);
    /* Events already read belong to the queue first. */
    if (ce__wl.wl_display_prepare_read(s->display) != 0) {
      if (ce__wl.wl_display_dispatch_pending(s->display) < 0)
        return broken(s);
      continue;
    }
    flushed = ce__wl.wl_display_flush(s->display);
    if (flushed < 0 && errno != EAGAIN) {
      ce__wl.wl_display_cancel_read(s->display);
      return broken(s);
    }
    if (flushed < 0)
      p.events |= POLLOUT;
    ready = poll(&p, 1, (int)(left < POLL_SLICE_MS ? left : POLL_SLICE_MS));
    if (ready > 0 && (p.revents & (POLLIN | POLLERR | POLLHUP))) {
      if (ce__wl.wl_display_read_events(s->display) < 0)
        return broken(s);
    } else {
      ce__wl.wl_display_cancel_read(s->display);
      if (ready < 0 && errno != EINTR)
        return ce__fail(CE_E_BACKEND, "Wayland: poll failed: %s",
                        strerror(errno));
    }
    if (ce__wl.wl_display_dispatch_pending(s->display) < 0)
      return broken(s);
  }
  return s->failure;
}

static int round_trip(session *s, const char *waiting_for) {
  int status = start_sync(s);
  return status == CE_OK ? wait_for_sync(s, waiting_for) : status;
}

/* ------------------------------------------------------- connecting -- */

/* The compositor's pid (from the socket's peer) and process name. */
static void name_peer(int fd, int64_t *pid, char *name, size_t size) {
  char path[64];
  FILE *f;

  name[0] = '\0';
  *pid = ce__peer_pid(fd);
  if (*pid <= 0)
    return;
  snprintf(path, sizeof path, "/proc/%lld/comm", (long long)*pid);
  f = fopen(path, "re");
  if (f == NULL)
    return;
  if (fgets(name, (int)size, f) == NULL)
    name[0] = '\0';
  fclose(f);
  name[strcspn(name, "\n")] = '\0';
}

/*
 * The compositor's socket: $WAYLAND_DISPLAY (default wayland-0), absolute or
 * in $XDG_RUNTIME_DIR, as libwayland finds it. CE_OK, or CE_E_UNAVAILABLE
 * with the detail set.
 */
static int socket_address(struct sockaddr_un *address) {
  const char *name = getenv("WAYLAND_DISPLAY");
  const char *dir = getenv("XDG_RUNTIME_DIR");
  int written;

  if (name == NULL || name[0] == '\0')
    name = "wayland-0";
  memset(address, 0, sizeof *address);
  address->sun_family = AF_UNIX;
  if (name[0] == '/')
    written = snprintf(address->sun_path, sizeof address->sun_path, "%s", name);
  else if (dir == NULL || dir[0] == '\0')
    return ce__fail(CE_E_UNAVAILABLE,
                    "Wayland: XDG_RUNTIME_DIR is not set, so the "
                    "compositor's socket \"%s\" cannot be found",
                    name);
  else
    written = snprintf(address->sun_path, sizeof address->sun_path, "%s/%s",
                       dir, name);
  if (written < 0 || (size_t)written >= sizeof address->sun_path)
    return ce__fail(CE_E_UNAVAILABLE,
                    "Wayland: the socket path of \"%s\" is too long", name);
  return CE_OK;
}

/*
 * Connects to the compositor's socket ourselves: wl_display_connect would
 * first take WAYLAND_SOCKET, a descriptor the host program was given for
 * its own connection, and unset that variable. Returns the socket or -1
 * with the detail set.
 */
static int connect_socket(session *s, int *status) {
  struct sockaddr_un address;
  int fd;

  if ((*status = socket_address(&address)) != CE_OK)
    return -1;
  fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    *status =
        ce__fail(CE_E_BACKEND, "Wayland: socket failed: %s", strerror(errno));
    return -1;
  }
  /* A listener whose backlog is full refuses a non-blocking connect with
   * EAGAIN until it accepts: tried again, within the deadline. */
  while (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
    int error = errno;
    if (error == EAGAIN || error == EINTR) {
      if ((*status = ce__deadline_check(&s->deadline, "Wayland")) != CE_OK) {
        close(fd);
        return -1;
      }
      poll(NULL, 0, 5);
      continue;
    }
    close(fd);
    *status = ce__fail(CE_E_UNAVAILABLE,
                       "Wayland: cannot connect to the compositor at %s: %s",
                       address.sun_path, strerror(error));
    return -1;
  }
  name_peer(fd, &s->compositor_pid, s->compositor, sizeof s->compositor);
  return fd;
}

static int open_session(session *s) {
  int status = CE_OK;
  int fd = connect_socket(s, &status);
  if (fd < 0)
    return status;
  /* From here the display owns the socket, failing or not. */
  s->display = ce__wl.wl_display_connect_to_fd(fd);
  if (s->display == NULL) /* it closed the socket */
    return ce__fail(CE_E_NOMEM, "Wayland: cannot set up the connection");
  s->registry = get_registry(s->display);
  if (s->registry == NULL)
    return ce__fail(CE_E_NOMEM, "Wayland: out of memory for a request");
  wl_proxy_add_listener((struct wl_proxy *)s->registry,
                        (void (**)(void))(void *)&registry_events, s);
  return round_trip(s, "the list of globals");
}

/* Closes the connection; what was read stays for the records. The server
 * frees its side of every object with the connection. */
static void hang_up(session *s) {
  forget_proxies(&s->wlr_handles);
  forget_proxies(&s->ext_handles);
  if (s->wlr != NULL)
    wl_proxy_destroy((struct wl_proxy *)s->wlr);
  if (s->ext != NULL)
    wl_proxy_destroy((struct wl_proxy *)s->ext);
  if (s->sync != NULL)
    wl_proxy_destroy((struct wl_proxy *)s->sync);
  if (s->registry != NULL)
    wl_proxy_destroy((struct wl_proxy *)s->registry);
  if (s->display != NULL)
    ce__wl.wl_display_disconnect(s->display);
  s->wlr = NULL;
  s->ext = NULL;
  s->sync = NULL;
  s->registry = NULL;
  s->display = NULL;
}

/* The detail for a compositor without a window list. */
static int no_window_list(const session *s) {
  char who[128];
  const char *hint = "";
  if (s->compositor[0] != '\0')
    snprintf(who, sizeof who, "the compositor (%s, pid %lld)", s->compositor,
             (long long)s->compositor_pid);
  else
    snprintf(who, sizeof who, "the compositor");
  if (s->gtk_shell)
    hint = " (GNOME Shell lists its windows only on D-Bus, through "
           "org.gnome.Shell.Introspect, which cenum does not use)";
  else if (s->kde_window_management)
    hint = " (KDE Plasma's org_kde_plasma_window_management is offered only "
           "to its own shell, and cenum does not use it)";
  return ce__fail(CE_E_UNSUPPORTED,
                  "Wayland: %s offers no window list: it lacks "
                  "ext_foreign_toplevel_list_v1 and "
                  "zwlr_foreign_toplevel_manager_v1%s; to list only the "
                  "Xwayland windows, set ce_window_query.backend to "
                  "CE_WINDOWS_X11 or CENUM_WINDOWS=x11",
                  who, hint);
}

/* Whether every handle still open has sent its first `done`. */
static int all_described(const handles *list) {
  for (size_t i = 0; i < list->count; i++)
    if (!list->items[i]->done && !list->items[i]->closed)
      return 0;
  return 1;
}

static int list_toplevels(session *s) {
  int status;
  if (s->wlr_name == 0 && s->ext_name == 0)
    return no_window_list(s);
  if (s->ext_name != 0) {
    s->ext = bind_global(s->registry, s->ext_name, &ce__wl_ext_list_interface,
                         s->ext_version);
    if (s->ext == NULL)
      return ce__fail(CE_E_NOMEM, "Wayland: out of memory for a request");
    ext_foreign_toplevel_list_v1_add_listener(s->ext, &ext_events, s);
  }
  if (s->wlr_name != 0) {
    s->wlr = bind_global(s->registry, s->wlr_name,
                         &ce__wl_wlr_manager_interface, s->wlr_version);
    if (s->wlr == NULL)
      return ce__fail(CE_E_NOMEM, "Wayland: out of memory for a request");
    zwlr_foreign_toplevel_manager_v1_add_listener(s->wlr, &wlr_events, s);
  }
  status = round_trip(s, "the toplevels");
  for (int extra = 0;
       status == CE_OK && extra < EXTRA_ROUND_TRIPS &&
       !(all_described(&s->wlr_handles) && all_described(&s->ext_handles));
       extra++)
    status = round_trip(s, "the toplevels' descriptions");
  return status;
}

/* ---------------------------------------------------------- records -- */

static int same_text(const char *a, const char *b) {
  return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

static int listed(const handle *h) { return h->done && !h->closed; }

/*
 * The wlr handle of the same toplevel as ext handle `i`: the two lists come
 * from one compositor in the order it keeps its toplevels, so the handle at
 * the same place when its title and app_id agree, else the first unmatched
 * one whose title and app_id agree, else none.
 */
static handle *wlr_twin(const session *s, size_t i, unsigned char *taken) {
  const handle *e = s->ext_handles.items[i];
  const handles *w = &s->wlr_handles;
  size_t found = w->count;
  if (i < w->count && !taken[i] && listed(w->items[i]) &&
      same_text(w->items[i]->title, e->title) &&
      same_text(w->items[i]->app_id, e->app_id))
    found = i;
  for (size_t k = 0; found == w->count && k < w->count; k++)
    if (!taken[k] && listed(w->items[k]) &&
        same_text(w->items[k]->title, e->title) &&
        same_text(w->items[k]->app_id, e->app_id))
      found = k;
  if (found == w->count)
    return NULL;
  taken[found] = 1;
  return w->items[found];
}

/* The sway view of a toplevel: unmatched, the same title and app_id, the
 * oldest (lowest container id) of those, as toplevels are announced in the
 * order they appeared. */
static ce__sway_view *sway_twin(ce__sway_views *views, const handle *h) {
  ce__sway_view *best = NULL;
  for (size_t i = 0; i < views->count; i++) {
    ce__sway_view *v = &views->views[i];
    if (!v->used && same_text(v->name, h->title) &&
        same_text(v->app_id, h->app_id) && (best == NULL || v->id < best->id))
      best = v;
  }
  if (best != NULL)
    best->used = 1;
  return best;
}

/* What one delivered record holds besides its handle. */
typedef struct extra {
  handle *h;
  ce__sway_view *view;
} extra;

/*
 * Builds the records in the order the compositor announced the toplevels:
 * the ext list when bound (with the matching wlr handle's states), else the
 * wlr list. Then the callbacks, after the connection is closed.
 */
static int deliver(session *s, const ce_window_query *query, ce_window_fn fn,
                   void *ctx) {
  const handles *shown = s->ext_name != 0 ? &s->ext_handles : &s->wlr_handles;
  ce__sway_views views;
  int have_views = 0, focused = 0, status = CE_OK;
  unsigned char *taken = calloc(s->wlr_handles.count + 1, 1);
  extra *extras = calloc(shown->count + 1, sizeof *extras);
  size_t count = 0;
  ce__arena arena = CE__ARENA_INIT;
  const char *swaysock = getenv("SWAYSOCK");

  memset(&views, 0, sizeof views);
  if (taken == NULL || extras == NULL) {
    free(taken);
    free(extras);
    return ce__fail(CE_E_NOMEM, "Wayland: out of memory for the records");
  }

  /* sway's IPC, when it is this compositor's: the same process answers
   * both sockets. Without it the fields it gives stay unknown; that is no
   * failure. */
  if (swaysock != NULL && swaysock[0] != '\0' && s->compositor_pid > 0) {
    int64_t sway_pid = -1;
    status = ce__sway_get_tree(swaysock, &s->deadline, &views, &sway_pid);
    have_views = status == CE_OK && sway_pid == s->compositor_pid;
    if (status == CE_E_CANCELLED || status == CE_E_NOMEM)
      goto done;
    status = CE_OK;
    ce__clear_detail();
  }

  for (size_t i = 0; i < shown->count; i++) {
    handle *h = shown->items[i];
    if (!listed(h))
      continue;
    h->states_from = s->ext_name != 0 ? wlr_twin(s, i, taken) : h;
    extras[count].h = h;
    extras[count].view = have_views ? sway_twin(&views, h) : NULL;
    /* A stable id: the ext identifier's; else sway's container id; else
     * the order of appearance, above 2^62 so it meets no container id. */
    if (h->identifier != NULL)
      h->id = ce__wl_identifier_id(h->identifier, strlen(h->identifier));
    else if (extras[count].view != NULL)
      h->id = (uint64_t)extras[count].view->id;
    else
      h->id = (UINT64_C(1) << 62) + i + 1;
    count++;
  }

  for (size_t i = 0; status == CE_OK && i < count; i++) {
    const handle *h = extras[i].h;
    const ce__sway_view *v = extras[i].view;
    const handle *wlr = h->states_from;
    unsigned states = wlr != NULL ? wlr->states : 0;
    ce_window w;
    int built = CE_OK;

    memset(&w, 0, sizeof w);
    w.size = sizeof w;
    w.id = h->id;
    w.title = h->title != NULL ? h->title : "";
    w.class_name = h->app_id != NULL ? h->app_id : "";
    w.instance = "";
    w.pid = v != NULL ? v->pid : -1;
    w.exe = ce__read_exe(&arena, w.pid);
    if (v != NULL) {
      w.x = v->x;
      w.y = v->y;
      w.width = v->width;
      w.height = v->height;
    }
    w.desktop = CE_DESKTOP_UNKNOWN;
    w.minimized = (states & CE__WL_MINIMIZED) != 0;
    w.visible = !w.minimized;
    w.managed = true;
    /* The header promises one focused window at most. */
    w.focused = (states & CE__WL_ACTIVATED) != 0 && !focused;
    focused |= w.focused;
    /* The parent's record id; the parent is a wlr handle, whose id is that
     * of the record it was matched to, if any. */
    if (wlr != NULL && wlr->parent != NULL) {
      for (size_t k = 0; k < count; k++)
        if (extras[k].h->states_from == wlr->parent)
          w.transient_for = extras[k].h->id;
    }
    if (w.exe == NULL)
      built = ce__fail(CE_E_NOMEM, "Wayland: out of memory for a record");
    else if (query->visible_only && !w.visible)
      built = CE__SKIP;
    if ((status = ce__cancel_check(&s->deadline, "Wayland")) != CE_OK)
      break;
    status = ce__delivered(built, built == CE_OK ? fn(&w, ctx) : CE_CONTINUE,
                           &arena);
  }
done:
  ce__arena_free(&arena);
  ce__sway_free(&views);
  free(taken);
  free(extras);
  return status;
}

/* ---------------------------------------------------------- the entry -- */

static int in_wayland_session(void) {
  const char *display = getenv("WAYLAND_DISPLAY");
  const char *type = getenv("XDG_SESSION_TYPE");
  return (display != NULL && display[0] != '\0') ||
         (type != NULL && strcmp(type, "wayland") == 0);
}

/* Wayland serves a Wayland session whose compositor's socket exists and
 * whose client library loads; elsewhere it steps aside for X11. */
static int probe(const ce_window_query *query) {
  struct sockaddr_un address;
  struct stat socket_file;
  int status;
  (void)query;
  if (!in_wayland_session())
    return ce__fail(CE_E_UNAVAILABLE,
                    "Wayland: not a Wayland session (WAYLAND_DISPLAY is not "
                    "set)");
  /* A session variable left behind (a login over ssh from a Wayland
   * desktop) names a socket that is not there: then X11 may serve. */
  if ((status = socket_address(&address)) != CE_OK)
    return status;
  if (stat(address.sun_path, &socket_file) != 0 ||
      !S_ISSOCK(socket_file.st_mode))
    return ce__fail(CE_E_UNAVAILABLE, "Wayland: no compositor socket at %s",
                    address.sun_path);
  return ce__wl_load();
}

static int enumerate(const ce_window_query *query, ce_window_fn fn, void *ctx) {
  session s;
  int status;

  memset(&s, 0, sizeof s);
  s.deadline = ce__deadline_start(query->timeout_ms, query->cancel);
  status = ce__wl_load();
  if (status == CE_OK)
    status = ce__deadline_check(&s.deadline, "Wayland");
  if (status == CE_OK)
    status = open_session(&s);
  if (status == CE_OK)
    status = list_toplevels(&s);
  hang_up(&s);
  if (status == CE_OK)
    status = deliver(&s, query, fn, ctx);
  free_handles(&s.wlr_handles);
  free_handles(&s.ext_handles);
  return status;
}

const ce__windows_backend ce__wayland_windows = {"wayland", CE_WINDOWS_WAYLAND,
                                                 probe, enumerate};
