/* SPDX-License-Identifier: MIT */
/*
 * The Win32 printers watch: FindFirstPrinterChangeNotification on the local
 * server (a printer added, set, deleted or failing its connection), and
 * RegNotifyChangeKeyValue on the user's "Windows" key, where the default
 * printer is kept (its "Device" value), since no printer notification tells
 * of a new default. Either marks the queues for a new EnumPrintersW list
 * (ce_enum_printers_ex), which the entry diffs by name.
 *
 * A spooler that gives no change notification (Wine 8's
 * FindFirstPrinterChangeNotification is a stub that fails) is followed
 * through the registry key the spooler keeps its printers in, where Wine
 * writes the CUPS queues it finds, AddPrinter and DeletePrinter write, and
 * SetPrinter the settings; when even that key cannot be watched, the queues
 * are read again every POLL_MS. ce_error_detail() says which, after
 * ce_watch_printers returned CE_OK.
 */
#include "ce_win32.h"

#include <winspool.h>

#include <stdio.h>

/* The re-read when the system gives no notification at all. */
#define POLL_MS 5000

static const wchar_t printers_key[] =
    L"SYSTEM\\CurrentControlSet\\Control\\Print\\Printers";
static const wchar_t default_key[] =
    L"Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows";

typedef struct watched_key {
  HKEY key;
  HANDLE event; /* auto-reset: set by the registry, consumed by the wait */
  BOOL subtree;
} watched_key;

/* What each handle the loop waits on is. */
typedef enum role { CHANGES, PRINTERS_KEY, DEFAULT_KEY, POLL_TIMER } role;

typedef struct source {
  role roles[CE__WIN32_LOOP_HANDLES];
  HANDLE server;  /* OpenPrinterW(NULL): the local print server */
  HANDLE changes; /* INVALID_HANDLE_VALUE when the spooler gives none */
  watched_key printers, default_printer;
  HANDLE timer;   /* the periodic re-read, when a notification died */
  char note[512]; /* what the detail says after a list; "" when nothing */
} source;

/* Asks for the next change of `k`'s key (a notification is one-shot). */
static LONG arm(watched_key *k) {
  return RegNotifyChangeKeyValue(
      k->key, k->subtree, REG_NOTIFY_CHANGE_NAME | REG_NOTIFY_CHANGE_LAST_SET,
      k->event, TRUE);
}

/* Opens and arms a key; 0 when it cannot be watched (the key is left
 * closed). */
static int watch_key(watched_key *k, HKEY root, const wchar_t *path,
                     BOOL subtree) {
  k->subtree = subtree;
  if (RegOpenKeyExW(root, path, 0, KEY_NOTIFY, &k->key) != ERROR_SUCCESS) {
    k->key = NULL;
    return 0;
  }
  k->event = CreateEventW(NULL, FALSE, FALSE, NULL);
  if (k->event == NULL || arm(k) != ERROR_SUCCESS) {
    RegCloseKey(k->key);
    k->key = NULL;
    return 0;
  }
  return 1;
}

static void unwatch_key(watched_key *k) {
  if (k->key != NULL)
    RegCloseKey(k->key);
  if (k->event != NULL)
    CloseHandle(k->event);
}

static void add(source *s, HANDLE *handles, DWORD *count, HANDLE handle,
                role r) {
  s->roles[*count] = r;
  handles[(*count)++] = handle;
}

static int setup(void *ctx, HANDLE *handles, DWORD *count, DWORD *interval_ms) {
  source *s = ctx;
  DWORD error;

  s->changes = INVALID_HANDLE_VALUE;
  if (!OpenPrinterW(NULL, &s->server, NULL)) {
    s->server = NULL;
    return ce__win32_fail("OpenPrinterW", GetLastError());
  }
  SetLastError(ERROR_SUCCESS);
  s->changes = FindFirstPrinterChangeNotification(
      s->server,
      /* A job added to an idle queue or the last one gone changes its
       * state (processing while it holds jobs: printers.c). */
      PRINTER_CHANGE_PRINTER | PRINTER_CHANGE_ADD_JOB |
          PRINTER_CHANGE_DELETE_JOB,
      0, NULL);
  error = GetLastError();
  if (s->changes != INVALID_HANDLE_VALUE)
    add(s, handles, count, s->changes, CHANGES);
  else if (watch_key(&s->printers, HKEY_LOCAL_MACHINE, printers_key, TRUE)) {
    add(s, handles, count, s->printers.event, PRINTERS_KEY);
    snprintf(s->note, sizeof s->note,
             "Win32: the spooler gives no printer change notification "
             "(FindFirstPrinterChangeNotification failed, error %lu); the "
             "watch follows the registry key HKLM\\%ls instead",
             (unsigned long)error, printers_key);
  } else {
    *interval_ms = POLL_MS;
    snprintf(s->note, sizeof s->note,
             "Win32: the spooler gives no printer change notification "
             "(FindFirstPrinterChangeNotification failed, error %lu) and "
             "the printers' registry key cannot be watched; the watch "
             "re-reads the queues every %d s",
             (unsigned long)error, POLL_MS / 1000);
  }
  /* Without it a new default printer is seen with the next other change. */
  if (watch_key(&s->default_printer, HKEY_CURRENT_USER, default_key, FALSE))
    add(s, handles, count, s->default_printer.event, DEFAULT_KEY);
  return CE_OK;
}

