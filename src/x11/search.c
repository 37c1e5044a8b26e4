/* SPDX-License-Identifier: MIT */
/*
 * The search stages: which windows are the children of the root, and which
 * client window each one holds, as XmuClientWindow finds it (the first
 * window carrying WM_STATE, the child itself first, then one level deeper
 * at a time). Each stage is one batch, one round trip.
 */
#include "ce_x11_xcb.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
  /* WM_STATE is two words: the state and the icon window. */
  WM_STATE_WORDS = 2,
  /* _NET_SUPPORTED atoms read: window managers list about a hundred. */
  SUPPORTED_WORDS = 1024
};

static int compare_u32(const void *a, const void *b) {
  uint32_t left = *(const uint32_t *)a, right = *(const uint32_t *)b;
  return (left > right) - (left < right);
}

void ce__x11_listing_free(const ce__x11_session *session,
                          ce__x11_listing *listing) {
  free(listing->tops);
  free(listing->client_list);
  free(listing->client_pids);
  ce__x11_batch_free(session, &listing->ahead);
  free(listing->ahead_slots);
  *listing = (ce__x11_listing)CE__X11_LISTING_INIT;
}

/* The index of `window` in the listing's sorted client list, or
 * CE__X11_NO_SLOT. */
static size_t listed_index(const ce__x11_listing *listing,
                           xcb_window_t window) {
  const uint32_t *found =
      listing->client_count > 0
          ? bsearch(&window, listing->client_list, listing->client_count,
                    sizeof *listing->client_list, compare_u32)
          : NULL;
  return found ? (size_t)(found - listing->client_list) : CE__X11_NO_SLOT;
}

int ce__x11_listed(const ce__x11_listing *listing, xcb_window_t window) {
  return listed_index(listing, window) != CE__X11_NO_SLOT;
}

/* The children of a QueryTree reply, bottom-most first. */
static const xcb_window_t *children_in(const ce__x11_batch *batch, size_t slot,
                                       size_t *n) {
  const xcb_query_tree_reply_t *reply = ce__x11_batch_reply(batch, slot);
  *n = 0;
  if (reply == NULL)
    return NULL;
  *n = reply->children_len;
  if (*n > (size_t)reply->length)
    *n = reply->length; /* one 32-bit word per child */
  return (const xcb_window_t *)(reply + 1);
}

static unsigned send_query_tree(const ce__x11_session *session,
                                xcb_window_t window) {
  return ce__x11_xcb.xcb_query_tree(session->connection, window).sequence;
}

static unsigned send_wm_state(const ce__x11_session *session,
                              xcb_window_t window) {
  const uint32_t wm_state = session->atoms.value[CE_X11_WM_STATE];
  return ce__x11_send_get_property(session, window, wm_state, wm_state,
                                   WM_STATE_WORDS);
}

static int wm_state_in(const ce__x11_session *session,
                       const ce__x11_batch *batch, size_t slot) {
  ce__x11_value v = ce__x11_value_in(session, batch, slot);
  return ce__x11_decode_wm_state(v.type, v.format, v.bytes, v.length);
}

/* ------------------------------------------------------------ stage 1 -- */

