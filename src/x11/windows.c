/* SPDX-License-Identifier: MIT */
/*
 * Windows on X11: every top-level window of the default screen, topmost
 * first, in a number of round trips that does not grow with the number of
 * windows.
 *
 * The display is opened with Xlib (or supplied by the caller), and every
 * query goes through its XCB connection in stages: each stage sends one
 * kind of request for every window, then collects all the replies. Every
 * request is a "checked" one (XCB's default for requests with a reply), so
 * an X error, such as BadWindow for a window destroyed meanwhile, comes back
 * to us in place of its reply. The "_unchecked" forms would put it in the
 * event queue, where Xlib would hand it to the program's error handler; we
 * never touch that handler.
 */
#include "ce_x11.h"

#include <X11/Xlib-xcb.h>
#include <X11/Xlib.h>
#include <xcb/res.h>
#include <xcb/xcb.h>
#include <xcb/xcbext.h>

#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------ loading -- */

/*
 * Each library's functions, listed once: the loader makes the tables and
 * the names to resolve from these lists. xcb_res_id is not a function but
 * the extension's key for xcb_get_extension_data; it resolves the same way.
 */
#define XLIB_FUNCTIONS(XX, t)                                                  \
  XX(t, XOpenDisplay)                                                          \
  XX(t, XCloseDisplay)                                                         \
  XX(t, XDefaultRootWindow)
#define XLIB_XCB_FUNCTIONS(XX, t) XX(t, XGetXCBConnection)
#define XCB_FUNCTIONS(XX, t)                                                   \
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
  XX(t, xcb_get_setup)
#define XRES_FUNCTIONS(XX, t)                                                  \
  XX(t, xcb_res_query_client_ids)                                              \
  XX(t, xcb_res_id)

static CE__LIBRARY_STRUCT(xlib, XLIB_FUNCTIONS) xlib;
CE__LIBRARY_SYMBOLS(xlib, XLIB_FUNCTIONS);
static CE__LIBRARY_STRUCT(xlib_xcb, XLIB_XCB_FUNCTIONS) xlib_xcb;
CE__LIBRARY_SYMBOLS(xlib_xcb, XLIB_XCB_FUNCTIONS);
static CE__LIBRARY_STRUCT(xcb, XCB_FUNCTIONS) xcb;
CE__LIBRARY_SYMBOLS(xcb, XCB_FUNCTIONS);
static CE__LIBRARY_STRUCT(xres, XRES_FUNCTIONS) xres;
CE__LIBRARY_SYMBOLS(xres, XRES_FUNCTIONS);

static const char *const xlib_sonames[] = {"libX11.so.6", NULL};
static const char *const xlib_xcb_sonames[] = {"libX11-xcb.so.1", NULL};
static const char *const xcb_sonames[] = {"libxcb.so.1", NULL};
static const char *const xres_sonames[] = {"libxcb-res.so.0", NULL};

static ce__library xlib_library =
    CE__LIBRARY("X11", xlib_sonames, xlib_symbols);
static ce__library xlib_xcb_library =
    CE__LIBRARY("X11", xlib_xcb_sonames, xlib_xcb_symbols);
static ce__library xcb_library = CE__LIBRARY("X11", xcb_sonames, xcb_symbols);
static ce__library xres_library =
    CE__LIBRARY("X11", xres_sonames, xres_symbols);

/* ------------------------------------------------------------- limits -- */

enum {
  /* How deep below a child of the root the client window is searched, the
   * child itself being level 1: window managers put the client at level 2
   * (a frame) or 3 (a frame and a wrapper). Each level costs one round
   * trip. */
  SEARCH_LEVELS = 4,
  /* The most windows examined at one level of the search; past it, the
   * remaining frames are reported as they are. */
  MAX_NODES = 1 << 18,
  /* _NET_CLIENT_LIST entries read; more than any real desktop has. */
  CLIENT_LIST_WORDS = 1 << 16,
  /* A title is capped at CE__CAP_TITLE bytes of UTF-8; a longer property is
   * read only that far (its bytes_after is left unread). */
  TITLE_WORDS = CE__CAP_TITLE / 4,
  CLASS_WORDS = 2 * CE__CAP_NAME / 4,
  ATOM_LIST_WORDS = 64,
  MACHINE_WORDS = 64, /* a host name has at most 255 bytes */
  POLL_SLICE_MS = 20
};

#define X_BAD_WINDOW 3 /* the core protocol's BadWindow error code */

/* -------------------------------------------------------------- stages -- */

typedef struct x11 {
  xcb_connection_t *c;
  ce__deadline deadline;
  ce__x11_atoms atoms;
  int use_res;
  /* The server gave our own connection our own pid: it runs on this host,
   * in our pid namespace, so the pids it gives are ours to look up. */
  int server_shares_pids;
  char hostname[256]; /* ours, to compare with WM_CLIENT_MACHINE */
} x11;

/* The requests of one stage, each in its slot, and their replies. */
typedef struct batch {
  unsigned *seq;     /* 0: no request in this slot */
  void **reply;      /* the reply, or NULL (error, or no request) */
  uint8_t *error;    /* the X error code that came instead, or 0 */
  size_t count, cap; /* slots used and allocated */
  size_t claimed;    /* replies collected so far, in slot order */
} batch;

