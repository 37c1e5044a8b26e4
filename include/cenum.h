/* SPDX-License-Identifier: MIT */
/**
 * @file cenum.h
 * @brief cenum: enumerate the top-level windows, the printers and the
 * installed fonts of the machine, with one callback API on Windows and on
 * Linux.
 *
 * This is the whole public API. Every enumerator follows one contract:
 *
 *  - It calls the callback once per record, in the backend's order, until the
 *    end or until the callback returns CE_STOP.
 *  - It returns CE_OK when it went through everything, CE_STOPPED when the
 *    callback stopped it, and a negative CE_E_* code when it failed. After a
 *    failure, ce_error_detail() names the cause in a sentence.
 *  - A record is owned by the library and valid only during the callback: copy
 *    what you need to keep. Its first field `size` is the number of bytes the
 *    library filled; fields are only ever appended, so a program built against
 *    a newer header checks CE_HAS_FIELD() before reading a field newer than
 *    0.1 (each is marked with the version that added it).
 *  - Strings are UTF-8, never NULL ("" when unknown). Bytes a backend got from
 *    the system that are not valid UTF-8 become U+FFFD, as does an embedded
 *    NUL.
 *  - Each query struct starts with `size` and has an initializer macro. A
 *    query whose other fields are all zero means "no filter, default timeout".
 *
 * Thread safety: every function may be called from any thread, at the same
 * time as any other. A callback may itself start another enumeration. The
 * library keeps no state that two threads could race on. The library itself
 * never prints; fontconfig, which the fonts backend calls, writes its own
 * message to stderr when a configuration file it loads does not parse, or
 * when its main file is missing and FONTCONFIG_FILE is unset or relative.
 *
 * The header compiles as C99 or later and as C++11 or later.
 */
#ifndef CENUM_H
#define CENUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The major version of this header: a new one may break the ABI.
 * @since 0.1 */
#define CE_VERSION_MAJOR 0
/** The minor version of this header: a new one only adds (see the README,
 * "Versions and compatibility"). @since 0.1 */
#define CE_VERSION_MINOR 2
/** The patch version of this header: fixes only. @since 0.1 */
#define CE_VERSION_PATCH 0

/**
 * CE_API marks the exported functions. Define CE_STATIC before including this
 * header when linking the static library (the CMake target cenum::cenum_static
 * and `pkg-config cenum-static` do it for you).
 * @since 0.1
 */
#if defined(CE_STATIC)
#define CE_API
#elif defined(_WIN32)
#if defined(CE_BUILDING_SHARED)
#define CE_API __declspec(dllexport)
#else
#define CE_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) && defined(CE_BUILDING_SHARED)
#define CE_API __attribute__((visibility("default")))
#else
#define CE_API
#endif

/**
 * The status codes: the one table that defines each code, its name and its
 * message. XX(NAME, value, message) yields CE_NAME.
 *
 * | code             | value | message                        |
 * | ---------------- | ----- | ------------------------------ |
 * | CE_OK            | 0     | success                        |
 * | CE_STOPPED       | 1     | stopped by the callback        |
 * | CE_E_INVALID     | -1    | invalid argument               |
 * | CE_E_UNSUPPORTED | -2    | not supported by this build    |
 * | CE_E_UNAVAILABLE | -3    | service unavailable            |
 * | CE_E_TIMEOUT     | -4    | timed out                      |
 * | CE_E_CANCELLED   | -5    | cancelled                      |
 * | CE_E_NOMEM       | -6    | out of memory                  |
 * | CE_E_BACKEND     | -7    | the service reported an error  |
 * @since 0.1
 */
#define CE_STATUS_MAP(XX)                                                      \
  XX(OK, 0, "success")                                                         \
  XX(STOPPED, 1, "stopped by the callback")                                    \
  XX(E_INVALID, -1, "invalid argument")                                        \
  XX(E_UNSUPPORTED, -2, "not supported by this build")                         \
  XX(E_UNAVAILABLE, -3, "service unavailable")                                 \
  XX(E_TIMEOUT, -4, "timed out")                                               \
  XX(E_CANCELLED, -5, "cancelled")                                             \
  XX(E_NOMEM, -6, "out of memory")                                             \
  XX(E_BACKEND, -7, "the service reported an error")

