/* SPDX-License-Identifier: MIT */
/*
 * Every public ce_watch_* function. The backend gives a source of
 * notifications and a way to list its kind again; this file keeps what the
 * program was told, diffs each new list against it and delivers the
 * differences, so the promise (what was told equals a fresh enumeration) is
 * kept in one place for every backend.
 *
 * The handle, its wake-up, the wait and the lock are the platform's
 * (ce__watch_os: src/watch_posix.c, src/win32/watch_os.c). The handle is
 * made ready when something is pending without the backend's source saying
 * so (the first list, changes a callback left undelivered) and when
 * ce_watch_close must wake a dispatch blocked on another thread.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum kind { WINDOWS, PRINTERS, FONTS } kind;

/* -------------------------------------------------------------- records -- */

/*
 * One record as told or as listed: a copy whose strings live in the same
 * block, shared (refs) between the told set and the latest list. `key` is
 * what identifies the record across lists: the window id, the queue name and
 * instance, the font's path and index.
 */
typedef struct entry {
  size_t refs;
  const char *key;
  union {
    ce_window window;
    ce_printer printer;
    ce_font font;
  } r;
} entry;

/* The strings of a record, copied in two passes: count, then fill. */
typedef struct strings {
  char *at;    /* NULL while counting */
  size_t size; /* bytes counted or used */
} strings;

static const char *put(strings *s, const char *text) {
  size_t n = strlen(text) + 1;
  const char *copy = s->at ? memcpy(s->at + s->size, text, n) : text;
  s->size += n;
  return copy;
}

/* Copies the strings of `e` (whose record fields point at the caller's
 * strings) into `s`, with the key made of `key`. */
static void put_fields(kind k, entry *e, strings *s, const char *key) {
  e->key = put(s, key);
  if (k == WINDOWS) {
    ce_window *w = &e->r.window;
    w->title = put(s, w->title);
    w->class_name = put(s, w->class_name);
    w->instance = put(s, w->instance);
    w->exe = put(s, w->exe);
  } else if (k == PRINTERS) {
    ce_printer *p = &e->r.printer;
    p->name = put(s, p->name);
    p->info = put(s, p->info);
    p->location = put(s, p->location);
    p->make_model = put(s, p->make_model);
    p->uri = put(s, p->uri);
    p->state_message = put(s, p->state_message);
    p->instance = put(s, p->instance);
  } else {
    ce_font *f = &e->r.font;
    f->family = put(s, f->family);
    f->style = put(s, f->style);
    f->fullname = put(s, f->fullname);
    f->postscript_name = put(s, f->postscript_name);
    f->path = put(s, f->path);
    f->format = put(s, f->format);
  }
}

/* A new entry holding a copy of `record`; NULL when out of memory. */
static entry *entry_new(kind k, const void *record) {
  char key[CE__CAP_NAME * 3 + 32];
  entry model, *e;
  strings count = {NULL, 0}, fill;
  size_t reasons = 0, head;

  memset(&model, 0, sizeof model);
  if (k == WINDOWS) {
    model.r.window = *(const ce_window *)record;
    snprintf(key, sizeof key, "%016llx", (unsigned long long)model.r.window.id);
  } else if (k == PRINTERS) {
    model.r.printer = *(const ce_printer *)record;
    snprintf(key, sizeof key, "%s\001%s", model.r.printer.name,
             model.r.printer.instance);
    reasons = model.r.printer.state_reason_count;
  } else {
    model.r.font = *(const ce_font *)record;
    /* A face whose file the system does not tell (Win32: one added with
     * AddFontResourceEx, which the registry does not name) has no path:
     * its family, style and full name tell it from the other faces
     * without one. */
    if (model.r.font.path[0] == '\0')
      snprintf(key, sizeof key, "\001%011d\001%s\001%s\001%s",
               model.r.font.index, model.r.font.family, model.r.font.style,
               model.r.font.fullname);
    else
      snprintf(key, sizeof key, "%s\001%011d", model.r.font.path,
               model.r.font.index);
  }

  put_fields(k, &model, &count, key);
  for (size_t i = 0; i < reasons; i++)
    put(&count, model.r.printer.state_reasons[i]);

  /* The block: the entry, the state reasons' pointers, the strings. */
  head = sizeof *e + reasons * sizeof(const char *);
  if ((e = malloc(head + count.size)) == NULL)
    return NULL;
  *e = model;
  e->refs = 1;
  fill.at = (char *)e + head;
  fill.size = 0;
  /* put_fields reads the strings through the model's pointers, which are
   * still the caller's. */
  put_fields(k, e, &fill, key);
  if (k == PRINTERS) {
    const char **copies = (const char **)(void *)(e + 1);
    for (size_t i = 0; i < reasons; i++)
      copies[i] = put(&fill, model.r.printer.state_reasons[i]);
    e->r.printer.state_reasons = reasons ? copies : NULL;
  }
  return e;
}