/*
 * In place of a change notification that cannot be reset (the spooler
 * restarted under it): left signaled, it would win every wait and starve
 * the loop. The printers' key if it can be watched, else a periodic timer.
 */
static void replace_changes(source *s, DWORD index, HANDLE *handle) {
  LARGE_INTEGER first;
  DWORD error = GetLastError();
  FindClosePrinterChangeNotification(s->changes);
  s->changes = INVALID_HANDLE_VALUE;
  if (watch_key(&s->printers, HKEY_LOCAL_MACHINE, printers_key, TRUE)) {
    s->roles[index] = PRINTERS_KEY;
    *handle = s->printers.event;
    snprintf(s->note, sizeof s->note,
             "Win32: the spooler's change notification failed (error %lu); "
             "the watch follows the registry key HKLM\\%ls instead",
             (unsigned long)error, printers_key);
    return;
  }
  first.QuadPart = -(LONGLONG)POLL_MS * 10000; /* relative, in 100 ns */
  if ((s->timer = CreateWaitableTimerW(NULL, FALSE, NULL)) != NULL &&
      SetWaitableTimer(s->timer, &first, POLL_MS, NULL, NULL, FALSE)) {
    s->roles[index] = POLL_TIMER;
    *handle = s->timer;
    snprintf(s->note, sizeof s->note,
             "Win32: the spooler's change notification failed (error %lu); "
             "the watch re-reads the queues every %d s",
             (unsigned long)error, POLL_MS / 1000);
  }
  /* Else the closed handle fails the next wait, which every dispatch then
   * reports. */
}

static int signaled(void *ctx, DWORD index, HANDLE *handle) {
  source *s = ctx;
  DWORD change = 0;
  switch (s->roles[index]) {
  case CHANGES:
    /* Resets the notification for the next change. */
    if (!FindNextPrinterChangeNotification(s->changes, &change, NULL, NULL))
      replace_changes(s, index, handle);
    break;
  case POLL_TIMER:
    break;
  case PRINTERS_KEY:
    arm(&s->printers);
    break;
  case DEFAULT_KEY:
    arm(&s->default_printer);
    break;
  }
  return 1;
}

static void teardown(void *ctx) {
  source *s = ctx;
  if (s->changes != INVALID_HANDLE_VALUE && s->changes != NULL)
    FindClosePrinterChangeNotification(s->changes);
  if (s->server != NULL)
    ClosePrinter(s->server);
  unwatch_key(&s->printers);
  unwatch_key(&s->default_printer);
  if (s->timer != NULL)
    CloseHandle(s->timer);
}

static const ce__win32_loop_fns fns = {setup, signaled, teardown};

static int source_open(const void *query, ce__watch_os *os, void **out) {
  return ce__win32_loop_open(&fns, sizeof(source), os,
                             ((const ce_printer_query *)query)->timeout_ms,
                             out);
}

static int source_list(void *opaque, const void *query, ce__record_fn fn,
                       void *ctx) {
  const source *s = ce__win32_loop_ctx(opaque);
  int status = ce_enum_printers_ex(query, fn.printer, ctx);
  /* The one thing a successful call says in its detail: how the watch
   * learns of changes when the spooler does not tell. */
  if (status == CE_OK && s->note[0] != '\0')
    ce__fail(CE_OK, "%s", s->note);
  return status;
}

const ce__watch_backend ce__win32_printers_watch = {
    "win32", source_open, ce__win32_loop_source_drain, source_list,
    NULL,    NULL,        ce__win32_loop_source_close};
