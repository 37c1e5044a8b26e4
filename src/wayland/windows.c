/* SPDX-License-Identifier: MIT */
/*
 * Windows on Wayland: the toplevels a compositor lists to other clients,
 * through ext_foreign_toplevel_list_v1 and zwlr_foreign_toplevel_manager_v1,
 * with the process and the frame from sway's IPC where it runs.
 *
 * One enumeration is one connection of its own: connect, list the globals,
 * bind the window lists, round trips until every toplevel is described,
 * disconnect, and only then the callbacks, so a slow callback never holds
 * the compositor's queue. Every wait polls the display's socket under the
 * query's deadline and cancel flag.
 */
#include "protocol.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* A compositor announcing more toplevels than this, or sending more text
 * in all (each title and app_id as repaired; replaced ones count too), is
 * not believed: the bound on what one enumeration holds. */
#define MAX_TOPLEVELS 100000u
#define MAX_TEXT_BYTES (32u << 20)

/* Round trips after the first that a toplevel may take to send its first
 * `done` (wlroots sends a new one's from an idle callback) before it is left
 * out as not yet mapped. */
#define EXTRA_ROUND_TRIPS 3

/* One handle of either list; allocated alone so its address, the
 * listener's data, stays put while the list grows. */
typedef struct handle {
  struct session *session;
  void *proxy; /* zwlr_foreign_toplevel_handle_v1 or ext_..._handle_v1 */
  char *title, *app_id, *identifier; /* repaired copies; NULL: none yet */
  unsigned states;
  struct handle *parent; /* wlr only; NULL when none */
  int done, closed;
  /* Filled when the records are made. */
  struct handle *states_from; /* the wlr handle matched to an ext one */
  struct handle *shown_as;    /* of a wlr handle: the handle of its record */
  uint64_t id;
} handle;

typedef struct handles {
  handle **items;
  size_t count, capacity;
} handles;

typedef struct session {
  ce__wl_connection c;
  struct zwlr_foreign_toplevel_manager_v1 *wlr;
  struct ext_foreign_toplevel_list_v1 *ext;
  handles wlr_handles, ext_handles;
  size_t text_bytes; /* copied so far, for MAX_TEXT_BYTES */
} session;

/* ------------------------------------------------------------ strings -- */

/* A repaired, capped copy of a string of the compositor (NULL gives ""),
 * counted against the enumeration's budget for text. */
static char *copy_text(session *s, const char *text, size_t cap) {
  size_t length = text != NULL ? strlen(text) : 0;
  size_t room = CE__UTF8_REPAIR_SIZE(length);
  char *copy, *fitted;
  if (room > cap + 1)
    room = cap + 1;
  copy = malloc(room);
  if (copy == NULL) {
    if (s->c.failure == CE_OK)
      s->c.failure = ce__fail(CE_E_NOMEM, "Wayland: out of memory for a title");
    return NULL;
  }
  room = ce__utf8_repair(copy, room, text != NULL ? text : "", length) + 1;
  fitted = realloc(copy, room);
  copy = fitted != NULL ? fitted : copy;
  s->text_bytes += room;
  if (s->text_bytes > MAX_TEXT_BYTES) {
    free(copy);
    if (s->c.failure == CE_OK)
      s->c.failure =
          ce__fail(CE_E_BACKEND,
                   "Wayland: the compositor sent more than %u MiB of "
                   "titles and app_ids",
                   MAX_TEXT_BYTES >> 20);
    return NULL;
  }
  return copy;
}

static void replace_text(session *s, char **field, const char *text,
                         size_t cap) {
  char *copy = copy_text(s, text, cap);
  if (copy != NULL) {
    free(*field);
    *field = copy;
  }
}

/* ------------------------------------------------------------ handles -- */