int ce__x11_stage_atoms_and_root(ce__x11_session *session, xcb_window_t root,
                                 ce__x11_listing *listing) {
  static const char *const names[] = {
#define CE_X11_ATOM_NAME_(name) #name,
      CE_X11_ATOM_MAP(CE_X11_ATOM_NAME_)
#undef CE_X11_ATOM_NAME_
  };
  xcb_connection_t *c = session->connection;
  ce__x11_batch batch = CE__X11_BATCH_INIT;
  size_t atom_slot[CE_X11_ATOM_COUNT], tree_slot, count;
  const xcb_window_t *children;
  int status;

  /* Asked first, so its reply is in by the time ours are, and the later
   * xcb_get_extension_data does not wait. */
  if (session->use_res)
    ce__x11_xcb.xcb_prefetch_extension_data(c, ce__x11_xres.xcb_res_id);
  /* only_if_exists: a name the server does not know gives None instead of
   * a new atom, so listing windows creates nothing on the server. */
  for (size_t i = 0; i < CE_X11_ATOM_COUNT; i++)
    atom_slot[i] = ce__x11_batch_add(
        session, &batch,
        ce__x11_xcb.xcb_intern_atom(c, 1, (uint16_t)strlen(names[i]), names[i])
            .sequence);
  tree_slot =
      ce__x11_batch_add(session, &batch, send_query_tree(session, root));

  status = ce__x11_batch_wait(session, &batch);
  for (size_t i = 0; status == CE_OK && i < CE_X11_ATOM_COUNT; i++) {
    const xcb_intern_atom_reply_t *reply =
        ce__x11_batch_reply(&batch, atom_slot[i]);
    session->atoms.value[i] = reply ? reply->atom : 0;
  }
  if (status == CE_OK && ce__x11_batch_reply(&batch, tree_slot) == NULL)
    status = ce__fail(CE_E_BACKEND,
                      "X11: the server refused to list the root's children "
                      "(X error %d)",
                      ce__x11_batch_error(&batch, tree_slot));
  if (status == CE_OK) {
    children = children_in(&batch, tree_slot, &count);
    listing->tops = calloc(count ? count : 1, sizeof *listing->tops);
    if (listing->tops == NULL)
      status =
          ce__fail(CE_E_NOMEM, "X11: out of memory for %zu windows", count);
    for (size_t i = 0; status == CE_OK && i < count; i++) {
      listing->tops[i].frame = children[i];
      listing->tops[i].wm_state = -1;
      listing->tops[i].ahead = CE__X11_NO_SLOT;
      listing->tops[i].guess_state = CE__X11_NO_SLOT;
      listing->tops[i].guess_tree = CE__X11_NO_SLOT;
    }
    if (status == CE_OK)
      listing->count = count;
  }
  if (status == CE_OK && session->use_res) {
    const xcb_query_extension_reply_t *ext =
        ce__x11_xcb.xcb_get_extension_data(c, ce__x11_xres.xcb_res_id);
    session->use_res = ext != NULL && ext->present;
  }
  ce__x11_batch_free(session, &batch);
  return status;
}

/* ----------------------------------------------------------- climbing -- */

/* A window by id, and the index it stands for (of a top, or of a client in
 * the client list), for bsearch. */
typedef struct window_index {
  xcb_window_t window;
  size_t index;
} window_index;

static int compare_window_index(const void *a, const void *b) {
  xcb_window_t left = ((const window_index *)a)->window,
               right = ((const window_index *)b)->window;
  return left < right ? -1 : left > right;
}

/* A listed client on its way up to its frame. */
typedef struct climber {
  xcb_window_t at;   /* the window whose parent is asked next */
  size_t client;     /* its index in the client list */
  size_t tree_slot;  /* QueryTree of `at` */
  size_t state_slot; /* the client's WM_STATE, on the first level */
} climber;

/*
 * Whether top `t` is taken to hold no listed client: a frame the window
 * manager leaves unmapped (its own menus, popups and check window: openbox
 * keeps eleven), and not listed itself. The climb's first step then asks
 * for the first level of the search from above inside it and for its own
 * record, sparing the round trips of asking after the climb. A wrong guess
 * costs requests, not answers: the frame of a client minimized or on
 * another desktop is unmapped too, and gets them for nothing. Mapped frames
 * are not guessed even when override-redirect, as i3 makes all of its
 * frames: each would cost a record's requests.
 */
static int guess_unclaimed(const ce__x11_listing *listing,
                           const ce__x11_top *t) {
  return !t->dead && !t->frame_viewable && !ce__x11_listed(listing, t->frame);
}

