/* SPDX-License-Identifier: MIT */
/*
 * The floor for printers: the least work libcups needs to list the queues,
 * one CUPS-Get-Printers request for the 11 attributes cenum asks for,
 * through cupsDoRequest on a connection of its own, each attribute read
 * once into a record. Built twice: as the command bench_floor_printers,
 * which prints one line per queue (the fields, tab-separated, unescaped),
 * and into bench_printers as the in-process method "floor".
 */
#include "floor_printers.h"

#include <cups/cups.h>

#include <string.h>

static const char *const requested[] = {"printer-name",
                                        "printer-info",
                                        "printer-location",
                                        "printer-make-and-model",
                                        "device-uri",
                                        "printer-state",
                                        "printer-state-message",
                                        "printer-state-reasons",
                                        "printer-is-accepting-jobs",
                                        "printer-is-shared",
                                        "printer-type"};

typedef struct record {
  const char *name, *info, *location, *make_model, *uri, *message;
  ipp_attribute_t *reasons;
  int state, accepting, shared, is_default;
} record;

size_t floor_checksum;

static void finish(record *r, FILE *out, long *count) {
  if (r->name == NULL)
    return;
  ++*count;
  floor_checksum += strlen(r->name) + strlen(r->info) + strlen(r->location) +
                    strlen(r->make_model) + strlen(r->uri) +
                    strlen(r->message) + (size_t)r->state +
                    (size_t)r->accepting + (size_t)r->shared +
                    (size_t)r->is_default;
  if (out != NULL) {
    int n = r->reasons ? ippGetCount(r->reasons) : 0;
    fprintf(out, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t", r->name, r->info, r->location,
            r->make_model, r->uri, r->state, r->message);
    for (int i = 0; i < n; i++)
      fprintf(out, "%s%s", i ? "," : "", ippGetString(r->reasons, i, NULL));
    fprintf(out, "\t%d\t%d\t%d\n", r->accepting, r->shared, r->is_default);
  }
}

static const char *string_of(ipp_attribute_t *attr) {
  const char *s = ippGetString(attr, 0, NULL);
  return s ? s : "";
}

long floor_printers(FILE *out) {
  static const record empty = {"", "", "", "", "", "", NULL, 3, 0, 0, 0};
  http_t *http = httpConnect2(cupsServer(), ippPort(), NULL, AF_UNSPEC,
                              cupsEncryption(), 1, 30000, NULL);
  ipp_t *request, *response;
  record r = empty;
  long count = 0;

  if (http == NULL) {
    fprintf(stderr, "httpConnect2: %s\n", cupsLastErrorString());
    return -1;
  }
  request = ippNewRequest(IPP_OP_CUPS_GET_PRINTERS);
  ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD,
                "requested-attributes",
                (int)(sizeof requested / sizeof requested[0]), NULL, requested);
  ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name",
               NULL, cupsUser());
  response = cupsDoRequest(http, request, "/");
  if (response == NULL) {
    fprintf(stderr, "cupsDoRequest: %s\n", cupsLastErrorString());
    httpClose(http);
    return -1;
  }
  r.name = NULL;
  for (ipp_attribute_t *a = ippFirstAttribute(response); a != NULL;
       a = ippNextAttribute(response)) {
    const char *name = ippGetName(a);
    if (name == NULL || ippGetGroupTag(a) != IPP_TAG_PRINTER) {
      finish(&r, out, &count);
      r = empty;
      r.name = NULL;
      continue;
    }
    if (strcmp(name, "printer-name") == 0)
      r.name = string_of(a);
    else if (strcmp(name, "printer-info") == 0)
      r.info = string_of(a);
    else if (strcmp(name, "printer-location") == 0)
      r.location = string_of(a);
    else if (strcmp(name, "printer-make-and-model") == 0)
      r.make_model = string_of(a);
    else if (strcmp(name, "device-uri") == 0)
      r.uri = string_of(a);
    else if (strcmp(name, "printer-state") == 0)
      r.state = ippGetInteger(a, 0);
    else if (strcmp(name, "printer-state-message") == 0)
      r.message = string_of(a);
    else if (strcmp(name, "printer-state-reasons") == 0)
      r.reasons = a;
    else if (strcmp(name, "printer-is-accepting-jobs") == 0)
      r.accepting = ippGetBoolean(a, 0);
    else if (strcmp(name, "printer-is-shared") == 0)
      r.shared = ippGetBoolean(a, 0);
    else if (strcmp(name, "printer-type") == 0)
      r.is_default = (ippGetInteger(a, 0) & CUPS_PRINTER_DEFAULT) != 0;
  }
  finish(&r, out, &count);
  ippDelete(response);
  httpClose(http);
  return count;
}

#ifdef FLOOR_PRINTERS_MAIN
int main(void) { return floor_printers(stdout) < 0 ? 1 : 0; }
#endif
