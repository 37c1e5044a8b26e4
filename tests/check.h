/* SPDX-License-Identifier: MIT */
/*
 * The few assertions cenum's tests use. A failed CHECK prints where and why
 * and makes the test fail at the end; REQUIRE also stops it.
 */
#ifndef CENUM_TESTS_CHECK_H
#define CENUM_TESTS_CHECK_H

#include "internal.h" /* ce__utf8_decode */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures;

static inline int check_that(int ok, const char *file, int line,
                             const char *text) {
  if (!ok) {
    fprintf(stderr, "%s:%d: CHECK failed: %s\n", file, line, text);
    check_failures++;
  }
  return ok;
}

#define CHECK(cond) check_that((cond) != 0, __FILE__, __LINE__, #cond)

#define REQUIRE(cond)                                                          \
  do {                                                                         \
    if (!CHECK(cond))                                                          \
      exit(1);                                                                 \
  } while (0)

#define CHECK_INT(actual, expected)                                            \
  do {                                                                         \
    long long a_ = (long long)(actual), e_ = (long long)(expected);            \
    if (a_ != e_) {                                                            \
      fprintf(stderr, "%s:%d: %s is %lld, expected %lld\n", __FILE__,          \
              __LINE__, #actual, a_, e_);                                      \
      check_failures++;                                                        \
    }                                                                          \
  } while (0)

#define CHECK_STR(actual, expected)                                            \
  do {                                                                         \
    const char *a_ = (actual), *e_ = (expected);                               \
    if (a_ == NULL || strcmp(a_, e_) != 0) {                                   \
      fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__,      \
              __LINE__, #actual, a_ ? a_ : "(null)", e_);                      \
      check_failures++;                                                        \
    }                                                                          \
  } while (0)

/* Whether s is valid UTF-8: a U+FFFD that the decoder reports must be a
 * genuine one (EF BF BD), not its stand-in for invalid bytes. */
static inline int check_valid_utf8(const char *s) {
  return ce__utf8_valid(s, strlen(s));
}

/* The exit status CTest reads as "skipped" (SKIP_RETURN_CODE). */
#define CHECK_SKIP 77

/*
 * A test that needs a server (Xvfb, cupsd, Wine) calls this when it is
 * missing: outside CI the test is skipped with the reason; in CI (CI set in
 * the environment) a missing server is a failure.
 */
static inline void check_require(int available, const char *what) {
  if (available)
    return;
  if (getenv("CI") != NULL && getenv("CI")[0] != '\0') {
    fprintf(stderr, "FAIL: %s is missing, and CI must not skip\n", what);
    exit(1);
  }
  fprintf(stderr, "SKIP: %s is missing\n", what);
  exit(CHECK_SKIP);
}

static inline int check_finish(void) {
  if (check_failures > 0) {
    fprintf(stderr, "%d check(s) failed\n", check_failures);
    return 1;
  }
  return 0;
}

#endif
