/* SPDX-License-Identifier: MIT */
/*
 * Every public ce_enum_* function: check the arguments, complete the query,
 * choose the backend from the kind's table, and hand over to it.
 */
#include "internal.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- tables -- */

/* Each kind's backends, in the order automatic selection tries them. */
static const ce__windows_backend *const windows_backends[] = {
#ifdef CE_HAVE_WAYLAND
    &ce__wayland_windows,
#endif
#ifdef CE_HAVE_X11
    &ce__x11_windows,
#endif
#ifdef CE_HAVE_WIN32
    &ce__win32_windows,
#endif
    NULL};

static const ce__printers_backend *const printers_backends[] = {
#ifdef CE_HAVE_CUPS
    &ce__cups_printers,
#endif
#ifdef CE_HAVE_WIN32
    &ce__win32_printers,
#endif
    NULL};

static const ce__fonts_backend *const fonts_backends[] = {
#ifdef CE_HAVE_FONTCONFIG
    &ce__fontconfig_fonts,
#endif
#ifdef CE_HAVE_WIN32
    &ce__win32_fonts,
#endif
    NULL};

/* The names of ce_windows_backend, for CENUM_WINDOWS and the messages. */
static const char *const windows_backend_names[] = {"auto", "x11", "wayland",
                                                    "win32"};
#define WINDOWS_BACKEND_COUNT                                                  \
  (sizeof windows_backend_names / sizeof windows_backend_names[0])

/* ------------------------------------------------------ frozen sizes -- */

/*
 * The size of each query's 0.1 fields: the smallest size a caller may pass,
 * frozen for good. A program built against the 0.1 header passes at least
 * this (its sizeof adds only tail padding), so these must never change,
 * whatever is appended later. tests/test_abi.c holds a copy of the 0.1
 * layouts and checks it against these.
 */
#define CE__FONT_QUERY_SIZE_0_1                                                \
  (offsetof(ce_font_query, monospace_only) + sizeof(bool))
#define CE__WINDOW_QUERY_SIZE_0_1                                              \
  (offsetof(ce_window_query, x11_display) + sizeof(void *))
#define CE__PRINTER_QUERY_SIZE_0_1                                             \
  (offsetof(ce_printer_query, include_discovered) + sizeof(bool))

/*
 * Copies the caller's query into `out` (this library's size) and checks it.
 * A query from an older header is shorter: the fields it lacks stay zero. A
 * query from a newer header is longer: that is fine as long as every field
 * this library does not know is zero, since a set field we would ignore is a
 * filter we would silently not apply.
 */
static int copy_query(void *out, size_t out_size, const void *query,
                      size_t min_size, const char *type) {
  size_t given;
  memset(out, 0, out_size);
  if (query == NULL)
    return ce__fail(CE_E_INVALID, "the %s is NULL", type);
  memcpy(&given, query, sizeof given);
  if (given < min_size)
    return ce__fail(CE_E_INVALID,
                    "%s.size is %zu, less than %zu: initialise it with its "
                    "_INIT macro",
                    type, given, min_size);
  if (given > out_size) {
    const unsigned char *extra = (const unsigned char *)query + out_size;
    for (size_t i = 0; i < given - out_size; i++)
      if (extra[i] != 0)
        return ce__fail(CE_E_INVALID,
                        "%s sets a field this version (%s) does not know", type,
                        ce_version_string());
    given = out_size;
  }
  memcpy(out, query, given);
  return CE_OK;
}

/*
 * Every query begins with the same three fields (size, timeout_ms, cancel),
 * so one function can complete any of them: set its size to ours and its
 * timeout to the default when it is 0.
 */
#define SAME_OFFSET(field)                                                     \
  (offsetof(ce_font_query, field) == offsetof(ce_window_query, field) &&       \
   offsetof(ce_font_query, field) == offsetof(ce_printer_query, field))
_Static_assert(SAME_OFFSET(size) && SAME_OFFSET(timeout_ms) &&
                   SAME_OFFSET(cancel),
               "every query starts with size, timeout_ms and cancel");

