/* SPDX-License-Identifier: MIT */
/*
 * A program that owns a window, for test_win32_cli.py: creates a visible
 * top-level window titled "cenum Prüfung ✓ <argv[1]>", prints
 * "<pid> <hwnd>" on one line once it exists, and lives until its standard
 * input closes (or 120 seconds pass).
 */
#include <windows.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

static DWORD main_thread;

static DWORD WINAPI watch_stdin(LPVOID unused) {
  char buffer[64];
  DWORD got;
  (void)unused;
  while (ReadFile(GetStdHandle(STD_INPUT_HANDLE), buffer, sizeof buffer, &got,
                  NULL) &&
         got > 0) {
  }
  PostThreadMessageW(main_thread, WM_QUIT, 0, 0);
  return 0;
}

int main(int argc, char **argv) {
  wchar_t title[256] = L"cenum Pr\x00FC"
                       L"fung \x2713 ";
  size_t len = wcslen(title);
  WNDCLASSW wc;
  HWND hwnd;
  MSG msg;

  /* The token is ASCII: it tells this run's window from any other. */
  for (const char *p = argc > 1 ? argv[1] : ""; *p && len < 255; p++)
    title[len++] = (wchar_t)(unsigned char)*p;
  title[len] = 0;
  memset(&wc, 0, sizeof wc);
  wc.lpfnWndProc = DefWindowProcW;
  wc.hInstance = GetModuleHandleW(NULL);
  wc.lpszClassName = L"CenumMakeWindow";
  if (!RegisterClassW(&wc))
    return 1;
  hwnd = CreateWindowExW(0, wc.lpszClassName, title,
                         WS_OVERLAPPEDWINDOW | WS_VISIBLE, 80, 90, 400, 300,
                         NULL, NULL, wc.hInstance, NULL);
  if (hwnd == NULL)
    return 1;
  main_thread = GetCurrentThreadId();
  printf("%lu %llu\n", (unsigned long)GetCurrentProcessId(),
         (unsigned long long)(uintptr_t)hwnd);
  fflush(stdout);
  CloseHandle(CreateThread(NULL, 0, watch_stdin, NULL, 0, NULL));
  SetTimer(NULL, 0, 120000, NULL);
  while (GetMessageW(&msg, NULL, 0, 0) > 0) {
    if (msg.message == WM_TIMER)
      break;
    TranslateMessage(&msg);
    DispatchMessageW(&msg);
  }
  DestroyWindow(hwnd);
  return 0;
}
