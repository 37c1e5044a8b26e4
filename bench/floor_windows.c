/* SPDX-License-Identifier: MIT */
/*
 * The floor for windows on X11: the least work XCB needs to read what cenum
 * reports for every child of the root. One connection; the atoms and the
 * root's children in one round trip; then, for every child at once, its
 * attributes, its geometry (a child of the root is placed in root
 * coordinates) and the ten properties cenum reads for a client
 * (_NET_WM_NAME, WM_NAME, WM_CLASS, _NET_WM_PID, _NET_WM_DESKTOP,
 * _NET_WM_STATE, _NET_WM_WINDOW_TYPE, WM_STATE, WM_CLIENT_MACHINE,
 * WM_TRANSIENT_FOR), all sent before the first reply is read: three round
 * trips in all, the connection setup included. It does not look for client
 * windows below window-manager frames, decode titles or check anything, so
 * without a window manager it reads the same fields as cenum with less
 * work, and under one it reads the frames' (mostly absent) properties: it
 * is a lower bound, not a rival.
 *
 * Under a reparenting window manager that floor does less than any program
 * that reports the clients, so a second one does that least work:
 * floor_windows_clients. One connection; the atoms and the root's children
 * in one round trip; the root's _NET_CLIENT_LIST with every root child's
 * attributes and geometry (the frames, as placed on the screen) in the
 * next, and one X-Resource QueryClientIds for every client's pid; then for
 * every listed client at once its parent (the frame that holds it: one
 * level, as openbox nests them), its attributes and the seven properties
 * the record's fields need once the server gives the pids (_NET_WM_NAME,
 * WM_NAME, WM_CLASS, _NET_WM_DESKTOP, _NET_WM_STATE, WM_STATE,
 * WM_TRANSIENT_FOR; not _NET_WM_WINDOW_TYPE, which only the task-list
 * filter needs), and _NET_WM_PID and WM_CLIENT_MACHINE too where the
 * server's pids are not of our pid namespace (it gave none for our own
 * connection: through TCP), as a program reporting the same pids must.
 * Four round trips with the setup. It trusts the list (no search for windows
 * the window manager does not list, no WM_STATE check of the frames) and
 * decodes nothing.
 */
#include "floor_windows.h"

#include <xcb/res.h>
#include <xcb/xcb.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

size_t floor_windows_checksum;

enum {
  PROPERTIES = 10,
  /* The first CLIENT_PROPERTIES of property_requests' list are those the
   * clients' floor reads, PID_PROPERTIES more where the server's pids are
   * not ours. */
  CLIENT_PROPERTIES = 7,
  PID_PROPERTIES = 2
};

static const char *const atom_names[] = {
    "_NET_WM_NAME",  "UTF8_STRING",         "_NET_WM_PID", "_NET_WM_DESKTOP",
    "_NET_WM_STATE", "_NET_WM_WINDOW_TYPE", "WM_STATE",    "_NET_CLIENT_LIST"};
enum {
  NET_WM_NAME,
  UTF8_STRING,
  NET_WM_PID,
  NET_WM_DESKTOP,
  NET_WM_STATE,
  NET_WM_WINDOW_TYPE,
  WM_STATE,
  NET_CLIENT_LIST,
  ATOMS
};

typedef struct property_request {
  xcb_atom_t name, type;
  uint32_t words;
} property_request;

/* The ten properties cenum reads for a client, as it asks for them. */
static void property_requests(const xcb_atom_t *atom,
                              property_request p[PROPERTIES]) {
  const property_request list[PROPERTIES] = {
      {atom[NET_WM_NAME], atom[UTF8_STRING], 16384},
      {XCB_ATOM_WM_NAME, XCB_GET_PROPERTY_TYPE_ANY, 16384},
      {XCB_ATOM_WM_CLASS, XCB_GET_PROPERTY_TYPE_ANY, 1024},
      {atom[NET_WM_DESKTOP], XCB_ATOM_CARDINAL, 1},
      {atom[NET_WM_STATE], XCB_ATOM_ATOM, 64},
      {atom[WM_STATE], atom[WM_STATE], 2},
      {XCB_ATOM_WM_TRANSIENT_FOR, XCB_ATOM_WINDOW, 1},
      {atom[NET_WM_PID], XCB_ATOM_CARDINAL, 1},
      {XCB_ATOM_WM_CLIENT_MACHINE, XCB_ATOM_STRING, 64},
      {atom[NET_WM_WINDOW_TYPE], XCB_ATOM_ATOM, 64}};
  memcpy(p, list, sizeof list);
}

