/* SPDX-License-Identifier: MIT */
/*
 * Resource bounds: every file descriptor (and so every X or CUPS connection)
 * a call opens is closed when it returns, on success and on each failure
 * path; and a window with a 16 MiB title costs no more memory than its
 * 64 KiB cap.
 *
 * Environment: DISPLAY_FILE (the x11 fixture's `display` file), CUPS_SERVER
 * (a live cupsd), FONTCONFIG_FILE, CENUM_TEST_TMP (a directory for sockets).
 */
#include "check.h"
#include "internal.h"

#include <X11/Xlib.h>

#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static int open_fds(void) {
  DIR *dir = opendir("/proc/self/fd");
  struct dirent *entry;
  int count = 0;
  REQUIRE(dir != NULL);
  while ((entry = readdir(dir)) != NULL)
    if (entry->d_name[0] != '.')
      count++;
  closedir(dir);
  return count - 1; /* the directory stream itself */
}

static ce_next count_font(const ce_font *r, void *ctx) {
  (void)r;
  ++*(int *)ctx;
  return CE_CONTINUE;
}
static ce_next count_window(const ce_window *r, void *ctx) {
  (void)r;
  ++*(int *)ctx;
  return CE_CONTINUE;
}
static ce_next count_printer(const ce_printer *r, void *ctx) {
  (void)r;
  ++*(int *)ctx;
  return CE_CONTINUE;
}

/* The longest title seen, and whether it was the big one. */
static ce_next longest_title(const ce_window *w, void *ctx) {
  size_t *longest = ctx;
  if (strlen(w->title) > *longest)
    *longest = strlen(w->title);
  return CE_CONTINUE;
}

/* Runs one call and checks the descriptors are back to where they were. */
#define EXPECT_NO_FD_LEAK(what, call, expected_status)                         \
  do {                                                                         \
    int before_ = open_fds(), calls_ = 0, status_;                             \
    status_ = (call);                                                          \
    (void)calls_;                                                              \
    if (status_ != (expected_status))                                          \
      fprintf(stderr, "%s: %s (%s)\n", what, ce_status_name(status_),          \
              ce_error_detail());                                              \
    CHECK_INT(status_, expected_status);                                       \
    if (open_fds() != before_)                                                 \
      fprintf(stderr, "%s: %d descriptors before, %d after\n", what, before_,  \
              open_fds()),                                                     \
          check_failures++;                                                    \
  } while (0)

/* libcups reads CUPS_SERVER once per thread, so each server is asked from a
 * thread of its own. */
typedef struct printers_call {
  unsigned timeout_ms;
  int status;
} printers_call;

static void *call_printers(void *arg) {
  printers_call *c = arg;
  ce_printer_query q = CE_PRINTER_QUERY_INIT;
  int n = 0;
  q.timeout_ms = c->timeout_ms;
  c->status = ce_enum_printers_ex(&q, count_printer, &n);
  return NULL;
}

static int printers_in_thread(const char *server, unsigned timeout_ms) {
  pthread_t thread;
  printers_call c = {timeout_ms, 0};
  setenv("CUPS_SERVER", server, 1);
  REQUIRE(pthread_create(&thread, NULL, call_printers, &c) == 0);
  pthread_join(thread, NULL);
  return c.status;
}

/* A unix socket that accepts connections (into its backlog) and never
 * answers. */
static int hung_server(const char *path) {
  struct sockaddr_un addr;
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(fd >= 0 && strlen(path) < sizeof addr.sun_path);
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  strcpy(addr.sun_path, path);
  unlink(path);
  REQUIRE(bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0);
  REQUIRE(listen(fd, 8) == 0);
  return fd;
}

/* A child process owns a window titled with `size` bytes, so this process's
 * peak memory does not include the title it sent. Returns its pid once the
 * window exists. */
