/* SPDX-License-Identifier: MIT */
/*
 * The watch's platform part on Windows: its handle is a manual-reset event,
 * set while ce_watch_dispatch has something to do, so a program's
 * WaitForMultipleObjects or MsgWaitForMultipleObjects sees it ready until
 * the dispatch; waiting on it never consumes it. Windows has no descriptor
 * a backend could add to it, so each backend's own thread sets it when a
 * notification arrived. The dispatch state is guarded by an SRW lock with
 * a condition variable: Win32 primitives only, so cenum.dll needs no
 * threads library of MinGW's.
 */
#include "ce_win32.h"

#include <stdlib.h>

struct ce__watch_os {
  HANDLE event;
  SRWLOCK lock;
  CONDITION_VARIABLE idle;
  DWORD dispatcher;      /* guarded by lock */
  volatile LONG closing; /* set under lock; read atomically elsewhere */
};

int ce__watch_os_open(ce__watch_os **out) {
  ce__watch_os *os = calloc(1, sizeof *os);
  *out = NULL;
  if (os == NULL)
    return ce__fail(CE_E_NOMEM, "watch: out of memory");
  InitializeSRWLock(&os->lock);
  InitializeConditionVariable(&os->idle);
  os->event = CreateEventW(NULL, TRUE, FALSE, NULL);
  if (os->event == NULL) {
    int status = ce__win32_fail("CreateEventW", GetLastError());
    free(os);
    return status;
  }
  *out = os;
  return CE_OK;
}

void ce__watch_os_close(ce__watch_os *os) {
  if (os == NULL)
    return;
  CloseHandle(os->event);
  free(os);
}

intptr_t ce__watch_os_handle(const ce__watch_os *os) {
  return (intptr_t)os->event;
}

void ce__watch_os_wake(ce__watch_os *os) { SetEvent(os->event); }

void ce__watch_os_unwake(ce__watch_os *os) { ResetEvent(os->event); }

int ce__watch_os_wait(ce__watch_os *os, unsigned timeout_ms) {
  /* INFINITE is all ones: the longest finite wait is one less. */
  DWORD wait = timeout_ms >= INFINITE ? INFINITE - 1 : (DWORD)timeout_ms;
  switch (WaitForSingleObject(os->event, wait)) {
  case WAIT_OBJECT_0:
    return 1;
  case WAIT_TIMEOUT:
    return 0;
  default:
    return ce__win32_fail("WaitForSingleObject", GetLastError());
  }
}

void ce__watch_os_lock(ce__watch_os *os) { AcquireSRWLockExclusive(&os->lock); }

void ce__watch_os_unlock(ce__watch_os *os) {
  ReleaseSRWLockExclusive(&os->lock);
}

void ce__watch_os_sleep_idle(ce__watch_os *os) {
  SleepConditionVariableSRW(&os->idle, &os->lock, INFINITE, 0);
}

void ce__watch_os_wake_idle(ce__watch_os *os) {
  WakeAllConditionVariable(&os->idle);
}

void ce__watch_os_set_dispatcher(ce__watch_os *os) {
  os->dispatcher = GetCurrentThreadId();
}

int ce__watch_os_is_dispatcher(const ce__watch_os *os) {
  return os->dispatcher == GetCurrentThreadId();
}

/* The Interlocked functions are full barriers, on either compiler. */
void ce__watch_os_set_closing(ce__watch_os *os) {
  InterlockedExchange(&os->closing, 1);
}

int ce__watch_os_closing(const ce__watch_os *os) {
  return InterlockedCompareExchange((volatile LONG *)&os->closing, 0, 0) != 0;
}
