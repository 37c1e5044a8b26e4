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
  /* The record as last told, when the test keeps one ("" otherwise): what
   * told_lines compares after the key. */
  char *values[TOLD_MAX];
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
static inline char *told_dup(const char *text) {
  char *copy = malloc(strlen(text) + 1);
  if (copy == NULL)
    abort();
  return strcpy(copy, text);
}

static inline void told_apply_value(told *t, ce_change change, const char *key,
                                    const char *value);

static inline void told_apply(told *t, ce_change change, const char *key) {
  told_apply_value(t, change, key, "");
}

static inline void told_apply_value(told *t, ce_change change, const char *key,
                                    const char *value) {
  long at = told_find(t, key);
  snprintf(t->last_key, sizeof t->last_key, "%s", key);
  if (change == CE_ADDED) {
    t->added++;
    if (at >= 0 || t->count == TOLD_MAX) {
      fprintf(stderr, "told: %s added twice\n", key);
      t->errors++;
      return;
    }
    t->values[t->count] = told_dup(value);
    t->keys[t->count++] = told_dup(key);
  } else if (change == CE_REMOVED) {
    t->removed++;
    if (at < 0) {
      fprintf(stderr, "told: unknown %s removed\n", key);
      t->errors++;
      return;
    }
    free(t->keys[at]);
    free(t->values[at]);
    t->count--;
    t->keys[at] = t->keys[t->count];
    t->values[at] = t->values[t->count];
  } else {
    t->changed++;
    if (at < 0) {
      fprintf(stderr, "told: unknown %s changed\n", key);
      t->errors++;
      return;
    }
    free(t->values[at]);
    t->values[at] = told_dup(value);
  }
}

static inline void told_reset_counts(told *t) {
  t->added = t->removed = t->changed = 0;
}

static inline void told_free(told *t) {
  for (size_t i = 0; i < t->count; i++) {
    free(t->keys[i]);
    free(t->values[i]);
  }
  t->count = 0;
}

/* Set to keep told_equals_lines from printing a difference (for a test
 * that compares again while changes are still in flight). */
static int told_quiet;

static int told_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether the told records, one line each ("key" or "key\tvalue" when the
 * value is not ""), are exactly `lines`; prints the difference when not.
 * Sorts `lines`. */
static inline int told_equals_lines(const told *t, char **lines, size_t n) {
  char *mine[TOLD_MAX];
  int equal;
  for (size_t i = 0; i < t->count; i++) {
    size_t size = strlen(t->keys[i]) + strlen(t->values[i]) + 2;
    mine[i] = malloc(size);
    snprintf(mine[i], size, "%s%s%s", t->keys[i], t->values[i][0] ? "\t" : "",
             t->values[i]);
  }
  qsort(lines, n, sizeof *lines, told_cmp);
  qsort(mine, t->count, sizeof *mine, told_cmp);
  equal = n == t->count;
  for (size_t i = 0; equal && i < n; i++)
    equal = strcmp(lines[i], mine[i]) == 0;
  if (!equal && !told_quiet) {
    fprintf(stderr, "told %zu, listed %zu:\n", t->count, n);
    for (size_t i = 0; i < t->count; i++)
      fprintf(stderr, "  told   %s\n", mine[i]);
    for (size_t i = 0; i < n; i++)
      fprintf(stderr, "  listed %s\n", lines[i]);
  }
  for (size_t i = 0; i < t->count; i++)
    free(mine[i]);
  return equal;
}

/* The same against the lines `command` prints. */
static inline int told_equals_command(const told *t, const char *command) {
  char *lines[TOLD_MAX], buffer[4200];
  size_t n = 0;
  int equal;
  FILE *p = popen(command, "r");
  if (p == NULL)
    return 0;
  while (n < TOLD_MAX && fgets(buffer, sizeof buffer, p) != NULL) {
    buffer[strcspn(buffer, "\n")] = '\0';
    lines[n++] = told_dup(buffer);
  }
  pclose(p);
  equal = told_equals_lines(t, lines, n);
  for (size_t i = 0; i < n; i++)
    free(lines[i]);
  return equal;
}

/* How a windows test writes a record: its key, or the fields it compares. */
typedef void (*told_window_text)(const ce_window *w, char *out, size_t size);

typedef struct told_fresh {
  told_window_text key_of, value_of;
  char *lines[TOLD_MAX];
  size_t count;
} told_fresh;

static inline ce_next told_collect_window(const ce_window *w, void *ctx) {
  told_fresh *f = ctx;
  char key[32], value[1200], line[1300];
  f->key_of(w, key, sizeof key);
  f->value_of(w, value, sizeof value);
  snprintf(line, sizeof line, "%s\t%s", key, value);
  if (f->count < TOLD_MAX)
    f->lines[f->count++] = told_dup(line);
  return CE_CONTINUE;
}

/* The promise: whether what `t` was told equals a fresh ce_enum_windows_ex
 * with the default query, each record written by `key_of` and `value_of`
 * as the test's callback writes it. Needs check.h. */
static inline int told_equals_windows(const told *t, told_window_text key_of,
                                      told_window_text value_of) {
  ce_window_query q = CE_WINDOW_QUERY_INIT;
  told_fresh *f = calloc(1, sizeof *f);
  int equal;
  if (f == NULL)
    abort();
  f->key_of = key_of;
  f->value_of = value_of;
  CHECK_INT(ce_enum_windows_ex(&q, told_collect_window, f), CE_OK);
  equal = told_equals_lines(t, f->lines, f->count);
  for (size_t i = 0; i < f->count; i++)
    free(f->lines[i]);
  free(f);
  return equal;
}

/*
 * Dispatches `w` (100 ms each) until `what` holds, for up to `tries`
 * dispatches; a dispatch failure counts as a test failure unless
 * `failures_expected` (a service being stopped), and is printed either way.
 * Needs check.h.
 */
#define DISPATCH_UNTIL_TRIES(w, what, tries, failures_expected)                \
  do {                                                                         \
    for (int i_ = 0; i_ < (tries) && !(what); i_++) {                          \
      int s_ = ce_watch_dispatch(w, 100);                                      \
      if (s_ != CE_OK) {                                                       \
        fprintf(stderr, "%s:%d: dispatch: %s: %s\n", __FILE__, __LINE__,       \
                ce_status_name(s_), ce_error_detail());                        \
        if (!(failures_expected))                                              \
          check_failures++;                                                    \
      }                                                                        \
    }                                                                          \
    CHECK(what);                                                               \
  } while (0)

/* Dispatches `w` (100 ms each) until it told `t` nothing for half a second,
 * for up to 20 s; every dispatch must succeed. Needs check.h. */
static inline void told_settle(told *t, ce_watch *w) {
  int quiet = 0;
  for (int i = 0; i < 200 && quiet < 5; i++) {
    int before = t->added + t->removed + t->changed;
    CHECK_INT(ce_watch_dispatch(w, 100), CE_OK);
    quiet = t->added + t->removed + t->changed == before ? quiet + 1 : 0;
  }
}

/* The promise, modulo changes in flight (a window manager or compositor
 * still busy with a burst changes windows after a quiet half second):
 * settles and asks `matches` (told equals a fresh enumeration) up to ten
 * times, the last one printing what differs. */
static inline int told_settles(told *t, ce_watch *w, int (*matches)(void)) {
  for (int i = 0; i < 10; i++) {
    int equal;
    told_settle(t, w);
    told_quiet = i < 9;
    equal = matches();
    told_quiet = 0;
    if (equal)
      return 1;
  }
  return 0;
}

#endif
