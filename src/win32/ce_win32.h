/* SPDX-License-Identifier: MIT */
/*
 * What the Win32 backend's files share: the one UTF-16 to UTF-8 conversion
 * (utf16.h) and the one mapping of Win32 error codes to CE_E_* codes. Only the
 * W functions of the Windows API are used (UNICODE is defined by the build).
 */
#ifndef CE_WIN32_H
#define CE_WIN32_H

#include "../internal.h"

#include "ce_utf16.h"

#include <windows.h>

#include <stddef.h>

/* The conversion takes wide strings as 16-bit units (see utf16.h). */
_Static_assert(sizeof(wchar_t) == sizeof(uint16_t) && (wchar_t)-1 > 0,
               "wchar_t is UTF-16's unsigned 16-bit unit on Windows");

/* The CE_E_* code for a Win32 error code (GetLastError, or an HRESULT's
 * Win32 part). */
int ce__win32_status(DWORD error);

/*
 * The one place a Win32 error becomes a failure: records the detail
 * "Win32: <call> failed: <system message> (error N)" and returns the mapped
 * status, so a backend writes `return ce__win32_fail("EnumPrintersW", err)`.
 */
int ce__win32_fail(const char *call, DWORD error);

/* The per-machine and per-user font registrations' key, under HKLM and
 * HKCU (src/win32/fonts.c reads it, src/win32/watch_fonts.c watches it). */
extern const wchar_t ce__win32_fonts_key[];

/* -------------------------------------------------------------- watches -- */

/*
 * The thread of a Win32 watch's own (src/win32/watch_loop.c): a message
 * loop (window event hooks and a hidden window's messages arrive there)
 * that also waits on up to CE__WIN32_LOOP_HANDLES handles of its source.
 * Each callback runs on that thread:
 *
 * `setup` installs the source (hooks, a window, change notifications) and
 * gives the handles to wait on (*count starts at 0) and, for a source the
 * system does not notify, the period of a re-read (*interval_ms starts at
 * INFINITE; each period counts as a notification); CE_OK or a failure with
 * its detail.
 * `signaled` is called when handles[index] (*handle) is signaled; it
 * re-arms it, or puts another handle in its place when it cannot be
 * re-armed (a notification that died), and returns whether the records may
 * have changed. `teardown` undoes what setup did (also after a setup that
 * failed half-way), after the loop ended. `ctx` is the loop's own, zeroed
 * block of the size the source asked for, freed once neither the watch nor
 * the thread uses it.
 */
#define CE__WIN32_LOOP_HANDLES 4

typedef struct ce__win32_loop_fns {
  int (*setup)(void *ctx, HANDLE *handles, DWORD *count, DWORD *interval_ms);
  int (*signaled)(void *ctx, DWORD index, HANDLE *handle);
  void (*teardown)(void *ctx);
} ce__win32_loop_fns;

typedef struct ce__win32_loop ce__win32_loop;

/*
 * A Win32 watch's open: a zeroed `ctx_size`-byte context for `fns`, and the
 * thread that runs them, whose setup is waited for up to `timeout_ms` (the
 * query's). *source is the loop, for ce__win32_loop_source_drain and _close
 * (the backend's drain and close) and ce__win32_loop_ctx.
 */
int ce__win32_loop_open(const ce__win32_loop_fns *fns, size_t ctx_size,
                        ce__watch_os *os, unsigned timeout_ms, void **source);

/* The watch backend's drain: whether a notification came since the last
 * call (*resync), or CE_OK; a loop whose wait failed gives that failure. */
int ce__win32_loop_source_drain(void *source, int *resync);

/* The watch backend's close: ends the thread (WM_QUIT, which ends its loop;
 * teardown runs there) and waits for its loop to end, and for its teardown
 * within the query's timeout; the context is freed by whichever of the two
 * lets go last. */
void ce__win32_loop_source_close(void *source);

/* The context of the loop that is `source`. */
void *ce__win32_loop_ctx(void *source);

/* On the loop's thread: the loop it runs (for hook and window procedures,
 * which get no context of their own). */
ce__win32_loop *ce__win32_loop_current(void);

/* On the loop's thread: the records may have changed; sets the watch's
 * handle. */
void ce__win32_loop_notify(ce__win32_loop *loop);

#endif /* CE_WIN32_H */
