/* SPDX-License-Identifier: MIT */
/*
 * `cenum watch windows|printers|fonts`: one line per change, as it comes,
 * until SIGINT or SIGTERM (on Windows Ctrl+C or Ctrl+Break), after which
 * the watch is closed and the exit status is 0, or until the service fails
 * (the listing's exit codes). (A console closed under it on Windows ends
 * the process as soon as the handler returns: no status to speak of.)
 * Uses only the public API in <cenum.h>.
 */
#include "watch.h"

#include "output.h"
#include "records.h"

#include <cenum.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>
#endif

static const char watch_usage[] =
    "usage: cenum watch windows  [--json] [--visible] [--apps] [--timeout MS]\n"
    "       cenum watch printers [--json] [--timeout MS]\n"
    "       cenum watch fonts    [--json] [--family NAME] [--monospace]\n"
    "\n"
    "Prints every record as it is first, then each change as it happens: "
    "one\n"
    "line per change, with --json a JSON object with \"change\" (\"added\",\n"
    "\"removed\" or \"changed\") and the keys of the listing. Runs until\n"
    "SIGINT or SIGTERM.\n";

typedef struct watch_options {
  const char *kind;
  bool json, visible, apps, monospace;
  const char *family;
  unsigned timeout_ms;
} watch_options;

static const char *change_name(ce_change change) {
  return change == CE_ADDED     ? "added"
         : change == CE_REMOVED ? "removed"
                                : "changed";
}

/* The plain line's first column: + added, - removed, ~ changed. */
static char change_mark(ce_change change) {
  return change == CE_ADDED ? '+' : change == CE_REMOVED ? '-' : '~';
}

static ce_next written(void) {
  fflush(stdout);
  return ferror(stdout) ? CE_STOP : CE_CONTINUE;
}

static ce_next on_font(ce_change change, const ce_font *f, void *ctx) {
  const watch_options *o = ctx;
  if (o->json) {
    json_line line;
    json_begin(&line, stdout);
    json_string(&line, "change", change_name(change));
    json_font_fields(&line, f);
    json_end(&line);
  } else {
    printf("%c ", change_mark(change));
    text_cell(stdout, f->family, 0);
    putchar(' ');
    text_cell(stdout, f->style, 0);
    putchar(' ');
    text_cell(stdout, f->path, 0);
    printf(":%d\n", f->index);
  }
  return written();
}

static ce_next on_printer(ce_change change, const ce_printer *p, void *ctx) {
  const watch_options *o = ctx;
  if (o->json) {
    json_line line;
    json_begin(&line, stdout);
    json_string(&line, "change", change_name(change));
    json_printer_fields(&line, p);
    json_end(&line);
  } else {
    printf("%c ", change_mark(change));
    text_cell(stdout, p->name, 0);
    printf(" %s %s ", record_state_name(p->state),
           p->accepting ? "accepting" : "rejecting");
    text_cell(stdout, p->info, 0);
    putchar('\n');
  }
  return written();
}

static ce_next on_window(ce_change change, const ce_window *w, void *ctx) {
  const watch_options *o = ctx;
  if (o->json) {
    json_line line;
    json_begin(&line, stdout);
    json_string(&line, "change", change_name(change));
    json_window_fields(&line, w);
    json_end(&line);
  } else {
    printf("%c 0x%08llx ", change_mark(change), (unsigned long long)w->id);
    text_cell(stdout, w->title, 0);
    putchar('\n');
  }
  return written();
}

static int usage(const char *problem, const char *argument) {
  fprintf(stderr, "cenum watch: %s%s\n%s", problem, argument, watch_usage);
  return 2;
}

static int parse(int argc, char **argv, watch_options *o) {
  memset(o, 0, sizeof *o);
  if (argc < 2)
    return usage("which kind? ", "windows, printers or fonts");
  o->kind = argv[1];
  if (strcmp(o->kind, "windows") != 0 && strcmp(o->kind, "printers") != 0 &&
      strcmp(o->kind, "fonts") != 0)
    return usage("unknown kind ", o->kind);
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    bool windows = strcmp(o->kind, "windows") == 0;
    bool fonts = strcmp(o->kind, "fonts") == 0;
    if (strcmp(a, "--json") == 0)
      o->json = true;
    else if (windows && strcmp(a, "--visible") == 0)
      o->visible = true;
    else if (windows && strcmp(a, "--apps") == 0)
      o->apps = true;
    else if (fonts && strcmp(a, "--monospace") == 0)
      o->monospace = true;
    else if (fonts && strcmp(a, "--family") == 0 && i + 1 < argc)
      o->family = argv[++i];
    else if (!fonts && strcmp(a, "--timeout") == 0 && i + 1 < argc) {
      char *end;
      unsigned long ms;
      errno = 0;
      ms = strtoul(argv[++i], &end, 10);
      if (errno != 0 || *end != '\0' || ms == 0 || ms > 3600000ul)
        return usage("--timeout takes 1..3600000 ms, not ", argv[i]);
      o->timeout_ms = (unsigned)ms;
    } else
      return usage("unknown option ", a);
  }
  return 0;
}

