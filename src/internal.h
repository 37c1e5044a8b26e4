/* SPDX-License-Identifier: MIT */
/*
 * What the backends share: the functions each backend implements, and the
 * helpers in src/ they build records with. Nothing here is public.
 */
#ifndef CE_INTERNAL_H
#define CE_INTERNAL_H

#include "cenum.h"
#include "text/ce_utf8.h"

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------ backends -- */

/*
 * Each backend describes itself with one of these, and src/cenum.c keeps one
 * table per kind, in the order CE_*_AUTO tries them (see
 * docs/internals.md, "Adding a backend").
 *
 * `probe` says cheaply whether the backend can serve this process: an
 * environment check and the load of its system library, never a connection.
 * It returns CE_OK, CE_E_UNAVAILABLE (with its detail) when it cannot and
 * the next backend may, or another status that ends the choice.
 *
 * `enumerate` is called only after its probe returned CE_OK, with arguments
 * the entry has checked: `fn` is not NULL and `query` is a complete query of
 * the current size (fields a caller's older header lacked are zero), with
 * timeout_ms already replaced by the default when it was 0. It returns
 * CE_OK, CE_STOPPED, or a status whose detail it set.
 */
typedef struct ce__windows_backend {
  const char *name; /* "x11", for messages and ce_enum_backends */
  ce_windows_backend id;
  int (*probe)(const ce_window_query *query);
  int (*enumerate)(const ce_window_query *query, ce_window_fn fn, void *ctx);
} ce__windows_backend;

typedef struct ce__printers_backend {
  const char *name;
  int (*probe)(const ce_printer_query *query);
  int (*enumerate)(const ce_printer_query *query, ce_printer_fn fn, void *ctx);
} ce__printers_backend;

typedef struct ce__fonts_backend {
  const char *name;
  int (*probe)(const ce_font_query *query);
  int (*enumerate)(const ce_font_query *query, ce_font_fn fn, void *ctx);
} ce__fonts_backend;

/* The backends a build may have; CMake defines CE_HAVE_<NAME> for each one
 * it compiles, and src/cenum.c lists those. */
extern const ce__windows_backend ce__x11_windows;
extern const ce__windows_backend ce__wayland_windows;
extern const ce__windows_backend ce__win32_windows;
extern const ce__printers_backend ce__cups_printers;
extern const ce__printers_backend ce__win32_printers;
extern const ce__fonts_backend ce__fontconfig_fonts;
extern const ce__fonts_backend ce__win32_fonts;

/*
 * The contract of every function that builds one record: CE_OK when the
 * record is ready for the callback, CE__SKIP when there is none to deliver
 * (the query filters it out, or it vanished while we looked), or a negative
 * status whose detail is already set.
 */
#define CE__SKIP 2

/*
 * The end of one record's turn, the same in every backend: `built` is what
 * the record's builder returned, `next` what the callback answered (when it
 * was called, that is when built was CE_OK). Empties the arena for the next
 * record and returns CE_OK to go on, CE_STOPPED, or the builder's failure.
 *
 *   int built = make_record(..., &arena, &w);
 *   status = ce__delivered(built, built == CE_OK ? fn(&w, ctx) : CE_CONTINUE,
 *                          &arena);
 */
struct ce__arena;
int ce__delivered(int built, ce_next next, struct ce__arena *arena);

/*
 * Makes room for at least `need` items of `item_size` bytes in the array
 * `*items` of `*capacity` items, doubling it: the one growing array of every
 * backend. CE_OK, or CE_E_NOMEM with a detail such as
 * "X11: out of memory for 4096 windows" (`backend`, `need`, `what`).
 */
int ce__grow(void **items, size_t *capacity, size_t need, size_t item_size,
             const char *backend, const char *what);

/* ------------------------------------------------------------- watches -- */

/* The record callback of any kind, for the watch's listing. */
typedef union ce__record_fn {
  ce_window_fn window;
  ce_printer_fn printer;
  ce_font_fn font;
} ce__record_fn;

