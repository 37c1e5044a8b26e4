/* SPDX-License-Identifier: MIT */
/*
 * The last stage: the requests about each client window (its attributes,
 * its properties and the X-Resource pid of its owner, all in one batch),
 * and the record built from their replies.
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

/*
 * The requests sent about each client window, listed once: the list makes
 * the struct of their slots, and the check that none of them found the
 * window destroyed. send_requests fills every slot by its name.
 */
#define WINDOW_REQUESTS(XX)                                                    \
  XX(attributes) /* the client's own attributes, when it is not the frame */   \
  XX(net_wm_name)                                                              \
  XX(wm_name)                                                                  \
  XX(wm_class)                                                                 \
  XX(net_wm_pid)                                                               \
  XX(net_wm_desktop)                                                           \
  XX(net_wm_state)                                                             \
  XX(net_wm_window_type)                                                       \
  XX(wm_client_machine)                                                        \
  XX(client_ids) /* X-Resource: the pid of the window's owner */

typedef struct window_slots {
#define SLOT_FIELD_(request) size_t request;
  WINDOW_REQUESTS(SLOT_FIELD_)
#undef SLOT_FIELD_
} window_slots;

static const window_slots NO_SLOTS = {
#define NO_SLOT_(request) CE__X11_NO_SLOT,
    WINDOW_REQUESTS(NO_SLOT_)
#undef NO_SLOT_
};

/* Whether any request about the window found it destroyed. */
static int vanished(const ce__x11_batch *batch, const window_slots *slots) {
  return 0
#define BAD_WINDOW_(request)                                                   \
  || ce__x11_batch_error(batch, slots->request) == CE__X11_BAD_WINDOW
      WINDOW_REQUESTS(BAD_WINDOW_)
#undef BAD_WINDOW_
          ;
}

/* Asks X-Resource for the local pid of the client that owns `xid`; 0 (no
 * request) when the server has no X-Resource. */
static unsigned send_pid_query(const ce__x11_session *session, uint32_t xid) {
  xcb_res_client_id_spec_t spec = {xid,
                                   XCB_RES_CLIENT_ID_MASK_LOCAL_CLIENT_PID};
  return session->use_res
             ? ce__x11_xres
                   .xcb_res_query_client_ids(session->connection, 1, &spec)
                   .sequence
             : 0u;
}

/* The local process id in an X-Resource QueryClientIds reply, or -1. */
static int64_t pid_in(const ce__x11_batch *batch, size_t slot) {
  const xcb_res_query_client_ids_reply_t *reply =
      ce__x11_batch_reply(batch, slot);
  const unsigned char *p, *end;
  if (reply == NULL)
    return -1;
  p = (const unsigned char *)(reply + 1);
  end = p + (size_t)reply->length * 4u;
  for (uint32_t i = 0; i < reply->num_ids && end - p >= 12; i++) {
    /* The value's length is in bytes, a multiple of 4. */
    uint32_t mask = ce__x11_item32(p, 1), words = ce__x11_item32(p, 2) / 4;
    p += 12;
    if ((size_t)(end - p) / 4 < words)
      break;
    if ((mask & XCB_RES_CLIENT_ID_MASK_LOCAL_CLIENT_PID) && words >= 1) {
      uint32_t pid = ce__x11_item32(p, 0);
      return pid > 0 && pid <= INT32_MAX ? (int64_t)pid : -1;
    }
    p += (size_t)words * 4;
  }
  return -1;
}

