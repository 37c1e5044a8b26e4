/* SPDX-License-Identifier: MIT */
/*
 * The Win32 backend's OpenType reader (src/win32/sfnt.c), which is plain C
 * and runs on every system: collections made here byte by byte, with the
 * cases a real one shows (faces that share a full name in some language,
 * names GDI cuts) and the ones a broken or hostile file shows (a file cut
 * short, counts and offsets past its end, PostScript names the
 * specification forbids). Under Wine, test_win32_fonts checks a real
 * collection against fc-query.
 */
#include "check.h"

#include "win32/ce_sfnt.h"

#include <stdint.h>

/* A font file being made. */
typedef struct file {
  unsigned char data[16384];
  size_t len;
  unsigned long long asked; /* bytes the last search asked for */
} file;

static void put16(file *f, size_t at, unsigned v) {
  REQUIRE(at + 2 <= sizeof f->data);
  f->data[at] = (unsigned char)(v >> 8);
  f->data[at + 1] = (unsigned char)v;
}

static void put32(file *f, size_t at, uint32_t v) {
  put16(f, at, v >> 16);
  put16(f, at + 2, v & 0xFFFF);
}

/* One name record: its name ID and ASCII text, written as UTF-16BE on the
 * Windows platform (3, 1, en-US). */
typedef struct name {
  unsigned id;
  const char *text;
} name;

/*
 * Appends a face: its table directory (name and OS/2 tables), its name
 * table with `names` and its OS/2 table's first 8 bytes with
 * `width_class`. Returns where the directory starts.
 */
static size_t add_face(file *f, const name *names, size_t count,
                       unsigned width_class) {
  size_t start = f->len, dir = 12 + 2 * 16, name_at = start + dir;
  size_t storage = 6 + 12 * count, strings = 0, os2_at;

  put32(f, start, 0x00010000u);
  put16(f, start + 4, 2);
  for (size_t i = 0; i < count; i++) {
    size_t len = strlen(names[i].text);
    size_t record = name_at + 6 + 12 * i;
    put16(f, record, 3);
    put16(f, record + 2, 1);
    put16(f, record + 4, 0x409);
    put16(f, record + 6, names[i].id);
    put16(f, record + 8, (unsigned)(2 * len));
    put16(f, record + 10, (unsigned)strings);
    for (size_t k = 0; k < len; k++)
      put16(f, name_at + storage + strings + 2 * k,
            (unsigned char)names[i].text[k]);
    strings += 2 * len;
  }
  put16(f, name_at, 0);
  put16(f, name_at + 2, (unsigned)count);
  put16(f, name_at + 4, (unsigned)storage);
  os2_at = name_at + storage + strings;
  memset(f->data + os2_at, 0, 8);
  put16(f, os2_at + 6, width_class);
  /* The directory: tag, checksum, offset, length. */
  memcpy(f->data + start + 12, "name", 4);
  put32(f, start + 16, 0);
  put32(f, start + 20, (uint32_t)name_at);
  put32(f, start + 24, (uint32_t)(storage + strings));
  memcpy(f->data + start + 28, "OS/2", 4);
  put32(f, start + 32, 0);
  put32(f, start + 36, (uint32_t)os2_at);
  put32(f, start + 40, 8);
  f->len = os2_at + 8;
  return start;
}

/* Starts a collection of `faces` faces; set_face() fills in each offset. */
static void begin_collection(file *f, uint32_t faces) {
  memcpy(f->data, "ttcf", 4);
  put32(f, 4, 0x00010000u);
  put32(f, 8, faces);
  f->len = 12 + 4 * faces;
}

static void set_face(file *f, uint32_t i, size_t directory) {
  put32(f, 12 + 4 * i, (uint32_t)directory);
}

/* Looks for (full, family) in `f`: the index found, or -1; the face's
 * PostScript name (as ASCII) and width in `ps` and `*width`. */
static int find(file *f, const char *full, const char *family, char *ps,
                int *width) {
  uint16_t full_units[64], family_units[32];
  ce__sfnt_name full_name = {full_units, strlen(full)};
  ce__sfnt_name family_name = {family_units, strlen(family)};
  ce__sfnt_memory memory = {f->data, f->len, 0};
  ce__sfnt_reader reader = {ce__sfnt_memory_read, &memory};
  ce__sfnt_face face;
  size_t k;
  int found;

  REQUIRE(full_name.length <= 64 && family_name.length <= 32);
  for (k = 0; k < full_name.length; k++)
    full_units[k] = (unsigned char)full[k];
  for (k = 0; k < family_name.length; k++)
    family_units[k] = (unsigned char)family[k];
  found = ce__sfnt_find_face(&reader, &full_name, &family_name, &face);
  f->asked = memory.asked;
  if (!found)
    return -1;
  for (k = 0; face.postscript_name[k] != 0; k++)
    ps[k] = (char)face.postscript_name[k];
  ps[k] = '\0';
  *width = face.width;
  return face.index;
}