static int batch_init(batch *b, size_t cap) {
  memset(b, 0, sizeof *b);
  b->cap = cap ? cap : 1;
  b->seq = calloc(b->cap, sizeof *b->seq);
  b->reply = calloc(b->cap, sizeof *b->reply);
  b->error = calloc(b->cap, sizeof *b->error);
  if (b->seq && b->reply && b->error)
    return CE_OK;
  free(b->seq), free(b->reply), free(b->error);
  memset(b, 0, sizeof *b);
  return ce__fail(CE_E_NOMEM, "X11: out of memory for %zu requests", cap);
}

/* Adds a request's sequence number (0 for none) and returns its slot. The
 * batch was sized for every request of its stage, so this cannot fail. */
static size_t batch_add(batch *b, unsigned seq) {
  b->seq[b->count] = seq;
  return b->count++;
}

static const void *batch_reply(const batch *b, size_t slot) {
  return b->reply[slot];
}

/* Releases the replies and tells XCB to drop those never collected (after a
 * timeout or a failure), which matters on a caller's connection that lives
 * on after us. */
static void batch_free(x11 *x, batch *b) {
  for (size_t i = b->claimed; i < b->count; i++)
    if (b->seq[i] != 0)
      xcb.xcb_discard_reply(x->c, b->seq[i]);
  for (size_t i = 0; i < b->count; i++)
    free(b->reply[i]);
  free(b->seq), free(b->reply), free(b->error);
  memset(b, 0, sizeof *b);
}

static int broken(x11 *x) {
  return ce__fail(CE_E_UNAVAILABLE,
                  "X11: the connection to the display broke (XCB error %d)",
                  xcb.xcb_connection_has_error(x->c));
}

/*
 * Sends what is buffered and collects every reply of the batch, never
 * blocking beyond the deadline: XCB reads what the socket has without
 * waiting (xcb_poll_for_reply), and we wait for more with poll() in short
 * slices so that the cancel flag is seen too.
 */
static int batch_wait(x11 *x, batch *b) {
  int fd = xcb.xcb_get_file_descriptor(x->c);
  if (xcb.xcb_flush(x->c) <= 0)
    return broken(x);
  while (b->claimed < b->count) {
    size_t i = b->claimed;
    void *reply = NULL;
    xcb_generic_error_t *error = NULL;
    int status;

    if (b->seq[i] == 0) {
      b->claimed++;
      continue;
    }
    if (xcb.xcb_poll_for_reply(x->c, b->seq[i], &reply, &error)) {
      if (reply == NULL && error == NULL)
        return broken(x);
      b->reply[i] = reply;
      b->error[i] = error ? error->error_code : 0;
      free(error);
      b->claimed++;
      continue;
    }
    if (xcb.xcb_connection_has_error(x->c))
      return broken(x);
    status = ce__deadline_check(&x->deadline, "X11");
    if (status != CE_OK)
      return status;
    {
      struct pollfd p = {fd, POLLIN, 0};
      unsigned left = ce__deadline_left_ms(&x->deadline);
      poll(&p, 1, (int)(left < POLL_SLICE_MS ? left : POLL_SLICE_MS));
    }
  }
  return CE_OK;
}

/* ------------------------------------------------------------ replies -- */

/* A property as a GetProperty reply gives it, checked against the reply's
 * own length. */
typedef struct property {
  ce__x11_type type;
  int format;
  const void *bytes;
  size_t length;
} property;

static property property_of(const x11 *x, const void *reply_bytes) {
  const xcb_get_property_reply_t *reply = reply_bytes;
  property p = {CE_X11_TYPE_NONE, 0, NULL, 0};
  size_t unit, have;
  if (reply == NULL || reply->type == XCB_NONE)
    return p;
  p.type = ce__x11_type_of(&x->atoms, reply->type);
  p.format = reply->format;
  unit = reply->format / 8u;
  have = (size_t)reply->length * 4u;
  if ((unit == 1 || unit == 2 || unit == 4) &&
      reply->value_len <= have / unit) {
    p.bytes = reply + 1;
    p.length = (size_t)reply->value_len * unit;
  }
  return p;
}

/* The children of a QueryTree reply, bottom-most first. */
static const xcb_window_t *children_of(const void *reply_bytes, size_t *n) {
  const xcb_query_tree_reply_t *reply = reply_bytes;
  *n = 0;
  if (reply == NULL)
    return NULL;
  *n = reply->children_len;
  if (*n > (size_t)reply->length)
    *n = reply->length; /* one 32-bit word per child */
  return (const xcb_window_t *)(reply + 1);
}

/* The local process id in an X-Resource QueryClientIds reply, or -1. */
static int64_t pid_of_client_ids(const void *reply_bytes) {
  const xcb_res_query_client_ids_reply_t *reply = reply_bytes;
  const unsigned char *p, *end;
  if (reply == NULL)
    return -1;
  p = (const unsigned char *)(reply + 1);
  end = p + (size_t)reply->length * 4u;
  for (uint32_t i = 0; i < reply->num_ids && end - p >= 12; i++) {
    /* The value's length is in bytes, a multiple of 4. */
    uint32_t mask = ce__x11_item32(p, 1), words = ce__x11_item32(p, 2) / 4;
    p += 12;
    if ((size_t)(end - p) / 4 < words)
      break;
    if ((mask & XCB_RES_CLIENT_ID_MASK_LOCAL_CLIENT_PID) && words >= 1) {
      uint32_t pid = ce__x11_item32(p, 0);
      return pid > 0 && pid <= INT32_MAX ? (int64_t)pid : -1;
    }
    p += (size_t)words * 4;
  }
  return -1;
}

