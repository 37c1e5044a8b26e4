/* SPDX-License-Identifier: MIT */
/*
 * The thread every Win32 watch runs its source on. Window event hooks
 * installed with WINEVENT_OUTOFCONTEXT and a window's messages are
 * delivered to the thread that made them, while it waits for messages; so
 * the source lives on a thread of the watch's own, which waits with
 * MsgWaitForMultipleObjectsEx for its messages and its source's handles
 * together, and sets the watch's handle when something may have changed.
 * The program's thread only reads the flag the loop left (drain): the hook
 * and window procedures run here, never inside a program's own message
 * loop.
 */
#include "ce_win32.h"

#include <stdio.h>
#include <stdlib.h>

#if defined(_MSC_VER)
#define CE_THREAD_LOCAL __declspec(thread)
#else
#define CE_THREAD_LOCAL _Thread_local
#endif

struct ce__win32_loop {
  const ce__win32_loop_fns *fns;
  void *ctx;
  ce__watch_os *os;
  DWORD interval_ms; /* set by setup */
  HANDLE thread, ready;
  HANDLE ran;          /* set once the loop ended, before the teardown */
  unsigned timeout_ms; /* the query's: bounds the teardown's wait */
  DWORD thread_id;
  int status; /* of setup, read after `ready` */
  char detail[512];
  volatile LONG pending;   /* a notification since the last drain */
  volatile LONG failure;   /* the wait's error, 0 while it works */
  volatile LONG abandoned; /* the start gave up waiting for setup */
  volatile LONG refs;      /* the watch and the thread */
  /* A reference on this module, taken before the thread starts and given
   * up by the thread as it ends, so that a thread whose setup outlived
   * the start never runs in a module unloaded under it. */
  HMODULE self;
};

static const char module_anchor = 0;

static CE_THREAD_LOCAL ce__win32_loop *current;

ce__win32_loop *ce__win32_loop_current(void) { return current; }

void ce__win32_loop_notify(ce__win32_loop *loop) {
  /* The flag before the handle: a drain that sees the handle set finds the
   * flag too. */
  InterlockedExchange(&loop->pending, 1);
  ce__watch_os_wake(loop->os);
}

int ce__win32_loop_source_drain(void *source, int *resync) {
  ce__win32_loop *loop = source;
  LONG failure = InterlockedCompareExchange(&loop->failure, 0, 0);
  if (InterlockedExchange(&loop->pending, 0))
    *resync = 1;
  if (failure != 0)
    return ce__win32_fail("MsgWaitForMultipleObjectsEx", (DWORD)failure);
  return CE_OK;
}

static void unref(ce__win32_loop *loop) {
  if (InterlockedDecrement(&loop->refs) == 0) {
    free(loop->ctx);
    if (loop->ready != NULL)
      CloseHandle(loop->ready);
    if (loop->ran != NULL)
      CloseHandle(loop->ran);
    free(loop);
  }
}

/* Runs the messages that came; 0 once WM_QUIT is among them. */
static int pump(void) {
  MSG msg;
  while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
    if (msg.message == WM_QUIT)
      return 0;
    TranslateMessage(&msg);
    DispatchMessageW(&msg);
  }
  return 1;
}

static void run(ce__win32_loop *loop, HANDLE *handles, DWORD count) {
  for (;;) {
    DWORD woke = MsgWaitForMultipleObjectsEx(count, handles, loop->interval_ms,
                                             QS_ALLINPUT, MWMO_INPUTAVAILABLE);
    if (woke < WAIT_OBJECT_0 + count) {
      DWORD index = woke - WAIT_OBJECT_0;
      if (loop->fns->signaled(loop->ctx, index, &handles[index]))
        ce__win32_loop_notify(loop);
      /* The lowest signaled handle wins each wait and the messages come
       * last: read them now, so that no source keeps WM_QUIT waiting. */
      if (GetQueueStatus(QS_ALLINPUT) != 0 && !pump())
        return;
    } else if (woke == WAIT_OBJECT_0 + count) {
      if (!pump())
        return;
    } else if (woke == WAIT_TIMEOUT) {
      ce__win32_loop_notify(loop); /* the periodic re-read */
    } else {
      /* The watch reports it from every dispatch; its close still posts
       * WM_QUIT, which then has no loop to end. */
      DWORD error = GetLastError();
      InterlockedExchange(&loop->failure, error != 0 ? (LONG)error : -1);
      ce__win32_loop_notify(loop);
      return;
    }
  }
}

static DWORD WINAPI loop_main(LPVOID arg) {
  ce__win32_loop *loop = arg;
  HMODULE self = loop->self;
  HANDLE handles[CE__WIN32_LOOP_HANDLES];
  DWORD count = 0;
  MSG msg;

  current = loop;
  /* The thread's message queue exists from here: a WM_QUIT posted once
   * `ready` is set is never lost. */
  PeekMessageW(&msg, NULL, WM_USER, WM_USER, PM_NOREMOVE);
  loop->status =
      loop->fns->setup(loop->ctx, handles, &count, &loop->interval_ms);
  if (loop->status != CE_OK)
    snprintf(loop->detail, sizeof loop->detail, "%s", ce_error_detail());
  SetEvent(loop->ready);
  if (loop->status == CE_OK &&
      !InterlockedCompareExchange(&loop->abandoned, 0, 0))
    run(loop, handles, count);
  /* From here the thread no longer touches the watch's handle. */
  SetEvent(loop->ran);
  loop->fns->teardown(loop->ctx);
  current = NULL;
  unref(loop);
  if (self != NULL)
    FreeLibraryAndExitThread(self, 0);
  return 0;
}