static void entry_release(entry *e) {
  if (e != NULL && --e->refs == 0)
    free(e);
}

#define SAME_STR(field) (strcmp(a->field, b->field) == 0)
#define SAME(field) (a->field == b->field)

static int same_window(const ce_window *a, const ce_window *b) {
  return SAME(id) && SAME_STR(title) && SAME_STR(class_name) &&
         SAME_STR(instance) && SAME(pid) && SAME_STR(exe) && SAME(x) &&
         SAME(y) && SAME(width) && SAME(height) && SAME(desktop) &&
         SAME(visible) && SAME(minimized) && SAME(managed) &&
         SAME(transient_for) && SAME(focused);
}

static int same_printer(const ce_printer *a, const ce_printer *b) {
  if (!(SAME_STR(name) && SAME_STR(info) && SAME_STR(location) &&
        SAME_STR(make_model) && SAME_STR(uri) && SAME(is_default) &&
        SAME(state) && SAME_STR(state_message) && SAME(state_reason_count) &&
        SAME(accepting) && SAME(shared) && SAME(discovered) &&
        SAME_STR(instance)))
    return 0;
  for (size_t i = 0; i < a->state_reason_count; i++)
    if (strcmp(a->state_reasons[i], b->state_reasons[i]) != 0)
      return 0;
  return 1;
}

static int same_font(const ce_font *a, const ce_font *b) {
  return SAME_STR(family) && SAME_STR(style) && SAME_STR(fullname) &&
         SAME_STR(postscript_name) && SAME_STR(path) && SAME(index) &&
         SAME(weight) && SAME(width) && SAME(slant) && SAME(monospace) &&
         SAME(scalable) && SAME_STR(format);
}

static int same(kind k, const entry *a, const entry *b) {
  if (k == WINDOWS)
    return same_window(&a->r.window, &b->r.window);
  if (k == PRINTERS)
    return same_printer(&a->r.printer, &b->r.printer);
  return same_font(&a->r.font, &b->r.font);
}

/* A set of entries, sorted by key once complete. */
typedef struct set {
  entry **items;
  size_t count, capacity;
} set;

static void set_clear(set *s) {
  for (size_t i = 0; i < s->count; i++)
    entry_release(s->items[i]);
  free(s->items);
  s->items = NULL;
  s->count = s->capacity = 0;
}

static int by_key(const void *a, const void *b) {
  return strcmp((*(entry *const *)a)->key, (*(entry *const *)b)->key);
}

/* Sorts the set and keeps the first of entries with the same key (a list
 * taken while the system changed may name a record twice). */
static void set_sort(set *s) {
  size_t kept = 0;
  if (s->count > 1)
    qsort(s->items, s->count, sizeof *s->items, by_key);
  for (size_t i = 0; i < s->count; i++) {
    if (kept > 0 && strcmp(s->items[kept - 1]->key, s->items[i]->key) == 0)
      entry_release(s->items[i]);
    else
      s->items[kept++] = s->items[i];
  }
  s->count = kept;
}

/* ---------------------------------------------------------------- watch -- */

typedef union change_fn {
  ce_window_change_fn window;
  ce_printer_change_fn printer;
  ce_font_change_fn font;
} change_fn;

struct ce_watch {
  kind kind;
  const ce__watch_backend *backend;
  void *source;
  ce__watch_os *os;
  union {
    ce_window_query window;
    ce_printer_query printer;
    ce_font_query font;
  } query;
  char *family; /* the font query's own copy of its family */
  change_fn fn;
  void *ctx;

