/*
 * Printers with EnumPrintersW at level 2, the local queues and the printer
 * connections. A level-2 enumeration asks every connection's server for its
 * status and can block on one that is gone; it therefore runs on a worker
 * thread that the call stops waiting for at the timeout. The worker and the
 * call share a reference-counted job: whichever lets go last frees it, so a
 * worker that finishes after the call returned cleans up after itself.
 */
#include "ce_win32.h"

#include <winspool.h>

#include <stdlib.h>
#include <string.h>

/* Tries of the two-call sizing when the list grew in between. */
#define SIZING_TRIES 5

typedef struct job {
  volatile LONG refs;
  /* Filled by the worker, read by the call only after the thread ended. */
  BYTE *buffer;
  DWORD count;
  wchar_t *default_name; /* NULL when there is no default printer */
  const char *failed_call;
  DWORD error;
  /* A reference on this module, taken by the call before the worker
   * starts and given up by the worker as it ends. */
  HMODULE self;
} job;

static void job_release(job *j) {
  if (InterlockedDecrement(&j->refs) == 0) {
    free(j->buffer);
    free(j->default_name);
    free(j);
  }
}

static DWORD enum_printers(job *j) {
  const DWORD flags = PRINTER_ENUM_LOCAL | PRINTER_ENUM_CONNECTIONS;
  DWORD needed = 0, count = 0;

  /* The first call sizes the buffer; a queue added before the second call
   * makes it too small again, hence the bounded loop. */
  for (int attempt = 0; attempt < SIZING_TRIES; attempt++) {
    DWORD size = needed;
    BYTE *buffer = NULL;
    if (size > 0 && (buffer = malloc(size)) == NULL) {
      j->failed_call = "EnumPrintersW";
      return ERROR_NOT_ENOUGH_MEMORY;
    }
    if (EnumPrintersW(flags, NULL, 2, buffer, size, &needed, &count)) {
      j->buffer = buffer;
      j->count = buffer != NULL ? count : 0;
      return ERROR_SUCCESS;
    }
    free(buffer);
    {
      DWORD error = GetLastError();
      if (error != ERROR_INSUFFICIENT_BUFFER || needed == 0) {
        j->failed_call = "EnumPrintersW";
        return error;
      }
    }
  }
  j->failed_call = "EnumPrintersW";
  return ERROR_INSUFFICIENT_BUFFER;
}

static void read_default(job *j) {
  DWORD len = 0;
  /* ERROR_FILE_NOT_FOUND: no default printer, which is not a failure. */
  if (GetDefaultPrinterW(NULL, &len) ||
      GetLastError() != ERROR_INSUFFICIENT_BUFFER || len == 0)
    return;
  j->default_name = malloc(len * sizeof(wchar_t));
  if (j->default_name != NULL && !GetDefaultPrinterW(j->default_name, &len)) {
    free(j->default_name);
    j->default_name = NULL;
  }
}

/* Marks this module, so the worker can hold a reference on it. */
static const char module_anchor = 0;

static DWORD WINAPI worker(LPVOID arg) {
  job *j = (job *)arg;
  HMODULE self = j->self;

  j->error = enum_printers(j);
  if (j->error == ERROR_SUCCESS)
    read_default(j);
  job_release(j);
  if (self != NULL)
    FreeLibraryAndExitThread(self, 0);
  return 0;
}

/* Waits for the worker in slices, polling the cancel flag. */
static int wait_for(HANDLE thread, const ce__deadline *deadline) {
  for (;;) {
    unsigned left = ce__deadline_left_ms(deadline);
    DWORD result;
    int status = ce__cancel_check(deadline, "Win32");
    if (status != CE_OK)
      return status;
    if (left == 0)
      return ce__fail(CE_E_TIMEOUT,
                      "Win32: EnumPrintersW gave no answer within the "
                      "timeout");
    result = WaitForSingleObject(thread, ce__deadline_slice_ms(deadline));
    if (result == WAIT_OBJECT_0)
      return CE_OK;
    if (result == WAIT_FAILED)
      return ce__win32_fail("WaitForSingleObject", GetLastError());
  }
}

