/*
 * Top-level windows with EnumWindows: the handles are collected first, in
 * z-order, topmost first; the records are built afterwards, so a callback
 * that takes its time never runs inside EnumWindows, and a window that
 * vanished in between is skipped.
 */
#include "ce_win32.h"

#include <dwmapi.h>

#include <stdlib.h>

/* The classic title limit is far below this; a longer title is cut. */
#define TITLE_UNITS_MAX 65536u
/* QueryFullProcessImageNameW can give a long (\\?\) path. */
#define PATH_UNITS_MAX 32768u

typedef struct hwnd_list {
  HWND *items;
  size_t count, capacity;
  int status; /* CE_OK, or the failure that ended the collection */
} hwnd_list;

static BOOL CALLBACK collect(HWND hwnd, LPARAM lparam) {
  hwnd_list *list = (hwnd_list *)lparam;
  list->status =
      ce__grow((void **)&list->items, &list->capacity, list->count + 1,
               sizeof *list->items, "Win32", "windows");
  if (list->status != CE_OK)
    return FALSE;
  list->items[list->count++] = hwnd;
  return TRUE;
}

/* Buffers reused from one window to the next. */
typedef struct scratch {
  wchar_t *title;
  size_t title_units;
  wchar_t path[PATH_UNITS_MAX];
  DWORD path_pid; /* whose path is in `path`; 0 none */
  DWORD path_len; /* 0 when that process could not be read */
} scratch;

/*
 * The title, read with InternalGetWindowText: it copies what the system
 * stores and never sends WM_GETTEXT, so a hung window cannot block us.
 * The buffer grows while the title fills it.
 */
static const char *read_title(HWND hwnd, scratch *s, ce__arena *arena) {
  size_t wanted = 256;
  for (;;) {
    int n;
    if (ce__grow((void **)&s->title, &s->title_units, wanted, sizeof *s->title,
                 "Win32", "title units") != CE_OK)
      return NULL;
    n = InternalGetWindowText(hwnd, s->title, (int)s->title_units);
    if (n < 0)
      n = 0;
    if ((size_t)n + 1 < s->title_units || s->title_units >= TITLE_UNITS_MAX)
      return ce__win32_utf8(arena, s->title, (size_t)n, CE__CAP_TITLE);
    wanted = s->title_units * 2;
  }
}

/* The executable of `pid`, or "" when the process cannot be opened (it
 * belongs to another user, or is protected). Consecutive windows often
 * belong to one process, so the last answer is kept. */
static const char *read_exe(DWORD pid, scratch *s, ce__arena *arena) {
  if (pid != s->path_pid) {
    HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    s->path_pid = pid;
    s->path_len = 0;
    if (process != NULL) {
      DWORD len = PATH_UNITS_MAX;
      if (QueryFullProcessImageNameW(process, 0, s->path, &len))
        s->path_len = len;
      CloseHandle(process);
    }
  }
  return ce__win32_utf8(arena, s->path, s->path_len, CE__CAP_NAME);
}

/* Hidden by the DWM although "visible": a window on another virtual
 * desktop, or a suspended Store app. */
static int is_cloaked(HWND hwnd) {
  DWORD cloaked = 0;
  return SUCCEEDED(DwmGetWindowAttribute(hwnd, DWMWA_CLOAKED, &cloaked,
                                         sizeof cloaked)) &&
         cloaked != 0;
}

/*
 * What the task bar and Alt+Tab show, by the classic rule: a visible,
 * uncloaked window that is either marked WS_EX_APPWINDOW or is neither a
 * tool window nor owned by another window.
 */
static int is_app(HWND hwnd, LONG_PTR exstyle) {
  if (!IsWindowVisible(hwnd) || is_cloaked(hwnd))
    return 0;
  if (exstyle & WS_EX_APPWINDOW)
    return 1;
  return !(exstyle & WS_EX_TOOLWINDOW) && GetWindow(hwnd, GW_OWNER) == NULL;
}

/* The frame as the user sees it: without the invisible resize borders of
 * Windows 10 when the DWM knows it, else the window rectangle. */
static void read_frame(HWND hwnd, ce_window *window) {
  RECT r;
  if (FAILED(DwmGetWindowAttribute(hwnd, DWMWA_EXTENDED_FRAME_BOUNDS, &r,
                                   sizeof r)) &&
      !GetWindowRect(hwnd, &r)) {
    r.left = r.top = r.right = r.bottom = 0;
  }
  window->x = r.left;
  window->y = r.top;
  window->width = r.right - r.left;
  window->height = r.bottom - r.top;
}

/*
 * A minimized window's rectangle is a placeholder (-32000, -32000 and the
 * size of a caption), so its frame is the one it gets back when restored,
 * as X11 keeps reporting a minimized window's last frame: GetWindowPlacement's
 * normal position, or the work area of its monitor when it will be restored
 * maximized. The normal position of a window that is not a tool window is in
 * workspace coordinates, whose origin is the corner of the monitor's work
 * area (what the task bar leaves free): moved by that corner's offset from
 * the monitor's, into screen coordinates. False when the placement cannot be
 * read.
 */
