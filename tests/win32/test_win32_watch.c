/* SPDX-License-Identifier: MIT */
/*
 * The Win32 watches, under Wine and on Windows, each on what the test
 * changes itself: a top-level window it creates, renames and destroys; a
 * font file it adds with AddFontResourceExW and removes (a copy of a face
 * whose names it rewrote, so no other face shares them); a printer it adds
 * with AddPrinterW and deletes. Each change is waited for on the watch's
 * handle, a waitable event, before the dispatch that delivers it, and each
 * record is compared with what the enumeration gives for it.
 *
 *   test_win32_watch [windows|windows-wine|fonts|printers|release]
 *
 * Without an argument: all of them for where it runs (`windows` on
 * Windows, `windows-wine` under Wine, which CENUM_TEST_WINE says).
 */
#include "check.h"
#include "win32_test.h"

#include "cenum.h"

#include <windows.h>

#include <tlhelp32.h>
#include <winspool.h>

#include <stdio.h>
#include <string.h>

/* The longest the test waits for one change to come through. */
#define CHANGE_MS 10000

static int under_wine(void) {
  const char *wine = getenv("CENUM_TEST_WINE");
  return wine != NULL && wine[0] != '\0';
}

/* What the callbacks saw of the record the test follows, by change. */
typedef struct seen {
  int changes[4]; /* indexed by ce_change */
  int total;      /* every change of any record */
  int others_removed;
  char title[256]; /* windows: the followed window's last title */
  ce_font font;    /* fonts: the last record, scalars */
  char family[128], style[128], fullname[128], path[512];
  char printer_info[256];
  uint64_t id;      /* windows: the followed window */
  const char *name; /* printers: the followed queue */
  const char *family_wanted;
  int stop_next; /* the next callback returns CE_STOP */
} seen;

/* Waits on the handle for the change `change` of the followed record, then
 * dispatches; CE_OK once it came, within CHANGE_MS. */
static int wait_for(ce_watch *w, seen *s, ce_change change) {
  int before = s->changes[change];
  DWORD start = GetTickCount();
  while (s->changes[change] == before) {
    DWORD spent = GetTickCount() - start;
    DWORD woke;
    int status;
    if (spent >= CHANGE_MS)
      return CE_E_TIMEOUT;
    woke = WaitForSingleObject((HANDLE)ce_watch_handle(w), CHANGE_MS - spent);
    if (woke != WAIT_OBJECT_0)
      return CE_E_TIMEOUT;
    status = ce_watch_dispatch(w, 0);
    if (status != CE_OK)
      return status;
  }
  return CE_OK;
}

/* Dispatches until a dispatch that waited `quiet_ms` delivered nothing. */
static void settle(ce_watch *w, seen *s, unsigned quiet_ms) {
  for (int i = 0; i < 50; i++) {
    int total = s->total;
    CHECK_INT(ce_watch_dispatch(w, quiet_ms), CE_OK);
    if (s->total == total)
      return;
  }
  /* No CHECK(!"..."): MSVC warns of a logical operation on a string. */
  check_that(0, __FILE__, __LINE__, "the watch settles");
}

/* -------------------------------------------------------------- windows -- */

/* The ids of this process's windows the watch told of, for the promise:
 * they must be what a fresh EnumWindows list gives. Only this process's:
 * the other tests of the run make and destroy windows of their own in the
 * same Wine prefix meanwhile, whose destroys Wine does not tell (see
 * windows_under_wine). */
#define MAX_WINDOWS 4096
typedef struct id_set {
  uint64_t ids[MAX_WINDOWS];
  size_t count;
} id_set;

static id_set told_windows;

static void id_apply(id_set *set, ce_change change, uint64_t id) {
  size_t i = 0;
  while (i < set->count && set->ids[i] != id)
    i++;
  if (change == CE_ADDED) {
    CHECK(i == set->count); /* never added twice */
    if (i == set->count && set->count < MAX_WINDOWS)
      set->ids[set->count++] = id;
  } else {
    CHECK(i < set->count); /* removed or changed: it was told */
    if (change == CE_REMOVED && i < set->count)
      set->ids[i] = set->ids[--set->count];
  }
}

