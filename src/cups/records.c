/*
 * The records made of what the print server sent. Everything the server
 * sent is untrusted: strings go through the arena with a cap, and an
 * attribute with an unexpected type or count counts as missing.
 */
#include "ce_cups.h"

#include <string.h>

#define CE__CUPS_ATTR_NAME_(id, name) name,
const char *const ce__cups_requested[CE__CUPS_ATTR_COUNT] = {
    CE__CUPS_ATTRIBUTES(CE__CUPS_ATTR_NAME_)};

/* Which requested attribute `name` is; CE__CUPS_ATTR_COUNT for one the
 * records do not use (a server may send more than was asked). */
static ce__cups_attribute attribute_of(const char *name) {
  int i = 0;
  while (i < CE__CUPS_ATTR_COUNT && strcmp(name, ce__cups_requested[i]) != 0)
    i++;
  return (ce__cups_attribute)i;
}

static ce_printer_state state_of(int ipp_state) {
  switch (ipp_state) {
  case IPP_PSTATE_PROCESSING:
    return CE_PRINTER_PROCESSING;
  case IPP_PSTATE_STOPPED:
    return CE_PRINTER_STOPPED;
  default:
    /* Idle, and anything a broken server may send. */
    return CE_PRINTER_IDLE;
  }
}

/* Every field empty, so a missing attribute reads as "" or false. */
static void clear_record(ce_printer *printer) {
  memset(printer, 0, sizeof *printer);
  printer->size = sizeof *printer;
  printer->name = printer->info = printer->location = printer->make_model =
      printer->uri = printer->state_message = printer->instance = "";
  printer->state = CE_PRINTER_IDLE;
}

/* Whether any string field is NULL, that is, the arena ran out of memory. */
static int lacks_memory(const ce_printer *p) {
  return !p->name || !p->info || !p->location || !p->make_model || !p->uri ||
         !p->state_message;
}

static int out_of_memory(void) {
  return ce__fail(CE_E_NOMEM, "CUPS: out of memory for a record");
}

/* ------------------------------------------------------------ IPP group -- */

static int is_printer_attribute(ipp_attribute_t *attr) {
  return ce__cups.ippGetName(attr) != NULL &&
         ce__cups.ippGetGroupTag(attr) == IPP_TAG_PRINTER;
}

void ce__cups_next_printer_group(ipp_t *response, ipp_attribute_t **cursor) {
  while (*cursor != NULL && !is_printer_attribute(*cursor))
    *cursor = ce__cups.ippNextAttribute(response);
}

/* The first value of a string-valued attribute, copied; NULL out of memory. */
static const char *copy_string(ipp_attribute_t *attr, ce__arena *arena,
                               size_t cap) {
  /* ippGetString gives NULL for an attribute that holds no string. */
  return ce__arena_cstr(arena, ce__cups.ippGetString(attr, 0, NULL), cap);
}

static int get_integer(ipp_attribute_t *attr, int *out) {
  ipp_tag_t tag = ce__cups.ippGetValueTag(attr);
  if ((tag != IPP_TAG_ENUM && tag != IPP_TAG_INTEGER) ||
      ce__cups.ippGetCount(attr) < 1)
    return 0;
  *out = ce__cups.ippGetInteger(attr, 0);
  return 1;
}

static bool get_boolean(ipp_attribute_t *attr) {
  return ce__cups.ippGetValueTag(attr) == IPP_TAG_BOOLEAN &&
         ce__cups.ippGetCount(attr) >= 1 && ce__cups.ippGetBoolean(attr, 0);
}

/* The state reasons, "none" left out (it says that there are none). */
static int copy_reasons(ipp_attribute_t *attr, ce__arena *arena,
                        ce_printer *printer) {
  int count = ce__cups.ippGetCount(attr);
  const char **reasons;
  size_t n = 0;

  printer->state_reasons = NULL;
  printer->state_reason_count = 0;
  if (count <= 0)
    return CE_OK;
  reasons = ce__arena_alloc(arena, (size_t)count * sizeof *reasons);
  if (reasons == NULL)
    return CE_E_NOMEM;
  for (int i = 0; i < count; i++) {
    const char *reason = ce__cups.ippGetString(attr, i, NULL);
    if (reason == NULL || reason[0] == '\0' || strcmp(reason, "none") == 0)
      continue;
    if ((reasons[n] = ce__arena_cstr(arena, reason, CE__CAP_NAME)) == NULL)
      return CE_E_NOMEM;
    n++;
  }
  printer->state_reasons = reasons;
  printer->state_reason_count = n;
  return CE_OK;
}

