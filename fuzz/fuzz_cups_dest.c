/*
 * The CUPS mapping of a discovered destination (src/cups/records.c): a name
 * and the options libcups made of a DNS-SD TXT record, which anyone on the
 * network can send, map to a record with valid capped UTF-8 strings, a
 * state that is one of the three and state reasons without "none".
 *
 * Input: fields separated by NUL bytes: the name, the instance (none when
 * empty), then option name and value pairs. An option name of one byte
 * stands for one of the attributes the backend asks for (the options the
 * mapping reads have their names), so the fuzzer reaches them without
 * guessing their names.
 */
#include "cups/ce_cups.h"
#include "fuzz_check.h"

#include <stdlib.h>
#include <string.h>

#define MAX_OPTIONS 64

/* The next NUL-terminated field of the copy, or NULL at its end. */
static char *next_field(char **at, char *end) {
  char *field = *at;
  if (field >= end)
    return NULL;
  *at = field + strlen(field) + 1;
  return field;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int loaded = -1;
  ce__arena arena = CE__ARENA_INIT;
  cups_option_t options[MAX_OPTIONS];
  cups_dest_t dest;
  ce_printer p;
  char *copy, *at, *end, *field;

  if (loaded == -1)
    loaded = ce__cups_load();
  if (loaded != CE_OK)
    abort(); /* libcups.so.2 must be there for this target to mean anything */

  /* One NUL more, so the last field ends too. */
  copy = malloc(size + 1);
  if (copy == NULL)
    return 0;
  memcpy(copy, data, size);
  copy[size] = '\0';
  at = copy;
  end = copy + size + 1;

  memset(&dest, 0, sizeof dest);
  dest.name = next_field(&at, end);
  if (dest.name == NULL) {
    free(copy);
    return 0;
  }
  field = next_field(&at, end);
  dest.instance = field != NULL && field[0] != '\0' ? field : NULL;
  dest.options = options;
  while (dest.num_options < MAX_OPTIONS &&
         (field = next_field(&at, end)) != NULL) {
    cups_option_t *o = &options[dest.num_options];
    char *value = next_field(&at, end);
    o->name = strlen(field) == 1
                  ? (char *)ce__cups_requested[(unsigned char)field[0] %
                                               CE__CUPS_ATTR_COUNT]
                  : field;
    o->value = value != NULL ? value : (char *)"";
    dest.num_options++;
  }

  if (ce__cups_printer_from_dest(&dest, &arena, &p) != CE_OK)
    abort();
  if (p.size != sizeof p || !p.discovered || p.is_default)
    abort();
  fuzz_check_string(p.name, CE__CAP_NAME);
  fuzz_check_string(p.info, CE__CAP_TITLE);
  fuzz_check_string(p.location, CE__CAP_TITLE);
  fuzz_check_string(p.make_model, CE__CAP_TITLE);
  fuzz_check_string(p.uri, CE__CAP_TITLE);
  fuzz_check_string(p.state_message, CE__CAP_TITLE);
  if (p.state != CE_PRINTER_IDLE && p.state != CE_PRINTER_PROCESSING &&
      p.state != CE_PRINTER_STOPPED)
    abort();
  if (p.state_reason_count > 0 && p.state_reasons == NULL)
    abort();
  for (size_t i = 0; i < p.state_reason_count; i++) {
    fuzz_check_string(p.state_reasons[i], CE__CAP_NAME);
    if (p.state_reasons[i][0] == '\0' ||
        strcmp(p.state_reasons[i], "none") == 0)
      abort();
  }
  ce__arena_free(&arena);
  free(copy);
  return 0;
}
