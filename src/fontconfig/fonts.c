/*
 * Fonts with fontconfig: one FcFontList over the process's current
 * configuration, one record per face.
 */
#include "ce_fontconfig_watch.h"

#include <stdlib.h>
#include <string.h>

/* The string value `object` number `n` of the face, or NULL. */
static const char *get_string(FcPattern *face, const char *object, int n) {
  FcValue value;
  if (ce__fc.FcPatternGet(face, object, n, &value) != FcResultMatch ||
      value.type != FcTypeString)
    return NULL;
  return (const char *)value.u.s;
}

/* A number that fontconfig may store as an integer or a double. A range (a
 * variable font's axis) or anything else counts as absent: returns 0. */
static int get_number(FcPattern *face, const char *object, double *out) {
  FcValue value;
  if (ce__fc.FcPatternGet(face, object, 0, &value) != FcResultMatch)
    return 0;
  if (value.type == FcTypeInteger)
    *out = value.u.i;
  else if (value.type == FcTypeDouble)
    *out = value.u.d;
  else
    return 0;
  return 1;
}

static int get_int(FcPattern *face, const char *object, int fallback) {
  double number;
  return get_number(face, object, &number) ? (int)number : fallback;
}

static int get_bool(FcPattern *face, const char *object) {
  FcValue value;
  return ce__fc.FcPatternGet(face, object, 0, &value) == FcResultMatch &&
         value.type == FcTypeBool && value.u.b;
}

/* Whether any of the face's family names is `family`. */
static int has_family(FcPattern *face, const char *family) {
  const char *name;
  for (int n = 0; (name = get_string(face, FC_FAMILY, n)) != NULL; n++)
    if (ce__fc.FcStrCmpIgnoreCase((const FcChar8 *)name,
                                  (const FcChar8 *)family) == 0)
      return 1;
  return 0;
}

static int is_monospace(FcPattern *face) {
  int spacing = get_int(face, FC_SPACING, FC_PROPORTIONAL);
  /* Dual-width faces (CJK) have two advances, so they are not monospace;
   * charcell faces are. */
  return spacing == FC_MONO || spacing == FC_CHARCELL;
}

static ce_slant slant_of(FcPattern *face) {
  int slant = get_int(face, FC_SLANT, FC_SLANT_ROMAN);
  if (slant >= FC_SLANT_OBLIQUE)
    return CE_SLANT_OBLIQUE;
  if (slant >= FC_SLANT_ITALIC)
    return CE_SLANT_ITALIC;
  return CE_SLANT_ROMAN;
}

/* Fills `font` from `face`; CE_E_NOMEM when the arena is out of memory. The
 * strings may be the pattern's own: the font set outlives the callback. */
static int make_record(FcPattern *face, ce__arena *arena, ce_font *font) {
  double weight;

  font->size = sizeof *font;
  font->family =
      ce__arena_borrow(arena, get_string(face, FC_FAMILY, 0), CE__CAP_NAME);
  font->style =
      ce__arena_borrow(arena, get_string(face, FC_STYLE, 0), CE__CAP_NAME);
  font->fullname =
      ce__arena_borrow(arena, get_string(face, FC_FULLNAME, 0), CE__CAP_NAME);
  font->postscript_name = ce__arena_borrow(
      arena, get_string(face, FC_POSTSCRIPT_NAME, 0), CE__CAP_NAME);
  font->path =
      ce__arena_borrow(arena, get_string(face, FC_FILE, 0), CE__CAP_NAME);
  font->format =
      ce__arena_borrow(arena, get_string(face, FC_FONTFORMAT, 0), CE__CAP_NAME);
  if (!font->family || !font->style || !font->fullname ||
      !font->postscript_name || !font->path || !font->format)
    return ce__fail(CE_E_NOMEM, "fontconfig: out of memory for a record");

  font->index = get_int(face, FC_INDEX, 0);
  font->weight = get_number(face, FC_WEIGHT, &weight)
                     ? (int)(ce__fc.FcWeightToOpenTypeDouble(weight) + 0.5)
                     : -1;
  if (font->weight <= 0)
    font->weight = -1;
  font->width = get_int(face, FC_WIDTH, -1);
  font->slant = slant_of(face);
  font->monospace = is_monospace(face) != 0;
  font->scalable = get_bool(face, FC_SCALABLE) != 0;
  return CE_OK;
}