  set told;         /* what the program was told, sorted */
  set current;      /* the latest list, sorted; valid while `listed` */
  int listed;       /* `current` has changes not all delivered yet */
  int resync;       /* a notification came: the records must be listed */
  int collect_fail; /* out of memory while listing */
  int failed;       /* the status of the last drain and list */
  char failed_detail[512];

  /* Guarded by the platform part's lock, which also keeps the dispatcher
   * and the closing flag. */
  int dispatching;
  int close_in_callback;
};

static int closing(ce_watch *w) { return ce__watch_os_closing(w->os); }

static void wake(ce_watch *w) { ce__watch_os_wake(w->os); }

static void unwake(ce_watch *w) { ce__watch_os_unwake(w->os); }

/* --------------------------------------------------------------- listing -- */

static void collect(ce_watch *w, const void *record) {
  entry *e;
  if (w->collect_fail)
    return;
  if (ce__grow((void **)&w->current.items, &w->current.capacity,
               w->current.count + 1, sizeof(entry *), "watch",
               "records") != CE_OK ||
      (e = entry_new(w->kind, record)) == NULL) {
    w->collect_fail = 1;
    return;
  }
  w->current.items[w->current.count++] = e;
  if (w->backend->observe != NULL)
    w->backend->observe(w->source, record);
}

static ce_next collect_window(const ce_window *r, void *ctx) {
  collect(ctx, r);
  return ((ce_watch *)ctx)->collect_fail ? CE_STOP : CE_CONTINUE;
}
static ce_next collect_printer(const ce_printer *r, void *ctx) {
  collect(ctx, r);
  return ((ce_watch *)ctx)->collect_fail ? CE_STOP : CE_CONTINUE;
}
static ce_next collect_font(const ce_font *r, void *ctx) {
  collect(ctx, r);
  return ((ce_watch *)ctx)->collect_fail ? CE_STOP : CE_CONTINUE;
}

static int list_once(ce_watch *w) {
  ce__record_fn fn;
  if (w->kind == WINDOWS)
    fn.window = collect_window;
  else if (w->kind == PRINTERS)
    fn.printer = collect_printer;
  else
    fn.font = collect_font;
  if (w->backend->list != NULL)
    return w->backend->list(w->source, &w->query, fn, w);
  if (w->kind == WINDOWS)
    return ce_enum_windows_ex(&w->query.window, fn.window, w);
  if (w->kind == PRINTERS)
    return ce_enum_printers_ex(&w->query.printer, fn.printer, w);
  return ce_enum_fonts_ex(&w->query.font, fn.font, w);
}

/* How many times a list is taken again when the backend asks (each time it
 * started watching something new); bounds a system that never settles. */
#define MAX_PASSES 4

/* Lists the records into `current`, replacing the previous list. */
static int relist(ce_watch *w) {
  int status = CE_OK;
  for (int pass = 0; pass < MAX_PASSES; pass++) {
    int again = 0;
    set_clear(&w->current);
    w->listed = 0;
    w->collect_fail = 0;
    status = list_once(w);
    if (status == CE_STOPPED && w->collect_fail)
      status = ce__fail(CE_E_NOMEM, "watch: out of memory for the records");
    if (status == CE_OK && w->backend->settle != NULL)
      status = w->backend->settle(w->source, &again);
    if (status != CE_OK || !again)
      break;
  }
  if (status != CE_OK) {
    set_clear(&w->current);
    return status;
  }
  set_sort(&w->current);
  w->listed = 1;
  w->resync = 0;
  return CE_OK;
}

/* ------------------------------------------------------------- delivery -- */

static ce_next call(ce_watch *w, ce_change change, const entry *e) {
  if (w->kind == WINDOWS)
    return w->fn.window(change, &e->r.window, w->ctx);
  if (w->kind == PRINTERS)
    return w->fn.printer(change, &e->r.printer, w->ctx);
  return w->fn.font(change, &e->r.font, w->ctx);
}

/*
 * Delivers the differences between `told` and `current` in key order, and
 * makes `told` what was delivered: when a callback stops (or the watch is
 * closed meanwhile), the rest of the old told set is kept as it was, so the
 * next dispatch resumes the same diff where this one ended.
 */
