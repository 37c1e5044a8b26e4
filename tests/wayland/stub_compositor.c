/* SPDX-License-Identifier: MIT */
/*
 * A compositor of the tests' own, on libwayland-server: it has no outputs
 * and no surfaces, only the window lists, which announce the toplevels a
 * scenario scripts. It stands in for the compositors Debian 12 lacks
 * (ext_foreign_toplevel_list_v1) and for hostile ones; sway and weston are
 * tested for real beside it.
 *
 *   stub_compositor SOCKET SCENARIO   (with XDG_RUNTIME_DIR set)
 *
 * prints "ready" once SOCKET listens, then serves until killed. Scenarios:
 *   ext      ext_foreign_toplevel_list_v1 alone, three toplevels
 *   both     the same three on both lists, wlr with states and a parent
 *   hostile  wlr alone: 10,000 toplevels, invalid UTF-8, odd state arrays,
 *            two activated, one never done, one closed, events for a handle
 *            never announced
 *   huge     wlr alone: one event larger than libwayland's buffer
 *   chatty   wlr alone: one toplevel retitled 3,000 times with 4,000
 *            bytes that are not UTF-8 (some 34 MiB once repaired)
 *   none     no window list at all
 *   live     ext_foreign_toplevel_list_v1 alone, the three of `ext`, then
 *            one change at each SIGUSR1, sent to every client bound: the
 *            first retitled "retitled", the second closed, a fourth
 *            announced ("the new one", org.cenum.new)
 *   silent   accepts connections and never answers
 *   close    closes the connection when a list is bound
 *   error    a protocol error on the wlr manager when it is bound
 */
#include "ext-foreign-toplevel-list-v1-server.h"
#include "wlr-foreign-toplevel-management-unstable-v1-server.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wayland-server-core.h>

static const char *scenario;

/* The three toplevels of `ext` and `both`. */
static const char *const titles[] = {"Grüße — 日本 ✓", "bad \xff\xfe utf-8",
                                     "the dialog"};
static const char *const app_ids[] = {"org.cenum.one", "org.cenum.two",
                                      "org.cenum.one"};
static const char *const identifiers[] = {"a1b2c3d4-0001", "a1b2c3d4-0002",
                                          "a1b2c3d4-0003"};

static void destroy_request(struct wl_client *client,
                            struct wl_resource *resource) {
  (void)client;
  wl_resource_destroy(resource);
}

static void ignore(struct wl_client *client, struct wl_resource *resource) {
  (void)client, (void)resource;
}

/* --------------------------------------------------------------- ext -- */

static const struct ext_foreign_toplevel_handle_v1_interface ext_handle_impl = {
    destroy_request};
static const struct ext_foreign_toplevel_list_v1_interface ext_list_impl = {
    ignore, destroy_request};

static void bind_live(struct wl_client *client, struct wl_resource *list);

static void bind_ext(struct wl_client *client, void *data, uint32_t version,
                     uint32_t id) {
  struct wl_resource *list = wl_resource_create(
      client, &ext_foreign_toplevel_list_v1_interface, (int)version, id);
  (void)data;
  if (strcmp(scenario, "live") == 0) {
    bind_live(client, list);
    return;
  }
  wl_resource_set_implementation(list, &ext_list_impl, NULL, NULL);
  if (strcmp(scenario, "close") == 0) {
    wl_client_destroy(client);
    return;
  }
  for (int i = 0; i < 3; i++) {
    struct wl_resource *h = wl_resource_create(
        client, &ext_foreign_toplevel_handle_v1_interface, 1, 0);
    wl_resource_set_implementation(h, &ext_handle_impl, NULL, NULL);
    ext_foreign_toplevel_list_v1_send_toplevel(list, h);
    ext_foreign_toplevel_handle_v1_send_identifier(h, identifiers[i]);
    ext_foreign_toplevel_handle_v1_send_title(h, titles[i]);
    ext_foreign_toplevel_handle_v1_send_app_id(h, app_ids[i]);
    ext_foreign_toplevel_handle_v1_send_done(h);
  }
}