/*
 * When fontconfig cannot find its main configuration file (FONTCONFIG_FILE,
 * or /etc/fonts/fonts.conf), it prints a warning and falls back to a built-in
 * configuration that lists fonts the user never configured. We report that
 * as a failure instead. Only a missing or unreadable main file counts: the
 * current configuration may well not be loaded from it, when the program
 * made one of its own current (FcConfigSetCurrent), and that one is used as
 * it is. (A main file that exists but does not parse also gets the fallback;
 * fontconfig reports that one itself, and it is not told apart here.)
 */
static int config_loaded(FcConfig *config, const char **main_file) {
  FcChar8 *main_path = ce__fc.FcConfigGetFilename(config, NULL);
  *main_file = getenv("FONTCONFIG_FILE");
  if (main_path == NULL)
    return 0;
  ce__fc.FcStrFree(main_path);
  return 1;
}

static int deliver(FcFontSet *set, const ce_font_query *query,
                   const ce__deadline *deadline, ce_font_fn fn, void *ctx) {
  ce__arena arena = CE__ARENA_INIT;
  int status = CE_OK;

  for (int i = 0; i < set->nfont && status == CE_OK; i++) {
    FcPattern *face = set->fonts[i];
    ce_font font;

    if ((status = ce__cancel_check(deadline, "fontconfig")) != CE_OK)
      break;
    if (query->family != NULL && !has_family(face, query->family))
      continue;
    if (query->monospace_only && !is_monospace(face))
      continue;

    status = make_record(face, &arena, &font);
    if (status == CE_OK && fn(&font, ctx) == CE_STOP)
      status = CE_STOPPED;
    ce__arena_reset(&arena);
  }
  ce__arena_free(&arena);
  return status;
}

static int probe(const ce_font_query *query) {
  (void)query;
  return ce__fc_load();
}

int ce__fc_list(FcConfig *config, const ce_font_query *query, ce_font_fn fn,
                void *ctx) {
  ce__deadline deadline = ce__deadline_start(query->timeout_ms, query->cancel);
  FcPattern *pattern;
  FcObjectSet *objects;
  FcFontSet *set;
  int status;

  pattern = ce__fc.FcPatternCreate();
  /* File and index are what tell two faces apart: without them fontconfig
   * would merge faces whose other listed fields are equal. */
  objects = ce__fc.FcObjectSetBuild(FC_FAMILY, FC_STYLE, FC_FULLNAME,
                                    FC_POSTSCRIPT_NAME, FC_FILE, FC_INDEX,
                                    FC_WEIGHT, FC_WIDTH, FC_SLANT, FC_SPACING,
                                    FC_SCALABLE, FC_FONTFORMAT, (char *)NULL);
  set = pattern && objects ? ce__fc.FcFontList(config, pattern, objects) : NULL;

  if (pattern == NULL || objects == NULL || set == NULL)
    status = ce__fail(CE_E_NOMEM, "fontconfig: out of memory listing fonts");
  else
    status = ce__deadline_check(&deadline, "fontconfig");
  if (status == CE_OK)
    status = deliver(set, query, &deadline, fn, ctx);

  if (set != NULL)
    ce__fc.FcFontSetDestroy(set);
  if (objects != NULL)
    ce__fc.FcObjectSetDestroy(objects);
  if (pattern != NULL)
    ce__fc.FcPatternDestroy(pattern);
  return status;
}

int ce__fc_check_loaded(FcConfig *config) {
  const char *main_file;
  if (config_loaded(config, &main_file))
    return CE_OK;
  return ce__fail(
      CE_E_UNAVAILABLE, "fontconfig: cannot load the configuration file %s%s%s",
      main_file ? "FONTCONFIG_FILE=" : "", main_file ? main_file : "fonts.conf",
      main_file ? "" : " (see FONTCONFIG_PATH)");
}

static int enumerate(const ce_font_query *query, ce_font_fn fn, void *ctx) {
  FcConfig *config;
  int status;

  /* A reference keeps the configuration alive while we use it, even if
   * another thread makes a new one current meanwhile; NULL asks for the
   * current one, loading it (FONTCONFIG_FILE included) the first time. */
  config = ce__fc.FcConfigReference(NULL);
  if (config == NULL)
    return ce__fail(CE_E_UNAVAILABLE,
                    "fontconfig: cannot initialise its configuration");
  status = ce__fc_check_loaded(config);
  if (status == CE_OK)
    status = ce__fc_list(config, query, fn, ctx);
  ce__fc.FcConfigDestroy(config);
  return status;
}

const ce__fonts_backend ce__fontconfig_fonts = {"fontconfig", probe, enumerate};
