/* SPDX-License-Identifier: MIT */
/*
 * Decoding of the window properties the X11 backend reads. Everything here
 * is pure: the input is whatever another client stored in a property, so
 * every type, format and length is checked before a byte is read, and all
 * text comes out as valid UTF-8 within its cap.
 */
#include "ce_x11.h"

#include <iconv.h>
#include <string.h>

ce__x11_type ce__x11_type_of(const ce__x11_atoms *atoms, uint32_t type) {
  if (type == 0)
    return CE_X11_TYPE_NONE;
  switch (type) {
  case CE_X11_XA_STRING:
    return CE_X11_TYPE_STRING;
  case CE_X11_XA_CARDINAL:
    return CE_X11_TYPE_CARDINAL;
  case CE_X11_XA_ATOM:
    return CE_X11_TYPE_ATOM;
  case CE_X11_XA_WINDOW:
    return CE_X11_TYPE_WINDOW;
  default:
    break;
  }
  if (type == atoms->value[CE_X11_UTF8_STRING])
    return CE_X11_TYPE_UTF8_STRING;
  if (type == atoms->value[CE_X11_COMPOUND_TEXT])
    return CE_X11_TYPE_COMPOUND_TEXT;
  if (type == atoms->value[CE_X11_WM_STATE])
    return CE_X11_TYPE_WM_STATE;
  return CE_X11_TYPE_OTHER;
}

size_t ce__x11_count32(int format, size_t length) {
  return format == 32 ? length / 4 : 0;
}

uint32_t ce__x11_item32(const void *bytes, size_t i) {
  uint32_t value;
  /* The server sends format-32 data in the client's byte order. */
  memcpy(&value, (const unsigned char *)bytes + i * 4, sizeof value);
  return value;
}

/* ------------------------------------------------------- text builder -- */

/* UTF-8 written code point by code point into the arena, cut at a character
 * boundary once `cap` bytes are used. */
typedef struct text {
  char *buf;
  size_t used, cap;
  int full;
} text;

static int text_begin(text *t, ce__arena *arena, size_t length, size_t cap) {
  /* No input byte yields more than three bytes of output. */
  size_t room = length <= cap / 3 ? length * 3 : cap;
  t->buf = ce__arena_alloc(arena, room + 1);
  t->used = 0;
  t->cap = room;
  t->full = 0;
  if (t->buf != NULL)
    t->buf[0] = '\0';
  return t->buf != NULL;
}

static void put_cp(text *t, uint32_t cp) {
  char bytes[4];
  size_t n;
  if (t->full)
    return;
  /* A NUL would end the string early: it becomes U+FFFD, as in the core's
   * UTF-8 repair. */
  n = ce__utf8_encode(cp == 0 ? 0xFFFD : cp, bytes);
  if (t->used + n > t->cap) {
    t->full = 1;
    return;
  }
  memcpy(t->buf + t->used, bytes, n);
  t->used += n;
  t->buf[t->used] = '\0';
}

static void put_utf8(text *t, const unsigned char *s, size_t len) {
  size_t i = 0;
  while (i < len && !t->full) {
    uint32_t cp;
    i += ce__utf8_decode(s + i, len - i, &cp);
    put_cp(t, cp);
  }
}

static void put_latin1(text *t, const unsigned char *s, size_t len) {
  for (size_t i = 0; i < len && !t->full; i++)
    put_cp(t, s[i]);
}

/*
 * Converts `len` bytes of a stateless charset, `unit` bytes per character,
 * with the C library's iconv, one character at a time so that a byte it
 * rejects costs one U+FFFD and not the rest of the text. `high` sets the top
 * bit of each byte, which turns a 94x94 set used in GL into its EUC form.
 */
static void put_iconv(text *t, const char *charset, const unsigned char *s,
                      size_t len, size_t unit, int high) {
  iconv_t cd = iconv_open("UTF-8", charset);
  size_t i;
  for (i = 0; i + unit <= len && !t->full; i += unit) {
    char in[2], out[8], *ip = in, *op = out;
    size_t il = unit, ol = sizeof out;
    for (size_t k = 0; k < unit; k++)
      in[k] = (char)(high ? s[i + k] | 0x80 : s[i + k]);
    if (cd == (iconv_t)-1 || iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 ||
        il != 0) {
      put_cp(t, 0xFFFD);
      if (cd != (iconv_t)-1)
        iconv(cd, NULL, NULL, NULL, NULL);
    } else {
      put_utf8(t, (const unsigned char *)out, sizeof out - ol);
    }
  }
  if (i < len)
    put_cp(t, 0xFFFD); /* half a double-byte character */
  if (cd != (iconv_t)-1)
    iconv_close(cd);
}