/*
 * Sends, with the climb's first step, the record requests of every listed
 * client (records.c's last stage then has nothing left to ask about them),
 * the request about the check window, and for each frame guess_unclaimed
 * picks its WM_STATE, its children and its own record requests. The batch
 * becomes the listing's `ahead`.
 */
static int send_ahead(ce__x11_session *session, const ce_window_query *query,
                      ce__x11_listing *listing, ce__x11_batch *batch) {
  size_t n = listing->client_count;
  listing->ahead_slots =
      malloc((n + listing->count) * sizeof *listing->ahead_slots);
  if (listing->ahead_slots == NULL)
    return ce__fail(CE_E_NOMEM, "X11: out of memory for %zu clients", n);
  for (size_t i = 0; i < n && batch->failed == CE_OK; i++)
    listing->ahead_slots[i] = ce__x11_send_record_requests(
        session, listing, query, batch, listing->client_list[i], 0);
  /* Without a WM_STATE atom nothing is searched from above (see
   * ce__x11_stage_search): nothing to guess. */
  for (size_t k = 0; k < listing->count && batch->failed == CE_OK &&
                     session->atoms.value[CE_X11_WM_STATE] != 0;
       k++) {
    ce__x11_top *t = &listing->tops[k];
    if (!guess_unclaimed(listing, t))
      continue;
    t->guess_state =
        ce__x11_batch_add(session, batch, send_wm_state(session, t->frame));
    t->guess_tree =
        ce__x11_batch_add(session, batch, send_query_tree(session, t->frame));
    listing->ahead_slots[n + k] = ce__x11_send_record_requests(
        session, listing, query, batch, t->frame, 1);
  }
  listing->wm_check_slot = ce__x11_send_facts_request(session, listing, batch);
  return batch->failed;
}

/*
 * The clients the window manager lists (_NET_CLIENT_LIST), found from below:
 * each one's parent, and that one's parent where need be, until a frame (a
 * child of the root). That costs two requests per client and usually one
 * round trip, where searching a frame from above asks for WM_STATE and the
 * children of every window inside it: openbox puts some sixty decoration
 * windows beside each client. The first step also carries every client's
 * record requests (send_ahead). A frame whose client this does not find is
 * searched from above afterwards, as XmuClientWindow does. Where a frame
 * holds several listed clients, the first in the list is its client.
 */
