/* SPDX-License-Identifier: MIT */
/*
 * The Wayland watch (ce_watch_windows) against real compositors:
 *
 * - headless sway (the fixture's): a foot terminal opened with a known title
 *   and app_id is added with sway's title, app_id, pid and frame (compared
 *   with `swaymsg -t get_tree`); retitled by its shell (an OSC 2 escape
 *   sequence) it is changed; made floating (a frame only sway's IPC tells)
 *   it is changed with sway's new rect; its shell ending closes it and it is
 *   removed. After a churn of several windows the records told equal a
 *   fresh ce_enum_windows_ex, field by field.
 * - weston (the fixture's): no window list, so CE_E_UNSUPPORTED with the
 *   enumeration's own detail.
 * - the tests' stub compositor (ext_foreign_toplevel_list_v1 and wlr) and a
 *   private sway, each killed while watched: dispatch returns
 *   CE_E_UNAVAILABLE within the bounded wait, and again on the next call
 *   (the watch does not resume).
 * - the stub with ext_foreign_toplevel_list_v1 alone, whose toplevels are
 *   retitled, closed and announced: each told with its identifier's id.
 * - the stub's hostile and broken compositors: the watch starts with what
 *   the enumeration lists, or fails with its status and detail.
 *
 * Environment: CENUM_TEST_SWAY, CENUM_TEST_WESTON (the fixtures' state
 * directories), CENUM_TEST_STUB (the stub's program), CENUM_TEST_COMPOSITOR
 * (compositor.py), CENUM_TEST_PYTHON, CENUM_TEST_TMP (a directory).
 */
#include "check.h"
#include "stub.h"
#include "watch/told.h"
#include "wayland/ce_wayland.h"

#include <cenum.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define USER 65534

static told seen;
static struct {
  uint64_t id;
  ce_change change;
  char title[256], app_id[256];
  int64_t pid;
  int x, y, width, height;
} last;

/* ------------------------------------------------------------ records -- */

/* Every field of a record but its id (the key). */
static void value_of(const ce_window *w, char *out, size_t size) {
  snprintf(out, size, "%s|%s|%s|%lld|%s|%d,%d %dx%d|d%d|v%d m%d M%d f%d|t%llx",
           w->title, w->class_name, w->instance, (long long)w->pid, w->exe,
           w->x, w->y, w->width, w->height, w->desktop, (int)w->visible,
           (int)w->minimized, (int)w->managed, (int)w->focused,
           (unsigned long long)w->transient_for);
}

static void key_of(const ce_window *w, char *out, size_t size) {
  snprintf(out, size, "%016llx", (unsigned long long)w->id);
}

static ce_next on_window(ce_change change, const ce_window *w, void *ctx) {
  char key[32], value[1200];
  (void)ctx;
  CHECK(w->size == sizeof *w);
  key_of(w, key, sizeof key);
  value_of(w, value, sizeof value);
  if (getenv("WATCH_DEBUG"))
    fprintf(stderr, "change %d %s %s\n", (int)change, key, value);
  told_apply_value(&seen, change, key, value);
  last.id = w->id;
  last.change = change;
  snprintf(last.title, sizeof last.title, "%s", w->title);
  snprintf(last.app_id, sizeof last.app_id, "%s", w->class_name);
  last.pid = w->pid;
  last.x = w->x;
  last.y = w->y;
  last.width = w->width;
  last.height = w->height;
  return CE_CONTINUE;
}

/* The promise: what was told equals a fresh enumeration. */
static int matches_fresh(void) {
  return told_equals_windows(&seen, key_of, value_of);
}

/* Dispatches until `what` holds, for up to 20 s. */
#define DISPATCH_UNTIL(w, what) DISPATCH_UNTIL_TRIES(w, what, 200, 0)

static int settles_to_fresh(ce_watch *w) {
  return told_settles(&seen, w, matches_fresh);
}

/* ------------------------------------------------------------ session -- */

/* The value of "key" in the fixture's env.json (a flat object of strings
 * that compositor.py writes, no escapes in them); "" when absent. */