static int deliver(ce_watch *w) {
  set *told = &w->told, *cur = &w->current, next = {NULL, 0, 0};
  size_t i = 0, j = 0;
  int stopped = 0;

  if (ce__grow((void **)&next.items, &next.capacity,
               told->count + cur->count + 1, sizeof(entry *), "watch",
               "records") != CE_OK)
    return CE_E_NOMEM;
  while (i < told->count || j < cur->count) {
    int order = i == told->count ? 1
                : j == cur->count
                    ? -1
                    : strcmp(told->items[i]->key, cur->items[j]->key);
    ce_next answer = CE_CONTINUE;
    if (stopped) {
      if (i == told->count)
        break;
      next.items[next.count++] = told->items[i++];
      continue;
    }
    if (order < 0) {
      answer = call(w, CE_REMOVED, told->items[i]);
      entry_release(told->items[i++]);
    } else if (order > 0) {
      answer = call(w, CE_ADDED, cur->items[j]);
      cur->items[j]->refs++;
      next.items[next.count++] = cur->items[j++];
    } else if (!same(w->kind, told->items[i], cur->items[j])) {
      answer = call(w, CE_CHANGED, cur->items[j]);
      entry_release(told->items[i++]);
      cur->items[j]->refs++;
      next.items[next.count++] = cur->items[j++];
    } else {
      next.items[next.count++] = told->items[i++];
      j++;
    }
    stopped = answer == CE_STOP || closing(w);
  }
  free(told->items);
  *told = next;
  if (stopped)
    return closing(w) ? CE_E_CANCELLED : CE_STOPPED;
  set_clear(cur);
  w->listed = 0;
  return CE_OK;
}

/* ------------------------------------------------------------- dispatch -- */

static int wait_ready(ce_watch *w, unsigned timeout_ms) {
  return ce__watch_os_wait(w->os, timeout_ms);
}

/* How long a burst of notifications may delay its list (see run). */
#define QUIET_MS 10
#define BURST_MS 200

static int run(ce_watch *w, unsigned timeout_ms) {
  int status, ready = 1;
  /* After a failed list, the next try waits for the source (a
   * notification, or the backend's retry timer) rather than spinning. */
  if (!w->listed && (!w->resync || w->failed != CE_OK)) {
    ready = wait_ready(w, timeout_ms);
    if (ready < 0)
      return ready;
  }
  if (closing(w))
    return CE_E_CANCELLED;
  if (!ready && w->failed != CE_OK)
    return ce__fail(w->failed, "%s", w->failed_detail);
  unwake(w);
  status = w->backend->drain(w->source, &w->resync);
  /* A burst (a window manager mapping a hundred windows, a package
   * installing fonts) is one list, not one per event: while more comes
   * within QUIET_MS, it is read first, for at most BURST_MS. */
  if (status == CE_OK && w->resync && w->listed == 0) {
    uint64_t until = ce__now_ms() + BURST_MS;
    while (status == CE_OK && ce__now_ms() < until && !closing(w) &&
           wait_ready(w, QUIET_MS) == 1) {
      unwake(w);
      status = w->backend->drain(w->source, &w->resync);
    }
  }
  if (status == CE_OK && w->resync)
    status = relist(w);
  w->failed = status;
  if (status != CE_OK) {
    snprintf(w->failed_detail, sizeof w->failed_detail, "%s",
             ce_error_detail());
    return status;
  }
  if (w->listed) {
    status = deliver(w);
    if (status == CE_STOPPED)
      wake(w); /* the rest is pending: the handle says so */
  }
  return status;
}

static void destroy(ce_watch *w) {
  set_clear(&w->told);
  set_clear(&w->current);
  if (w->source != NULL)
    w->backend->close(w->source);
  /* After the source, whose thread may set the handle until it closed. */
  ce__watch_os_close(w->os);
  free(w->family);
  free(w);
}

int ce_watch_dispatch(ce_watch *w, unsigned timeout_ms) {
  int status, release;

  ce__clear_detail();
  if (w == NULL)
    return ce__fail(CE_E_INVALID, "the watch is NULL");
  ce__watch_os_lock(w->os);
  if (w->dispatching) {
    ce__watch_os_unlock(w->os);
    return ce__fail(CE_E_INVALID,
                    "watch: another thread is dispatching this watch");
  }
  if (closing(w)) {
    ce__watch_os_unlock(w->os);
    return ce__fail(CE_E_CANCELLED, "watch: closed");
  }
  w->dispatching = 1;
  ce__watch_os_set_dispatcher(w->os);
  ce__watch_os_unlock(w->os);

  status = run(w, timeout_ms);
  if (status == CE_E_CANCELLED)
    status = ce__fail(CE_E_CANCELLED, "watch: closed while dispatching");

  ce__watch_os_lock(w->os);
  w->dispatching = 0;
  release = w->close_in_callback;
  ce__watch_os_wake_idle(w->os);
  ce__watch_os_unlock(w->os);
  if (release)
    destroy(w);
  return status;
}