/**
 * What an enumerator returns: CE_OK (0) when it went through every record,
 * CE_STOPPED (1) when the callback returned CE_STOP, or a negative CE_E_*
 * code when it failed (the table at CE_STATUS_MAP). ce_strerror() and
 * ce_status_name() turn any value into text.
 * @since 0.1
 */
typedef enum ce_status {
/** Turns one row of CE_STATUS_MAP into an enumerator (undefined after). */
#define CE_STATUS_ENUM_(name, value, message) CE_##name = value,
  CE_STATUS_MAP(CE_STATUS_ENUM_)
#undef CE_STATUS_ENUM_
} ce_status;

/** What a callback returns: go on, or end the enumeration with CE_STOPPED.
 * @since 0.1 */
typedef enum ce_next {
  CE_CONTINUE = 0, /**< Call me with the next record. */
  CE_STOP = 1      /**< End the enumeration; it returns CE_STOPPED. */
} ce_next;

/** The timeout of a query whose `timeout_ms` is 0, in milliseconds.
 * @since 0.1 */
#define CE_DEFAULT_TIMEOUT_MS 5000u

/**
 * Whether a record filled by the library has `field` (see `size` above): a
 * program built against a newer header than the library it runs with reads
 * a field newer than 0.1 only when this says so.
 *
 * For cenum's maintainers, the rules that keep old programs working (see
 * docs/internals.md, "Appending a field"):
 *  - The 0.1 layouts are frozen. A query's smallest accepted size is that of
 *    its 0.1 fields (CE__*_QUERY_SIZE_0_1 in src/cenum.c), never sizeof.
 *  - Fields are appended at the end of a struct, never inserted or removed.
 *  - An appended field must start at or after the struct's previous sizeof,
 *    or it would sit in tail padding that an older library counted in the
 *    `size` it reported (and that an older program never initialised). The
 *    first field of each new group is therefore as strictly aligned as the
 *    struct itself (a uint64_t in ce_window, a pointer in ce_printer), which
 *    puts it at the old sizeof on every ABI.
 * @param record a pointer to a record the library passed to a callback
 * @param type the record's type, such as ce_window
 * @param field the field's name, such as focused
 * @since 0.1
 */
#define CE_HAS_FIELD(record, type, field)                                      \
  ((record)->size >= offsetof(type, field) + sizeof((record)->field))

/**
 * The version of the library the program runs against, "MAJOR.MINOR.PATCH".
 * @return the version as text, never NULL.
 * @thread_safety Any thread.
 * @pointer_lifetime Static.
 * @since 0.1
 */
CE_API const char *ce_version_string(void);

/**
 * The message for a status code ("timed out"); an unknown code gives
 * "unknown status". Never NULL.
 * @param status any value, usually one an enumerator returned
 * @return the message, never NULL.
 * @thread_safety Any thread.
 * @pointer_lifetime Static.
 * @since 0.1
 */
CE_API const char *ce_strerror(int status);

/**
 * The name of a status code ("CE_E_TIMEOUT"); an unknown code gives
 * "CE_E_UNKNOWN". Never NULL.
 * @param status any value, usually one an enumerator returned
 * @return the name, never NULL.
 * @thread_safety Any thread.
 * @pointer_lifetime Static.
 * @since 0.1
 */
CE_API const char *ce_status_name(int status);

/**
 * A sentence naming the cause of the last failure of an enumeration on the
 * calling thread, such as `X11: cannot open display ":7"` or
 * `CUPS: server-error-not-authorized: Forbidden`. "" when the last enumeration
 * on this thread did not fail. Never NULL.
 * @return the sentence, or "".
 * @thread_safety Any thread; each thread has its own.
 * @pointer_lifetime Until the next enumeration on the calling thread.
 * @since 0.1
 */
CE_API const char *ce_error_detail(void);

/* ---------------------------------------------------------------- fonts -- */

/** The slant of a font face. @since 0.1 */
typedef enum ce_slant {
  CE_SLANT_ROMAN = 0,  /**< Upright. */
  CE_SLANT_ITALIC = 1, /**< Italic: drawn slanted. */
  CE_SLANT_OBLIQUE = 2 /**< Oblique: the roman shapes, slanted. */
} ce_slant;