static int compare_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

/* ----------------------------------------------------------- the tree -- */

/* A child of the root, and the client window found inside it. */
typedef struct top {
  xcb_window_t frame;
  xcb_window_t client; /* 0 until found; the frame itself when none */
  int wm_state;        /* the client's WM_STATE, or -1 */
  int dead;            /* destroyed while we looked */
  int override_redirect;
  int frame_viewable;
  int x, y, width, height;
} top;

/* A window searched for WM_STATE, below top number `top`. */
typedef struct node {
  xcb_window_t window;
  size_t top;
} node;

typedef struct listing {
  top *tops;
  size_t count;
  uint32_t *client_list; /* sorted _NET_CLIENT_LIST */
  size_t client_count;
} listing;

static void listing_free(listing *l) {
  free(l->tops);
  free(l->client_list);
  memset(l, 0, sizeof *l);
}

/* Stage 1: the atoms, the root's children, and whether the server has the
 * X-Resource extension. */
static int stage_atoms_and_root(x11 *x, xcb_window_t root, listing *l) {
  static const char *const names[] = {
#define CE_X11_ATOM_NAME_(name) #name,
      CE_X11_ATOM_MAP(CE_X11_ATOM_NAME_)
#undef CE_X11_ATOM_NAME_
  };
  batch b;
  size_t tree_slot, count;
  const xcb_window_t *children;
  int status = batch_init(&b, CE_X11_ATOM_COUNT + 1);
  if (status != CE_OK)
    return status;

  /* Asked first, so its reply is in by the time ours are, and the later
   * xcb_get_extension_data does not wait. */
  if (x->use_res)
    xcb.xcb_prefetch_extension_data(x->c, xres.xcb_res_id);
  /* only_if_exists: a name the server does not know gives None instead of
   * a new atom, so listing windows creates nothing on the server. */
  for (size_t i = 0; i < CE_X11_ATOM_COUNT; i++)
    batch_add(&b,
              xcb.xcb_intern_atom(x->c, 1, (uint16_t)strlen(names[i]), names[i])
                  .sequence);
  tree_slot = batch_add(&b, xcb.xcb_query_tree(x->c, root).sequence);

  status = batch_wait(x, &b);
  for (size_t i = 0; status == CE_OK && i < CE_X11_ATOM_COUNT; i++) {
    const xcb_intern_atom_reply_t *reply = batch_reply(&b, i);
    x->atoms.value[i] = reply ? reply->atom : 0;
  }
  if (status == CE_OK && batch_reply(&b, tree_slot) == NULL)
    status = ce__fail(CE_E_BACKEND,
                      "X11: the server refused to list the root's children "
                      "(X error %d)",
                      b.error[tree_slot]);
  if (status == CE_OK) {
    children = children_of(batch_reply(&b, tree_slot), &count);
    l->tops = calloc(count ? count : 1, sizeof *l->tops);
    if (l->tops == NULL)
      status =
          ce__fail(CE_E_NOMEM, "X11: out of memory for %zu windows", count);
    for (size_t i = 0; status == CE_OK && i < count; i++) {
      l->tops[i].frame = children[i];
      l->tops[i].wm_state = -1;
    }
    if (status == CE_OK)
      l->count = count;
  }
  if (status == CE_OK && x->use_res) {
    const xcb_query_extension_reply_t *ext =
        xcb.xcb_get_extension_data(x->c, xres.xcb_res_id);
    x->use_res = ext != NULL && ext->present;
  }
  batch_free(x, &b);
  return status;
}

static xcb_get_property_cookie_t get_property(x11 *x, xcb_window_t window,
                                              uint32_t name, uint32_t type,
                                              uint32_t words) {
  return xcb.xcb_get_property(x->c, 0, window, name, type, 0, words);
}

/* Reads the frame's attributes and geometry (level 1 only). */
static void take_frame(top *t, const batch *b, size_t attrs, size_t geometry) {
  const xcb_get_window_attributes_reply_t *a = batch_reply(b, attrs);
  const xcb_get_geometry_reply_t *g = batch_reply(b, geometry);
  if (a == NULL || g == NULL) {
    t->dead = 1; /* destroyed since the root listed it */
    return;
  }
  t->override_redirect = a->override_redirect;
  t->frame_viewable = a->map_state == XCB_MAP_STATE_VIEWABLE;
  t->x = g->x;
  t->y = g->y;
  /* The frame as the screen shows it: its border is outside its size. */
  t->width = g->width + 2 * g->border_width;
  t->height = g->height + 2 * g->border_width;
}

static int compare_node(const void *a, const void *b) {
  xcb_window_t x = ((const node *)a)->window, y = ((const node *)b)->window;
  return x < y ? -1 : x > y;
}

/*
 * The clients the window manager lists (_NET_CLIENT_LIST), found from below:
 * each one's parent, and that one's parent where need be, until a frame (a
 * child of the root). That costs two requests per client and usually one
 * round trip, where searching a frame from above asks for WM_STATE and the
 * children of every window inside it: openbox puts some sixty decoration
 * windows beside each client. A frame whose client this does not find is
 * searched from above afterwards, as XmuClientWindow does. Where a frame
 * holds several listed clients, the first in the list is its client.
 */
