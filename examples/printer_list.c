/* SPDX-License-Identifier: MIT */
/*
 * A print dialog's printer list: the default destination first, then the
 * others by name; a stopped queue or one that refuses jobs is marked, with
 * the reason the server gives.
 *
 *   printer_list
 *
 * Prints one queue a line: its name (with "/instance" for an lpoptions
 * instance), its description, and in brackets "default", "stopped: why" or
 * "not accepting jobs".
 */
#include <cenum.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
  char *name;
  char *info;
  char *message;
  int is_default, stopped, accepting;
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

/* "name" or "name/instance" (instances came with cenum 0.2). */
static char *display_name(const ce_printer *p) {
  const char *instance =
      CE_HAS_FIELD(p, ce_printer, instance) ? p->instance : "";
  size_t name = strlen(p->name), extra = strlen(instance);
  char *out = malloc(name + extra + 2);
  if (out == NULL)
    return NULL;
  memcpy(out, p->name, name);
  out[name] = '\0';
  if (extra > 0) {
    out[name] = '/';
    memcpy(out + name + 1, instance, extra + 1);
  }
  return out;
}

static ce_next add_printer(const ce_printer *p, void *ctx) {
  list *l = ctx;
  entry *e;
  const char *why = p->state_message;
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
  /* No message: the first state reason ("paused") says why. */
  if (why[0] == '\0' && p->state_reason_count > 0)
    why = p->state_reasons[0];
  e = &l->items[l->count];
  e->name = display_name(p);
  e->info = copy(p->info);
  e->message = copy(why);
  if (e->name == NULL || e->info == NULL || e->message == NULL) {
    free(e->name);
    free(e->info);
    free(e->message);
    l->failed = 1;
    return CE_STOP;
  }
  e->is_default = p->is_default;
  e->stopped = p->state == CE_PRINTER_STOPPED;
  e->accepting = p->accepting;
  l->count++;
  return CE_CONTINUE;
}

static int default_first(const void *a, const void *b) {
  const entry *x = a, *y = b;
  if (x->is_default != y->is_default)
    return y->is_default - x->is_default;
  return strcmp(x->name, y->name);
}

int main(void) {
  list l = {NULL, 0, 0, 0};
  size_t i;
  int status = ce_enum_printers(add_printer, &l);

  if (l.failed) {
    fputs("printer_list: out of memory\n", stderr);
    return 1;
  }
  if (status < 0) {
    fprintf(stderr, "printer_list: %s: %s\n", ce_strerror(status),
            ce_error_detail());
    return 1;
  }
  qsort(l.items, l.count, sizeof *l.items, default_first);
  for (i = 0; i < l.count; i++) {
    const entry *e = &l.items[i];
    printf("%s\t%s", e->name, e->info);
    if (e->is_default)
      printf("\t[default]");
    if (e->stopped)
      printf("\t[stopped: %s]", e->message[0] ? e->message : "no reason given");
    if (!e->accepting)
      printf("\t[not accepting jobs]");
    putchar('\n');
    free(e->name);
    free(e->info);
    free(e->message);
  }
  free(l.items);
  return 0;
}
