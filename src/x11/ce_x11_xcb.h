/* SPDX-License-Identifier: MIT */
/*
 * What the X11 backend's files share beyond the pure decoders of ce_x11.h:
 * the functions loaded from Xlib and XCB, the state of one enumeration, the
 * request batch every stage sends through, the listing of the root's
 * children the stages fill in, and the stages themselves. Only this backend
 * includes it; the fuzzer, which has no X server, includes ce_x11.h alone.
 */
#ifndef CE_X11_XCB_H
#define CE_X11_XCB_H

#include "ce_x11.h"

#include <X11/Xlib-xcb.h>
#include <X11/Xlib.h>
#include <xcb/res.h>
#include <xcb/xcb.h>
#include <xcb/xcbext.h>

/* ------------------------------------------------------------ loading -- */

/*
 * Each library's functions, listed once (see CE__LIBRARY_STRUCT). xcb_res_id
 * is not a function but the extension's key for xcb_get_extension_data; it
 * resolves the same way.
 */
#define CE__X11_XLIB_FUNCTIONS(XX, t) XX(t, XDefaultRootWindow)
#define CE__X11_XLIB_XCB_FUNCTIONS(XX, t) XX(t, XGetXCBConnection)
#define CE__X11_XCB_FUNCTIONS(XX, t)                                           \
  XX(t, xcb_parse_display)                                                     \
  XX(t, xcb_connect_to_fd)                                                     \
  XX(t, xcb_setup_roots_iterator)                                              \
  XX(t, xcb_screen_next)                                                       \
  XX(t, xcb_flush)                                                             \
  XX(t, xcb_disconnect)                                                        \
  XX(t, xcb_get_file_descriptor)                                               \
  XX(t, xcb_connection_has_error)                                              \
  XX(t, xcb_poll_for_reply)                                                    \
  XX(t, xcb_discard_reply)                                                     \
  XX(t, xcb_prefetch_extension_data)                                           \
  XX(t, xcb_get_extension_data)                                                \
  XX(t, xcb_intern_atom)                                                       \
  XX(t, xcb_query_tree)                                                        \
  XX(t, xcb_get_property)                                                      \
  XX(t, xcb_get_geometry)                                                      \
  XX(t, xcb_get_window_attributes)                                             \
  XX(t, xcb_get_setup)                                                         \
  XX(t, xcb_change_window_attributes)                                          \
  XX(t, xcb_get_input_focus)                                                   \
  XX(t, xcb_poll_for_event)
#define CE__X11_XRES_FUNCTIONS(XX, t)                                          \
  XX(t, xcb_res_query_client_ids)                                              \
  XX(t, xcb_res_id)

/* ce__x11_xcb is valid once ce__x11_load() returned CE_OK;
 * the two Xlib tables once ce__x11_load_xlib() did; ce__x11_xres once
 * ce__x11_load_res() returned 1. */
extern CE__LIBRARY_STRUCT(ce__x11_xlib, CE__X11_XLIB_FUNCTIONS) ce__x11_xlib;
extern CE__LIBRARY_STRUCT(ce__x11_xlib_xcb,
                          CE__X11_XLIB_XCB_FUNCTIONS) ce__x11_xlib_xcb;
extern CE__LIBRARY_STRUCT(ce__x11_xcb, CE__X11_XCB_FUNCTIONS) ce__x11_xcb;
extern CE__LIBRARY_STRUCT(ce__x11_xres, CE__X11_XRES_FUNCTIONS) ce__x11_xres;

/* Loads libxcb at first use: all the library's own connections need.
 * CE_OK, or CE_E_UNAVAILABLE. */
int ce__x11_load(void);

/* Loads libX11 and libX11-xcb, only for a `Display *` the program passes
 * in (ce_window_query.x11_display). */
int ce__x11_load_xlib(void);

/* Loads libxcb-res, which the backend can do without: 1 when it is there. */
int ce__x11_load_res(void);

/* ------------------------------------------------------------- limits -- */

enum {
  /* The core protocol's BadWindow error code: the window was destroyed
   * after we learnt its id. (Waits last CE__POLL_SLICE_MS at most.) */
  CE__X11_BAD_WINDOW = 3
};

/* ------------------------------------------------------------ session -- */

/* One enumeration's connection and what it learnt about the server. */
typedef struct ce__x11_session {
  xcb_connection_t *connection;
  int fd; /* the connection's socket */
  ce__deadline deadline;
  ce__x11_atoms atoms;
  int use_res; /* libxcb-res loaded and the server has X-Resource */
} ce__x11_session;

/* Fails with "the connection to the display broke", and XCB's reason. */
int ce__x11_broken(const ce__x11_session *session);

/* -------------------------------------------------------------- batch -- */