static window_slots send_requests(ce__x11_session *session,
                                  ce__x11_batch *batch, const ce__x11_top *t) {
  const uint32_t *atom = session->atoms.value;
  xcb_window_t w = t->client;
  window_slots slots = NO_SLOTS;
#define ADD(sequence) ce__x11_batch_add(session, batch, (sequence))
#define GET_PROPERTY(name, type, words)                                        \
  ADD(ce__x11_send_get_property(session, w, (name), (type), (words)))

  if (t->dead)
    return slots;
  if (w != t->frame)
    slots.attributes = ADD(
        ce__x11_xcb.xcb_get_window_attributes(session->connection, w).sequence);
  slots.net_wm_name = GET_PROPERTY(atom[CE_X11__NET_WM_NAME],
                                   atom[CE_X11_UTF8_STRING], TITLE_WORDS);
  slots.wm_name =
      GET_PROPERTY(CE_X11_XA_WM_NAME, XCB_GET_PROPERTY_TYPE_ANY, TITLE_WORDS);
  slots.wm_class =
      GET_PROPERTY(CE_X11_XA_WM_CLASS, XCB_GET_PROPERTY_TYPE_ANY, CLASS_WORDS);
  slots.net_wm_pid =
      GET_PROPERTY(atom[CE_X11__NET_WM_PID], CE_X11_XA_CARDINAL, 1);
  slots.net_wm_desktop =
      GET_PROPERTY(atom[CE_X11__NET_WM_DESKTOP], CE_X11_XA_CARDINAL, 1);
  slots.net_wm_state =
      GET_PROPERTY(atom[CE_X11__NET_WM_STATE], CE_X11_XA_ATOM, ATOM_LIST_WORDS);
  slots.net_wm_window_type = GET_PROPERTY(atom[CE_X11__NET_WM_WINDOW_TYPE],
                                          CE_X11_XA_ATOM, ATOM_LIST_WORDS);
  slots.wm_client_machine = GET_PROPERTY(CE_X11_XA_WM_CLIENT_MACHINE,
                                         CE_X11_XA_STRING, MACHINE_WORDS);
  slots.client_ids = ADD(send_pid_query(session, w));
#undef GET_PROPERTY
#undef ADD
  return slots;
}

/* What tells whether a pid a window reports is one of ours: the same for
 * every window of one enumeration. */
typedef struct local_host {
  /* The server gave our own connection our own pid: it runs on this host,
   * in our pid namespace, so the pids it gives are ours to look up. */
  int server_shares_pids;
  char hostname[256]; /* ours, to compare with WM_CLIENT_MACHINE */
} local_host;

/* `own_pid_slot` holds the X-Resource pid of our own connection. */
static local_host find_local_host(const ce__x11_batch *batch,
                                  size_t own_pid_slot) {
  local_host host;
  host.server_shares_pids = pid_in(batch, own_pid_slot) == (int64_t)getpid();
  if (gethostname(host.hostname, sizeof host.hostname) != 0)
    host.hostname[0] = '\0';
  host.hostname[sizeof host.hostname - 1] = '\0';
  return host;
}

/* Whether WM_CLIENT_MACHINE names this host: then _NET_WM_PID is a pid of
 * ours (EWMH ties the two together). Trailing NULs are tolerated. */
static int on_this_host(const local_host *host, ce__x11_value machine) {
  size_t len = machine.length;
  if (machine.type != CE_X11_TYPE_STRING || machine.format != 8 ||
      host->hostname[0] == '\0')
    return 0;
  while (len > 0 && ((const char *)machine.bytes)[len - 1] == '\0')
    len--;
  return len == strlen(host->hostname) &&
         memcmp(machine.bytes, host->hostname, len) == 0;
}

static const char *read_exe(ce__arena *arena, int64_t pid) {
  char path[64], target[4096];
  ssize_t n;
  if (pid <= 0)
    return "";
  snprintf(path, sizeof path, "/proc/%lld/exe", (long long)pid);
  n = readlink(path, target, sizeof target);
  return n > 0 ? ce__arena_utf8(arena, target, (size_t)n, CE__CAP_NAME) : "";
}

/* What one record is built from. */
typedef struct record_input {
  const ce__x11_session *session;
  const ce__x11_listing *listing;
  const ce__x11_batch *batch;
  const local_host *host;
  const ce_window_query *query;
} record_input;

/*
 * Builds the record of top `t`, whose requests are in `slots`: CE_OK when
 * `w` is ready, CE__SKIP when the window is filtered out or was destroyed
 * meanwhile, or a negative status with its detail.
 */