/* The windows a test follows, each with its changes and its last title. */
#define FOLLOWED 4
typedef struct followed {
  uint64_t id[FOLLOWED];
  int changes[FOLLOWED][4];
  char title[FOLLOWED][256];
} followed;

static followed windows_followed;

static ce_next on_window(ce_change change, const ce_window *r, void *ctx) {
  seen *s = ctx;
  CHECK(change >= CE_ADDED && change <= CE_CHANGED);
  CHECK(r->size == sizeof *r);
  CHECK(check_valid_utf8(r->title));
  if (r->pid == (int64_t)GetCurrentProcessId())
    id_apply(&told_windows, change, r->id);
  s->total++;
  for (int i = 0; i < FOLLOWED; i++)
    if (r->id == windows_followed.id[i] && r->id != 0) {
      windows_followed.changes[i][change]++;
      snprintf(windows_followed.title[i], sizeof windows_followed.title[i],
               "%s", r->title);
    }
  if (r->id == s->id) {
    s->changes[change]++;
    snprintf(s->title, sizeof s->title, "%s", r->title);
  }
  if (s->stop_next) {
    s->stop_next = 0;
    return CE_STOP;
  }
  return CE_CONTINUE;
}

static ce_next count_window(const ce_window *r, void *ctx) {
  id_set *fresh = ctx;
  if (r->pid == (int64_t)GetCurrentProcessId() && fresh->count < MAX_WINDOWS)
    fresh->ids[fresh->count++] = r->id;
  return CE_CONTINUE;
}

static int has_id(const id_set *set, uint64_t id) {
  for (size_t i = 0; i < set->count; i++)
    if (set->ids[i] == id)
      return 1;
  return 0;
}

static LRESULT CALLBACK test_window_proc(HWND hwnd, UINT message, WPARAM wp,
                                         LPARAM lp) {
  return DefWindowProcW(hwnd, message, wp, lp);
}

/* The blocked dispatch that another thread's close must end. */
typedef struct blocked {
  ce_watch *w;
  int status;
} blocked;

static DWORD WINAPI blocked_dispatch(LPVOID arg) {
  blocked *b = arg;
  b->status = ce_watch_dispatch(b->w, 30000);
  return 0;
}

static const wchar_t title1_w[] = L"cenum watch \x2713 one";
static const char title1[] = "cenum watch \xE2\x9C\x93 one";
static const wchar_t title2_w[] = L"cenum watch \x2713 renamed";
static const char title2[] = "cenum watch \xE2\x9C\x93 renamed";
static const wchar_t class_w[] = L"CenumWatchTest";

/* A new top-level window of the test's class, shown, followed as `slot`. */
static HWND make_window(const wchar_t *title, int slot) {
  HWND hwnd =
      CreateWindowExW(0, class_w, title, WS_OVERLAPPEDWINDOW, 40, 50, 300, 200,
                      NULL, NULL, GetModuleHandleW(NULL), NULL);
  REQUIRE(hwnd != NULL);
  windows_followed.id[slot] = (uint64_t)(uintptr_t)hwnd;
  ShowWindow(hwnd, SW_SHOWNOACTIVATE);
  return hwnd;
}

/* The promise: what was told is what a fresh list gives. */
static void check_promise(ce_watch *w, seen *s) {
  id_set *fresh = calloc(1, sizeof *fresh);
  REQUIRE(fresh != NULL);
  settle(w, s, 300);
  CHECK_INT(ce_enum_windows(count_window, fresh), CE_OK);
  CHECK(fresh->count > 0); /* the test's own window is among them */
  CHECK_INT(fresh->count, told_windows.count);
  for (size_t i = 0; i < fresh->count; i++)
    CHECK(has_id(&told_windows, fresh->ids[i]));
  free(fresh);
}

/*
 * On Windows: each change by the hook's own event. A window created
 * (EVENT_OBJECT_CREATE, SHOW), renamed (NAMECHANGE), minimized
 * (MINIMIZESTART) and destroyed (DESTROY).
 */
