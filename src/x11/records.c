/* SPDX-License-Identifier: MIT */
/*
 * The last stage: the requests about each client window (its attributes and
 * properties) and the one that every record depends on (the window
 * manager's check window), all in one batch, for the windows the search did
 * not already ask about (search.c sends them ahead for the clients a window
 * manager lists); then the record of each window, built from their
 * replies. X-Resource's pids came with the root's
 * properties (search.c), one request for all clients.
 */
#include "ce_x11_xcb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
  /* A title is capped at CE__CAP_TITLE bytes of UTF-8; a longer property is
   * read only that far (its bytes_after is left unread). */
  TITLE_WORDS = CE__CAP_TITLE / 4,
  CLASS_WORDS = 2 * CE__CAP_NAME / 4,
  ATOM_LIST_WORDS = 64,
  MACHINE_WORDS = 64 /* a host name has at most 255 bytes */
};

typedef ce__x11_window_slots window_slots;

static const window_slots NO_SLOTS = {
#define NO_SLOT_(request) CE__X11_NO_SLOT,
    CE__X11_WINDOW_REQUESTS(NO_SLOT_)
#undef NO_SLOT_
};

/* Whether any request about the window found it destroyed. */
static int vanished(const ce__x11_batch *batch, const window_slots *slots) {
  return 0
#define BAD_WINDOW_(request)                                                   \
  || ce__x11_batch_error(batch, slots->request) == CE__X11_BAD_WINDOW
      CE__X11_WINDOW_REQUESTS(BAD_WINDOW_)
#undef BAD_WINDOW_
          ;
}

/* The pid of the window's owner by the server's word, when that word is a
 * pid of ours (the server gave our own connection our own pid: it runs on
 * this host, in our pid namespace); else 0. */
static int64_t server_pid_of(const ce__x11_listing *listing, xcb_window_t w) {
  int64_t pid =
      listing->server_shares_pids ? ce__x11_owner_pid(listing, w) : -1;
  return pid > 0 ? pid : 0;
}

/* Whether the query asks for the field (ce_window_query.fields). */
static int wants(const ce_window_query *query, uint64_t field) {
  return query->fields == CE_WINDOW_FIELDS_ALL || (query->fields & field);
}

/* docs/backends.md lists what each field costs. */
window_slots ce__x11_send_record_requests(ce__x11_session *session,
                                          const ce__x11_listing *listing,
                                          const ce_window_query *query,
                                          ce__x11_batch *batch, xcb_window_t w,
                                          int w_is_frame) {
  const uint32_t *atom = session->atoms.value;
  window_slots slots = NO_SLOTS;
#define ADD(sequence) ce__x11_batch_add(session, batch, (sequence))
#define GET_PROPERTY(name, type, words)                                        \
  ADD(ce__x11_send_get_property(session, w, (name), (type), (words)))

  if (!w_is_frame &&
      (query->visible_only || wants(query, CE_WINDOW_FIELD_VISIBLE)))
    slots.attributes = ADD(
        ce__x11_xcb.xcb_get_window_attributes(session->connection, w).sequence);
  if (wants(query, CE_WINDOW_FIELD_TITLE)) {
    slots.net_wm_name = GET_PROPERTY(atom[CE_X11__NET_WM_NAME],
                                     atom[CE_X11_UTF8_STRING], TITLE_WORDS);
    slots.wm_name =
        GET_PROPERTY(CE_X11_XA_WM_NAME, XCB_GET_PROPERTY_TYPE_ANY, TITLE_WORDS);
  }
  if (wants(query, CE_WINDOW_FIELD_CLASS))
    slots.wm_class = GET_PROPERTY(CE_X11_XA_WM_CLASS, XCB_GET_PROPERTY_TYPE_ANY,
                                  CLASS_WORDS);
  /* _NET_WM_PID and WM_CLIENT_MACHINE decide the pid only when the server's
   * word cannot (make_record), which is known before this stage. */
  if (wants(query, CE_WINDOW_FIELD_PID) && !server_pid_of(listing, w)) {
    slots.net_wm_pid =
        GET_PROPERTY(atom[CE_X11__NET_WM_PID], CE_X11_XA_CARDINAL, 1);
    slots.wm_client_machine = GET_PROPERTY(CE_X11_XA_WM_CLIENT_MACHINE,
                                           CE_X11_XA_STRING, MACHINE_WORDS);
  }
  if (wants(query, CE_WINDOW_FIELD_DESKTOP))
    slots.net_wm_desktop =
        GET_PROPERTY(atom[CE_X11__NET_WM_DESKTOP], CE_X11_XA_CARDINAL, 1);
  if (query->apps_only || wants(query, CE_WINDOW_FIELD_MINIMIZED))
    slots.net_wm_state = GET_PROPERTY(atom[CE_X11__NET_WM_STATE],
                                      CE_X11_XA_ATOM, ATOM_LIST_WORDS);
  /* The window type decides only the task-list filter. */
  if (query->apps_only)
    slots.net_wm_window_type = GET_PROPERTY(atom[CE_X11__NET_WM_WINDOW_TYPE],
                                            CE_X11_XA_ATOM, ATOM_LIST_WORDS);
  if (query->apps_only || wants(query, CE_WINDOW_FIELD_TRANSIENT_FOR))
    slots.wm_transient_for =
        GET_PROPERTY(CE_X11_XA_WM_TRANSIENT_FOR, CE_X11_XA_WINDOW, 1);
#undef GET_PROPERTY
#undef ADD
  return slots;
}

