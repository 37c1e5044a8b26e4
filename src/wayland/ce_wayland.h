/* SPDX-License-Identifier: MIT */
/*
 * What the Wayland backend's files share: the functions (and the two
 * interface descriptions) of libwayland-client it loads at first use, the
 * decoders of what the compositor sends, and sway's IPC. The decoders take
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

#endif /* CE_WAYLAND_H */
