/* SPDX-License-Identifier: MIT */
/*
 * Fonts with fontconfig: one FcFontList over the process's current
 * configuration, one record per face.
 */
#include "ce_fontconfig.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

/*
 * `text` without its spaces, into `buffer` when it fits there, else into
 * memory the caller frees (*heap); NULL when out of memory.
 *
 * fontconfig compares family names without regard to case or to spaces
 * (FcStrCmpIgnoreBlanksAndCase, what fc-list :family=... uses), but does not
 * export that function. Its blanks are the ASCII space alone, which never
 * occurs inside a UTF-8 sequence, so comparing the names without their
 * spaces with FcStrCmpIgnoreCase (exported, the same case folding) is the
 * same comparison.
 */
static const char *without_blanks(const char *text, char *buffer, size_t size,
                                  char **heap) {
  size_t len = strlen(text), n = 0;
  char *out = buffer;
  *heap = NULL;
  if (len >= size && (out = *heap = malloc(len + 1)) == NULL)
    return NULL;
  for (; *text != '\0'; text++)
    if (*text != ' ')
      out[n++] = *text;
  out[n] = '\0';
  return out;
}

/* Whether any of the face's family names is `family` (already without its
 * blanks), as fontconfig compares them. -1 when out of memory. */
static int has_family(FcPattern *face, const char *family) {
  const char *name;
  for (int n = 0; (name = get_string(face, FC_FAMILY, n)) != NULL; n++) {
    char buffer[256], *heap;
    const char *stripped = without_blanks(name, buffer, sizeof buffer, &heap);
    int same = stripped != NULL &&
               ce__fc.FcStrCmpIgnoreCase((const FcChar8 *)stripped,
                                         (const FcChar8 *)family) == 0;
    free(heap);
    if (stripped == NULL)
      return -1;
    if (same)
      return 1;
  }
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

/* Fills `font` from `face`; CE_OK, or CE_E_NOMEM with its detail. The
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
static int config_loaded(FcConfig *config) {
  FcChar8 *main_path = ce__fc.FcConfigGetFilename(config, NULL);
  if (main_path == NULL)
    return 0;
  ce__fc.FcStrFree(main_path);
  return 1;
}

static int no_config_file(const char *main_file) {
  return ce__fail(
      CE_E_UNAVAILABLE, "fontconfig: cannot load the configuration file %s%s%s",
      main_file ? "FONTCONFIG_FILE=" : "", main_file ? main_file : "fonts.conf",
      main_file ? "" : " (see FONTCONFIG_PATH)");
}

/*
 * Whether FONTCONFIG_FILE names, by an absolute path (or one under "~/", as
 * fontconfig reads it), a file that cannot be read. fontconfig would print
 * "Fontconfig error: Cannot load default config file" to stderr when it
 * loads its configuration, and cenum never prints, so that case is told
 * before fontconfig is asked. A relative name is looked up in fontconfig's
 * own directories, which only fontconfig knows: left to config_loaded.
 */
static int config_file_missing(const char *main_file) {
  char path[4096];
  const char *home = getenv("HOME");

  if (main_file == NULL)
    return 0;
  if (main_file[0] == '/')
    snprintf(path, sizeof path, "%s", main_file);
  else if (main_file[0] == '~' && main_file[1] == '/' && home != NULL)
    snprintf(path, sizeof path, "%s%s", home, main_file + 1);
  else
    return 0;
  /* Readable by our effective ids, as an open for reading would find it,
   * in one system call: this runs on every call. */
  return faccessat(AT_FDCWD, path, R_OK, AT_EACCESS) != 0;
}

/* CE__SKIP when the query's filters leave `face` out, else CE_OK (or
 * CE_E_NOMEM with its detail). `family` is the query's, without blanks. */
static int filter(FcPattern *face, const ce_font_query *query,
                  const char *family) {
  int has = family != NULL ? has_family(face, family) : 1;
  if (has < 0)
    return ce__fail(CE_E_NOMEM, "fontconfig: out of memory for a record");
  return has == 0 || (query->monospace_only && !is_monospace(face)) ? CE__SKIP
                                                                    : CE_OK;
}

static int deliver(FcFontSet *set, const ce_font_query *query,
                   const ce__deadline *deadline, ce_font_fn fn, void *ctx) {
  ce__arena arena = CE__ARENA_INIT;
  char buffer[256], *heap = NULL;
  const char *family = NULL;
  int status = CE_OK;

  if (query->family != NULL &&
      (family = without_blanks(query->family, buffer, sizeof buffer, &heap)) ==
          NULL)
    return ce__fail(CE_E_NOMEM, "fontconfig: out of memory listing fonts");
  for (int i = 0; i < set->nfont && status == CE_OK; i++) {
    FcPattern *face = set->fonts[i];
    ce_font font;
    int built;

    if ((status = ce__cancel_check(deadline, "fontconfig")) != CE_OK)
      break;
    built = filter(face, query, family);
    if (built == CE_OK)
      built = make_record(face, &arena, &font);
    status = ce__delivered(built, built == CE_OK ? fn(&font, ctx) : CE_CONTINUE,
                           &arena);
  }
  ce__arena_free(&arena);
  free(heap);
  return status;
}

/* ---------------------------------------------- loading the configuration --
 */

/*
 * The first FcConfigReference(NULL) of a process loads the configuration,
 * and with a cold cache that means scanning every font file: seconds for a
 * few thousand files, whatever the caller's timeout. So that load runs on a
 * thread of its own, which the caller waits for no longer than its deadline
 * and its cancel flag allow. A caller that gives up leaves the thread to
 * finish the scan (the configuration then becomes current, and the next call
 * finds it at once); it holds no lock of the program's. One load at a time:
 * callers that come meanwhile wait for the same one. Once a load has
 * finished, FcConfigReference(NULL) returns the current configuration
 * without scanning, and is called directly.
 */
static struct {
  pthread_mutex_t lock;
  pthread_cond_t done;
  int state; /* guarded by lock: one of the three below */
} loading = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};