/* What every record of one enumeration depends on: found once, when the
 * last stage's replies are in (find_facts), and passed to each record. */
typedef struct shared_facts {
  char hostname[256]; /* ours, to compare with WM_CLIENT_MACHINE */
  /* A window manager that follows EWMH runs, and says it sets
   * _NET_WM_STATE_HIDDEN on the windows it minimizes. */
  int hidden_means_minimized;
  /* The root's _NET_ACTIVE_WINDOW, when such a window manager runs; 0
   * otherwise (a property left behind by one that exited is stale). */
  xcb_window_t active_window;
} shared_facts;

size_t ce__x11_send_facts_request(ce__x11_session *session,
                                  const ce__x11_listing *listing,
                                  ce__x11_batch *batch) {
  return ce__x11_batch_add(
      session, batch,
      listing->wm_check
          ? ce__x11_send_get_property(
                session, listing->wm_check,
                session->atoms.value[CE_X11__NET_SUPPORTING_WM_CHECK],
                CE_X11_XA_WINDOW, 1)
          : 0u);
}

static shared_facts find_facts(const ce__x11_session *session,
                               const ce__x11_listing *listing,
                               const ce__x11_batch *batch, size_t slot) {
  shared_facts facts;
  /* The check window's own _NET_SUPPORTING_WM_CHECK. */
  ce__x11_value v = ce__x11_value_in(session, batch, slot);
  /* EWMH: the root's _NET_SUPPORTING_WM_CHECK names a child window of the
   * window manager that names itself the same way; a stale property left
   * by a window manager that exited names a window that is gone. */
  int ewmh_wm = listing->wm_check != 0 &&
                ce__x11_decode_window(v.type, v.format, v.bytes, v.length) ==
                    listing->wm_check;
  if (gethostname(facts.hostname, sizeof facts.hostname) != 0)
    facts.hostname[0] = '\0';
  facts.hostname[sizeof facts.hostname - 1] = '\0';
  facts.hidden_means_minimized = ewmh_wm && listing->wm_supports_hidden;
  facts.active_window = ewmh_wm ? listing->active_window : 0;
  return facts;
}

/* Whether WM_CLIENT_MACHINE names this host: then _NET_WM_PID is a pid of
 * ours (EWMH ties the two together). Trailing NULs are tolerated. */
static int on_this_host(const shared_facts *facts, ce__x11_value machine) {
  size_t len = machine.length;
  if (machine.type != CE_X11_TYPE_STRING || machine.format != 8 ||
      facts->hostname[0] == '\0')
    return 0;
  while (len > 0 && ((const char *)machine.bytes)[len - 1] == '\0')
    len--;
  return len == strlen(facts->hostname) &&
         memcmp(machine.bytes, facts->hostname, len) == 0;
}