/* -------------------------------------------------------------- live -- */

/* The toplevels of `live`, and the handles every client bound has of
 * them; a slot is cleared when libwayland destroys its resource. */
#define LIVE_TOPLEVELS 4
#define LIVE_CLIENTS 32
static struct {
  const char *identifier, *title, *app_id;
  int alive;
} live[LIVE_TOPLEVELS] = {
    {"a1b2c3d4-0001", "Grüße — 日本 ✓", "org.cenum.one", 1},
    {"a1b2c3d4-0002", "bad \xff\xfe utf-8", "org.cenum.two", 1},
    {"a1b2c3d4-0003", "the dialog", "org.cenum.one", 1},
    {"a1b2c3d4-0004", "the new one", "org.cenum.new", 0}};
static struct {
  struct wl_resource *list;
  struct wl_resource *handles[LIVE_TOPLEVELS];
} bound[LIVE_CLIENTS];

static void forget(struct wl_resource *resource) {
  struct wl_resource **slot = wl_resource_get_user_data(resource);
  *slot = NULL;
}

static void live_announce(int client_slot, int t) {
  struct wl_resource *list = bound[client_slot].list;
  struct wl_resource *h =
      wl_resource_create(wl_resource_get_client(list),
                         &ext_foreign_toplevel_handle_v1_interface, 1, 0);
  bound[client_slot].handles[t] = h;
  wl_resource_set_implementation(h, &ext_handle_impl,
                                 &bound[client_slot].handles[t], forget);
  ext_foreign_toplevel_list_v1_send_toplevel(list, h);
  ext_foreign_toplevel_handle_v1_send_identifier(h, live[t].identifier);
  ext_foreign_toplevel_handle_v1_send_title(h, live[t].title);
  ext_foreign_toplevel_handle_v1_send_app_id(h, live[t].app_id);
  ext_foreign_toplevel_handle_v1_send_done(h);
}

static void bind_live(struct wl_client *client, struct wl_resource *list) {
  for (int c = 0; c < LIVE_CLIENTS; c++) {
    if (bound[c].list != NULL)
      continue;
    bound[c].list = list;
    wl_resource_set_implementation(list, &ext_list_impl, &bound[c].list,
                                   forget);
    for (int t = 0; t < LIVE_TOPLEVELS; t++)
      if (live[t].alive)
        live_announce(c, t);
    return;
  }
  wl_client_post_no_memory(client);
}

static int live_step(int signal_number, void *data) {
  static int step;
  (void)signal_number, (void)data;
  step++;
  if (step == 2)
    live[1].alive = 0;
  if (step == 3)
    live[3].alive = 1;
  if (step == 1)
    live[0].title = "retitled";
  for (int c = 0; c < LIVE_CLIENTS; c++) {
    struct wl_resource **h = bound[c].handles;
    if (bound[c].list == NULL)
      continue;
    if (step == 1 && h[0] != NULL) {
      ext_foreign_toplevel_handle_v1_send_title(h[0], live[0].title);
      ext_foreign_toplevel_handle_v1_send_done(h[0]);
    } else if (step == 2 && h[1] != NULL) {
      ext_foreign_toplevel_handle_v1_send_closed(h[1]);
    } else if (step == 3) {
      live_announce(c, 3);
    }
  }
  return 0;
}

/* --------------------------------------------------------------- wlr -- */

static void ignore_seat(struct wl_client *c, struct wl_resource *r,
                        struct wl_resource *seat) {
  (void)c, (void)r, (void)seat;
}

static void ignore_rectangle(struct wl_client *c, struct wl_resource *r,
                             struct wl_resource *surface, int32_t x, int32_t y,
                             int32_t width, int32_t height) {
  (void)c, (void)r, (void)surface, (void)x, (void)y, (void)width, (void)height;
}

