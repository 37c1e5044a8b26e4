/* SPDX-License-Identifier: MIT */
/*
 * The one UTF-8 rule: decoding, validity and the repair that every backend
 * and the command use. It needs nothing else of the library, so the command
 * compiles text/utf8.c for itself with only this header (it links the shared
 * library, whose internal functions are hidden).
 */
#ifndef CE_UTF8_H
#define CE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes one UTF-8 sequence from s[0..len), len > 0. Returns how many bytes
 * it used and stores the code point in *cp. A byte that does not start a
 * valid sequence (overlong, surrogate, beyond U+10FFFF, truncated) uses the
 * longest valid prefix, at least one byte, and gives U+FFFD, as Unicode's
 * "maximal subpart" practice says.
 */
size_t ce__utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* Whether `s` (`used` bytes, as ce__utf8_decode read them into `cp`) is a
 * well-formed sequence, U+FFFD itself included, rather than the decoder's
 * stand-in for invalid bytes. */
int ce__utf8_well_formed(const unsigned char *s, size_t used, uint32_t cp);

/* Whether src[0..len) is valid UTF-8 without NUL: what ce__utf8_repair
 * would copy unchanged. */
int ce__utf8_valid(const char *src, size_t len);

/* Encodes a code point as UTF-8 into out (4 bytes room); returns its length. */
size_t ce__utf8_encode(uint32_t cp, char out[4]);

/*
 * The one UTF-8 repair: copies src[0..len) into dst (dst_size > 0 bytes,
 * NUL-terminated) as valid UTF-8. Invalid sequences and NUL bytes become
 * U+FFFD; the output is cut at a character boundary when it would not fit.
 * Returns the number of bytes written before the terminating NUL.
 */
size_t ce__utf8_repair(char *dst, size_t dst_size, const char *src, size_t len);

/* Room ce__utf8_repair may need for `len` input bytes: every byte may become
 * a three-byte U+FFFD. */
#define CE__UTF8_REPAIR_SIZE(len) ((len)*3 + 1)

#endif /* CE_UTF8_H */
