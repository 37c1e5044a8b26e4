/* SPDX-License-Identifier: MIT */
/*
 * A window switcher's list: the windows a task bar shows (apps_only),
 * grouped by class, the focused window first within its group and its
 * group first of all.
 *
 *   window_switcher
 *
 * Prints each class, then its windows: "*" marks the focused one, then the
 * window id and its title. cenum's records live only during the callback,
 * so the program copies what it keeps.
 */
#include <cenum.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
  char *class_name;
  char *title;
  unsigned long long id;
  int focused;
  size_t order; /* stacking order, topmost first */
} entry;

typedef struct list {
  entry *items;
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

static ce_next add_window(const ce_window *w, void *ctx) {
  list *l = ctx;
  entry *e;
  if (l->count == l->capacity) {
    size_t capacity = l->capacity ? 2 * l->capacity : 16;
    entry *items = realloc(l->items, capacity * sizeof *items);
    if (items == NULL) {
      l->failed = 1;
      return CE_STOP;
    }
    l->items = items;
    l->capacity = capacity;
  }
  e = &l->items[l->count];
  e->class_name = copy(w->class_name);
  e->title = copy(w->title);
  if (e->class_name == NULL || e->title == NULL) {
    free(e->class_name);
    free(e->title);
    l->failed = 1;
    return CE_STOP;
  }
  e->id = (unsigned long long)w->id;
  /* `focused` came with cenum 0.2: a 0.1 library does not fill it. */
  e->focused = CE_HAS_FIELD(w, ce_window, focused) && w->focused;
  e->order = l->count++;
  return CE_CONTINUE;
}

/* The class of the focused window, so its group can come first. */
static const char *focused_class;

static int by_group(const void *a, const void *b) {
  const entry *x = a, *y = b;
  int x_first = focused_class && strcmp(x->class_name, focused_class) == 0;
  int y_first = focused_class && strcmp(y->class_name, focused_class) == 0;
  int c;
  if (x_first != y_first)
    return y_first - x_first;
  c = strcmp(x->class_name, y->class_name);
  if (c != 0)
    return c;
  if (x->focused != y->focused)
    return y->focused - x->focused;
  return x->order < y->order ? -1 : x->order > y->order;
}

int main(void) {
  ce_window_query query = CE_WINDOW_QUERY_INIT;
  list l = {NULL, 0, 0, 0};
  size_t i;
  int status;

  query.apps_only = true; /* what a task bar shows */
  status = ce_enum_windows_ex(&query, add_window, &l);
  if (l.failed) {
    fputs("window_switcher: out of memory\n", stderr);
    return 1;
  }
  if (status < 0) {
    fprintf(stderr, "window_switcher: %s: %s\n", ce_strerror(status),
            ce_error_detail());
    return 1;
  }
  for (i = 0; i < l.count; i++)
    if (l.items[i].focused)
      focused_class = l.items[i].class_name;
  qsort(l.items, l.count, sizeof *l.items, by_group);

  for (i = 0; i < l.count; i++) {
    const entry *e = &l.items[i];
    if (i == 0 || strcmp(e->class_name, l.items[i - 1].class_name) != 0)
      printf("%s\n", e->class_name[0] ? e->class_name : "(no class)");
    printf("  %c 0x%08llx %s\n", e->focused ? '*' : ' ', e->id, e->title);
  }
  for (i = 0; i < l.count; i++) {
    free(l.items[i].class_name);
    free(l.items[i].title);
  }
  free(l.items);
  return 0;
}
