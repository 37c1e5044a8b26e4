/*
 * Printers in-process: ce_enum_printers against cupsGetDests2, the call most
 * CUPS programs use to list their destinations, each reading the fields
 * cenum reports.
 */
#include "bench_common.h"

#include <cenum.h>
#include <cups/cups.h>

#include <stdio.h>
#include <string.h>

static size_t checksum;

static ce_next count_printer(const ce_printer *p, void *ctx) {
  long *records = ctx;
  checksum += strlen(p->name) + strlen(p->info) + strlen(p->location) +
              strlen(p->make_model) + strlen(p->uri) +
              strlen(p->state_message) + p->state_reason_count +
              (size_t)p->state + p->is_default + p->accepting + p->shared;
  ++*records;
  return CE_CONTINUE;
}

static long run_cenum(void) {
  long records = 0;
  ce_printer_query query = CE_PRINTER_QUERY_INIT;
  int status;
  query.timeout_ms = 600000;
  status = ce_enum_printers_ex(&query, count_printer, &records);
  return bench_cenum_result("ce_enum_printers", status, records);
}

static size_t option_length(const cups_dest_t *dest, const char *name) {
  const char *value = cupsGetOption(name, dest->num_options, dest->options);
  return value ? strlen(value) : 0;
}

static long run_cupsgetdests(void) {
  cups_dest_t *dests = NULL;
  int count = cupsGetDests2(CUPS_HTTP_DEFAULT, &dests);
  static const char *const names[] = {
      "printer-info",           "printer-location",
      "printer-make-and-model", "device-uri",
      "printer-state",          "printer-state-message",
      "printer-state-reasons",  "printer-is-accepting-jobs",
      "printer-is-shared"};

  if (count == 0 && cupsLastError() > IPP_STATUS_OK_EVENTS_COMPLETE) {
    fprintf(stderr, "cupsGetDests2: %s\n", cupsLastErrorString());
    return -1;
  }
  for (int i = 0; i < count; i++) {
    checksum += strlen(dests[i].name) + (size_t)dests[i].is_default;
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
      checksum += option_length(&dests[i], names[k]);
  }
  cupsFreeDests(count, dests);
  return count;
}

int main(int argc, char **argv) {
  static const bench_method methods[] = {
      {"cenum", run_cenum}, {"cupsgetdests", run_cupsgetdests}, {NULL, NULL}};
  int status = bench_main(argc, argv, methods);
  fprintf(stderr, "checksum %zu\n", checksum);
  return status;
}
