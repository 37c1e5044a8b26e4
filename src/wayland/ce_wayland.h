/* SPDX-License-Identifier: MIT */
/*
 * What the Wayland backend's files share: the functions (and the two
 * interface descriptions) of libwayland-client it loads at first use, one
 * connection to the compositor as the enumeration and the watch make it,
 * the decoders of what the compositor sends, and sway's IPC. The decoders take
 * bytes exactly as they arrive and never trust them: a fuzzer calls them
 * without a compositor.
 */
#ifndef CE_WAYLAND_H
#define CE_WAYLAND_H

#include "../internal.h"

#include <stddef.h>
#include <stdint.h>

#include <wayland-client-core.h>
#include <wayland-client-protocol.h>

/*
 * Everything of libwayland-client.so.0 the backend uses. The core protocol's
 * interface descriptions are data of the library, resolved like functions:
 * the requests that create a registry or a callback name them.
 */
#define CE__WL_FUNCTIONS(XX, t)                                                \
  XX(t, wl_display_connect_to_fd)                                              \
  XX(t, wl_display_disconnect)                                                 \
  XX(t, wl_display_get_fd)                                                     \
  XX(t, wl_display_flush)                                                      \
  XX(t, wl_display_prepare_read)                                               \
  XX(t, wl_display_read_events)                                                \
  XX(t, wl_display_cancel_read)                                                \
  XX(t, wl_display_dispatch_pending)                                           \
  XX(t, wl_display_get_error)                                                  \
  XX(t, wl_display_get_protocol_error)                                         \
  XX(t, wl_proxy_marshal_flags)                                                \
  XX(t, wl_proxy_add_listener)                                                 \
  XX(t, wl_proxy_destroy)                                                      \
  XX(t, wl_proxy_get_version)                                                  \
  XX(t, wl_proxy_get_user_data)                                                \
  XX(t, wl_proxy_set_user_data)                                                \
  XX(t, wl_registry_interface)                                                 \
  XX(t, wl_callback_interface)

/* Valid once ce__wl_load() returned CE_OK. */
extern CE__LIBRARY_STRUCT(ce__wl, CE__WL_FUNCTIONS) ce__wl;

/* Loads libwayland-client at first use; CE_OK, or CE_E_UNAVAILABLE. */
int ce__wl_load(void);

/* --------------------------------------------------------- connection -- */

/*
 * One connection to the compositor (connection.c), the enumeration's and the
 * watch's alike. Zero it, set `deadline`, then ce__wl_connect.
 */
typedef struct ce__wl_connection {
  ce__deadline deadline; /* bounds every wait of a round trip */
  struct wl_display *display;
  struct wl_registry *registry;
  struct wl_callback *sync;
  int synced;
  int failure; /* a status a listener could not return (its detail set) */
  /* The window lists the registry offers (name 0: not offered), and what
   * tells a compositor that offers neither. */
  uint32_t wlr_name, wlr_version, ext_name, ext_version;
  int kde_window_management, gtk_shell;
  int64_t compositor_pid; /* the socket's peer; -1 when it cannot be told */
  char compositor[64];    /* its process name, "" when it cannot be told */
} ce__wl_connection;

/* The compositor's socket: $WAYLAND_DISPLAY (default wayland-0), absolute or
 * in $XDG_RUNTIME_DIR, as libwayland finds it. CE_OK, or CE_E_UNAVAILABLE
 * with the detail set. */
int ce__wl_socket_path(char *path, size_t size);

/* Connects (never through WAYLAND_SOCKET, the host program's own) and reads
 * the globals: CE_OK, or a failure with its detail. Call ce__wl_disconnect
 * whatever the result. */
int ce__wl_connect(ce__wl_connection *c);

/* Binds global `name`; NULL (and c->failure set) when out of memory. */
void *ce__wl_bind(ce__wl_connection *c, uint32_t name,
                  const struct wl_interface *interface, uint32_t version);

/*
 * Binds the window lists the compositor offers, the ext list and the wlr
 * manager, each with its listener and `data`: CE_OK, CE_E_UNSUPPORTED with
 * ce__wl_no_window_list's detail when it offers neither, or CE_E_NOMEM.
 * The caller destroys the proxies it was given.
 */
struct zwlr_foreign_toplevel_manager_v1;
struct zwlr_foreign_toplevel_manager_v1_listener;
struct ext_foreign_toplevel_list_v1;
struct ext_foreign_toplevel_list_v1_listener;
int ce__wl_bind_lists(
    ce__wl_connection *c, struct zwlr_foreign_toplevel_manager_v1 **wlr,
    const struct zwlr_foreign_toplevel_manager_v1_listener *wlr_events,
    struct ext_foreign_toplevel_list_v1 **ext,
    const struct ext_foreign_toplevel_list_v1_listener *ext_events, void *data);

/* A sync request and the events before its answer, within c->deadline. */
int ce__wl_round_trip(ce__wl_connection *c, const char *waiting_for);