static void env_value(const char *json, const char *key, char *out,
                      size_t size) {
  char pattern[64];
  const char *at;
  size_t n;
  out[0] = '\0';
  snprintf(pattern, sizeof pattern, "\"%s\": \"", key);
  if ((at = strstr(json, pattern)) == NULL)
    return;
  at += strlen(pattern);
  n = strcspn(at, "\"");
  if (n >= size)
    n = size - 1;
  memcpy(out, at, n);
  out[n] = '\0';
}

typedef struct session {
  char run[512], display[64], swaysock[512];
} session;

/* Points this process at the session a fixture (or compositor.py) wrote in
 * `state`. */
static void enter(const char *state, session *s) {
  char path[1024], json[4096];
  size_t n;
  FILE *f;
  snprintf(path, sizeof path, "%s/env.json", state);
  f = fopen(path, "r");
  if (f == NULL) {
    fprintf(stderr, "FAIL: no session in %s (the fixture did not start)\n",
            state);
    exit(1);
  }
  n = fread(json, 1, sizeof json - 1, f);
  fclose(f);
  json[n] = '\0';
  env_value(json, "XDG_RUNTIME_DIR", s->run, sizeof s->run);
  env_value(json, "WAYLAND_DISPLAY", s->display, sizeof s->display);
  env_value(json, "SWAYSOCK", s->swaysock, sizeof s->swaysock);
  REQUIRE(s->run[0] != '\0' && s->display[0] != '\0');
  setenv("XDG_RUNTIME_DIR", s->run, 1);
  setenv("WAYLAND_DISPLAY", s->display, 1);
  if (s->swaysock[0] != '\0')
    setenv("SWAYSOCK", s->swaysock, 1);
  else
    unsetenv("SWAYSOCK");
  unsetenv("DISPLAY");
  unsetenv("CENUM_WINDOWS");
}

/* A client of the session `s`, run as its user with nothing of our
 * environment; `command` is run by sh. Its pid (that of the client itself:
 * setpriv and env exec it). */
static pid_t client(const session *s, const char *command) {
  char home[600], runtime[600], display[100];
  pid_t pid;
  snprintf(home, sizeof home, "HOME=%s", s->run);
  snprintf(runtime, sizeof runtime, "XDG_RUNTIME_DIR=%s", s->run);
  snprintf(display, sizeof display, "WAYLAND_DISPLAY=%s", s->display);
  pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    if (getuid() == 0)
      execlp("setpriv", "setpriv", "--reuid=65534", "--regid=65534",
             "--clear-groups", "env", "-i", "PATH=/usr/bin:/bin", home, runtime,
             display, "sh", "-c", command, (char *)NULL);
    else
      execlp("env", "env", "-i", "PATH=/usr/bin:/bin", home, runtime, display,
             "sh", "-c", command, (char *)NULL);
    _exit(127);
  }
  return pid;
}

static void end_client(pid_t pid) {
  if (pid <= 0)
    return;
  kill(pid, SIGTERM);
  waitpid(pid, NULL, 0);
}

/* One view of sway's tree as swaymsg gives it (parsed by Python's json, so
 * the reference is not cenum's own reader). */
typedef struct view {
  unsigned long long id;
  long long pid;
  int x, y, width, height;
  char name[256], app_id[256];
} view;