/* Reads a property reply into the checksum. */
static void take_property(xcb_connection_t *c, xcb_get_property_cookie_t k) {
  xcb_get_property_reply_t *r = xcb_get_property_reply(c, k, NULL);
  if (r)
    floor_windows_checksum += (size_t)xcb_get_property_value_length(r);
  free(r);
}

typedef struct cookies {
  xcb_get_window_attributes_cookie_t attributes;
  xcb_get_geometry_cookie_t geometry;
  xcb_get_property_cookie_t property[PROPERTIES];
} cookies;

/* The first round trip of both floors: a connection, the atoms and the
 * root's children; NULL (the connection closed) when that fails. */
static xcb_query_tree_reply_t *connect_and_list(xcb_connection_t **cp,
                                                xcb_atom_t atom[ATOMS]) {
  xcb_connection_t *c = xcb_connect(NULL, NULL);
  xcb_intern_atom_cookie_t atom_cookies[ATOMS];
  xcb_query_tree_cookie_t tree_cookie;
  xcb_query_tree_reply_t *tree;

  *cp = c;
  if (xcb_connection_has_error(c)) {
    xcb_disconnect(c);
    return NULL;
  }
  for (int i = 0; i < ATOMS; i++)
    atom_cookies[i] =
        xcb_intern_atom(c, 0, (uint16_t)strlen(atom_names[i]), atom_names[i]);
  tree_cookie =
      xcb_query_tree(c, xcb_setup_roots_iterator(xcb_get_setup(c)).data->root);
  for (int i = 0; i < ATOMS; i++) {
    xcb_intern_atom_reply_t *r = xcb_intern_atom_reply(c, atom_cookies[i], 0);
    atom[i] = r ? r->atom : XCB_ATOM_NONE;
    free(r);
  }
  tree = xcb_query_tree_reply(c, tree_cookie, NULL);
  if (tree == NULL)
    xcb_disconnect(c);
  return tree;
}

long floor_windows(void) {
  xcb_connection_t *c;
  xcb_atom_t atom[ATOMS];
  xcb_query_tree_reply_t *tree = connect_and_list(&c, atom);
  xcb_window_t *children;
  cookies *sent;
  long count;

  if (tree == NULL)
    return -1;
  count = xcb_query_tree_children_length(tree);
  children = xcb_query_tree_children(tree);
  sent = malloc(sizeof *sent * (size_t)(count ? count : 1));
  if (sent == NULL) {
    free(tree);
    xcb_disconnect(c);
    return -1;
  }
  for (long i = 0; i < count; i++) {
    property_request p[PROPERTIES];
    xcb_window_t w = children[i];
    property_requests(atom, p);
    sent[i].attributes = xcb_get_window_attributes(c, w);
    sent[i].geometry = xcb_get_geometry(c, w);
    for (int k = 0; k < PROPERTIES; k++)
      sent[i].property[k] =
          xcb_get_property(c, 0, w, p[k].name, p[k].type, 0, p[k].words);
  }
  /* In the order sent, so that each reply is read as it arrives (a window
   * destroyed meanwhile gives errors, which are dropped). */
  for (long i = 0; i < count; i++) {
    xcb_get_window_attributes_reply_t *a =
        xcb_get_window_attributes_reply(c, sent[i].attributes, NULL);
    xcb_get_geometry_reply_t *g =
        xcb_get_geometry_reply(c, sent[i].geometry, NULL);
    if (a)
      floor_windows_checksum += a->map_state + a->override_redirect;
    if (g)
      floor_windows_checksum += (size_t)(g->x + g->y + g->width + g->height);
    free(a);
    free(g);
    for (int k = 0; k < PROPERTIES; k++)
      take_property(c, sent[i].property[k]);
  }
  free(sent);
  free(tree);
  xcb_disconnect(c);
  return count;
}

/* What floor_windows_clients asks about each listed client. */
typedef struct client_cookies {
  xcb_query_tree_cookie_t tree;
  xcb_get_window_attributes_cookie_t attributes;
  xcb_get_property_cookie_t property[CLIENT_PROPERTIES + PID_PROPERTIES];
} client_cookies;

/* What it asks about each root child. */
typedef struct frame_cookies {
  xcb_get_window_attributes_cookie_t attributes;
  xcb_get_geometry_cookie_t geometry;
} frame_cookies;