/* PRINTER_STATUS_* bits and the reason each gives: the constant's name in
 * lower case with dashes. */
static const struct {
  DWORD bit;
  const char *reason;
} status_reasons[] = {
    {PRINTER_STATUS_PAUSED, "paused"},
    {PRINTER_STATUS_ERROR, "error"},
    {PRINTER_STATUS_PENDING_DELETION, "pending-deletion"},
    {PRINTER_STATUS_PAPER_JAM, "paper-jam"},
    {PRINTER_STATUS_PAPER_OUT, "paper-out"},
    {PRINTER_STATUS_MANUAL_FEED, "manual-feed"},
    {PRINTER_STATUS_PAPER_PROBLEM, "paper-problem"},
    {PRINTER_STATUS_OFFLINE, "offline"},
    {PRINTER_STATUS_IO_ACTIVE, "io-active"},
    {PRINTER_STATUS_BUSY, "busy"},
    {PRINTER_STATUS_PRINTING, "printing"},
    {PRINTER_STATUS_OUTPUT_BIN_FULL, "output-bin-full"},
    {PRINTER_STATUS_NOT_AVAILABLE, "not-available"},
    {PRINTER_STATUS_WAITING, "waiting"},
    {PRINTER_STATUS_PROCESSING, "processing"},
    {PRINTER_STATUS_INITIALIZING, "initializing"},
    {PRINTER_STATUS_WARMING_UP, "warming-up"},
    {PRINTER_STATUS_TONER_LOW, "toner-low"},
    {PRINTER_STATUS_NO_TONER, "no-toner"},
    {PRINTER_STATUS_PAGE_PUNT, "page-punt"},
    {PRINTER_STATUS_USER_INTERVENTION, "user-intervention"},
    {PRINTER_STATUS_OUT_OF_MEMORY, "out-of-memory"},
    {PRINTER_STATUS_DOOR_OPEN, "door-open"},
    {PRINTER_STATUS_SERVER_UNKNOWN, "server-unknown"},
    {PRINTER_STATUS_POWER_SAVE, "power-save"},
};
#define REASON_COUNT (sizeof status_reasons / sizeof status_reasons[0])

/* Statuses that stop the queue from printing, and those that mean it is
 * busy with a job. */
#define STOPPED_BITS                                                           \
  (PRINTER_STATUS_PAUSED | PRINTER_STATUS_ERROR | PRINTER_STATUS_OFFLINE |     \
   PRINTER_STATUS_NOT_AVAILABLE | PRINTER_STATUS_PENDING_DELETION |            \
   PRINTER_STATUS_PAPER_JAM | PRINTER_STATUS_PAPER_OUT |                       \
   PRINTER_STATUS_NO_TONER | PRINTER_STATUS_DOOR_OPEN |                        \
   PRINTER_STATUS_USER_INTERVENTION)
#define PROCESSING_BITS                                                        \
  (PRINTER_STATUS_PRINTING | PRINTER_STATUS_PROCESSING | PRINTER_STATUS_BUSY | \
   PRINTER_STATUS_IO_ACTIVE | PRINTER_STATUS_INITIALIZING |                    \
   PRINTER_STATUS_WARMING_UP)

