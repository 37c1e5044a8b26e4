/* SPDX-License-Identifier: MIT */
/* The ce__ names of the protocols' interface descriptions, for the generated
 * code and for protocol.h (see there). */
#ifndef CE_WAYLAND_NAMES_H
#define CE_WAYLAND_NAMES_H

#define zwlr_foreign_toplevel_manager_v1_interface ce__wl_wlr_manager_interface
#define zwlr_foreign_toplevel_handle_v1_interface ce__wl_wlr_handle_interface
#define ext_foreign_toplevel_list_v1_interface ce__wl_ext_list_interface
#define ext_foreign_toplevel_handle_v1_interface ce__wl_ext_handle_interface

#endif /* CE_WAYLAND_NAMES_H */