static int stage_climb(x11 *x, xcb_window_t root, listing *l) {
  const uint32_t wm_state = x->atoms.value[CE_X11_WM_STATE];
  size_t n = l->client_count;
  node *frames = malloc((l->count ? l->count : 1) * sizeof *frames);
  /* window: where the climb is; top: the client's index in the list. */
  node *climbing = malloc((n ? n : 1) * sizeof *climbing);
  int *states = malloc((n ? n : 1) * sizeof *states);
  int status = CE_OK;

  if (frames == NULL || climbing == NULL || states == NULL)
    status = ce__fail(CE_E_NOMEM, "X11: out of memory for %zu clients", n);
  for (size_t i = 0; status == CE_OK && i < l->count; i++)
    frames[i] = (node){l->tops[i].frame, i};
  if (status == CE_OK)
    qsort(frames, l->count, sizeof *frames, compare_node);
  for (size_t i = 0; status == CE_OK && i < n; i++) {
    climbing[i] = (node){l->client_list[i], i};
    states[i] = -1;
  }

  for (int level = 1; level <= SEARCH_LEVELS && n > 0 && status == CE_OK;
       level++) {
    size_t next_n = 0;
    batch b;
    /* Slots: per climber [QueryTree, the client's WM_STATE on level 1]. */
    if ((status = batch_init(&b, 2 * n)) != CE_OK)
      break;
    for (size_t i = 0; i < n; i++) {
      xcb_window_t client = l->client_list[climbing[i].top];
      batch_add(&b, xcb.xcb_query_tree(x->c, climbing[i].window).sequence);
      batch_add(&b,
                level == 1 && wm_state
                    ? get_property(x, client, wm_state, wm_state, 2).sequence
                    : 0);
    }
    status = batch_wait(x, &b);
    for (size_t i = 0; status == CE_OK && i < n; i++) {
      const xcb_query_tree_reply_t *tree = batch_reply(&b, 2 * i);
      size_t index = climbing[i].top;
      node key, *frame;
      if (level == 1) {
        property p = property_of(x, batch_reply(&b, 2 * i + 1));
        if (p.type != CE_X11_TYPE_NONE)
          states[index] =
              ce__x11_decode_wm_state(p.type, p.format, p.bytes, p.length);
      }
      /* Gone meanwhile; or a child of the root itself, which the first
       * level of the search judged already. */
      if (tree == NULL || tree->parent == root || tree->parent == XCB_NONE)
        continue;
      key.window = tree->parent;
      frame = bsearch(&key, frames, l->count, sizeof *frames, compare_node);
      if (frame == NULL) {
        climbing[next_n++] = (node){tree->parent, index};
      } else {
        top *t = &l->tops[frame->top];
        if (!t->dead && t->client == 0) {
          t->client = l->client_list[index];
          t->wm_state = states[index];
        }
      }
    }
    batch_free(x, &b);
    n = next_n;
  }
  free(frames);
  free(climbing);
  free(states);
  return status;
}

/*
 * Stages 2 to 1 + SEARCH_LEVELS: the client window of each child of the
 * root, as XmuClientWindow finds it: the first window carrying WM_STATE,
 * looking at the child itself, then one level deeper at a time. Level 1
 * also reads each frame's attributes and geometry and the root's
 * _NET_CLIENT_LIST, so they cost no round trip of their own.
 */
