/* SPDX-License-Identifier: MIT */
/* The floor for windows on X11: see floor_windows.c. */
#ifndef FLOOR_WINDOWS_H
#define FLOOR_WINDOWS_H

#include <stddef.h>

/* Reads every root child's attributes, geometry and properties on a
 * connection of its own; returns the children, or -1 when the display
 * cannot be opened or listed. */
long floor_windows(void);

/* Reads every root child's attributes and geometry, and every client the
 * window manager lists (_NET_CLIENT_LIST): its parent, attributes and
 * properties; returns the root's children, or -1 as above. */
long floor_windows_clients(void);

/* What the replies held, so that nothing is optimised away. */
extern size_t floor_windows_checksum;

#endif
