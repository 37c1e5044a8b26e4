/* SPDX-License-Identifier: MIT */
/*
 * The few structures of an OpenType file that the Win32 backend reads (see
 * ce_sfnt.h): the collection header, each face's table directory, its name
 * table and the start of its OS/2 table. All numbers are big-endian.
 */
#include "ce_sfnt.h"

#include <stdlib.h>
#include <string.h>

#define TAG(a, b, c, d)                                                        \
  ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 |            \
   (uint32_t)(d))

/* GDI's elfFullName holds LF_FULLFACESIZE (64) units with its NUL, its
 * lfFaceName LF_FACESIZE (32): longer names come cut. */
#define GDI_FULL_NAME_UNITS 63u
#define GDI_FAMILY_UNITS 31u

/* The most name-table bytes one search reads, over all the faces of a
 * collection: a file that claims many faces cannot make it read without
 * end. */
#define MAX_SEARCH_NAME_BYTES (4u * 1024u * 1024u)

static uint16_t be16(const unsigned char *p) {
  return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
         (uint32_t)p[3];
}

/* Reads exactly `size` bytes at `offset`: 1, or 0 when the file ends first
 * or the read fails. */
static int read_exact(const ce__sfnt_reader *r, uint32_t offset, void *buffer,
                      uint32_t size) {
  return r->read(r->ctx, offset, buffer, size) == (long)size;
}

typedef struct table {
  uint32_t offset, length; /* length 0: the face has no such table */
} table;

/* The name and OS/2 tables of the face whose table directory is at
 * `offset`; 0 when there is no OpenType table directory there. */
static int read_directory(const ce__sfnt_reader *r, uint32_t offset,
                          table *name, table *os2) {
  static const uint32_t entry_size = 16;
  unsigned char header[12], *entries;
  uint32_t version, count;

  name->offset = name->length = os2->offset = os2->length = 0;
  if (!read_exact(r, offset, header, sizeof header))
    return 0;
  version = be32(header);
  if (version != 0x00010000u && version != TAG('O', 'T', 'T', 'O') &&
      version != TAG('t', 'r', 'u', 'e'))
    return 0;
  count = be16(header + 4);
  if (count > CE__SFNT_MAX_TABLES)
    count = CE__SFNT_MAX_TABLES;
  if (count == 0 || offset > UINT32_MAX - sizeof header - count * entry_size)
    return 0;
  entries = malloc(count * entry_size);
  if (entries == NULL)
    return 0;
  if (!read_exact(r, offset + (uint32_t)sizeof header, entries,
                  count * entry_size)) {
    free(entries);
    return 0;
  }
  for (uint32_t i = 0; i < count; i++) {
    const unsigned char *e = entries + i * entry_size;
    table *t = be32(e) == TAG('n', 'a', 'm', 'e')   ? name
               : be32(e) == TAG('O', 'S', '/', '2') ? os2
                                                    : NULL;
    if (t != NULL) {
      t->offset = be32(e + 8);
      t->length = be32(e + 12);
    }
  }
  free(entries);
  return 1;
}

/* A face's name table, read whole up to CE__SFNT_MAX_NAME_BYTES. */
typedef struct names {
  unsigned char *bytes;
  uint32_t size;
} names;

/* One string of the name table: its record's numbers and its bytes. */
typedef struct name_string {
  uint16_t platform, encoding, name_id;
  const unsigned char *bytes;
  uint32_t length;
} name_string;

/* Reads `t` into `n`; 0 when it cannot (no table, out of memory, or a
 * table beyond the end of the file). `*budget` is what the search may
 * still read. */
static int read_names(const ce__sfnt_reader *r, table t, uint32_t *budget,
                      names *n) {
  long got;
  n->bytes = NULL;
  n->size =
      t.length < CE__SFNT_MAX_NAME_BYTES ? t.length : CE__SFNT_MAX_NAME_BYTES;
  if (n->size < 6 || n->size > *budget)
    return 0;
  *budget -= n->size;
  if ((n->bytes = malloc(n->size)) == NULL)
    return 0;
  got = r->read(r->ctx, t.offset, n->bytes, n->size);
  if (got < 6) {
    free(n->bytes);
    n->bytes = NULL;
    return 0;
  }
  n->size = (uint32_t)got;
  return 1;
}

/* The `i`th string of the name table, when its record and its bytes lie
 * inside what was read; 0 otherwise. */
static int name_at(const names *n, uint32_t i, name_string *s) {
  uint32_t count = be16(n->bytes + 2), storage = be16(n->bytes + 4);
  const unsigned char *record;
  uint32_t offset;

  if (i >= count || 6 + 12 * (i + 1) > n->size)
    return 0;
  record = n->bytes + 6 + 12 * i;
  s->platform = be16(record);
  s->encoding = be16(record + 2);
  s->name_id = be16(record + 6);
  s->length = be16(record + 8);
  offset = storage + be16(record + 10);
  if (offset > n->size || s->length > n->size - offset)
    s->length = 0;
  s->bytes = n->bytes + offset;
  return 1;
}

/* Whether a string is UTF-16BE: the Unicode platform, or Windows' Unicode
 * encodings (BMP and full repertoire). */
static int is_utf16(const name_string *s) {
  return s->platform == 0 ||
         (s->platform == 3 && (s->encoding == 1 || s->encoding == 10));
}

/* Whether a UTF-16BE string of the name table is wanted[0..wanted_len);
 * `cut` says that the wanted name may be the cut beginning of it. */
