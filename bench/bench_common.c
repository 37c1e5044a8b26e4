#include "bench_common.h"

#include <cenum.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int usage(const char *program, const bench_method *methods) {
  fprintf(stderr,
          "usage: %s --method NAME [--repeat R] [--warmup W] [--budget-ms B]\n"
          "methods:",
          program);
  for (const bench_method *m = methods; m->name; m++)
    fprintf(stderr, " %s", m->name);
  fputc('\n', stderr);
  return 2;
}

int bench_main(int argc, char **argv, const bench_method *methods) {
  const bench_method *method = NULL;
  int repeat = 5, warmup = 1, done = 0;
  long long budget_ms = 0, total = 0;

  for (int i = 1; i < argc; i++) {
    if (i + 1 == argc)
      return usage(argv[0], methods);
    if (strcmp(argv[i], "--method") == 0) {
      const char *name = argv[++i];
      for (const bench_method *m = methods; m->name; m++)
        if (strcmp(m->name, name) == 0)
          method = m;
    } else if (strcmp(argv[i], "--repeat") == 0) {
      repeat = atoi(argv[++i]);
    } else if (strcmp(argv[i], "--budget-ms") == 0) {
      budget_ms = atoll(argv[++i]);
    } else if (strcmp(argv[i], "--warmup") == 0) {
      warmup = atoi(argv[++i]);
    } else {
      return usage(argv[0], methods);
    }
  }
  if (method == NULL || repeat < 1 || warmup < 0)
    return usage(argv[0], methods);

  for (int i = 0; i < warmup; i++) {
    long long start = now_ns();
    long records = method->run();
    long long elapsed = now_ns() - start;
    if (records < 0)
      return 1;
    /* A warm-up that took over a second is a run like any other: what it
     * warmed matters little next to its length, and the slowest cases
     * (behind the 5 ms proxy) can afford only one run. */
    if (elapsed > 1000000000LL) {
      printf("run %lld %ld\n", elapsed, records);
      fflush(stdout);
      total += elapsed;
      done++;
      if (budget_ms > 0 && elapsed > budget_ms * 1000000LL)
        return 0;
    }
  }
  for (; done < repeat; done++) {
    long long start = now_ns();
    long records = method->run();
    long long elapsed = now_ns() - start;
    if (records < 0)
      return 1;
    printf("run %lld %ld\n", elapsed, records);
    fflush(stdout);
    total += elapsed;
    if (budget_ms > 0 && total > budget_ms * 1000000LL &&
        (done + 1 >= 3 || elapsed > budget_ms * 1000000LL))
      break;
  }
  return 0;
}

long bench_cenum_result(const char *call, int status, long records) {
  if (status == CE_OK)
    return records;
  fprintf(stderr, "%s: %s: %s\n", call, ce_status_name(status),
          ce_error_detail());
  return -1;
}
