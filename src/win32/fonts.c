/* SPDX-License-Identifier: MIT */
/*
 * Fonts with EnumFontFamiliesExW on a screen DC, in two rounds: the first
 * lists the families, the second each family's faces. GDI reports a face
 * once per character set it covers; the records merge those, so each
 * (family, style) comes out once. The file of a face comes from the font
 * registrations in the registry.
 */
#include "ce_sfnt.h"
#include "ce_win32.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* ------------------------------------------------------------ registry -- */

/* One registration: the face names it covers (the value name, "Arial Bold
 * (TrueType)", without its "(...)" part) and its file. */
typedef struct registration {
  wchar_t *name; /* "Arial Bold", or "Cambria & Cambria Math" */
  wchar_t *path; /* absolute */
} registration;

typedef struct registry {
  registration *items;
  size_t count, capacity;
} registry;

const wchar_t ce__win32_fonts_key[] =
    L"Software\\Microsoft\\Windows NT\\CurrentVersion\\Fonts";

static wchar_t fold(wchar_t c) {
  return c >= L'A' && c <= L'Z' ? (wchar_t)(c - L'A' + L'a') : c;
}

/* ASCII case-insensitive comparison of a[0..alen) with NUL-terminated b. */
static int same_name(const wchar_t *a, size_t alen, const wchar_t *b) {
  size_t i = 0;
  for (; i < alen && b[i] != 0; i++)
    if (fold(a[i]) != fold(b[i]))
      return 0;
  return i == alen && b[i] == 0;
}

static wchar_t *copy_wide(const wchar_t *s, size_t len) {
  wchar_t *copy = malloc((len + 1) * sizeof *copy);
  if (copy != NULL) {
    memcpy(copy, s, len * sizeof *copy);
    copy[len] = 0;
  }
  return copy;
}

/* Adds one value of a Fonts key; file names without a directory are in
 * %WINDIR%\Fonts. Returns 0 when out of memory. */
static int add_registration(registry *reg, const wchar_t *name,
                            const wchar_t *file, const wchar_t *fonts_dir) {
  size_t name_len = wcslen(name), file_len = wcslen(file), dir_len = 0;
  registration *r;
  int relative = wcschr(file, L'\\') == NULL && wcschr(file, L'/') == NULL;

  /* "Arial Bold (TrueType)" names "Arial Bold". */
  while (name_len > 0 && name[name_len - 1] == L' ')
    name_len--;
  if (name_len > 0 && name[name_len - 1] == L')') {
    const wchar_t *open = name + name_len;
    while (open > name && *open != L'(')
      open--;
    if (*open == L'(')
      name_len = (size_t)(open - name);
    while (name_len > 0 && name[name_len - 1] == L' ')
      name_len--;
  }
  if (ce__grow((void **)&reg->items, &reg->capacity, reg->count + 1,
               sizeof *reg->items, "Win32", "font registrations") != CE_OK)
    return 0;
  r = &reg->items[reg->count];
  r->name = copy_wide(name, name_len);
  if (relative)
    dir_len = wcslen(fonts_dir);
  r->path = malloc((dir_len + file_len + 1) * sizeof *r->path);
  if (r->name == NULL || r->path == NULL) {
    free(r->name);
    free(r->path);
    return 0;
  }
  if (relative)
    memcpy(r->path, fonts_dir, dir_len * sizeof *r->path);
  memcpy(r->path + dir_len, file, (file_len + 1) * sizeof *r->path);
  reg->count++;
  return 1;
}

/* Reads one Fonts key; a key that is missing or unreadable adds nothing.
 * Returns 0 when out of memory. */
static int read_key(registry *reg, HKEY root, const wchar_t *fonts_dir) {
  HKEY key;
  DWORD values = 0, name_max = 0, data_max = 0;
  wchar_t *name, *data;
  int ok = 1;

  if (RegOpenKeyExW(root, ce__win32_fonts_key, 0, KEY_READ, &key) !=
      ERROR_SUCCESS)
    return 1;
  if (RegQueryInfoKeyW(key, NULL, NULL, NULL, NULL, NULL, NULL, &values,
                       &name_max, &data_max, NULL, NULL) != ERROR_SUCCESS) {
    RegCloseKey(key);
    return 1;
  }
  name = malloc((name_max + 1) * sizeof *name);
  data = malloc(data_max + 2 * sizeof *data);
  for (DWORD i = 0; ok && name != NULL && data != NULL && i < values; i++) {
    DWORD name_len = name_max + 1, data_size = data_max, type;
    if (RegEnumValueW(key, i, name, &name_len, NULL, &type, (BYTE *)data,
                      &data_size) != ERROR_SUCCESS ||
        (type != REG_SZ && type != REG_EXPAND_SZ))
      continue;
    /* Registry strings need not end with a NUL. */
    data[data_size / sizeof *data] = 0;
    ok = add_registration(reg, name, data, fonts_dir);
  }
  if (name == NULL || data == NULL)
    ok = 0;
  free(name);
  free(data);
  RegCloseKey(key);
  return ok;
}

