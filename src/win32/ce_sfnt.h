/* SPDX-License-Identifier: MIT */
/*
 * What the Win32 backend reads from a font file itself, because GDI does not
 * say it without selecting the font: which face of a collection (.ttc) a
 * face GDI listed is, its PostScript name and its width class. The file is
 * read through a callback, so the parser needs no <windows.h> and a fuzzer
 * builds it on any system. Everything in the file is untrusted: every count
 * and offset is checked against the file and bounded.
 */
#ifndef CE_WIN32_SFNT_H
#define CE_WIN32_SFNT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The most faces of a collection looked at, and tables of a face. */
#define CE__SFNT_MAX_FACES 256u
#define CE__SFNT_MAX_TABLES 512u
/* The most bytes of a name table read; records past them are not seen. */
#define CE__SFNT_MAX_NAME_BYTES (256u * 1024u)

typedef struct ce__sfnt_reader {
  /* Reads up to `size` bytes at `offset` into `buffer`: the count read
   * (less at the end of the file), or -1. */
  long (*read)(void *ctx, uint32_t offset, void *buffer, uint32_t size);
  void *ctx;
} ce__sfnt_reader;

/* Bytes in memory as a file, for ce__sfnt_memory_read: what the tests and
 * the fuzzer hand the reader. `asked` counts the bytes asked for. */
typedef struct ce__sfnt_memory {
  const unsigned char *data;
  size_t size;
  unsigned long long asked;
} ce__sfnt_memory;

/* A ce__sfnt_reader read over a ce__sfnt_memory (`ctx`). */
static inline long ce__sfnt_memory_read(void *ctx, uint32_t offset,
                                        void *buffer, uint32_t size) {
  ce__sfnt_memory *m = (ce__sfnt_memory *)ctx;
  size_t n;
  m->asked += size;
  if (offset >= m->size)
    return 0;
  n = m->size - offset < size ? m->size - offset : size;
  memcpy(buffer, m->data + offset, n);
  return (long)n;
}

typedef struct ce__sfnt_face {
  int index; /* in the collection; 0 in a file of one face */
  /* Name ID 6, printable ASCII of at most 63 characters as the OpenType
   * specification allows, NUL-terminated; empty when the face has none. */
  uint16_t postscript_name[64];
  int width; /* OS/2 usWidthClass as percent of normal (100); -1 unknown */
} ce__sfnt_face;

/* A name as GDI gives it: UTF-16 units, not NUL-terminated. */
typedef struct ce__sfnt_name {
  const uint16_t *units;
  size_t length;
} ce__sfnt_name;

/*
 * Finds the face GDI listed as `full_name` (its elfFullName) of `family`
 * (its lfFaceName) in the file: in a collection, the face that has that
 * full name (name ID 4) and that family (name ID 1 or 16), in any language,
 * on the Unicode or Windows platform; failing that, the first with that
 * full name. GDI cuts full names to 63 units and family names to 31, so a
 * name of that length matches any that begins with it. A file of one face is
 * that face whatever its names say. Returns 1 and fills `face`; 0 when the file
 * is no OpenType file or collection, or no face of the collection has that full
 * name.
 */
int ce__sfnt_find_face(const ce__sfnt_reader *reader,
                       const ce__sfnt_name *full_name,
                       const ce__sfnt_name *family, ce__sfnt_face *face);

#endif /* CE_WIN32_SFNT_H */
