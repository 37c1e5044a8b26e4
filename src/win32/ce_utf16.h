/* SPDX-License-Identifier: MIT */
/*
 * The Win32 backend's one UTF-16 to UTF-8 conversion. It works on 16-bit
 * units and needs no <windows.h>: in C on Windows, wchar_t and WCHAR are
 * unsigned short, the type of uint16_t, so the backend passes its wide
 * strings as they are, and a fuzzer builds the conversion on any system.
 */
#ifndef CE_WIN32_UTF16_H
#define CE_WIN32_UTF16_H

#include "../internal.h"

#include <stddef.h>
#include <stdint.h>

/* Pass as `len` for a NUL-terminated string. */
#define CE_WIN32_NUL ((size_t)-1)

/*
 * The one UTF-16 to UTF-8 conversion: copies src[0..len) (or up to its NUL
 * when len is CE_WIN32_NUL) into the arena as UTF-8 of at most `cap` bytes,
 * cut at a character boundary. An unpaired surrogate and an embedded NUL
 * become U+FFFD. src == NULL gives "". Returns NULL only when out of memory.
 */
const char *ce__win32_utf8(ce__arena *arena, const uint16_t *src, size_t len,
                           size_t cap);

/*
 * The other direction, for the few strings a caller gives us (a font family
 * to look for): converts NUL-terminated UTF-8 into dst (dst_len units,
 * NUL-terminated). Returns 0 when it does not fit, else 1. Invalid UTF-8
 * becomes U+FFFD, as everywhere in cenum.
 */
int ce__win32_utf16(uint16_t *dst, size_t dst_len, const char *src);

#endif /* CE_WIN32_UTF16_H */