int main(void) {
  static const name regular[] = {
      {1, "Micro Hei"}, {4, "Micro Hei"}, {6, "MicroHei"}};
  /* As wqy-microhei.ttc's second face: its sister's full name too. */
  static const name mono[] = {{1, "Micro Hei Mono"},
                              {4, "Micro Hei"},
                              {4, "Micro Hei Mono"},
                              {6, "MicroHeiMono"}};
  static const name long_names[] = {
      {1, "A family name longer than thirty-one units"},
      {4, "A full name longer than the sixty-three units that GDI keeps of "
          "it"},
      {6, "Long-Name"}};
  static const name bad_ps[] = {{4, "Bad PS"}, {6, "has space"}};
  file *f = calloc(1, sizeof *f);
  char ps[64];
  int width = 0;
  size_t first, second;

  REQUIRE(f != NULL);

  /* The second face first: the family tells apart two faces that share a
   * full name; with no face of that family, the first with the name. */
  begin_collection(f, 2);
  second = add_face(f, mono, 4, 3);
  first = add_face(f, regular, 3, 5);
  set_face(f, 0, second);
  set_face(f, 1, first);
  CHECK_INT(find(f, "Micro Hei", "Micro Hei", ps, &width), 1);
  CHECK_STR(ps, "MicroHei");
  CHECK_INT(width, 100);
  CHECK_INT(find(f, "Micro Hei", "Micro Hei Mono", ps, &width), 0);
  CHECK_STR(ps, "MicroHeiMono");
  CHECK_INT(width, 75); /* usWidthClass 3, condensed */
  CHECK_INT(find(f, "Micro Hei Mono", "Micro Hei Mono", ps, &width), 0);
  CHECK_INT(find(f, "Micro Hei", "Other Family", ps, &width), 0);
  CHECK_INT(find(f, "No Such Face", "Micro Hei", ps, &width), -1);

  /* Names as GDI cuts them (63 and 31 units) match their beginnings. */
  memset(f, 0, sizeof *f);
  begin_collection(f, 2);
  set_face(f, 0, add_face(f, regular, 3, 5));
  set_face(f, 1, add_face(f, long_names, 3, 9));
  CHECK_INT(find(f,
                 "A full name longer than the sixty-three units that GDI "
                 "keeps of",
                 "A family name longer than thirt", ps, &width),
            1);
  CHECK_STR(ps, "Long-Name");
  CHECK_INT(width, 200);
  /* A shorter name is not a beginning that counts. */
  CHECK_INT(find(f, "A full name", "A family name", ps, &width), -1);

  /* One face: that face, whatever its names; a PostScript name with a
   * space is none. */
  memset(f, 0, sizeof *f);
  add_face(f, bad_ps, 2, 0);
  CHECK_INT(find(f, "Whatever", "Else", ps, &width), 0);
  CHECK_STR(ps, "");
  CHECK_INT(width, -1); /* class 0 is no class */

  /* Cut short: each prefix of a collection gives a face or none, and
   * never a read past what the bounds allow. */
  memset(f, 0, sizeof *f);
  begin_collection(f, 2);
  set_face(f, 0, add_face(f, mono, 4, 3));
  set_face(f, 1, add_face(f, regular, 3, 5));
  {
    size_t whole = f->len;
    for (size_t len = 0; len < whole; len++) {
      int found;
      f->len = len;
      found = find(f, "Micro Hei", "Micro Hei", ps, &width);
      CHECK(found == -1 || found == 0 || found == 1);
    }
    f->len = whole;
  }

  /* A collection that claims four billion faces, and faces whose
   * directories claim 65535 tables, past the end of the file: bounded. */
  put32(f, 8, 0xFFFFFFFFu);
  CHECK_INT(find(f, "Micro Hei", "Micro Hei", ps, &width), -1);
  CHECK(f->asked < 64u * 1024u);
  put32(f, 8, 2);
  put16(f,
        (size_t)((f->data[12] << 24 | f->data[13] << 16 | f->data[14] << 8 |
                  f->data[15]) +
                 4),
        0xFFFF);
  CHECK(find(f, "Micro Hei", "Micro Hei", ps, &width) == 1);
  CHECK(f->asked < 64u * 1024u);

  free(f);
  return check_finish();
}
