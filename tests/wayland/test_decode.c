/* SPDX-License-Identifier: MIT */
/*
 * The Wayland backend's hand decoders on hand-made input: sway's get_tree
 * JSON (views, escapes, Xwayland's class, nulls, bounds), the wlr state
 * array, and the framing of sway's IPC events as the watch reads them.
 */
#include "check.h"
#include "wayland/ce_wayland.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int parse(const char *json, ce__sway_views *views) {
  memset(views, 0, sizeof *views);
  return ce__sway_parse_tree(json, strlen(json), views);
}

static void test_tree(void) {
  ce__sway_views v;
  const char *json =
      "{\"id\":1,\"type\":\"root\",\"rect\":{\"x\":0,\"y\":0,\"width\":9,"
      "\"height\":9},\"nodes\":[{\"id\":3,\"type\":\"workspace\","
      "\"nodes\":[{\"id\":5,\"type\":\"con\",\"name\":\"a \\\"q\\\" "
      "\\u65e5\\ud83d\\ude00\\u0000\\ud800.\",\"pid\":42,\"app_id\":\"foot\","
      "\"rect\":{\"x\":-3,\"y\":27,\"width\":640,\"height\":1e3},"
      "\"window_properties\":null,\"nodes\":[]},"
      " {\"id\":6,\"name\":null,\"pid\":43,\"app_id\":null,"
      "\"rect\":{\"x\":1,\"y\":2,\"width\":3,\"height\":4},"
      "\"window_properties\":{\"class\":\"XTerm\",\"instance\":\"xterm\"}}],"
      "\"floating_nodes\":[]}]}";
  CHECK_INT(parse(json, &v), CE_OK);
  REQUIRE(v.count == 2);
  CHECK(v.views[0].id == 5 && v.views[0].pid == 42);
  /* Escapes resolved; \u0000 and the lone surrogate repaired. */
  CHECK_STR(v.views[0].name, "a \"q\" \xE6\x97\xA5\xF0\x9F\x98\x80"
                             "\xEF\xBF\xBD\xEF\xBF\xBD.");
  CHECK_STR(v.views[0].app_id, "foot");
  CHECK(v.views[0].x == -3 && v.views[0].y == 27 && v.views[0].width == 640);
  CHECK(v.views[0].height == 0); /* an exponent is no integer we trust */
  /* Xwayland: no app_id, the class instead; a null name is "". */
  CHECK_STR(v.views[1].name, "");
  CHECK_STR(v.views[1].app_id, "XTerm");
  CHECK(v.views[1].x == 1 && v.views[1].height == 4);
  ce__sway_free(&v);

  CHECK_INT(parse("[{\"pid\":0,\"app_id\":\"x\"}]", &v), CE_OK);
  CHECK(v.count == 1 && v.views[0].pid == -1);
  ce__sway_free(&v);
  /* Nodes without a process are no views. */
  CHECK_INT(parse("{\"id\":1,\"name\":\"root\",\"nodes\":[]}", &v), CE_OK);
  CHECK(v.count == 0);
  ce__sway_free(&v);
}

static void test_malformed(void) {
  static const char *const bad[] = {
      "",          "{",     "{\"a\":}", "[1,]",    "{\"a\" 1}", "\"\\x\"",
      "\"\\u12\"", "[tru]", "{} {}",    "[\"open", "-"};
  char deep[1001];
  ce__sway_views v;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    CHECK_INT(parse(bad[i], &v), CE_E_BACKEND);
    CHECK(strstr(ce_error_detail(), "sway") != NULL);
    ce__sway_free(&v);
  }
  memset(deep, '[', 500);
  memset(deep + 500, ']', 500);
  deep[1000] = '\0';
  CHECK_INT(parse(deep, &v), CE_E_BACKEND);
  CHECK(strstr(ce_error_detail(), "deep") != NULL);
  ce__sway_free(&v);
}

static void test_states(void) {
  uint32_t values[] = {0, 2, 99, 1};
  unsigned char odd[6] = {3, 0, 0, 0, 1, 0};
  CHECK(ce__wl_decode_states(values, sizeof values) ==
        (CE__WL_MAXIMIZED | CE__WL_ACTIVATED | CE__WL_MINIMIZED));
  CHECK(ce__wl_decode_states(values, 3) == 0);
  CHECK(ce__wl_decode_states(odd, sizeof odd) == CE__WL_FULLSCREEN);
  CHECK(ce__wl_decode_states(NULL, 8) == 0);
  CHECK(ce__wl_identifier_id("a", 1) != ce__wl_identifier_id("b", 1));
  CHECK(ce__wl_identifier_id("", 0) != 0);
}

/* Events in pieces are counted whole; a message that is not i3-ipc fails,
 * and keeps failing, without writing past the header it read (this wrote
 * past the watch's state until the header was reset before the check). */
static void test_events(void) {
  static const unsigned char event[] = {'i', '3', '-', 'i', 'p',  'c', 2,  0, 0,
                                        0,   3,   0,   0,   0x80, '{', '}'};
  unsigned char junk[78];
  ce__sway_events e;
  unsigned count = 0;
  int fds[2];

  REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) == 0);
  memset(&e, 0, sizeof e);
  e.fd = fds[0];
  CHECK(write(fds[1], event, 9) == 9);
  CHECK_INT(ce__sway_read_events(&e, &count), CE_OK);
  CHECK_INT((int)count, 0);
  CHECK(write(fds[1], event + 9, sizeof event - 9) ==
        (ssize_t)(sizeof event - 9));
  CHECK(write(fds[1], event, sizeof event) == (ssize_t)sizeof event);
  CHECK_INT(ce__sway_read_events(&e, &count), CE_OK);
  CHECK_INT((int)count, 2);

  memset(junk, 'A', sizeof junk);
  CHECK(write(fds[1], junk, sizeof junk) == (ssize_t)sizeof junk);
  CHECK_INT(ce__sway_read_events(&e, &count), CE_E_BACKEND);
  CHECK(strstr(ce_error_detail(), "i3-ipc") != NULL);
  CHECK(e.have <= sizeof e.header);
  CHECK_INT(ce__sway_read_events(&e, &count), CE_E_BACKEND);
  CHECK(e.have <= sizeof e.header);
  CHECK_INT((int)count, 2);
  close(fds[0]);
  close(fds[1]);
}

int main(void) {
  test_events();
  test_tree();
  test_malformed();
  test_states();
  return check_finish();
}
