/* SPDX-License-Identifier: MIT */
/*
 * The X11 watch: an XCB connection of the watch's own to $DISPLAY, with
 * SubstructureNotify and PropertyChange on the root (windows made, mapped,
 * moved, restacked, destroyed; _NET_CLIENT_LIST, _NET_ACTIVE_WINDOW) and
 * PropertyChange and StructureNotify on each listed window (title, class,
 * state, desktop, transient-for). A burst of such events makes the entry
 * list the windows again with ce_enum_windows_ex on the same display, the
 * enumeration's own pipelined requests, and diff the lists: the records are
 * built by one code path, never two. Events for properties no record reads
 * (_NET_WM_USER_TIME, icons) are ignored, so they cost nothing.
 *
 * Events are selected on a window after it was listed: a change between the
 * list and the selection would be missed, so after selecting on new windows
 * (and a round trip that proves the server applied it) the list is taken
 * once more.
 */
#include "ce_x11_xcb.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <xcb/xcb.h>
#include <xcb/xcbext.h> /* xcb_poll_for_reply */

/* The properties a record reads; a change of any other is ignored. */
static const char *const watched_atoms[] = {"_NET_CLIENT_LIST",
                                            "_NET_CLIENT_LIST_STACKING",
                                            "_NET_ACTIVE_WINDOW",
                                            "_NET_WM_NAME",
                                            "_NET_WM_STATE",
                                            "_NET_WM_DESKTOP",
                                            "_NET_WM_WINDOW_TYPE",
                                            "_NET_WM_PID",
                                            "WM_STATE",
                                            "_NET_CURRENT_DESKTOP"};
#define WATCHED_ATOMS (sizeof watched_atoms / sizeof watched_atoms[0])
/* Predefined: WM_NAME, WM_CLASS, WM_TRANSIENT_FOR, WM_CLIENT_MACHINE. */
static const uint32_t predefined_atoms[] = {39, 67, 68, 36};
#define PREDEFINED_ATOMS (sizeof predefined_atoms / sizeof predefined_atoms[0])

typedef struct ids {
  uint32_t *items;
  size_t count, capacity;
} ids;

typedef struct source {
  xcb_connection_t *c;
  xcb_window_t root;
  unsigned timeout_ms;
  uint32_t atoms[WATCHED_ATOMS + PREDEFINED_ATOMS];
  ids selected; /* windows whose events are selected, sorted */
  ids listed;   /* the windows of the list being taken */
} source;