static int stage_climb(ce__x11_session *session, xcb_window_t root,
                       const ce_window_query *query, ce__x11_listing *listing) {
  size_t n = listing->client_count;
  window_index *frames =
      malloc((listing->count ? listing->count : 1) * sizeof *frames);
  climber *climbing = malloc((n ? n : 1) * sizeof *climbing);
  int *states = malloc((n ? n : 1) * sizeof *states);
  int status = CE_OK;

  if (frames == NULL || climbing == NULL || states == NULL)
    status = ce__fail(CE_E_NOMEM, "X11: out of memory for %zu clients", n);
  for (size_t i = 0; status == CE_OK && i < listing->count; i++)
    frames[i] = (window_index){listing->tops[i].frame, i};
  if (status == CE_OK)
    qsort(frames, listing->count, sizeof *frames, compare_window_index);
  for (size_t i = 0; status == CE_OK && i < n; i++) {
    climbing[i] =
        (climber){listing->client_list[i], i, CE__X11_NO_SLOT, CE__X11_NO_SLOT};
    states[i] = -1;
  }

  for (int level = 1; level <= SEARCH_LEVELS && n > 0 && status == CE_OK;
       level++) {
    size_t next_n = 0;
    ce__x11_batch batch = CE__X11_BATCH_INIT;
    for (size_t i = 0; i < n && batch.failed == CE_OK; i++) {
      climber *up = &climbing[i];
      up->tree_slot =
          ce__x11_batch_add(session, &batch, send_query_tree(session, up->at));
      up->state_slot =
          level == 1
              ? ce__x11_batch_add(
                    session, &batch,
                    send_wm_state(session, listing->client_list[up->client]))
              : CE__X11_NO_SLOT;
    }
    if (level == 1)
      status = send_ahead(session, query, listing, &batch);
    if (status == CE_OK)
      status = ce__x11_batch_wait(session, &batch);
    for (size_t i = 0; status == CE_OK && i < n; i++) {
      const climber *up = &climbing[i];
      const xcb_query_tree_reply_t *tree =
          ce__x11_batch_reply(&batch, up->tree_slot);
      window_index key, *frame;
      if (level == 1)
        states[up->client] = wm_state_in(session, &batch, up->state_slot);
      /* Gone meanwhile; or a child of the root itself, which the first
       * level of the search judged already. */
      if (tree == NULL || tree->parent == root || tree->parent == XCB_NONE)
        continue;
      key.window = tree->parent;
      frame = bsearch(&key, frames, listing->count, sizeof *frames,
                      compare_window_index);
      if (frame == NULL) {
        climbing[next_n++] = (climber){tree->parent, up->client,
                                       CE__X11_NO_SLOT, CE__X11_NO_SLOT};
      } else {
        ce__x11_top *t = &listing->tops[frame->index];
        if (!t->dead && t->client == 0) {
          t->client = listing->client_list[up->client];
          t->wm_state = states[up->client];
          t->ahead = up->client;
        }
      }
    }
    /* The first step's replies are the records' too: kept until the last
     * stage. */
    if (level == 1) {
      listing->ahead = batch;
      batch = (ce__x11_batch)CE__X11_BATCH_INIT;
    }
    ce__x11_batch_free(session, &batch);
    n = next_n;
  }
  free(frames);
  free(climbing);
  free(states);
  return status;
}

/* ------------------------------------------------------ the search -- */

/* A window searched for WM_STATE, below top number `top`, and the slots of
 * the requests about it. */
typedef struct node {
  xcb_window_t window;
  size_t top;
  int level; /* the frame itself is level 1 */
  size_t state_slot, tree_slot;
  /* Level 1 only, where the node is the frame itself. */
  size_t attributes_slot, geometry_slot;
} node;

static node node_at(xcb_window_t window, size_t top, int level) {
  return (node){window,          top,
                level,           CE__X11_NO_SLOT,
                CE__X11_NO_SLOT, CE__X11_NO_SLOT,
                CE__X11_NO_SLOT};
}

/* Reads a frame's attributes and geometry (level 1 only). */
static void take_frame(ce__x11_top *t, const ce__x11_batch *batch,
                       const node *frame) {
  const xcb_get_window_attributes_reply_t *a =
      ce__x11_batch_reply(batch, frame->attributes_slot);
  const xcb_get_geometry_reply_t *g =
      ce__x11_batch_reply(batch, frame->geometry_slot);
  if (a == NULL || g == NULL) {
    t->dead = 1; /* destroyed since the root listed it */
    return;
  }
  t->frame_viewable = a->map_state == XCB_MAP_STATE_VIEWABLE;
  t->left = g->x;
  t->top = g->y;
  /* The frame as the screen shows it: its border is outside its size. */
  t->width = g->width + 2 * g->border_width;
  t->height = g->height + 2 * g->border_width;
}

/* The root's properties that level 1 reads, by the slot of each, and
 * X-Resource's pids of every client. */
typedef struct root_slots {
  size_t client_list, wm_check, supported, active_window, client_pids;
} root_slots;

static int compare_client_pid(const void *a, const void *b) {
  const struct ce__x11_client_pid *x = a, *y = b;
  return x->base < y->base ? -1 : x->base > y->base;
}