/*
 * The platform part of a watch (src/watch_posix.c, src/win32/watch_os.c):
 * the handle the program waits on and what makes it ready, the wait of a
 * dispatch, and the lock and flags that let ce_watch_close end a dispatch
 * on another thread. src/watch.c keeps everything else, for every platform.
 *
 * On Linux the handle is an epoll descriptor holding an eventfd of the
 * watch's own and the backend's descriptor (ce__watch_os_add). On Windows
 * it is a manual-reset event, set while something is pending: there is no
 * descriptor to add, so each backend's thread sets it (ce__watch_os_wake)
 * when a notification arrived.
 */
typedef struct ce__watch_os ce__watch_os;

/* A new platform part; CE_OK, or a failure with its detail. */
int ce__watch_os_open(ce__watch_os **out);
void ce__watch_os_close(ce__watch_os *os);
/* What ce_watch_handle returns. */
intptr_t ce__watch_os_handle(const ce__watch_os *os);
#ifndef _WIN32
/* Makes the handle readable while `fd` is (the backend's descriptor). */
int ce__watch_os_add(ce__watch_os *os, int fd, const char *backend);
#endif
/* Makes the handle ready (something is pending, or a close); from any
 * thread. unwake makes it not ready, before a drain reads what is pending. */
void ce__watch_os_wake(ce__watch_os *os);
void ce__watch_os_unwake(ce__watch_os *os);
/* Waits up to `timeout_ms` for the handle: 1 ready, 0 the time ran out, or
 * a failure with its detail. */
int ce__watch_os_wait(ce__watch_os *os, unsigned timeout_ms);
/* The lock of the dispatch state, and the condition a close waits on for a
 * dispatch to end (sleep_idle is called with the lock held). */
void ce__watch_os_lock(ce__watch_os *os);
void ce__watch_os_unlock(ce__watch_os *os);
void ce__watch_os_sleep_idle(ce__watch_os *os);
void ce__watch_os_wake_idle(ce__watch_os *os);
/* Under the lock: the calling thread becomes the dispatcher; whether the
 * calling thread is the one that last became it. */
void ce__watch_os_set_dispatcher(ce__watch_os *os);
int ce__watch_os_is_dispatcher(const ce__watch_os *os);
/* The closing flag: set under the lock, read atomically anywhere. */
void ce__watch_os_set_closing(ce__watch_os *os);
int ce__watch_os_closing(const ce__watch_os *os);

/*
 * What a backend adds to watch its kind (src/watch.c keeps one table per
 * kind, beside the enumeration's): a source of notifications, and how to
 * list the records again when it says they may have changed. The entry
 * keeps the records told, diffs each new list against them and delivers.
 *
 * `open` gets the completed query (as `enumerate` does) and returns the
 * source's state and, on Linux, the descriptor that becomes readable when
 * a notification arrived; on Windows it gets the watch's platform part
 * instead, whose handle the source's own thread sets with
 * ce__watch_os_wake when a notification arrived (and keeps until its close
 * returns). `drain` reads what arrived without blocking and sets *resync
 * when the records may have changed. `list` delivers the current records
 * into `fn`; NULL means the kind's ce_enum_*_ex. `observe` (may be NULL)
 * sees each listed record, and `settle` (may be NULL) runs after each list
 * and sets *again when the list must be taken once more (X11 selected
 * events on new windows, fontconfig watched new folders).
 */
typedef struct ce__watch_backend {
  const char *name;
#ifdef _WIN32
  int (*open)(const void *query, ce__watch_os *os, void **source);
#else
  int (*open)(const void *query, void **source, int *fd);
#endif
  int (*drain)(void *source, int *resync);
  int (*list)(void *source, const void *query, ce__record_fn fn, void *ctx);
  void (*observe)(void *source, const void *record);
  int (*settle)(void *source, int *again);
  void (*close)(void *source);
} ce__watch_backend;

extern const ce__watch_backend ce__x11_watch;
extern const ce__watch_backend ce__cups_watch;
extern const ce__watch_backend ce__fontconfig_watch;
extern const ce__watch_backend ce__wayland_watch;
extern const ce__watch_backend ce__win32_windows_watch;
extern const ce__watch_backend ce__win32_printers_watch;
extern const ce__watch_backend ce__win32_fonts_watch;

/* For src/watch.c: the query checks and completion of ce_enum_*_ex
 * (src/cenum.c), and the window backend a query asks for. */
int ce__prepare_query(void *copy, size_t copy_size, const void *query,
                      const char *type);