static int make_record(const record_input *in, const ce__x11_top *t,
                       const window_slots *slots, ce__arena *arena,
                       ce_window *w) {
  const ce__x11_session *session = in->session;
  const ce__x11_batch *batch = in->batch;
  const xcb_get_window_attributes_reply_t *attributes;
  ce__x11_value v;
  int listed, viewable, pid_is_ours, on_host;
  int64_t claimed_pid;
  unsigned state;
  ce__x11_window_type type;

  if (t->dead || vanished(batch, slots))
    return CE__SKIP; /* destroyed between the search and now */
  attributes = ce__x11_batch_reply(batch, slots->attributes);
  if (t->client != t->frame && attributes == NULL)
    return CE__SKIP;
  viewable = t->client == t->frame
                 ? t->frame_viewable
                 : attributes->map_state == XCB_MAP_STATE_VIEWABLE;
  if (in->query->visible_only && !viewable)
    return CE__SKIP;

  listed = ce__x11_listed(in->listing, t->client);
  v = ce__x11_value_in(session, batch, slots->net_wm_state);
  state = ce__x11_decode_net_wm_state(&session->atoms, v.type, v.format,
                                      v.bytes, v.length);
  v = ce__x11_value_in(session, batch, slots->net_wm_window_type);
  type = ce__x11_decode_window_type(&session->atoms, v.type, v.format, v.bytes,
                                    v.length);
  if (in->query->apps_only &&
      (!listed || (state & CE_X11_STATE_SKIP_TASKBAR) ||
       (type != CE_X11_WINDOW_TYPE_UNSET && type != CE_X11_WINDOW_TYPE_NORMAL &&
        type != CE_X11_WINDOW_TYPE_DIALOG)))
    return CE__SKIP;

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

  /* The server knows which process holds the connection that created the
   * window; _NET_WM_PID is only what the client says. Either may be a pid of
   * another machine (a remote display, a remote client) or of another pid
   * namespace: /proc is read only when the pid is known to be one of ours
   * (the server shares our pids, or the client runs on this host by its
   * WM_CLIENT_MACHINE and says the same pid), so exe never names an
   * unrelated local process. */
  v = ce__x11_value_in(session, batch, slots->net_wm_pid);
  claimed_pid = ce__x11_decode_pid(v.type, v.format, v.bytes, v.length);
  on_host = on_this_host(
      in->host, ce__x11_value_in(session, batch, slots->wm_client_machine));
  w->pid = session->use_res ? pid_in(batch, slots->client_ids) : -1;
  if (w->pid >= 0) {
    pid_is_ours =
        in->host->server_shares_pids || (on_host && claimed_pid == w->pid);
  } else {
    w->pid = claimed_pid;
    pid_is_ours = on_host;
  }
  w->exe = pid_is_ours ? read_exe(arena, w->pid) : "";
  if (w->exe == NULL)
    return ce__fail(CE_E_NOMEM, "X11: out of memory for a record");

  w->x = t->left;
  w->y = t->top;
  w->width = t->width;
  w->height = t->height;
  v = ce__x11_value_in(session, batch, slots->net_wm_desktop);
  w->desktop = ce__x11_decode_desktop(v.type, v.format, v.bytes, v.length);
  w->visible = viewable != 0;
  w->minimized =
      t->wm_state == CE_X11_ICONIC_STATE || (state & CE_X11_STATE_HIDDEN);
  /* Managed: the window manager lists it, or reparented it into a frame and
   * gave it WM_STATE. */
  w->managed = listed || t->client != t->frame;
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
  size_t own_pid_slot;
  local_host host;
  record_input in;
  int status;

  if (slots == NULL)
    return ce__fail(CE_E_NOMEM, "X11: out of memory for %zu windows",
                    listing->count);
  for (size_t i = 0; i < listing->count && batch.failed == CE_OK; i++)
    slots[i] = send_requests(session, &batch, &listing->tops[i]);
  /* Our own connection's pid, as the server sees it (any XID of our range
   * names our client). */
  own_pid_slot = ce__x11_batch_add(
      session, &batch,
      send_pid_query(
          session,
          ce__x11_xcb.xcb_get_setup(session->connection)->resource_id_base));
  status = ce__x11_batch_wait(session, &batch);
  host = find_local_host(&batch, own_pid_slot);
  in = (record_input){session, listing, &batch, &host, query};

  /* QueryTree lists children bottom-most first. */
  for (size_t i = listing->count; status == CE_OK && i-- > 0;) {
    ce_window w;
    int built;
    if ((status = ce__cancel_check(&session->deadline, "X11")) != CE_OK)
      break;
    built = make_record(&in, &listing->tops[i], &slots[i], &arena, &w);
    status = ce__delivered(built, built == CE_OK ? fn(&w, ctx) : CE_CONTINUE,
                           &arena);
  }
  ce__arena_free(&arena);
  ce__x11_batch_free(session, &batch);
  free(slots);
  return status;
}
