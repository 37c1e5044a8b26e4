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

#include <poll.h>
#include <stdlib.h>
#include <string.h>

int ce__x11_broken(const ce__x11_session *session) {
  return ce__fail(CE_E_UNAVAILABLE,
                  "X11: the connection to the display broke (XCB error %d)",
                  ce__x11_xcb.xcb_connection_has_error(session->connection));
}

size_t ce__x11_batch_add(const ce__x11_session *session, ce__x11_batch *batch,
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
  return batch->count++;
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
 * Never blocks beyond the deadline: XCB reads what the socket has without
 * waiting (xcb_poll_for_reply), and we wait for more with poll() in short
 * slices so that the cancel flag is seen too.
 */
int ce__x11_batch_wait(ce__x11_session *session, ce__x11_batch *batch) {
  xcb_connection_t *c = session->connection;
  int fd = ce__x11_xcb.xcb_get_file_descriptor(c);
  if (ce__x11_xcb.xcb_flush(c) <= 0)
    return ce__x11_broken(session);
  if (batch->failed != CE_OK)
    return batch->failed;
  while (batch->claimed < batch->count) {
    ce__x11_slot *slot = &batch->slots[batch->claimed];
    void *reply = NULL;
    xcb_generic_error_t *error = NULL;
    int status;

    if (slot->sequence == 0) {
      batch->claimed++;
      continue;
    }
    if (ce__x11_xcb.xcb_poll_for_reply(c, slot->sequence, &reply, &error)) {
      if (reply == NULL && error == NULL)
        return ce__x11_broken(session);
      slot->reply = reply;
      slot->error = error ? error->error_code : 0;
      free(error);
      batch->claimed++;
      continue;
    }
    if (ce__x11_xcb.xcb_connection_has_error(c))
      return ce__x11_broken(session);
    status = ce__deadline_check(&session->deadline, "X11");
    if (status != CE_OK)
      return status;
    {
      struct pollfd p = {fd, POLLIN, 0};
      unsigned left = ce__deadline_left_ms(&session->deadline);
      poll(&p, 1,
           (int)(left < CE__X11_POLL_SLICE_MS ? left : CE__X11_POLL_SLICE_MS));
    }
  }
  return CE_OK;
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
