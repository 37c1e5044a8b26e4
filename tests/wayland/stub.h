/* SPDX-License-Identifier: MIT */
/*
 * Starting and stopping the tests' own compositor (stub_compositor.c) with
 * a scenario, in a private XDG_RUNTIME_DIR under CENUM_TEST_TMP, for the
 * tests that use it. Needs check.h.
 */
#ifndef CENUM_TESTS_WAYLAND_STUB_H
#define CENUM_TESTS_WAYLAND_STUB_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The running stub's pid; -1 when none. */
static pid_t stub = -1;

static void stop_stub(void) {
  if (stub > 0) {
    kill(stub, SIGTERM);
    waitpid(stub, NULL, 0);
  }
  stub = -1;
}

/* Starts the stub with `scenario` and points this process at it. */
static void start_stub(const char *scenario) {
  static int serial;
  char dir[512];
  int out[2];
  char line[16] = "";
  const char *tmp = getenv("CENUM_TEST_TMP");

  stop_stub();
  snprintf(dir, sizeof dir, "%s/stub-%d-%d", tmp != NULL ? tmp : "/tmp",
           (int)getpid(), serial++);
  mkdir(dir, 0700);
  setenv("XDG_RUNTIME_DIR", dir, 1);
  setenv("WAYLAND_DISPLAY", "wayland-stub", 1);
  unsetenv("SWAYSOCK");
  REQUIRE(pipe(out) == 0);
  stub = fork();
  REQUIRE(stub >= 0);
  if (stub == 0) {
    dup2(out[1], 1);
    close(out[0]);
    execl(getenv("CENUM_TEST_STUB"), "stub_compositor", "wayland-stub",
          scenario, (char *)NULL);
    _exit(127);
  }
  close(out[1]);
  REQUIRE(read(out[0], line, sizeof line - 1) > 0);
  close(out[0]);
  REQUIRE(strncmp(line, "ready", 5) == 0);
}

#endif