void ce_watch_close(ce_watch *w) {
  if (w == NULL)
    return;
  ce__watch_os_lock(w->os);
  ce__watch_os_set_closing(w->os);
  if (w->dispatching && ce__watch_os_is_dispatcher(w->os)) {
    /* From a callback: its dispatch releases the watch when it returns. */
    w->close_in_callback = 1;
    ce__watch_os_unlock(w->os);
    return;
  }
  if (w->dispatching)
    wake(w);
  while (w->dispatching)
    ce__watch_os_sleep_idle(w->os);
  ce__watch_os_unlock(w->os);
  destroy(w);
}

intptr_t ce_watch_handle(const ce_watch *w) {
  return w == NULL ? -1 : ce__watch_os_handle(w->os);
}

/* ----------------------------------------------------------------- open -- */

/* Opens the watch of `w` (its kind, query and callback set) with `backend`:
 * the source first, then the first list, so nothing that changes between
 * them is missed. Releases `w` on failure. */
static int start(ce_watch *w, const ce__watch_backend *backend,
                 ce_watch **out) {
  int status;

  w->backend = backend;
  status = ce__watch_os_open(&w->os);
#ifdef _WIN32
  if (status == CE_OK)
    status = backend->open(&w->query, w->os, &w->source);
#else
  if (status == CE_OK) {
    int fd = -1;
    status = backend->open(&w->query, &w->source, &fd);
    if (status == CE_OK)
      status = ce__watch_os_add(w->os, fd, backend->name);
  }
#endif
  if (status == CE_OK)
    status = relist(w);
  if (status != CE_OK) {
    destroy(w);
    return status;
  }
  /* The first dispatch delivers the first list. */
  wake(w);
  *out = w;
  return CE_OK;
}

/* What every ce_watch_* checks first; fills `q` (of `size` bytes) with the
 * completed query, `fallback` standing for a NULL one. */
static int begin(void *q, size_t size, const void *query, const void *fallback,
                 const char *type, int have_fn, ce_watch **out) {
  ce__clear_detail();
  if (out == NULL || !have_fn)
    return ce__fail(CE_E_INVALID, "the %s is NULL", out ? "callback" : "out");
  *out = NULL;
  return ce__prepare_query(q, size, query ? query : fallback, type);
}

/* A new watch of kind `k` for the checked query `q`, started with
 * `backend`. The font query's family is the watch's own copy. */
static int open_watch(kind k, const void *q, size_t size, change_fn fn,
                      void *ctx, const ce__watch_backend *backend,
                      ce_watch **out) {
  ce_watch *w = calloc(1, sizeof *w);
  if (w == NULL)
    return ce__fail(CE_E_NOMEM, "watch: out of memory");
  w->kind = k;
  memcpy(&w->query, q, size);
  w->fn = fn;
  w->ctx = ctx;
  if (k == FONTS && w->query.font.family != NULL) {
    size_t n = strlen(w->query.font.family) + 1;
    if ((w->family = malloc(n)) == NULL) {
      free(w);
      return ce__fail(CE_E_NOMEM, "watch: out of memory");
    }
    w->query.font.family = memcpy(w->family, w->query.font.family, n);
  }
  return start(w, backend, out);
}

/* The watch backends of each kind, with the enumeration backend whose probe
 * says whether it can serve, in the order CE_WINDOWS_AUTO tries them: the
 * enumeration's (src/cenum.c), so auto watches what it would list. */
#if defined(CE_HAVE_X11) || defined(CE_HAVE_WAYLAND) || defined(CE_HAVE_WIN32)
static const struct {
  const ce__windows_backend *enumeration;
  const ce__watch_backend *watch;
} windows_watches[] = {
#ifdef CE_HAVE_WAYLAND
    {&ce__wayland_windows, &ce__wayland_watch},
#endif
#ifdef CE_HAVE_X11
    {&ce__x11_windows, &ce__x11_watch},
#endif
#ifdef CE_HAVE_WIN32
    {&ce__win32_windows, &ce__win32_windows_watch},
#endif
};
#define HAVE_WINDOWS_WATCHES 1
#endif