/* Checks the arguments of a ce_enum_*_ex call and fills `copy` (of
 * `copy_size` bytes) with the completed query. */
static int prepare(void *copy, size_t copy_size, const void *query,
                   size_t min_size, const char *type, int have_callback) {
  unsigned timeout_ms;
  int status;

  ce__clear_detail();
  status = copy_query(copy, copy_size, query, min_size, type);
  if (status != CE_OK)
    return status;
  if (!have_callback)
    return ce__fail(CE_E_INVALID, "the callback is NULL");

  memcpy(copy, &copy_size, sizeof copy_size);
  memcpy(&timeout_ms, (char *)copy + offsetof(ce_font_query, timeout_ms),
         sizeof timeout_ms);
  if (timeout_ms == 0)
    timeout_ms = CE_DEFAULT_TIMEOUT_MS;
  memcpy((char *)copy + offsetof(ce_font_query, timeout_ms), &timeout_ms,
         sizeof timeout_ms);
  return CE_OK;
}

/* ---------------------------------------------------------- choosing -- */

/*
 * The reasons the backends tried so far could not serve, for the detail when
 * none can: "x11: DISPLAY is not set; wayland: ...". A single backend's
 * reason is kept as it said it.
 */
typedef struct refusals {
  char text[512];
  size_t count;
  int status; /* the first refusal's */
} refusals;

static void refused(refusals *r, int status) {
  size_t used = strlen(r->text);
  if (r->count++ == 0)
    r->status = status;
  if (used + 3 < sizeof r->text) {
    if (used > 0) {
      memcpy(r->text + used, "; ", 3);
      used += 2;
    }
    strncat(r->text + used, ce_error_detail(), sizeof r->text - used - 1);
  }
}

/* After every backend declined: the one failure, naming them all. */
static int none_served(const refusals *r, const char *kind) {
  if (r->count == 0)
    return ce__fail(CE_E_UNSUPPORTED, "%s: this build has no %s backend", kind,
                    kind);
  if (r->count == 1)
    return r->status; /* its own detail is still set */
  return ce__fail(r->status, "%s: no backend can serve: %s", kind, r->text);
}

/*
 * The window backend a query asks for: its own `backend`, else the
 * CENUM_WINDOWS environment variable (for programs that cannot change their
 * code), else CE_WINDOWS_AUTO.
 */
static int requested_windows_backend(const ce_window_query *query,
                                     ce_windows_backend *out) {
  const char *env = getenv("CENUM_WINDOWS");
  if ((unsigned)query->backend >= WINDOWS_BACKEND_COUNT)
    return ce__fail(CE_E_INVALID,
                    "ce_window_query.backend is %d, not a ce_windows_backend",
                    (int)query->backend);
  *out = query->backend;
  if (*out != CE_WINDOWS_AUTO || env == NULL || env[0] == '\0')
    return CE_OK;
  for (size_t i = 0; i < WINDOWS_BACKEND_COUNT; i++)
    if (strcmp(env, windows_backend_names[i]) == 0) {
      *out = (ce_windows_backend)i;
      return CE_OK;
    }
  return ce__fail(CE_E_INVALID,
                  "CENUM_WINDOWS is \"%s\"; it takes auto, x11, wayland or "
                  "win32",
                  env);
}

/*
 * ce_window_query.fields: the one place where a field not asked for gets its
 * "unknown" value, whatever the backend (which may skip the requests of such
 * a field, and leave it holding anything).
 */
#define CE__WINDOW_FIELDS_KNOWN ((uint64_t)CE_WINDOW_FIELD_FOCUSED * 2 - 1)

typedef struct fields_filter {
  uint64_t fields;
  ce_window_fn fn;
  void *ctx;
} fields_filter;