/* What one record is built from. */
typedef struct record_input {
  const ce__x11_session *session;
  const ce__x11_listing *listing;
  const shared_facts *facts;
  const ce_window_query *query;
  ce__exe_cache *exe;
} record_input;

/*
 * Builds the record of top `t`, whose requests are in `slots` of `batch`:
 * CE_OK when `w` is ready, CE__SKIP when the window is filtered out or was
 * destroyed meanwhile, or a negative status with its detail.
 */
static int make_record(const record_input *in, const ce__x11_top *t,
                       const ce__x11_batch *batch, const window_slots *slots,
                       ce__arena *arena, ce_window *w) {
  const ce__x11_session *session = in->session;
  const xcb_get_window_attributes_reply_t *attributes;
  ce__x11_value v;
  int listed, viewable;
  int64_t claimed_pid, server_pid;
  unsigned state;
  xcb_window_t transient_for;

  if (t->dead || vanished(batch, slots))
    return CE__SKIP; /* destroyed between the search and now */
  attributes = ce__x11_batch_reply(batch, slots->attributes);
  if (slots->attributes != CE__X11_NO_SLOT && attributes == NULL)
    return CE__SKIP;
  /* Unknown (and not reported) when the query did not ask for it. */
  viewable = t->client == t->frame ? t->frame_viewable
             : attributes != NULL
                 ? attributes->map_state == XCB_MAP_STATE_VIEWABLE
                 : 0;
  if (in->query->visible_only && !viewable)
    return CE__SKIP;

  listed = ce__x11_listed(in->listing, t->client);
  v = ce__x11_value_in(session, batch, slots->net_wm_state);
  state = ce__x11_decode_net_wm_state(&session->atoms, v.type, v.format,
                                      v.bytes, v.length);
  v = ce__x11_value_in(session, batch, slots->wm_transient_for);
  transient_for = ce__x11_decode_window(v.type, v.format, v.bytes, v.length);
  if (transient_for == t->client)
    transient_for = 0; /* transient for itself: for nothing (libwnck) */
  if (in->query->apps_only) {
    v = ce__x11_value_in(session, batch, slots->net_wm_window_type);
    if (!listed ||
        !ce__x11_in_task_list(
            ce__x11_decode_window_type(&session->atoms, v.type, v.format,
                                       v.bytes, v.length),
            state, transient_for != 0,
            transient_for != 0 && ce__x11_listed(in->listing, transient_for)))
      return CE__SKIP;
  }

  memset(w, 0, sizeof *w);
  w->size = sizeof *w;
  w->id = t->client;
  v = ce__x11_value_in(session, batch, slots->net_wm_name);
  if (v.type != CE_X11_TYPE_UTF8_STRING || v.format != 8)
    v = ce__x11_value_in(session, batch, slots->wm_name);
  w->title = ce__x11_decode_text(arena, v.type, v.format, v.bytes, v.length,
                                 CE__CAP_TITLE);
  v = ce__x11_value_in(session, batch, slots->wm_class);
  if (ce__x11_decode_class(arena, v.type, v.format, v.bytes, v.length,
                           &w->instance, &w->class_name) != CE_OK ||
      w->title == NULL)
    return ce__fail(CE_E_NOMEM, "X11: out of memory for a record");

  /* The pid must name the process in our own pid namespace, or be -1. The
   * server knows which process holds the connection that created the
   * window, but as a pid of its own namespace: it is ours only when the
   * server gave our own connection our own pid. Else the client's own word,
   * _NET_WM_PID, names a process of ours when its WM_CLIENT_MACHINE is this
   * host (EWMH ties the two together). Any other pid (of another machine,
   * or of a pid namespace we cannot see into) would name an unrelated
   * process here: -1. */
  v = ce__x11_value_in(session, batch, slots->net_wm_pid);
  claimed_pid = ce__x11_decode_pid(v.type, v.format, v.bytes, v.length);
  server_pid = server_pid_of(in->listing, t->client);
  if (server_pid > 0)
    w->pid = server_pid;
  else if (claimed_pid > 0 &&
           on_this_host(in->facts, ce__x11_value_in(session, batch,
                                                    slots->wm_client_machine)))
    w->pid = claimed_pid;
  else
    w->pid = -1;
  w->exe = wants(in->query, CE_WINDOW_FIELD_PID)
               ? ce__read_exe_cached(arena, in->exe, w->pid)
               : "";
  if (w->exe == NULL)
    return ce__fail(CE_E_NOMEM, "X11: out of memory for a record");

  w->x = t->left;
  w->y = t->top;
  w->width = t->width;
  w->height = t->height;
  v = ce__x11_value_in(session, batch, slots->net_wm_desktop);
  w->desktop = ce__x11_decode_desktop(v.type, v.format, v.bytes, v.length);
  w->visible = viewable != 0;
  /* Window managers also set WM_STATE Iconic on windows that are only on
   * another desktop or shaded; one that follows EWMH says "minimized" with
   * _NET_WM_STATE_HIDDEN (libwnck's is_minimized). Iconic decides only
   * without such a window manager. */
  w->minimized = in->facts->hidden_means_minimized
                     ? (state & CE_X11_STATE_HIDDEN) != 0
                     : t->wm_state == CE_X11_ICONIC_STATE;
  /* Managed: the window manager lists it, or reparented it into a frame and
   * gave it WM_STATE. */
  w->managed = listed || t->client != t->frame;
  w->transient_for = transient_for;
  /* Each client is the client of one top only, so at most one record has
   * the active window's id. */
  w->focused =
      in->facts->active_window != 0 && t->client == in->facts->active_window;
  return CE_OK;
}

