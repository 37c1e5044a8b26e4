/* SPDX-License-Identifier: MIT */
/*
 * Windows on X11: every top-level window of the default screen, topmost
 * first, in a number of round trips that does not grow with the number of
 * windows.
 *
 * The connection is XCB's alone (or the caller's own Xlib display, through
 * its XCB connection), and every query goes through it in stages (see
 * ce_x11_xcb.h): each stage sends all the requests it needs for every window,
 * of several kinds, then collects all the replies in one wait. The stages are:
 * the atoms and the root's children (search.c); each child's attributes and
 * geometry and the search for the client window inside it, one level per stage
 * (search.c); every client window's properties, then the records
 * (records.c).
 */
#include "ce_x11_xcb.h"

#include <stdlib.h>
#include <string.h>

/* X11 can serve when its libraries load and there is a display to use. */
static int probe(const ce_window_query *query) {
  const char *name = getenv("DISPLAY");
  int status = query->x11_display != NULL ? ce__x11_load_xlib() : CE_OK;
  if (status == CE_OK)
    status = ce__x11_load();
  if (status == CE_OK && query->x11_display == NULL &&
      (name == NULL || name[0] == '\0'))
    status = ce__fail(CE_E_UNAVAILABLE,
                      "X11: cannot open display: DISPLAY is not set");
  return status;
}

/* Called after probe() said CE_OK: the libraries are loaded, and DISPLAY is
 * set when the caller gave no display. */
static int enumerate(const ce_window_query *query, ce_window_fn fn, void *ctx) {
  ce__x11_session session;
  ce__x11_listing listing = CE__X11_LISTING_INIT;
  Display *display = query->x11_display;
  xcb_window_t root;
  ce__sigpipe pipe_guard;
  int status;

  memset(&session, 0, sizeof session);
  session.deadline = ce__deadline_start(query->timeout_ms, query->cancel);
  session.use_res = ce__x11_load_res();
  status = ce__deadline_check(&session.deadline, "X11");
  if (status != CE_OK)
    return status;

  /*
   * The program's own display is used through its XCB connection, and its
   * fate stays the program's: Xlib's handlers are its own. Otherwise the
   * connection is ours, XCB's alone (display.c says why).
   */
  if (display != NULL) {
    session.connection = ce__x11_xlib_xcb.XGetXCBConnection(display);
    root = (xcb_window_t)ce__x11_xlib.XDefaultRootWindow(display);
  } else {
    status = ce__x11_connect(getenv("DISPLAY"), &session.deadline,
                             &session.connection, &root);
    if (status != CE_OK)
      return status;
  }
  session.fd = ce__x11_xcb.xcb_get_file_descriptor(session.connection);

  if (ce__x11_xcb.xcb_connection_has_error(session.connection))
    status = ce__x11_broken(&session);
  /* XCB writes with writev, which raises SIGPIPE on a connection the server
   * closed: held here, and in the last stage until its callbacks. */
  ce__sigpipe_hold(&pipe_guard);
  if (status == CE_OK)
    status = ce__x11_stage_atoms_and_root(&session, root, &listing);
  if (status == CE_OK)
    status = ce__x11_stage_search(&session, root, query, &listing);
  ce__sigpipe_release(&pipe_guard);
  if (status == CE_OK)
    status = ce__x11_stage_deliver(&session, &listing, query, fn, ctx);
  ce__x11_listing_free(&session, &listing);

  /* xcb_disconnect never waits for the server and never ends the process,
   * whatever state the connection is in. */
  if (display == NULL)
    ce__x11_xcb.xcb_disconnect(session.connection);
  return status;
}

const ce__windows_backend ce__x11_windows = {"x11", CE_WINDOWS_X11, probe,
                                             enumerate};