static void ignore_output(struct wl_client *c, struct wl_resource *r,
                          struct wl_resource *output) {
  (void)c, (void)r, (void)output;
}

static const struct zwlr_foreign_toplevel_handle_v1_interface wlr_handle_impl =
    {ignore, ignore,           ignore,          ignore,        ignore_seat,
     ignore, ignore_rectangle, destroy_request, ignore_output, ignore};
static const struct zwlr_foreign_toplevel_manager_v1_interface wlr_impl = {
    ignore};

static struct wl_resource *wlr_handle(struct wl_client *client,
                                      struct wl_resource *manager,
                                      uint32_t version) {
  struct wl_resource *h = wl_resource_create(
      client, &zwlr_foreign_toplevel_handle_v1_interface, (int)version, 0);
  wl_resource_set_implementation(h, &wlr_handle_impl, NULL, NULL);
  if (manager != NULL)
    zwlr_foreign_toplevel_manager_v1_send_toplevel(manager, h);
  return h;
}

static void send_states(struct wl_resource *h, const uint32_t *values,
                        size_t count, size_t extra_bytes) {
  struct wl_array states;
  wl_array_init(&states);
  if (count > 0 || extra_bytes > 0) {
    char *room = wl_array_add(&states, count * sizeof *values + extra_bytes);
    memcpy(room, values, count * sizeof *values);
    memset(room + count * sizeof *values, 1, extra_bytes);
  }
  zwlr_foreign_toplevel_handle_v1_send_state(h, &states);
  wl_array_release(&states);
}

static void hostile(struct wl_client *client, struct wl_resource *manager,
                    uint32_t version) {
  static const uint32_t two_active[] = {2, 99, 0xffffffffu};
  static const uint32_t minimized[] = {1};
  char title[3001];
  struct wl_resource *stray;

  /* 3,000 bytes that are not UTF-8 (libwayland caps a message at 4 KiB). */
  memset(title, 0xff, sizeof title - 1);
  title[sizeof title - 1] = '\0';
  for (int i = 0; i < 10000; i++) {
    struct wl_resource *h;
    char name[32];
    /* libwayland-server 1.21 buffers 4 KiB for a client and drops the
     * client when that overflows: each toplevel is sent only once the
     * socket takes more (a real compositor with 10,000 windows would need
     * the same care). */
    struct pollfd writable = {wl_client_get_fd(client), POLLOUT, 0};
    wl_client_flush(client);
    poll(&writable, 1, 5000);
    wl_client_flush(client);
    h = wlr_handle(client, manager, version);
    snprintf(name, sizeof name, "toplevel %d", i);
    zwlr_foreign_toplevel_handle_v1_send_title(h, i == 0 ? title : name);
    zwlr_foreign_toplevel_handle_v1_send_app_id(h, "org.cenum.many");
    if (i == 1 || i == 2)
      send_states(h, two_active, 3, 0); /* both activated */
    else if (i == 3)
      send_states(h, minimized, 1, 3); /* a trailing part of 3 bytes */
    if (i == 4)                        /* never done */
      continue;
    zwlr_foreign_toplevel_handle_v1_send_done(h);
    if (i == 5) {
      zwlr_foreign_toplevel_handle_v1_send_closed(h);
      zwlr_foreign_toplevel_handle_v1_send_title(h, "after closed");
    }
  }
  /* A handle the client never heard of: its events are for an id it does
   * not know. */
  stray = wlr_handle(client, NULL, version);
  zwlr_foreign_toplevel_handle_v1_send_title(stray, "never announced");
  zwlr_foreign_toplevel_handle_v1_send_done(stray);
}