static void free_registry(registry *reg) {
  for (size_t i = 0; i < reg->count; i++) {
    free(reg->items[i].name);
    free(reg->items[i].path);
  }
  free(reg->items);
}

static int read_registry(registry *reg) {
  wchar_t fonts_dir[MAX_PATH + 8];
  static const wchar_t sub[] = L"\\Fonts\\";
  UINT len = GetWindowsDirectoryW(fonts_dir, MAX_PATH);
  if (len == 0 || len >= MAX_PATH)
    fonts_dir[0] = 0;
  else
    memcpy(fonts_dir + len, sub, sizeof sub);
  /* Per-user fonts (Windows 10 1809 and later) come after the machine's. */
  return read_key(reg, HKEY_LOCAL_MACHINE, fonts_dir) &&
         read_key(reg, HKEY_CURRENT_USER, fonts_dir);
}

/* The file registered for the face `fullname`, or NULL. A registration may
 * name several faces of a collection: "Cambria & Cambria Math". */
static const wchar_t *find_path(const registry *reg, const wchar_t *fullname) {
  for (size_t i = 0; i < reg->count; i++) {
    const wchar_t *name = reg->items[i].name;
    for (;;) {
      const wchar_t *amp = wcsstr(name, L" & ");
      size_t len = amp != NULL ? (size_t)(amp - name) : wcslen(name);
      if (same_name(name, len, fullname))
        return reg->items[i].path;
      if (amp == NULL)
        break;
      name = amp + 3;
    }
  }
  return NULL;
}

/* --------------------------------------------------------- enumeration -- */

/* One face as GDI reported it, kept until its family's round is over. */
typedef struct face {
  ENUMLOGFONTEXW font;
  DWORD type;      /* RASTER_FONTTYPE, DEVICE_FONTTYPE, TRUETYPE_FONTTYPE */
  DWORD ntm_flags; /* NTM_PS_OPENTYPE, ...; 0 when GDI gave none */
} face;

typedef struct face_list {
  face *items;
  size_t count, capacity;
  int status; /* CE_OK, or the failure that ended the round */
  const ce__deadline *deadline;
} face_list;

/* A family name GDI reported, in the first round. */
typedef struct family_list {
  wchar_t (*names)[LF_FACESIZE];
  size_t count, capacity;
  int status;
  const ce__deadline *deadline;
} family_list;

static int is_vertical(const wchar_t *family) { return family[0] == L'@'; }

static int CALLBACK collect_family(const LOGFONTW *lf, const TEXTMETRICW *tm,
                                   DWORD type, LPARAM lparam) {
  family_list *list = (family_list *)lparam;
  (void)tm;
  (void)type;
  if (ce__deadline_cancelled(list->deadline))
    return 0;
  /* "@Family" is the same faces set for vertical text, not other fonts. */
  if (is_vertical(lf->lfFaceName))
    return 1;
  for (size_t i = 0; i < list->count; i++)
    if (wcscmp(list->names[i], lf->lfFaceName) == 0)
      return 1; /* the same family in another character set */
  list->status =
      ce__grow((void **)&list->names, &list->capacity, list->count + 1,
               sizeof *list->names, "Win32", "font families");
  if (list->status != CE_OK)
    return 0;
  memcpy(list->names[list->count], lf->lfFaceName, sizeof lf->lfFaceName);
  list->names[list->count][LF_FACESIZE - 1] = 0;
  list->count++;
  return 1;
}

static int CALLBACK collect_face(const LOGFONTW *lf, const TEXTMETRICW *tm,
                                 DWORD type, LPARAM lparam) {
  face_list *list = (face_list *)lparam;
  const ENUMLOGFONTEXW *elf = (const ENUMLOGFONTEXW *)(const void *)lf;
  face *f;

  if (ce__deadline_cancelled(list->deadline))
    return 0;
  if (is_vertical(lf->lfFaceName))
    return 1;
  for (size_t i = 0; i < list->count; i++)
    if (wcscmp(list->items[i].font.elfLogFont.lfFaceName, lf->lfFaceName) ==
            0 &&
        wcscmp(list->items[i].font.elfStyle, elf->elfStyle) == 0)
      return 1; /* the same face in another character set */
  list->status =
      ce__grow((void **)&list->items, &list->capacity, list->count + 1,
               sizeof *list->items, "Win32", "font faces");
  if (list->status != CE_OK)
    return 0;
  f = &list->items[list->count++];
  f->font = *elf;
  f->type = type;
  /* A TrueType or OpenType face comes with a NEWTEXTMETRICEXW, whose
   * ntmFlags tell an OpenType PostScript (CFF) face, which GDI reports as a
   * device font, from a TrueType one; any other face (raster, vector) is
   * documented to have the shorter TEXTMETRICW alone, so its flags are not
   * read. On a screen DC there are no real device fonts. */
  f->ntm_flags = !(type & RASTER_FONTTYPE) &&
                         (type & (TRUETYPE_FONTTYPE | DEVICE_FONTTYPE))
                     ? ((const NEWTEXTMETRICW *)(const void *)tm)->ntmFlags
                     : 0;
  return 1;
}

