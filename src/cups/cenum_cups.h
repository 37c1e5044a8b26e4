/*
 * What the CUPS backend's files share: the table of libcups functions,
 * loaded at first use, and the functions that turn what the server sent into
 * ce_printer records. The mapping functions only read their arguments and
 * the arena, so a fuzzer can feed them any IPP message or destination.
 */
#ifndef CE_CENUM_CUPS_H
#define CE_CENUM_CUPS_H

#include "../internal.h"

#include <cups/cups.h>

#define CE_CUPS_FUNCTION(name) __typeof__(name) *name
struct ce_cups_api {
  CE_CUPS_FUNCTION(cupsServer);
  CE_CUPS_FUNCTION(ippPort);
  CE_CUPS_FUNCTION(cupsEncryption);
  CE_CUPS_FUNCTION(cupsUser);
  CE_CUPS_FUNCTION(cupsEnumDests);
  CE_CUPS_FUNCTION(cupsGetOption);
  CE_CUPS_FUNCTION(httpConnect2);
  CE_CUPS_FUNCTION(httpClose);
  CE_CUPS_FUNCTION(httpSetTimeout);
  CE_CUPS_FUNCTION(httpClearFields);
  CE_CUPS_FUNCTION(httpSetField);
  CE_CUPS_FUNCTION(httpSetLength);
  CE_CUPS_FUNCTION(httpPost);
  CE_CUPS_FUNCTION(httpUpdate);
  CE_CUPS_FUNCTION(httpRead2);
  CE_CUPS_FUNCTION(httpError);
  CE_CUPS_FUNCTION(httpStatus);
  CE_CUPS_FUNCTION(ippNew);
  CE_CUPS_FUNCTION(ippNewRequest);
  CE_CUPS_FUNCTION(ippDelete);
  CE_CUPS_FUNCTION(ippAddString);
  CE_CUPS_FUNCTION(ippAddStrings);
  CE_CUPS_FUNCTION(ippLength);
  CE_CUPS_FUNCTION(ippWrite);
  CE_CUPS_FUNCTION(ippReadIO);
  CE_CUPS_FUNCTION(ippGetStatusCode);
  CE_CUPS_FUNCTION(ippErrorString);
  CE_CUPS_FUNCTION(ippFindAttribute);
  CE_CUPS_FUNCTION(ippFirstAttribute);
  CE_CUPS_FUNCTION(ippNextAttribute);
  CE_CUPS_FUNCTION(ippGetName);
  CE_CUPS_FUNCTION(ippGetGroupTag);
  CE_CUPS_FUNCTION(ippGetValueTag);
  CE_CUPS_FUNCTION(ippGetCount);
  CE_CUPS_FUNCTION(ippGetString);
  CE_CUPS_FUNCTION(ippGetInteger);
  CE_CUPS_FUNCTION(ippGetBoolean);
  CE_CUPS_FUNCTION(httpInitialize);
};
#undef CE_CUPS_FUNCTION

/* The functions of libcups.so.2; valid once ce_cups_load() returned CE_OK. */
extern struct ce_cups_api ce_cups;

/* Loads libcups at first use; CE_OK, or CE_E_UNAVAILABLE with the detail. */
int ce_cups_load(void);

/* The attributes CUPS-Get-Printers asks for: exactly those the records use.
 * NULL-terminated. */
extern const char *const ce_cups_requested[];
#define CE_CUPS_REQUESTED_COUNT 11

/*
 * Fills `printer` from one printer group of an IPP response: the attributes
 * from `*cursor` up to the next separator or group, read with
 * ippNextAttribute(response), so `*cursor` must be where the response's
 * own cursor is (as ippFirstAttribute/ippNextAttribute left it). On return
 * `*cursor` is the first attribute of the next printer group, or NULL at the
 * end. The strings are repaired and capped copies in `arena`; a missing or
 * mistyped attribute gives "" or false. `is_default` comes from the
 * CUPS_PRINTER_DEFAULT bit of printer-type. Returns CE_OK, or CE_E_NOMEM.
 */
int ce_cups_printer_from_ipp(ipp_t *response, ipp_attribute_t **cursor,
                             ce__arena *arena, ce_printer *printer);

/* Moves `*cursor` (the response's own cursor) to the first attribute of the
 * next printer group, or NULL when there is none. */
void ce_cups_next_printer_group(ipp_t *response, ipp_attribute_t **cursor);

/*
 * Fills `printer` from a destination found by network discovery (its name
 * and the options libcups made of its DNS-SD TXT record); `discovered` is
 * true and `is_default` false. Returns CE_OK, or CE_E_NOMEM.
 */
int ce_cups_printer_from_dest(const cups_dest_t *dest, ce__arena *arena,
                              ce_printer *printer);

#endif /* CE_CENUM_CUPS_H */