static void bind_wlr(struct wl_client *client, void *data, uint32_t version,
                     uint32_t id) {
  struct wl_resource *manager = wl_resource_create(
      client, &zwlr_foreign_toplevel_manager_v1_interface, (int)version, id);
  (void)data;
  wl_resource_set_implementation(manager, &wlr_impl, NULL, NULL);
  if (strcmp(scenario, "close") == 0) {
    wl_client_destroy(client);
    return;
  }
  if (strcmp(scenario, "error") == 0) {
    wl_resource_post_error(manager, 7, "a scripted error");
    return;
  }
  if (strcmp(scenario, "hostile") == 0) {
    hostile(client, manager, version);
    return;
  }
  if (strcmp(scenario, "chatty") == 0) {
    struct wl_resource *h = wlr_handle(client, manager, version);
    static char title[4001];
    memset(title, 0xff, sizeof title - 1);
    for (int i = 0; i < 3000; i++) {
      struct pollfd writable = {wl_client_get_fd(client), POLLOUT, 0};
      wl_client_flush(client);
      if (poll(&writable, 1, 5000) <= 0 || (writable.revents & POLLHUP))
        return; /* the client gave up, as it should */
      wl_client_flush(client);
      zwlr_foreign_toplevel_handle_v1_send_title(h, title);
    }
    zwlr_foreign_toplevel_handle_v1_send_done(h);
    return;
  }
  if (strcmp(scenario, "huge") == 0) {
    /* A title event whose header claims 60,000 bytes, written past
     * libwayland (which would refuse to send it). */
    struct wl_resource *h = wlr_handle(client, manager, version);
    uint32_t header[2] = {wl_resource_get_id(h), (60000u << 16) | 0u};
    static char zeros[60000 - 8];
    wl_client_flush(client);
    if (write(wl_client_get_fd(client), header, sizeof header) < 0 ||
        write(wl_client_get_fd(client), zeros, sizeof zeros) < 0)
      perror("write");
    return;
  }
  {
    /* `both`: the ext list's three, in the same order; the second
     * minimized, the third activated and a dialog of the first. */
    struct wl_resource *h[3];
    static const uint32_t minimized[] = {1}, activated[] = {2};
    for (int i = 0; i < 3; i++) {
      h[i] = wlr_handle(client, manager, version);
      zwlr_foreign_toplevel_handle_v1_send_title(h[i], titles[i]);
      zwlr_foreign_toplevel_handle_v1_send_app_id(h[i], app_ids[i]);
    }
    send_states(h[1], minimized, 1, 0);
    send_states(h[2], activated, 1, 0);
    zwlr_foreign_toplevel_handle_v1_send_parent(h[2], h[0]);
    for (int i = 0; i < 3; i++)
      zwlr_foreign_toplevel_handle_v1_send_done(h[i]);
  }
}

int main(int argc, char **argv) {
  struct wl_display *display;
  if (argc != 3) {
    fprintf(stderr, "usage: stub_compositor SOCKET SCENARIO\n");
    return 2;
  }
  scenario = argv[2];
  display = wl_display_create();
  if (display == NULL || wl_display_add_socket(display, argv[1]) != 0) {
    perror("stub_compositor: socket");
    return 1;
  }
  if (strcmp(scenario, "ext") == 0 || strcmp(scenario, "both") == 0 ||
      strcmp(scenario, "close") == 0 || strcmp(scenario, "live") == 0)
    wl_global_create(display, &ext_foreign_toplevel_list_v1_interface, 1, NULL,
                     bind_ext);
  if (strcmp(scenario, "live") == 0)
    wl_event_loop_add_signal(wl_display_get_event_loop(display), SIGUSR1,
                             live_step, NULL);
  if (strcmp(scenario, "ext") != 0 && strcmp(scenario, "none") != 0 &&
      strcmp(scenario, "close") != 0 && strcmp(scenario, "live") != 0)
    wl_global_create(display, &zwlr_foreign_toplevel_manager_v1_interface, 3,
                     NULL, bind_wlr);
  printf("ready\n");
  fflush(stdout);
  if (strcmp(scenario, "silent") == 0) {
    /* The socket listens, so connections are accepted by the kernel; the
     * compositor never reads them. */
    for (;;)
      pause();
  }
  wl_display_run(display);
  wl_display_destroy(display);
  return 0;
}