static handle *add_handle(session *s, handles *list, void *proxy) {
  handle *h;
  if (s->wlr_handles.count + s->ext_handles.count >= MAX_TOPLEVELS) {
    if (s->c.failure == CE_OK)
      s->c.failure = ce__fail(CE_E_BACKEND,
                              "Wayland: the compositor announced more than %u "
                              "toplevels",
                              MAX_TOPLEVELS);
    return NULL;
  }
  if (s->c.failure == CE_OK)
    s->c.failure =
        ce__grow((void **)&list->items, &list->capacity, list->count + 1,
                 sizeof *list->items, "Wayland", "toplevels");
  h = s->c.failure == CE_OK ? calloc(1, sizeof *h) : NULL;
  if (h == NULL) {
    if (s->c.failure == CE_OK)
      s->c.failure =
          ce__fail(CE_E_NOMEM, "Wayland: out of memory for a toplevel");
    return NULL;
  }
  h->session = s;
  h->proxy = proxy;
  list->items[list->count++] = h;
  return h;
}

static void forget_proxies(handles *list) {
  for (size_t i = 0; i < list->count; i++) {
    if (list->items[i]->proxy != NULL)
      wl_proxy_destroy(list->items[i]->proxy);
    list->items[i]->proxy = NULL;
  }
}

static void free_handles(handles *list) {
  forget_proxies(list);
  for (size_t i = 0; i < list->count; i++) {
    handle *h = list->items[i];
    free(h->title);
    free(h->app_id);
    free(h->identifier);
    free(h);
  }
  free(list->items);
  list->items = NULL;
  list->count = list->capacity = 0;
}

/* -------------------------------------------------------- wlr listener -- */

static void wlr_title(void *data, struct zwlr_foreign_toplevel_handle_v1 *p,
                      const char *title) {
  handle *h = data;
  (void)p;
  replace_text(h->session, &h->title, title, CE__CAP_TITLE);
}

static void wlr_app_id(void *data, struct zwlr_foreign_toplevel_handle_v1 *p,
                       const char *app_id) {
  handle *h = data;
  (void)p;
  replace_text(h->session, &h->app_id, app_id, CE__CAP_NAME);
}

static void wlr_output(void *data, struct zwlr_foreign_toplevel_handle_v1 *p,
                       struct wl_output *output) {
  (void)data, (void)p, (void)output;
}

static void wlr_state(void *data, struct zwlr_foreign_toplevel_handle_v1 *p,
                      struct wl_array *state) {
  handle *h = data;
  (void)p;
  h->states =
      state != NULL ? ce__wl_decode_states(state->data, state->size) : 0;
}

static void wlr_done(void *data, struct zwlr_foreign_toplevel_handle_v1 *p) {
  handle *h = data;
  (void)p;
  h->done = 1;
}

static void wlr_closed(void *data, struct zwlr_foreign_toplevel_handle_v1 *p) {
  handle *h = data;
  (void)p;
  h->closed = 1;
}

static void wlr_parent(void *data, struct zwlr_foreign_toplevel_handle_v1 *p,
                       struct zwlr_foreign_toplevel_handle_v1 *parent) {
  handle *h = data;
  (void)p;
  /* libwayland checked that the object is a handle of this interface; its
   * data is ours, since every such handle was made by our manager. */
  h->parent = parent != NULL
                  ? zwlr_foreign_toplevel_handle_v1_get_user_data(parent)
                  : NULL;
}

static const struct zwlr_foreign_toplevel_handle_v1_listener wlr_handle_events =
    {wlr_title, wlr_app_id, wlr_output, wlr_output,
     wlr_state, wlr_done,   wlr_closed, wlr_parent};

static void wlr_toplevel(void *data, struct zwlr_foreign_toplevel_manager_v1 *m,
                         struct zwlr_foreign_toplevel_handle_v1 *proxy) {
  session *s = data;
  handle *h = add_handle(s, &s->wlr_handles, proxy);
  (void)m;
  if (h == NULL) {
    zwlr_foreign_toplevel_handle_v1_destroy(proxy);
    return;
  }
  zwlr_foreign_toplevel_handle_v1_add_listener(proxy, &wlr_handle_events, h);
}

static void wlr_finished(void *data,
                         struct zwlr_foreign_toplevel_manager_v1 *m) {
  (void)data, (void)m;
}

static const struct zwlr_foreign_toplevel_manager_v1_listener wlr_events = {
    wlr_toplevel, wlr_finished};

