/* SPDX-License-Identifier: MIT */
/* Loads XCB (and, for a display the program passes in, Xlib) at first use. */
#include "ce_x11_xcb.h"

struct ce__x11_xlib_table ce__x11_xlib;
CE__LIBRARY_SYMBOLS(ce__x11_xlib, CE__X11_XLIB_FUNCTIONS);
struct ce__x11_xlib_xcb_table ce__x11_xlib_xcb;
CE__LIBRARY_SYMBOLS(ce__x11_xlib_xcb, CE__X11_XLIB_XCB_FUNCTIONS);
struct ce__x11_xau_table ce__x11_xau;
CE__LIBRARY_SYMBOLS(ce__x11_xau, CE__X11_XAU_FUNCTIONS);
struct ce__x11_xcb_table ce__x11_xcb;
CE__LIBRARY_SYMBOLS(ce__x11_xcb, CE__X11_XCB_FUNCTIONS);
struct ce__x11_xres_table ce__x11_xres;
CE__LIBRARY_SYMBOLS(ce__x11_xres, CE__X11_XRES_FUNCTIONS);

static const char *const xlib_sonames[] = {"libX11.so.6", NULL};
static const char *const xlib_xcb_sonames[] = {"libX11-xcb.so.1", NULL};
static const char *const xau_sonames[] = {"libXau.so.6", NULL};
static const char *const xcb_sonames[] = {"libxcb.so.1", NULL};
static const char *const xres_sonames[] = {"libxcb-res.so.0", NULL};

static ce__library xlib_library =
    CE__LIBRARY("X11", xlib_sonames, ce__x11_xlib_symbols);
static ce__library xlib_xcb_library =
    CE__LIBRARY("X11", xlib_xcb_sonames, ce__x11_xlib_xcb_symbols);
static ce__library xau_library =
    CE__LIBRARY("X11", xau_sonames, ce__x11_xau_symbols);
static ce__library xcb_library =
    CE__LIBRARY("X11", xcb_sonames, ce__x11_xcb_symbols);
static ce__library xres_library =
    CE__LIBRARY("X11", xres_sonames, ce__x11_xres_symbols);

int ce__x11_load(void) {
  int status = ce__library_load(&xcb_library);
  if (status == CE_OK)
    status = ce__library_load(&xau_library);
  return status;
}

int ce__x11_load_xlib(void) {
  int status = ce__library_load(&xlib_library);
  if (status == CE_OK)
    status = ce__library_load(&xlib_xcb_library);
  return status;
}

int ce__x11_load_res(void) {
  /* Without libxcb-res the pid comes from _NET_WM_PID alone: that is no
   * failure, so its detail is not kept either. */
  int loaded = ce__library_load(&xres_library) == CE_OK;
  if (!loaded)
    ce__clear_detail();
  return loaded;
}