/** One font face. @since 0.1 */
typedef struct ce_font {
  size_t size;                 /**< Bytes of this record the library filled. */
  const char *family;          /**< "DejaVu Sans" */
  const char *style;           /**< "Bold Oblique" */
  const char *fullname;        /**< "DejaVu Sans Bold Oblique" */
  const char *postscript_name; /**< "DejaVuSans-BoldOblique" */
  const char *path;            /**< the font file; "" when not a file */
  /** The face index in its file (a collection holds several): with
   * fontconfig as it gives it, the named instance of a variable font in the
   * bits above the lowest 16; on Windows read from the file itself. */
  int index;
  int weight; /**< OpenType scale 1..1000, Regular 400, Bold 700; -1 unknown */
  int width;  /**< percent of normal width, normal 100; -1 unknown */
  ce_slant slant;     /**< roman, italic or oblique */
  bool monospace;     /**< every glyph has the same advance */
  bool scalable;      /**< an outline font rather than a bitmap one */
  const char *format; /**< "TrueType", "CFF", "PCF", ...; "" when unknown */
} ce_font;

/** Which fonts to list. Initialise with CE_FONT_QUERY_INIT. @since 0.1 */
typedef struct ce_font_query {
  size_t size; /**< sizeof(ce_font_query), set by CE_FONT_QUERY_INIT */
  /** The longest the enumeration may take before the first record, in
   * milliseconds; 0 means the default, CE_DEFAULT_TIMEOUT_MS. */
  unsigned timeout_ms;
  /** When not NULL, polled between records: a non-zero value ends the
   * enumeration with CE_E_CANCELLED. Set it from another thread with an
   * atomic store (C11 atomic_store on an int-sized object, or
   * __atomic_store_n / InterlockedExchange); the library reads it
   * atomically. */
  const volatile int *cancel;
  /** Only faces of this family: with fontconfig compared as fontconfig
   * compares family names (case and spaces ignored), on Windows as GDI does
   * (case ignored); any of the face's family names counts; NULL for every
   * family. */
  const char *family;
  bool monospace_only; /**< only faces with fixed advance */
} ce_font_query;

/** A ce_font_query with its size and no filter. @since 0.1 */
#define CE_FONT_QUERY_INIT                                                     \
  { sizeof(ce_font_query), 0, NULL, NULL, false }

/** The callback of ce_enum_fonts(): one face, and the caller's `ctx`.
 * @since 0.1 */
typedef ce_next (*ce_font_fn)(const ce_font *font, void *ctx);

/**
 * Calls `fn` once for each installed font face: with fontconfig, each face of
 * the process's current configuration (FONTCONFIG_FILE is honoured); on
 * Windows, each (family, style) that GDI knows.
 * @param fn called once per face
 * @param ctx passed to `fn` as it is
 * @return CE_OK, CE_STOPPED, or CE_E_INVALID (NULL fn, malformed query),
 *   CE_E_UNAVAILABLE (fontconfig missing or its configuration unloadable),
 *   CE_E_CANCELLED, CE_E_TIMEOUT, CE_E_NOMEM, CE_E_UNSUPPORTED.
 * @thread_safety Any thread.
 * @pointer_lifetime The record and its strings are valid during the callback.
 * @since 0.1
 */
CE_API int ce_enum_fonts(ce_font_fn fn, void *ctx);
/**
 * ce_enum_fonts() with a query: filters, timeout and cancel flag.
 * @param query from CE_FONT_QUERY_INIT, then changed; read during the call
 * @param fn called once per face that passes the filters
 * @param ctx passed to `fn` as it is
 * @return as ce_enum_fonts(); CE_E_INVALID for a NULL or malformed query.
 * @thread_safety Any thread.
 * @pointer_lifetime The record and its strings are valid during the callback;
 *   the query is not kept after the call.
 * @since 0.1
 */
CE_API int ce_enum_fonts_ex(const ce_font_query *query, ce_font_fn fn,
                            void *ctx);

/* -------------------------------------------------------------- windows -- */

/** ce_window.desktop of a window shown on every desktop. @since 0.1 */
#define CE_DESKTOP_ALL (-1) /* the window is on every desktop */
/** ce_window.desktop when nothing says which desktop. @since 0.1 */
#define CE_DESKTOP_UNKNOWN (-2) /* nothing says which desktop */