static int exit_for(int status) {
  switch (status) {
  case CE_OK:
  case CE_STOPPED:
    return 0;
  case CE_E_INVALID:
    return 2;
  case CE_E_UNAVAILABLE:
    return 3;
  case CE_E_TIMEOUT:
    return 4;
  }
  return 1;
}

static int failed(const watch_options *o, int status) {
  const char *detail = ce_error_detail();
  fprintf(stderr, "cenum watch %s: %s%s", o->kind, ce_strerror(status),
          detail[0] ? ": " : "");
  text_cell(stderr, detail, 0);
  fputc('\n', stderr);
  return exit_for(status);
}

static int open_watch(watch_options *o, ce_watch **w) {
  if (strcmp(o->kind, "fonts") == 0) {
    ce_font_query q = CE_FONT_QUERY_INIT;
    q.family = o->family;
    q.monospace_only = o->monospace;
    return ce_watch_fonts(&q, on_font, o, w);
  }
  if (strcmp(o->kind, "printers") == 0) {
    ce_printer_query q = CE_PRINTER_QUERY_INIT;
    q.timeout_ms = o->timeout_ms;
    return ce_watch_printers(&q, on_printer, o, w);
  } else {
    ce_window_query q = CE_WINDOW_QUERY_INIT;
    q.timeout_ms = o->timeout_ms;
    q.visible_only = o->visible;
    q.apps_only = o->apps;
    return ce_watch_windows(&q, on_window, o, w);
  }
}

#ifdef _WIN32
/* Ctrl+C, Ctrl+Break and the console's close reach the loop through an
 * event: the handler, which Windows runs on a thread of its own, only sets
 * it. */
static HANDLE stop_event;

static BOOL WINAPI on_console(DWORD type) {
  (void)type;
  SetEvent(stop_event);
  return TRUE;
}

static int catch_signals(void) {
  stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
  if (stop_event == NULL || !SetConsoleCtrlHandler(on_console, TRUE))
    return -1;
  return 0;
}

/* Waits for the watch's handle (an event) or a stop; 1 on a stop. */
static int wait_watch(ce_watch *w) {
  HANDLE handles[2];
  handles[0] = stop_event;
  handles[1] = (HANDLE)ce_watch_handle(w);
  return WaitForMultipleObjects(2, handles, FALSE, INFINITE) !=
         WAIT_OBJECT_0 + 1;
}
#else
/* SIGINT and SIGTERM reach the loop through a pipe: the handler only
 * writes a byte. */
static int signal_pipe[2] = {-1, -1};

static void on_signal(int sig) {
  int saved = errno;
  char byte = (char)sig;
  if (write(signal_pipe[1], &byte, 1) < 0) {
    /* Full: a signal is already waiting to be read. */
  }
  errno = saved;
}

static int catch_signals(void) {
  struct sigaction action;
  if (pipe(signal_pipe) != 0)
    return -1;
  fcntl(signal_pipe[0], F_SETFD, FD_CLOEXEC);
  fcntl(signal_pipe[1], F_SETFD, FD_CLOEXEC);
  fcntl(signal_pipe[1], F_SETFL, O_NONBLOCK);
  memset(&action, 0, sizeof action);
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  if (sigaction(SIGINT, &action, NULL) != 0 ||
      sigaction(SIGTERM, &action, NULL) != 0)
    return -1;
  return 0;
}

/* Waits for the watch's handle (a descriptor) or a signal; 1 on a signal. */
static int wait_watch(ce_watch *w) {
  struct pollfd fds[2] = {{(int)ce_watch_handle(w), POLLIN, 0},
                          {signal_pipe[0], POLLIN, 0}};
  if (poll(fds, 2, -1) < 0 && errno != EINTR)
    return 1;
  return fds[1].revents != 0;
}
#endif

int cenum_watch(int argc, char **argv) {
  watch_options o;
  ce_watch *w = NULL;
  int status = parse(argc, argv, &o);

  if (status != 0)
    return status;
  if (catch_signals() != 0) {
#ifdef _WIN32
    fprintf(stderr, "cenum watch: cannot catch Ctrl+C: error %lu\n",
            (unsigned long)GetLastError());
#else
    fprintf(stderr, "cenum watch: cannot catch signals: %s\n", strerror(errno));
#endif
    return 1;
  }
  status = open_watch(&o, &w);
  if (status != CE_OK)
    return failed(&o, status);
  for (;;) {
    if (wait_watch(w)) {
      status = CE_OK;
      break;
    }
    status = ce_watch_dispatch(w, 0);
    if (ferror(stdout)) {
      status = CE_STOPPED;
      break;
    }
    if (status != CE_OK && status != CE_STOPPED)
      break;
  }
  if (status < 0) {
    int code = failed(&o, status);
    ce_watch_close(w);
    return code;
  }
  ce_watch_close(w);
  return ferror(stdout) ? 1 : 0;
}
