/* SPDX-License-Identifier: MIT */
/* SIGPIPE kept from the program while a backend writes (internal.h). */
#include "internal.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>

void ce__sigpipe_hold(ce__sigpipe *guard) {
  sigset_t pipe_set, pending;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  guard->active = pthread_sigmask(SIG_BLOCK, &pipe_set, &guard->old_mask) == 0;
  guard->was_pending =
      sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1;
}

void ce__sigpipe_release(ce__sigpipe *guard) {
  sigset_t pipe_set, pending;
  if (!guard->active)
    return;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  if (!guard->was_pending && sigpending(&pending) == 0 &&
      sigismember(&pending, SIGPIPE) == 1) {
    struct timespec zero = {0, 0};
    while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR)
      ;
  }
  pthread_sigmask(SIG_SETMASK, &guard->old_mask, NULL);
  guard->active = 0;
}