/** One top-level window. @since 0.1 */
typedef struct ce_window {
  size_t size; /**< Bytes of this record the library filled. */
  /** XID of the client window, the HWND, or the Wayland toplevel's id
   * (see docs/backends.md) */
  uint64_t id;
  const char *title; /**< "" when it has none */
  /** WM_CLASS class, the Win32 class name, or the Wayland app_id */
  const char *class_name;
  const char *instance; /**< WM_CLASS instance; "" on Windows and Wayland */
  /** The owning process, in the caller's pid namespace; -1 unknown (Wayland:
   * known only from the compositor's IPC) */
  int64_t pid;
  const char *exe; /**< executable path; "" unknown or unreadable */
  /** The frame in root (screen) coordinates, decorations included: x, y,
   * width and height; for a minimized window, the frame it gets back when
   * restored; all four 0 when unknown (Wayland without the compositor's
   * IPC). */
  /** @{ */
  int x, y, width, height;
  /** @} */
  /** Desktop number from 0, CE_DESKTOP_ALL or CE_DESKTOP_UNKNOWN. */
  int desktop;
  /** On screen: shown and not minimized (X11: the client is viewable; a
   * shaded window depends on the window manager) */
  bool visible;
  /** Minimized by the user (X11: _NET_WM_STATE_HIDDEN under an EWMH window
   * manager, else WM_STATE Iconic) */
  bool minimized;
  bool managed; /**< managed by the window manager (Win32: no tool window) */
  /* --- 0.2: check CE_HAS_FIELD(w, ce_window, transient_for) and so on. */
  /** The window this one is a dialog or tool of (X11 WM_TRANSIENT_FOR, the
   * Win32 owner, the Wayland parent), as an `id`; 0 when none. @since 0.2 */
  uint64_t transient_for;
  /** The window has the input focus (X11 _NET_ACTIVE_WINDOW, Win32
   * GetForegroundWindow, Wayland "activated"); at most one per enumeration.
   * @since 0.2 */
  bool focused;
} ce_window;

/** The window backends, for ce_window_query.backend. @since 0.2 */
typedef enum ce_windows_backend {
  /** The session's own: on Linux Wayland in a Wayland session, else X11
   * (the environment variable CENUM_WINDOWS=x11|wayland overrides it); on
   * Windows Win32. */
  CE_WINDOWS_AUTO = 0,
  CE_WINDOWS_X11 = 1,     /**< Xlib/XCB on $DISPLAY */
  CE_WINDOWS_WAYLAND = 2, /**< the Wayland compositor on $WAYLAND_DISPLAY */
  CE_WINDOWS_WIN32 = 3    /**< EnumWindows */
} ce_windows_backend;

/** Which windows to list. Initialise with CE_WINDOW_QUERY_INIT. @since 0.1 */
typedef struct ce_window_query {
  size_t size; /**< sizeof(ce_window_query), set by CE_WINDOW_QUERY_INIT */
  unsigned timeout_ms; /**< longest wait for the display; 0 = default */
  /** As ce_font_query.cancel: polled, a non-zero value ends the call. */
  const volatile int *cancel;
  bool visible_only; /**< only windows on screen (see ce_window.visible) */
  bool apps_only;    /**< only what a task bar shows (docs/backends.md) */
  /** X11 only: the program's own `Display *` to use instead of opening a
   * connection to $DISPLAY. The library neither closes it nor reads its
   * event queue; the caller must not use it from another thread during the
   * call. NULL to open (and close) a connection of the library's own. */
  void *x11_display;
  /* --- 0.2 */
  /** Which backend lists the windows; CE_WINDOWS_AUTO (0) to let the library
   * choose. A backend this build lacks gives CE_E_UNSUPPORTED. @since 0.2 */
  ce_windows_backend backend;
  /* --- 0.2, after backend */
  /** Which fields of each ce_window the caller reads: CE_WINDOW_FIELD_* bits
   * or'd together; 0 (CE_WINDOW_FIELDS_ALL) for every field. `id` is always
   * there. A field not asked for holds its "unknown" value ("" for strings,
   * -1 for pid, 0 for the geometry, transient_for and the flags,
   * CE_DESKTOP_UNKNOWN for desktop), so a program that needs only some
   * fields (a window switcher's first paint: id, title and class) spares
   * the backend the requests of the others; docs/backends.md says what each
   * field costs on X11. The filters (visible_only, apps_only) are applied
   * whatever is asked. @since 0.2 */
  uint64_t fields;
} ce_window_query;

