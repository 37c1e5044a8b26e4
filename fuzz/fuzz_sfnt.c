/* SPDX-License-Identifier: MIT */
/*
 * The Win32 backend's OpenType reader (src/win32/sfnt.c), built natively:
 * any file, and any name looked for, give a face within bounds (an index
 * of the collection, a PostScript name of printable ASCII, a width of the
 * nine classes) or none, and the reader never asks for more than its bounds
 * allow, however many faces and tables the file claims.
 *
 * Input: byte 0 is the length N (up to 63 units) of the full name looked
 * for and byte 1 the length M (up to 31) of the family, the next 2N and 2M
 * bytes their little-endian units; the rest is the file.
 */
#include "win32/ce_sfnt.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const int widths[] = {-1, 50, 63, 75, 87, 100, 113, 125, 150, 200};
  uint16_t units[64 + 32];
  ce__sfnt_name full_name, family;
  size_t skip;
  ce__sfnt_memory f;
  ce__sfnt_reader reader = {ce__sfnt_memory_read, NULL};
  ce__sfnt_face face;
  int width_ok = 0;

  if (size < 2)
    return 0;
  full_name.units = units;
  full_name.length = data[0] % 64;
  family.units = units + full_name.length;
  family.length = data[1] % 32;
  skip = 2 + 2 * (full_name.length + family.length);
  if (size < skip)
    return 0;
  for (size_t i = 0; i < full_name.length + family.length; i++)
    units[i] = (uint16_t)(data[2 + 2 * i] | data[3 + 2 * i] << 8);
  f.data = data + skip;
  f.size = size - skip;
  f.asked = 0;
  reader.ctx = &f;

  if (!ce__sfnt_find_face(&reader, &full_name, &family, &face))
    return 0;
  if (face.index < 0 || face.index >= (int)CE__SFNT_MAX_FACES)
    abort();
  for (size_t i = 0; i < 64; i++) {
    uint16_t c = face.postscript_name[i];
    if (c == 0)
      break;
    if (c < 33 || c > 126 || i == 63)
      abort();
  }
  for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++)
    width_ok |= face.width == widths[i];
  if (!width_ok)
    abort();
  /* Headers, directories and OS/2 starts of every face (one face twice),
   * and the name tables within the search's budget. */
  if (f.asked >
      12 + 4 * CE__SFNT_MAX_FACES +
          (CE__SFNT_MAX_FACES + 1) * (12 + 16 * CE__SFNT_MAX_TABLES + 8) +
          4u * 1024u * 1024u)
    abort();
  return 0;
}
