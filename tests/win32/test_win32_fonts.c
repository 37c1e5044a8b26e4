/*
 * Fonts with EnumFontFamiliesExW: each (family, style) once, although GDI
 * reports a face once per character set; the family and monospace filters.
 * Under Wine (CENUM_TEST_WINE set) the fonts are the private fontconfig
 * configuration's six DejaVu faces, with their files; on Windows, Courier
 * New, which every Windows has.
 */
#include "check.h"
#include "win32_test.h"

#include "cenum.h"

#include <windows.h>

#define MAX_FACES 20000

typedef struct face {
  char family[128], style[128], path[512];
  int weight, monospace;
} face;

typedef struct list {
  face *faces;
  int count;
} list;

static ce_next on_font(const ce_font *f, void *ctx) {
  list *l = ctx;
  face *out;
  CHECK(f->size == sizeof *f);
  CHECK(f->family[0] != '\0' && f->family[0] != '@');
  CHECK(f->fullname != NULL && f->postscript_name != NULL && f->format);
  if (l->count >= MAX_FACES)
    return CE_STOP;
  out = &l->faces[l->count++];
  snprintf(out->family, sizeof out->family, "%s", f->family);
  snprintf(out->style, sizeof out->style, "%s", f->style);
  snprintf(out->path, sizeof out->path, "%s", f->path);
  out->weight = f->weight;
  out->monospace = f->monospace;
  return CE_CONTINUE;
}

static int by_name(const void *a, const void *b) {
  const face *x = a, *y = b;
  int c = strcmp(x->family, y->family);
  return c != 0 ? c : strcmp(x->style, y->style);
}

static list run(const char *family, int monospace_only) {
  ce_font_query q = CE_FONT_QUERY_INIT;
  list l;
  int status;
  l.faces = calloc(MAX_FACES, sizeof *l.faces);
  l.count = 0;
  REQUIRE(l.faces != NULL);
  q.family = family;
  q.monospace_only = monospace_only;
  q.timeout_ms = 60000;
  status = ce_enum_fonts_ex(&q, on_font, &l);
  if (status != CE_OK)
    fprintf(stderr, "ce_enum_fonts_ex: %s: %s\n", ce_status_name(status),
            ce_error_detail());
  CHECK_INT(status, CE_OK);
  return l;
}

WIN32_STOP_AT_FIRST(stop_at_first, ce_font)

int main(void) {
  int wine = getenv("CENUM_TEST_WINE") != NULL;
  const char *family = wine ? "DejaVu Sans Mono" : "Courier New";
  const char *asked = wine ? "dejavu SANS mono" : "courier new";
  list all = run(NULL, 0), mono = run(NULL, 1), one = run(asked, 0);
  list none = run("No Such Family cenum", 0);
  list too_long = run("A family name far longer than GDI's limit", 0);
  int in_family = 0, monospace = 0;

  REQUIRE(all.count > 0);
  /* No (family, style) twice. */
  qsort(all.faces, (size_t)all.count, sizeof *all.faces, by_name);
  for (int i = 1; i < all.count; i++)
    if (by_name(&all.faces[i - 1], &all.faces[i]) == 0) {
      fprintf(stderr, "twice: %s / %s\n", all.faces[i].family,
              all.faces[i].style);
      CHECK(0);
    }
  for (int i = 0; i < all.count; i++) {
    in_family += strcmp(all.faces[i].family, family) == 0;
    monospace += all.faces[i].monospace;
  }

  /* The family filter, ASCII case-insensitive, gives that family's faces. */
  CHECK_INT(one.count, in_family);
  for (int i = 0; i < one.count; i++)
    CHECK_STR(one.faces[i].family, family);
  CHECK_INT(none.count, 0);
  CHECK_INT(too_long.count, 0);
  /* The monospace filter gives exactly the monospace faces. */
  CHECK_INT(mono.count, monospace);
  for (int i = 0; i < mono.count; i++)
    CHECK(mono.faces[i].monospace);
  CHECK(monospace >= (wine ? 2 : 4));

  qsort(one.faces, (size_t)one.count, sizeof *one.faces, by_name);
  if (wine) {
    /* The private configuration's DejaVu Sans Mono: Book and Bold, with
     * the files Wine registered for them. */
    CHECK_INT(one.count, 2);
    if (one.count == 2) {
      CHECK_STR(one.faces[0].style, "Bold");
      CHECK_INT(one.faces[0].weight, 700);
      CHECK_STR(win32_base_name(one.faces[0].path), "DejaVuSansMono-Bold.ttf");
      CHECK_STR(one.faces[1].style, "Book");
      CHECK_INT(one.faces[1].weight, 400);
      CHECK_STR(win32_base_name(one.faces[1].path), "DejaVuSansMono.ttf");
      CHECK(one.faces[0].monospace && one.faces[1].monospace);
    }
    /* The six DejaVu faces of the private configuration, each once (Wine
     * may list faces of its own besides: they are not counted). */
    {
      int dejavu = 0;
      for (int i = 0; i < all.count; i++)
        dejavu += strncmp(all.faces[i].family, "DejaVu ", 7) == 0;
      CHECK_INT(dejavu, 6);
    }
  } else {
    /* Courier New: Regular, Bold, Italic, Bold Italic, from cour*.ttf. */
    CHECK_INT(one.count, 4);
    for (int i = 0; i < one.count; i++) {
      CHECK(one.faces[i].monospace);
      CHECK(_strnicmp(win32_base_name(one.faces[i].path), "cour", 4) == 0);
    }
  }

  WIN32_CHECK_STOP_AND_CANCEL(ce_font_query, CE_FONT_QUERY_INIT,
                              ce_enum_fonts_ex, stop_at_first);

  free(all.faces);
  free(mono.faces);
  free(one.faces);
  free(none.faces);
  free(too_long.faces);
  return check_finish();
}
