/*
 * What the in-process benchmark programs share: each offers a few methods
 * that list the same records, and bench_main() times the one the command
 * line names. The driver (run.py) runs one method per process, so the
 * process's peak RSS belongs to that method alone.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

/* Lists every record once; returns how many it saw, or -1 after printing
 * why it failed to stderr. */
typedef long (*bench_fn)(void);

typedef struct bench_method {
  const char *name;
  bench_fn run;
} bench_method;

/*
 * usage: PROGRAM --method NAME [--repeat R] [--warmup W] [--budget-ms B]
 * Runs the method W times untimed (default 1: the first call loads shared
 * libraries and caches that every later call reuses; a warm-up longer than a
 * second counts as a run), then up to R runs in all (default 5), printing
 * "run NANOSECONDS RECORDS" for each; it stops early once the runs took
 * more than B milliseconds, after three runs or after one that alone took
 * longer than that. `methods` ends with a
 * NULL name. Returns the process exit status.
 */
int bench_main(int argc, char **argv, const bench_method *methods);

/* What a method that ran one cenum enumeration returns: `records` when
 * `status` (what `call` returned) is CE_OK, else -1 after printing the
 * failure and its detail. */
long bench_cenum_result(const char *call, int status, long records);

#endif