/* ------------------------------------------------------ compound text -- */

/*
 * Compound Text (the X Consortium's ISO 2022 subset) starts with ASCII in GL
 * and the right half of ISO 8859-1 in GR; escape sequences designate other
 * sets into either half, and extended segments carry other encodings.
 */
typedef enum set_kind {
  SET_ASCII,
  SET_LATIN1,   /* 96 set, GR only: the code point is the byte */
  SET_KATAKANA, /* JIS X 0201 right half */
  SET_ICONV1,   /* 96 set converted by iconv, one byte per character */
  SET_ICONV2,   /* 94x94 set converted by iconv as EUC, two bytes */
  SET_UNKNOWN1,
  SET_UNKNOWN2
} set_kind;

typedef struct charset {
  set_kind kind;
  const char *name; /* the iconv name for SET_ICONV1/2 */
} charset;

/* The ISO 8859 right halves by their final byte in ESC - F. */
static const char *iso8859_of(unsigned char final) {
  static const struct {
    unsigned char final;
    const char *name;
  } table[] = {{'B', "ISO-8859-2"},  {'C', "ISO-8859-3"},  {'D', "ISO-8859-4"},
               {'F', "ISO-8859-7"},  {'G', "ISO-8859-6"},  {'H', "ISO-8859-8"},
               {'L', "ISO-8859-5"},  {'M', "ISO-8859-9"},  {'V', "ISO-8859-10"},
               {'Y', "ISO-8859-13"}, {'_', "ISO-8859-14"}, {'b', "ISO-8859-15"},
               {'f', "ISO-8859-16"}};
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (table[i].final == final)
      return table[i].name;
  return NULL;
}

static const char *double_byte_of(unsigned char final) {
  switch (final) {
  case 'A':
    return "EUC-CN"; /* GB 2312 */
  case 'B':
    return "EUC-JP"; /* JIS X 0208 */
  case 'C':
    return "EUC-KR"; /* KS C 5601 */
  default:
    return NULL;
  }
}

/* Decodes a run of GL (0x21..0x7E) or GR (0xA0..0xFF) bytes in `set`. */
static void put_run(text *t, charset set, const unsigned char *s, size_t len,
                    int gl) {
  switch (set.kind) {
  case SET_ASCII:
    for (size_t i = 0; i < len && !t->full; i++)
      put_cp(t, gl ? s[i] : 0xFFFD);
    break;
  case SET_LATIN1:
    for (size_t i = 0; i < len && !t->full; i++)
      put_cp(t, gl ? 0xFFFD : s[i]);
    break;
  case SET_KATAKANA:
    for (size_t i = 0; i < len && !t->full; i++) {
      unsigned b = s[i] | 0x80u;
      put_cp(t, b >= 0xA1 && b <= 0xDF ? 0xFF61 + (b - 0xA1) : 0xFFFD);
    }
    break;
  case SET_ICONV1:
    if (gl)
      for (size_t i = 0; i < len && !t->full; i++)
        put_cp(t, 0xFFFD);
    else
      put_iconv(t, set.name, s, len, 1, 0);
    break;
  case SET_ICONV2:
    put_iconv(t, set.name, s, len, 2, gl);
    break;
  case SET_UNKNOWN1:
  case SET_UNKNOWN2:
    for (size_t i = 0; i < len && !t->full;
         i += set.kind == SET_UNKNOWN2 ? 2 : 1)
      put_cp(t, 0xFFFD);
    break;
  }
}

/* Handles the escape sequence at s[i] (s[i] == ESC); returns the index
 * after it. */
