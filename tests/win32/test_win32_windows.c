/*
 * Windows with EnumWindows: the test creates its own windows, with a
 * non-ASCII title and class, and finds them with their exact fields. Under
 * Wine the fixture gives Wine an X server (Xvfb); on Windows the desktop is
 * there already.
 */
#include "check.h"
#include "win32_test.h"

#include "cenum.h"

#include <windows.h>

#include <dwmapi.h>

/* "cenum Prüfung ✓ 𝄞 窓": Latin-1, BMP and a pair of surrogates. */
static const wchar_t title_w[] = L"cenum Pr\x00FC"
                                 L"fung \x2713 \xD834\xDD1E \x7A93";
static const char title_utf8[] =
    "cenum Pr\xC3\xBC"
    "fung \xE2\x9C\x93 \xF0\x9D\x84\x9E \xE7\xAA\x93";
static const wchar_t class_w[] = L"CenumTestWind\x00F6w";
static const char class_utf8[] = "CenumTestWind\xC3\xB6w";

typedef struct seen {
  HWND main, tool, owned, hidden, minimized, doomed;
  int main_count, tool_count, owned_count, hidden_count, minimized_count;
  int doomed_count, total, destroyed_doomed;
  ce_window main_record, minimized_record, owned_record; /* scalars only */
  char main_title[256], main_class[64], main_exe[1024];
  int minimized_flag, tool_managed, hidden_visible, focused_count;
  HWND focused; /* the record that said so */
} seen;

static ce_next on_window(const ce_window *w, void *ctx) {
  seen *s = ctx;
  HWND hwnd = (HWND)(uintptr_t)w->id;

  s->total++;
  if (w->focused) {
    s->focused_count++;
    s->focused = hwnd;
  }
  CHECK(w->size == sizeof *w);
  CHECK(w->title != NULL && w->class_name != NULL && w->exe != NULL);
  CHECK_STR(w->instance, "");
  CHECK_INT(w->desktop, CE_DESKTOP_UNKNOWN);
  /* The window destroyed during the enumeration must not come out: it is at
   * the bottom of the z-order, so any first record comes before it. */
  if (!s->destroyed_doomed && hwnd != s->doomed) {
    DestroyWindow(s->doomed);
    s->destroyed_doomed = 1;
  }
  if (hwnd == s->doomed)
    s->doomed_count++;
  if (hwnd == s->main) {
    s->main_count++;
    s->main_record = *w;
    snprintf(s->main_title, sizeof s->main_title, "%s", w->title);
    snprintf(s->main_class, sizeof s->main_class, "%s", w->class_name);
    snprintf(s->main_exe, sizeof s->main_exe, "%s", w->exe);
  } else if (hwnd == s->tool) {
    s->tool_count++;
    s->tool_managed = w->managed;
  } else if (hwnd == s->owned) {
    s->owned_count++;
    s->owned_record = *w;
  } else if (hwnd == s->hidden) {
    s->hidden_count++;
    s->hidden_visible = w->visible;
  } else if (hwnd == s->minimized) {
    s->minimized_count++;
    s->minimized_flag = w->minimized;
    s->minimized_record = *w;
  }
  return CE_CONTINUE;
}

WIN32_STOP_AT_FIRST(stop_at_first, ce_window)

static HWND make(DWORD exstyle, DWORD style, HWND owner, int x, int y) {
  HWND hwnd = CreateWindowExW(exstyle, class_w, title_w, style, x, y, 320, 200,
                              owner, NULL, GetModuleHandleW(NULL), NULL);
  REQUIRE(hwnd != NULL);
  return hwnd;
}

static void pump(void) {
  MSG msg;
  while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
    TranslateMessage(&msg);
    DispatchMessageW(&msg);
  }
}

static void run(seen *s, int visible_only, int apps_only) {
  ce_window_query q = CE_WINDOW_QUERY_INIT;
  int status;
  q.visible_only = visible_only;
  q.apps_only = apps_only;
  status = ce_enum_windows_ex(&q, on_window, s);
  if (status != CE_OK)
    fprintf(stderr, "ce_enum_windows_ex: %s: %s\n", ce_status_name(status),
            ce_error_detail());
  CHECK_INT(status, CE_OK);
}

/* How far the test moves the work area's top edge down. */
#define WORK_AREA_OFFSET 40

