/* SPDX-License-Identifier: MIT */
/*
 * What the X11 backend's files share: the atoms it interns, and the pure
 * functions that decode each window property it reads. The decoders take
 * the property's type (as a kind, see ce__x11_type_of), its format (8, 16 or
 * 32), its bytes and their length exactly as a GetProperty reply gives them,
 * and never trust any of it: a fuzzer can call them without an X server.
 */
#ifndef CE_X11_H
#define CE_X11_H

#include "../internal.h"

#include <stddef.h>
#include <stdint.h>

/* The atoms interned by name at the start of each enumeration (the
 * predefined ones such as STRING or WM_NAME have fixed values). */
#define CE_X11_ATOM_MAP(XX)                                                    \
  XX(UTF8_STRING)                                                              \
  XX(COMPOUND_TEXT)                                                            \
  XX(WM_STATE)                                                                 \
  XX(_NET_WM_NAME)                                                             \
  XX(_NET_WM_PID)                                                              \
  XX(_NET_WM_DESKTOP)                                                          \
  XX(_NET_WM_STATE)                                                            \
  XX(_NET_WM_STATE_HIDDEN)                                                     \
  XX(_NET_WM_STATE_SKIP_TASKBAR)                                               \
  XX(_NET_WM_WINDOW_TYPE)                                                      \
  XX(_NET_WM_WINDOW_TYPE_NORMAL)                                               \
  XX(_NET_WM_WINDOW_TYPE_DIALOG)                                               \
  XX(_NET_WM_WINDOW_TYPE_DESKTOP)                                              \
  XX(_NET_WM_WINDOW_TYPE_DOCK)                                                 \
  XX(_NET_WM_WINDOW_TYPE_TOOLBAR)                                              \
  XX(_NET_WM_WINDOW_TYPE_MENU)                                                 \
  XX(_NET_WM_WINDOW_TYPE_UTILITY)                                              \
  XX(_NET_WM_WINDOW_TYPE_SPLASH)                                               \
  XX(_NET_WM_WINDOW_TYPE_DROPDOWN_MENU)                                        \
  XX(_NET_WM_WINDOW_TYPE_POPUP_MENU)                                           \
  XX(_NET_WM_WINDOW_TYPE_TOOLTIP)                                              \
  XX(_NET_WM_WINDOW_TYPE_NOTIFICATION)                                         \
  XX(_NET_WM_WINDOW_TYPE_COMBO)                                                \
  XX(_NET_WM_WINDOW_TYPE_DND)                                                  \
  XX(_NET_CLIENT_LIST)                                                         \
  XX(_NET_SUPPORTING_WM_CHECK)                                                 \
  XX(_NET_SUPPORTED)                                                           \
  XX(_NET_ACTIVE_WINDOW)

typedef enum ce__x11_atom {
#define CE_X11_ATOM_ENUM_(name) CE_X11_##name,
  CE_X11_ATOM_MAP(CE_X11_ATOM_ENUM_)
#undef CE_X11_ATOM_ENUM_
      CE_X11_ATOM_COUNT
} ce__x11_atom;

/* The value of each atom on this display; 0 (None) when the server does not
 * know the name, so no window can carry it. */
typedef struct ce__x11_atoms {
  uint32_t value[CE_X11_ATOM_COUNT];
} ce__x11_atoms;

/* Predefined atoms of the core protocol. */
enum {
  CE_X11_XA_ATOM = 4,
  CE_X11_XA_CARDINAL = 6,
  CE_X11_XA_STRING = 31,
  CE_X11_XA_WINDOW = 33,
  CE_X11_XA_WM_CLIENT_MACHINE = 36,
  CE_X11_XA_WM_NAME = 39,
  CE_X11_XA_WM_CLASS = 67,
  CE_X11_XA_WM_TRANSIENT_FOR = 68
};

/* What a property's type atom says about its bytes. */
typedef enum ce__x11_type {
  CE_X11_TYPE_NONE = 0, /* the property does not exist */
  CE_X11_TYPE_OTHER,    /* a type this backend does not read */
  CE_X11_TYPE_STRING,   /* ISO 8859-1 text */
  CE_X11_TYPE_UTF8_STRING,
  CE_X11_TYPE_COMPOUND_TEXT,
  CE_X11_TYPE_CARDINAL,
  CE_X11_TYPE_ATOM,
  CE_X11_TYPE_WINDOW,
  CE_X11_TYPE_WM_STATE
} ce__x11_type;

ce__x11_type ce__x11_type_of(const ce__x11_atoms *atoms, uint32_t type);

/*
 * Text (_NET_WM_NAME, WM_NAME) decoded by its type: UTF8_STRING as UTF-8;
 * STRING as UTF-8 when it is valid UTF-8 (programs put UTF-8 there, though
 * ICCCM says Latin-1), else as Latin-1; COMPOUND_TEXT converted to UTF-8; in
 * the arena as valid UTF-8 of at most `cap` bytes. Any other type or a
 * format other than 8 gives "". NULL only when out of memory.
 */
const char *ce__x11_decode_text(ce__arena *arena, ce__x11_type type, int format,
                                const void *bytes, size_t length, size_t cap);

/* COMPOUND_TEXT to UTF-8 (used by ce__x11_decode_text; NULL when out of
 * memory). */