static size_t put_escape(text *t, const unsigned char *s, size_t len, size_t i,
                         charset *gl, charset *gr) {
  unsigned char inter[3];
  size_t n = 0, j = i + 1;
  unsigned char final;

  while (j < len && s[j] >= 0x20 && s[j] <= 0x2F) {
    if (n < sizeof inter)
      inter[n] = s[j];
    n++;
    j++;
  }
  if (j >= len || s[j] < 0x30 || s[j] > 0x7E)
    return j; /* malformed: drop what was read */
  final = s[j++];

  if (n == 1 && inter[0] == '(') {
    gl->kind = final == 'B' || final == 'J' ? SET_ASCII
               : final == 'I'               ? SET_KATAKANA
                                            : SET_UNKNOWN1;
  } else if (n == 1 && inter[0] == ')') {
    gr->kind = final == 'I' ? SET_KATAKANA : SET_UNKNOWN1;
  } else if (n == 1 && inter[0] == '-') {
    gr->name = iso8859_of(final);
    gr->kind = final == 'A' ? SET_LATIN1 : gr->name ? SET_ICONV1 : SET_UNKNOWN1;
  } else if (n == 2 && inter[0] == '$' &&
             (inter[1] == '(' || inter[1] == ')')) {
    charset *half = inter[1] == '(' ? gl : gr;
    half->name = double_byte_of(final);
    half->kind = half->name ? SET_ICONV2 : SET_UNKNOWN2;
  } else if (n == 1 && inter[0] == '%' && final == 'G') {
    /* UTF-8 up to ESC % @ or the end. */
    size_t end = j;
    while (end < len && !(s[end] == 0x1B && end + 2 < len &&
                          s[end + 1] == '%' && s[end + 2] == '@'))
      end++;
    put_utf8(t, s + j, end - j);
    j = end < len ? end + 3 : len;
  } else if (n == 2 && inter[0] == '%' && inter[1] == '/' && final >= '0' &&
             final <= '4') {
    /* An extended segment: two length bytes, then "name" STX and data. */
    size_t seg, name_end;
    if (j + 2 > len)
      return len;
    seg = (size_t)(s[j] & 0x7F) * 128 + (s[j + 1] & 0x7F);
    j += 2;
    if (seg > len - j)
      seg = len - j;
    name_end = j;
    while (name_end < j + seg && s[name_end] != 0x02)
      name_end++;
    if (name_end < j + seg && name_end - j == 5 &&
        (memcmp(s + j, "utf-8", 5) == 0 || memcmp(s + j, "UTF-8", 5) == 0))
      put_utf8(t, s + name_end + 1, j + seg - name_end - 1);
    else if (seg > 0)
      put_cp(t, 0xFFFD);
    j += seg;
  }
  /* Anything else (ESC % @ outside UTF-8, unknown designations of other
   * shapes) changes nothing we can show. */
  return j;
}

const char *ce__x11_compound_text_to_utf8(ce__arena *arena, const void *bytes,
                                          size_t length, size_t cap) {
  const unsigned char *s = bytes;
  charset gl = {SET_ASCII, NULL}, gr = {SET_LATIN1, NULL};
  text t;
  size_t i = 0;

  if (!text_begin(&t, arena, length, cap))
    return NULL;
  while (i < length && !t.full) {
    unsigned char b = s[i];
    if (b == 0x1B) {
      i = put_escape(&t, s, length, i, &gl, &gr);
    } else if (b == 0x9B) {
      /* CSI: a direction change (CSI 1 ], CSI 2 ], CSI ]); nothing to show.
       */
      i++;
      while (i < length && s[i] >= 0x20 && s[i] <= 0x3F)
        i++;
      if (i < length && s[i] >= 0x40 && s[i] <= 0x7E)
        i++;
    } else if (b >= 0x21 && b <= 0x7E) {
      size_t j = i;
      while (j < length && s[j] >= 0x21 && s[j] <= 0x7E)
        j++;
      put_run(&t, gl, s + i, j - i, 1);
      i = j;
    } else if (b >= 0xA0) {
      size_t j = i;
      while (j < length && s[j] >= 0xA0)
        j++;
      put_run(&t, gr, s + i, j - i, 0);
      i = j;
    } else {
      /* Space, HT, NL and other C0 controls stand for themselves; C1
       * controls other than CSI have no meaning in compound text. */
      put_cp(&t, b >= 0x80 ? 0xFFFD : b);
      i++;
    }
  }
  return t.buf;
}