static int stage_search(x11 *x, xcb_window_t root, listing *l) {
  node *frontier = malloc((l->count ? l->count : 1) * sizeof *frontier);
  size_t n = l->count;
  int status = CE_OK;
  const uint32_t wm_state = x->atoms.value[CE_X11_WM_STATE];
  const uint32_t client_list = x->atoms.value[CE_X11__NET_CLIENT_LIST];

  if (frontier == NULL)
    return ce__fail(CE_E_NOMEM, "X11: out of memory for %zu windows", n);
  for (size_t i = 0; i < n; i++)
    frontier[i] = (node){l->tops[i].frame, i};

  for (int level = 1; level <= SEARCH_LEVELS && n > 0 && status == CE_OK;
       level++) {
    /* Without a WM_STATE atom no window manager ever ran on this server
     * and no window can be a client: the first level (the frames' own
     * attributes and the client list) is all there is to ask. */
    const int first = level == 1,
              last = level == SEARCH_LEVELS || wm_state == 0;
    size_t per_node = 2, per_frame = first ? 2 : 0;
    size_t list_slot = 0, next_n = 0;
    node *next = NULL;
    batch b;

    status = batch_init(&b, n * per_node + l->count * per_frame + 1);
    if (status != CE_OK)
      break;
    /* Slots: per node [WM_STATE, QueryTree]; then per frame [attributes,
     * geometry] on level 1; then the client list. */
    for (size_t i = 0; i < n; i++) {
      xcb_window_t w = frontier[i].window;
      batch_add(&b, wm_state
                        ? get_property(x, w, wm_state, wm_state, 2).sequence
                        : 0);
      batch_add(&b, last ? 0 : xcb.xcb_query_tree(x->c, w).sequence);
    }
    if (first) {
      for (size_t i = 0; i < l->count; i++) {
        xcb_window_t w = l->tops[i].frame;
        batch_add(&b, xcb.xcb_get_window_attributes(x->c, w).sequence);
        batch_add(&b, xcb.xcb_get_geometry(x->c, w).sequence);
      }
      list_slot = batch_add(&b, client_list ? get_property(x, root, client_list,
                                                           CE_X11_XA_WINDOW,
                                                           CLIENT_LIST_WORDS)
                                                  .sequence
                                            : 0);
    }
    status = batch_wait(x, &b);

    if (status == CE_OK && first) {
      property p = property_of(x, batch_reply(&b, list_slot));
      size_t count = p.type == CE_X11_TYPE_WINDOW
                         ? ce__x11_count32(p.format, p.length)
                         : 0;
      l->client_list = malloc((count ? count : 1) * sizeof *l->client_list);
      if (l->client_list == NULL)
        status = ce__fail(CE_E_NOMEM, "X11: out of memory for the client list");
      for (size_t i = 0; status == CE_OK && i < count; i++)
        l->client_list[i] = ce__x11_item32(p.bytes, i);
      if (status == CE_OK) {
        qsort(l->client_list, count, sizeof *l->client_list, compare_u32);
        l->client_count = count;
      }
      for (size_t i = 0; status == CE_OK && i < l->count; i++)
        take_frame(&l->tops[i], &b, n * per_node + 2 * i,
                   n * per_node + 2 * i + 1);
    }

    /* The first window of this level carrying WM_STATE is the client. */
    for (size_t i = 0; status == CE_OK && i < n; i++) {
      top *t = &l->tops[frontier[i].top];
      const xcb_get_property_reply_t *reply = batch_reply(&b, 2 * i);
      if (t->dead || t->client != 0)
        continue;
      if (first && b.error[2 * i] == X_BAD_WINDOW)
        t->dead = 1;
      else if (reply != NULL && reply->type != XCB_NONE) {
        property p = property_of(x, reply);
        t->client = frontier[i].window;
        t->wm_state =
            ce__x11_decode_wm_state(p.type, p.format, p.bytes, p.length);
      }
    }

    /* The window manager's clients, found from below, spare the frames
     * that hold them the search from above. */
    if (status == CE_OK && first && l->client_count > 0)
      status = stage_climb(x, root, l);

    /* The next level: the children of each window whose frame has no client
     * yet. Override-redirect windows are never managed, so their subtrees
     * hold no client. */
    if (status == CE_OK && !last) {
      size_t total = 0;
      for (size_t i = 0; i < n; i++) {
        size_t count;
        children_of(batch_reply(&b, 2 * i + 1), &count);
        total += count;
      }
      if (total > MAX_NODES)
        total = MAX_NODES;
      next = malloc((total ? total : 1) * sizeof *next);
      if (next == NULL)
        status =
            ce__fail(CE_E_NOMEM, "X11: out of memory for %zu windows", total);
      for (size_t i = 0; status == CE_OK && i < n; i++) {
        const top *t = &l->tops[frontier[i].top];
        size_t count;
        const xcb_window_t *children =
            children_of(batch_reply(&b, 2 * i + 1), &count);
        if (t->dead || t->client != 0 || (first && t->override_redirect))
          continue;
        for (size_t k = 0; k < count && next_n < total; k++)
          next[next_n++] = (node){children[k], frontier[i].top};
      }
    }
    batch_free(x, &b);
    free(frontier);
    frontier = next;
    n = next_n;
  }
  free(frontier);

  /* A frame without a client inside is reported as it is. */
  for (size_t i = 0; status == CE_OK && i < l->count; i++)
    if (l->tops[i].client == 0)
      l->tops[i].client = l->tops[i].frame;
  return status;
}

/* ------------------------------------------------------------ records -- */

/* The requests of the last stage, per client window. */
enum {
  R_ATTRS, /* the client's own attributes, when it is not the frame */
  R_NET_WM_NAME,
  R_WM_NAME,
  R_WM_CLASS,
  R_NET_WM_PID,
  R_NET_WM_DESKTOP,
  R_NET_WM_STATE,
  R_NET_WM_WINDOW_TYPE,
  R_WM_CLIENT_MACHINE,
  R_CLIENT_IDS,
  R_COUNT
};

/* Asks X-Resource for the local pid of the client that owns `xid`; 0 (no
 * request) when the server has no X-Resource. */
static unsigned query_pid(x11 *x, uint32_t xid) {
  xcb_res_client_id_spec_t spec = {xid,
                                   XCB_RES_CLIENT_ID_MASK_LOCAL_CLIENT_PID};
  return x->use_res ? xres.xcb_res_query_client_ids(x->c, 1, &spec).sequence
                    : 0u;
}