static int read_restored_frame(HWND hwnd, LONG_PTR exstyle, ce_window *window) {
  WINDOWPLACEMENT placement;
  MONITORINFO monitor;
  RECT r;

  placement.length = sizeof placement;
  if (!GetWindowPlacement(hwnd, &placement))
    return 0;
  r = placement.rcNormalPosition;
  monitor.cbSize = sizeof monitor;
  /* For a minimized window, the monitor of its restored rectangle. */
  if (GetMonitorInfoW(MonitorFromWindow(hwnd, MONITOR_DEFAULTTOPRIMARY),
                      &monitor)) {
    if (placement.flags & WPF_RESTORETOMAXIMIZED)
      r = monitor.rcWork;
    else if (!(exstyle & WS_EX_TOOLWINDOW))
      OffsetRect(&r, monitor.rcWork.left - monitor.rcMonitor.left,
                 monitor.rcWork.top - monitor.rcMonitor.top);
  }
  window->x = r.left;
  window->y = r.top;
  window->width = r.right - r.left;
  window->height = r.bottom - r.top;
  return 1;
}

/* Fills `window`: CE_OK, CE__SKIP when the window is gone or filtered out,
 * or CE_E_NOMEM with its detail. */
static int make_record(HWND hwnd, const ce_window_query *query, HWND focused,
                       scratch *s, ce__arena *arena, ce_window *window) {
  wchar_t class_name[256];
  int class_len;
  DWORD pid = 0;
  LONG_PTR exstyle;

  if (!IsWindow(hwnd))
    return CE__SKIP;
  exstyle = GetWindowLongPtrW(hwnd, GWL_EXSTYLE);
  window->minimized = IsIconic(hwnd) != 0;
  /* On screen, as on X11 (mapped and viewable): shown, not minimized, and
   * not cloaked (on another virtual desktop). */
  window->visible =
      IsWindowVisible(hwnd) && !window->minimized && !is_cloaked(hwnd);
  if (query->visible_only && !window->visible)
    return CE__SKIP;
  if (query->apps_only && !is_app(hwnd, exstyle))
    return CE__SKIP;
  if (GetWindowThreadProcessId(hwnd, &pid) == 0)
    return CE__SKIP; /* destroyed since EnumWindows */

  window->size = sizeof *window;
  window->id = (uint64_t)(uintptr_t)hwnd;
  window->title = read_title(hwnd, s, arena);
  class_len = GetClassNameW(hwnd, class_name, 256);
  window->class_name = ce__win32_utf8(
      arena, class_name, class_len > 0 ? (size_t)class_len : 0, CE__CAP_NAME);
  window->instance = "";
  window->pid = (int64_t)pid;
  window->exe = read_exe(pid, s, arena);
  if (window->title == NULL || window->class_name == NULL ||
      window->exe == NULL)
    return ce__fail(CE_E_NOMEM, "Win32: out of memory for a record");
  if (!window->minimized || !read_restored_frame(hwnd, exstyle, window))
    read_frame(hwnd, window);
  window->desktop = CE_DESKTOP_UNKNOWN;
  window->managed = !(exstyle & WS_EX_TOOLWINDOW);
  /* The owner is what a transient window is for (the X11 WM_TRANSIENT_FOR):
   * a dialog's main window. */
  window->transient_for = (uint64_t)(uintptr_t)GetWindow(hwnd, GW_OWNER);
  window->focused = hwnd == focused;
  return CE_OK;
}

/* Windows always has its own. */
static int probe(const ce_window_query *query) {
  (void)query;
  return CE_OK;
}

static int enumerate(const ce_window_query *query, ce_window_fn fn, void *ctx) {
  ce__deadline deadline = ce__deadline_start(query->timeout_ms, query->cancel);
  hwnd_list list = {NULL, 0, 0, CE_OK};
  HWND focused;
  scratch *s;
  ce__arena arena = CE__ARENA_INIT;
  int status = ce__deadline_check(&deadline, "Win32");

  if (status != CE_OK)
    return status;
  /* Read once, so that one record at most says it has the focus. */
  focused = GetForegroundWindow();
  SetLastError(ERROR_SUCCESS);
  if (!EnumWindows(collect, (LPARAM)&list) && list.status == CE_OK) {
    DWORD error = GetLastError();
    /* EnumWindows may fail with no error set when there is nothing to
     * enumerate (no desktop); that is an empty list, not a failure. */
    if (error != ERROR_SUCCESS) {
      free(list.items);
      return ce__win32_fail("EnumWindows", error);
    }
  }
  if (list.status != CE_OK) {
    free(list.items);
    return list.status;
  }
  s = calloc(1, sizeof *s);
  if (s == NULL) {
    free(list.items);
    return ce__fail(CE_E_NOMEM, "Win32: out of memory listing windows");
  }
  status = ce__deadline_check(&deadline, "Win32");

  for (size_t i = 0; i < list.count && status == CE_OK; i++) {
    ce_window window;
    int built;
    if ((status = ce__cancel_check(&deadline, "Win32")) != CE_OK)
      break;
    built = make_record(list.items[i], query, focused, s, &arena, &window);
    status = ce__delivered(
        built, built == CE_OK ? fn(&window, ctx) : CE_CONTINUE, &arena);
  }
  ce__arena_free(&arena);
  free(s->title);
  free(s);
  free(list.items);
  return status;
}

const ce__windows_backend ce__win32_windows = {"win32", CE_WINDOWS_WIN32, probe,
                                               enumerate};