/* ce_window_query.fields bits. */
/** Every field. @since 0.2 */
#define CE_WINDOW_FIELDS_ALL 0u
/** title. @since 0.2 */
#define CE_WINDOW_FIELD_TITLE (1u << 0)
/** class_name and instance. @since 0.2 */
#define CE_WINDOW_FIELD_CLASS (1u << 1)
/** pid and exe. @since 0.2 */
#define CE_WINDOW_FIELD_PID (1u << 2)
/** x, y, width and height. @since 0.2 */
#define CE_WINDOW_FIELD_GEOMETRY (1u << 3)
/** desktop. @since 0.2 */
#define CE_WINDOW_FIELD_DESKTOP (1u << 4)
/** visible. @since 0.2 */
#define CE_WINDOW_FIELD_VISIBLE (1u << 5)
/** minimized. @since 0.2 */
#define CE_WINDOW_FIELD_MINIMIZED (1u << 6)
/** managed. @since 0.2 */
#define CE_WINDOW_FIELD_MANAGED (1u << 7)
/** transient_for. @since 0.2 */
#define CE_WINDOW_FIELD_TRANSIENT_FOR (1u << 8)
/** focused. @since 0.2 */
#define CE_WINDOW_FIELD_FOCUSED (1u << 9)

/** A ce_window_query with its size, no filter and the automatic backend.
 * @since 0.1 */
#define CE_WINDOW_QUERY_INIT                                                   \
  { sizeof(ce_window_query), 0, NULL, false, false, NULL, CE_WINDOWS_AUTO, 0 }

/** The callback of ce_enum_windows(): one window, and the caller's `ctx`.
 * @since 0.1 */
typedef ce_next (*ce_window_fn)(const ce_window *window, void *ctx);

/**
 * Calls `fn` once for each top-level window, topmost first (on Wayland: in
 * the order the compositor announced them).
 * @param fn called once per window
 * @param ctx passed to `fn` as it is
 * @return CE_OK, CE_STOPPED, or CE_E_INVALID, CE_E_UNAVAILABLE (no display),
 *   CE_E_TIMEOUT, CE_E_CANCELLED, CE_E_NOMEM, CE_E_BACKEND, CE_E_UNSUPPORTED
 *   (no such backend in this build, or a Wayland compositor that offers no
 *   window list).
 * @thread_safety Any thread; each call opens its own connection unless the
 *   query supplies one.
 * @pointer_lifetime The record and its strings are valid during the callback.
 * @since 0.1
 */
CE_API int ce_enum_windows(ce_window_fn fn, void *ctx);
/**
 * ce_enum_windows() with a query: filters, backend, timeout, cancel flag and
 * the program's own X11 connection.
 * @param query from CE_WINDOW_QUERY_INIT, then changed; read during the call
 * @param fn called once per window that passes the filters
 * @param ctx passed to `fn` as it is
 * @return as ce_enum_windows(); CE_E_INVALID for a NULL or malformed query
 *   or an unknown backend (also in CENUM_WINDOWS); CE_E_UNSUPPORTED for a
 *   backend this build lacks.
 * @thread_safety Any thread; a query's `x11_display` must not be used by
 *   another thread during the call.
 * @pointer_lifetime The record and its strings are valid during the callback;
 *   the query is not kept after the call.
 * @since 0.1
 */
CE_API int ce_enum_windows_ex(const ce_window_query *query, ce_window_fn fn,
                              void *ctx);

/* ------------------------------------------------------------- printers -- */

/** The state of a print queue. @since 0.1 */
typedef enum ce_printer_state {
  CE_PRINTER_IDLE = 0,       /**< ready, not printing (IPP state 3) */
  CE_PRINTER_PROCESSING = 1, /**< printing a job (IPP state 4) */
  CE_PRINTER_STOPPED = 2     /**< stopped, paused or in error (IPP state 5) */
} ce_printer_state;