/* --------------------------------------------------------- properties -- */

/* Whether STRING bytes are UTF-8: valid between the NULs a client may have
 * put in or after them (which become U+FFFD either way). */
static int string_is_utf8(const char *s, size_t length) {
  while (length > 0) {
    const char *nul = memchr(s, '\0', length);
    size_t part = nul ? (size_t)(nul - s) : length;
    if (!ce__utf8_valid(s, part))
      return 0;
    part += nul != NULL;
    s += part;
    length -= part;
  }
  return 1;
}

const char *ce__x11_decode_text(ce__arena *arena, ce__x11_type type, int format,
                                const void *bytes, size_t length, size_t cap) {
  text t;
  if (format != 8 || bytes == NULL || length == 0)
    return "";
  switch (type) {
  case CE_X11_TYPE_UTF8_STRING:
    return ce__arena_utf8(arena, bytes, length, cap);
  case CE_X11_TYPE_STRING:
    if (!text_begin(&t, arena, length, cap))
      return NULL;
    if (string_is_utf8(bytes, length))
      put_utf8(&t, bytes, length);
    else
      put_latin1(&t, bytes, length);
    return t.buf;
  case CE_X11_TYPE_COMPOUND_TEXT:
    return ce__x11_compound_text_to_utf8(arena, bytes, length, cap);
  default:
    return "";
  }
}

int ce__x11_decode_class(ce__arena *arena, ce__x11_type type, int format,
                         const void *bytes, size_t length,
                         const char **instance, const char **class_name) {
  const char *s = bytes;
  const char *nul;
  size_t first, rest;

  *instance = *class_name = "";
  if (format != 8 || bytes == NULL || length == 0 ||
      (type != CE_X11_TYPE_STRING && type != CE_X11_TYPE_UTF8_STRING))
    return CE_OK;
  /* Each part ends at its NUL or, when a client left it out, at the end. */
  nul = memchr(s, '\0', length);
  first = nul ? (size_t)(nul - s) : length;
  rest = nul ? length - first - 1 : 0;
  nul = rest ? memchr(s + first + 1, '\0', rest) : NULL;
  if (nul)
    rest = (size_t)(nul - (s + first + 1));

  *instance = ce__x11_decode_text(arena, type, 8, s, first, CE__CAP_NAME);
  *class_name = rest ? ce__x11_decode_text(arena, type, 8, s + first + 1, rest,
                                           CE__CAP_NAME)
                     : "";
  return *instance && *class_name ? CE_OK : CE_E_NOMEM;
}

int64_t ce__x11_decode_pid(ce__x11_type type, int format, const void *bytes,
                           size_t length) {
  uint32_t pid;
  if (type != CE_X11_TYPE_CARDINAL || ce__x11_count32(format, length) < 1 ||
      bytes == NULL)
    return -1;
  pid = ce__x11_item32(bytes, 0);
  /* Process ids are positive and fit in a pid_t. */
  return pid > 0 && pid <= INT32_MAX ? (int64_t)pid : -1;
}

int ce__x11_decode_wm_state(ce__x11_type type, int format, const void *bytes,
                            size_t length) {
  uint32_t state;
  if (type != CE_X11_TYPE_WM_STATE || ce__x11_count32(format, length) < 1 ||
      bytes == NULL)
    return -1;
  state = ce__x11_item32(bytes, 0);
  return state <= 3 ? (int)state : -1;
}

int ce__x11_decode_desktop(ce__x11_type type, int format, const void *bytes,
                           size_t length) {
  uint32_t desktop;
  if (type != CE_X11_TYPE_CARDINAL || ce__x11_count32(format, length) < 1 ||
      bytes == NULL)
    return CE_DESKTOP_UNKNOWN;
  desktop = ce__x11_item32(bytes, 0);
  if (desktop == 0xFFFFFFFFu)
    return CE_DESKTOP_ALL;
  return desktop <= INT32_MAX ? (int)desktop : CE_DESKTOP_UNKNOWN;
}