/* The condition waits on CLOCK_MONOTONIC, so that a change of the wall
 * clock cannot stretch a slice; set up once, before the first wait. */
static pthread_once_t loading_once = PTHREAD_ONCE_INIT;

static void loading_init(void) {
  pthread_condattr_t monotonic;
  pthread_condattr_init(&monotonic);
  pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
  pthread_cond_destroy(&loading.done);
  pthread_cond_init(&loading.done, &monotonic);
  pthread_condattr_destroy(&monotonic);
}

enum { NOT_LOADED = 0, LOADING, LOADED };

static void *load_thread(void *unused) {
  FcConfig *config = ce__fc.FcConfigReference(NULL);
  (void)unused;
  if (config != NULL)
    ce__fc.FcConfigDestroy(config); /* the current one keeps its own */
  pthread_mutex_lock(&loading.lock);
  loading.state = LOADED;
  pthread_cond_broadcast(&loading.done);
  pthread_mutex_unlock(&loading.lock);
  return NULL;
}

/* The deadline's next slice as an absolute CLOCK_MONOTONIC time. */
static struct timespec slice_end(const ce__deadline *deadline) {
  unsigned ms = ce__deadline_slice_ms(deadline);
  struct timespec at;
  clock_gettime(CLOCK_MONOTONIC, &at);
  at.tv_nsec += (long)ms * 1000000L;
  at.tv_sec += at.tv_nsec / 1000000000L;
  at.tv_nsec %= 1000000000L;
  return at;
}

/* Waits until the configuration is loaded (starting the load when nobody
 * has), within the deadline: CE_OK, CE_E_TIMEOUT or CE_E_CANCELLED. */
static int wait_loaded(const ce__deadline *deadline) {
  int status = CE_OK;
  pthread_once(&loading_once, loading_init);
  pthread_mutex_lock(&loading.lock);
  if (loading.state == NOT_LOADED) {
    pthread_attr_t detached;
    pthread_t thread;
    pthread_attr_init(&detached);
    pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&thread, &detached, load_thread, NULL) == 0)
      loading.state = LOADING;
    else
      loading.state = LOADED; /* no thread to spare: load it here */
    pthread_attr_destroy(&detached);
  }
  while (loading.state == LOADING &&
         (status = ce__deadline_check(deadline, "fontconfig")) == CE_OK) {
    struct timespec at = slice_end(deadline);
    pthread_cond_timedwait(&loading.done, &loading.lock, &at);
  }
  pthread_mutex_unlock(&loading.lock);
  if (status == CE_E_TIMEOUT)
    ce__fail(status, "fontconfig: the font configuration was still loading "
                     "(scanning font files into its cache) at the timeout; "
                     "the scan goes on, and a later call finds it done");
  return status;
}

/* -------------------------------------------------------------- entry -- */

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

/* FONTCONFIG_FILE when the user set it, else NULL. */
static const char *main_file_named(void) {
  const char *main_file = getenv("FONTCONFIG_FILE");
  return main_file != NULL && main_file[0] != '\0' ? main_file : NULL;
}

int ce__fc_check_loaded(FcConfig *config) {
  return config_loaded(config) ? CE_OK : no_config_file(main_file_named());
}

static int enumerate(const ce_font_query *query, ce_font_fn fn, void *ctx) {
  ce__deadline deadline = ce__deadline_start(query->timeout_ms, query->cancel);
  const char *main_file = main_file_named();
  FcConfig *config;
  int status;

  if (config_file_missing(main_file))
    return no_config_file(main_file);
  if ((status = wait_loaded(&deadline)) != CE_OK)
    return status;
  /* A reference keeps the configuration alive while we use it, even if
   * another thread makes a new one current meanwhile; NULL asks for the
   * current one, which wait_loaded saw loaded. */
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