/* The view with container id `id` in `swaymsg -t get_tree`; 0 if none. */
static int sway_view(const session *s, uint64_t id, view *out) {
  char command[2048], line[1024];
  FILE *p;
  int found = 0;
  snprintf(command, sizeof command,
           "swaymsg -s '%s' -t get_tree | %s -c 'import json, sys\n"
           "def walk(n):\n"
           "    if \"pid\" in n:\n"
           "        r = n[\"rect\"]\n"
           "        print(\"%%d\\t%%d\\t%%d\\t%%d\\t%%d\\t%%d\\t%%s\\t%%s\" %% "
           "(n[\"id\"], n[\"pid\"], r[\"x\"], r[\"y\"], r[\"width\"], "
           "r[\"height\"], n[\"name\"] or \"\", n.get(\"app_id\") or \"\"))\n"
           "    for c in n.get(\"nodes\", []) + n.get(\"floating_nodes\", "
           "[]):\n"
           "        walk(c)\n"
           "walk(json.load(sys.stdin))'",
           s->swaysock, getenv("CENUM_TEST_PYTHON"));
  p = popen(command, "r");
  REQUIRE(p != NULL);
  while (fgets(line, sizeof line, p) != NULL) {
    view v;
    char *name, *app_id;
    line[strcspn(line, "\n")] = '\0';
    memset(&v, 0, sizeof v);
    if (sscanf(line, "%llu\t%lld\t%d\t%d\t%d\t%d", &v.id, &v.pid, &v.x, &v.y,
               &v.width, &v.height) != 6)
      continue;
    name = line;
    for (int tab = 0; tab < 6 && name != NULL; tab++)
      name = strchr(name, '\t') ? strchr(name, '\t') + 1 : NULL;
    if (name == NULL || (app_id = strchr(name, '\t')) == NULL)
      continue;
    *app_id++ = '\0';
    snprintf(v.name, sizeof v.name, "%.255s", name);
    snprintf(v.app_id, sizeof v.app_id, "%.255s", app_id);
    if (v.id == id) {
      *out = v;
      found = 1;
    }
  }
  pclose(p);
  return found;
}

/* The last record told is sway's view of the same container, field by
 * field. */
static void check_last_is_sways(const session *s, const char *title,
                                const char *app_id) {
  view v;
  CHECK_STR(last.title, title);
  CHECK_STR(last.app_id, app_id);
  if (!CHECK(sway_view(s, last.id, &v)))
    return;
  CHECK_STR(v.name, last.title);
  CHECK_STR(v.app_id, last.app_id);
  CHECK_INT(v.pid, last.pid);
  CHECK_INT(v.x, last.x);
  CHECK_INT(v.y, last.y);
  CHECK_INT(v.width, last.width);
  CHECK_INT(v.height, last.height);
}

static void swaymsg(const session *s, const char *command) {
  char line[1024];
  snprintf(line, sizeof line, "swaymsg -s '%s' '%s' > /dev/null", s->swaysock,
           command);
  CHECK_INT(system(line), 0);
}

/* ---------------------------------------------------------------- sway -- */

