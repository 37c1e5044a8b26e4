/* SPDX-License-Identifier: MIT */
/*
 * The X11 property decoders on hand-made bytes: every type, format and
 * length another client could store, without an X server.
 */
#include "check.h"
#include "x11/ce_x11.h"

static ce__arena arena = CE__ARENA_INIT;
static ce__x11_atoms atoms;

static const char *text(ce__x11_type type, int format, const char *bytes,
                        size_t len, size_t cap) {
  return ce__x11_decode_text(&arena, type, format, bytes, len, cap);
}

static void test_text(void) {
  CHECK_STR(text(CE_X11_TYPE_UTF8_STRING, 8, "\xc3\xa9t\xc3\xa9", 5, 100),
            "\xc3\xa9t\xc3\xa9");
  /* Invalid bytes and an embedded NUL become U+FFFD. */
  CHECK_STR(text(CE_X11_TYPE_UTF8_STRING, 8,
                 "a\xff"
                 "b\0c",
                 5, 100),
            "a\xef\xbf\xbd"
            "b\xef\xbf\xbd"
            "c");
  CHECK_STR(text(CE_X11_TYPE_STRING, 8, "Caf\xe9\0", 5, 100),
            "Caf\xc3\xa9\xef\xbf\xbd");
  /* STRING that is valid UTF-8 is UTF-8 (what programs put there, though
   * ICCCM says Latin-1), a NUL after it included; anything else Latin-1. */
  CHECK_STR(text(CE_X11_TYPE_STRING, 8, "\xe6\x97\xa5\xe6\x9c\xac", 6, 100),
            "\xe6\x97\xa5\xe6\x9c\xac");
  CHECK_STR(text(CE_X11_TYPE_STRING, 8, "\xc3\xa9\0", 3, 100),
            "\xc3\xa9\xef\xbf\xbd");
  CHECK_STR(text(CE_X11_TYPE_STRING, 8, "\xc3\xa9\xe9", 3, 100),
            "\xc3\x83\xc2\xa9\xc3\xa9");
  CHECK_STR(text(CE_X11_TYPE_STRING, 8, "\xed\xa0\x80", 3, 100),
            "\xc3\xad\xc2\xa0\xc2\x80"); /* a surrogate is no UTF-8 */
  /* Wrong format, unknown type, nothing at all. */
  CHECK_STR(text(CE_X11_TYPE_UTF8_STRING, 16, "ab", 2, 100), "");
  CHECK_STR(text(CE_X11_TYPE_CARDINAL, 8, "ab", 2, 100), "");
  CHECK_STR(text(CE_X11_TYPE_OTHER, 8, "ab", 2, 100), "");
  CHECK_STR(text(CE_X11_TYPE_STRING, 8, NULL, 0, 100), "");
  /* The cap cuts at a character boundary. */
  CHECK_STR(text(CE_X11_TYPE_STRING, 8, "\xe9\xe9\xe9", 3, 5),
            "\xc3\xa9\xc3\xa9");
  CHECK_STR(text(CE_X11_TYPE_UTF8_STRING, 8, "\xe6\x97\xa5\xe6\x9c\xac", 6, 4),
            "\xe6\x97\xa5");
}