static void windows_by_event(ce_watch *w, seen *s) {
  HWND hwnd = make_window(title1_w, 0);
  s->id = windows_followed.id[0];
  CHECK_INT(wait_for(w, s, CE_ADDED), CE_OK);
  CHECK_INT(s->changes[CE_ADDED], 1);
  CHECK_STR(s->title, title1);

  SetWindowTextW(hwnd, title2_w);
  CHECK_INT(wait_for(w, s, CE_CHANGED), CE_OK);
  CHECK_STR(s->title, title2);
  check_promise(w, s);

  DestroyWindow(hwnd);
  CHECK_INT(wait_for(w, s, CE_REMOVED), CE_OK);
  CHECK_INT(s->changes[CE_REMOVED], 1);
  CHECK_STR(s->title, title2); /* the record as last told */
  CHECK(!has_id(&told_windows, s->id));
}

/*
 * Under Wine: Wine 8 raises EVENT_OBJECT_CREATE alone (no SHOW, HIDE,
 * NAMECHANGE, LOCATIONCHANGE, DESTROY, MINIMIZE or FOREGROUND: measured
 * with a hook on EVENT_MIN..EVENT_MAX), so a rename or a destroy is
 * delivered with the next window created, whose event makes the watch list
 * again: the diff then carries every change since.
 */
static void windows_under_wine(ce_watch *w, seen *s) {
  HWND a = make_window(title1_w, 0), b, c, d;
  s->id = windows_followed.id[0];
  CHECK_INT(wait_for(w, s, CE_ADDED), CE_OK);
  CHECK_STR(s->title, title1);

  SetWindowTextW(a, title2_w);
  b = make_window(L"cenum watch b", 1);
  s->id = windows_followed.id[1];
  CHECK_INT(wait_for(w, s, CE_ADDED), CE_OK);
  CHECK_STR(s->title, "cenum watch b");
  CHECK_INT(windows_followed.changes[0][CE_CHANGED], 1);
  CHECK_STR(windows_followed.title[0], title2);

  DestroyWindow(a);
  c = make_window(L"cenum watch c", 2);
  s->id = windows_followed.id[2];
  CHECK_INT(wait_for(w, s, CE_ADDED), CE_OK);
  CHECK_INT(windows_followed.changes[0][CE_REMOVED], 1);
  CHECK_STR(windows_followed.title[0], title2); /* as last told */

  DestroyWindow(b);
  DestroyWindow(c);
  d = make_window(L"cenum watch d", 3);
  s->id = windows_followed.id[3];
  CHECK_INT(wait_for(w, s, CE_ADDED), CE_OK);
  CHECK_INT(windows_followed.changes[1][CE_REMOVED], 1);
  CHECK_INT(windows_followed.changes[2][CE_REMOVED], 1);
  check_promise(w, s);
  CHECK(!has_id(&told_windows, windows_followed.id[0]));
  CHECK(has_id(&told_windows, windows_followed.id[3]));
  DestroyWindow(d);
}