int64_t ce__x11_owner_pid(const ce__x11_listing *listing, uint32_t xid) {
  struct ce__x11_client_pid key, *found;
  key.base = xid & ~listing->id_mask;
  found = listing->client_pid_count
              ? bsearch(&key, listing->client_pids, listing->client_pid_count,
                        sizeof key, compare_client_pid)
              : NULL;
  return found ? (int64_t)found->pid : -1;
}

/* The LocalClientPID values of a QueryClientIds reply, sorted by client
 * base; pids out of range are left out. */
static int take_client_pids(const ce__x11_batch *batch, size_t slot,
                            ce__x11_listing *listing) {
  const xcb_res_query_client_ids_reply_t *reply =
      ce__x11_batch_reply(batch, slot);
  const unsigned char *p, *end;
  size_t n = 0;
  if (reply == NULL)
    return CE_OK;
  p = (const unsigned char *)(reply + 1);
  end = p + (size_t)reply->length * 4u;
  listing->client_pids = malloc((reply->num_ids ? reply->num_ids : 1) *
                                sizeof *listing->client_pids);
  if (listing->client_pids == NULL)
    return ce__fail(CE_E_NOMEM, "X11: out of memory for the clients' pids");
  for (uint32_t i = 0; i < reply->num_ids && end - p >= 12; i++) {
    /* Each value: the client's base, the mask, the value's length in
     * bytes (a multiple of 4), the value. */
    uint32_t base = ce__x11_item32(p, 0), mask = ce__x11_item32(p, 1),
             words = ce__x11_item32(p, 2) / 4;
    p += 12;
    if ((size_t)(end - p) / 4 < words)
      break;
    if ((mask & XCB_RES_CLIENT_ID_MASK_LOCAL_CLIENT_PID) && words >= 1) {
      uint32_t pid = ce__x11_item32(p, 0);
      if (pid > 0 && pid <= INT32_MAX)
        listing->client_pids[n++] = (struct ce__x11_client_pid){base, pid};
    }
    p += (size_t)words * 4;
  }
  qsort(listing->client_pids, n, sizeof *listing->client_pids,
        compare_client_pid);
  listing->client_pid_count = n;
  return CE_OK;
}

static root_slots send_root_requests(ce__x11_session *session,
                                     ce__x11_batch *batch, xcb_window_t root) {
  const uint32_t *atom = session->atoms.value;
  root_slots slots;
#define GET_PROPERTY(name, type, words)                                        \
  ce__x11_batch_add(                                                           \
      session, batch,                                                          \
      ce__x11_send_get_property(session, root, (name), (type), (words)))
  slots.client_list = GET_PROPERTY(atom[CE_X11__NET_CLIENT_LIST],
                                   CE_X11_XA_WINDOW, CLIENT_LIST_WORDS);
  slots.wm_check =
      GET_PROPERTY(atom[CE_X11__NET_SUPPORTING_WM_CHECK], CE_X11_XA_WINDOW, 1);
  slots.supported = GET_PROPERTY(atom[CE_X11__NET_SUPPORTED], CE_X11_XA_ATOM,
                                 SUPPORTED_WORDS);
  slots.active_window =
      GET_PROPERTY(atom[CE_X11__NET_ACTIVE_WINDOW], CE_X11_XA_WINDOW, 1);
#undef GET_PROPERTY
  /* One request for every client's pid, ours included: a spec naming
   * client 0 asks about all of them. */
  {
    xcb_res_client_id_spec_t all = {0, XCB_RES_CLIENT_ID_MASK_LOCAL_CLIENT_PID};
    slots.client_pids = ce__x11_batch_add(
        session, batch,
        session->use_res
            ? ce__x11_xres
                  .xcb_res_query_client_ids(session->connection, 1, &all)
                  .sequence
            : 0u);
  }
  return slots;
}