static void test_sway(const char *state) {
  session s;
  ce_watch *w = NULL;
  char fifo[700], command[1024];
  pid_t one, churn[6];
  uint64_t one_id;
  int titles;

  enter(state, &s);
  told_free(&seen);
  memset(&last, 0, sizeof last);
  REQUIRE(ce_watch_windows(NULL, on_window, NULL, &w) == CE_OK);
  CHECK_INT(ce_watch_dispatch(w, 0), CE_OK);
  CHECK(matches_fresh());

  /* A foot whose shell sets the title from each line of a FIFO (OSC 2, as
   * any program in a terminal does) and ends, closing the window, when the
   * FIFO's last writer closes it. Opened read-write here, the FIFO never
   * blocks this side and keeps what is written until the shell reads. */
  snprintf(fifo, sizeof fifo, "%s/cenum-watch.fifo", s.run);
  unlink(fifo);
  REQUIRE(mkfifo(fifo, 0600) == 0);
  if (getuid() == 0)
    REQUIRE(chown(fifo, USER, USER) == 0);
  titles = open(fifo, O_RDWR | O_CLOEXEC);
  REQUIRE(titles >= 0);
  snprintf(command, sizeof command,
           "exec foot --title 'watch one' --app-id cenum.watch.one sh -c "
           "'while read -r t; do printf \"\\033]2;%%s\\007\" \"$t\"; done < "
           "%s'",
           fifo);

  /* Added, with sway's fields. */
  told_reset_counts(&seen);
  one = client(&s, command);
  DISPATCH_UNTIL(w, seen.added >= 1 && strcmp(last.title, "watch one") == 0);
  CHECK(last.change == CE_ADDED);
  CHECK_INT(last.pid, one);
  one_id = last.id;
  /* sway counts the title bar out of the frame once foot settled its
   * decorations: the watch's second look tells that as a change. */
  told_settle(&seen, w);
  CHECK(last.id == one_id);
  check_last_is_sways(&s, "watch one", "cenum.watch.one");
  CHECK_INT(seen.added, 1);
  CHECK(settles_to_fresh(w));

  /* Retitled by the program in the terminal: changed, the id kept. */
  told_reset_counts(&seen);
  CHECK_INT(write(titles, "watch one, renamed\n", 19), 19);
  DISPATCH_UNTIL(w, last.id == one_id &&
                        strcmp(last.title, "watch one, renamed") == 0);
  CHECK(last.change == CE_CHANGED);
  CHECK_INT(seen.added + seen.removed, 0);
  check_last_is_sways(&s, "watch one, renamed", "cenum.watch.one");

  /* Floating: a new frame, which only sway's IPC tells (no event of the
   * Wayland protocols says so). */
  told_settle(&seen, w);
  told_reset_counts(&seen);
  swaymsg(&s, "[app_id=cenum.watch.one] floating enable");
  DISPATCH_UNTIL(w, last.id == one_id && last.change == CE_CHANGED &&
                        last.width != 1280);
  told_settle(&seen, w);
  check_last_is_sways(&s, "watch one, renamed", "cenum.watch.one");
  CHECK(settles_to_fresh(w));

  /* Closed (its shell ends, and foot with it): removed. */
  told_reset_counts(&seen);
  close(titles);
  DISPATCH_UNTIL(w, last.id == one_id && last.change == CE_REMOVED);
  CHECK_STR(last.title, "watch one, renamed");
  waitpid(one, NULL, 0);
  unlink(fifo);
  CHECK(settles_to_fresh(w));

  /* A churn: six windows, then every other one closed, then the rest. */
  told_reset_counts(&seen);
  for (int i = 0; i < 6; i++) {
    snprintf(command, sizeof command,
             "exec foot --title 'churn %d' --app-id cenum.watch.churn%d "
             "sleep 120",
             i, i);
    churn[i] = client(&s, command);
  }
  DISPATCH_UNTIL(w, seen.added >= 6);
  CHECK(settles_to_fresh(w));
  CHECK_INT(seen.removed, 0);
  told_reset_counts(&seen);
  for (int i = 0; i < 6; i += 2)
    end_client(churn[i]);
  DISPATCH_UNTIL(w, seen.removed >= 3);
  CHECK(settles_to_fresh(w));
  CHECK_INT(seen.removed, 3);
  for (int i = 1; i < 6; i += 2)
    end_client(churn[i]);
  DISPATCH_UNTIL(w, seen.removed >= 6);
  CHECK(settles_to_fresh(w));
  CHECK_INT(seen.errors, 0);
  ce_watch_close(w);
  told_free(&seen);
}

/* -------------------------------------------------------------- weston -- */

static void test_weston(const char *state) {
  session s;
  ce_window_query q = CE_WINDOW_QUERY_INIT;
  ce_watch *w = (ce_watch *)&s;
  told_fresh none = {key_of, value_of, {NULL}, 0};
  char detail[1024];

  enter(state, &s);
  /* The enumeration's refusal, and its detail, word for word. */
  CHECK_INT(ce_enum_windows_ex(&q, told_collect_window, &none),
            CE_E_UNSUPPORTED);
  snprintf(detail, sizeof detail, "%s", ce_error_detail());
  CHECK(strstr(detail, "offers no window list") != NULL);
  CHECK(strstr(detail, "weston") != NULL);
  CHECK_INT(ce_watch_windows(&q, on_window, NULL, &w), CE_E_UNSUPPORTED);
  CHECK(w == NULL);
  CHECK_STR(ce_error_detail(), detail);
  q.backend = CE_WINDOWS_WAYLAND;
  CHECK_INT(ce_watch_windows(&q, on_window, NULL, &w), CE_E_UNSUPPORTED);
  CHECK_STR(ce_error_detail(), detail);
  CHECK_INT(none.count, 0);
}

/* ------------------------------------------------- compositors killed -- */

/* Dispatches until a compositor killed is seen: CE_E_UNAVAILABLE within
 * the bounded dispatches, then at once on the next call. */