static ce_next deliver_fields(const ce_window *window, void *ctx) {
  const fields_filter *f = ctx;
  ce_window w = *window;
  if (!(f->fields & CE_WINDOW_FIELD_TITLE))
    w.title = "";
  if (!(f->fields & CE_WINDOW_FIELD_CLASS))
    w.class_name = w.instance = "";
  if (!(f->fields & CE_WINDOW_FIELD_PID))
    w.pid = -1, w.exe = "";
  if (!(f->fields & CE_WINDOW_FIELD_GEOMETRY))
    w.x = w.y = w.width = w.height = 0;
  if (!(f->fields & CE_WINDOW_FIELD_DESKTOP))
    w.desktop = CE_DESKTOP_UNKNOWN;
  if (!(f->fields & CE_WINDOW_FIELD_VISIBLE))
    w.visible = false;
  if (!(f->fields & CE_WINDOW_FIELD_MINIMIZED))
    w.minimized = false;
  if (!(f->fields & CE_WINDOW_FIELD_MANAGED))
    w.managed = false;
  if (!(f->fields & CE_WINDOW_FIELD_TRANSIENT_FOR))
    w.transient_for = 0;
  if (!(f->fields & CE_WINDOW_FIELD_FOCUSED))
    w.focused = false;
  return f->fn(&w, f->ctx);
}

static int enum_windows(const ce_window_query *query, ce_window_fn fn,
                        void *ctx) {
  refusals r = {"", 0, CE_OK};
  ce_windows_backend wanted;
  fields_filter filter = {query->fields, fn, ctx};
  int status = requested_windows_backend(query, &wanted);
  if (status != CE_OK)
    return status;
  if (query->fields & ~CE__WINDOW_FIELDS_KNOWN)
    return ce__fail(
        CE_E_INVALID,
        "ce_window_query.fields has bits this version (%s) does "
        "not know: 0x%llx",
        ce_version_string(),
        (unsigned long long)(query->fields & ~CE__WINDOW_FIELDS_KNOWN));
  if (query->fields != CE_WINDOW_FIELDS_ALL)
    fn = deliver_fields, ctx = &filter;
  for (size_t i = 0; windows_backends[i] != NULL; i++) {
    const ce__windows_backend *b = windows_backends[i];
    if (wanted != CE_WINDOWS_AUTO && wanted != b->id)
      continue;
    status = b->probe(query);
    /* A backend tried before this one left its refusal as the detail; a
     * call that then succeeds must not show it. */
    if (status == CE_OK) {
      ce__clear_detail();
      return b->enumerate(query, fn, ctx);
    }
    if (status != CE_E_UNAVAILABLE)
      return status;
    refused(&r, status);
  }
  if (wanted != CE_WINDOWS_AUTO && r.count == 0)
    return ce__fail(CE_E_UNSUPPORTED, "windows: this build has no %s backend",
                    windows_backend_names[wanted]);
  return none_served(&r, "windows");
}

/* Printers and fonts choose the same way, without a backend field. */
#define ENUM_AUTO(table, kind)                                                 \
  do {                                                                         \
    refusals r = {"", 0, CE_OK};                                               \
    for (size_t i = 0; table[i] != NULL; i++) {                                \
      int status = table[i]->probe(query);                                     \
      if (status == CE_OK) {                                                   \
        ce__clear_detail(); /* an earlier backend's refusal */                 \
        return table[i]->enumerate(query, fn, ctx);                            \
      }                                                                        \
      if (status != CE_E_UNAVAILABLE)                                          \
        return status;                                                         \
      refused(&r, status);                                                     \
    }                                                                          \
    return none_served(&r, kind);                                              \
  } while (0)

static int enum_printers(const ce_printer_query *query, ce_printer_fn fn,
                         void *ctx) {
  ENUM_AUTO(printers_backends, "printers");
}

static int enum_fonts(const ce_font_query *query, ce_font_fn fn, void *ctx) {
  ENUM_AUTO(fonts_backends, "fonts");
}

/* ------------------------------------------------------------ entries -- */

/* A callback may start another enumeration; each call keeps its own query
 * copy on the stack, so nothing carries over between them. */

int ce_enum_fonts_ex(const ce_font_query *query, ce_font_fn fn, void *ctx) {
  ce_font_query q;
  int status = prepare(&q, sizeof q, query, CE__FONT_QUERY_SIZE_0_1,
                       "ce_font_query", fn != NULL);
  return status != CE_OK ? status : enum_fonts(&q, fn, ctx);
}