/* Reads and dispatches what has arrived, without waiting, and flushes the
 * requests listeners made: CE_OK, c->failure, or the broken connection's
 * status. */
int ce__wl_drain(ce__wl_connection *c);

/* The status (and detail) of a connection libwayland gave up on. */
int ce__wl_broken(ce__wl_connection *c);

/* CE_E_UNSUPPORTED, with the detail for a compositor without a window list
 * (naming it, and what it offers instead where that is known). */
int ce__wl_no_window_list(const ce__wl_connection *c);

/* Closes the connection, after the caller destroyed its own proxies. */
void ce__wl_disconnect(ce__wl_connection *c);

/* ------------------------------------------------------------ decoders -- */

/* The states of a wlr toplevel, as bits. */
enum {
  CE__WL_MAXIMIZED = 1u << 0,
  CE__WL_MINIMIZED = 1u << 1,
  CE__WL_ACTIVATED = 1u << 2,
  CE__WL_FULLSCREEN = 1u << 3
};

/*
 * The wlr `state` event's array: 32-bit values in the compositor's byte
 * order, as bits above. Values it does not know are ignored, and so is a
 * trailing part shorter than 32 bits.
 */
unsigned ce__wl_decode_states(const void *data, size_t size);

/*
 * The record id of an ext_foreign_toplevel_handle_v1 identifier: a 64-bit
 * FNV-1a hash of its bytes, never 0, so the same toplevel has the same id in
 * every enumeration (the protocol keeps an identifier for a toplevel's life
 * and never gives it to another).
 */
uint64_t ce__wl_identifier_id(const char *identifier, size_t length);

/* The pid of the process at the other end of a Unix socket, as our pid
 * namespace sees it; -1 when it cannot be told (another namespace). */
int64_t ce__peer_pid(int fd);

/* --------------------------------------------------------------- sway -- */

/* One view (window) of sway's tree, as `swaymsg -t get_tree` shows it. */
typedef struct ce__sway_view {
  int64_t id;              /* the container's id, stable for its life */
  const char *name;        /* the title: "" when null */
  const char *app_id;      /* app_id, or for Xwayland window_properties.class */
  int64_t pid;             /* -1 when absent */
  int x, y, width, height; /* `rect`: the frame, decorations included */
  int used;                /* matched to a toplevel already (for the matcher) */
} ce__sway_view;

typedef struct ce__sway_views {
  ce__sway_view *views;
  size_t count, capacity;
  ce__arena strings; /* the views' strings */
} ce__sway_views;

/*
 * Reads the views of a get_tree reply (JSON, `length` bytes): every node
 * with a `pid` member, in the order the tree lists them. Strings are
 * repaired and capped; nesting deeper than the tree could be, a number out
 * of range or malformed JSON gives CE_E_BACKEND ("sway: ..."), memory
 * CE_E_NOMEM. `out` must be zeroed first and freed with ce__sway_free
 * whatever the result.
 */
int ce__sway_parse_tree(const char *json, size_t length, ce__sway_views *out);

void ce__sway_free(ce__sway_views *views);

/*
 * Asks the sway IPC socket at `path` for its tree, within `deadline`:
 * CE_OK with `out` filled (zeroed first; free it with ce__sway_free in any
 * case), or a failure whose detail is set. *sway_pid is the pid of the
 * process that answered, as our pid namespace sees it (-1 when unknown), so
 * the caller can tell whether it is the compositor it listed.
 */
int ce__sway_get_tree(const char *path, const ce__deadline *deadline,
                      ce__sway_views *out, int64_t *sway_pid);

/* A subscription to sway's IPC events, and where the reading of the message
 * under way stands (messages may arrive in pieces). */
typedef struct ce__sway_events {
  int fd;                          /* -1 when not subscribed */
  unsigned char header[6 + 2 * 4]; /* "i3-ipc", length, type */
  size_t have;                     /* bytes of `header` read */
  uint32_t skip;                   /* payload bytes of it still to read */
  int broken; /* a message without the header was read: no resync after */
} ce__sway_events;

/*
 * Subscribes to the IPC events named by `events` (JSON, as `["window"]`) at
 * `path`, within `deadline`: CE_OK with out->fd the connection (non-blocking;
 * the caller closes it), or a failure whose detail is set and out->fd -1.
 * *sway_pid as for ce__sway_get_tree.
 */
int ce__sway_subscribe(const char *path, const char *events,
                       const ce__deadline *deadline, ce__sway_events *out,
                       int64_t *sway_pid);

/*
 * Reads the events that arrived, without waiting, and adds the number of
 * complete ones to *count (their payloads are not read: any event is a
 * reason to list again). CE_OK, or CE_E_UNAVAILABLE when sway closed the
 * connection, CE_E_BACKEND when it sent what is not an IPC message (and at
 * every later call: a stream that lost its framing cannot be read again).
 */
int ce__sway_read_events(ce__sway_events *e, unsigned *count);

#endif /* CE_WAYLAND_H */