static void send_properties(x11 *x, batch *b, const top *t) {
  const uint32_t *a = x->atoms.value;
  xcb_window_t w = t->client;
  /* A property whose name the server does not know cannot exist. */
#define PROPERTY(atom, type, words)                                            \
  ((atom) ? get_property(x, w, (atom), (type), (words)).sequence : 0u)

  batch_add(b, w != t->frame && !t->dead
                   ? xcb.xcb_get_window_attributes(x->c, w).sequence
                   : 0);
  if (t->dead) {
    for (int k = 1; k < R_COUNT; k++)
      batch_add(b, 0);
    return;
  }
  batch_add(
      b, PROPERTY(a[CE_X11__NET_WM_NAME], a[CE_X11_UTF8_STRING], TITLE_WORDS));
  batch_add(
      b, PROPERTY(CE_X11_XA_WM_NAME, XCB_GET_PROPERTY_TYPE_ANY, TITLE_WORDS));
  batch_add(
      b, PROPERTY(CE_X11_XA_WM_CLASS, XCB_GET_PROPERTY_TYPE_ANY, CLASS_WORDS));
  batch_add(b, PROPERTY(a[CE_X11__NET_WM_PID], CE_X11_XA_CARDINAL, 1));
  batch_add(b, PROPERTY(a[CE_X11__NET_WM_DESKTOP], CE_X11_XA_CARDINAL, 1));
  batch_add(b,
            PROPERTY(a[CE_X11__NET_WM_STATE], CE_X11_XA_ATOM, ATOM_LIST_WORDS));
  batch_add(b, PROPERTY(a[CE_X11__NET_WM_WINDOW_TYPE], CE_X11_XA_ATOM,
                        ATOM_LIST_WORDS));
  batch_add(b, PROPERTY(CE_X11_XA_WM_CLIENT_MACHINE, CE_X11_XA_STRING,
                        MACHINE_WORDS));
#undef PROPERTY
  batch_add(b, query_pid(x, w));
}

static property prop(const x11 *x, const batch *b, size_t base, int k) {
  return property_of(x, batch_reply(b, base + (size_t)k));
}

/* Whether WM_CLIENT_MACHINE names this host: then _NET_WM_PID is a pid of
 * ours (EWMH ties the two together). Trailing NULs are tolerated. */
static int on_this_host(const x11 *x, property machine) {
  size_t len = machine.length;
  if (machine.type != CE_X11_TYPE_STRING || machine.format != 8 ||
      x->hostname[0] == '\0')
    return 0;
  while (len > 0 && ((const char *)machine.bytes)[len - 1] == '\0')
    len--;
  return len == strlen(x->hostname) &&
         memcmp(machine.bytes, x->hostname, len) == 0;
}

static const char *read_exe(ce__arena *arena, int64_t pid) {
  char path[64], target[4096];
  ssize_t n;
  if (pid <= 0)
    return "";
  snprintf(path, sizeof path, "/proc/%lld/exe", (long long)pid);
  n = readlink(path, target, sizeof target);
  return n > 0 ? ce__arena_utf8(arena, target, (size_t)n, CE__CAP_NAME) : "";
}

/*
 * Builds the record of top `t` from the replies at `base`. Returns 0 when
 * the window is to be skipped (destroyed meanwhile, or filtered out), 1 when
 * `w` is ready, or a negative status.
 */
static int make_record(const x11 *x, const listing *l, const top *t,
                       const batch *b, size_t base,
                       const ce_window_query *query, ce__arena *arena,
                       ce_window *w) {
  const xcb_get_window_attributes_reply_t *attrs;
  property p;
  int in_list, viewable, pid_is_ours, on_host;
  int64_t claimed_pid;
  unsigned state;
  ce__x11_window_type type;

  if (t->dead)
    return 0;
  for (int k = 0; k < R_COUNT; k++)
    if (b->error[base + (size_t)k] == X_BAD_WINDOW)
      return 0; /* destroyed between the search and now */
  attrs = batch_reply(b, base + R_ATTRS);
  if (t->client != t->frame && attrs == NULL)
    return 0;
  viewable = t->client == t->frame ? t->frame_viewable
                                   : attrs->map_state == XCB_MAP_STATE_VIEWABLE;
  if (query->visible_only && !viewable)
    return 0;

  in_list = l->client_count > 0 &&
            bsearch(&t->client, l->client_list, l->client_count,
                    sizeof *l->client_list, compare_u32) != NULL;
  p = prop(x, b, base, R_NET_WM_STATE);
  state = ce__x11_decode_net_wm_state(&x->atoms, p.type, p.format, p.bytes,
                                      p.length);
  p = prop(x, b, base, R_NET_WM_WINDOW_TYPE);
  type = ce__x11_decode_window_type(&x->atoms, p.type, p.format, p.bytes,
                                    p.length);
  if (query->apps_only &&
      (!in_list || (state & CE_X11_STATE_SKIP_TASKBAR) ||
       (type != CE_X11_WINDOW_TYPE_UNSET && type != CE_X11_WINDOW_TYPE_NORMAL &&
        type != CE_X11_WINDOW_TYPE_DIALOG)))
    return 0;

  memset(w, 0, sizeof *w);
  w->size = sizeof *w;
  w->id = t->client;
  p = prop(x, b, base, R_NET_WM_NAME);
  if (p.type != CE_X11_TYPE_UTF8_STRING || p.format != 8)
    p = prop(x, b, base, R_WM_NAME);
  w->title = ce__x11_decode_text(arena, p.type, p.format, p.bytes, p.length,
                                 CE__CAP_TITLE);
  p = prop(x, b, base, R_WM_CLASS);
  if (ce__x11_decode_class(arena, p.type, p.format, p.bytes, p.length,
                           &w->instance, &w->class_name) != CE_OK ||
      w->title == NULL)
    return ce__fail(CE_E_NOMEM, "X11: out of memory for a record");

  /* The server knows which process holds the connection that created the
   * window; _NET_WM_PID is only what the client says. Either may be a pid of
   * another machine (a remote display, a remote client) or of another pid
   * namespace: /proc is read only when the pid is known to be one of ours
   * (the server shares our pids, or the client runs on this host by its
   * WM_CLIENT_MACHINE and says the same pid), so exe never names an
   * unrelated local process. */
  p = prop(x, b, base, R_NET_WM_PID);
  claimed_pid = ce__x11_decode_pid(p.type, p.format, p.bytes, p.length);
  on_host = on_this_host(x, prop(x, b, base, R_WM_CLIENT_MACHINE));
  w->pid =
      x->use_res ? pid_of_client_ids(batch_reply(b, base + R_CLIENT_IDS)) : -1;
  if (w->pid >= 0) {
    pid_is_ours = x->server_shares_pids || (on_host && claimed_pid == w->pid);
  } else {
    w->pid = claimed_pid;
    pid_is_ours = on_host;
  }
  w->exe = pid_is_ours ? read_exe(arena, w->pid) : "";
  if (w->exe == NULL)
    return ce__fail(CE_E_NOMEM, "X11: out of memory for a record");

  w->x = t->x;
  w->y = t->y;
  w->width = t->width;
  w->height = t->height;
  p = prop(x, b, base, R_NET_WM_DESKTOP);
  w->desktop = ce__x11_decode_desktop(p.type, p.format, p.bytes, p.length);
  w->visible = viewable != 0;
  w->minimized =
      t->wm_state == CE_X11_ICONIC_STATE || (state & CE_X11_STATE_HIDDEN);
  /* Managed: the window manager lists it, or reparented it into a frame and
   * gave it WM_STATE. */
  w->managed = in_list || t->client != t->frame;
  return 1;
}

