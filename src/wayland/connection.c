/* SPDX-License-Identifier: MIT */
/*
 * One connection to the compositor, as the enumeration and the watch both
 * make it: the socket found as libwayland finds it but connected by us, the
 * registry's window lists, round trips under the deadline, and the status of
 * a connection libwayland gave up on.
 */
#include "protocol.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* How long one poll waits at most, so a cancel is seen soon. */
#define POLL_SLICE_MS 50u

#define WLR_VERSION 3u
#define EXT_VERSION 1u

/* ------------------------------------------------------ registry, sync -- */

static void global(void *data, struct wl_registry *registry, uint32_t name,
                   const char *interface, uint32_t version) {
  ce__wl_connection *c = data;
  (void)registry;
  if (interface == NULL)
    return;
  if (strcmp(interface, "zwlr_foreign_toplevel_manager_v1") == 0 &&
      c->wlr_name == 0) {
    c->wlr_name = name;
    c->wlr_version = version < WLR_VERSION ? version : WLR_VERSION;
  } else if (strcmp(interface, "ext_foreign_toplevel_list_v1") == 0 &&
             c->ext_name == 0) {
    c->ext_name = name;
    c->ext_version = version < EXT_VERSION ? version : EXT_VERSION;
  } else if (strcmp(interface, "org_kde_plasma_window_management") == 0) {
    c->kde_window_management = 1;
  } else if (strcmp(interface, "gtk_shell1") == 0) {
    c->gtk_shell = 1;
  }
}

static void global_remove(void *data, struct wl_registry *registry,
                          uint32_t name) {
  (void)data, (void)registry, (void)name;
}

static const struct wl_registry_listener registry_events = {global,
                                                            global_remove};

