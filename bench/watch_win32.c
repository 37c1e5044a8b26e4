/* SPDX-License-Identifier: MIT */
/*
 * The Win32 watches' figures (a benchmark, never a test), under Wine or on
 * Windows:
 *
 *   bench_watch_win32 windows N   from CreateWindowExW to its CE_ADDED, N
 *                                 times (under Wine a destroy is told with
 *                                 the next create, so only adds are timed)
 *   bench_watch_win32 fonts FILE N  from AddFontResourceExW(FILE) and the
 *                                 WM_FONTCHANGE broadcast to CE_ADDED, and
 *                                 from RemoveFontResourceExW to CE_REMOVED
 *   bench_watch_win32 printers DRIVER N  from AddPrinterW (port FILE:,
 *                                 driver DRIVER) to CE_ADDED and from
 *                                 DeletePrinter to CE_REMOVED
 *   bench_watch_win32 idle KIND SEC  the process's CPU time while a watch
 *                                 of KIND sees no change for SEC seconds
 *
 * Each change is waited for on the watch's handle (an event), then
 * dispatched. Prints median and max in milliseconds.
 */
#include <cenum.h>

#include <windows.h>

#include <winspool.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RUNS 1000

static double now_ms(void) {
  LARGE_INTEGER t, f;
  QueryPerformanceCounter(&t);
  QueryPerformanceFrequency(&f);
  return (double)t.QuadPart * 1e3 / (double)f.QuadPart;
}

static int wanted_change, seen_wanted;
static uint64_t wanted_id;
static const char *wanted_name;

static ce_next on_window(ce_change c, const ce_window *w, void *ctx) {
  (void)ctx;
  if ((int)c == wanted_change && w->id == wanted_id)
    seen_wanted = 1;
  return CE_CONTINUE;
}

static ce_next on_font(ce_change c, const ce_font *f, void *ctx) {
  (void)ctx;
  if ((int)c == wanted_change && strcmp(f->family, wanted_name) == 0)
    seen_wanted = 1;
  return CE_CONTINUE;
}

static ce_next on_printer(ce_change c, const ce_printer *p, void *ctx) {
  (void)ctx;
  if ((int)c == wanted_change && strcmp(p->name, wanted_name) == 0)
    seen_wanted = 1;
  return CE_CONTINUE;
}

/* Waits for the change asked (at most 10 s); its latency from `start`, or
 * -1. */
