/*
 * What the backends share: the functions each backend implements, and the
 * helpers in src/ they build records with. Nothing here is public.
 */
#ifndef CE_INTERNAL_H
#define CE_INTERNAL_H

#include "cenum.h"

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------ backends -- */

/*
 * Each backend implements one of these. The entry points in src/cenum.c have
 * already checked the arguments: `fn` is not NULL and `query` is a complete
 * query of the current size (fields a caller's older header lacked are zero),
 * with timeout_ms already replaced by the default when it was 0.
 */
int ce__backend_enum_fonts(const ce_font_query *query, ce_font_fn fn,
                           void *ctx);
int ce__backend_enum_windows(const ce_window_query *query, ce_window_fn fn,
                             void *ctx);
int ce__backend_enum_printers(const ce_printer_query *query, ce_printer_fn fn,
                              void *ctx);

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

/*
 * Decodes one UTF-8 sequence from s[0..len), len > 0. Returns how many bytes
 * it used and stores the code point in *cp. A byte that does not start a
 * valid sequence (overlong, surrogate, beyond U+10FFFF, truncated) uses the
 * longest valid prefix, at least one byte, and gives U+FFFD, as Unicode's
 * "maximal subpart" practice says.
 */
size_t ce__utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* Whether `s` (`used` bytes, as ce__utf8_decode read them into `cp`) is a
 * well-formed sequence, U+FFFD itself included, rather than the decoder's
 * stand-in for invalid bytes. */
int ce__utf8_well_formed(const unsigned char *s, size_t used, uint32_t cp);

/* Whether src[0..len) is valid UTF-8 without NUL: what ce__utf8_repair
 * would copy unchanged. */
int ce__utf8_valid(const char *src, size_t len);

/* Encodes a code point as UTF-8 into out (4 bytes room); returns its length. */
size_t ce__utf8_encode(uint32_t cp, char out[4]);

/*
 * The one UTF-8 repair: copies src[0..len) into dst (dst_size > 0 bytes,
 * NUL-terminated) as valid UTF-8. Invalid sequences and NUL bytes become
 * U+FFFD; the output is cut at a character boundary when it would not fit.
 * Returns the number of bytes written before the terminating NUL.
 */
size_t ce__utf8_repair(char *dst, size_t dst_size, const char *src, size_t len);

/* Room ce__utf8_repair may need for `len` input bytes: every byte may become
 * a three-byte U+FFFD. */
#define CE__UTF8_REPAIR_SIZE(len) ((len)*3 + 1)

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

/* Forgets every allocation but keeps the memory for the next record. */
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
/*
 * A system library a backend loads at first use with dlopen, and the table
 * of functions it resolves from it. The table is filled once, under a lock;
 * a failed load is tried again on the next call (the library may have been
 * installed since).
 *
 *   static struct { __typeof__(FcInit) *FcInit; } fc;
 *   static const ce__symbol fc_symbols[] = {CE__SYMBOL(fc, FcInit), {0}};
 *   static ce__library fc_library = CE__LIBRARY("fontconfig", fc_sonames,
 *                                               fc_symbols);
 */
typedef struct ce__symbol {
  const char *name;
  void **slot; /* where the function pointer goes */
} ce__symbol;

#define CE__SYMBOL(table, function)                                            \
  { #function, (void **)&(table).function }

typedef struct ce__library {
  const char *label;          /* "fontconfig", for messages */
  const char *const *sonames; /* NULL-terminated, tried in order */
  const ce__symbol *symbols;  /* terminated by {NULL, NULL} */
  /* Called once, under the loader's lock, after the symbols resolved; for a
   * library whose own initialisation must be contained (NULL: none). */
  void (*after_load)(void);
  int loaded; /* guarded by the loader's lock */
  void *handle;
} ce__library;

#define CE__LIBRARY(label, sonames, symbols)                                   \
  { label, sonames, symbols, NULL, 0, NULL }
#define CE__LIBRARY_AFTER_LOAD(label, sonames, symbols, after_load)            \
  { label, sonames, symbols, after_load, 0, NULL }

/* Loads and resolves `library` if it is not yet; CE_OK, or CE_E_UNAVAILABLE
 * with a detail naming the library and the missing file or symbol. */
int ce__library_load(ce__library *library);
#endif

#endif /* CE_INTERNAL_H */
