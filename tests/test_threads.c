/* SPDX-License-Identifier: MIT */
/*
 * Eight threads enumerate windows, printers and fonts at the same time,
 * over and over, while a helper creates and destroys windows in a tight
 * loop and a shell loop adds and deletes print queues on the private cupsd.
 * Every call must return CE_OK, and every record must be whole: valid
 * UTF-8, no duplicate within one enumeration, and the fields of one churned
 * window or queue from one consistent state.
 *
 * Environment: DISPLAY_FILE (the x11 fixture's `display` file), X11_HELPER,
 * CUPS_SERVER (the `churn` cupsd, which has queues bench-00001..00020),
 * FONTCONFIG_FILE (six faces).
 */
#include "check.h"
#include "internal.h"

#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

enum { THREADS = 8, SECONDS = 6, STABLE_QUEUES = 20, FONT_FACES = 6 };

/* This test is about consistency, not speed: under valgrind on two loaded
 * cores, fontconfig's first load alone can take longer than the default
 * timeout, so every call gets a generous one. */
#define PATIENCE_MS 60000u

/* What one enumeration saw; torn records count as bad. */
typedef struct tally {
  int records;
  int bad;
  uint64_t ids[4096];
  char names[512][64];
  int stable;
  int churned; /* records of the churn's windows or queues */
} tally;

static ce_next on_window(const ce_window *w, void *ctx) {
  tally *t = ctx;
  if (!check_valid_utf8(w->title) || !check_valid_utf8(w->class_name) ||
      !check_valid_utf8(w->instance) || w->size != sizeof *w)
    t->bad++;
  /* The helper's windows carry this title with exactly this class. */
  if (strcmp(w->title, "cenum churn") == 0) {
    t->churned++;
    if (strcmp(w->class_name, "Churn") != 0 ||
        strcmp(w->instance, "churn") != 0)
      t->bad++;
  }
  for (int i = 0; i < t->records && i < 4096; i++)
    if (t->ids[i] == w->id)
      t->bad++;
  if (t->records < 4096)
    t->ids[t->records] = w->id;
  t->records++;
  return CE_CONTINUE;
}

static ce_next on_printer(const ce_printer *p, void *ctx) {
  tally *t = ctx;
  if (!check_valid_utf8(p->name) || !check_valid_utf8(p->info) ||
      p->size != sizeof *p)
    t->bad++;
  if (strncmp(p->name, "bench-", 6) == 0)
    t->stable++;
  /* A churned queue is created with its info in the same request. */
  if (strncmp(p->name, "churn-", 6) == 0) {
    t->churned++;
    if (strncmp(p->info, "churn ", 6) != 0)
      t->bad++;
  }
  for (int i = 0; i < t->records && i < 512; i++)
    if (strcmp(t->names[i], p->name) == 0)
      t->bad++;
  if (t->records < 512)
    snprintf(t->names[t->records], sizeof t->names[0], "%s", p->name);
  t->records++;
  return CE_CONTINUE;
}

static ce_next on_font(const ce_font *f, void *ctx) {
  tally *t = ctx;
  if (!check_valid_utf8(f->family) || f->path[0] != '/' || f->size != sizeof *f)
    t->bad++;
  t->records++;
  return CE_CONTINUE;
}

typedef struct worker {
  int kind; /* 0 windows, 1 printers, 2 fonts */
  int calls, failures;
  long churned; /* over all calls: proof the churn was there to see */
  char first_failure[600];
} worker;

static void fail(worker *w, const char *what, int status) {
  if (w->failures++ == 0)
    snprintf(w->first_failure, sizeof w->first_failure, "%s: %s: %s", what,
             ce_status_name(status), ce_error_detail());
}

static void *run_worker(void *arg) {
  worker *w = arg;
  uint64_t end = ce__now_ms() + SECONDS * 1000u;
  tally *t = malloc(sizeof *t);
  REQUIRE(t != NULL);
  while (ce__now_ms() < end) {
    int status;
    memset(t, 0, sizeof *t);
    if (w->kind == 0) {
      ce_window_query q = CE_WINDOW_QUERY_INIT;
      q.timeout_ms = PATIENCE_MS;
      status = ce_enum_windows_ex(&q, on_window, t);
      if (status != CE_OK)
        fail(w, "windows", status);
    } else if (w->kind == 1) {
      ce_printer_query q = CE_PRINTER_QUERY_INIT;
      q.timeout_ms = PATIENCE_MS;
      status = ce_enum_printers_ex(&q, on_printer, t);
      if (status != CE_OK)
        fail(w, "printers", status);
      else if (t->stable != STABLE_QUEUES)
        fail(w, "printers: not every stable queue", t->stable);
    } else {
      ce_font_query q = CE_FONT_QUERY_INIT;
      q.timeout_ms = PATIENCE_MS;
      status = ce_enum_fonts_ex(&q, on_font, t);
      if (status != CE_OK)
        fail(w, "fonts", status);
      else if (t->records != FONT_FACES)
        fail(w, "fonts: wrong count", t->records);
    }
    if (t->bad > 0)
      fail(w, "torn or invalid record", t->bad);
    w->churned += t->churned;
    w->calls++;
  }
  free(t);
  return NULL;
}