static pid_t big_title_window(size_t size) {
  int fds[2];
  pid_t pid;
  char ok;
  REQUIRE(pipe(fds) == 0);
  pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    Display *dpy = XOpenDisplay(NULL);
    char *title = malloc(size);
    Window w;
    if (dpy == NULL || title == NULL)
      _exit(1);
    memset(title, 'T', size);
    w = XCreateSimpleWindow(dpy, DefaultRootWindow(dpy), 0, 0, 10, 10, 0, 0, 0);
    XChangeProperty(dpy, w, XInternAtom(dpy, "_NET_WM_NAME", False),
                    XInternAtom(dpy, "UTF8_STRING", False), 8, PropModeReplace,
                    (unsigned char *)title, (int)size);
    XSync(dpy, False);
    free(title);
    if (write(fds[1], "k", 1) != 1)
      _exit(1);
    pause();
    _exit(0);
  }
  close(fds[1]);
  REQUIRE(read(fds[0], &ok, 1) == 1);
  close(fds[0]);
  return pid;
}

static long peak_rss_kib(void) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

int main(void) {
  const char *display_file = getenv("DISPLAY_FILE");
  const char *cups = getenv("CUPS_SERVER");
  const char *tmp = getenv("CENUM_TEST_TMP");
  char display[64] = "", path[512], live_cups[512];
  FILE *f;
  int listener;
  pid_t owner;

  REQUIRE(display_file && cups && tmp);
  snprintf(live_cups, sizeof live_cups, "%s", cups);
  f = fopen(display_file, "r");
  check_require(f != NULL, "the X server of the x11 fixture");
  REQUIRE(fgets(display, sizeof display, f) != NULL);
  fclose(f);
  display[strcspn(display, "\n")] = '\0';
  signal(SIGPIPE, SIG_IGN);

  {
    int n = 0;
    EXPECT_NO_FD_LEAK("fonts", ce_enum_fonts(count_font, &n), CE_OK);
    CHECK_INT(n, 6);
  }

  setenv("DISPLAY", display, 1);
  /* A first enumeration pays what is paid once: loading the X libraries,
   * and the first thread that opens a display (its stack is reused after),
   * which under valgrind alone is megabytes. */
  {
    int n = 0;
    CHECK_INT(ce_enum_windows(count_window, &n), CE_OK);
  }
  /* 16 MiB title: the reply is capped at the request, so the peak memory
   * of this process grows by far less than the title. */
  owner = big_title_window(16u * 1000u * 1000u);
  {
    size_t longest = 0;
    long before = peak_rss_kib(), grown;
    EXPECT_NO_FD_LEAK("windows, 16 MiB title",
                      ce_enum_windows(longest_title, &longest), CE_OK);
    grown = peak_rss_kib() - before;
    CHECK_INT(longest, CE__CAP_TITLE);
    if (grown > 4 * 1024)
      fprintf(stderr, "peak memory grew by %ld KiB\n", grown), check_failures++;
  }
  {
    int n = 0;
    EXPECT_NO_FD_LEAK("windows", ce_enum_windows(count_window, &n), CE_OK);
    EXPECT_NO_FD_LEAK("windows again", ce_enum_windows(count_window, &n),
                      CE_OK);
    CHECK(n > 0); /* at least the big title's window */
  }
  setenv("DISPLAY", ":999", 1);
  {
    int n = 0;
    EXPECT_NO_FD_LEAK("windows, no display", ce_enum_windows(count_window, &n),
                      CE_E_UNAVAILABLE);
  }
  setenv("DISPLAY", display, 1);

  EXPECT_NO_FD_LEAK("printers", printers_in_thread(live_cups, 0), CE_OK);
  snprintf(path, sizeof path, "%s/nobody-listens.sock", tmp);
  unlink(path);
  EXPECT_NO_FD_LEAK("printers, refused", printers_in_thread(path, 0),
                    CE_E_UNAVAILABLE);
  snprintf(path, sizeof path, "%s/hung.sock", tmp);
  listener = hung_server(path);
  EXPECT_NO_FD_LEAK("printers, hung", printers_in_thread(path, 300),
                    CE_E_TIMEOUT);
  close(listener);
  unlink(path);

  kill(owner, SIGTERM);
  waitpid(owner, NULL, 0);
  return check_finish();
}
