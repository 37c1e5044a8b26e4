/* SPDX-License-Identifier: MIT */
/*
 * What a watch test was told: the set of keys it holds after each change,
 * so a test can compare it with a fresh listing by the reference tool.
 */
#ifndef CENUM_TESTS_TOLD_H
#define CENUM_TESTS_TOLD_H

#include <cenum.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOLD_MAX 4096

typedef struct told {
  char *keys[TOLD_MAX];
  size_t count;
  /* What the last dispatches delivered, for the test to inspect. */
  int added, removed, changed, errors;
  char last_key[4200];
} told;

static inline long told_find(const told *t, const char *key) {
  for (size_t i = 0; i < t->count; i++)
    if (strcmp(t->keys[i], key) == 0)
      return (long)i;
  return -1;
}

/* Applies one change; a change that contradicts what was told (an add of a
 * known key, a remove or change of an unknown one) counts as an error. */
static inline void told_apply(told *t, ce_change change, const char *key) {
  long at = told_find(t, key);
  snprintf(t->last_key, sizeof t->last_key, "%s", key);
  if (change == CE_ADDED) {
    t->added++;
    if (at >= 0 || t->count == TOLD_MAX) {
      fprintf(stderr, "told: %s added twice\n", key);
      t->errors++;
      return;
    }
    t->keys[t->count] = malloc(strlen(key) + 1);
    strcpy(t->keys[t->count++], key);
  } else if (change == CE_REMOVED) {
    t->removed++;
    if (at < 0) {
      fprintf(stderr, "told: unknown %s removed\n", key);
      t->errors++;
      return;
    }
    free(t->keys[at]);
    t->keys[at] = t->keys[--t->count];
  } else {
    t->changed++;
    if (at < 0) {
      fprintf(stderr, "told: unknown %s changed\n", key);
      t->errors++;
    }
  }
}

static inline void told_reset_counts(told *t) {
  t->added = t->removed = t->changed = 0;
}

static inline void told_free(told *t) {
  for (size_t i = 0; i < t->count; i++)
    free(t->keys[i]);
  t->count = 0;
}

static int told_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether the told keys are exactly the lines `command` prints (each line a
 * key); prints the difference when not. */
static inline int told_equals_command(told *t, const char *command) {
  char *lines[TOLD_MAX], buffer[4200];
  size_t n = 0;
  int equal;
  FILE *p = popen(command, "r");
  if (p == NULL)
    return 0;
  while (n < TOLD_MAX && fgets(buffer, sizeof buffer, p) != NULL) {
    buffer[strcspn(buffer, "\n")] = '\0';
    lines[n] = malloc(strlen(buffer) + 1);
    strcpy(lines[n++], buffer);
  }
  pclose(p);
  qsort(lines, n, sizeof *lines, told_cmp);
  qsort(t->keys, t->count, sizeof *t->keys, told_cmp);
  equal = n == t->count;
  for (size_t i = 0; equal && i < n; i++)
    equal = strcmp(lines[i], t->keys[i]) == 0;
  if (!equal) {
    fprintf(stderr, "told %zu, `%s` lists %zu:\n", t->count, command, n);
    for (size_t i = 0; i < t->count; i++)
      fprintf(stderr, "  told   %s\n", t->keys[i]);
    for (size_t i = 0; i < n; i++)
      fprintf(stderr, "  listed %s\n", lines[i]);
  }
  for (size_t i = 0; i < n; i++)
    free(lines[i]);
  return equal;
}

#endif
