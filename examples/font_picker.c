/* SPDX-License-Identifier: MIT */
/*
 * A font picker's list: every family once, in alphabetical order, with its
 * styles from the lightest to the heaviest.
 *
 *   font_picker [FAMILY]
 *
 * Prints each family, then one line per style with its OpenType weight
 * ("?" when unknown) and whether it is italic. With FAMILY, only that
 * family (cenum matches it exactly, ignoring ASCII case).
 */
#include <cenum.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct face {
  char *family;
  char *style;
  int weight; /* -1 unknown: sorted last */
  ce_slant slant;
} face;

typedef struct list {
  face *items;
  size_t count, capacity;
  int failed;
} list;

static char *copy(const char *text) {
  size_t size = strlen(text) + 1;
  char *out = malloc(size);
  if (out != NULL)
    memcpy(out, text, size);
  return out;
}

static ce_next add_face(const ce_font *font, void *ctx) {
  list *l = ctx;
  face *f;
  if (l->count == l->capacity) {
    size_t capacity = l->capacity ? 2 * l->capacity : 64;
    face *items = realloc(l->items, capacity * sizeof *items);
    if (items == NULL) {
      l->failed = 1;
      return CE_STOP;
    }
    l->items = items;
    l->capacity = capacity;
  }
  f = &l->items[l->count];
  f->family = copy(font->family);
  f->style = copy(font->style);
  if (f->family == NULL || f->style == NULL) {
    free(f->family);
    free(f->style);
    l->failed = 1;
    return CE_STOP;
  }
  f->weight = font->weight;
  f->slant = font->slant;
  l->count++;
  return CE_CONTINUE;
}

/* Families by name; within one, by weight (unknown last), roman before
 * italic, then by style name. */
static int by_family_then_weight(const void *a, const void *b) {
  const face *x = a, *y = b;
  unsigned wx = (unsigned)x->weight, wy = (unsigned)y->weight; /* -1: max */
  int c = strcmp(x->family, y->family);
  if (c != 0)
    return c;
  if (wx != wy)
    return wx < wy ? -1 : 1;
  if (x->slant != y->slant)
    return (int)x->slant - (int)y->slant;
  return strcmp(x->style, y->style);
}

int main(int argc, char **argv) {
  ce_font_query query = CE_FONT_QUERY_INIT;
  list l = {NULL, 0, 0, 0};
  size_t i;
  int status;

  if (argc > 1)
    query.family = argv[1];
  status = ce_enum_fonts_ex(&query, add_face, &l);
  if (l.failed) {
    fputs("font_picker: out of memory\n", stderr);
    return 1;
  }
  if (status < 0) {
    fprintf(stderr, "font_picker: %s: %s\n", ce_strerror(status),
            ce_error_detail());
    return 1;
  }
  qsort(l.items, l.count, sizeof *l.items, by_family_then_weight);
  for (i = 0; i < l.count; i++) {
    const face *f = &l.items[i];
    /* The same family and style from two files is listed once. */
    if (i > 0 && strcmp(f->family, l.items[i - 1].family) == 0 &&
        strcmp(f->style, l.items[i - 1].style) == 0)
      continue;
    if (i == 0 || strcmp(f->family, l.items[i - 1].family) != 0)
      printf("%s\n", f->family);
    if (f->weight < 0)
      printf("  %-24s    ?%s\n", f->style,
             f->slant != CE_SLANT_ROMAN ? " italic" : "");
    else
      printf("  %-24s %4d%s\n", f->style, f->weight,
             f->slant != CE_SLANT_ROMAN ? " italic" : "");
  }
  for (i = 0; i < l.count; i++) {
    free(l.items[i].family);
    free(l.items[i].style);
  }
  free(l.items);
  return 0;
}