static int same_units(const name_string *s, const uint16_t *wanted,
                      size_t wanted_len, int cut) {
  size_t units = s->length / 2, compared = wanted_len;
  if (cut ? units < wanted_len : units != wanted_len)
    return 0;
  while (compared > 0 &&
         be16(s->bytes + 2 * (compared - 1)) == wanted[compared - 1])
    compared--;
  return compared == 0;
}

/* Whether the face has a Unicode string of name ID `id_a` or `id_b` that
 * is `wanted` (or begins with it, when `cut`). */
static int has_name(const names *n, uint16_t id_a, uint16_t id_b,
                    const ce__sfnt_name *wanted, int cut) {
  name_string s;
  for (uint32_t i = 0; name_at(n, i, &s); i++)
    if ((s.name_id == id_a || s.name_id == id_b) && is_utf16(&s) &&
        same_units(&s, wanted->units, wanted->length, cut))
      return 1;
  return 0;
}

/* Name ID 6 into `out` (64 units with the NUL), preferring the Windows
 * platform's string; a string that is not what the specification allows
 * (printable ASCII but for [](){}<>/%, at most 63 characters) is passed
 * over. */
static void read_postscript_name(const names *n, uint16_t *out) {
  name_string s;
  int best = 0; /* 2: Windows or Unicode platform, 1: Macintosh */
  out[0] = 0;
  for (uint32_t i = 0; name_at(n, i, &s) && best < 2; i++) {
    uint16_t candidate[64];
    int utf16 = is_utf16(&s);
    int rank = utf16 ? 2 : s.platform == 1 && s.encoding == 0 ? 1 : 0;
    size_t len = utf16 ? s.length / 2 : s.length, k;
    if (s.name_id != 6 || rank <= best || len == 0 || len > 63)
      continue;
    for (k = 0; k < len; k++) {
      uint16_t c = utf16 ? be16(s.bytes + 2 * k) : s.bytes[k];
      if (c < 33 || c > 126 || strchr("[](){}<>/%", (char)c) != NULL)
        break;
      candidate[k] = c;
    }
    if (k < len)
      continue;
    candidate[len] = 0;
    memcpy(out, candidate, (len + 1) * sizeof *out);
    best = rank;
  }
}

/* usWidthClass as fontconfig's FC_WIDTH gives it, so that both backends
 * report the same number: percent of normal width. */
static int read_width(const ce__sfnt_reader *r, table os2) {
  static const int percent[] = {50, 63, 75, 87, 100, 113, 125, 150, 200};
  unsigned char head[8];
  uint16_t width_class;
  if (os2.length < sizeof head || !read_exact(r, os2.offset, head, sizeof head))
    return -1;
  width_class = be16(head + 6);
  return width_class >= 1 && width_class <= 9 ? percent[width_class - 1] : -1;
}

/* What the face at `directory` says: fills `face` as face `index`. 0 when
 * it has no table directory there. `budget` as for read_names. */
static int read_face(const ce__sfnt_reader *r, uint32_t directory, int index,
                     uint32_t *budget, ce__sfnt_face *face) {
  table name, os2;
  names n;
  if (!read_directory(r, directory, &name, &os2))
    return 0;
  face->index = index;
  face->postscript_name[0] = 0;
  if (read_names(r, name, budget, &n)) {
    read_postscript_name(&n, face->postscript_name);
    free(n.bytes);
  }
  face->width = read_width(r, os2);
  return 1;
}

int ce__sfnt_find_face(const ce__sfnt_reader *reader,
                       const ce__sfnt_name *full_name,
                       const ce__sfnt_name *family, ce__sfnt_face *face) {
  unsigned char head[12];
  unsigned char offsets[4 * CE__SFNT_MAX_FACES];
  uint32_t faces, budget = MAX_SEARCH_NAME_BYTES;
  int fallback = -1;
  /* GDI's copy of a longer name is cut: it matches the beginning. */
  int cut = full_name->length == GDI_FULL_NAME_UNITS;

  if (!read_exact(reader, 0, head, sizeof head))
    return 0;
  if (be32(head) != TAG('t', 't', 'c', 'f'))
    return read_face(reader, 0, 0, &budget, face);
  faces = be32(head + 8);
  if (faces > CE__SFNT_MAX_FACES)
    faces = CE__SFNT_MAX_FACES;
  if (faces == 0 || !read_exact(reader, sizeof head, offsets, 4 * faces))
    return 0;
  /* The face with that full name and that family; failing that, the first
   * with that full name (faces of one collection may share full names in
   * some languages: WenQuanYi Micro Hei Mono has its sister's too). */
  for (uint32_t i = 0; i < faces; i++) {
    table name, os2;
    names n;
    int full, same_family;
    if (!read_directory(reader, be32(offsets + 4 * i), &name, &os2) ||
        !read_names(reader, name, &budget, &n))
      continue;
    full = has_name(&n, 4, 4, full_name, cut);
    same_family =
        full && has_name(&n, 1, 16, family, family->length == GDI_FAMILY_UNITS);
    free(n.bytes);
    if (same_family)
      return read_face(reader, be32(offsets + 4 * i), (int)i, &budget, face);
    if (full && fallback < 0)
      fallback = (int)i;
  }
  return fallback >= 0 && read_face(reader, be32(offsets + 4 * fallback),
                                    fallback, &budget, face);
}