int ce__requested_windows_backend(const ce_window_query *query,
                                  ce_windows_backend *out);

/* --------------------------------------------------------------- errors -- */

/*
 * Records why the current call fails, for ce_error_detail(), and returns
 * `status` so a backend can write `return ce__fail(CE_E_UNAVAILABLE, ...)`.
 * Start the message with the backend's name ("X11: ...").
 */
#if defined(__MINGW32__)
/* MinGW's plain `printf` format means msvcrt's, which lacks %zu; the library
 * is built with MinGW's C99 printf (__USE_MINGW_ANSI_STDIO), hence gnu. */
__attribute__((format(gnu_printf, 2, 3)))
#elif defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
int ce__fail(int status, const char *format, ...);

/* Clears the detail at the start of every public call. */
void ce__clear_detail(void);

/* ----------------------------------------------------------------- text -- */

/* The UTF-8 rule (decode, validate, repair) is in text/ce_utf8.h, which the
 * command shares. */

/*
 * Strings of one record live in an arena: allocated while the record is
 * built, released together after the callback returns.
 */
typedef struct ce__arena {
  struct ce__arena_chunk *chunks;
} ce__arena;

#define CE__ARENA_INIT                                                         \
  { NULL }

/*
 * Copies src[0..len) into the arena as repaired UTF-8 of at most `cap` bytes
 * (see ce__utf8_repair). src == NULL gives "". Returns NULL only when out of
 * memory.
 */
const char *ce__arena_utf8(ce__arena *arena, const char *src, size_t len,
                           size_t cap);

/* The same for a NUL-terminated string (NULL gives ""). */
const char *ce__arena_cstr(ce__arena *arena, const char *src, size_t cap);

/*
 * For a NUL-terminated string that outlives the record's callback (a
 * fontconfig pattern of a font set still held): `src` itself when it is
 * already valid UTF-8 shorter than `cap`, else a repaired copy as
 * ce__arena_cstr makes. Saves a copy of every field in the common case.
 */
const char *ce__arena_borrow(ce__arena *arena, const char *src, size_t cap);

/* Raw room in the arena, aligned for any object; NULL when out of memory. */
void *ce__arena_alloc(ce__arena *arena, size_t size);

/* Forgets every allocation, keeping one chunk of memory for the next
 * record. */
void ce__arena_reset(ce__arena *arena);

/* Releases everything. */
void ce__arena_free(ce__arena *arena);

/* Caps on strings read from the system, in bytes of UTF-8 output. */
#define CE__CAP_TITLE (64u * 1024u)
#define CE__CAP_NAME 4096u

/* ------------------------------------------------------ time and cancel -- */

/* Milliseconds on a monotonic clock. */
uint64_t ce__now_ms(void);

/* A point in time a call must finish by, and the cancel flag it polls. */
typedef struct ce__deadline {
  uint64_t at_ms;
  const volatile int *cancel;
} ce__deadline;

ce__deadline ce__deadline_start(unsigned timeout_ms,
                                const volatile int *cancel);

/* Milliseconds left, 0 once passed. */
unsigned ce__deadline_left_ms(const ce__deadline *deadline);

/*
 * The longest a backend waits on a service before it looks at the deadline
 * and the cancel flag again: the bound on how late a timeout or a cancel is
 * noticed, the same in every backend.
 */
#define CE__POLL_SLICE_MS 20u

/* Milliseconds to wait in one slice: what is left, at most one slice. */
unsigned ce__deadline_slice_ms(const ce__deadline *deadline);

/* Whether the caller set the cancel flag (an atomic read). */
int ce__deadline_cancelled(const ce__deadline *deadline);

/* CE_E_CANCELLED when the flag is set, CE_E_TIMEOUT when the time is up
 * (each with its detail, naming `backend`), else CE_OK. */
int ce__deadline_check(const ce__deadline *deadline, const char *backend);

/* CE_E_CANCELLED (with its detail) when the flag is set, else CE_OK; for
 * work that no longer waits on the service, where only a cancel may end
 * it: records already in hand are delivered whatever the time. */
int ce__cancel_check(const ce__deadline *deadline, const char *backend);

/* ---------------------------------------------------------------- loader -- */

#ifndef _WIN32
#include <signal.h>