int ce__win32_loop_open(const ce__win32_loop_fns *fns, size_t ctx_size,
                        ce__watch_os *os, unsigned timeout_ms, void **source) {
  static const char backend[] = "Win32";
  ce__win32_loop *loop = calloc(1, sizeof *loop);
  void *ctx = calloc(1, ctx_size);
  HANDLE waits[2];
  DWORD woke;
  int status;

  *source = NULL;
  if (loop == NULL || ctx == NULL) {
    free(loop);
    free(ctx);
    return ce__fail(CE_E_NOMEM, "%s: out of memory", backend);
  }
  loop->fns = fns;
  loop->ctx = ctx;
  loop->os = os;
  loop->interval_ms = INFINITE;
  loop->refs = 1;
  loop->timeout_ms = timeout_ms;
  loop->ready = CreateEventW(NULL, TRUE, FALSE, NULL);
  loop->ran = CreateEventW(NULL, TRUE, FALSE, NULL);
  if (loop->ready == NULL || loop->ran == NULL) {
    status = ce__win32_fail("CreateEventW", GetLastError());
    unref(loop);
    return status;
  }
  loop->refs = 2;
  GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS,
                     (LPCWSTR)(const void *)&module_anchor, &loop->self);
  loop->thread = CreateThread(NULL, 0, loop_main, loop, 0, &loop->thread_id);
  if (loop->thread == NULL) {
    status = ce__win32_fail("CreateThread", GetLastError());
    if (loop->self != NULL)
      FreeLibrary(loop->self);
    loop->refs = 1;
    unref(loop);
    return status;
  }

  /* The setup is bounded by the query's timeout like every request. */
  waits[0] = loop->ready;
  waits[1] = loop->thread;
  woke = WaitForMultipleObjects(2, waits, FALSE,
                                timeout_ms >= INFINITE ? INFINITE - 1
                                                       : (DWORD)timeout_ms);
  if (woke == WAIT_OBJECT_0 && loop->status == CE_OK) {
    *source = loop;
    return CE_OK;
  }
  if (woke == WAIT_OBJECT_0 || woke == WAIT_OBJECT_0 + 1) {
    status =
        loop->status != CE_OK
            ? ce__fail(loop->status, "%s", loop->detail)
            : ce__fail(CE_E_BACKEND, "%s: the watch's thread ended", backend);
    WaitForSingleObject(loop->thread, INFINITE);
  } else {
    /* A setup that hangs (a spooler that does not answer) keeps the
     * thread; it releases the source itself when the setup returns. */
    status = woke == WAIT_TIMEOUT
                 ? ce__fail(CE_E_TIMEOUT,
                            "%s: the watch's setup did not finish in %u ms",
                            backend, timeout_ms)
                 : ce__win32_fail("WaitForMultipleObjects", GetLastError());
    InterlockedExchange(&loop->abandoned, 1);
    PostThreadMessageW(loop->thread_id, WM_QUIT, 0, 0);
    /* A setup that finished meanwhile may have seen `abandoned` unset and
     * started its loop, which sets the watch's handle: the WM_QUIT ends it,
     * and it is waited for before the watch goes. A setup not finished yet
     * sees `abandoned` set and starts no loop. */
    if (WaitForSingleObject(loop->ready, 0) == WAIT_OBJECT_0)
      WaitForSingleObject(loop->thread, INFINITE);
  }
  CloseHandle(loop->thread);
  unref(loop);
  return status;
}

void *ce__win32_loop_ctx(void *source) {
  return ((ce__win32_loop *)source)->ctx;
}

void ce__win32_loop_source_close(void *source) {
  ce__win32_loop *loop = source;
  if (loop == NULL)
    return;
  /* The loop runs only its own short callbacks and reads its messages
   * after each (run), so WM_QUIT ends it promptly; the teardown after it
   * may ask the spooler, which can hang, so that part is waited for only
   * within the query's timeout: a thread left behind releases the source
   * itself and touches the watch no more. A full queue refuses the post
   * (10,000 messages): tried again while the loop reads it. */
  for (int tries = 0;
       !PostThreadMessageW(loop->thread_id, WM_QUIT, 0, 0) && tries < 1000;
       tries++)
    Sleep(1);
  WaitForSingleObject(loop->ran, INFINITE);
  WaitForSingleObject(loop->thread, loop->timeout_ms >= INFINITE
                                        ? INFINITE - 1
                                        : (DWORD)loop->timeout_ms);
  CloseHandle(loop->thread);
  unref(loop);
}