int ce_enum_fonts(ce_font_fn fn, void *ctx) {
  ce_font_query q = CE_FONT_QUERY_INIT;
  return ce_enum_fonts_ex(&q, fn, ctx);
}

int ce_enum_windows_ex(const ce_window_query *query, ce_window_fn fn,
                       void *ctx) {
  ce_window_query q;
  int status = prepare(&q, sizeof q, query, CE__WINDOW_QUERY_SIZE_0_1,
                       "ce_window_query", fn != NULL);
  return status != CE_OK ? status : enum_windows(&q, fn, ctx);
}

int ce_enum_windows(ce_window_fn fn, void *ctx) {
  ce_window_query q = CE_WINDOW_QUERY_INIT;
  return ce_enum_windows_ex(&q, fn, ctx);
}

int ce_enum_printers_ex(const ce_printer_query *query, ce_printer_fn fn,
                        void *ctx) {
  ce_printer_query q;
  int status = prepare(&q, sizeof q, query, CE__PRINTER_QUERY_SIZE_0_1,
                       "ce_printer_query", fn != NULL);
  return status != CE_OK ? status : enum_printers(&q, fn, ctx);
}

int ce_enum_printers(ce_printer_fn fn, void *ctx) {
  ce_printer_query q = CE_PRINTER_QUERY_INIT;
  return ce_enum_printers_ex(&q, fn, ctx);
}

/* ----------------------------------------------------------- backends -- */

/* Reports one backend: whether its probe accepts a default query. */
static int report(ce_backend *b, int probed, ce_backend_fn fn, void *ctx) {
  char detail[512];
  b->available = probed == CE_OK;
  detail[0] = '\0';
  if (!b->available)
    strncat(detail, ce_error_detail(), sizeof detail - 1);
  b->detail = detail;
  ce__clear_detail();
  return fn(b, ctx) == CE_STOP ? CE_STOPPED : CE_OK;
}

int ce_enum_backends(ce_backend_fn fn, void *ctx) {
  ce_window_query wq = CE_WINDOW_QUERY_INIT;
  ce_printer_query pq = CE_PRINTER_QUERY_INIT;
  ce_font_query fq = CE_FONT_QUERY_INIT;
  ce_backend b;
  int status = CE_OK;

  ce__clear_detail();
  if (fn == NULL)
    return ce__fail(CE_E_INVALID, "the callback is NULL");
  memset(&b, 0, sizeof b);
  b.size = sizeof b;
  wq.timeout_ms = pq.timeout_ms = fq.timeout_ms = CE_DEFAULT_TIMEOUT_MS;

  b.kind = "windows";
  for (size_t i = 0; status == CE_OK && windows_backends[i] != NULL; i++) {
    b.name = windows_backends[i]->name;
    status = report(&b, windows_backends[i]->probe(&wq), fn, ctx);
  }
  b.kind = "printers";
  for (size_t i = 0; status == CE_OK && printers_backends[i] != NULL; i++) {
    b.name = printers_backends[i]->name;
    status = report(&b, printers_backends[i]->probe(&pq), fn, ctx);
  }
  b.kind = "fonts";
  for (size_t i = 0; status == CE_OK && fonts_backends[i] != NULL; i++) {
    b.name = fonts_backends[i]->name;
    status = report(&b, fonts_backends[i]->probe(&fq), fn, ctx);
  }
  return status;
}

/* ------------------------------------------------------------ watches -- */

/* src/watch.c checks its queries with the same rules as the enumerations
 * (the watch needs no callback check here: it checks its own). */
int ce__prepare_query(void *copy, size_t copy_size, const void *query,
                      const char *type) {
  size_t min_size = strcmp(type, "ce_font_query") == 0 ? CE__FONT_QUERY_SIZE_0_1
                    : strcmp(type, "ce_window_query") == 0
                        ? CE__WINDOW_QUERY_SIZE_0_1
                        : CE__PRINTER_QUERY_SIZE_0_1;
  return prepare(copy, copy_size, query, min_size, type, 1);
}

int ce__requested_windows_backend(const ce_window_query *query,
                                  ce_windows_backend *out) {
  return requested_windows_backend(query, out);
}
