/*
 * Fonts with fontconfig, against the private configuration of the
 * `fontconfig` fixture: exactly the six faces of fonts-dejavu-core.
 */
#include "check.h"

#include <cenum.h>

#include <pthread.h>

typedef struct expected_face {
  const char *file;
  const char *family, *style, *fullname, *postscript_name;
  int weight;
  bool monospace;
} expected_face;

static const expected_face faces[] = {
    {"DejaVuSans.ttf", "DejaVu Sans", "Book", "DejaVu Sans", "DejaVuSans", 400,
     false},
    {"DejaVuSans-Bold.ttf", "DejaVu Sans", "Bold", "DejaVu Sans Bold",
     "DejaVuSans-Bold", 700, false},
    {"DejaVuSansMono.ttf", "DejaVu Sans Mono", "Book", "DejaVu Sans Mono",
     "DejaVuSansMono", 400, true},
    {"DejaVuSansMono-Bold.ttf", "DejaVu Sans Mono", "Bold",
     "DejaVu Sans Mono Bold", "DejaVuSansMono-Bold", 700, true},
    {"DejaVuSerif.ttf", "DejaVu Serif", "Book", "DejaVu Serif", "DejaVuSerif",
     400, false},
    {"DejaVuSerif-Bold.ttf", "DejaVu Serif", "Bold", "DejaVu Serif Bold",
     "DejaVuSerif-Bold", 700, false},
};
enum { FACE_COUNT = sizeof faces / sizeof faces[0] };

/* What a test saw: how often each expected face came, and anything else. */
typedef struct seen {
  int count[FACE_COUNT];
  int calls;
  int unexpected;
  int stop_after;                 /* return CE_STOP after this many; 0 never */
  volatile int *cancel_after_one; /* set this flag in the first callback */
} seen;

static char font_dir[1024];

static ce_next record(const ce_font *font, void *ctx) {
  seen *s = ctx;
  size_t dir_len = strlen(font_dir);
  int found = -1;

  s->calls++;
  if (s->cancel_after_one != NULL)
    *s->cancel_after_one = 1;
  CHECK(font->size == sizeof(ce_font));
  if (strncmp(font->path, font_dir, dir_len) == 0 &&
      font->path[dir_len] == '/') {
    for (int i = 0; i < FACE_COUNT; i++)
      if (strcmp(font->path + dir_len + 1, faces[i].file) == 0)
        found = i;
  }
  if (found < 0) {
    fprintf(stderr, "unexpected face %s\n", font->path);
    s->unexpected++;
  } else {
    const expected_face *e = &faces[found];
    s->count[found]++;
    CHECK_STR(font->family, e->family);
    CHECK_STR(font->style, e->style);
    CHECK_STR(font->fullname, e->fullname);
    CHECK_STR(font->postscript_name, e->postscript_name);
    CHECK_INT(font->weight, e->weight);
    CHECK_INT(font->monospace, e->monospace);
    CHECK_INT(font->index, 0);
    CHECK_INT(font->width, 100);
    CHECK_INT(font->slant, CE_SLANT_ROMAN);
    CHECK_INT(font->scalable, true);
    CHECK_STR(font->format, "TrueType");
  }
  return s->stop_after != 0 && s->calls >= s->stop_after ? CE_STOP
                                                         : CE_CONTINUE;
}

/* Every face of the fixture exactly once, nothing else. */
static void test_every_face_once(void) {
  seen s = {0};
  CHECK_INT(ce_enum_fonts(record, &s), CE_OK);
  CHECK_INT(s.calls, FACE_COUNT);
  CHECK_INT(s.unexpected, 0);
  for (int i = 0; i < FACE_COUNT; i++)
    if (s.count[i] != 1)
      fprintf(stderr, "%s seen %d times\n", faces[i].file, s.count[i]),
          check_failures++;
}

/* Runs a filtered query and checks exactly which faces it gave. */
static void expect_filter(const char *family, bool monospace_only,
                          const char *const *files, int file_count) {
  ce_font_query q = CE_FONT_QUERY_INIT;
  seen s = {0};
  q.family = family;
  q.monospace_only = monospace_only;
  CHECK_INT(ce_enum_fonts_ex(&q, record, &s), CE_OK);
  CHECK_INT(s.calls, file_count);
  CHECK_INT(s.unexpected, 0);
  for (int f = 0; f < file_count; f++)
    for (int i = 0; i < FACE_COUNT; i++)
      if (strcmp(faces[i].file, files[f]) == 0 && s.count[i] != 1)
        fprintf(stderr, "filter %s/%d: %s seen %d times\n",
                family ? family : "-", monospace_only, files[f], s.count[i]),
            check_failures++;
}

