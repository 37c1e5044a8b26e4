/* SPDX-License-Identifier: MIT */
/*
 * The request batch every stage sends through: requests go out as the stage
 * makes them, and their replies are collected together, so a stage costs one
 * round trip however many requests it sends.
 *
 * Every request is a "checked" one (XCB's default for requests with a
 * reply), so an X error, such as BadWindow for a window destroyed meanwhile,
 * comes back to us in place of its reply. The "_unchecked" forms would put
 * it in the event queue, where Xlib would hand it to the program's error
 * handler; we never touch that handler.
 */
#include "ce_x11_xcb.h"

#include <linux/sockios.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

int ce__x11_broken(const ce__x11_session *session) {
  return ce__fail(CE_E_UNAVAILABLE,
                  "X11: the connection to the display broke (XCB error %d)",
                  ce__x11_xcb.xcb_connection_has_error(session->connection));
}

/*
 * Collects the replies that have come, in slot order, without waiting:
 * xcb_poll_for_reply reads what the socket holds. CE_OK, or a broken
 * connection.
 */
static int collect(ce__x11_session *session, ce__x11_batch *batch) {
  xcb_connection_t *c = session->connection;
  while (batch->claimed < batch->count) {
    ce__x11_slot *slot = &batch->slots[batch->claimed];
    void *reply = NULL;
    xcb_generic_error_t *error = NULL;
    if (slot->sequence != 0 &&
        !ce__x11_xcb.xcb_poll_for_reply(c, slot->sequence, &reply, &error))
      break;
    if (slot->sequence != 0 && reply == NULL && error == NULL)
      return ce__x11_broken(session);
    slot->reply = reply;
    slot->error = error ? error->error_code : 0;
    free(error);
    batch->claimed++;
  }
  return ce__x11_xcb.xcb_connection_has_error(c) ? ce__x11_broken(session)
                                                 : CE_OK;
}

/* One slice of waiting for the server, `events` being POLLIN, POLLOUT or
 * both; CE_OK when the time is not up. */
static int wait_slice(ce__x11_session *session, short events) {
  struct pollfd p = {session->fd, events, 0};
  int status = ce__deadline_check(&session->deadline, "X11");
  if (status == CE_OK)
    poll(&p, 1, (int)ce__deadline_slice_ms(&session->deadline));
  return status;
}

/*
 * Whether XCB can hand the kernel another output buffer without waiting.
 * XCB writes its buffer (16 KiB) when it fills, after waiting with no
 * timeout until poll() says the socket is writable; a server that stops
 * reading our requests (grabbed by another client) would hold us there
 * for as long as it likes. So the stages send no more, and read replies
 * meanwhile, while the kernel's send queue (SIOCOUTQ) leaves less than
 * that buffer and one more chunk of requests below the point where poll()
 * stops saying writable: a quarter of the send buffer for a Unix socket,
 * two thirds of it for TCP (the kernels' unix_writable and
 * sk_stream_is_writeable rules).
 */
enum {
  ROOM_CHECK_EVERY = 256,                /* requests between two checks */
  ROOM_NEEDED = 16384 + 256 * 32 + 4096, /* XCB's buffer, a chunk, slack */
};

static int has_room(const ce__x11_session *session) {
  int queued = 0, size = 0, domain = AF_UNIX, budget;
  socklen_t len = sizeof size, domain_len = sizeof domain;
  if (ioctl(session->fd, SIOCOUTQ, &queued) != 0 ||
      getsockopt(session->fd, SOL_SOCKET, SO_SNDBUF, &size, &len) != 0)
    return 1; /* cannot tell: send, as XCB would */
  getsockopt(session->fd, SOL_SOCKET, SO_DOMAIN, &domain, &domain_len);
  budget = domain == AF_UNIX ? size / 4 : size / 3 * 2;
  /* A send buffer too small for the rule (TCP starts small and grows as
   * data flows) waits only until it is empty. */
  return budget >= ROOM_NEEDED ? budget - queued >= ROOM_NEEDED : queued == 0;
}