int main(void) {
  RECT saved_work_area, work_area;
  BOOL changed_work_area;
  WNDCLASSW wc;
  seen s;
  RECT rect;
  wchar_t exe_w[MAX_PATH];
  char exe[MAX_PATH * 3];

  memset(&wc, 0, sizeof wc);
  wc.lpfnWndProc = DefWindowProcW;
  wc.hInstance = GetModuleHandleW(NULL);
  wc.lpszClassName = class_w;
  REQUIRE(RegisterClassW(&wc) != 0);

  /* A work area that does not start at the screen's corner, as with a task
   * bar at the top: GetWindowPlacement's workspace coordinates then differ
   * from screen coordinates by its offset. */
  REQUIRE(SystemParametersInfoW(SPI_GETWORKAREA, 0, &saved_work_area, 0));
  work_area = saved_work_area;
  work_area.top += WORK_AREA_OFFSET;
  changed_work_area = SystemParametersInfoW(SPI_SETWORKAREA, 0, &work_area, 0);

  memset(&s, 0, sizeof s);
  s.main = make(0, WS_POPUP | WS_VISIBLE, NULL, 50, 60);
  s.tool = make(WS_EX_TOOLWINDOW, WS_POPUP | WS_VISIBLE, NULL, 400, 60);
  s.owned = make(0, WS_POPUP | WS_VISIBLE, s.main, 50, 300);
  s.hidden = make(0, WS_POPUP, NULL, 400, 300);
  s.minimized = make(0, WS_OVERLAPPEDWINDOW, NULL, 700, 60);
  ShowWindow(s.minimized, SW_SHOWMINNOACTIVE);
  s.doomed = make(0, WS_POPUP | WS_VISIBLE, NULL, 700, 300);
  SetWindowPos(s.doomed, HWND_BOTTOM, 0, 0, 0, 0,
               SWP_NOMOVE | SWP_NOSIZE | SWP_NOACTIVATE);
  pump();
  /* The focus on the main window (the last one made would have it). */
  SetForegroundWindow(s.main);
  pump();

  /* Everything, with the exact fields of the main window. */
  run(&s, 0, 0);
  CHECK(s.total >= 5);
  CHECK_INT(s.main_count, 1);
  CHECK_INT(s.tool_count, 1);
  CHECK_INT(s.owned_count, 1);
  CHECK_INT(s.hidden_count, 1);
  CHECK_INT(s.minimized_count, 1);
  CHECK(s.destroyed_doomed);
  CHECK_INT(s.doomed_count, 0);
  CHECK_STR(s.main_title, title_utf8);
  CHECK_STR(s.main_class, class_utf8);
  CHECK_INT(s.main_record.pid, (long long)GetCurrentProcessId());
  REQUIRE(GetModuleFileNameW(NULL, exe_w, MAX_PATH) > 0);
  WideCharToMultiByte(CP_UTF8, 0, exe_w, -1, exe, (int)sizeof exe, NULL, NULL);
  CHECK(_stricmp(win32_base_name(s.main_exe), win32_base_name(exe)) == 0);
  CHECK(_stricmp(win32_base_name(s.main_exe), "test_win32_windows.exe") == 0);
  /* A borderless popup: its frame is its rectangle, on Windows 10 too. */
  CHECK_INT(s.main_record.x, 50);
  CHECK_INT(s.main_record.y, 60);
  CHECK_INT(s.main_record.width, 320);
  CHECK_INT(s.main_record.height, 200);
  GetWindowRect(s.main, &rect);
  CHECK_INT(s.main_record.width, rect.right - rect.left);
  CHECK(s.main_record.visible);
  CHECK(!s.main_record.minimized);
  CHECK(s.main_record.managed);
  CHECK(!s.tool_managed);
  CHECK(!s.hidden_visible);
  CHECK(s.minimized_flag);
  /* A minimized window: its restored frame, in screen coordinates, where it
   * was made (not -32000, -32000 and the size of a caption), and not on
   * screen. */
  CHECK(!s.minimized_record.visible);
  CHECK_INT(s.minimized_record.x, 700);
  CHECK_INT(s.minimized_record.y, 60);
  CHECK_INT(s.minimized_record.width, 320);
  CHECK_INT(s.minimized_record.height, 200);
  /* The owner, and the foreground window. */
  CHECK_INT(s.owned_record.transient_for, (uint64_t)(uintptr_t)s.main);
  CHECK_INT(s.main_record.transient_for, 0);
  /* The one focused record is the foreground window. Other programs (the
   * tests running meanwhile in the same Wine) may take the focus at any
   * time, so it counts only when the foreground stayed the same while the
   * enumeration ran. */
  {
    int stable = 0;
    for (int attempt = 0; attempt < 20 && !stable; attempt++) {
      HWND before, after;
      SetForegroundWindow(s.main);
      pump();
      before = GetForegroundWindow();
      memset(&s.main_count, 0, sizeof s - offsetof(seen, main_count));
      s.destroyed_doomed = 1;
      s.focused = NULL;
      run(&s, 0, 0);
      after = GetForegroundWindow();
      if (before != NULL && before == after) {
        stable = 1;
        CHECK_INT(s.focused_count, 1);
        CHECK(s.focused == before);
        CHECK(s.main_record.focused == (before == s.main));
      } else {
        Sleep(100);
      }
    }
    CHECK(stable);
  }

  /* Visible only: not the hidden one. */
  memset(&s.main_count, 0, sizeof s - offsetof(seen, main_count));
  s.destroyed_doomed = 1;
  run(&s, 1, 0);
  CHECK_INT(s.main_count, 1);
  CHECK_INT(s.tool_count, 1);
  CHECK_INT(s.hidden_count, 0);
  CHECK_INT(s.minimized_count, 0);

  /* Apps only: not the tool window, not the owned one, not the hidden. */
  memset(&s.main_count, 0, sizeof s - offsetof(seen, main_count));
  s.destroyed_doomed = 1;
  run(&s, 0, 1);
  CHECK_INT(s.main_count, 1);
  CHECK_INT(s.tool_count, 0);
  CHECK_INT(s.owned_count, 0);
  CHECK_INT(s.hidden_count, 0);
  CHECK_INT(s.minimized_count, 1);

  /* The callback stops it; a set cancel flag cancels it. */
  WIN32_CHECK_STOP_AND_CANCEL(ce_window_query, CE_WINDOW_QUERY_INIT,
                              ce_enum_windows_ex, stop_at_first);

  if (changed_work_area)
    SystemParametersInfoW(SPI_SETWORKAREA, 0, &saved_work_area, 0);
  DestroyWindow(s.owned);
  DestroyWindow(s.main);
  DestroyWindow(s.tool);
  DestroyWindow(s.hidden);
  DestroyWindow(s.minimized);
  return check_finish();
}