/*
 * A system library a backend loads at first use with dlopen, and the table
 * of functions it resolves from it. The table is filled once, under a lock;
 * a failed load is tried again on the next call (the library may have been
 * installed since).
 *
 * Each backend lists a library's functions once, as an X-macro that takes
 * a macro and the table's name, and the two macros below make both the
 * table of pointers and the names to resolve into it from that one list:
 *
 *   #define CE__FC_FUNCTIONS(XX, t) XX(t, FcInit) XX(t, FcFontList)
 *   static CE__LIBRARY_STRUCT(ce__fc, CE__FC_FUNCTIONS) ce__fc;
 *   CE__LIBRARY_SYMBOLS(ce__fc, CE__FC_FUNCTIONS);
 *   static const char *const sonames[] = {"libfontconfig.so.1", NULL};
 *   static ce__library library =
 *       CE__LIBRARY("fontconfig", sonames, ce__fc_symbols);
 *
 * Then ce__fc.FcInit() calls the loaded function by the library's own name.
 */
typedef struct ce__symbol {
  const char *name;
  void **slot; /* where the function pointer goes */
} ce__symbol;

#define CE__TABLE_FIELD_(table, function) __typeof__(function) *function;
#define CE__TABLE_SYMBOL_(table, function)                                     \
  {#function, (void **)&(table).function},

/* `struct table_table`: one pointer per function of LIST, by its name. */
#define CE__LIBRARY_STRUCT(table, LIST)                                        \
  struct table##_table {                                                       \
    LIST(CE__TABLE_FIELD_, table)                                              \
  }

/* `table_symbols`: what the loader resolves into the variable `table`. */
#define CE__LIBRARY_SYMBOLS(table, LIST)                                       \
  static const ce__symbol table##_symbols[] = {                                \
      LIST(CE__TABLE_SYMBOL_, table){NULL, NULL}}

typedef struct ce__library {
  const char *label;          /* "fontconfig", for messages */
  const char *const *sonames; /* NULL-terminated, tried in order */
  const ce__symbol *symbols;  /* terminated by {NULL, NULL} */
  /* Called once, under the loader's lock, after the symbols resolved; for a
   * library whose own initialisation must be contained (NULL: none). */
  void (*after_load)(void);
  int loaded; /* guarded by the loader's lock */
} ce__library;

#define CE__LIBRARY(label, sonames, symbols)                                   \
  { label, sonames, symbols, NULL, 0 }
#define CE__LIBRARY_AFTER_LOAD(label, sonames, symbols, after_load)            \
  { label, sonames, symbols, after_load, 0 }

/* Loads and resolves `library` if it is not yet; CE_OK, or CE_E_UNAVAILABLE
 * with a detail naming the library and the missing file or symbol. */
int ce__library_load(ce__library *library);

/* The target of /proc/PID/exe in the arena (repaired, capped); "" when pid
 * is not positive or the link cannot be read; NULL only when out of memory.
 * Call it only for a pid known to be of this pid namespace. */
const char *ce__read_exe(ce__arena *arena, int64_t pid);

/* The last pid whose executable ce__read_exe_cached read, and what it read:
 * records of one enumeration mostly share a few pids. Set `pid` to 0
 * before first use. */
typedef struct ce__exe_cache {
  int64_t pid;
  size_t length; /* 0: no executable could be read */
  char target[4096];
} ce__exe_cache;

/* ce__read_exe, reading /proc only when `pid` is not the cache's. */
const char *ce__read_exe_cached(ce__arena *arena, ce__exe_cache *cache,
                                int64_t pid);

/*
 * SIGPIPE held blocked on this thread while a library writes to a server
 * that may have closed the connection (libcups and XCB write with no
 * MSG_NOSIGNAL), and one raised meanwhile consumed before it is let go, so
 * a closed connection never ends the program or reaches its handler. The
 * thread's mask is restored exactly; a SIGPIPE already pending before the
 * hold is left pending. Never held across the caller's callback.
 */
typedef struct ce__sigpipe {
  sigset_t old_mask;
  int was_pending;
  int active;
} ce__sigpipe;

void ce__sigpipe_hold(ce__sigpipe *guard);
void ce__sigpipe_release(ce__sigpipe *guard);
#endif

#endif /* CE_INTERNAL_H */