/* The last stage: every property of every client window, then one callback
 * per window, topmost first. */
static int stage_deliver(x11 *x, const listing *l, const ce_window_query *query,
                         ce_window_fn fn, void *ctx) {
  ce__arena arena = CE__ARENA_INIT;
  batch b;
  size_t own_slot = l->count * R_COUNT;
  int status = batch_init(&b, own_slot + 1);

  if (status != CE_OK)
    return status;
  for (size_t i = 0; i < l->count; i++)
    send_properties(x, &b, &l->tops[i]);
  /* Our own connection's pid, as the server sees it (any XID of our range
   * names our client). */
  batch_add(&b, query_pid(x, xcb.xcb_get_setup(x->c)->resource_id_base));
  status = batch_wait(x, &b);
  x->server_shares_pids =
      status == CE_OK &&
      pid_of_client_ids(batch_reply(&b, own_slot)) == (int64_t)getpid();
  if (gethostname(x->hostname, sizeof x->hostname) != 0)
    x->hostname[0] = '\0';
  x->hostname[sizeof x->hostname - 1] = '\0';

  /* QueryTree lists children bottom-most first. */
  for (size_t i = l->count; status == CE_OK && i-- > 0;) {
    ce_window w;
    int made;
    if ((status = ce__cancel_check(&x->deadline, "X11")) != CE_OK)
      break;
    made = make_record(x, l, &l->tops[i], &b, i * R_COUNT, query, &arena, &w);
    if (made < 0)
      status = made;
    else if (made > 0 && fn(&w, ctx) == CE_STOP)
      status = CE_STOPPED;
    ce__arena_reset(&arena);
  }
  ce__arena_free(&arena);
  batch_free(x, &b);
  return status;
}

/* -------------------------------------------------- opening the display -- */

/*
 * XOpenDisplay has no timeout: a server grabbed by another client does not
 * answer the connection setup until the grab ends, and a TCP host that
 * accepts and stays silent never does. So it runs on a thread of its own,
 * and the caller waits for it no longer than its deadline. A thread given up
 * on closes the display itself if it ever opens it, where blocking harms
 * nobody. The caller and the thread share this record; the last one out
 * frees it.
 */
typedef struct opening {
  pthread_mutex_t lock;
  pthread_cond_t finished;
  int refs; /* guarded by lock, as are the three below */
  int done, abandoned;
  Display *display;
  char name[]; /* the display name, copied */
} opening;

/* Drops one reference, with the lock held; unlocks. */
static void opening_release(opening *o) {
  int last = --o->refs == 0;
  pthread_mutex_unlock(&o->lock);
  if (last) {
    pthread_cond_destroy(&o->finished);
    pthread_mutex_destroy(&o->lock);
    free(o);
  }
}

static void *open_display_thread(void *data) {
  opening *o = data;
  Display *display = xlib.XOpenDisplay(o->name);
  int abandoned;
  pthread_mutex_lock(&o->lock);
  o->display = display;
  o->done = 1;
  abandoned = o->abandoned;
  pthread_cond_signal(&o->finished);
  opening_release(o);
  if (abandoned && display != NULL)
    xlib.XCloseDisplay(display);
  return NULL;
}

/* The deadline as an absolute CLOCK_MONOTONIC time, at most `slice_ms`
 * from now. */
static struct timespec wake_time(const ce__deadline *deadline,
                                 unsigned slice_ms) {
  unsigned left = ce__deadline_left_ms(deadline);
  unsigned ms = left < slice_ms ? left : slice_ms;
  struct timespec at;
  clock_gettime(CLOCK_MONOTONIC, &at);
  at.tv_sec += ms / 1000u;
  at.tv_nsec += (long)(ms % 1000u) * 1000000L;
  if (at.tv_nsec >= 1000000000L) {
    at.tv_sec++;
    at.tv_nsec -= 1000000000L;
  }
  return at;
}

