/* SPDX-License-Identifier: MIT */
/* The printers floor (floor_printers.c), shared by the command and the
 * in-process benchmark. */
#ifndef BENCH_FLOOR_PRINTERS_H
#define BENCH_FLOOR_PRINTERS_H

#include <stddef.h>
#include <stdio.h>

/* Lists the queues with one cupsDoRequest, printing one line per queue to
 * `out` when it is not NULL; the number of queues, or -1 after printing why
 * it failed to stderr. */
long floor_printers(FILE *out);

/* What the records read add up to, so no read can be optimised away. */
extern size_t floor_checksum;

#endif