static void test_windows(int by_event) {
  seen s;
  ce_watch *w = NULL;
  WNDCLASSW wc;
  blocked dispatcher;
  HANDLE thread;

  memset(&s, 0, sizeof s);
  memset(&windows_followed, 0, sizeof windows_followed);
  memset(&wc, 0, sizeof wc);
  wc.lpfnWndProc = test_window_proc;
  wc.hInstance = GetModuleHandleW(NULL);
  wc.lpszClassName = class_w;
  REQUIRE(RegisterClassW(&wc) != 0);

  REQUIRE(ce_watch_windows(NULL, on_window, &s, &w) == CE_OK);
  CHECK(ce_watch_handle(w) != -1 && ce_watch_handle(w) != 0);
  /* The first list is pending: the handle says so before any dispatch. */
  CHECK_INT(WaitForSingleObject((HANDLE)ce_watch_handle(w), 0), WAIT_OBJECT_0);
  /* A callback's CE_STOP leaves the rest pending, and the handle set. */
  s.stop_next = 1;
  CHECK_INT(ce_watch_dispatch(w, 0), CE_STOPPED);
  CHECK_INT(s.total, 1);
  CHECK_INT(WaitForSingleObject((HANDLE)ce_watch_handle(w), 0), WAIT_OBJECT_0);
  CHECK_INT(ce_watch_dispatch(w, 0), CE_OK);
  CHECK(s.total > 1); /* Wine's and Windows' own windows */

  if (by_event)
    windows_by_event(w, &s);
  else
    windows_under_wine(w, &s);

  /* A close on this thread ends a dispatch blocked on another. */
  dispatcher.status = 1;
  dispatcher.w = w;
  thread = CreateThread(NULL, 0, blocked_dispatch, &dispatcher, 0, NULL);
  REQUIRE(thread != NULL);
  Sleep(100); /* not a timing: the close is checked either way */
  ce_watch_close(w);
  CHECK_INT(WaitForSingleObject(thread, CHANGE_MS), WAIT_OBJECT_0);
  CloseHandle(thread);
  /* Either the dispatch was blocked (cancelled) or it returned before the
   * close (nothing changed meanwhile). */
  CHECK(dispatcher.status == CE_E_CANCELLED || dispatcher.status == CE_OK);
  UnregisterClassW(class_w, wc.hInstance);
}

/* ---------------------------------------------------------------- fonts -- */

static ce_next on_font(ce_change change, const ce_font *f, void *ctx) {
  seen *s = ctx;
  s->total++;
  if (strcmp(f->family, s->family_wanted) != 0) {
    check_that(0, __FILE__, __LINE__, "only faces of the family asked");
    return CE_CONTINUE;
  }
  s->changes[change]++;
  s->font = *f;
  snprintf(s->family, sizeof s->family, "%s", f->family);
  snprintf(s->style, sizeof s->style, "%s", f->style);
  snprintf(s->fullname, sizeof s->fullname, "%s", f->fullname);
  snprintf(s->path, sizeof s->path, "%s", f->path);
  return CE_CONTINUE;
}

static ce_next compare_font(const ce_font *f, void *ctx) {
  seen *s = ctx;
  s->total++;
  CHECK_STR(f->family, s->family);
  CHECK_STR(f->style, s->style);
  CHECK_STR(f->fullname, s->fullname);
  CHECK_STR(f->path, s->path);
  CHECK_INT(f->index, s->font.index);
  CHECK_INT(f->weight, s->font.weight);
  CHECK_INT(f->slant, s->font.slant);
  CHECK_INT(f->monospace, s->font.monospace);
  return CE_CONTINUE;
}

/* Replaces every `from` in buf, as 8-bit text and as UTF-16BE (the name
 * table's two encodings), with `to` of the same length; how many. */
static int rename_in(unsigned char *buf, size_t size, const char *from,
                     const char *to) {
  size_t n = strlen(from);
  int count = 0;
  for (size_t i = 0; i + 2 * n <= size; i++) {
    size_t k = 0;
    if (memcmp(buf + i, from, n) == 0) {
      memcpy(buf + i, to, n);
      count++;
      continue;
    }
    while (k < n && buf[i + 2 * k] == 0 &&
           buf[i + 2 * k + 1] == (unsigned char)from[k])
      k++;
    if (k == n) {
      for (k = 0; k < n; k++)
        buf[i + 2 * k + 1] = (unsigned char)to[k];
      count++;
    }
  }
  return count;
}

/* A copy of `source` in the temporary directory whose names are renamed:
 * a face no other file has. */