static pid_t spawn(char *const argv[], int *ready_fd) {
  posix_spawn_file_actions_t actions;
  int fds[2];
  pid_t pid;
  REQUIRE(pipe(fds) == 0);
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  REQUIRE(posix_spawn(&pid, argv[0], &actions, NULL, argv, environ) == 0);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  *ready_fd = fds[0];
  return pid;
}

static void wait_for_line(int fd, const char *what) {
  char c;
  while (read(fd, &c, 1) == 1)
    if (c == '\n')
      return;
  fprintf(stderr, "%s did not start\n", what);
  exit(1);
}

int main(void) {
  const char *display_file = getenv("DISPLAY_FILE");
  char display[64] = "", millis[32];
  FILE *f;
  pthread_t threads[THREADS];
  worker workers[THREADS];
  int window_fd, queue_fd, status;
  long churned[3] = {0, 0, 0};
  pid_t window_churn, queue_churn;

  REQUIRE(display_file != NULL && getenv("X11_HELPER") != NULL &&
          getenv("CUPS_SERVER") != NULL);
  f = fopen(display_file, "r");
  check_require(f != NULL, "the X server of the x11 fixture");
  REQUIRE(fgets(display, sizeof display, f) != NULL);
  fclose(f);
  display[strcspn(display, "\n")] = '\0';
  setenv("DISPLAY", display, 1);
  signal(SIGPIPE, SIG_IGN);

  /* The churn outlives the workers, however slow they run (valgrind); it is
   * stopped below once they are done. */
  snprintf(millis, sizeof millis, "%d", (SECONDS + 60) * 1000);
  {
    char *argv[] = {getenv("X11_HELPER"), "churn", millis, NULL};
    window_churn = spawn(argv, &window_fd);
    wait_for_line(window_fd, "the window churn");
  }
  {
    /* Adds and deletes five queues for the duration, each created with its
     * info in the same lpadmin call. */
    char script[512];
    char *argv[] = {"/bin/sh", "-c", script, NULL};
    snprintf(script, sizeof script,
             "echo ready; end=$(($(date +%%s) + %d)); i=0; "
             "while [ $(date +%%s) -lt $end ]; do "
             "lpadmin -p churn-$((i %% 5)) -E -v file:///dev/null "
             "-D \"churn $i\" 2>/dev/null; "
             "lpadmin -x churn-$(((i + 2) %% 5)) 2>/dev/null; "
             "i=$((i + 1)); done",
             SECONDS + 2);
    queue_churn = spawn(argv, &queue_fd);
    wait_for_line(queue_fd, "the queue churn");
  }

  for (int i = 0; i < THREADS; i++) {
    memset(&workers[i], 0, sizeof workers[i]);
    workers[i].kind = i % 3;
    REQUIRE(pthread_create(&threads[i], NULL, run_worker, &workers[i]) == 0);
  }
  for (int i = 0; i < THREADS; i++) {
    pthread_join(threads[i], NULL);
    fprintf(stderr, "thread %d (%s): %d calls, %d failures%s%s\n", i,
            workers[i].kind == 0   ? "windows"
            : workers[i].kind == 1 ? "printers"
                                   : "fonts",
            workers[i].calls, workers[i].failures,
            workers[i].failures ? ": first: " : "", workers[i].first_failure);
    CHECK(workers[i].calls > 0);
    CHECK_INT(workers[i].failures, 0);
    churned[workers[i].kind] += workers[i].churned;
  }
  /* The windows and queues that came and went were seen at least sometimes:
   * the churn really ran while the threads enumerated. */
  fprintf(stderr, "churned records seen: %ld windows, %ld queues\n", churned[0],
          churned[1]);
  CHECK(churned[0] > 0);
  CHECK(churned[1] > 0);

  kill(window_churn, SIGTERM);
  waitpid(window_churn, &status, 0);
  waitpid(queue_churn, &status, 0);
  close(window_fd);
  close(queue_fd);
  return check_finish();
}
