/* SPDX-License-Identifier: MIT */
/*
 * The X11 backend never hurts its host, against servers that misbehave on
 * purpose (tests/x11/xhostile.py) and a real Xvfb killed mid-enumeration:
 * the host process never exits inside the library, its own Xlib is never
 * locked nor its I/O error handler called, nothing is left behind after a
 * timeout or a cancel (threads, memory), and every call returns within its
 * timeout, never CE_OK after missing it.
 *
 * Each scenario runs in a child process, so that a library that ends the
 * process (as Xlib's default I/O error handler does) fails the scenario
 * instead of the whole test, and a watchdog alarm turns a hang into a
 * failure.
 *
 * Environment: CENUM_TEST_X11_STATE (the x11 fixture's directory, with its
 * healthy Xvfb), CENUM_TEST_XHOSTILE (tests/x11/xhostile.py),
 * CENUM_TEST_PYTHON.
 */
#include "check.h"
#include "internal.h"

#include <X11/Xlib.h>

#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char healthy[64]; /* the fixture's display, ":N" */

/* ----------------------------------------------------------- helpers -- */

/* A hostile server: its process and the display that reaches it. */
typedef struct hostile {
  pid_t pid;
  char display[64];
} hostile;

static void hostile_start(hostile *h, const char *mode, const char *after) {
  const char *python = getenv("CENUM_TEST_PYTHON");
  const char *script = getenv("CENUM_TEST_XHOSTILE");
  char target[PATH_MAX], line[32];
  int out[2];
  FILE *f;
  REQUIRE(python != NULL && script != NULL);
  /* The healthy display's own Unix socket, where a proxy forwards to. */
  snprintf(target, sizeof target, "/tmp/.X11-unix/X%s", healthy + 1);
  REQUIRE(pipe(out) == 0);
  h->pid = fork();
  REQUIRE(h->pid >= 0);
  if (h->pid == 0) {
    dup2(out[1], 1);
    close(out[0]);
    execl(python, python, script, mode, "--to", target, "--life", "30",
          "--after", after, (char *)NULL);
    _exit(127);
  }
  close(out[1]);
  f = fdopen(out[0], "r");
  REQUIRE(f != NULL && fgets(line, sizeof line, f) != NULL);
  fclose(f);
  line[strcspn(line, "\n")] = '\0';
  snprintf(h->display, sizeof h->display, "127.0.0.1:%s", line);
}

static void hostile_stop(hostile *h) {
  kill(h->pid, SIGTERM);
  waitpid(h->pid, NULL, 0);
}

static ce_next count(const ce_window *w, void *ctx) {
  (void)w;
  ++*(int *)ctx;
  return CE_CONTINUE;
}

static int enum_on(const char *display, unsigned timeout_ms) {
  ce_window_query q = CE_WINDOW_QUERY_INIT;
  int n = 0;
  q.timeout_ms = timeout_ms;
  setenv("DISPLAY", display, 1);
  return ce_enum_windows_ex(&q, count, &n);
}

/* The program's own I/O error handler: the library must never reach it. */
static int io_handler_calls;
static int io_handler(Display *d) {
  (void)d;
  io_handler_calls++;
  fprintf(stderr, "the host's X I/O error handler was called\n");
  _exit(90);
}

static int threads_now(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  int n = -1;
  while (f != NULL && fgets(line, sizeof line, f) != NULL)
    if (strncmp(line, "Threads:", 8) == 0)
      n = atoi(line + 8);
  if (f != NULL)
    fclose(f);
  return n;
}

/*
 * Runs `scenario` in a child with a watchdog of `watchdog_s` seconds and
 * the host's I/O error handler installed; returns what the child exited
 * with (0: every check passed), or 100 + the signal that ended it.
 */
static int in_child(const char *name, int (*scenario)(void),
                    unsigned watchdog_s) {
  int status;
  pid_t pid;
  fflush(NULL);
  pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    check_failures = 0; /* the child counts its own */
    alarm(watchdog_s);
    XSetIOErrorHandler(io_handler);
    _exit(scenario());
  }
  REQUIRE(waitpid(pid, &status, 0) == pid);
  if (WIFSIGNALED(status)) {
    fprintf(stderr, "%s: the child died of signal %d\n", name,
            WTERMSIG(status));
    return 100 + WTERMSIG(status);
  }
  if (WEXITSTATUS(status) != 0)
    fprintf(stderr, "%s: the child exited with %d\n", name,
            WEXITSTATUS(status));
  return WEXITSTATUS(status);
}