int ce__x11_stage_deliver(ce__x11_session *session,
                          const ce__x11_listing *listing,
                          const ce_window_query *query, ce_window_fn fn,
                          void *ctx) {
  ce__arena arena = CE__ARENA_INIT;
  ce__x11_batch batch = CE__X11_BATCH_INIT;
  window_slots *slots =
      malloc((listing->count ? listing->count : 1) * sizeof *slots);
  /* Most records of a desktop share a few pids: /proc is read once each. */
  ce__exe_cache *exe = malloc(sizeof *exe);
  size_t wm_check_slot = listing->wm_check_slot;
  const ce__x11_batch *facts_batch = &listing->ahead;
  shared_facts facts;
  record_input in;
  ce__sigpipe pipe_guard;
  int status;

  if (slots == NULL || exe == NULL) {
    free(slots);
    free(exe);
    return ce__fail(CE_E_NOMEM, "X11: out of memory for %zu windows",
                    listing->count);
  }
  exe->pid = 0;
  ce__sigpipe_hold(&pipe_guard); /* windows.c says why */
  /* Only what the search did not ask ahead: with nothing to send, the wait
   * below costs no round trip. */
  for (size_t i = 0; i < listing->count && batch.failed == CE_OK; i++) {
    const ce__x11_top *t = &listing->tops[i];
    slots[i] =
        t->dead || t->ahead != CE__X11_NO_SLOT
            ? NO_SLOTS
            : ce__x11_send_record_requests(session, listing, query, &batch,
                                           t->client, t->client == t->frame);
  }
  if (wm_check_slot == CE__X11_NO_SLOT) {
    wm_check_slot = ce__x11_send_facts_request(session, listing, &batch);
    facts_batch = &batch;
  }
  status = ce__x11_batch_wait(session, &batch);
  ce__sigpipe_release(&pipe_guard);
  facts = find_facts(session, listing, facts_batch, wm_check_slot);
  in = (record_input){session, listing, &facts, query, exe};

  /* QueryTree lists children bottom-most first. */
  for (size_t i = listing->count; status == CE_OK && i-- > 0;) {
    const ce__x11_top *t = &listing->tops[i];
    ce_window w;
    int built;
    if ((status = ce__cancel_check(&session->deadline, "X11")) != CE_OK)
      break;
    built = t->ahead != CE__X11_NO_SLOT
                ? make_record(&in, t, &listing->ahead,
                              &listing->ahead_slots[t->ahead], &arena, &w)
                : make_record(&in, t, &batch, &slots[i], &arena, &w);
    status = ce__delivered(built, built == CE_OK ? fn(&w, ctx) : CE_CONTINUE,
                           &arena);
  }
  ce__arena_free(&arena);
  ce__x11_batch_free(session, &batch);
  free(slots);
  free(exe);
  return status;
}