static void check_killed(ce_watch *w, const char *what) {
  int status = CE_OK;
  for (int i = 0; i < 50 && status == CE_OK; i++)
    status = ce_watch_dispatch(w, 100);
  if (status != CE_E_UNAVAILABLE)
    fprintf(stderr, "%s: %s: %s\n", what, ce_status_name(status),
            ce_error_detail());
  CHECK_INT(status, CE_E_UNAVAILABLE);
  CHECK(strstr(ce_error_detail(), "closed") != NULL);
  CHECK_INT(ce_watch_dispatch(w, 1000), CE_E_UNAVAILABLE);
  ce_watch_close(w);
}

/* A Wayland watch on a stub of its own running `scenario`, whose three
 * toplevels the first dispatch tells as a fresh enumeration lists them. */
static ce_watch *watch_stub(const char *scenario) {
  ce_window_query q = CE_WINDOW_QUERY_INIT;
  ce_watch *w = NULL;

  start_stub(scenario);
  told_free(&seen);
  told_reset_counts(&seen);
  q.backend = CE_WINDOWS_WAYLAND;
  REQUIRE(ce_watch_windows(&q, on_window, NULL, &w) == CE_OK);
  CHECK_INT(ce_watch_dispatch(w, 0), CE_OK);
  CHECK_INT(seen.added, 3);
  CHECK(matches_fresh());
  return w;
}

static void test_stub_killed(void) {
  /* Both lists: the ext list's toplevels, with ids from their
   * identifiers, as the enumeration gives them. */
  ce_watch *w = watch_stub("both");

  kill(stub, SIGKILL);
  waitpid(stub, NULL, 0);
  stub = -1;
  check_killed(w, "stub");
  told_free(&seen);
}

/* ext_foreign_toplevel_list_v1 alone, changing at each SIGUSR1 (the stub's
 * `live`): each change of the ext list's own events is told, with the id
 * from the toplevel's identifier, as a fresh enumeration lists it. */
static void test_stub_live(void) {
  ce_watch *w = watch_stub("live");

  told_reset_counts(&seen);
  kill(stub, SIGUSR1); /* the first retitled */
  DISPATCH_UNTIL(w, last.change == CE_CHANGED);
  CHECK_STR(last.title, "retitled");
  CHECK_STR(last.app_id, "org.cenum.one");
  CHECK(last.id == ce__wl_identifier_id("a1b2c3d4-0001", 13));
  CHECK(matches_fresh());

  told_reset_counts(&seen);
  kill(stub, SIGUSR1); /* the second closed */
  DISPATCH_UNTIL(w, last.change == CE_REMOVED);
  CHECK(last.id == ce__wl_identifier_id("a1b2c3d4-0002", 13));
  CHECK(matches_fresh());

  told_reset_counts(&seen);
  kill(stub, SIGUSR1); /* a fourth announced */
  DISPATCH_UNTIL(w, last.change == CE_ADDED);
  CHECK_STR(last.title, "the new one");
  CHECK_STR(last.app_id, "org.cenum.new");
  CHECK(last.id == ce__wl_identifier_id("a1b2c3d4-0004", 13));
  CHECK(matches_fresh());
  CHECK_INT(seen.added + seen.removed + seen.changed, 1);
  CHECK_INT(seen.errors, 0);
  ce_watch_close(w);
  stop_stub();
  told_free(&seen);
}

/* Whether a and b are the same text but for their numbers (a pid, a
 * directory's serial). */
static int same_but_numbers(const char *a, const char *b) {
  while (*a != '\0' && *b != '\0') {
    if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
      while (*a >= '0' && *a <= '9')
        a++;
      while (*b >= '0' && *b <= '9')
        b++;
    } else if (*a++ != *b++) {
      return 0;
    }
  }
  return *a == *b;
}

/* Counts, for more records than `told` holds. */
static ce_next count_listed(const ce_window *w, void *ctx) {
  (void)w;
  ++*(size_t *)ctx;
  return CE_CONTINUE;
}

static size_t counted_added;
static ce_next count_added(ce_change change, const ce_window *w, void *ctx) {
  (void)w, (void)ctx;
  counted_added += change == CE_ADDED;
  CHECK(change == CE_ADDED);
  return CE_CONTINUE;
}