/* -------------------------------------------------------- ext listener -- */

static void ext_closed(void *data, struct ext_foreign_toplevel_handle_v1 *p) {
  handle *h = data;
  (void)p;
  h->closed = 1;
}

static void ext_done(void *data, struct ext_foreign_toplevel_handle_v1 *p) {
  handle *h = data;
  (void)p;
  h->done = 1;
}

static void ext_title(void *data, struct ext_foreign_toplevel_handle_v1 *p,
                      const char *title) {
  handle *h = data;
  (void)p;
  replace_text(h->session, &h->title, title, CE__CAP_TITLE);
}

static void ext_app_id(void *data, struct ext_foreign_toplevel_handle_v1 *p,
                       const char *app_id) {
  handle *h = data;
  (void)p;
  replace_text(h->session, &h->app_id, app_id, CE__CAP_NAME);
}

static void ext_identifier(void *data, struct ext_foreign_toplevel_handle_v1 *p,
                           const char *identifier) {
  handle *h = data;
  (void)p;
  /* Sent once per handle; a second one is ignored, so the id stays. */
  if (h->identifier == NULL)
    h->identifier = copy_text(h->session, identifier, CE__CAP_NAME);
}

static const struct ext_foreign_toplevel_handle_v1_listener ext_handle_events =
    {ext_closed, ext_done, ext_title, ext_app_id, ext_identifier};

static void ext_toplevel(void *data, struct ext_foreign_toplevel_list_v1 *l,
                         struct ext_foreign_toplevel_handle_v1 *proxy) {
  session *s = data;
  handle *h = add_handle(s, &s->ext_handles, proxy);
  (void)l;
  if (h == NULL) {
    ext_foreign_toplevel_handle_v1_destroy(proxy);
    return;
  }
  ext_foreign_toplevel_handle_v1_add_listener(proxy, &ext_handle_events, h);
}

static void ext_finished(void *data, struct ext_foreign_toplevel_list_v1 *l) {
  (void)data, (void)l;
}

static const struct ext_foreign_toplevel_list_v1_listener ext_events = {
    ext_toplevel, ext_finished};

/* ------------------------------------------------------- connecting -- */

/* Closes the connection; what was read stays for the records. The server
 * frees its side of every object with the connection. */
static void hang_up(session *s) {
  forget_proxies(&s->wlr_handles);
  forget_proxies(&s->ext_handles);
  if (s->wlr != NULL)
    wl_proxy_destroy((struct wl_proxy *)s->wlr);
  if (s->ext != NULL)
    wl_proxy_destroy((struct wl_proxy *)s->ext);
  s->wlr = NULL;
  s->ext = NULL;
  ce__wl_disconnect(&s->c);
}

/* Whether every handle still open has sent its first `done`. */
static int all_described(const handles *list) {
  for (size_t i = 0; i < list->count; i++)
    if (!list->items[i]->done && !list->items[i]->closed)
      return 0;
  return 1;
}

static int list_toplevels(session *s) {
  int status;
  if ((status = ce__wl_bind_lists(&s->c, &s->wlr, &wlr_events, &s->ext,
                                  &ext_events, s)) != CE_OK)
    return status;
  status = ce__wl_round_trip(&s->c, "the toplevels");
  for (int extra = 0;
       status == CE_OK && extra < EXTRA_ROUND_TRIPS &&
       !(all_described(&s->wlr_handles) && all_described(&s->ext_handles));
       extra++)
    status = ce__wl_round_trip(&s->c, "the toplevels' descriptions");
  return status;
}

/* ---------------------------------------------------------- records -- */

