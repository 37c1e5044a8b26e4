/*
 * The CUPS attribute mapping (src/cups/records.c): any IPP message a server
 * sends, read by libcups as the backend reads it, maps to records whose
 * strings are valid UTF-8 within their caps and whose state is one of the
 * three. libcups is reached through the backend's own dlopen table.
 *
 * Input: an IPP message (a CUPS-Get-Printers response, as seeds).
 */
#include "cups/ce_cups.h"
#include "fuzz_check.h"

#include <stdlib.h>
#include <string.h>

typedef struct source {
  const uint8_t *data;
  size_t size, at;
} source;

/* ippReadIO's callback over the input, as a file would give it. */
static ssize_t read_source(void *context, ipp_uchar_t *buffer, size_t bytes) {
  source *s = context;
  size_t n = s->size - s->at < bytes ? s->size - s->at : bytes;
  memcpy(buffer, s->data + s->at, n);
  s->at += n;
  return (ssize_t)n;
}

static void check_printer(const ce_printer *p) {
  if (p->size != sizeof *p)
    abort();
  fuzz_check_string(p->name, CE__CAP_NAME);
  fuzz_check_string(p->info, CE__CAP_TITLE);
  fuzz_check_string(p->location, CE__CAP_TITLE);
  fuzz_check_string(p->make_model, CE__CAP_TITLE);
  fuzz_check_string(p->uri, CE__CAP_TITLE);
  fuzz_check_string(p->state_message, CE__CAP_TITLE);
  if (p->state != CE_PRINTER_IDLE && p->state != CE_PRINTER_PROCESSING &&
      p->state != CE_PRINTER_STOPPED)
    abort();
  if (p->state_reason_count > 0 && p->state_reasons == NULL)
    abort();
  for (size_t i = 0; i < p->state_reason_count; i++) {
    /* "none" says there are none, and an empty reason is no reason. */
    fuzz_check_string(p->state_reasons[i], CE__CAP_NAME);
    if (p->state_reasons[i][0] == '\0' ||
        strcmp(p->state_reasons[i], "none") == 0)
      abort();
  }
  if (p->discovered)
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int loaded = -1;
  source src = {data, size, 0};
  ce__arena arena = CE__ARENA_INIT;
  ipp_attribute_t *cursor;
  ipp_t *response;
  ipp_state_t state;
  size_t attributes = 0, groups = 0;

  if (loaded == -1)
    loaded = ce__cups_load();
  if (loaded != CE_OK)
    abort(); /* libcups.so.2 must be there for this target to mean anything */

  response = ce__cups.ippNew();
  if (response == NULL)
    abort();
  do
    state = ce__cups.ippReadIO(&src, read_source, 1, NULL, response);
  while (state != IPP_STATE_DATA && state != IPP_STATE_ERROR);
  /* The backend maps only a message it read whole. */
  if (state == IPP_STATE_ERROR) {
    ce__cups.ippDelete(response);
    return 0;
  }

  for (cursor = ce__cups.ippFirstAttribute(response); cursor != NULL;
       cursor = ce__cups.ippNextAttribute(response))
    attributes++;

  /* As deliver_response in src/cups/printers.c walks it. */
  cursor = ce__cups.ippFirstAttribute(response);
  ce__cups_next_printer_group(response, &cursor);
  while (cursor != NULL) {
    ce_printer printer;
    int built = ce__cups_printer_from_ipp(response, &cursor, &arena, &printer);
    /* A group without a name is skipped; out of memory a fuzzer run is not. */
    if (built == CE_OK)
      check_printer(&printer);
    else if (built != CE__SKIP || printer.name[0] != '\0')
      abort();
    ce__arena_reset(&arena);
    /* Every group uses at least one attribute: the walk ends. */
    if (++groups > attributes)
      abort();
  }
  ce__arena_free(&arena);
  ce__cups.ippDelete(response);
  return 0;
}