unsigned ce__x11_decode_net_wm_state(const ce__x11_atoms *atoms,
                                     ce__x11_type type, int format,
                                     const void *bytes, size_t length) {
  unsigned flags = 0;
  size_t n = ce__x11_count32(format, length);
  if (type != CE_X11_TYPE_ATOM || bytes == NULL)
    return 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t atom = ce__x11_item32(bytes, i);
    if (atom == 0)
      continue;
    if (atom == atoms->value[CE_X11__NET_WM_STATE_HIDDEN])
      flags |= CE_X11_STATE_HIDDEN;
    else if (atom == atoms->value[CE_X11__NET_WM_STATE_SKIP_TASKBAR])
      flags |= CE_X11_STATE_SKIP_TASKBAR;
  }
  return flags;
}

ce__x11_window_type ce__x11_decode_window_type(const ce__x11_atoms *atoms,
                                               ce__x11_type type, int format,
                                               const void *bytes,
                                               size_t length) {
  static const struct {
    ce__x11_atom atom;
    ce__x11_window_type type;
  } known[] = {
      {CE_X11__NET_WM_WINDOW_TYPE_NORMAL, CE_X11_WINDOW_TYPE_NORMAL},
      {CE_X11__NET_WM_WINDOW_TYPE_DIALOG, CE_X11_WINDOW_TYPE_DIALOG},
      {CE_X11__NET_WM_WINDOW_TYPE_DESKTOP, CE_X11_WINDOW_TYPE_DESKTOP},
      {CE_X11__NET_WM_WINDOW_TYPE_DOCK, CE_X11_WINDOW_TYPE_DOCK},
      {CE_X11__NET_WM_WINDOW_TYPE_TOOLBAR, CE_X11_WINDOW_TYPE_TOOLBAR},
      {CE_X11__NET_WM_WINDOW_TYPE_MENU, CE_X11_WINDOW_TYPE_MENU},
      {CE_X11__NET_WM_WINDOW_TYPE_UTILITY, CE_X11_WINDOW_TYPE_UTILITY},
      {CE_X11__NET_WM_WINDOW_TYPE_SPLASH, CE_X11_WINDOW_TYPE_SPLASH},
  };
  size_t n = ce__x11_count32(format, length);
  if (type != CE_X11_TYPE_ATOM || bytes == NULL)
    return CE_X11_WINDOW_TYPE_UNSET;
  /* EWMH: the list is in order of preference, and a client may put types of
   * its own first; the first known type is the one that counts. */
  for (size_t i = 0; i < n; i++) {
    uint32_t atom = ce__x11_item32(bytes, i);
    if (atom == 0)
      continue;
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
      if (atom == atoms->value[known[k].atom])
        return known[k].type;
  }
  return CE_X11_WINDOW_TYPE_UNSET;
}

int ce__x11_in_task_list(ce__x11_window_type type, unsigned state,
                         int transient, int transient_listed) {
  if (state & CE_X11_STATE_SKIP_TASKBAR)
    return 0;
  if (type == CE_X11_WINDOW_TYPE_UNSET)
    type = transient ? CE_X11_WINDOW_TYPE_DIALOG : CE_X11_WINDOW_TYPE_NORMAL;
  switch (type) {
  case CE_X11_WINDOW_TYPE_DESKTOP:
  case CE_X11_WINDOW_TYPE_DOCK:
  case CE_X11_WINDOW_TYPE_SPLASH:
    return 0;
  case CE_X11_WINDOW_TYPE_DIALOG:
  case CE_X11_WINDOW_TYPE_UTILITY:
  case CE_X11_WINDOW_TYPE_TOOLBAR:
  case CE_X11_WINDOW_TYPE_MENU:
    /* A window's own tools and dialogs belong to its task. */
    return !(transient && transient_listed);
  default:
    return 1;
  }
}

uint32_t ce__x11_decode_window(ce__x11_type type, int format, const void *bytes,
                               size_t length) {
  if (type != CE_X11_TYPE_WINDOW || ce__x11_count32(format, length) < 1 ||
      bytes == NULL)
    return 0;
  return ce__x11_item32(bytes, 0);
}

int ce__x11_atom_list_has(ce__x11_type type, int format, const void *bytes,
                          size_t length, uint32_t atom) {
  size_t n = ce__x11_count32(format, length);
  if (type != CE_X11_TYPE_ATOM || bytes == NULL || atom == 0)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (ce__x11_item32(bytes, i) == atom)
      return 1;
  return 0;
}