long floor_windows_clients(void) {
  xcb_connection_t *c;
  xcb_atom_t atom[ATOMS];
  xcb_query_tree_reply_t *tree = connect_and_list(&c, atom);
  xcb_window_t root, *children;
  xcb_get_property_cookie_t list_cookie;
  xcb_get_property_reply_t *list;
  xcb_res_client_id_spec_t all = {0, XCB_RES_CLIENT_ID_MASK_LOCAL_CLIENT_PID};
  xcb_res_query_client_ids_cookie_t pids_cookie;
  xcb_res_query_client_ids_reply_t *pids;
  const xcb_window_t *clients;
  frame_cookies *frames;
  client_cookies *sent;
  long count, listed;
  property_request p[PROPERTIES];
  /* Until the server gives our own pid. */
  int properties = CLIENT_PROPERTIES + PID_PROPERTIES;

  if (tree == NULL)
    return -1;
  root = tree->root;
  count = xcb_query_tree_children_length(tree);
  children = xcb_query_tree_children(tree);
  frames = malloc(sizeof *frames * (size_t)(count ? count : 1));
  if (frames == NULL) {
    free(tree);
    xcb_disconnect(c);
    return -1;
  }

  /* Round trip 2: the client list, every client's pid (a spec naming
   * client 0 asks about all), and the frames as the screen has them. */
  list_cookie = xcb_get_property(c, 0, root, atom[NET_CLIENT_LIST],
                                 XCB_ATOM_WINDOW, 0, 1 << 16);
  pids_cookie = xcb_res_query_client_ids(c, 1, &all);
  for (long i = 0; i < count; i++) {
    frames[i].attributes = xcb_get_window_attributes(c, children[i]);
    frames[i].geometry = xcb_get_geometry(c, children[i]);
  }
  list = xcb_get_property_reply(c, list_cookie, NULL);
  pids = xcb_res_query_client_ids_reply(c, pids_cookie, NULL);
  if (pids) {
    xcb_res_client_id_value_iterator_t it =
        xcb_res_query_client_ids_ids_iterator(pids);
    for (; it.rem > 0; xcb_res_client_id_value_next(&it))
      if ((it.data->spec.mask & XCB_RES_CLIENT_ID_MASK_LOCAL_CLIENT_PID) &&
          it.data->length >= 4 &&
          *xcb_res_client_id_value_value(it.data) == (uint32_t)getpid())
        properties = CLIENT_PROPERTIES;
    floor_windows_checksum += pids->num_ids;
  }
  free(pids);
  for (long i = 0; i < count; i++) {
    xcb_get_window_attributes_reply_t *a =
        xcb_get_window_attributes_reply(c, frames[i].attributes, NULL);
    xcb_get_geometry_reply_t *g =
        xcb_get_geometry_reply(c, frames[i].geometry, NULL);
    if (a)
      floor_windows_checksum += a->map_state + a->override_redirect;
    if (g)
      floor_windows_checksum += (size_t)(g->x + g->y + g->width + g->height);
    free(a);
    free(g);
  }

  /* Round trip 3: every listed client's frame, attributes and properties. */
  listed =
      list && list->format == 32 ? xcb_get_property_value_length(list) / 4 : 0;
  clients = list ? xcb_get_property_value(list) : NULL;
  sent = malloc(sizeof *sent * (size_t)(listed ? listed : 1));
  if (sent == NULL) {
    free(list);
    free(frames);
    free(tree);
    xcb_disconnect(c);
    return -1;
  }
  property_requests(atom, p);
  for (long i = 0; i < listed; i++) {
    sent[i].tree = xcb_query_tree(c, clients[i]);
    sent[i].attributes = xcb_get_window_attributes(c, clients[i]);
    for (int k = 0; k < properties; k++)
      sent[i].property[k] = xcb_get_property(c, 0, clients[i], p[k].name,
                                             p[k].type, 0, p[k].words);
  }
  for (long i = 0; i < listed; i++) {
    xcb_query_tree_reply_t *t = xcb_query_tree_reply(c, sent[i].tree, NULL);
    xcb_get_window_attributes_reply_t *a =
        xcb_get_window_attributes_reply(c, sent[i].attributes, NULL);
    if (t)
      floor_windows_checksum += t->parent;
    if (a)
      floor_windows_checksum += a->map_state;
    free(t);
    free(a);
    for (int k = 0; k < properties; k++)
      take_property(c, sent[i].property[k]);
  }
  free(sent);
  free(list);
  free(frames);
  free(tree);
  xcb_disconnect(c);
  return count;
}