static int same_text(const char *a, const char *b) {
  return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

static int listed(const handle *h) { return h->done && !h->closed; }

/*
 * The wlr handle of the same toplevel as ext handle `i`: the two lists come
 * from one compositor in the order it keeps its toplevels, so the handle at
 * the same place when its title and app_id agree, else the first unmatched
 * one whose title and app_id agree, else none.
 */
static handle *wlr_twin(const session *s, size_t i, unsigned char *taken) {
  const handle *e = s->ext_handles.items[i];
  const handles *w = &s->wlr_handles;
  size_t found = w->count;
  if (i < w->count && !taken[i] && listed(w->items[i]) &&
      same_text(w->items[i]->title, e->title) &&
      same_text(w->items[i]->app_id, e->app_id))
    found = i;
  for (size_t k = 0; found == w->count && k < w->count; k++)
    if (!taken[k] && listed(w->items[k]) &&
        same_text(w->items[k]->title, e->title) &&
        same_text(w->items[k]->app_id, e->app_id))
      found = k;
  if (found == w->count)
    return NULL;
  taken[found] = 1;
  return w->items[found];
}

/* The sway view of a toplevel: unmatched, the same title and app_id, the
 * oldest (lowest container id) of those, as toplevels are announced in the
 * order they appeared. */
static ce__sway_view *sway_twin(ce__sway_views *views, const handle *h) {
  ce__sway_view *best = NULL;
  for (size_t i = 0; i < views->count; i++) {
    ce__sway_view *v = &views->views[i];
    if (!v->used && same_text(v->name, h->title) &&
        same_text(v->app_id, h->app_id) && (best == NULL || v->id < best->id))
      best = v;
  }
  if (best != NULL)
    best->used = 1;
  return best;
}

/* What one delivered record holds besides its handle. */
typedef struct extra {
  handle *h;
  ce__sway_view *view;
} extra;

/*
 * Builds the records in the order the compositor announced the toplevels:
 * the ext list when bound (with the matching wlr handle's states), else the
 * wlr list. Then the callbacks, after the connection is closed.
 */
static int deliver(session *s, const ce_window_query *query, ce_window_fn fn,
                   void *ctx) {
  const handles *shown = s->c.ext_name != 0 ? &s->ext_handles : &s->wlr_handles;
  ce__sway_views views;
  int have_views = 0, focused = 0, status = CE_OK;
  unsigned char *taken = calloc(s->wlr_handles.count + 1, 1);
  extra *extras = calloc(shown->count + 1, sizeof *extras);
  size_t count = 0;
  ce__arena arena = CE__ARENA_INIT;
  const char *swaysock = getenv("SWAYSOCK");

  memset(&views, 0, sizeof views);
  if (taken == NULL || extras == NULL) {
    free(taken);
    free(extras);
    return ce__fail(CE_E_NOMEM, "Wayland: out of memory for the records");
  }

  /* sway's IPC, when it is this compositor's: the same process answers
   * both sockets. Without it the fields it gives stay unknown; that is no
   * failure. */
  if (swaysock != NULL && swaysock[0] != '\0' && s->c.compositor_pid > 0) {
    int64_t sway_pid = -1;
    status = ce__sway_get_tree(swaysock, &s->c.deadline, &views, &sway_pid);
    have_views = status == CE_OK && sway_pid == s->c.compositor_pid;
    if (status == CE_E_CANCELLED || status == CE_E_NOMEM)
      goto done;
    status = CE_OK;
    ce__clear_detail();
  }

  for (size_t i = 0; i < shown->count; i++) {
    handle *h = shown->items[i];
    /* The matching is quadratic at worst (a compositor whose two lists
     * disagree everywhere): bounded by the timeout like the rest. */
    if (i % 64 == 0 &&
        (status = ce__deadline_check(&s->c.deadline, "Wayland")) != CE_OK)
      goto done;
    if (!listed(h))
      continue;
    h->states_from = s->c.ext_name != 0 ? wlr_twin(s, i, taken) : h;
    if (h->states_from != NULL)
      h->states_from->shown_as = h;
    extras[count].h = h;
    extras[count].view = have_views ? sway_twin(&views, h) : NULL;
    /* A stable id: the ext identifier's; else sway's container id; else
     * the order of appearance, above 2^62 so it meets no container id. */
    if (h->identifier != NULL)
      h->id = ce__wl_identifier_id(h->identifier, strlen(h->identifier));
    else if (extras[count].view != NULL)
      h->id = (uint64_t)extras[count].view->id;
    else
      h->id = (UINT64_C(1) << 62) + i + 1;
    count++;
  }

  for (size_t i = 0; status == CE_OK && i < count; i++) {
    const handle *h = extras[i].h;
    const ce__sway_view *v = extras[i].view;
    const handle *wlr = h->states_from;
    unsigned states = wlr != NULL ? wlr->states : 0;
    ce_window w;
    int built = CE_OK;

    memset(&w, 0, sizeof w);
    w.size = sizeof w;
    w.id = h->id;
    w.title = h->title != NULL ? h->title : "";
    w.class_name = h->app_id != NULL ? h->app_id : "";
    w.instance = "";
    w.pid = v != NULL ? v->pid : -1;
    w.exe = ce__read_exe(&arena, w.pid);
    if (v != NULL) {
      w.x = v->x;
      w.y = v->y;
      w.width = v->width;
      w.height = v->height;
    }
    w.desktop = CE_DESKTOP_UNKNOWN;
    w.minimized = (states & CE__WL_MINIMIZED) != 0;
    w.visible = !w.minimized;
    w.managed = true;
    /* The header promises one focused window at most. */
    w.focused = (states & CE__WL_ACTIVATED) != 0 && !focused;
    focused |= w.focused;
    /* The parent's record id; the parent is a wlr handle, whose id is that
     * of the record it was matched to, if any. */
    if (wlr != NULL && wlr->parent != NULL && wlr->parent->shown_as != NULL)
      w.transient_for = wlr->parent->shown_as->id;
    if (w.exe == NULL)
      built = ce__fail(CE_E_NOMEM, "Wayland: out of memory for a record");
    else if (query->visible_only && !w.visible)
      built = CE__SKIP;
    if ((status = ce__cancel_check(&s->c.deadline, "Wayland")) != CE_OK)
      break;
    status = ce__delivered(built, built == CE_OK ? fn(&w, ctx) : CE_CONTINUE,
                           &arena);
  }
done:
  ce__arena_free(&arena);
  ce__sway_free(&views);
  free(taken);
  free(extras);
  return status;
}

/* ---------------------------------------------------------- the entry -- */

static int in_wayland_session(void) {
  const char *display = getenv("WAYLAND_DISPLAY");
  const char *type = getenv("XDG_SESSION_TYPE");
  return (display != NULL && display[0] != '\0') ||
         (type != NULL && strcmp(type, "wayland") == 0);
}

/* Wayland serves a Wayland session whose compositor's socket exists and
 * whose client library loads; elsewhere it steps aside for X11. */
static int probe(const ce_window_query *query) {
  char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
  struct stat socket_file;
  int status;
  (void)query;
  if (!in_wayland_session())
    return ce__fail(CE_E_UNAVAILABLE,
                    "Wayland: not a Wayland session (WAYLAND_DISPLAY is not "
                    "set)");
  /* A session variable left behind (a login over ssh from a Wayland
   * desktop) names a socket that is not there: then X11 may serve. */
  if ((status = ce__wl_socket_path(path, sizeof path)) != CE_OK)
    return status;
  if (stat(path, &socket_file) != 0 || !S_ISSOCK(socket_file.st_mode))
    return ce__fail(CE_E_UNAVAILABLE, "Wayland: no compositor socket at %s",
                    path);
  return ce__wl_load();
}

static int enumerate(const ce_window_query *query, ce_window_fn fn, void *ctx) {
  session s;
  int status;

  memset(&s, 0, sizeof s);
  s.c.deadline = ce__deadline_start(query->timeout_ms, query->cancel);
  status = ce__wl_load();
  if (status == CE_OK)
    status = ce__deadline_check(&s.c.deadline, "Wayland");
  if (status == CE_OK)
    status = ce__wl_connect(&s.c);
  if (status == CE_OK)
    status = list_toplevels(&s);
  hang_up(&s);
  if (status == CE_OK)
    status = deliver(&s, query, fn, ctx);
  free_handles(&s.wlr_handles);
  free_handles(&s.ext_handles);
  return status;
}

const ce__windows_backend ce__wayland_windows = {"wayland", CE_WINDOWS_WAYLAND,
                                                 probe, enumerate};