/* The root's properties into the listing, the client list sorted. */
static int take_root_replies(const ce__x11_session *session,
                             const ce__x11_batch *batch,
                             const root_slots *slots,
                             ce__x11_listing *listing) {
  ce__x11_value v = ce__x11_value_in(session, batch, slots->client_list);
  size_t count =
      v.type == CE_X11_TYPE_WINDOW ? ce__x11_count32(v.format, v.length) : 0;
  listing->client_list = malloc((count ? count : 1) * sizeof(uint32_t));
  if (listing->client_list == NULL)
    return ce__fail(CE_E_NOMEM, "X11: out of memory for the client list");
  for (size_t i = 0; i < count; i++)
    listing->client_list[i] = ce__x11_item32(v.bytes, i);
  qsort(listing->client_list, count, sizeof *listing->client_list, compare_u32);
  listing->client_count = count;

  v = ce__x11_value_in(session, batch, slots->wm_check);
  listing->wm_check =
      ce__x11_decode_window(v.type, v.format, v.bytes, v.length);
  v = ce__x11_value_in(session, batch, slots->supported);
  listing->wm_supports_hidden =
      ce__x11_atom_list_has(v.type, v.format, v.bytes, v.length,
                            session->atoms.value[CE_X11__NET_WM_STATE_HIDDEN]);
  v = ce__x11_value_in(session, batch, slots->active_window);
  listing->active_window =
      ce__x11_decode_window(v.type, v.format, v.bytes, v.length);
  listing->id_mask =
      ce__x11_xcb.xcb_get_setup(session->connection)->resource_id_mask;
  if (take_client_pids(batch, slots->client_pids, listing) != CE_OK)
    return CE_E_NOMEM; /* take_client_pids gave the detail */
  /* Any XID of our range names our own client. */
  listing->server_shares_pids =
      ce__x11_owner_pid(
          listing,
          ce__x11_xcb.xcb_get_setup(session->connection)->resource_id_base) ==
      (int64_t)getpid();
  return CE_OK;
}

/* What one pass of the search asks about each of its windows. */
enum {
  PASS_FIRST = 1, /* the frames themselves: attributes, geometry, and the
                   * root's properties beside them */
  PASS_STATE = 2, /* WM_STATE */
  PASS_TREE = 4   /* the children, for the next level */
};

/*
 * One pass over `n` windows, one round trip: the requests `flags` names,
 * then the first window of the pass carrying WM_STATE becomes its top's
 * client. After the first pass, the clients the window manager lists are
 * found from below (stage_climb). With PASS_TREE, *next gets the children
 * of every window above the last level whose top has no client yet
 * (malloc'd; *next_n of them).
 */