/*
 * The requests of one stage and their replies. A stage sends all of its
 * requests (of as many kinds as it needs) and keeps the slot each one got;
 * ce__x11_batch_wait then collects every reply in one wait, and the stage
 * reads each reply through the slot it kept.
 */
typedef struct ce__x11_slot {
  unsigned sequence; /* 0: no request in this slot */
  uint8_t error;     /* the X error code that came instead of the reply */
  void *reply;       /* NULL after an error, or when nothing was sent */
} ce__x11_slot;

typedef struct ce__x11_batch {
  ce__x11_slot *slots;
  size_t count, capacity;
  size_t claimed; /* replies collected so far, in slot order */
  int failed;     /* a slot could not be added: the batch's status */
} ce__x11_batch;

#define CE__X11_BATCH_INIT                                                     \
  { NULL, 0, 0, 0, CE_OK }

/* A slot that holds no request: its reply is NULL and its error 0. */
#define CE__X11_NO_SLOT ((size_t)-1)

/*
 * Adds a request already sent, by its sequence number (0 for none), and
 * returns its slot. The batch grows as needed; when it cannot, the reply is
 * discarded, CE__X11_NO_SLOT returned and ce__x11_batch_wait fails with
 * CE_E_NOMEM, so no slot is ever written out of bounds. Every so many
 * requests it waits, within the deadline, until the socket can take more
 * without blocking; a stage stops sending once `failed` is set (the time
 * ran out, the connection broke), and ce__x11_batch_wait returns that.
 */
size_t ce__x11_batch_add(ce__x11_session *session, ce__x11_batch *batch,
                         unsigned sequence);

/* Sends what is buffered and collects every reply within the deadline:
 * CE_OK, CE_E_TIMEOUT, CE_E_CANCELLED, or a broken connection. */
int ce__x11_batch_wait(ce__x11_session *session, ce__x11_batch *batch);

const void *ce__x11_batch_reply(const ce__x11_batch *batch, size_t slot);
uint8_t ce__x11_batch_error(const ce__x11_batch *batch, size_t slot);

/* Releases the replies and tells XCB to drop those never collected (after a
 * timeout or a failure), which matters on a caller's connection that lives
 * on after us. */
void ce__x11_batch_free(const ce__x11_session *session, ce__x11_batch *batch);

/* Sends GetProperty for `words` 32-bit units of property `name` of type
 * `type` (XCB_GET_PROPERTY_TYPE_ANY for any); 0, no request, when the name
 * is None: a property the server has no name for cannot exist. */
unsigned ce__x11_send_get_property(const ce__x11_session *session,
                                   xcb_window_t window, uint32_t name,
                                   uint32_t type, uint32_t words);

/* A property's value as its GetProperty reply gives it, checked against the
 * reply's own length; type CE_X11_TYPE_NONE when the window has none (or
 * the request failed). */
typedef struct ce__x11_value {
  ce__x11_type type;
  int format;
  const void *bytes;
  size_t length;
} ce__x11_value;

ce__x11_value ce__x11_value_in(const ce__x11_session *session,
                               const ce__x11_batch *batch, size_t slot);

/* ------------------------------------------------------------ listing -- */

/* A child of the root, and the client window found inside it. */
typedef struct ce__x11_top {
  xcb_window_t frame;
  xcb_window_t client; /* 0 until found; the frame itself when none */
  int wm_state;        /* the client's WM_STATE, or -1 */
  int dead;            /* destroyed while we looked */
  int frame_viewable;
  int left, top, width, height; /* the frame on the screen */
  /* The client's record requests, when the search sent them ahead: an
   * index into the listing's ahead_slots; else CE__X11_NO_SLOT. */
  size_t ahead;
  /* The frame's WM_STATE and children, when the climb's first step asked
   * for them (in the listing's `ahead`); else CE__X11_NO_SLOT. */
  size_t guess_state, guess_tree;
} ce__x11_top;

/*
 * The requests sent about each client window for its record (records.c),
 * listed once: the list makes the struct of their slots, and the check that
 * none of them found the window destroyed.
 */
#define CE__X11_WINDOW_REQUESTS(XX)                                            \
  XX(attributes) /* the client's own attributes, when it is not the frame */   \
  XX(net_wm_name)                                                              \
  XX(wm_name)                                                                  \
  XX(wm_class)                                                                 \
  XX(net_wm_pid)                                                               \
  XX(net_wm_desktop)                                                           \
  XX(net_wm_state)                                                             \
  XX(net_wm_window_type)                                                       \
  XX(wm_client_machine)                                                        \
  XX(wm_transient_for)

typedef struct ce__x11_window_slots {
#define CE__X11_SLOT_FIELD_(request) size_t request;
  CE__X11_WINDOW_REQUESTS(CE__X11_SLOT_FIELD_)
#undef CE__X11_SLOT_FIELD_
} ce__x11_window_slots;