static void test_filters(void) {
  static const char *const mono[] = {"DejaVuSansMono.ttf",
                                     "DejaVuSansMono-Bold.ttf"};
  static const char *const sans[] = {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf"};
  expect_filter("DejaVu Sans Mono", false, mono, 2);
  /* Case-insensitive and exact: "dejavu sans" is not a prefix match. */
  expect_filter("dejavu SANS", false, sans, 2);
  expect_filter("DejaVu", false, NULL, 0);
  /* Blanks do not count, as fontconfig compares family names
   * (FcStrCmpIgnoreBlanksAndCase, what fc-list :family=... uses): other
   * separators do. */
  expect_filter("DejaVuSansMono", false, mono, 2);
  expect_filter(" dejavu  sans ", false, sans, 2);
  expect_filter("DejaVu-Sans", false, NULL, 0);
  expect_filter("DejaVu\tSans", false, NULL, 0);
  expect_filter(NULL, true, mono, 2);
  expect_filter("DejaVu Sans", true, NULL, 0);
}

static void test_early_stop(void) {
  seen s = {0};
  s.stop_after = 1;
  CHECK_INT(ce_enum_fonts(record, &s), CE_STOPPED);
  CHECK_INT(s.calls, 1);
  CHECK_STR(ce_error_detail(), "");
}

static void test_cancel(void) {
  ce_font_query q = CE_FONT_QUERY_INIT;
  volatile int flag = 1;
  seen s = {0};
  q.cancel = &flag;
  CHECK_INT(ce_enum_fonts_ex(&q, record, &s), CE_E_CANCELLED);
  CHECK_INT(s.calls, 0);
  CHECK(strstr(ce_error_detail(), "cancel") != NULL);

  /* Cancelled from inside the first callback: no second one. */
  flag = 0;
  memset(&s, 0, sizeof s);
  s.cancel_after_one = &flag;
  CHECK_INT(ce_enum_fonts_ex(&q, record, &s), CE_E_CANCELLED);
  CHECK_INT(s.calls, 1);
}

static void test_invalid(void) {
  ce_font_query q = CE_FONT_QUERY_INIT;
  CHECK_INT(ce_enum_fonts(NULL, NULL), CE_E_INVALID);
  CHECK(strstr(ce_error_detail(), "callback") != NULL);
  CHECK_INT(ce_enum_fonts_ex(NULL, record, NULL), CE_E_INVALID);
  q.size = 0;
  CHECK_INT(ce_enum_fonts_ex(&q, record, NULL), CE_E_INVALID);
  CHECK(strstr(ce_error_detail(), "ce_font_query.size") != NULL);
}

/* A zero-filled query (but for its size) lists everything. */
static void test_zero_query(void) {
  ce_font_query q;
  seen s = {0};
  memset(&q, 0, sizeof q);
  q.size = sizeof q;
  CHECK_INT(ce_enum_fonts_ex(&q, record, &s), CE_OK);
  CHECK_INT(s.calls, FACE_COUNT);
}

/* A callback may start another enumeration. */
static ce_next nested(const ce_font *font, void *ctx) {
  seen inner = {0};
  (void)font;
  CHECK_INT(ce_enum_fonts(record, &inner), CE_OK);
  CHECK_INT(inner.calls, FACE_COUNT);
  ++*(int *)ctx;
  return CE_CONTINUE;
}

static void test_nested(void) {
  int outer = 0;
  CHECK_INT(ce_enum_fonts(nested, &outer), CE_OK);
  CHECK_INT(outer, FACE_COUNT);
}

static void *enumerate_repeatedly(void *arg) {
  int *bad = arg;
  for (int round = 0; round < 20; round++) {
    seen s = {0};
    if (ce_enum_fonts(record, &s) != CE_OK || s.calls != FACE_COUNT)
      ++*bad;
  }
  return NULL;
}

static void test_threads(void) {
  pthread_t threads[4];
  int bad[4] = {0};
  for (int i = 0; i < 4; i++)
    REQUIRE(pthread_create(&threads[i], NULL, enumerate_repeatedly, &bad[i]) ==
            0);
  for (int i = 0; i < 4; i++) {
    pthread_join(threads[i], NULL);
    CHECK_INT(bad[i], 0);
  }
}

int main(void) {
  const char *dir = getenv("CENUM_TEST_FONT_DIR");
  REQUIRE(dir != NULL && strlen(dir) < sizeof font_dir);
  strcpy(font_dir, dir);

  test_every_face_once();
  test_filters();
  test_early_stop();
  test_cancel();
  test_invalid();
  test_zero_query();
  test_nested();
  test_threads();
  return check_finish();
}
