/* SPDX-License-Identifier: MIT */
/* What the Wayland backend decodes of the compositor's events by hand. */
#include "ce_wayland.h"

#include <string.h>

unsigned ce__wl_decode_states(const void *data, size_t size) {
  const unsigned char *bytes = data;
  unsigned bits = 0;
  /* The array holds uint32_t values in the compositor's byte order, which
   * is ours (Wayland runs over local sockets only). */
  for (size_t at = 0; data != NULL && size - at >= sizeof(uint32_t);
       at += sizeof(uint32_t)) {
    uint32_t value;
    memcpy(&value, bytes + at, sizeof value);
    if (value < 4)
      bits |= 1u << value;
  }
  return bits;
}

uint64_t ce__wl_identifier_id(const char *identifier, size_t length) {
  uint64_t hash = 14695981039346656037ull;
  for (size_t i = 0; i < length; i++) {
    hash ^= (unsigned char)identifier[i];
    hash *= 1099511628211ull;
  }
  return hash != 0 ? hash : 1;
}
