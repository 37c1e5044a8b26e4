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
 */
#include "floor_windows.h"

#include <xcb/xcb.h>

#include <stdlib.h>
#include <string.h>

size_t floor_windows_checksum;

enum { PROPERTIES = 10 };

static const char *const atom_names[] = {
    "_NET_WM_NAME",  "UTF8_STRING",         "_NET_WM_PID", "_NET_WM_DESKTOP",
    "_NET_WM_STATE", "_NET_WM_WINDOW_TYPE", "WM_STATE"};
enum {
  NET_WM_NAME,
  UTF8_STRING,
  NET_WM_PID,
  NET_WM_DESKTOP,
  NET_WM_STATE,
  NET_WM_WINDOW_TYPE,
  WM_STATE,
  ATOMS
};

typedef struct cookies {
  xcb_get_window_attributes_cookie_t attributes;
  xcb_get_geometry_cookie_t geometry;
  xcb_get_property_cookie_t property[PROPERTIES];
} cookies;

long floor_windows(void) {
  xcb_connection_t *c = xcb_connect(NULL, NULL);
  xcb_intern_atom_cookie_t atom_cookies[ATOMS];
  xcb_atom_t atom[ATOMS];
  xcb_query_tree_cookie_t tree_cookie;
  xcb_query_tree_reply_t *tree;
  xcb_window_t *children;
  cookies *sent;
  long count;

  if (xcb_connection_has_error(c)) {
    xcb_disconnect(c);
    return -1;
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
  if (tree == NULL) {
    xcb_disconnect(c);
    return -1;
  }
  count = xcb_query_tree_children_length(tree);
  children = xcb_query_tree_children(tree);
  sent = malloc(sizeof *sent * (size_t)(count ? count : 1));
  if (sent == NULL) {
    free(tree);
    xcb_disconnect(c);
    return -1;
  }
  for (long i = 0; i < count; i++) {
    const struct {
      xcb_atom_t name, type;
      uint32_t words;
    } p[PROPERTIES] = {{atom[NET_WM_NAME], atom[UTF8_STRING], 16384},
                       {XCB_ATOM_WM_NAME, XCB_GET_PROPERTY_TYPE_ANY, 16384},
                       {XCB_ATOM_WM_CLASS, XCB_GET_PROPERTY_TYPE_ANY, 1024},
                       {atom[NET_WM_PID], XCB_ATOM_CARDINAL, 1},
                       {atom[NET_WM_DESKTOP], XCB_ATOM_CARDINAL, 1},
                       {atom[NET_WM_STATE], XCB_ATOM_ATOM, 64},
                       {atom[NET_WM_WINDOW_TYPE], XCB_ATOM_ATOM, 64},
                       {atom[WM_STATE], atom[WM_STATE], 2},
                       {XCB_ATOM_WM_CLIENT_MACHINE, XCB_ATOM_STRING, 64},
                       {XCB_ATOM_WM_TRANSIENT_FOR, XCB_ATOM_WINDOW, 1}};
    xcb_window_t w = children[i];
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
    for (int k = 0; k < PROPERTIES; k++) {
      xcb_get_property_reply_t *r =
          xcb_get_property_reply(c, sent[i].property[k], NULL);
      if (r)
        floor_windows_checksum += (size_t)xcb_get_property_value_length(r);
      free(r);
    }
  }
  free(sent);
  free(tree);
  xcb_disconnect(c);
  return count;
}
