/* SPDX-License-Identifier: MIT */
/* Timeouts and cancellation, the same for every backend. */
#include "internal.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <time.h>
#endif

uint64_t ce__now_ms(void) {
#ifdef _WIN32
  return (uint64_t)GetTickCount64();
#else
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
#endif
}

ce__deadline ce__deadline_start(unsigned timeout_ms,
                                const volatile int *cancel) {
  ce__deadline deadline;
  deadline.at_ms = ce__now_ms() + timeout_ms;
  deadline.cancel = cancel;
  return deadline;
}

unsigned ce__deadline_left_ms(const ce__deadline *deadline) {
  uint64_t now = ce__now_ms();
  return now >= deadline->at_ms ? 0u : (unsigned)(deadline->at_ms - now);
}

int ce__deadline_cancelled(const ce__deadline *deadline) {
  if (deadline->cancel == NULL)
    return 0;
    /* Another thread sets the flag while we run, so the read must be atomic:
     * a plain read is a data race in C11, even through volatile. MSVC's
     * volatile reads are atomic (and acquire) already. */
#if defined(__GNUC__) || defined(__clang__)
  return __atomic_load_n(deadline->cancel, __ATOMIC_RELAXED) != 0;
#else
  return *deadline->cancel != 0;
#endif
}

int ce__cancel_check(const ce__deadline *deadline, const char *backend) {
  if (ce__deadline_cancelled(deadline))
    return ce__fail(CE_E_CANCELLED, "%s: cancelled by the caller", backend);
  return CE_OK;
}

int ce__deadline_check(const ce__deadline *deadline, const char *backend) {
  int status = ce__cancel_check(deadline, backend);
  if (status != CE_OK)
    return status;
  if (ce__deadline_left_ms(deadline) == 0)
    return ce__fail(CE_E_TIMEOUT, "%s: no answer within the timeout", backend);
  return CE_OK;
}