/* --------------------------------------------------------- scenarios -- */

/*
 * A server that accepts and never answers: each call times out in time,
 * and afterwards the program's own Xlib works at once (no lock left
 * behind), a healthy display enumerates, and no thread is left over.
 */
static int silent_server(void) {
  hostile h;
  uint64_t start, took;
  int status, threads_before, threads_after;
  Display *own;

  hostile_start(&h, "silent", "0");
  threads_before = threads_now();
  for (int i = 0; i < 10; i++) {
    start = ce__now_ms();
    status = enum_on(h.display, 300);
    took = ce__now_ms() - start;
    CHECK_INT(status, CE_E_TIMEOUT);
    CHECK(took >= 290 && took < 3000);
  }
  /* Anything the library left running would still be there. */
  threads_after = threads_now();
  CHECK_INT(threads_after, threads_before);

  start = ce__now_ms();
  XSetErrorHandler(NULL);
  own = XOpenDisplay(healthy);
  took = ce__now_ms() - start;
  CHECK(own != NULL);
  CHECK(took < 1000);
  if (own != NULL)
    XCloseDisplay(own);
  CHECK_INT(enum_on(healthy, 5000), CE_OK);
  hostile_stop(&h);
  return check_finish();
}

/* A server that accepts and resets the connection at once: CE_E_UNAVAILABLE,
 * and no SIGPIPE (left at its default action here, which ends the process)
 * reaches the host. XCB writes with writev, which raises SIGPIPE on a reset
 * connection; here its setup write usually comes before the reset arrives,
 * so this held before the setup thread blocked SIGPIPE too: a guard. */
static int reset_at_once(void) {
  hostile h;
  signal(SIGPIPE, SIG_DFL);
  hostile_start(&h, "slam", "0");
  for (int i = 0; i < 20; i++)
    CHECK_INT(enum_on(h.display, 3000), CE_E_UNAVAILABLE);
  hostile_stop(&h);
  return check_finish();
}

/* The connection breaks right after the setup: CE_E_UNAVAILABLE, and the
 * process goes on, SIGPIPE at its default action (XCB reads the hangup
 * before it writes, so this holds without the SIGPIPE guard too: a guard). */
static int close_after_setup(void) {
  hostile h;
  signal(SIGPIPE, SIG_DFL);
  hostile_start(&h, "close-setup", "0");
  for (int i = 0; i < 5; i++)
    CHECK_INT(enum_on(h.display, 3000), CE_E_UNAVAILABLE);
  CHECK(strstr(ce_error_detail(), "X11") != NULL);
  hostile_stop(&h);
  return check_finish();
}

/* The connection breaks on the FreeGC that XCloseDisplay sends: whatever
 * the library sends when it closes, the process goes on, and the data it
 * had is not lost (or the failure is told). */
static int close_on_freegc(void) {
  hostile h;
  hostile_start(&h, "close-freegc", "0");
  for (int i = 0; i < 5; i++) {
    int status = enum_on(h.display, 3000);
    CHECK(status == CE_OK || status == CE_E_UNAVAILABLE);
  }
  hostile_stop(&h);
  return check_finish();
}

/*
 * The connection closes in the middle of an enumeration of a few thousand
 * windows while requests are still being written: CE_E_UNAVAILABLE, and no
 * SIGPIPE (whose default action ends the process) reaches the host.
 */
static int closed_mid_enumeration(void) {
  Display *own = XOpenDisplay(healthy);
  hostile h;
  REQUIRE(own != NULL);
  for (int i = 0; i < 3000; i++)
    XCreateSimpleWindow(own, DefaultRootWindow(own), 0, 0, 10, 10, 0, 0, 0);
  XSync(own, False);
  signal(SIGPIPE, SIG_DFL);
  for (int round = 0; round < 6; round++) {
    char after[16];
    snprintf(after, sizeof after, "%d", 40 + round * 997);
    hostile_start(&h, "close-after", after);
    CHECK_INT(enum_on(h.display, 5000), CE_E_UNAVAILABLE);
    hostile_stop(&h);
  }
  XCloseDisplay(own);
  return check_finish();
}

/*
 * A server that stops reading in the middle of an enumeration of a few
 * thousand windows (as one grabbed by another client does): the call
 * returns CE_E_TIMEOUT within its timeout, never CE_OK.
 */