static void synced(void *data, struct wl_callback *callback, uint32_t serial) {
  ce__wl_connection *c = data;
  (void)serial;
  wl_proxy_destroy((struct wl_proxy *)callback);
  c->sync = NULL;
  c->synced = 1;
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

void *ce__wl_bind(ce__wl_connection *c, uint32_t name,
                  const struct wl_interface *interface, uint32_t version) {
  void *proxy = wl_proxy_marshal_flags((struct wl_proxy *)c->registry,
                                       WL_REGISTRY_BIND, interface, version, 0,
                                       name, interface->name, version, NULL);
  if (proxy == NULL && c->failure == CE_OK)
    c->failure = ce__fail(CE_E_NOMEM, "Wayland: out of memory for a request");
  return proxy;
}

static int start_sync(ce__wl_connection *c) {
  struct wl_proxy *d = (struct wl_proxy *)c->display;
  c->synced = 0;
  c->sync = (struct wl_callback *)wl_proxy_marshal_flags(
      d, WL_DISPLAY_SYNC, ce__wl.wl_callback_interface, wl_proxy_get_version(d),
      0, NULL);
  if (c->sync == NULL)
    return ce__fail(CE_E_NOMEM, "Wayland: out of memory for a request");
  wl_proxy_add_listener((struct wl_proxy *)c->sync,
                        (void (**)(void))(void *)&sync_events, c);
  return CE_OK;
}

/* ---------------------------------------------------------- the loop -- */

int ce__wl_broken(ce__wl_connection *c) {
  int error = ce__wl.wl_display_get_error(c->display);
  if (error == EPROTO) {
    const struct wl_interface *interface = NULL;
    uint32_t id = 0;
    uint32_t code =
        ce__wl.wl_display_get_protocol_error(c->display, &interface, &id);
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

/*
 * One turn of reading: dispatches the events already queued, or flushes
 * the requests, waits up to `wait_ms` for the socket, reads what came and
 * dispatches it. *progress says whether events were read or dispatched.
 */
static int pump(ce__wl_connection *c, unsigned wait_ms, int *progress) {
  struct pollfd p = {ce__wl.wl_display_get_fd(c->display), POLLIN, 0};
  int flushed, ready, dispatched;

  *progress = 0;
  /* Events already read belong to the queue first. */
  if (ce__wl.wl_display_prepare_read(c->display) != 0) {
    if ((dispatched = ce__wl.wl_display_dispatch_pending(c->display)) < 0)
      return ce__wl_broken(c);
    *progress = 1;
    return CE_OK;
  }
  flushed = ce__wl.wl_display_flush(c->display);
  if (flushed < 0 && errno != EAGAIN) {
    ce__wl.wl_display_cancel_read(c->display);
    return ce__wl_broken(c);
  }
  if (flushed < 0)
    p.events |= POLLOUT;
  ready = poll(&p, 1, (int)wait_ms);
  if (ready > 0 && (p.revents & (POLLIN | POLLERR | POLLHUP))) {
    if (ce__wl.wl_display_read_events(c->display) < 0)
      return ce__wl_broken(c);
    *progress = 1;
  } else {
    ce__wl.wl_display_cancel_read(c->display);
    if (ready < 0 && errno != EINTR)
      return ce__fail(CE_E_BACKEND, "Wayland: poll failed: %s",
                      strerror(errno));
  }
  if ((dispatched = ce__wl.wl_display_dispatch_pending(c->display)) < 0)
    return ce__wl_broken(c);
  *progress |= dispatched > 0;
  return CE_OK;
}

/* Reads and dispatches what the compositor sends until the sync started
 * last is answered, within the deadline. */
static int wait_for_sync(ce__wl_connection *c, const char *waiting_for) {
  while (!c->synced) {
    unsigned left;
    int progress, status;

    if (c->failure != CE_OK)
      return c->failure;
    if (ce__deadline_cancelled(&c->deadline))
      return ce__deadline_check(&c->deadline, "Wayland");
    left = ce__deadline_left_ms(&c->deadline);
    if (left == 0)
      return ce__fail(CE_E_TIMEOUT,
                      "Wayland: the compositor did not answer within the "
                      "timeout (waiting for %s)",
                      waiting_for);
    status = pump(c, left < POLL_SLICE_MS ? left : POLL_SLICE_MS, &progress);
    if (status != CE_OK)
      return status;
  }
  return c->failure;
}

int ce__wl_round_trip(ce__wl_connection *c, const char *waiting_for) {
  int status = start_sync(c);
  return status == CE_OK ? wait_for_sync(c, waiting_for) : status;
}

int ce__wl_drain(ce__wl_connection *c) {
  int progress = 1, status = CE_OK;
  /* Each turn reads what the socket holds now; a compositor that sends
   * without end cannot keep this loop going longer than it keeps up. */
  for (int turns = 0; status == CE_OK && progress && turns < 64; turns++)
    status = pump(c, 0, &progress);
  /* A request a listener made (a handle's destroy) leaves now, and a
   * connection that broke since is told even when nothing was read. */
  if (status == CE_OK && ce__wl.wl_display_flush(c->display) < 0 &&
      errno != EAGAIN)
    status = ce__wl_broken(c);
  return status == CE_OK ? c->failure : status;
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

int ce__wl_socket_path(char *path, size_t size) {
  const char *name = getenv("WAYLAND_DISPLAY");
  const char *dir = getenv("XDG_RUNTIME_DIR");
  int written;

  if (name == NULL || name[0] == '\0')
    name = "wayland-0";
  if (name[0] == '/')
    written = snprintf(path, size, "%s", name);
  else if (dir == NULL || dir[0] == '\0')
    return ce__fail(CE_E_UNAVAILABLE,
                    "Wayland: XDG_RUNTIME_DIR is not set, so the "
                    "compositor's socket \"%s\" cannot be found",
                    name);
  else
    written = snprintf(path, size, "%s/%s", dir, name);
  if (written < 0 || (size_t)written >= size)
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
static int connect_socket(ce__wl_connection *c, int *status) {
  struct sockaddr_un address;
  int fd;

  memset(&address, 0, sizeof address);
  address.sun_family = AF_UNIX;
  if ((*status = ce__wl_socket_path(address.sun_path,
                                    sizeof address.sun_path)) != CE_OK)
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
      if ((*status = ce__deadline_check(&c->deadline, "Wayland")) != CE_OK) {
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
  name_peer(fd, &c->compositor_pid, c->compositor, sizeof c->compositor);
  return fd;
}

int ce__wl_connect(ce__wl_connection *c) {
  int status = CE_OK;
  int fd = connect_socket(c, &status);
  if (fd < 0)
    return status;
  /* From here the display owns the socket, failing or not. */
  c->display = ce__wl.wl_display_connect_to_fd(fd);
  if (c->display == NULL) /* it closed the socket */
    return ce__fail(CE_E_NOMEM, "Wayland: cannot set up the connection");
  c->registry = get_registry(c->display);
  if (c->registry == NULL)
    return ce__fail(CE_E_NOMEM, "Wayland: out of memory for a request");
  wl_proxy_add_listener((struct wl_proxy *)c->registry,
                        (void (**)(void))(void *)&registry_events, c);
  return ce__wl_round_trip(c, "the list of globals");
}

void ce__wl_disconnect(ce__wl_connection *c) {
  if (c->sync != NULL)
    wl_proxy_destroy((struct wl_proxy *)c->sync);
  if (c->registry != NULL)
    wl_proxy_destroy((struct wl_proxy *)c->registry);
  if (c->display != NULL)
    ce__wl.wl_display_disconnect(c->display);
  c->sync = NULL;
  c->registry = NULL;
  c->display = NULL;
}

int ce__wl_bind_lists(
    ce__wl_connection *c, struct zwlr_foreign_toplevel_manager_v1 **wlr,
    const struct zwlr_foreign_toplevel_manager_v1_listener *wlr_events,
    struct ext_foreign_toplevel_list_v1 **ext,
    const struct ext_foreign_toplevel_list_v1_listener *ext_events,
    void *data) {
  if (c->wlr_name == 0 && c->ext_name == 0)
    return ce__wl_no_window_list(c);
  if (c->ext_name != 0) {
    *ext =
        ce__wl_bind(c, c->ext_name, &ce__wl_ext_list_interface, c->ext_version);
    if (*ext == NULL)
      return c->failure;
    ext_foreign_toplevel_list_v1_add_listener(*ext, ext_events, data);
  }
  if (c->wlr_name != 0) {
    *wlr = ce__wl_bind(c, c->wlr_name, &ce__wl_wlr_manager_interface,
                       c->wlr_version);
    if (*wlr == NULL)
      return c->failure;
    zwlr_foreign_toplevel_manager_v1_add_listener(*wlr, wlr_events, data);
  }
  return CE_OK;
}

int ce__wl_no_window_list(const ce__wl_connection *c) {
  char who[128];
  const char *hint = "";
  if (c->compositor[0] != '\0')
    snprintf(who, sizeof who, "the compositor (%s, pid %lld)", c->compositor,
             (long long)c->compositor_pid);
  else
    snprintf(who, sizeof who, "the compositor");
  if (c->gtk_shell)
    hint = " (GNOME Shell lists its windows only on D-Bus, through "
           "org.gnome.Shell.Introspect, which cenum does not use)";
  else if (c->kde_window_management)
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
