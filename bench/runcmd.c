/* SPDX-License-Identifier: MIT */
/*
 * runcmd: runs one command and reports its elapsed time and peak RSS.
 *
 * usage: runcmd --report FILE [--cap-ms MS] -- PROGRAM [ARG...]
 *
 * Writes "NANOSECONDS MAXRSS_KIB STATUS" to FILE, so the command's own
 * stdout and stderr pass through untouched. STATUS is the exit code, 128+N for
 * a signal N, or "capped" when the command ran past MS and was killed.
 *
 * Why a launcher: Linux keeps ru_maxrss across fork and execve, so a command
 * started straight from the Python driver would report at least the driver's
 * own RSS. Started from this small program, it reports its own peak (plus
 * the launcher's few hundred KiB, the same for every command).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t capped;
static volatile pid_t child;

static void on_alarm(int signal_number) {
  (void)signal_number;
  capped = 1;
  if (child > 0)
    kill(child, SIGKILL);
}

int main(int argc, char **argv) {
  long cap_ms = 0;
  const char *report_path = NULL;
  int first = 1, status = 0;
  struct timespec start, end;
  struct rusage usage;
  struct sigaction action;
  FILE *report;
  pid_t pid;

  while (first + 1 < argc && strncmp(argv[first], "--", 2) == 0 &&
         argv[first][2] != '\0') {
    if (strcmp(argv[first], "--cap-ms") == 0)
      cap_ms = atol(argv[first + 1]);
    else if (strcmp(argv[first], "--report") == 0)
      report_path = argv[first + 1];
    else
      break;
    first += 2;
  }
  if (first < argc && strcmp(argv[first], "--") == 0)
    first++;
  if (first >= argc || report_path == NULL) {
    fputs("usage: runcmd --report FILE [--cap-ms MS] -- PROGRAM [ARG...]\n",
          stderr);
    return 2;
  }
  report = fopen(report_path, "w");
  if (report == NULL) {
    perror(report_path);
    return 2;
  }

  memset(&action, 0, sizeof action);
  action.sa_handler = on_alarm;
  sigaction(SIGALRM, &action, NULL);

  clock_gettime(CLOCK_MONOTONIC, &start);
  pid = fork();
  if (pid < 0) {
    perror("runcmd: fork");
    return 1;
  }
  if (pid == 0) {
    fclose(report);
    execvp(argv[first], argv + first);
    fprintf(stderr, "runcmd: %s: %s\n", argv[first], strerror(errno));
    _exit(127);
  }
  child = pid;
  if (cap_ms > 0) {
    struct itimerval timer;
    memset(&timer, 0, sizeof timer);
    timer.it_value.tv_sec = cap_ms / 1000;
    timer.it_value.tv_usec = (cap_ms % 1000) * 1000;
    setitimer(ITIMER_REAL, &timer, NULL);
  }
  while (wait4(pid, &status, 0, &usage) < 0)
    if (errno != EINTR) {
      perror("runcmd: wait4");
      return 1;
    }
  clock_gettime(CLOCK_MONOTONIC, &end);

  {
    long long ns = (long long)(end.tv_sec - start.tv_sec) * 1000000000LL +
                   (end.tv_nsec - start.tv_nsec);
    if (capped)
      fprintf(report, "%lld %ld capped\n", ns, usage.ru_maxrss);
    else if (WIFSIGNALED(status))
      fprintf(report, "%lld %ld %d\n", ns, usage.ru_maxrss,
              128 + WTERMSIG(status));
    else
      fprintf(report, "%lld %ld %d\n", ns, usage.ru_maxrss,
              WEXITSTATUS(status));
  }
  fclose(report);
  return 0;
}