/* Waits, within the deadline, until the kernel has room for what XCB may
 * write next, collecting replies meanwhile. */
static int make_room(ce__x11_session *session, ce__x11_batch *batch) {
  int status = CE_OK;
  while (status == CE_OK && !has_room(session) &&
         (status = wait_slice(session, POLLIN)) == CE_OK)
    status = collect(session, batch);
  return status;
}

size_t ce__x11_batch_add(ce__x11_session *session, ce__x11_batch *batch,
                         unsigned sequence) {
  void *slots = batch->slots;
  int status = batch->failed;
  if (status == CE_OK)
    status = ce__grow(&slots, &batch->capacity, batch->count + 1,
                      sizeof *batch->slots, "X11", "requests");
  batch->slots = slots;
  if (status != CE_OK) {
    batch->failed = status;
    if (sequence != 0)
      ce__x11_xcb.xcb_discard_reply(session->connection, sequence);
    return CE__X11_NO_SLOT;
  }
  batch->slots[batch->count] = (ce__x11_slot){sequence, 0, NULL};
  if (++batch->count % ROOM_CHECK_EVERY == 0)
    batch->failed = make_room(session, batch);
  return batch->count - 1;
}

const void *ce__x11_batch_reply(const ce__x11_batch *batch, size_t slot) {
  return slot < batch->count ? batch->slots[slot].reply : NULL;
}

uint8_t ce__x11_batch_error(const ce__x11_batch *batch, size_t slot) {
  return slot < batch->count ? batch->slots[slot].error : 0;
}

void ce__x11_batch_free(const ce__x11_session *session, ce__x11_batch *batch) {
  for (size_t i = batch->claimed; i < batch->count; i++)
    if (batch->slots[i].sequence != 0)
      ce__x11_xcb.xcb_discard_reply(session->connection,
                                    batch->slots[i].sequence);
  for (size_t i = 0; i < batch->count; i++)
    free(batch->slots[i].reply);
  free(batch->slots);
  *batch = (ce__x11_batch)CE__X11_BATCH_INIT;
}

/*
 * Never blocks beyond the deadline: the flush waits for room first, so it
 * cannot block, and we wait for replies with poll() in short slices so that
 * the cancel flag is seen too.
 */
int ce__x11_batch_wait(ce__x11_session *session, ce__x11_batch *batch) {
  int status = batch->failed;
  if (status == CE_OK)
    status = make_room(session, batch);
  if (status == CE_OK && ce__x11_xcb.xcb_flush(session->connection) <= 0)
    status = ce__x11_broken(session);
  while (status == CE_OK && (status = collect(session, batch)) == CE_OK &&
         batch->claimed < batch->count)
    status = wait_slice(session, POLLIN);
  return status;
}

unsigned ce__x11_send_get_property(const ce__x11_session *session,
                                   xcb_window_t window, uint32_t name,
                                   uint32_t type, uint32_t words) {
  return name ? ce__x11_xcb
                    .xcb_get_property(session->connection, 0, window, name,
                                      type, 0, words)
                    .sequence
              : 0u;
}

ce__x11_value ce__x11_value_in(const ce__x11_session *session,
                               const ce__x11_batch *batch, size_t slot) {
  const xcb_get_property_reply_t *reply = ce__x11_batch_reply(batch, slot);
  ce__x11_value value = {CE_X11_TYPE_NONE, 0, NULL, 0};
  size_t unit, have;
  if (reply == NULL || reply->type == XCB_NONE)
    return value;
  value.type = ce__x11_type_of(&session->atoms, reply->type);
  value.format = reply->format;
  unit = reply->format / 8u;
  have = (size_t)reply->length * 4u;
  if ((unit == 1 || unit == 2 || unit == 4) &&
      reply->value_len <= have / unit) {
    value.bytes = reply + 1;
    value.length = (size_t)reply->value_len * unit;
  }
  return value;
}
