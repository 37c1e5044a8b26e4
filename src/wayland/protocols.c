/* SPDX-License-Identifier: MIT */
/*
 * The interface descriptions of the two window-list protocols, as
 * wayland-scanner's private code from the XML in protocols/, under ce__ names.
 *
 * The wlr protocol's requests and events name three core interfaces
 * (wl_output, wl_seat, wl_surface), which the generated code refers to as
 * libwayland-client's own data: a library that loads libwayland at run time
 * cannot link those. libwayland uses such a reference only to check that an
 * object an event carries is of that interface, which it does by name, so a
 * description with the name alone serves: cenum binds no output, seat or
 * surface, and sends no request that takes one.
 */
#include "ce_wayland_names.h"

#include <wayland-util.h>

#define DESCRIPTION_BY_NAME(name)                                              \
  { #name, 1, 0, NULL, 0, NULL }
static const struct wl_interface output_by_name =
    DESCRIPTION_BY_NAME(wl_output);
static const struct wl_interface seat_by_name = DESCRIPTION_BY_NAME(wl_seat);
static const struct wl_interface surface_by_name =
    DESCRIPTION_BY_NAME(wl_surface);
#define wl_output_interface output_by_name
#define wl_seat_interface seat_by_name
#define wl_surface_interface surface_by_name

#include "ext-foreign-toplevel-list-v1.c"
#include "wlr-foreign-toplevel-management-unstable-v1.c"
