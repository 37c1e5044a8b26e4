/* SPDX-License-Identifier: MIT */
/*
 * What the Wayland backend decodes by hand (src/wayland/sway.c and
 * decode.c): any get_tree reply sway's socket could send reads without a
 * fault into views whose strings are valid UTF-8 within their caps, or into
 * a failure with its detail; any state array gives known bits only.
 *
 * Input: byte 0 picks the decoder (even: the sway tree, odd: the wlr state
 * array and the ext identifier); the rest is what the compositor sent.
 */
#include "fuzz_check.h"
#include "wayland/ce_wayland.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  if (data[0] % 2 == 0) {
    ce__sway_views views;
    int status;
    memset(&views, 0, sizeof views);
    status = ce__sway_parse_tree((const char *)data + 1, size - 1, &views);
    if (status != CE_OK && status != CE_E_BACKEND && status != CE_E_NOMEM)
      abort();
    if (status != CE_OK && ce_error_detail()[0] == '\0')
      abort();
    for (size_t i = 0; i < views.count; i++) {
      const ce__sway_view *v = &views.views[i];
      fuzz_check_string(v->name, CE__CAP_TITLE);
      fuzz_check_string(v->app_id, CE__CAP_NAME);
      if (v->pid == 0 || v->pid < -1)
        abort();
    }
    ce__sway_free(&views);
  } else {
    unsigned bits = ce__wl_decode_states(data + 1, size - 1);
    if (bits & ~0xFu)
      abort();
    if (ce__wl_identifier_id((const char *)data + 1, size - 1) == 0)
      abort();
  }
  return 0;
}