static const char *format_of(const face *f, bool *scalable) {
  *scalable = !(f->type & RASTER_FONTTYPE);
  if (f->type & RASTER_FONTTYPE)
    return "Raster";
  if (f->ntm_flags & NTM_PS_OPENTYPE)
    return "CFF";
  if (f->ntm_flags & NTM_TYPE1)
    return "Type 1";
  if ((f->type & TRUETYPE_FONTTYPE) || (f->ntm_flags & NTM_TT_OPENTYPE))
    return "TrueType";
  if (f->type & DEVICE_FONTTYPE)
    return "Device";
  /* Neither raster nor TrueType nor device: a vector .fon font. */
  return "Vector";
}

static int is_monospace(const face *f) {
  return (f->font.elfLogFont.lfPitchAndFamily & 3) == FIXED_PITCH;
}

/* ------------------------------------------------------------- the file -- */

/* ce__sfnt_reader's read over a file handle, at the offset asked. */
static long read_at(void *ctx, uint32_t offset, void *buffer, uint32_t size) {
  OVERLAPPED at;
  DWORD got = 0;
  memset(&at, 0, sizeof at);
  at.Offset = offset;
  if (!ReadFile((HANDLE)ctx, buffer, size, &got, &at) &&
      GetLastError() != ERROR_HANDLE_EOF)
    return -1;
  return (long)got;
}

/*
 * What GDI does not tell without selecting the font, from the face's file:
 * its index in a collection (found by its names), its PostScript name
 * and its width class. `out` keeps index 0, "" and -1 when the file cannot
 * be read or the face is not found in it.
 */