/* What the search stages learnt, for the last stage. */
typedef struct ce__x11_listing {
  ce__x11_top *tops; /* bottom-most first, as QueryTree lists them */
  size_t count;
  uint32_t *client_list; /* sorted _NET_CLIENT_LIST */
  size_t client_count;
  /* The root's word about the window manager, read with the client list:
   * its _NET_SUPPORTING_WM_CHECK window (whether that window is alive and
   * names itself is asked in the last stage), whether _NET_SUPPORTED has
   * _NET_WM_STATE_HIDDEN, and _NET_ACTIVE_WINDOW. 0 when absent. */
  xcb_window_t wm_check;
  int wm_supports_hidden;
  xcb_window_t active_window;
  /* X-Resource's pid of every client the server has, read with the client
   * list by one QueryClientIds naming no client (which means all of them):
   * sorted by the client's resource base. A window's owner is the client
   * whose base its XID has outside the resource-id mask (X11 protocol,
   * connection setup). Empty without X-Resource. */
  struct ce__x11_client_pid {
    uint32_t base;
    uint32_t pid;
  } * client_pids;
  size_t client_pid_count;
  uint32_t id_mask; /* the setup's resource_id_mask */
  /* The server gave our own connection our own pid: it runs on this host,
   * in our pid namespace, so the pids it gives are ours. */
  int server_shares_pids;
  /*
   * Under a window manager that lists its clients, the search sends each
   * listed client's record requests with its first climbing step, and the
   * request about the check window too, so the last stage has nothing left
   * to ask for most windows: the batch that holds their replies, the slots
   * of each (ahead_slots[i] for client_list[i], ahead_slots[client_count +
   * k] for top k when its frame was guessed to hold no listed client), and
   * the check window's slot (CE__X11_NO_SLOT when not sent ahead).
   */
  ce__x11_batch ahead;
  ce__x11_window_slots *ahead_slots;
  size_t wm_check_slot;
} ce__x11_listing;

#define CE__X11_LISTING_INIT                                                   \
  {                                                                            \
    NULL, 0, NULL, 0, 0, 0, 0, NULL, 0, 0, 0, CE__X11_BATCH_INIT, NULL,        \
        CE__X11_NO_SLOT                                                        \
  }

void ce__x11_listing_free(const ce__x11_session *session,
                          ce__x11_listing *listing);

/* Whether `window` is in the listing's sorted client list. */
int ce__x11_listed(const ce__x11_listing *listing, xcb_window_t window);

/* X-Resource's pid of the client that created `xid`, or -1 when the server
 * does not know it (no X-Resource, a remote client, the client is gone). */
int64_t ce__x11_owner_pid(const ce__x11_listing *listing, uint32_t xid);

/* ------------------------------------------------------------- stages -- */

/* Stage 1 (search.c): the atoms, the root's children, and whether the
 * server has X-Resource. */
int ce__x11_stage_atoms_and_root(ce__x11_session *session, xcb_window_t root,
                                 ce__x11_listing *listing);

/* Stages 2 and on (search.c): each child's attributes, geometry and client
 * window, and the root's properties (see ce__x11_listing). */
int ce__x11_stage_search(ce__x11_session *session, xcb_window_t root,
                         const ce_window_query *query,
                         ce__x11_listing *listing);

/* The record requests about client window `w` (records.c): only those of
 * the fields the query asks for and of its filters; its attributes only
 * when `w` is not its own frame (`w_is_frame`), whose attributes the search
 * has. */
ce__x11_window_slots
ce__x11_send_record_requests(ce__x11_session *session,
                             const ce__x11_listing *listing,
                             const ce_window_query *query, ce__x11_batch *batch,
                             xcb_window_t w, int w_is_frame);

/* The request about the check window every record depends on (records.c). */
size_t ce__x11_send_facts_request(ce__x11_session *session,
                                  const ce__x11_listing *listing,
                                  ce__x11_batch *batch);

/* The last stage (records.c): every client's properties, then one record
 * per child of the root, topmost first, to `fn`. */
int ce__x11_stage_deliver(ce__x11_session *session,
                          const ce__x11_listing *listing,
                          const ce_window_query *query, ce_window_fn fn,
                          void *ctx);

/* ------------------------------------------------------------ display -- */

/*
 * Opens an XCB connection of our own to display `name` within the deadline
 * (display.c): CE_OK with *out and the screen's *root, or CE_E_UNAVAILABLE
 * (refused, unreachable), CE_E_TIMEOUT, CE_E_CANCELLED, CE_E_NOMEM, each
 * with its detail.
 */
int ce__x11_connect(const char *name, const ce__deadline *deadline,
                    xcb_connection_t **out, xcb_window_t *root);

#endif /* CE_X11_XCB_H */