/* Opens display `name` within the deadline: CE_OK with *out (NULL when the
 * server refused or cannot be reached), or CE_E_TIMEOUT / CE_E_CANCELLED. */
static int open_display(const char *name, const ce__deadline *deadline,
                        Display **out) {
  size_t size = strlen(name) + 1;
  opening *o = malloc(sizeof *o + size);
  pthread_condattr_t monotonic;
  pthread_attr_t detached;
  pthread_t thread;
  int started, status = CE_OK;

  *out = NULL;
  if (o == NULL)
    return ce__fail(CE_E_NOMEM, "X11: out of memory opening the display");
  memcpy(o->name, name, size);
  o->refs = 2;
  o->done = o->abandoned = 0;
  o->display = NULL;
  pthread_mutex_init(&o->lock, NULL);
  pthread_condattr_init(&monotonic);
  pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
  pthread_cond_init(&o->finished, &monotonic);
  pthread_condattr_destroy(&monotonic);
  pthread_attr_init(&detached);
  pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
  started = pthread_create(&thread, &detached, open_display_thread, o) == 0;
  pthread_attr_destroy(&detached);

  pthread_mutex_lock(&o->lock);
  if (!started) {
    /* No thread to spare: open it here, without the bound. */
    o->refs = 1;
    o->display = xlib.XOpenDisplay(name);
    o->done = 1;
  }
  while (!o->done && (status = ce__deadline_check(deadline, "X11")) == CE_OK) {
    struct timespec at = wake_time(deadline, POLL_SLICE_MS);
    pthread_cond_timedwait(&o->finished, &o->lock, &at);
  }
  if (o->done) {
    *out = o->display;
    status = CE_OK;
  } else {
    o->abandoned = 1;
    if (status == CE_E_TIMEOUT)
      ce__fail(status,
               "X11: display \"%s\" did not answer the connection within the "
               "timeout (is the server grabbed?)",
               name);
  }
  opening_release(o);
  return status;
}

/* ---------------------------------------------------------- the entry -- */

static int load_libraries(int *have_res) {
  int status = ce__library_load(&xlib_library);
  if (status == CE_OK)
    status = ce__library_load(&xlib_xcb_library);
  if (status == CE_OK)
    status = ce__library_load(&xcb_library);
  if (status != CE_OK)
    return status;
  /* Without libxcb-res the pid comes from _NET_WM_PID alone: that is no
   * failure, so its detail is not kept either. */
  *have_res = ce__library_load(&xres_library) == CE_OK;
  if (!*have_res)
    ce__clear_detail();
  return CE_OK;
}

/* X11 can serve when its libraries load and there is a display to use. */
static int probe(const ce_window_query *query) {
  int have_res;
  const char *name = getenv("DISPLAY");
  int status = load_libraries(&have_res);
  if (status == CE_OK && query->x11_display == NULL &&
      (name == NULL || name[0] == '\0'))
    status = ce__fail(CE_E_UNAVAILABLE,
                      "X11: cannot open display: DISPLAY is not set");
  return status;
}

static int enumerate(const ce_window_query *query, ce_window_fn fn, void *ctx) {
  x11 x;
  listing l = {NULL, 0, NULL, 0};
  Display *display = query->x11_display;
  const char *name = NULL;
  xcb_window_t root;
  int status;

  memset(&x, 0, sizeof x);
  x.deadline = ce__deadline_start(query->timeout_ms, query->cancel);
  status = load_libraries(&x.use_res);
  if (status == CE_OK)
    status = ce__deadline_check(&x.deadline, "X11");
  if (status != CE_OK)
    return status;

  if (display == NULL) {
    name = getenv("DISPLAY"); /* set: the probe checked */
    status = open_display(name, &x.deadline, &display);
    if (status != CE_OK)
      return status;
    if (display == NULL)
      return ce__fail(CE_E_UNAVAILABLE, "X11: cannot open display \"%s\"",
                      name);
  }
  x.c = xlib_xcb.XGetXCBConnection(display);
  root = (xcb_window_t)xlib.XDefaultRootWindow(display);

  if (xcb.xcb_connection_has_error(x.c))
    status = broken(&x);
  if (status == CE_OK)
    status = stage_atoms_and_root(&x, root, &l);
  if (status == CE_OK)
    status = stage_search(&x, root, &l);
  if (status == CE_OK)
    status = stage_deliver(&x, &l, query, fn, ctx);
  listing_free(&l);

  /*
   * Our own connection is closed; a caller's is left as it was. XCloseDisplay
   * waits for a round trip, which a server that did not answer in time may
   * never give, and on a broken connection it calls Xlib's I/O error
   * handler, whose default ends the process. In those cases the connection
   * is closed under Xlib instead and its Display structure is left behind:
   * a small leak is the lesser harm.
   */
  if (name != NULL) {
    if (status == CE_E_TIMEOUT || status == CE_E_CANCELLED ||
        xcb.xcb_connection_has_error(x.c))
      xcb.xcb_disconnect(x.c);
    else
      xlib.XCloseDisplay(display);
  }
  return status;
}

const ce__windows_backend ce__x11_windows = {"x11", CE_WINDOWS_X11, probe,
                                             enumerate};