static void read_face_file(const wchar_t *path, const face *f,
                           ce__sfnt_face *out) {
  const wchar_t *full = f->font.elfFullName;
  const LOGFONTW *lf = &f->font.elfLogFont;
  ce__sfnt_name full_name, family;
  ce__sfnt_reader reader;
  HANDLE file;

  out->index = 0;
  out->postscript_name[0] = 0;
  out->width = -1;
  if (path == NULL)
    return;
  file = CreateFileW(path, GENERIC_READ,
                     FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                     NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
  if (file == INVALID_HANDLE_VALUE)
    return;
  reader.read = read_at;
  reader.ctx = file;
  full_name.units = full;
  full_name.length = wcsnlen(full, ARRAYSIZE(f->font.elfFullName));
  family.units = lf->lfFaceName;
  family.length = wcsnlen(lf->lfFaceName, ARRAYSIZE(lf->lfFaceName));
  if (!ce__sfnt_find_face(&reader, &full_name, &family, out)) {
    out->index = 0;
    out->postscript_name[0] = 0;
    out->width = -1;
  }
  CloseHandle(file);
}

static int make_record(const face *f, const registry *reg, ce__arena *arena,
                       ce_font *font) {
  const LOGFONTW *lf = &f->font.elfLogFont;
  const wchar_t *path = find_path(reg, f->font.elfFullName);
  ce__sfnt_face in_file;

  read_face_file(path, f, &in_file);
  font->size = sizeof *font;
  /* The names are fixed arrays that GDI fills; a font's own name may fill
   * one to the end without a NUL, so none is read past its array. */
  font->family = ce__win32_utf8(
      arena, lf->lfFaceName, wcsnlen(lf->lfFaceName, ARRAYSIZE(lf->lfFaceName)),
      CE__CAP_NAME);
  font->style = ce__win32_utf8(
      arena, f->font.elfStyle,
      wcsnlen(f->font.elfStyle, ARRAYSIZE(f->font.elfStyle)), CE__CAP_NAME);
  font->fullname = ce__win32_utf8(
      arena, f->font.elfFullName,
      wcsnlen(f->font.elfFullName, ARRAYSIZE(f->font.elfFullName)),
      CE__CAP_NAME);
  font->postscript_name = ce__win32_utf8(arena, in_file.postscript_name,
                                         CE_WIN32_NUL, CE__CAP_NAME);
  font->path = ce__win32_utf8(arena, path, CE_WIN32_NUL, CE__CAP_NAME);
  if (font->family == NULL || font->style == NULL || font->fullname == NULL ||
      font->postscript_name == NULL || font->path == NULL)
    return ce__fail(CE_E_NOMEM, "Win32: out of memory for a record");
  font->index = in_file.index;
  font->weight =
      lf->lfWeight > 0 && lf->lfWeight <= 1000 ? (int)lf->lfWeight : -1;
  font->width = in_file.width;
  font->slant = lf->lfItalic ? CE_SLANT_ITALIC : CE_SLANT_ROMAN;
  font->monospace = is_monospace(f) != 0;
  font->format = format_of(f, &font->scalable);
  return CE_OK;
}

/* Whether a face GDI gave for the asked family really has that name: GDI
 * applies its font substitutes ("MS Shell Dlg" gives "Tahoma"). */
static int family_matches(const face *f, const wchar_t *family) {
  return same_name(family, wcslen(family), f->font.elfLogFont.lfFaceName);
}

/* The second round for one family: its faces, delivered in GDI's order. */
static int deliver_family(HDC dc, const wchar_t *family,
                          const ce_font_query *query, const registry *reg,
                          face_list *faces, ce__arena *arena, ce_font_fn fn,
                          void *ctx) {
  LOGFONTW lf;
  int status = CE_OK;

  memset(&lf, 0, sizeof lf);
  lf.lfCharSet = DEFAULT_CHARSET;
  for (size_t i = 0; i < LF_FACESIZE - 1 && family[i] != 0; i++)
    lf.lfFaceName[i] = family[i];
  faces->count = 0;
  EnumFontFamiliesExW(dc, &lf, collect_face, (LPARAM)faces, 0);
  if (faces->status != CE_OK)
    return faces->status;
  if ((status = ce__cancel_check(faces->deadline, "Win32")) != CE_OK)
    return status;

  for (size_t i = 0; i < faces->count && status == CE_OK; i++) {
    const face *f = &faces->items[i];
    ce_font font;
    int built;
    if ((status = ce__cancel_check(faces->deadline, "Win32")) != CE_OK)
      return status;
    built = !family_matches(f, family) ||
                    (query->monospace_only && !is_monospace(f))
                ? CE__SKIP
                : make_record(f, reg, arena, &font);
    status = ce__delivered(built, built == CE_OK ? fn(&font, ctx) : CE_CONTINUE,
                           arena);
  }
  return status;
}

/* Windows always has its own. */
static int probe(const ce_font_query *query) {
  (void)query;
  return CE_OK;
}

static int enumerate(const ce_font_query *query, ce_font_fn fn, void *ctx) {
  ce__deadline deadline = ce__deadline_start(query->timeout_ms, query->cancel);
  family_list families = {NULL, 0, 0, CE_OK, NULL};
  face_list faces = {NULL, 0, 0, CE_OK, NULL};
  registry reg = {NULL, 0, 0};
  ce__arena arena = CE__ARENA_INIT;
  wchar_t wanted[LF_FACESIZE];
  HDC dc;
  int status = ce__deadline_check(&deadline, "Win32");

  if (status != CE_OK)
    return status;
  /* A family name longer than GDI's limit names no GDI family. */
  if (query->family != NULL &&
      !ce__win32_utf16(wanted, LF_FACESIZE, query->family))
    return CE_OK;

  dc = GetDC(NULL);
  if (dc == NULL)
    return ce__win32_fail("GetDC", GetLastError());
  families.deadline = faces.deadline = &deadline;

  if (query->family == NULL) {
    LOGFONTW lf;
    memset(&lf, 0, sizeof lf);
    lf.lfCharSet = DEFAULT_CHARSET;
    EnumFontFamiliesExW(dc, &lf, collect_family, (LPARAM)&families, 0);
    status = families.status;
  }
  if (status == CE_OK && !read_registry(&reg))
    status = ce__fail(CE_E_NOMEM, "Win32: out of memory reading the registry");
  if (status == CE_OK)
    status = ce__deadline_check(&deadline, "Win32");

  if (status == CE_OK && query->family != NULL)
    status = deliver_family(dc, wanted, query, &reg, &faces, &arena, fn, ctx);
  for (size_t i = 0; status == CE_OK && i < families.count; i++)
    status = deliver_family(dc, families.names[i], query, &reg, &faces, &arena,
                            fn, ctx);

  ReleaseDC(NULL, dc);
  ce__arena_free(&arena);
  free_registry(&reg);
  free(faces.items);
  free(families.names);
  return status;
}

const ce__fonts_backend ce__win32_fonts = {"win32", probe, enumerate};