/** One print queue. @since 0.1 */
typedef struct ce_printer {
  size_t size;            /**< Bytes of this record the library filled. */
  const char *name;       /**< the queue name */
  const char *info;       /**< description (CUPS printer-info, Win32 comment) */
  const char *location;   /**< where it is (CUPS printer-location) */
  const char *make_model; /**< make and model of the printer or its driver */
  const char *uri;        /**< device URI (Win32: the port) */
  bool is_default; /**< the default destination; at most one per enumeration */
  ce_printer_state state;    /**< idle, processing or stopped */
  const char *state_message; /**< why it is in this state; "" when nothing */
  const char *const *state_reasons; /**< state_reason_count strings */
  size_t state_reason_count;        /**< the number of state_reasons */
  bool accepting;                   /**< accepts new jobs */
  bool shared;                      /**< shared with other machines */
  bool discovered; /**< found by network discovery, not configured */
  /* --- 0.2: check CE_HAS_FIELD(p, ce_printer, instance). */
  /** The instance of the queue `name` (lpoptions -p name/instance) this
   * record stands for, with its own options; "" for the queue itself.
   * @since 0.2 */
  const char *instance;
} ce_printer;

/** Which printers to list. Initialise with CE_PRINTER_QUERY_INIT.
 * @since 0.1 */
typedef struct ce_printer_query {
  size_t size; /**< sizeof(ce_printer_query), set by CE_PRINTER_QUERY_INIT */
  unsigned timeout_ms; /**< longest wait for the print server; 0 = default */
  /** As ce_font_query.cancel: polled, a non-zero value ends the call. */
  const volatile int *cancel;
  /** Also browse the network for printers (DNS-SD), waiting up to the
   * timeout; off by default, so the default costs no browsing wait. */
  bool include_discovered;
} ce_printer_query;

/** A ce_printer_query with its size and no discovery. @since 0.1 */
#define CE_PRINTER_QUERY_INIT                                                  \
  { sizeof(ce_printer_query), 0, NULL, false }

/** The callback of ce_enum_printers(): one queue, and the caller's `ctx`.
 * @since 0.1 */
typedef ce_next (*ce_printer_fn)(const ce_printer *printer, void *ctx);

/**
 * Calls `fn` once for each print queue of the print server the system would
 * use (CUPS: CUPS_SERVER, ~/.cups/client.conf or the local server).
 * @param fn called once per queue
 * @param ctx passed to `fn` as it is
 * @return CE_OK (also for zero queues), CE_STOPPED, or CE_E_INVALID,
 *   CE_E_UNAVAILABLE (no server, or libcups missing), CE_E_TIMEOUT,
 *   CE_E_CANCELLED, CE_E_BACKEND (the server answered with an error, whose
 *   message is in ce_error_detail()), CE_E_NOMEM, CE_E_UNSUPPORTED.
 * @thread_safety Any thread.
 * @pointer_lifetime The record and its strings are valid during the callback.
 * @since 0.1
 */
CE_API int ce_enum_printers(ce_printer_fn fn, void *ctx);
/**
 * ce_enum_printers() with a query: network discovery, timeout and cancel
 * flag.
 * @param query from CE_PRINTER_QUERY_INIT, then changed; read during the call
 * @param fn called once per queue
 * @param ctx passed to `fn` as it is
 * @return as ce_enum_printers(); CE_E_INVALID for a NULL or malformed query.
 * @thread_safety Any thread.
 * @pointer_lifetime The record and its strings are valid during the callback;
 *   the query is not kept after the call.
 * @since 0.1
 */
CE_API int ce_enum_printers_ex(const ce_printer_query *query, ce_printer_fn fn,
                               void *ctx);

/* ------------------------------------------------------------- backends -- */

/** One backend of this build, as ce_enum_backends reports it. @since 0.2 */
typedef struct ce_backend {
  size_t size;      /**< Bytes of this record the library filled. */
  const char *kind; /**< "windows", "printers" or "fonts" */
  const char *name; /**< "x11", "wayland", "win32", "cups", "fontconfig" */
  /** It could serve this process now: its system library loads and its
   * session is there (for X11, DISPLAY is set). Checked cheaply, without
   * connecting to the service. */
  bool available;
  /** Why not, as ce_error_detail() would say it; "" when available. */
  const char *detail;
} ce_backend;

/** The callback of ce_enum_backends(): one backend, and the caller's `ctx`.
 * @since 0.2 */
typedef ce_next (*ce_backend_fn)(const ce_backend *backend, void *ctx);

/**
 * Calls `fn` once for each backend this build has, per kind in the order
 * CE_WINDOWS_AUTO (and its like for the other kinds) tries them, saying
 * whether it could serve now and why not. A backend left out of the build
 * is not listed. For diagnostics and bug reports (`cenum --version`).
 * @param fn called once per backend
 * @param ctx passed to `fn` as it is
 * @return CE_OK, CE_STOPPED, or CE_E_INVALID (NULL fn).
 * @thread_safety Any thread.
 * @pointer_lifetime The record and its strings are valid during the callback.
 * @since 0.2
 */