static int search_pass(ce__x11_session *session, xcb_window_t root,
                       const ce_window_query *query, ce__x11_listing *listing,
                       node *frontier, size_t n, int flags, node **next,
                       size_t *next_n) {
  const int first = (flags & PASS_FIRST) != 0;
  xcb_connection_t *c = session->connection;
  root_slots root_slots = {CE__X11_NO_SLOT, CE__X11_NO_SLOT, CE__X11_NO_SLOT,
                           CE__X11_NO_SLOT, CE__X11_NO_SLOT};
  ce__x11_batch batch = CE__X11_BATCH_INIT;
  int status;

  *next = NULL;
  *next_n = 0;
  for (size_t i = 0; i < n && batch.failed == CE_OK; i++) {
    node *at = &frontier[i];
    if (flags & PASS_STATE)
      at->state_slot = ce__x11_batch_add(session, &batch,
                                         send_wm_state(session, at->window));
    if ((flags & PASS_TREE) && at->level < SEARCH_LEVELS)
      at->tree_slot = ce__x11_batch_add(session, &batch,
                                        send_query_tree(session, at->window));
    if (first) {
      at->attributes_slot = ce__x11_batch_add(
          session, &batch,
          ce__x11_xcb.xcb_get_window_attributes(c, at->window).sequence);
      at->geometry_slot = ce__x11_batch_add(
          session, &batch,
          ce__x11_xcb.xcb_get_geometry(c, at->window).sequence);
    }
  }
  if (first)
    root_slots = send_root_requests(session, &batch, root);
  status = ce__x11_batch_wait(session, &batch);

  if (status == CE_OK && first) {
    status = take_root_replies(session, &batch, &root_slots, listing);
    for (size_t i = 0; status == CE_OK && i < n; i++)
      take_frame(&listing->tops[frontier[i].top], &batch, &frontier[i]);
  }

  /* The first window of this level carrying WM_STATE is the client. */
  for (size_t i = 0; status == CE_OK && i < n; i++) {
    ce__x11_top *t = &listing->tops[frontier[i].top];
    ce__x11_value v = ce__x11_value_in(session, &batch, frontier[i].state_slot);
    if (t->dead || t->client != 0)
      continue;
    if (frontier[i].level == 1 &&
        ce__x11_batch_error(&batch, frontier[i].state_slot) ==
            CE__X11_BAD_WINDOW)
      t->dead = 1;
    else if (v.type != CE_X11_TYPE_NONE) {
      t->client = frontier[i].window;
      t->wm_state =
          ce__x11_decode_wm_state(v.type, v.format, v.bytes, v.length);
    }
  }

  /* The window manager's clients, found from below, spare the frames that
   * hold them the search from above. */
  if (status == CE_OK && first && listing->client_count > 0)
    status = stage_climb(session, root, query, listing);

  /* The next level: the children of each window whose frame has no client
   * yet. Override-redirect children of the root are searched too, as
   * XmuClientWindow does: a window manager may make its frames
   * override-redirect (i3 does) and put its clients inside. */
  if (status == CE_OK && (flags & PASS_TREE)) {
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
      size_t count;
      children_in(&batch, frontier[i].tree_slot, &count);
      total += count;
    }
    if (total > MAX_NODES)
      total = MAX_NODES;
    *next = malloc((total ? total : 1) * sizeof **next);
    if (*next == NULL)
      status =
          ce__fail(CE_E_NOMEM, "X11: out of memory for %zu windows", total);
    for (size_t i = 0; status == CE_OK && i < n; i++) {
      const ce__x11_top *t = &listing->tops[frontier[i].top];
      size_t count;
      const xcb_window_t *children =
          children_in(&batch, frontier[i].tree_slot, &count);
      if (t->dead || t->client != 0)
        continue;
      for (size_t k = 0; k < count && *next_n < total; k++)
        (*next)[(*next_n)++] =
            node_at(children[k], frontier[i].top, frontier[i].level + 1);
    }
  }
  ce__x11_batch_free(session, &batch);
  return status;
}

/*
 * The frames the climb left without a client, as the search from above
 * goes on with them: for those whose first level the climb's first step
 * asked (guess_unclaimed), the result, and their children as the next
 * level; the others as the first level still to ask. Replaces *frontier
 * (which the first pass left empty).
 */
static int unclaimed_frontier(const ce__x11_session *session,
                              ce__x11_listing *listing, node **frontier,
                              size_t *n) {
  const ce__x11_batch *ahead = &listing->ahead;
  size_t total = 0, count;
  node *nodes;

  for (size_t i = 0; i < listing->count; i++) {
    const ce__x11_top *t = &listing->tops[i];
    if (t->dead || t->client != 0)
      continue;
    if (t->guess_tree == CE__X11_NO_SLOT)
      total++;
    else if (children_in(ahead, t->guess_tree, &count) != NULL)
      total += count;
  }
  if (total > MAX_NODES)
    total = MAX_NODES;
  nodes = malloc((total ? total : 1) * sizeof *nodes);
  if (nodes == NULL)
    return ce__fail(CE_E_NOMEM, "X11: out of memory for %zu windows", total);
  free(*frontier);
  *frontier = nodes;
  *n = 0;
  for (size_t i = 0; i < listing->count; i++) {
    ce__x11_top *t = &listing->tops[i];
    const xcb_window_t *children;
    ce__x11_value v;
    if (t->dead || t->client != 0)
      continue;
    if (t->guess_tree == CE__X11_NO_SLOT) {
      if (*n < total)
        nodes[(*n)++] = node_at(t->frame, i, 1);
      continue;
    }
    v = ce__x11_value_in(session, ahead, t->guess_state);
    if (ce__x11_batch_error(ahead, t->guess_state) == CE__X11_BAD_WINDOW) {
      t->dead = 1;
    } else if (v.type != CE_X11_TYPE_NONE) {
      t->client = t->frame;
      t->wm_state =
          ce__x11_decode_wm_state(v.type, v.format, v.bytes, v.length);
    } else {
      children = children_in(ahead, t->guess_tree, &count);
      for (size_t k = 0; k < count && *n < total; k++)
        nodes[(*n)++] = node_at(children[k], i, 2);
    }
  }
  return CE_OK;
}