static void test_compound_text(void) {
  static const struct {
    const char *in;
    size_t len;
    const char *out;
  } cases[] = {
      {"plain", 5, "plain"},
      /* Latin-1 in GR from the start. */
      {"Gr\xfc\xdf"
       "e",
       5,
       "Gr\xc3\xbc\xc3\x9f"
       "e"},
      /* JIS X 0208 in GR, then Latin-1 again. */
      {"abc \x1b$)B\xc6\xfc\xcb\xdc\x1b-A\xe9", 16,
       "abc \xe6\x97\xa5\xe6\x9c\xac\xc3\xa9"},
      /* JIS X 0208 in GL, then ASCII. */
      {"\x1b$(BF|K\\\x1b(Bx", 12,
       "\xe6\x97\xa5\xe6\x9c\xac"
       "x"},
      /* ISO 8859-7 (Greek) right half: alpha beta. */
      {"\x1b-F\xe1\xe2", 5, "\xce\xb1\xce\xb2"},
      /* ISO 8859-5 (Cyrillic): "Да". */
      {"\x1b-L\xb4\xd0", 5, "\xd0\x94\xd0\xb0"},
      /* Half-width katakana. */
      {"\x1b)I\xb1", 4, "\xef\xbd\xb1"},
      /* A UTF-8 segment. */
      {"a\x1b%G\xe2\x9c\x93\x1b%@b", 11,
       "a\xe2\x9c\x93"
       "b"},
      /* What libX11 1.8 (Xutf8TextListToTextProperty, XCompoundTextStyle)
       * writes for "abc ✓ 😀 é Ж 日本": UTF-8 segments, Latin-1, ISO
       * 8859-5 in GR, JIS X 0208 in GL. */
      {"abc \x1b%G\xe2\x9c\x93\x1b%@ \x1b%G\xf0\x9f\x98\x80\x1b%@ \xe9 "
       "\x1b-L\xb6 \x1b$(BF|K\\",
       40,
       "abc \xe2\x9c\x93 \xf0\x9f\x98\x80 \xc3\xa9 \xd0\x96 "
       "\xe6\x97\xa5\xe6\x9c\xac"},
      /* An extended segment naming UTF-8. */
      {"\x1b%/1\x80\x89utf-8\x02\xe2\x9c\x93", 15, "\xe2\x9c\x93"},
      /* Direction changes show nothing. */
      {"\x9b"
       "1]ab\x9b]",
       7, "ab"},
      /* An unknown 94x94 set: one U+FFFD per character. */
      {"\x1b$)Z\xa1\xa1", 6, "\xef\xbf\xbd"},
      /* Truncated escape, truncated double byte, C1 control. */
      {"x\x1b$", 3, "x"},
      {"\x1b$)B\xc6", 5, "\xef\xbf\xbd"},
      {"\x85", 1, "\xef\xbf\xbd"},
      /* An extended segment whose length runs past the end. */
      {"\x1b%/1\xff\xffutf-8", 11, "\xef\xbf\xbd"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *out =
        text(CE_X11_TYPE_COMPOUND_TEXT, 8, cases[i].in, cases[i].len, 100);
    if (out == NULL || strcmp(out, cases[i].out) != 0) {
      fprintf(stderr, "compound text case %zu: got \"%s\"\n", i,
              out ? out : "(null)");
      CHECK(!"compound text decodes as expected");
    }
  }
}

static void test_class(void) {
  const char *instance, *class_name;
  static const struct {
    ce__x11_type type;
    int format;
    const char *in;
    size_t len;
    const char *instance, *class_name;
  } cases[] = {
      {CE_X11_TYPE_STRING, 8, "xterm\0XTerm", 12, "xterm", "XTerm"},
      {CE_X11_TYPE_STRING, 8, "inst\0cls", 8, "inst", "cls"},
      {CE_X11_TYPE_STRING, 8, "onlyinst", 8, "onlyinst", ""},
      {CE_X11_TYPE_STRING, 8, "\0\0", 2, "", ""},
      {CE_X11_TYPE_STRING, 8, "a\0b\0extra", 9, "a", "b"},
      {CE_X11_TYPE_STRING, 8, "\xe9\0\xe9", 3, "\xc3\xa9", "\xc3\xa9"},
      {CE_X11_TYPE_STRING, 8, "x\0\xe6\x97\xa5\0", 6, "x", "\xe6\x97\xa5"},
      {CE_X11_TYPE_UTF8_STRING, 8, "\xc3\xa9\0x", 4, "\xc3\xa9", "x"},
      {CE_X11_TYPE_CARDINAL, 32, "abcd", 4, "", ""},
      {CE_X11_TYPE_STRING, 32, "abcd", 4, "", ""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    CHECK_INT(ce__x11_decode_class(&arena, cases[i].type, cases[i].format,
                                   cases[i].in, cases[i].len, &instance,
                                   &class_name),
              CE_OK);
    CHECK_STR(instance, cases[i].instance);
    CHECK_STR(class_name, cases[i].class_name);
  }
}

static void test_numbers(void) {
  uint32_t v[3] = {4242, 0, 0};
  CHECK_INT(ce__x11_decode_pid(CE_X11_TYPE_CARDINAL, 32, v, 4), 4242);
  CHECK_INT(ce__x11_decode_pid(CE_X11_TYPE_CARDINAL, 32, v, 3), -1);
  CHECK_INT(ce__x11_decode_pid(CE_X11_TYPE_CARDINAL, 16, v, 4), -1);
  CHECK_INT(ce__x11_decode_pid(CE_X11_TYPE_STRING, 8, "1234", 4), -1);
  CHECK_INT(ce__x11_decode_pid(CE_X11_TYPE_NONE, 0, NULL, 0), -1);
  v[0] = 0;
  CHECK_INT(ce__x11_decode_pid(CE_X11_TYPE_CARDINAL, 32, v, 4), -1);
  v[0] = 0x80000000u;
  CHECK_INT(ce__x11_decode_pid(CE_X11_TYPE_CARDINAL, 32, v, 4), -1);

  v[0] = 3;
  CHECK_INT(ce__x11_decode_wm_state(CE_X11_TYPE_WM_STATE, 32, v, 8), 3);
  CHECK_INT(ce__x11_decode_wm_state(CE_X11_TYPE_CARDINAL, 32, v, 8), -1);
  CHECK_INT(ce__x11_decode_wm_state(CE_X11_TYPE_WM_STATE, 8, v, 8), -1);
  v[0] = 7;
  CHECK_INT(ce__x11_decode_wm_state(CE_X11_TYPE_WM_STATE, 32, v, 8), -1);

  v[0] = 2;
  CHECK_INT(ce__x11_decode_desktop(CE_X11_TYPE_CARDINAL, 32, v, 4), 2);
  v[0] = 0xFFFFFFFFu;
  CHECK_INT(ce__x11_decode_desktop(CE_X11_TYPE_CARDINAL, 32, v, 4),
            CE_DESKTOP_ALL);
  v[0] = 0x90000000u;
  CHECK_INT(ce__x11_decode_desktop(CE_X11_TYPE_CARDINAL, 32, v, 4),
            CE_DESKTOP_UNKNOWN);
  CHECK_INT(ce__x11_decode_desktop(CE_X11_TYPE_CARDINAL, 16, v, 4),
            CE_DESKTOP_UNKNOWN);
  CHECK_INT(ce__x11_decode_desktop(CE_X11_TYPE_NONE, 0, NULL, 0),
            CE_DESKTOP_UNKNOWN);
}

static void test_atom_lists(void) {
  uint32_t list[4];
  atoms.value[CE_X11__NET_WM_STATE_HIDDEN] = 100;
  atoms.value[CE_X11__NET_WM_STATE_SKIP_TASKBAR] = 101;
  atoms.value[CE_X11__NET_WM_WINDOW_TYPE_NORMAL] = 200;
  atoms.value[CE_X11__NET_WM_WINDOW_TYPE_DIALOG] = 201;
  atoms.value[CE_X11__NET_WM_WINDOW_TYPE_DOCK] = 202;

  list[0] = 5, list[1] = 101, list[2] = 100;
  CHECK_INT(ce__x11_decode_net_wm_state(&atoms, CE_X11_TYPE_ATOM, 32, list, 12),
            CE_X11_STATE_HIDDEN | CE_X11_STATE_SKIP_TASKBAR);
  /* A trailing partial item is not read. */
  CHECK_INT(ce__x11_decode_net_wm_state(&atoms, CE_X11_TYPE_ATOM, 32, list, 11),
            CE_X11_STATE_SKIP_TASKBAR);
  CHECK_INT(
      ce__x11_decode_net_wm_state(&atoms, CE_X11_TYPE_CARDINAL, 32, list, 12),
      0);

  list[0] = 999, list[1] = 201, list[2] = 200;
  CHECK_INT(ce__x11_decode_window_type(&atoms, CE_X11_TYPE_ATOM, 32, list, 12),
            CE_X11_WINDOW_TYPE_DIALOG);
  list[1] = 202;
  CHECK_INT(ce__x11_decode_window_type(&atoms, CE_X11_TYPE_ATOM, 32, list, 12),
            CE_X11_WINDOW_TYPE_DOCK);
  /* A type libwnck does not know (a popup menu) is passed over. */
  atoms.value[CE_X11__NET_WM_WINDOW_TYPE_POPUP_MENU] = 203;
  list[1] = 203;
  CHECK_INT(ce__x11_decode_window_type(&atoms, CE_X11_TYPE_ATOM, 32, list, 12),
            CE_X11_WINDOW_TYPE_NORMAL);
  CHECK_INT(ce__x11_decode_window_type(&atoms, CE_X11_TYPE_ATOM, 32, list, 8),
            CE_X11_WINDOW_TYPE_UNSET);
  CHECK(ce__x11_atom_list_has(CE_X11_TYPE_ATOM, 32, list, 12, 203));
  CHECK(!ce__x11_atom_list_has(CE_X11_TYPE_ATOM, 32, list, 8, 200));
  CHECK(!ce__x11_atom_list_has(CE_X11_TYPE_CARDINAL, 32, list, 12, 203));
  CHECK(!ce__x11_atom_list_has(CE_X11_TYPE_ATOM, 32, list, 12, 0));
  CHECK_INT(ce__x11_decode_window(CE_X11_TYPE_WINDOW, 32, list, 4), 999);
  CHECK_INT(ce__x11_decode_window(CE_X11_TYPE_WINDOW, 32, list, 3), 0);
  CHECK_INT(ce__x11_decode_window(CE_X11_TYPE_CARDINAL, 32, list, 4), 0);
  CHECK_INT(ce__x11_decode_window(CE_X11_TYPE_WINDOW, 16, list, 4), 0);
  CHECK_INT(ce__x11_decode_window_type(&atoms, CE_X11_TYPE_ATOM, 32, list, 4),
            CE_X11_WINDOW_TYPE_UNSET);
  CHECK_INT(ce__x11_decode_window_type(&atoms, CE_X11_TYPE_ATOM, 8, list, 12),
            CE_X11_WINDOW_TYPE_UNSET);

  atoms.value[CE_X11_UTF8_STRING] = 300;
  atoms.value[CE_X11_WM_STATE] = 301;
  CHECK_INT(ce__x11_type_of(&atoms, 0), CE_X11_TYPE_NONE);
  CHECK_INT(ce__x11_type_of(&atoms, 31), CE_X11_TYPE_STRING);
  CHECK_INT(ce__x11_type_of(&atoms, 300), CE_X11_TYPE_UTF8_STRING);
  CHECK_INT(ce__x11_type_of(&atoms, 301), CE_X11_TYPE_WM_STATE);
  CHECK_INT(ce__x11_type_of(&atoms, 302), CE_X11_TYPE_OTHER);
}

/* libwnck's task list, branch by branch (the same branches are compared
 * with libwnck itself in test_desktop_truth.py). */
static void test_task_list(void) {
  const ce__x11_window_type N = CE_X11_WINDOW_TYPE_UNSET,
                            DLG = CE_X11_WINDOW_TYPE_DIALOG;
  const unsigned skip = CE_X11_STATE_SKIP_TASKBAR;
  /* type, state, transient, transient_listed: shown */
  CHECK(ce__x11_in_task_list(N, 0, 0, 0));
  CHECK(!ce__x11_in_task_list(N, 0, 1, 1)); /* no type + transient: dialog */
  CHECK(ce__x11_in_task_list(N, 0, 1, 0));  /* ... of no listed window */
  CHECK(!ce__x11_in_task_list(DLG, 0, 1, 1));
  CHECK(ce__x11_in_task_list(DLG, 0, 0, 0));
  CHECK(!ce__x11_in_task_list(CE_X11_WINDOW_TYPE_UTILITY, 0, 1, 1));
  CHECK(ce__x11_in_task_list(CE_X11_WINDOW_TYPE_UTILITY, 0, 0, 0));
  CHECK(!ce__x11_in_task_list(CE_X11_WINDOW_TYPE_TOOLBAR, 0, 1, 1));
  CHECK(ce__x11_in_task_list(CE_X11_WINDOW_TYPE_TOOLBAR, 0, 0, 0));
  CHECK(!ce__x11_in_task_list(CE_X11_WINDOW_TYPE_MENU, 0, 1, 1));
  CHECK(ce__x11_in_task_list(CE_X11_WINDOW_TYPE_MENU, 0, 0, 0));
  CHECK(ce__x11_in_task_list(CE_X11_WINDOW_TYPE_NORMAL, 0, 1, 1));
  CHECK(!ce__x11_in_task_list(CE_X11_WINDOW_TYPE_DESKTOP, 0, 0, 0));
  CHECK(!ce__x11_in_task_list(CE_X11_WINDOW_TYPE_DOCK, 0, 0, 0));
  CHECK(!ce__x11_in_task_list(CE_X11_WINDOW_TYPE_SPLASH, 0, 0, 0));
  CHECK(!ce__x11_in_task_list(CE_X11_WINDOW_TYPE_NORMAL, skip, 0, 0));
  CHECK(ce__x11_in_task_list(CE_X11_WINDOW_TYPE_NORMAL, CE_X11_STATE_HIDDEN, 0,
                             0));
}

int main(void) {
  test_text();
  test_compound_text();
  test_class();
  test_numbers();
  test_atom_lists();
  test_task_list();
  ce__arena_free(&arena);
  return check_finish();
}