int ce_watch_windows(const ce_window_query *query, ce_window_change_fn fn,
                     void *ctx, ce_watch **out) {
  ce_window_query fallback = CE_WINDOW_QUERY_INIT, q;
  ce_windows_backend wanted;
  change_fn change;
  int status =
      begin(&q, sizeof q, query, &fallback, "ce_window_query", fn != NULL, out);

  if (status == CE_OK && q.x11_display != NULL)
    status = ce__fail(CE_E_INVALID,
                      "watch: x11_display must be NULL: the watch reads "
                      "events on a connection of its own");
  if (status == CE_OK)
    status = ce__requested_windows_backend(&q, &wanted);
  if (status != CE_OK)
    return status;
  change.window = fn;
  status =
      wanted == CE_WINDOWS_AUTO
          ? ce__fail(CE_E_UNSUPPORTED, "watch: this build watches no windows")
          : ce__fail(CE_E_UNSUPPORTED,
                     "watch: this build cannot watch the windows of "
                     "that backend");
#ifdef HAVE_WINDOWS_WATCHES
  for (size_t i = 0; i < sizeof windows_watches / sizeof *windows_watches;
       i++) {
    const ce__windows_backend *b = windows_watches[i].enumeration;
    if (wanted != CE_WINDOWS_AUTO && wanted != b->id)
      continue;
    status = b->probe(&q);
    if (status == CE_E_UNAVAILABLE)
      continue;
    if (status != CE_OK)
      return status;
    /* The lists are taken from the backend the watch listens to. */
    q.backend = b->id;
    return open_watch(WINDOWS, &q, sizeof q, change, ctx,
                      windows_watches[i].watch, out);
  }
#else
  (void)ctx, (void)change;
#endif
  return status;
}

int ce_watch_printers(const ce_printer_query *query, ce_printer_change_fn fn,
                      void *ctx, ce_watch **out) {
  ce_printer_query fallback = CE_PRINTER_QUERY_INIT, q;
  change_fn change;
  int status = begin(&q, sizeof q, query, &fallback, "ce_printer_query",
                     fn != NULL, out);

  if (status == CE_OK && q.include_discovered)
    status =
        ce__fail(CE_E_INVALID, "watch: discovered printers cannot be watched "
                               "(include_discovered must be false)");
  if (status != CE_OK)
    return status;
  change.printer = fn;
#ifdef CE_HAVE_CUPS
  if ((status = ce__cups_printers.probe(&q)) != CE_OK)
    return status;
  return open_watch(PRINTERS, &q, sizeof q, change, ctx, &ce__cups_watch, out);
#elif defined(CE_HAVE_WIN32)
  if ((status = ce__win32_printers.probe(&q)) != CE_OK)
    return status;
  return open_watch(PRINTERS, &q, sizeof q, change, ctx,
                    &ce__win32_printers_watch, out);
#else
  (void)ctx, (void)change;
  return ce__fail(CE_E_UNSUPPORTED, "watch: this build watches no printers");
#endif
}

int ce_watch_fonts(const ce_font_query *query, ce_font_change_fn fn, void *ctx,
                   ce_watch **out) {
  ce_font_query fallback = CE_FONT_QUERY_INIT, q;
  change_fn change;
  int status =
      begin(&q, sizeof q, query, &fallback, "ce_font_query", fn != NULL, out);

  if (status != CE_OK)
    return status;
  change.font = fn;
#ifdef CE_HAVE_FONTCONFIG
  if ((status = ce__fontconfig_fonts.probe(&q)) != CE_OK)
    return status;
  return open_watch(FONTS, &q, sizeof q, change, ctx, &ce__fontconfig_watch,
                    out);
#elif defined(CE_HAVE_WIN32)
  if ((status = ce__win32_fonts.probe(&q)) != CE_OK)
    return status;
  return open_watch(FONTS, &q, sizeof q, change, ctx, &ce__win32_fonts_watch,
                    out);
#else
  (void)ctx, (void)change;
  return ce__fail(CE_E_UNSUPPORTED, "watch: this build watches no fonts");
#endif
}