/*
 * Stages 2 and on: the first pass (each frame's attributes and geometry,
 * and the root's properties), the climb from the listed clients, then the
 * search from above, one level a pass, for the frames whose client is
 * still unknown.
 *
 * Where the server knows the names WM_STATE and _NET_CLIENT_LIST, a window
 * manager that lists its clients runs (or ran), and the first pass asks
 * neither the frames' WM_STATE nor their children: under openbox the
 * children are some sixty windows a frame, the costliest request of the
 * search, and the climb finds almost every client without them. The frames
 * it leaves unclaimed get the first level of the search from above, asked
 * with the climb's first step for those it guesses (guess_unclaimed), in a
 * pass of their own for the others. (So a frame that carries WM_STATE itself
 * and also holds a listed client has that client for its client: window
 * managers put WM_STATE on the clients, never on their frames.)
 */
int ce__x11_stage_search(ce__x11_session *session, xcb_window_t root,
                         const ce_window_query *query,
                         ce__x11_listing *listing) {
  const uint32_t *atom = session->atoms.value;
  /* Without a WM_STATE atom no window manager ever ran on this server and
   * no window can be a client: the first pass is all there is to ask. */
  const int search = atom[CE_X11_WM_STATE] != 0,
            expect_list = search && atom[CE_X11__NET_CLIENT_LIST] != 0;
  node *frontier =
           malloc((listing->count ? listing->count : 1) * sizeof *frontier),
       *next;
  size_t n = listing->count, next_n;
  int status;

  if (frontier == NULL)
    return ce__fail(CE_E_NOMEM, "X11: out of memory for %zu windows", n);
  for (size_t i = 0; i < n; i++)
    frontier[i] = node_at(listing->tops[i].frame, i, 1);
  status = search_pass(
      session, root, query, listing, frontier, n,
      PASS_FIRST | (search && !expect_list ? PASS_STATE | PASS_TREE : 0), &next,
      &next_n);
  free(frontier);
  frontier = next;
  n = next_n;

  if (status == CE_OK && expect_list)
    status = unclaimed_frontier(session, listing, &frontier, &n);

  while (n > 0 && status == CE_OK) {
    status = search_pass(session, root, query, listing, frontier, n,
                         PASS_STATE | PASS_TREE, &next, &next_n);
    free(frontier);
    frontier = next;
    n = next_n;
  }
  free(frontier);

  /* A frame without a client inside is reported as it is. A client whose
   * record requests went ahead with the climb is delivered from those. */
  for (size_t i = 0; status == CE_OK && i < listing->count; i++) {
    ce__x11_top *t = &listing->tops[i];
    if (t->client == 0)
      t->client = t->frame;
    if (t->dead || t->ahead != CE__X11_NO_SLOT)
      continue;
    t->ahead = t->client == t->frame && t->guess_tree != CE__X11_NO_SLOT
                   ? listing->client_count + i
                   : listed_index(listing, t->client);
  }
  return status;
}
