/*
 * What the Win32 backend's files share: the one UTF-16 to UTF-8 conversion
 * and the one mapping of Win32 error codes to CE_E_* codes. Only the W
 * functions of the Windows API are used (UNICODE is defined by the build).
 */
#ifndef CE_WIN32_H
#define CE_WIN32_H

#include "../internal.h"

#include <windows.h>

#include <stddef.h>

/* Pass as `len` for a NUL-terminated string. */
#define CE_WIN32_NUL ((size_t)-1)

/*
 * The one UTF-16 to UTF-8 conversion: copies src[0..len) (or up to its NUL
 * when len is CE_WIN32_NUL) into the arena as UTF-8 of at most `cap` bytes,
 * cut at a character boundary. An unpaired surrogate and an embedded NUL
 * become U+FFFD. src == NULL gives "". Returns NULL only when out of memory.
 */
const char *ce_win32_utf8(ce__arena *arena, const wchar_t *src, size_t len,
                          size_t cap);

/*
 * The other direction, for the few strings a caller gives us (a font family
 * to look for): converts NUL-terminated UTF-8 into dst (dst_len units,
 * NUL-terminated). Returns 0 when it does not fit, else 1. Invalid UTF-8
 * becomes U+FFFD, as everywhere in cenum.
 */
int ce_win32_utf16(wchar_t *dst, size_t dst_len, const char *src);

/* The CE_E_* code for a Win32 error code (GetLastError, or an HRESULT's
 * Win32 part). */
int ce_win32_status(DWORD error);

/*
 * The one place a Win32 error becomes a failure: records the detail
 * "Win32: <call> failed: <system message> (error N)" and returns the mapped
 * status, so a backend writes `return ce_win32_fail("EnumPrintersW", err)`.
 */
int ce_win32_fail(const char *call, DWORD error);

#endif /* CE_WIN32_H */
