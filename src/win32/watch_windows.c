/* SPDX-License-Identifier: MIT */
/*
 * The Win32 windows watch: SetWinEventHook with WINEVENT_OUTOFCONTEXT for
 * what changes a record (a window created, destroyed, shown, hidden,
 * renamed, moved or resized, minimized or restored, cloaked, or brought to
 * the foreground), on the watch's own thread (src/win32/watch_loop.c),
 * where the system delivers out-of-context events while that thread waits
 * for messages. An event of a top-level window (OBJID_WINDOW, CHILDID_SELF,
 * whose parent is the desktop) marks the records for a new EnumWindows
 * list, which the entry diffs by id. The hooks are removed on the same
 * thread, which UnhookWinEvent requires, once WM_QUIT ended its loop.
 */
#include "ce_win32.h"

#ifndef EVENT_OBJECT_CLOAKED /* Windows 8; older MinGW headers lack it */
#define EVENT_OBJECT_CLOAKED 0x8017
#define EVENT_OBJECT_UNCLOAKED 0x8018
#endif

/* The event ranges hooked, one hook each. */
static const DWORD ranges[][2] = {
    {EVENT_OBJECT_CREATE, EVENT_OBJECT_HIDE}, /* create, destroy, show, hide */
    {EVENT_OBJECT_LOCATIONCHANGE, EVENT_OBJECT_NAMECHANGE},
    {EVENT_SYSTEM_FOREGROUND, EVENT_SYSTEM_FOREGROUND},
    {EVENT_SYSTEM_MINIMIZESTART, EVENT_SYSTEM_MINIMIZEEND},
    {EVENT_OBJECT_CLOAKED, EVENT_OBJECT_UNCLOAKED},
};
#define RANGES (sizeof ranges / sizeof ranges[0])

typedef struct source {
  HWINEVENTHOOK hooks[RANGES];
} source;

static void CALLBACK on_event(HWINEVENTHOOK hook, DWORD event, HWND hwnd,
                              LONG id_object, LONG id_child, DWORD thread,
                              DWORD time_ms) {
  (void)hook, (void)event, (void)thread, (void)time_ms;
  /* The window itself, not a caret, a cursor or a part of it. */
  if (hwnd == NULL || id_object != OBJID_WINDOW || id_child != CHILDID_SELF)
    return;
  /* A child window (a control) is in no record. One already destroyed
   * cannot be asked, and counts. */
  if (IsWindow(hwnd) && GetAncestor(hwnd, GA_PARENT) != GetDesktopWindow())
    return;
  ce__win32_loop_notify(ce__win32_loop_current());
}

static int setup(void *ctx, HANDLE *handles, DWORD *count, DWORD *interval_ms) {
  source *s = ctx;
  (void)handles, (void)count, (void)interval_ms;
  for (size_t i = 0; i < RANGES; i++) {
    s->hooks[i] = SetWinEventHook(ranges[i][0], ranges[i][1], NULL, on_event, 0,
                                  0, WINEVENT_OUTOFCONTEXT);
    /* EVENT_OBJECT_CLOAKED is Windows 8's: an older system has no cloaked
     * windows to tell of. Every other hook is required. */
    if (s->hooks[i] == NULL && ranges[i][0] != EVENT_OBJECT_CLOAKED)
      return ce__win32_fail("SetWinEventHook", GetLastError());
  }
  return CE_OK;
}

static int signaled(void *ctx, DWORD index, HANDLE *handle) {
  (void)ctx, (void)index, (void)handle;
  return 0; /* no handles */
}

static void teardown(void *ctx) {
  source *s = ctx;
  for (size_t i = 0; i < RANGES; i++)
    if (s->hooks[i] != NULL)
      UnhookWinEvent(s->hooks[i]);
}

static const ce__win32_loop_fns fns = {setup, signaled, teardown};

static int source_open(const void *query, ce__watch_os *os, void **out) {
  return ce__win32_loop_open(&fns, sizeof(source), os,
                             ((const ce_window_query *)query)->timeout_ms, out);
}

const ce__watch_backend ce__win32_windows_watch = {
    "win32", source_open, ce__win32_loop_source_drain, NULL,
    NULL,    NULL,        ce__win32_loop_source_close};