const char *ce__x11_compound_text_to_utf8(ce__arena *arena, const void *bytes,
                                          size_t length, size_t cap);

/*
 * WM_CLASS: "instance\0class\0" as STRING or UTF8_STRING, each part decoded
 * as ce__x11_decode_text decodes text of that type. A
 * missing terminator ends the string at the end of the bytes; a missing
 * class gives "". Fills *instance and *class_name ("" when absent or
 * malformed); CE_OK, or CE_E_NOMEM.
 */
int ce__x11_decode_class(ce__arena *arena, ce__x11_type type, int format,
                         const void *bytes, size_t length,
                         const char **instance, const char **class_name);

/* _NET_WM_PID: a CARDINAL/32 greater than 0; anything else gives -1. */
int64_t ce__x11_decode_pid(ce__x11_type type, int format, const void *bytes,
                           size_t length);

/* WM_STATE: its first field (0 Withdrawn, 1 Normal, 3 Iconic), or -1 when
 * the property is absent or malformed. */
int ce__x11_decode_wm_state(ce__x11_type type, int format, const void *bytes,
                            size_t length);

#define CE_X11_ICONIC_STATE 3

/* _NET_WM_DESKTOP: the desktop number, CE_DESKTOP_ALL for 0xFFFFFFFF, or
 * CE_DESKTOP_UNKNOWN when absent, malformed or out of range. */
int ce__x11_decode_desktop(ce__x11_type type, int format, const void *bytes,
                           size_t length);

/* _NET_WM_STATE: the flags below that the list of atoms contains. */
#define CE_X11_STATE_HIDDEN 1u
#define CE_X11_STATE_SKIP_TASKBAR 2u
unsigned ce__x11_decode_net_wm_state(const ce__x11_atoms *atoms,
                                     ce__x11_type type, int format,
                                     const void *bytes, size_t length);

/*
 * _NET_WM_WINDOW_TYPE: the first type in the list that the task-list rule
 * knows (libwnck's eight); the others, such as POPUP_MENU or NOTIFICATION,
 * are passed over as libwnck passes over them.
 */
typedef enum ce__x11_window_type {
  CE_X11_WINDOW_TYPE_UNSET = 0, /* absent, malformed, or no known type */
  CE_X11_WINDOW_TYPE_NORMAL,
  CE_X11_WINDOW_TYPE_DIALOG,
  CE_X11_WINDOW_TYPE_DESKTOP,
  CE_X11_WINDOW_TYPE_DOCK,
  CE_X11_WINDOW_TYPE_TOOLBAR,
  CE_X11_WINDOW_TYPE_MENU,
  CE_X11_WINDOW_TYPE_UTILITY,
  CE_X11_WINDOW_TYPE_SPLASH
} ce__x11_window_type;

ce__x11_window_type ce__x11_decode_window_type(const ce__x11_atoms *atoms,
                                               ce__x11_type type, int format,
                                               const void *bytes,
                                               size_t length);

/*
 * The task-list rule, libwnck's (wnck_window_is_skip_tasklist, which the
 * Xfce and MATE task lists use), for a window the window manager lists:
 * whether a task list shows it. `type` as decoded above; `state` the
 * _NET_WM_STATE flags; `transient` whether WM_TRANSIENT_FOR names a window
 * other than itself; `transient_listed` whether that window is itself a
 * listed client. A window with WM_TRANSIENT_FOR and no known type is a
 * dialog (EWMH); desktop, dock and splash windows are never shown; dialogs,
 * utilities, toolbars and menus are not shown when transient for a listed
 * window; SKIP_TASKBAR is honoured.
 */
int ce__x11_in_task_list(ce__x11_window_type type, unsigned state,
                         int transient, int transient_listed);

/* A WINDOW/32 property (WM_TRANSIENT_FOR, _NET_ACTIVE_WINDOW,
 * _NET_SUPPORTING_WM_CHECK): its first window, or 0 when absent or
 * malformed. */
uint32_t ce__x11_decode_window(ce__x11_type type, int format, const void *bytes,
                               size_t length);

/* Whether an ATOM/32 list (_NET_SUPPORTED) holds `atom` (never None). */
int ce__x11_atom_list_has(ce__x11_type type, int format, const void *bytes,
                          size_t length, uint32_t atom);

/* A list of 32-bit values (WINDOW or ATOM lists, format 32): the number of
 * whole items in `length` bytes, 0 when the format is not 32. */
size_t ce__x11_count32(int format, size_t length);

/* Item `i` of such a list, read without any alignment assumption. */
uint32_t ce__x11_item32(const void *bytes, size_t i);

/* X's address families, as Xauthority files name them. */
enum {
  CE_X11_FAMILY_INTERNET = 0,
  CE_X11_FAMILY_INTERNET6 = 6,
  CE_X11_FAMILY_LOCAL = 256,
  CE_X11_FAMILY_WILD = 65535
};

/*
 * The MIT-MAGIC-COOKIE-1 data of the Xauthority file's first entry for
 * (family, address, display number), in the file's bytes (xauth.c): 1 and
 * *data, *data_len when there is one, else 0. A truncated file ends the
 * search.
 */
int ce__x11_find_cookie(const void *file, size_t length, unsigned family,
                        const void *address, size_t address_len,
                        const char *number, const unsigned char **data,
                        size_t *data_len);

#endif /* CE_X11_H */
