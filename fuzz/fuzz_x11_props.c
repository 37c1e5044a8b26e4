/* SPDX-License-Identifier: MIT */
/*
 * The X11 property decoders (src/x11/props.c), and the Xauthority file's
 * reader (src/x11/xauth.c) on the same bytes: whatever another client
 * stored in a property, with any type, format and length, decodes without a
 * fault into valid UTF-8 within its cap, or into a value in its range.
 *
 * Input: byte 0 picks the type (a ce__x11_type), byte 1 the format (8, 16,
 * 32, or the byte itself), byte 2 the text cap; the rest is the property.
 */
#include "fuzz_check.h"
#include "x11/ce_x11.h"

#include <stdlib.h>
#include <string.h>

/* Fixed, distinct atom values, as a server would have interned them; 0 is
 * one of them (an atom the server does not know), as on a real display. */
static void fill_atoms(ce__x11_atoms *atoms) {
  for (int i = 0; i < CE_X11_ATOM_COUNT; i++)
    atoms->value[i] = 300u + (uint32_t)i;
  atoms->value[CE_X11__NET_WM_WINDOW_TYPE_COMBO] = 0;
}

static void check_text(const char *s, size_t cap) {
  size_t len;
  if (s == NULL)
    abort(); /* only when out of memory, which a fuzzer run is not */
  len = strlen(s);
  if (len > cap)
    abort();
  fuzz_assert_utf8(s, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const int formats[] = {8, 16, 32};
  ce__arena arena = CE__ARENA_INIT;
  ce__x11_atoms atoms;
  ce__x11_type type;
  const char *instance, *class_name;
  const uint8_t *bytes;
  size_t length, cap;
  int format;

  if (size < 3)
    return 0;
  fill_atoms(&atoms);
  type = (ce__x11_type)(data[0] % (CE_X11_TYPE_WM_STATE + 1));
  format = data[1] < 3 * 64 ? formats[data[1] % 3] : data[1];
  /* Small caps cut inside multi-byte characters; the largest is a title's. */
  cap = data[2] == 0xFF ? CE__CAP_TITLE : (size_t)data[2];
  bytes = data + 3;
  length = size - 3;
  /* An empty property comes with no bytes at all from some servers. */
  if (length == 0)
    bytes = NULL;

  /* The same bytes as an Xauthority file (src/x11/xauth.c): a found
   * cookie lies inside the input. */
  {
    const unsigned char *cookie = NULL;
    size_t cookie_len = 0;
    if (ce__x11_find_cookie(data, size, CE_X11_FAMILY_LOCAL, "host", 4, "0",
                            &cookie, &cookie_len) &&
        (cookie < data || cookie + cookie_len > data + size))
      abort();
  }

  /* The type of a property is an atom: check the mapping for each kind. */
  if (ce__x11_type_of(&atoms, atoms.value[CE_X11_UTF8_STRING]) !=
          CE_X11_TYPE_UTF8_STRING ||
      ce__x11_type_of(&atoms, 0) != CE_X11_TYPE_NONE)
    abort();
  if (length >= 4) {
    ce__x11_type t = ce__x11_type_of(&atoms, ce__x11_item32(bytes, 0));
    if (t > CE_X11_TYPE_WM_STATE)
      abort();
  }

  check_text(ce__x11_decode_text(&arena, type, format, bytes, length, cap),
             cap);
  /* Each text kind at format 8, whatever the chosen type. */
  check_text(
      ce__x11_decode_text(&arena, CE_X11_TYPE_STRING, 8, bytes, length, cap),
      cap);
  check_text(ce__x11_decode_text(&arena, CE_X11_TYPE_UTF8_STRING, 8, bytes,
                                 length, cap),
             cap);
  check_text(ce__x11_decode_text(&arena, CE_X11_TYPE_COMPOUND_TEXT, 8, bytes,
                                 length, cap),
             cap);
  check_text(
      ce__x11_decode_text(&arena, CE_X11_TYPE_OTHER, 8, bytes, length, cap),
      cap);
  if (length > 0)
    check_text(ce__x11_compound_text_to_utf8(&arena, bytes, length, cap), cap);
  ce__arena_reset(&arena);

  if (ce__x11_decode_class(&arena, type, format, bytes, length, &instance,
                           &class_name) != CE_OK)
    abort();
  check_text(instance, CE__CAP_NAME);
  check_text(class_name, CE__CAP_NAME);
  if (ce__x11_decode_class(&arena, CE_X11_TYPE_STRING, 8, bytes, length,
                           &instance, &class_name) != CE_OK)
    abort();
  check_text(instance, CE__CAP_NAME);
  check_text(class_name, CE__CAP_NAME);

  {
    int64_t pid = ce__x11_decode_pid(type, format, bytes, length);
    int state = ce__x11_decode_wm_state(type, format, bytes, length);
    int desktop = ce__x11_decode_desktop(type, format, bytes, length);
    unsigned flags =
        ce__x11_decode_net_wm_state(&atoms, type, format, bytes, length);
    ce__x11_window_type wtype =
        ce__x11_decode_window_type(&atoms, type, format, bytes, length);
    if (pid != -1 && (pid <= 0 || pid > INT32_MAX))
      abort();
    if (state < -1 || state > 3)
      abort();
    if (desktop < 0 && desktop != CE_DESKTOP_ALL &&
        desktop != CE_DESKTOP_UNKNOWN)
      abort();
    if (flags & ~(CE_X11_STATE_HIDDEN | CE_X11_STATE_SKIP_TASKBAR))
      abort();
    if (wtype > CE_X11_WINDOW_TYPE_SPLASH)
      abort();
    if (ce__x11_decode_window(type, format, bytes, length) != 0 &&
        (type != CE_X11_TYPE_WINDOW || length < 4))
      abort();
    if (ce__x11_atom_list_has(type, format, bytes, length, 0))
      abort();
    /* Lists are read only in whole items of format 32. */
    if (ce__x11_count32(format, length) > length / 4)
      abort();
  }
  ce__arena_free(&arena);
  return 0;
}
