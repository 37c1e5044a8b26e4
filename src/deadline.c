/* Timeouts and cancellation, the same for every backend. */
#include "internal.h"

#ifdef _WIN32
#include <windows.h>
#ifdef _MSC_VER
#include <intrin.h>
#endif
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

unsigned ce__deadline_slice_ms(const ce__deadline *deadline) {
  unsigned left = ce__deadline_left_ms(deadline);
  return left < CE__POLL_SLICE_MS ? left : CE__POLL_SLICE_MS;
}

int ce__deadline_cancelled(const ce__deadline *deadline) {
  if (deadline->cancel == NULL)
    return 0;
    /* Another thread sets the flag while we run, so the read must be atomic:
     * a plain read is a data race in C11, even through volatile. Relaxed is
     * enough: the flag carries no data with it. */
#if defined(__GNUC__) || defined(__clang__)
  return __atomic_load_n(deadline->cancel, __ATOMIC_RELAXED) != 0;
#elif defined(_MSC_VER)
  /* MSVC's own relaxed atomic load of 32 bits (what its <atomic> uses): a
   * plain load whatever /volatile says, and an aligned 32-bit load is
   * single-copy atomic on every processor Windows runs on. */
  return __iso_volatile_load32((const volatile __int32 *)deadline->cancel) != 0;
#else
#error "ce__deadline_cancelled needs an atomic load on this compiler"
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
