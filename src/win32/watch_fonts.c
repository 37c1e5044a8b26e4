/* SPDX-License-Identifier: MIT */
/*
 * The Win32 fonts watch: a hidden top-level window on the watch's own
 * thread, which receives the WM_FONTCHANGE a program broadcasts after
 * AddFontResource or RemoveFontResource (a message-only window would not:
 * broadcasts go to top-level windows only), and RegNotifyChangeKeyValue on
 * the machine's and the user's Fonts keys, which installers write.
 * Either marks the faces for a new EnumFontFamiliesExW list
 * (ce_enum_fonts_ex), which the entry diffs by path and index.
 *
 * The window is WS_POPUP without WS_VISIBLE and WS_EX_TOOLWINDOW, so it is
 * never shown nor an application window; like any hidden top-level window
 * it is listed by ce_enum_windows unless visible_only is set.
 */
#include "ce_win32.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

typedef struct font_key {
  HKEY key;
  HANDLE event; /* auto-reset: set by the registry, consumed by the wait */
} font_key;

typedef struct source {
  HINSTANCE module;
  wchar_t class_name[64];
  ATOM class_atom;
  HWND window;
  font_key keys[2]; /* HKLM, HKCU */
  int key_index[CE__WIN32_LOOP_HANDLES];
} source;

static const char module_anchor = 0;

static LRESULT CALLBACK window_proc(HWND hwnd, UINT message, WPARAM wparam,
                                    LPARAM lparam) {
  if (message == WM_FONTCHANGE) {
    ce__win32_loop_notify(ce__win32_loop_current());
    return 0;
  }
  /* DefWindowProc would destroy it for anyone who posts WM_CLOSE to the
   * process's windows ("End task", taskkill without /F): the watch would
   * go deaf to WM_FONTCHANGE. Only the watch's teardown destroys it. */
  if (message == WM_CLOSE)
    return 0;
  return DefWindowProcW(hwnd, message, wparam, lparam);
}

static LONG arm(font_key *k) {
  return RegNotifyChangeKeyValue(
      k->key, TRUE, REG_NOTIFY_CHANGE_NAME | REG_NOTIFY_CHANGE_LAST_SET,
      k->event, TRUE);
}

static int setup(void *ctx, HANDLE *handles, DWORD *count, DWORD *interval_ms) {
  source *s = ctx;
  static const HKEY roots[2] = {HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER};
  WNDCLASSEXW wc;
  (void)interval_ms;

  GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                         GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                     (LPCWSTR)(const void *)&module_anchor, &s->module);
  /* A class of this thread's own: two watches never share or unregister
   * one another's. */
  swprintf(s->class_name, sizeof s->class_name / sizeof *s->class_name,
           L"cenum.watch.fonts.%lu", (unsigned long)GetCurrentThreadId());
  memset(&wc, 0, sizeof wc);
  wc.cbSize = sizeof wc;
  wc.lpfnWndProc = window_proc;
  wc.hInstance = s->module;
  wc.lpszClassName = s->class_name;
  if ((s->class_atom = RegisterClassExW(&wc)) == 0)
    return ce__win32_fail("RegisterClassExW", GetLastError());
  s->window = CreateWindowExW(WS_EX_TOOLWINDOW, s->class_name, L"", WS_POPUP, 0,
                              0, 0, 0, NULL, NULL, s->module, NULL);
  if (s->window == NULL)
    return ce__win32_fail("CreateWindowExW", GetLastError());

  /* The per-user key exists on Windows 10 1809 and later only; a key that
   * cannot be watched leaves the broadcasts. */
  for (int i = 0; i < 2; i++) {
    font_key *k = &s->keys[i];
    if (RegOpenKeyExW(roots[i], ce__win32_fonts_key, 0, KEY_NOTIFY, &k->key) !=
        ERROR_SUCCESS) {
      k->key = NULL;
      continue;
    }
    if ((k->event = CreateEventW(NULL, FALSE, FALSE, NULL)) == NULL)
      return ce__win32_fail("CreateEventW", GetLastError());
    if (arm(k) != ERROR_SUCCESS)
      continue;
    s->key_index[*count] = i;
    handles[(*count)++] = k->event;
  }
  return CE_OK;
}

static int signaled(void *ctx, DWORD index, HANDLE *handle) {
  source *s = ctx;
  (void)handle;
  arm(&s->keys[s->key_index[index]]);
  return 1;
}

static void teardown(void *ctx) {
  source *s = ctx;
  if (s->window != NULL)
    DestroyWindow(s->window);
  if (s->class_atom != 0)
    UnregisterClassW(s->class_name, s->module);
  for (int i = 0; i < 2; i++) {
    if (s->keys[i].key != NULL)
      RegCloseKey(s->keys[i].key);
    if (s->keys[i].event != NULL)
      CloseHandle(s->keys[i].event);
  }
}

static const ce__win32_loop_fns fns = {setup, signaled, teardown};

static int source_open(const void *query, ce__watch_os *os, void **out) {
  return ce__win32_loop_open(&fns, sizeof(source), os,
                             ((const ce_font_query *)query)->timeout_ms, out);
}

const ce__watch_backend ce__win32_fonts_watch = {
    "win32", source_open, ce__win32_loop_source_drain, NULL,
    NULL,    NULL,        ce__win32_loop_source_close};