CE_API int ce_enum_backends(ce_backend_fn fn, void *ctx);

/* ---------------------------------------------------------------- watch -- */

/*
 * Watching: the records of one kind kept up to date from the system's own
 * notifications (X11 events, a CUPS subscription, inotify on the font
 * directories; on Windows window event hooks, printer change notifications
 * and WM_FONTCHANGE), delivered as changes inside the program's own event
 * loop.
 *
 *   ce_watch *w;
 *   ce_watch_printers(&query, on_change, ctx, &w);
 *   poll ce_watch_handle(w) for input in the program's loop (on Windows
 *   wait for it: it is an event), and when it is ready (or now and then,
 *   without a loop) call ce_watch_dispatch(w, 0);
 *   ce_watch_close(w) at the end.
 *
 * The first dispatch delivers CE_ADDED for every record that exists, the
 * same records with the same filters as ce_enum_*_ex with the same query;
 * later dispatches only the changes. The promise: after a dispatch that
 * returned CE_OK, the records the program was told about (added, minus
 * removed, each as its last CE_ADDED or CE_CHANGED) are what a fresh
 * enumeration with the same query gives, but for changes still in flight.
 * Changes may be coalesced (ten renames may come as one CE_CHANGED); none is
 * lost. See docs/watch.md for what each backend listens to.
 */

/** What happened to a record. @since 0.2 */
typedef enum ce_change {
  CE_ADDED = 1,   /**< a new record, or one the program was not told of yet */
  CE_REMOVED = 2, /**< gone: the record as last told */
  CE_CHANGED = 3  /**< the whole new record; the key is the same */
} ce_change;

/** A watch: the handle of one watching, opened by ce_watch_windows,
 * ce_watch_printers or ce_watch_fonts. @since 0.2 */
typedef struct ce_watch ce_watch;

/** The callback of ce_watch_windows(): what happened, the window, and the
 * caller's `ctx`. It returns CE_CONTINUE, or CE_STOP to end the dispatch
 * (the watch stays open; the rest comes with the next dispatch). A window
 * is known by its `id`: a change of any other field is a CE_CHANGED.
 * @since 0.2 */
typedef ce_next (*ce_window_change_fn)(ce_change change,
                                       const ce_window *window, void *ctx);
/** The callback of ce_watch_printers(), as ce_window_change_fn; a printer
 * is known by its `name` and `instance`. @since 0.2 */
typedef ce_next (*ce_printer_change_fn)(ce_change change,
                                        const ce_printer *printer, void *ctx);
/** The callback of ce_watch_fonts(), as ce_window_change_fn; a face is
 * known by its `path` and `index` (one whose path is "", such as a font a
 * Windows program added with AddFontResourceEx, by its `family` and `style`
 * too). @since 0.2 */
typedef ce_next (*ce_font_change_fn)(ce_change change, const ce_font *font,
                                     void *ctx);

/**
 * Starts watching the windows that `query` selects (NULL for the default
 * query): connects to the display and subscribes to its events (on
 * Windows: hooks the window events on a thread of the watch's own), and
 * takes the first list, within the query's timeout. The query is copied;
 * its `cancel` pointer, when not NULL, must stay valid until
 * ce_watch_close, and cancels the re-enumerations while set. `x11_display`
 * must be NULL (the watch reads events on a connection of its own).
 * @param query what to watch and its timeout, or NULL
 * @param fn called once per change, inside ce_watch_dispatch
 * @param ctx passed to `fn` as it is
 * @param out the new watch
 * @return CE_OK with *out set, or what ce_enum_windows_ex returns for the
 *   same query (CE_E_INVALID, CE_E_UNAVAILABLE, ...), with *out NULL.
 * @thread_safety Any thread.
 * @pointer_lifetime *out is valid until ce_watch_close.
 * @since 0.2
 */
CE_API int ce_watch_windows(const ce_window_query *query,
                            ce_window_change_fn fn, void *ctx, ce_watch **out);

