/* SPDX-License-Identifier: MIT */
/*
 * The two window-list protocols, as wayland-scanner writes them from the XML
 * in protocols/, made to call the library loaded at run time.
 *
 * The scanner's client stubs (zwlr_foreign_toplevel_handle_v1_destroy and
 * the like) are inline functions that call libwayland-client by name, which
 * a library that loads it with dlopen cannot link. Below, those names are
 * made to mean the loaded table's pointers before the stubs are read, so the
 * stubs, unchanged, call through ce__wl. The declarations in
 * wayland-client-core.h were read before the macros, by ce_wayland.h, and
 * its include guard keeps the stubs from reading them again.
 *
 * The protocols' interface descriptions are renamed to ce__ names (see
 * protocols.c), so that a program with its own copy of these protocols can
 * link the static library.
 *
 * Only the backend's event code includes this file; the loader must see the
 * real names.
 */
#ifndef CE_WAYLAND_PROTOCOL_H
#define CE_WAYLAND_PROTOCOL_H

#include "ce_wayland.h"

#define wl_proxy_marshal_flags ce__wl.wl_proxy_marshal_flags
#define wl_proxy_add_listener ce__wl.wl_proxy_add_listener
#define wl_proxy_destroy ce__wl.wl_proxy_destroy
#define wl_proxy_get_version ce__wl.wl_proxy_get_version
#define wl_proxy_get_user_data ce__wl.wl_proxy_get_user_data
#define wl_proxy_set_user_data ce__wl.wl_proxy_set_user_data

#include "ce_wayland_names.h"

#include "ext-foreign-toplevel-list-v1-client.h"
#include "wlr-foreign-toplevel-management-unstable-v1-client.h"

#endif /* CE_WAYLAND_PROTOCOL_H */