static int stalled_mid_enumeration(void) {
  Display *own = XOpenDisplay(healthy);
  hostile h;
  uint64_t start, took;
  int status;
  REQUIRE(own != NULL);
  /* Unmapped children of the root are enumerated like any other. */
  for (int i = 0; i < 3000; i++)
    XCreateSimpleWindow(own, DefaultRootWindow(own), 0, 0, 10, 10, 0, 0, 0);
  XSync(own, False);
  hostile_start(&h, "stall", "40");
  for (int i = 0; i < 3; i++) {
    start = ce__now_ms();
    status = enum_on(h.display, 1000);
    took = ce__now_ms() - start;
    CHECK_INT(status, CE_E_TIMEOUT);
    CHECK(took >= 990 && took < 5000);
  }
  hostile_stop(&h);
  XCloseDisplay(own);
  return check_finish();
}

/*
 * The real thing: another client grabs the server in the middle of an
 * enumeration of 20,000 windows and holds it for 8 s. The server stops
 * reading our connection, our requests fill the socket, and the call must
 * still return CE_E_TIMEOUT within its timeout (or CE_OK had it finished
 * before the grab began), never later.
 */
/* A grabbing client in a process of its own, forked before the scenario
 * opens any connection (a child inheriting one would leave it unfreed):
 * it connects, waits for the byte on `go`, then grabs 20 + 15 * round ms
 * later for 8 s. */
typedef struct grabber {
  pid_t pid;
  int go; /* the pipe's write end */
} grabber;

static void grabber_start(grabber *g, int round) {
  int go[2];
  REQUIRE(pipe(go) == 0);
  g->pid = fork();
  REQUIRE(g->pid >= 0);
  if (g->pid == 0) {
    struct timespec delay = {0, 20 * 1000000L + round * 15 * 1000000L};
    char byte;
    Display *d;
    XSetIOErrorHandler(NULL);
    close(go[1]);
    d = XOpenDisplay(healthy);
    if (d == NULL)
      _exit(1);
    if (read(go[0], &byte, 1) == 1) {
      nanosleep(&delay, NULL);
      XGrabServer(d);
      XSync(d, False);
      sleep(8);
      XUngrabServer(d);
    }
    XCloseDisplay(d);
    _exit(0);
  }
  close(go[0]);
  g->go = go[1];
}

static int grabbed_mid_enumeration(void) {
  grabber grabbers[3];
  Display *own;
  for (int round = 0; round < 3; round++)
    grabber_start(&grabbers[round], round);
  own = XOpenDisplay(healthy);
  REQUIRE(own != NULL);
  for (int i = 0; i < 20000; i++)
    XCreateSimpleWindow(own, DefaultRootWindow(own), 0, 0, 10, 10, 0, 0, 0);
  XSync(own, False);
  for (int round = 0; round < 3; round++) {
    char byte = 0;
    uint64_t start, took;
    int status;
    start = ce__now_ms();
    REQUIRE(write(grabbers[round].go, &byte, 1) == 1);
    status = enum_on(healthy, 1000);
    took = ce__now_ms() - start;
    close(grabbers[round].go);
    if (status != CE_E_TIMEOUT || took >= 5000)
      fprintf(stderr, "round %d: status %d after %llu ms\n", round, status,
              (unsigned long long)took);
    CHECK(status == CE_E_TIMEOUT || (status == CE_OK && took < 1000));
    /* Bounded by the timeout, with room for valgrind and a loaded machine;
     * a call held by the grab would take its whole 8 s. */
    CHECK(took < 5000);
    waitpid(grabbers[round].pid, NULL, 0);
  }
  XCloseDisplay(own);
  return check_finish();
}

/* Cancelled enumerations on a live server leave nothing behind. */
static ce_next cancel_at_first(const ce_window *w, void *ctx) {
  (void)w;
  __atomic_store_n((int *)ctx, 1, __ATOMIC_RELAXED);
  return CE_CONTINUE;
}

static int cancelled_leaks_nothing(void) {
  Display *own = XOpenDisplay(healthy);
  struct mallinfo2 before, after;
  REQUIRE(own != NULL);
  /* Some windows, so there is a record to cancel at. */
  for (int i = 0; i < 20; i++)
    XCreateSimpleWindow(own, DefaultRootWindow(own), 0, 0, 10, 10, 0, 0, 0);
  XSync(own, False);
  setenv("DISPLAY", healthy, 1);
  for (int round = 0; round < 2; round++) {
    before = mallinfo2();
    for (int i = 0; i < 40; i++) {
      int cancel = 0;
      ce_window_query q = CE_WINDOW_QUERY_INIT;
      q.cancel = &cancel;
      CHECK_INT(ce_enum_windows_ex(&q, cancel_at_first, &cancel),
                CE_E_CANCELLED);
    }
    after = mallinfo2();
    /* The first round loads the libraries; the second must not grow. */
    if (round == 1)
      CHECK(after.uordblks < before.uordblks + 64 * 1024);
  }
  XCloseDisplay(own);
  return check_finish();
}