static int make_record(const PRINTER_INFO_2W *info, const wchar_t *default_name,
                       ce__arena *arena, ce_printer *printer) {
  const char **reasons;
  size_t n = 0;
  DWORD status = info->Status;

  printer->size = sizeof *printer;
  printer->name =
      ce__win32_utf8(arena, info->pPrinterName, CE_WIN32_NUL, CE__CAP_NAME);
  printer->info =
      ce__win32_utf8(arena, info->pComment, CE_WIN32_NUL, CE__CAP_NAME);
  printer->location =
      ce__win32_utf8(arena, info->pLocation, CE_WIN32_NUL, CE__CAP_NAME);
  printer->make_model =
      ce__win32_utf8(arena, info->pDriverName, CE_WIN32_NUL, CE__CAP_NAME);
  printer->uri =
      ce__win32_utf8(arena, info->pPortName, CE_WIN32_NUL, CE__CAP_NAME);
  printer->state_message = printer->instance = "";
  reasons = ce__arena_alloc(arena, REASON_COUNT * sizeof *reasons);
  if (printer->name == NULL || printer->info == NULL ||
      printer->location == NULL || printer->make_model == NULL ||
      printer->uri == NULL || reasons == NULL)
    return ce__fail(CE_E_NOMEM, "Win32: out of memory for a record");
  for (size_t i = 0; i < REASON_COUNT; i++)
    if (status & status_reasons[i].bit)
      reasons[n++] = status_reasons[i].reason;
  printer->state_reasons = reasons;
  printer->state_reason_count = n;

  printer->is_default = default_name != NULL && info->pPrinterName != NULL &&
                        wcscmp(default_name, info->pPrinterName) == 0;
  if (status & STOPPED_BITS)
    printer->state = CE_PRINTER_STOPPED;
  else if ((status & PROCESSING_BITS) || info->cJobs > 0)
    printer->state = CE_PRINTER_PROCESSING;
  else
    printer->state = CE_PRINTER_IDLE;
  /* A paused Windows queue still takes jobs and holds them; only a queue
   * being deleted refuses new ones. */
  printer->accepting = !(status & PRINTER_STATUS_PENDING_DELETION);
  printer->shared = (info->Attributes & PRINTER_ATTRIBUTE_SHARED) != 0;
  printer->discovered = false;
  return CE_OK;
}

/* Windows always has its own. */
static int probe(const ce_printer_query *query) {
  (void)query;
  return CE_OK;
}

static int enumerate(const ce_printer_query *query, ce_printer_fn fn,
                     void *ctx) {
  ce__deadline deadline = ce__deadline_start(query->timeout_ms, query->cancel);
  ce__arena arena = CE__ARENA_INIT;
  const PRINTER_INFO_2W *infos;
  HANDLE thread;
  job *j;
  int status = ce__deadline_check(&deadline, "Win32");

  if (status != CE_OK)
    return status;
  j = calloc(1, sizeof *j);
  if (j == NULL)
    return ce__fail(CE_E_NOMEM, "Win32: out of memory listing printers");
  j->refs = 2; /* the call's and the worker's */
  /* The DLL must stay loaded until the worker has left its code, even when
   * the program unloads it right after a call that timed out, and even
   * before the worker was first scheduled: so the reference is taken here,
   * and the worker gives it up with FreeLibraryAndExitThread. */
  GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS,
                     (LPCWSTR)(const void *)&module_anchor, &j->self);
  thread = CreateThread(NULL, 0, worker, j, 0, NULL);
  if (thread == NULL) {
    DWORD error = GetLastError();
    if (j->self != NULL)
      FreeLibrary(j->self);
    free(j);
    return ce__win32_fail("CreateThread", error);
  }
  status = wait_for(thread, &deadline);
  CloseHandle(thread);
  if (status != CE_OK) {
    /* The worker goes on alone and frees the job when it is done. */
    job_release(j);
    return status;
  }
  if (j->error != ERROR_SUCCESS) {
    status = ce__win32_fail(j->failed_call, j->error);
    job_release(j);
    return status;
  }

  infos = (const PRINTER_INFO_2W *)(const void *)j->buffer;
  for (DWORD i = 0; i < j->count && status == CE_OK; i++) {
    ce_printer printer;
    int built;
    if ((status = ce__cancel_check(&deadline, "Win32")) != CE_OK)
      break;
    built = make_record(&infos[i], j->default_name, &arena, &printer);
    status = ce__delivered(
        built, built == CE_OK ? fn(&printer, ctx) : CE_CONTINUE, &arena);
  }
  ce__arena_free(&arena);
  job_release(j);
  return status;
}

const ce__printers_backend ce__win32_printers = {"win32", probe, enumerate};