static int by_id(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

static int broken(source *s) {
  return ce__fail(CE_E_UNAVAILABLE,
                  "X11: the watch's connection to the display broke (error "
                  "%d)",
                  ce__x11_xcb.xcb_connection_has_error(s->c));
}

/* Waits for the reply to `sequence` within the query's timeout (the
 * display may hang); *reply is malloc'ed, NULL for an error. */
static int wait_reply(source *s, unsigned sequence, void **reply) {
  ce__deadline deadline = ce__deadline_start(s->timeout_ms, NULL);
  int fd = ce__x11_xcb.xcb_get_file_descriptor(s->c);
  *reply = NULL;
  if (ce__x11_xcb.xcb_flush(s->c) <= 0)
    return broken(s);
  for (;;) {
    xcb_generic_error_t *error = NULL;
    struct pollfd p = {fd, POLLIN, 0};
    unsigned left;
    if (ce__x11_xcb.xcb_poll_for_reply(s->c, sequence, reply, &error)) {
      free(error);
      return CE_OK;
    }
    if (ce__x11_xcb.xcb_connection_has_error(s->c))
      return broken(s);
    if ((left = ce__deadline_left_ms(&deadline)) == 0)
      return ce__fail(CE_E_TIMEOUT, "X11: the display did not answer the "
                                    "watch within the timeout");
    if (poll(&p, 1, (int)left) < 0 && errno != EINTR)
      return ce__fail(CE_E_UNAVAILABLE, "X11: poll: %s", strerror(errno));
  }
}

static void source_close(void *opaque) {
  source *s = opaque;
  if (s->c != NULL)
    ce__x11_xcb.xcb_disconnect(s->c);
  free(s->selected.items);
  free(s->listed.items);
  free(s);
}

static int intern_atoms(source *s) {
  xcb_intern_atom_cookie_t cookies[WATCHED_ATOMS];
  int status = CE_OK;
  for (size_t i = 0; i < WATCHED_ATOMS; i++)
    cookies[i] = ce__x11_xcb.xcb_intern_atom(
        s->c, 0, (uint16_t)strlen(watched_atoms[i]), watched_atoms[i]);
  /* Interned even when no client used the name yet (only_if_exists 0): a
   * property set later under that name must be recognised. The replies
   * come in order, so waiting for each costs one round trip in all. */
  for (size_t i = 0; i < WATCHED_ATOMS; i++) {
    void *reply = NULL;
    if (status == CE_OK)
      status = wait_reply(s, cookies[i].sequence, &reply);
    s->atoms[i] = reply ? ((xcb_intern_atom_reply_t *)reply)->atom : 0;
    free(reply);
  }
  memcpy(s->atoms + WATCHED_ATOMS, predefined_atoms, sizeof predefined_atoms);
  return status;
}

static int source_open(const void *query, void **out, int *fd) {
  const ce_window_query *q = query;
  uint32_t mask =
      XCB_EVENT_MASK_SUBSTRUCTURE_NOTIFY | XCB_EVENT_MASK_PROPERTY_CHANGE;
  const char *name = getenv("DISPLAY");
  ce__deadline deadline = ce__deadline_start(q->timeout_ms, q->cancel);
  ce__sigpipe guard;
  int status;
  source *s;

  if ((status = ce__x11_load()) != CE_OK)
    return status;
  if (name == NULL || name[0] == '\0')
    return ce__fail(CE_E_UNAVAILABLE,
                    "X11: cannot open display: DISPLAY is not set");
  if ((s = calloc(1, sizeof *s)) == NULL)
    return ce__fail(CE_E_NOMEM, "X11: out of memory");
  s->timeout_ms = q->timeout_ms;
  /* The same connection as the enumeration's: XCB's, opened within the
   * query's timeout (display.c). */
  if ((status = ce__x11_connect(name, &deadline, &s->c, &s->root)) != CE_OK) {
    s->c = NULL;
    source_close(s);
    return status;
  }
  ce__sigpipe_hold(&guard); /* source_settle says why */
  ce__x11_xcb.xcb_change_window_attributes(s->c, s->root, XCB_CW_EVENT_MASK,
                                           &mask);
  status = intern_atoms(s);
  ce__sigpipe_release(&guard);
  if (status != CE_OK) {
    source_close(s);
    return status;
  }
  *out = s;
  *fd = ce__x11_xcb.xcb_get_file_descriptor(s->c);
  return CE_OK;
}

static int watched_atom(const source *s, uint32_t atom) {
  for (size_t i = 0; i < WATCHED_ATOMS + PREDEFINED_ATOMS; i++)
    if (s->atoms[i] == atom && atom != 0)
      return 1;
  return 0;
}

static int source_drain(void *opaque, int *resync) {
  source *s = opaque;
  xcb_generic_event_t *event;
  while ((event = ce__x11_xcb.xcb_poll_for_event(s->c)) != NULL) {
    switch (event->response_type & 0x7f) {
    case 0: /* an error: a window destroyed before our selection reached it */
      break;
    case XCB_PROPERTY_NOTIFY:
      if (watched_atom(s, ((xcb_property_notify_event_t *)event)->atom))
        *resync = 1;
      break;
    case XCB_CREATE_NOTIFY:
    case XCB_DESTROY_NOTIFY:
    case XCB_MAP_NOTIFY:
    case XCB_UNMAP_NOTIFY:
    case XCB_REPARENT_NOTIFY:
    case XCB_CONFIGURE_NOTIFY:
    case XCB_CIRCULATE_NOTIFY:
    case XCB_GRAVITY_NOTIFY:
      *resync = 1;
      break;
    default:
      break;
    }
    free(event);
  }
  if (ce__x11_xcb.xcb_connection_has_error(s->c))
    return broken(s);
  return CE_OK;
}

static void source_observe(void *opaque, const void *record) {
  source *s = opaque;
  const ce_window *w = record;
  /* Out of memory: the window goes unselected this time, and is tried
   * again at the next list. */
  if (ce__grow((void **)&s->listed.items, &s->listed.capacity,
               s->listed.count + 1, sizeof(uint32_t), "X11",
               "windows") == CE_OK)
    s->listed.items[s->listed.count++] = (uint32_t)w->id;
}

/* Selects events on the windows listed for the first time, and makes the
 * listed ones the selected set (windows gone need nothing undone). */
static int select_listed(source *s, int *again) {
  uint32_t mask =
      XCB_EVENT_MASK_PROPERTY_CHANGE | XCB_EVENT_MASK_STRUCTURE_NOTIFY;
  size_t fresh = 0, j = 0;
  ids swap;

  if (s->listed.count > 1)
    qsort(s->listed.items, s->listed.count, sizeof(uint32_t), by_id);
  for (size_t i = 0; i < s->listed.count; i++) {
    uint32_t id = s->listed.items[i];
    while (j < s->selected.count && s->selected.items[j] < id)
      j++;
    if (j < s->selected.count && s->selected.items[j] == id)
      continue;
    ce__x11_xcb.xcb_change_window_attributes(s->c, id, XCB_CW_EVENT_MASK,
                                             &mask);
    fresh++;
  }
  swap = s->selected;
  s->selected = s->listed;
  s->listed = swap;
  s->listed.count = 0;

  if (fresh > 0) {
    /* A round trip: once answered, the server applied the selections. */
    void *reply = NULL;
    int status =
        wait_reply(s, ce__x11_xcb.xcb_get_input_focus(s->c).sequence, &reply);
    free(reply);
    if (status != CE_OK)
      return status;
    *again = 1;
  }
  return CE_OK;
}

/* XCB writes with writev, which raises SIGPIPE on a connection the server
 * closed: held while the watch's requests go out (no callback runs here). */
static int source_settle(void *opaque, int *again) {
  ce__sigpipe guard;
  int status;
  ce__sigpipe_hold(&guard);
  status = select_listed(opaque, again);
  ce__sigpipe_release(&guard);
  return status;
}

const ce__watch_backend ce__x11_watch = {
    "x11",          source_open,   source_drain, NULL,
    source_observe, source_settle, source_close};