/* Reads one attribute into the record; CE_OK, or CE_E_NOMEM (no detail). */
static int read_attribute(ipp_attribute_t *attr, ce__arena *arena,
                          ce_printer *printer) {
  int number;
  switch (attribute_of(ce__cups.ippGetName(attr))) {
  case CE__CUPS_ATTR_NAME:
    printer->name = copy_string(attr, arena, CE__CAP_NAME);
    break;
  case CE__CUPS_ATTR_INFO:
    printer->info = copy_string(attr, arena, CE__CAP_TITLE);
    break;
  case CE__CUPS_ATTR_LOCATION:
    printer->location = copy_string(attr, arena, CE__CAP_TITLE);
    break;
  case CE__CUPS_ATTR_MAKE_MODEL:
    printer->make_model = copy_string(attr, arena, CE__CAP_TITLE);
    break;
  case CE__CUPS_ATTR_URI:
    printer->uri = copy_string(attr, arena, CE__CAP_TITLE);
    break;
  case CE__CUPS_ATTR_STATE_MESSAGE:
    printer->state_message = copy_string(attr, arena, CE__CAP_TITLE);
    break;
  case CE__CUPS_ATTR_STATE:
    printer->state =
        get_integer(attr, &number) ? state_of(number) : CE_PRINTER_IDLE;
    break;
  case CE__CUPS_ATTR_STATE_REASONS:
    return copy_reasons(attr, arena, printer);
  case CE__CUPS_ATTR_ACCEPTING:
    printer->accepting = get_boolean(attr);
    break;
  case CE__CUPS_ATTR_SHARED:
    printer->shared = get_boolean(attr);
    break;
  case CE__CUPS_ATTR_TYPE:
    printer->is_default = get_integer(attr, &number) &&
                          ((unsigned)number & CUPS_PRINTER_DEFAULT) != 0;
    break;
  case CE__CUPS_ATTR_COUNT:
    break;
  }
  return lacks_memory(printer) ? CE_E_NOMEM : CE_OK;
}

int ce__cups_printer_from_ipp(ipp_t *response, ipp_attribute_t **cursor,
                              ce__arena *arena, ce_printer *printer) {
  ipp_attribute_t *attr;
  int status = CE_OK;

  clear_record(printer);
  for (attr = *cursor; attr != NULL && is_printer_attribute(attr);
       attr = ce__cups.ippNextAttribute(response))
    if (status == CE_OK)
      status = read_attribute(attr, arena, printer);
  *cursor = attr;
  ce__cups_next_printer_group(response, cursor);
  if (status != CE_OK)
    return out_of_memory();
  /* A group without a name is no queue anyone could print to. */
  return printer->name[0] != '\0' ? CE_OK : CE__SKIP;
}

/* ---------------------------------------------------------- destination -- */

static const char *option(const cups_dest_t *dest, const char *name) {
  return ce__cups.cupsGetOption(name, dest->num_options, dest->options);
}

static bool option_true(const cups_dest_t *dest, const char *name) {
  const char *value = option(dest, name);
  return value != NULL &&
         (strcmp(value, "true") == 0 || strcmp(value, "1") == 0 ||
          strcmp(value, "yes") == 0);
}

/* The comma-separated "printer-state-reasons" option, without "none". */
static int split_reasons(const char *list, ce__arena *arena,
                         ce_printer *printer) {
  size_t count = 1, n = 0;
  const char **reasons;

  if (list == NULL || list[0] == '\0')
    return CE_OK;
  list = ce__arena_cstr(arena, list, CE__CAP_TITLE);
  if (list == NULL)
    return CE_E_NOMEM;
  for (const char *p = list; *p; p++)
    count += *p == ',';
  reasons = ce__arena_alloc(arena, count * sizeof *reasons);
  if (reasons == NULL)
    return CE_E_NOMEM;
  while (*list != '\0') {
    size_t len = strcspn(list, ",");
    if (len > 0 && !(len == 4 && strncmp(list, "none", 4) == 0)) {
      if ((reasons[n] = ce__arena_utf8(arena, list, len, CE__CAP_NAME)) == NULL)
        return CE_E_NOMEM;
      n++;
    }
    list += len + (list[len] == ',');
  }
  printer->state_reasons = reasons;
  printer->state_reason_count = n;
  return CE_OK;
}

int ce__cups_printer_from_dest(const cups_dest_t *dest, ce__arena *arena,
                               ce_printer *printer) {
  const char *state = option(dest, "printer-state");

  clear_record(printer);
  printer->name = ce__arena_cstr(arena, dest->name, CE__CAP_NAME);
  printer->info =
      ce__arena_cstr(arena, option(dest, "printer-info"), CE__CAP_TITLE);
  printer->location =
      ce__arena_cstr(arena, option(dest, "printer-location"), CE__CAP_TITLE);
  printer->make_model = ce__arena_cstr(
      arena, option(dest, "printer-make-and-model"), CE__CAP_TITLE);
  printer->uri =
      ce__arena_cstr(arena, option(dest, "device-uri"), CE__CAP_TITLE);
  printer->state_message = ce__arena_cstr(
      arena, option(dest, "printer-state-message"), CE__CAP_TITLE);
  if (lacks_memory(printer))
    return out_of_memory();
  if (state != NULL && state[0] >= '0' && state[0] <= '9' && state[1] == '\0')
    printer->state = state_of(state[0] - '0');
  if (split_reasons(option(dest, "printer-state-reasons"), arena, printer) !=
      CE_OK)
    return out_of_memory();
  printer->accepting = option_true(dest, "printer-is-accepting-jobs");
  printer->shared = option_true(dest, "printer-is-shared");
  printer->discovered = true;
  return CE_OK;
}