static int make_font(const wchar_t *source, const char *const names[][2],
                     size_t name_count, wchar_t *out, size_t out_units) {
  HANDLE f = CreateFileW(source, GENERIC_READ, FILE_SHARE_READ, NULL,
                         OPEN_EXISTING, 0, NULL);
  DWORD size, got = 0, put = 0;
  unsigned char *buf;
  wchar_t dir[MAX_PATH];
  int renamed = 0;

  if (f == INVALID_HANDLE_VALUE)
    return 0;
  size = GetFileSize(f, NULL);
  buf = malloc(size);
  if (buf == NULL || !ReadFile(f, buf, size, &got, NULL) || got != size) {
    CloseHandle(f);
    free(buf);
    return 0;
  }
  CloseHandle(f);
  for (size_t i = 0; i < name_count; i++)
    renamed += rename_in(buf, size, names[i][0], names[i][1]);
  GetTempPathW(MAX_PATH, dir);
  swprintf(out, out_units, L"%lscenum-watch-%lu.ttf", dir,
           (unsigned long)GetCurrentProcessId());
  f = CreateFileW(out, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
  if (f == INVALID_HANDLE_VALUE || !WriteFile(f, buf, size, &put, NULL) ||
      put != size)
    renamed = 0;
  if (f != INVALID_HANDLE_VALUE)
    CloseHandle(f);
  free(buf);
  return renamed;
}

static void broadcast_font_change(void) {
  DWORD_PTR result;
  SendMessageTimeoutW(HWND_BROADCAST, WM_FONTCHANGE, 0, 0, SMTO_ABORTIFHUNG,
                      5000, &result);
}

static void test_fonts(void) {
  /* Under Wine a face of the fixture's own DejaVu set; on Windows Courier
   * New. Each new name is as long as the old, so no offset moves. */
  static const char *const dejavu[][2] = {
      {"DejaVu Sans Mono", "Cenum Watch Mono"},
      {"DejaVuSansMono", "CenumWatchMono"}};
  static const char *const courier[][2] = {{"Courier New", "Cenum Watch"},
                                           {"CourierNew", "CenumWatch"}};
  const char *font_dir = getenv("CENUM_TEST_FONT_DIR");
  wchar_t source[MAX_PATH], path[MAX_PATH];
  ce_font_query q = CE_FONT_QUERY_INIT;
  ce_watch *w = NULL;
  seen s;
  int renamed;

  memset(&s, 0, sizeof s);
  if (under_wine()) {
    REQUIRE(font_dir != NULL);
    swprintf(source, MAX_PATH, L"Z:%hs/DejaVuSansMono.ttf", font_dir);
    renamed = make_font(source, dejavu, 2, path, MAX_PATH);
    s.family_wanted = "Cenum Watch Mono";
  } else {
    wchar_t windir[MAX_PATH];
    GetWindowsDirectoryW(windir, MAX_PATH);
    swprintf(source, MAX_PATH, L"%ls\\Fonts\\cour.ttf", windir);
    renamed = make_font(source, courier, 2, path, MAX_PATH);
    s.family_wanted = "Cenum Watch";
  }
  REQUIRE(renamed >= 2);

  q.family = s.family_wanted;
  REQUIRE(ce_watch_fonts(&q, on_font, &s, &w) == CE_OK);
  CHECK_INT(ce_watch_dispatch(w, 0), CE_OK);
  CHECK_INT(s.total, 0); /* no such face yet */

  REQUIRE(AddFontResourceExW(path, 0, NULL) > 0);
  broadcast_font_change();
  CHECK_INT(wait_for(w, &s, CE_ADDED), CE_OK);
  CHECK_INT(s.changes[CE_ADDED], 1);
  CHECK_STR(s.family, s.family_wanted);
  /* The same record as the enumeration's. */
  {
    seen listed = s;
    listed.total = 0;
    CHECK_INT(ce_enum_fonts_ex(&q, compare_font, &listed), CE_OK);
    CHECK_INT(listed.total, 1);
  }

  CHECK(RemoveFontResourceExW(path, 0, NULL));
  broadcast_font_change();
  CHECK_INT(wait_for(w, &s, CE_REMOVED), CE_OK);
  CHECK_INT(s.changes[CE_REMOVED], 1);
  settle(w, &s, 300);
  CHECK_INT(s.changes[CE_ADDED], 1);
  ce_watch_close(w);
  DeleteFileW(path);
}

/* ------------------------------------------------------------- printers -- */

static ce_next on_printer(ce_change change, const ce_printer *p, void *ctx) {
  seen *s = ctx;
  s->total++;
  if (strcmp(p->name, s->name) == 0) {
    s->changes[change]++;
    snprintf(s->printer_info, sizeof s->printer_info, "%s", p->info);
  } else if (change == CE_REMOVED) {
    s->others_removed++;
  }
  return CE_CONTINUE;
}

static ce_next find_printer(const ce_printer *p, void *ctx) {
  seen *s = ctx;
  if (strcmp(p->name, s->name) == 0) {
    s->total++;
    CHECK_STR(p->info, s->printer_info);
  }
  return CE_CONTINUE;
}

static void test_printers(void) {
  static const wchar_t name_w[] = L"cenum-watch-test";
  PRINTER_INFO_2W *existing, added;
  DWORD need = 0, count = 0;
  HANDLE printer;
  ce_watch *w = NULL;
  seen s;

  memset(&s, 0, sizeof s);
  s.name = "cenum-watch-test";
  /* A driver the system has: that of a printer it has (under Wine each
   * CUPS queue's own, on Windows Microsoft Print to PDF's). */
  EnumPrintersW(PRINTER_ENUM_LOCAL, NULL, 2, NULL, 0, &need, &count);
  existing = malloc(need);
  REQUIRE(existing != NULL &&
          EnumPrintersW(PRINTER_ENUM_LOCAL, NULL, 2, (BYTE *)existing, need,
                        &need, &count) &&
          count > 0);

  REQUIRE(ce_watch_printers(NULL, on_printer, &s, &w) == CE_OK);
  if (under_wine())
    /* Wine's spooler has no change notification: the watch says how it
     * follows the printers instead. */
    CHECK(strstr(ce_error_detail(), "FindFirstPrinterChangeNotification") !=
              NULL &&
          strstr(ce_error_detail(), "registry key") != NULL);
  CHECK_INT(ce_watch_dispatch(w, 0), CE_OK);
  CHECK(s.total >= (int)count);
  CHECK_INT(s.changes[CE_ADDED], 0);

  memset(&added, 0, sizeof added);
  added.pPrinterName = (wchar_t *)name_w;
  added.pPortName = L"FILE:";
  added.pDriverName = existing[0].pDriverName;
  added.pPrintProcessor = existing[0].pPrintProcessor;
  added.pDatatype = L"RAW";
  added.pComment = L"cenum watch \x2713";
  printer = AddPrinterW(NULL, 2, (BYTE *)&added);
  if (!CHECK(printer != NULL))
    fprintf(stderr, "AddPrinterW: error %lu\n", (unsigned long)GetLastError());
  if (printer != NULL) {
    CHECK_INT(wait_for(w, &s, CE_ADDED), CE_OK);
    CHECK_INT(s.changes[CE_ADDED], 1);
    CHECK_STR(s.printer_info, "cenum watch \xE2\x9C\x93");
    {
      seen listed = s;
      listed.total = 0;
      CHECK_INT(ce_enum_printers(find_printer, &listed), CE_OK);
      CHECK_INT(listed.total, 1);
    }
    CHECK(DeletePrinter(printer));
    ClosePrinter(printer);
    CHECK_INT(wait_for(w, &s, CE_REMOVED), CE_OK);
    CHECK_INT(s.changes[CE_REMOVED], 1);
  }
  settle(w, &s, 300);
  CHECK_INT(s.others_removed, 0);
  ce_watch_close(w);
  free(existing);
}

/* ------------------------------------------------------------- release -- */

static ce_next any_window(ce_change c, const ce_window *r, void *ctx) {
  (void)c, (void)r, (void)ctx;
  return CE_CONTINUE;
}
static ce_next any_printer(ce_change c, const ce_printer *r, void *ctx) {
  (void)c, (void)r, (void)ctx;
  return CE_CONTINUE;
}
static ce_next any_font(ce_change c, const ce_font *r, void *ctx) {
  (void)c, (void)r, (void)ctx;
  return CE_CONTINUE;
}

/* What this process holds: its threads, handles and top-level windows. */
typedef struct holdings {
  int threads, windows;
  DWORD handles;
} holdings;

static BOOL CALLBACK count_own(HWND hwnd, LPARAM lparam) {
  DWORD pid = 0;
  GetWindowThreadProcessId(hwnd, &pid);
  if (pid == GetCurrentProcessId())
    ++*(int *)lparam;
  return TRUE;
}

static holdings held(void) {
  holdings h = {0, 0, 0};
  HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
  THREADENTRY32 t;
  REQUIRE(snap != INVALID_HANDLE_VALUE);
  t.dwSize = sizeof t;
  for (BOOL more = Thread32First(snap, &t); more; more = Thread32Next(snap, &t))
    if (t.th32OwnerProcessID == GetCurrentProcessId())
      h.threads++;
  CloseHandle(snap);
  EnumWindows(count_own, (LPARAM)&h.windows);
  REQUIRE(GetProcessHandleCount(GetCurrentProcess(), &h.handles));
  return h;
}

/*
 * Close releases every thread, handle, hook and window: the three watches
 * opened and closed twice (the first time loads what the system keeps for
 * the process, the spooler's connection among it), then a third time with
 * what the process holds compared before, during and after.
 */
static void test_release(void) {
  holdings before = {0, 0, 0}, during = {0, 0, 0}, after;
  for (int round = 0; round < 3; round++) {
    ce_watch *w[3] = {NULL, NULL, NULL};
    if (round == 2)
      before = held();
    CHECK_INT(ce_watch_windows(NULL, any_window, NULL, &w[0]), CE_OK);
    CHECK_INT(ce_watch_printers(NULL, any_printer, NULL, &w[1]), CE_OK);
    CHECK_INT(ce_watch_fonts(NULL, any_font, NULL, &w[2]), CE_OK);
    for (int i = 0; i < 3; i++)
      CHECK_INT(ce_watch_dispatch(w[i], 0), CE_OK);
    if (round == 2)
      during = held();
    for (int i = 0; i < 3; i++)
      ce_watch_close(w[i]);
  }
  after = held();
  /* A thread each, and the font watch's hidden window (and the IME window
   * the system gives a thread that has a window). */
  CHECK(during.windows > before.windows);
  CHECK_INT(after.windows, before.windows);
  if (under_wine()) {
    /* Wine starts no thread of its own for these calls (measured: 1, 4,
     * 1). */
    CHECK_INT(during.threads, before.threads + 3);
    CHECK_INT(after.threads, before.threads);
  } else {
    /* Windows' thread pool (the spooler's RPC) may start and end threads
     * of its own meanwhile: the watches' three are there, then gone. */
    CHECK(during.threads >= before.threads + 3);
    CHECK(after.threads <= during.threads - 3);
  }
  /* Wine 8's GetProcessHandleCount is a stub that says 0 (measured), so
   * handles are counted on Windows only. */
  if (!under_wine()) {
    CHECK(during.handles > before.handles);
    CHECK_INT(after.handles, before.handles);
  }
}

int main(int argc, char **argv) {
  const char *only = argc > 1 ? argv[1] : NULL;
  int all = only == NULL;
  if (argc > 2 ||
      (only != NULL && strcmp(only, "windows") != 0 &&
       strcmp(only, "windows-wine") != 0 && strcmp(only, "fonts") != 0 &&
       strcmp(only, "printers") != 0 && strcmp(only, "release") != 0)) {
    fprintf(stderr, "usage: %s [windows|windows-wine|fonts|printers|release]\n",
            argv[0]);
    return 2;
  }
  if (all ? !under_wine() : strcmp(only, "windows") == 0)
    test_windows(1);
  if (all ? under_wine() : strcmp(only, "windows-wine") == 0)
    test_windows(0);
  if (all || strcmp(only, "fonts") == 0)
    test_fonts();
  if (all || strcmp(only, "printers") == 0)
    test_printers();
  if (all || strcmp(only, "release") == 0)
    test_release();
  return check_finish();
}
