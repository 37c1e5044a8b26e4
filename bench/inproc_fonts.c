/*
 * Fonts in-process: ce_enum_fonts against a direct FcFontList over the same
 * object set, each reading every field of every face, so the comparison
 * shows what cenum's records (bounded UTF-8 copies, the weight conversion,
 * the configuration check) cost on top of fontconfig itself.
 */
#include "bench_common.h"

#include <cenum.h>
#include <fontconfig/fontconfig.h>

#include <stdio.h>
#include <string.h>

/* Sums string lengths so neither method can skip reading its fields. */
static size_t checksum;

static size_t length(const char *s) { return s ? strlen(s) : 0; }

static ce_next count_font(const ce_font *font, void *ctx) {
  long *records = ctx;
  checksum += length(font->family) + length(font->style) +
              length(font->fullname) + length(font->postscript_name) +
              length(font->path) + length(font->format) +
              (size_t)(font->index + font->weight + font->width) +
              (size_t)font->slant + font->monospace + font->scalable;
  ++*records;
  return CE_CONTINUE;
}

static long run_cenum(void) {
  long records = 0;
  int status = ce_enum_fonts(count_font, &records);
  return bench_cenum_result("ce_enum_fonts", status, records);
}

static const char *string_of(FcPattern *face, const char *object) {
  FcChar8 *s = NULL;
  return FcPatternGetString(face, object, 0, &s) == FcResultMatch
             ? (const char *)s
             : NULL;
}

static int int_of(FcPattern *face, const char *object) {
  int i = 0;
  double d = 0;
  if (FcPatternGetInteger(face, object, 0, &i) == FcResultMatch)
    return i;
  if (FcPatternGetDouble(face, object, 0, &d) == FcResultMatch)
    return (int)d;
  return -1;
}

/* What a program using fontconfig directly writes: one FcFontList with the
 * fields it needs, then a read of each field. */
static long run_fcfontlist(void) {
  FcPattern *pattern = FcPatternCreate();
  FcObjectSet *objects =
      FcObjectSetBuild(FC_FAMILY, FC_STYLE, FC_FULLNAME, FC_POSTSCRIPT_NAME,
                       FC_FILE, FC_INDEX, FC_WEIGHT, FC_WIDTH, FC_SLANT,
                       FC_SPACING, FC_SCALABLE, FC_FONTFORMAT, (char *)NULL);
  FcFontSet *set = FcFontList(NULL, pattern, objects);
  long records;
  FcBool scalable;

  if (set == NULL) {
    fputs("FcFontList failed\n", stderr);
    return -1;
  }
  for (int i = 0; i < set->nfont; i++) {
    FcPattern *face = set->fonts[i];
    checksum += length(string_of(face, FC_FAMILY)) +
                length(string_of(face, FC_STYLE)) +
                length(string_of(face, FC_FULLNAME)) +
                length(string_of(face, FC_POSTSCRIPT_NAME)) +
                length(string_of(face, FC_FILE)) +
                length(string_of(face, FC_FONTFORMAT)) +
                (size_t)(int_of(face, FC_INDEX) + int_of(face, FC_WEIGHT) +
                         int_of(face, FC_WIDTH) + int_of(face, FC_SLANT) +
                         int_of(face, FC_SPACING));
    if (FcPatternGetBool(face, FC_SCALABLE, 0, &scalable) == FcResultMatch)
      checksum += (size_t)scalable;
  }
  records = set->nfont;
  FcFontSetDestroy(set);
  FcObjectSetDestroy(objects);
  FcPatternDestroy(pattern);
  return records;
}

int main(int argc, char **argv) {
  static const bench_method methods[] = {
      {"cenum", run_cenum}, {"fcfontlist", run_fcfontlist}, {NULL, NULL}};
  int status = bench_main(argc, argv, methods);
  /* Printing the sum keeps the reads above from being optimised away. */
  fprintf(stderr, "checksum %zu\n", checksum);
  return status;
}