/* Compositors that misbehave (tests/wayland/stub_compositor.c): the watch
 * starts as the enumeration lists, or fails with the enumeration's status
 * and detail. */
static void test_stub_scenarios(void) {
  static const char *const scenarios[] = {"hostile", "huge",  "chatty", "none",
                                          "close",   "error", "silent"};
  for (size_t i = 0; i < sizeof scenarios / sizeof *scenarios; i++) {
    ce_window_query q = CE_WINDOW_QUERY_INIT;
    size_t listed = 0;
    ce_watch *w = NULL;
    char detail[1024];
    int status;

    start_stub(scenarios[i]);
    q.backend = CE_WINDOWS_WAYLAND;
    q.timeout_ms = strcmp(scenarios[i], "silent") == 0 ? 300 : 20000;
    status = ce_enum_windows_ex(&q, count_listed, &listed);
    snprintf(detail, sizeof detail, "%s", ce_error_detail());
    /* A stub of its own for the watch: `close` serves one client only (it
     * destroys the client inside a request of its). The detail names its
     * pid. */
    start_stub(scenarios[i]);
    counted_added = 0;
    if (!CHECK(ce_watch_windows(&q, count_added, NULL, &w) == status))
      fprintf(stderr, "%s: the enumeration's %s, the watch's %s\n",
              scenarios[i], ce_status_name(status), ce_error_detail());
    if (status != CE_OK) {
      CHECK(w == NULL);
      if (!CHECK(same_but_numbers(ce_error_detail(), detail)))
        fprintf(stderr, "%s: \"%s\", the enumeration's \"%s\"\n", scenarios[i],
                ce_error_detail(), detail);
      continue;
    }
    if (w == NULL)
      continue;
    CHECK_INT(ce_watch_dispatch(w, 0), CE_OK);
    CHECK_INT(counted_added, listed);
    CHECK(listed > 0);
    ce_watch_close(w);
  }
  stop_stub();
  told_free(&seen);
}

static void test_sway_killed(void) {
  char state[600], command[2048], path[700];
  const char *tmp = getenv("CENUM_TEST_TMP");
  session s;
  ce_watch *w = NULL;
  FILE *f;
  int pid = 0;

  snprintf(state, sizeof state, "%s/watch-sway-killed", tmp);
  snprintf(command, sizeof command, "'%s' '%s' start '%s' sway",
           getenv("CENUM_TEST_PYTHON"), getenv("CENUM_TEST_COMPOSITOR"), state);
  REQUIRE(system(command) == 0);
  enter(state, &s);
  told_free(&seen);
  REQUIRE(ce_watch_windows(NULL, on_window, NULL, &w) == CE_OK);
  CHECK_INT(ce_watch_dispatch(w, 0), CE_OK);

  snprintf(path, sizeof path, "%s/compositor.pid", state);
  f = fopen(path, "r");
  REQUIRE(f != NULL && fscanf(f, "%d", &pid) == 1 && pid > 0);
  fclose(f);
  kill(pid, SIGKILL);
  check_killed(w, "sway");

  snprintf(command, sizeof command, "'%s' '%s' stop '%s'",
           getenv("CENUM_TEST_PYTHON"), getenv("CENUM_TEST_COMPOSITOR"), state);
  CHECK_INT(system(command), 0);
  told_free(&seen);
}

int main(void) {
  const char *sway = getenv("CENUM_TEST_SWAY");
  const char *weston = getenv("CENUM_TEST_WESTON");
  REQUIRE(sway != NULL && weston != NULL && getenv("CENUM_TEST_STUB") &&
          getenv("CENUM_TEST_COMPOSITOR") && getenv("CENUM_TEST_PYTHON") &&
          getenv("CENUM_TEST_TMP"));
  /* A client killed while we write to its FIFO must not end the test. */
  signal(SIGPIPE, SIG_IGN);
  test_sway(sway);
  test_weston(weston);
  test_stub_live();
  test_stub_killed();
  test_stub_scenarios();
  test_sway_killed();
  return check_finish();
}