/**
 * Starts watching the print queues (NULL query for the default): a CUPS
 * subscription to printer events, or, when the server refuses it, a
 * re-read every few seconds (ce_error_detail() then says so once the call
 * returned CE_OK). On Windows the spooler's change notifications, or,
 * where it has none (Wine), its registry key, which the detail says.
 * Discovered printers (include_discovered) are not watched: the query must
 * leave it false.
 * @param query what to watch and its timeout, or NULL
 * @param fn called once per change, inside ce_watch_dispatch
 * @param ctx passed to `fn` as it is
 * @param out the new watch
 * @return as ce_watch_windows.
 * @thread_safety Any thread.
 * @pointer_lifetime *out is valid until ce_watch_close.
 * @since 0.2
 */
CE_API int ce_watch_printers(const ce_printer_query *query,
                             ce_printer_change_fn fn, void *ctx,
                             ce_watch **out);

/**
 * Starts watching the font faces (NULL query for the default; on Windows
 * WM_FONTCHANGE on a hidden window and the Fonts registry keys) of the
 * configuration ce_enum_fonts would load (FONTCONFIG_FILE is honoured):
 * inotify on its font directories and configuration files, and on a change
 * a configuration of the watch's own, loaded afresh. The process's current
 * fontconfig configuration is never changed, so a ce_enum_fonts in the same
 * process lists the fonts of when it was loaded; the watch lists what a new
 * process (fc-list) would.
 * @param query what to watch and its timeout, or NULL
 * @param fn called once per change, inside ce_watch_dispatch
 * @param ctx passed to `fn` as it is
 * @param out the new watch
 * @return as ce_watch_windows.
 * @thread_safety Any thread.
 * @pointer_lifetime *out is valid until ce_watch_close.
 * @since 0.2
 */
CE_API int ce_watch_fonts(const ce_font_query *query, ce_font_change_fn fn,
                          void *ctx, ce_watch **out);

/**
 * What the program's event loop waits on, ready when ce_watch_dispatch has
 * something to do: on Linux a file descriptor that is readable then (an
 * epoll descriptor owned by the watch; do not read or close it), on
 * Windows a waitable HANDLE, cast to intptr_t, that is signaled then (a
 * manual-reset event owned by the watch, for WaitForMultipleObjects or
 * MsgWaitForMultipleObjects; waiting does not consume it; do not set,
 * reset or close it).
 * @param watch the watch
 * @return the descriptor or HANDLE, or -1 for NULL
 * @thread_safety Any thread.
 * @pointer_lifetime Valid until ce_watch_close.
 * @since 0.2
 */
CE_API intptr_t ce_watch_handle(const ce_watch *watch);

/**
 * Waits up to `timeout_ms` (0: not at all) for a change, then delivers
 * every change pending, on the calling thread, and returns. A
 * re-enumeration it needs is bounded by the query's timeout.
 * @param watch the watch
 * @param timeout_ms the longest wait for a change, in milliseconds
 * @return CE_OK (also when nothing changed), CE_STOPPED (a callback
 *   returned CE_STOP; the rest is pending, and the handle stays ready),
 *   CE_E_CANCELLED (the watch is being closed by another thread: return
 *   without touching it again), or a failure of the service (CE_E_UNAVAILABLE,
 *   CE_E_TIMEOUT, CE_E_BACKEND, ...) with its detail; the watch stays open
 *   and a later dispatch tries again (see docs/watch.md for each backend).
 * @thread_safety One dispatch at a time per watch (a second, concurrent one
 *   returns CE_E_INVALID); callbacks run on the dispatching thread and may
 *   call ce_watch_close on their own watch.
 * @pointer_lifetime Records are valid during their callback.
 * @since 0.2
 */
CE_API int ce_watch_dispatch(ce_watch *watch, unsigned timeout_ms);

/**
 * Stops watching and releases everything the watch holds (connection,
 * subscription, descriptors). From another thread, it wakes a dispatch
 * blocked on the watch, which returns CE_E_CANCELLED, and waits for it to
 * return (a request to the service under way ends first, within the
 * query's timeout); from a callback, the watch is released when its
 * dispatch returns. With CUPS, close cancels the subscription (one request,
 * within the query's timeout).
 * NULL is ignored.
 * @param watch the watch, or NULL
 * @thread_safety Any thread, once per watch.
 * @pointer_lifetime The watch and its handle are invalid after the call.
 * @since 0.2
 */
CE_API void ce_watch_close(ce_watch *watch);

#ifdef __cplusplus
}
#endif

#endif /* CENUM_H */
