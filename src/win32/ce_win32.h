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

#endif /* CE_WIN32_H */