/*
 * Starts a private Xvfb on a free display (-displayfd), with `auth` as its
 * -auth file when not NULL, and writes ":N" into `display`; returns its
 * pid. -noreset: a server that resets when its last client leaves could
 * refuse the next connections for a moment.
 */
static pid_t start_xvfb(const char *auth, char *display, size_t size) {
  char number[16] = "";
  int fds[2];
  pid_t xvfb;
  FILE *f;
  REQUIRE(pipe(fds) == 0);
  xvfb = fork();
  REQUIRE(xvfb >= 0);
  if (xvfb == 0) {
    char fd_text[16];
    close(fds[0]);
    snprintf(fd_text, sizeof fd_text, "%d", fds[1]);
    /* Xvfb reports each display number it finds taken. */
    freopen("/dev/null", "w", stderr);
    if (auth != NULL)
      execlp("Xvfb", "Xvfb", "-displayfd", fd_text, "-noreset", "-auth", auth,
             "-screen", "0", "640x480x24", "-nolisten", "tcp", (char *)NULL);
    else
      execlp("Xvfb", "Xvfb", "-displayfd", fd_text, "-noreset", "-screen", "0",
             "640x480x24", "-nolisten", "tcp", (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  f = fdopen(fds[0], "r");
  REQUIRE(f != NULL && fgets(number, sizeof number, f) != NULL);
  fclose(f);
  number[strcspn(number, "\n")] = '\0';
  snprintf(display, size, ":%s", number);
  return xvfb;
}

/* Kills the Xvfb `pid` `after_ms` from now, from a thread of its own, so
 * the kill lands in the middle of whatever call is running then. */
typedef struct killer {
  pid_t pid;
  unsigned after_ms;
  int done;
} killer;

static void *kill_later(void *data) {
  killer *k = data;
  struct timespec wait = {k->after_ms / 1000,
                          (long)(k->after_ms % 1000) * 1000000L};
  nanosleep(&wait, NULL);
  kill(k->pid, SIGKILL);
  __atomic_store_n(&k->done, 1, __ATOMIC_RELEASE);
  return NULL;
}

/*
 * A real Xvfb killed while the program enumerates it in a loop: every call
 * returns (CE_OK before, CE_E_UNAVAILABLE after), and the process lives.
 */
static int killed_server(void) {
  for (int round = 0; round < 8; round++) {
    char display[32];
    pid_t xvfb = start_xvfb(NULL, display, sizeof display);
    {
      /* Enumerate in a loop while the server is killed after a moment
       * that varies per round, so the kill lands in different stages. */
      killer k = {xvfb, 300 + (unsigned)round * 20, 0};
      pthread_t thread;
      uint64_t give_up = ce__now_ms() + 20000;
      int killed, ok = 0;
      REQUIRE(pthread_create(&thread, NULL, kill_later, &k) == 0);
      for (;;) {
        int status = enum_on(display, 2000);
        CHECK(status == CE_OK || status == CE_E_UNAVAILABLE);
        ok += status == CE_OK;
        killed = __atomic_load_n(&k.done, __ATOMIC_ACQUIRE);
        if ((killed && status == CE_E_UNAVAILABLE) || ce__now_ms() > give_up)
          break;
      }
      pthread_join(thread, NULL);
      waitpid(xvfb, NULL, 0);
      CHECK(killed);
      CHECK(ok > 0);
    }
  }
  return check_finish();
}

/*
 * A server that demands MIT-MAGIC-COOKIE-1: the library reads the cookie
 * from XAUTHORITY (as Xlib does, written here with xauth, the reference
 * tool) and is let in; without it, or with a wrong one, it is refused with
 * CE_E_UNAVAILABLE. From 8 threads at once too: the file is read without
 * libXau, whose XauFileName is not thread-safe.
 */
static void *enumerate_thread(void *display) {
  ce_window_query q = CE_WINDOW_QUERY_INIT;
  int n = 0, status;
  q.timeout_ms = 5000;
  status = ce_enum_windows_ex(&q, count, &n);
  if (status != CE_OK)
    fprintf(stderr, "a thread on %s: %s: %s\n", (const char *)display,
            ce_status_name(status), ce_error_detail());
  return (void *)(intptr_t)status;
}

static int authorised(void) {
  const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
  char dir[PATH_MAX], cmd[3 * PATH_MAX], server_auth[PATH_MAX + 16],
      client_auth[PATH_MAX + 16], wrong_auth[PATH_MAX + 16], number[16] = "",
                                                             display[32];
  const char *good = "00112233445566778899aabbccddeeff";
  pid_t xvfb;

  snprintf(dir, sizeof dir, "%s/cenum-auth-XXXXXX", tmp);
  REQUIRE(mkdtemp(dir) != NULL);
  snprintf(server_auth, sizeof server_auth, "%s/server", dir);
  snprintf(client_auth, sizeof client_auth, "%s/client", dir);
  snprintf(wrong_auth, sizeof wrong_auth, "%s/wrong", dir);
  snprintf(cmd, sizeof cmd, "xauth -q -f %s add :0 MIT-MAGIC-COOKIE-1 %s",
           server_auth, good);
  REQUIRE(system(cmd) == 0);
  xvfb = start_xvfb(server_auth, display, sizeof display);
  strcpy(number, display + 1);
  /* The client's file names this display of this host, as `xauth add`
   * writes a local entry. */
  snprintf(cmd, sizeof cmd,
           "xauth -q -f %s add unix:%s MIT-MAGIC-COOKIE-1 %s && "
           "xauth -q -f %s add unix:%s MIT-MAGIC-COOKIE-1 %s",
           client_auth, number, good, wrong_auth, number,
           "ffeeddccbbaa99887766554433221100");
  REQUIRE(system(cmd) == 0);

  setenv("XAUTHORITY", client_auth, 1);
  CHECK_INT(enum_on(display, 5000), CE_OK);
  {
    pthread_t threads[8];
    for (int i = 0; i < 8; i++)
      REQUIRE(pthread_create(&threads[i], NULL, enumerate_thread, display) ==
              0);
    for (int i = 0; i < 8; i++) {
      void *status;
      pthread_join(threads[i], &status);
      CHECK_INT((int)(intptr_t)status, CE_OK);
    }
  }
  setenv("XAUTHORITY", wrong_auth, 1);
  CHECK_INT(enum_on(display, 5000), CE_E_UNAVAILABLE);
  setenv("XAUTHORITY", dir, 1); /* a directory: no file to read */
  CHECK_INT(enum_on(display, 5000), CE_E_UNAVAILABLE);
  CHECK(strstr(ce_error_detail(), "authori") != NULL);
  unsetenv("XAUTHORITY");

  kill(xvfb, SIGTERM);
  waitpid(xvfb, NULL, 0);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  CHECK(system(cmd) == 0);
  return check_finish();
}

/* ------------------------------------------------------------- main -- */

static void read_display(void) {
  const char *state = getenv("CENUM_TEST_X11_STATE");
  char path[PATH_MAX];
  FILE *f;
  snprintf(path, sizeof path, "%s/display", state ? state : ".");
  f = fopen(path, "r");
  check_require(f != NULL, "Xvfb (fixture x11)");
  if (fgets(healthy, sizeof healthy, f) != NULL)
    healthy[strcspn(healthy, "\n")] = '\0';
  fclose(f);
  REQUIRE(healthy[0] == ':');
}

int main(void) {
  read_display();
  CHECK_INT(in_child("silent server", silent_server, 30), 0);
  CHECK_INT(in_child("reset at once", reset_at_once, 30), 0);
  CHECK_INT(in_child("close after setup", close_after_setup, 30), 0);
  CHECK_INT(in_child("close on FreeGC", close_on_freegc, 30), 0);
  CHECK_INT(in_child("stalled mid-enumeration", stalled_mid_enumeration, 60),
            0);
  CHECK_INT(in_child("closed mid-enumeration", closed_mid_enumeration, 60), 0);
  CHECK_INT(in_child("grabbed mid-enumeration", grabbed_mid_enumeration, 90),
            0);
  CHECK_INT(in_child("cancelled leaks nothing", cancelled_leaks_nothing, 60),
            0);
  CHECK_INT(in_child("killed server", killed_server, 120), 0);
  CHECK_INT(in_child("authorised", authorised, 60), 0);
  return check_finish();
}