static double wait_change(ce_watch *w, double start) {
  seen_wanted = 0;
  while (!seen_wanted) {
    if (WaitForSingleObject((HANDLE)ce_watch_handle(w), 10000) !=
            WAIT_OBJECT_0 ||
        ce_watch_dispatch(w, 0) != CE_OK)
      return -1;
  }
  return now_ms() - start;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void report(const char *what, double *ms, int n) {
  qsort(ms, (size_t)n, sizeof *ms, by_value);
  if (n == 0 || ms[0] < 0)
    printf("%-40s failed\n", what);
  else
    printf("%-40s median %7.1f ms  max %7.1f ms  (%d)\n", what, ms[n / 2],
           ms[n - 1], n);
}

static void drain(ce_watch *w) {
  while (ce_watch_dispatch(w, 200) == CE_OK &&
         WaitForSingleObject((HANDLE)ce_watch_handle(w), 0) == WAIT_OBJECT_0)
    ;
}

static int bench_windows(int n) {
  static double added[MAX_RUNS];
  ce_watch *w;
  WNDCLASSW wc;
  memset(&wc, 0, sizeof wc);
  wc.lpfnWndProc = DefWindowProcW;
  wc.hInstance = GetModuleHandleW(NULL);
  wc.lpszClassName = L"CenumBenchWatch";
  RegisterClassW(&wc);
  if (ce_watch_windows(NULL, on_window, NULL, &w) != CE_OK)
    return 1;
  drain(w);
  for (int i = 0; i < n; i++) {
    double start = now_ms();
    HWND hwnd = CreateWindowExW(0, wc.lpszClassName, L"bench", WS_OVERLAPPED, 0,
                                0, 100, 100, NULL, NULL, wc.hInstance, NULL);
    wanted_id = (uint64_t)(uintptr_t)hwnd;
    wanted_change = CE_ADDED;
    added[i] = wait_change(w, start);
    DestroyWindow(hwnd);
  }
  report("windows: CreateWindowExW -> CE_ADDED", added, n);
  ce_watch_close(w);
  return 0;
}

static void broadcast(void) {
  DWORD_PTR result;
  SendMessageTimeoutW(HWND_BROADCAST, WM_FONTCHANGE, 0, 0, SMTO_ABORTIFHUNG,
                      5000, &result);
}

static int bench_fonts(const char *file, const char *family, int n) {
  static double added[MAX_RUNS], removed[MAX_RUNS];
  wchar_t path[MAX_PATH];
  ce_font_query q = CE_FONT_QUERY_INIT;
  ce_watch *w;
  MultiByteToWideChar(CP_UTF8, 0, file, -1, path, MAX_PATH);
  q.family = family;
  wanted_name = family;
  if (ce_watch_fonts(&q, on_font, NULL, &w) != CE_OK)
    return 1;
  drain(w);
  for (int i = 0; i < n; i++) {
    double start = now_ms();
    AddFontResourceExW(path, 0, NULL);
    broadcast();
    wanted_change = CE_ADDED;
    added[i] = wait_change(w, start);
    start = now_ms();
    RemoveFontResourceExW(path, 0, NULL);
    broadcast();
    wanted_change = CE_REMOVED;
    removed[i] = wait_change(w, start);
  }
  report("fonts: AddFontResourceExW -> CE_ADDED", added, n);
  report("fonts: RemoveFontResourceExW -> CE_REMOVED", removed, n);
  ce_watch_close(w);
  return 0;
}

static int bench_printers(const char *driver, int n) {
  static double added[MAX_RUNS], removed[MAX_RUNS];
  wchar_t driver_w[256];
  PRINTER_INFO_2W info;
  ce_watch *w;
  MultiByteToWideChar(CP_UTF8, 0, driver, -1, driver_w, 256);
  wanted_name = "cenum-bench-watch";
  if (ce_watch_printers(NULL, on_printer, NULL, &w) != CE_OK)
    return 1;
  drain(w);
  memset(&info, 0, sizeof info);
  info.pPrinterName = L"cenum-bench-watch";
  info.pPortName = L"FILE:";
  info.pDriverName = driver_w;
  info.pPrintProcessor = L"WinPrint";
  info.pDatatype = L"RAW";
  for (int i = 0; i < n; i++) {
    double start = now_ms();
    HANDLE p = AddPrinterW(NULL, 2, (BYTE *)&info);
    if (p == NULL)
      return 1;
    wanted_change = CE_ADDED;
    added[i] = wait_change(w, start);
    start = now_ms();
    DeletePrinter(p);
    ClosePrinter(p);
    wanted_change = CE_REMOVED;
    removed[i] = wait_change(w, start);
  }
  report("printers: AddPrinterW -> CE_ADDED", added, n);
  report("printers: DeletePrinter -> CE_REMOVED", removed, n);
  ce_watch_close(w);
  return 0;
}

static double cpu_ms(void) {
  FILETIME created, exited, kernel, user;
  ULARGE_INTEGER k, u;
  GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user);
  k.LowPart = kernel.dwLowDateTime;
  k.HighPart = kernel.dwHighDateTime;
  u.LowPart = user.dwLowDateTime;
  u.HighPart = user.dwHighDateTime;
  return (double)(k.QuadPart + u.QuadPart) / 1e4;
}

static int bench_idle(const char *kind, int seconds) {
  ce_watch *w = NULL;
  int status, wakeups = 0;
  double start, cpu;
  if (strcmp(kind, "windows") == 0)
    status = ce_watch_windows(NULL, on_window, NULL, &w);
  else if (strcmp(kind, "fonts") == 0)
    status = ce_watch_fonts(NULL, on_font, NULL, &w);
  else
    status = ce_watch_printers(NULL, on_printer, NULL, &w);
  if (status != CE_OK)
    return 1;
  wanted_name = "";
  drain(w);
  cpu = cpu_ms();
  start = now_ms();
  while (now_ms() - start < seconds * 1e3) {
    DWORD left = (DWORD)(seconds * 1e3 - (now_ms() - start));
    if (WaitForSingleObject((HANDLE)ce_watch_handle(w), left) ==
        WAIT_OBJECT_0) {
      wakeups++;
      ce_watch_dispatch(w, 0);
    }
  }
  printf("idle %s %d s: %d wake-ups, %.1f ms CPU\n", kind, seconds, wakeups,
         cpu_ms() - cpu);
  ce_watch_close(w);
  return 0;
}

int main(int argc, char **argv) {
  int n = argc > 2 ? atoi(argv[argc - 1]) : 0;
  if (n > MAX_RUNS)
    n = MAX_RUNS;
  if (argc == 3 && strcmp(argv[1], "windows") == 0 && n > 0)
    return bench_windows(n);
  if (argc == 5 && strcmp(argv[1], "fonts") == 0 && n > 0)
    return bench_fonts(argv[2], argv[3], n);
  if (argc == 4 && strcmp(argv[1], "printers") == 0 && n > 0)
    return bench_printers(argv[2], n);
  if (argc == 4 && strcmp(argv[1], "idle") == 0 && n > 0)
    return bench_idle(argv[2], n);
  fprintf(stderr,
          "usage: %s windows N | fonts FILE FAMILY N | printers "
          "DRIVER N | idle windows|fonts|printers SEC\n",
          argv[0]);
  return 2;
}
