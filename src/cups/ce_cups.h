/* SPDX-License-Identifier: MIT */
/*
 * What the CUPS backend's files share: the table of libcups functions,
 * loaded at first use, and the functions that turn what the server sent into
 * ce_printer records. The mapping functions only read their arguments and
 * the arena, so a fuzzer can feed them any IPP message or destination.
 */
#ifndef CE_CUPS_H
#define CE_CUPS_H

#include "../internal.h"

#include <cups/cups.h>
#include <signal.h>

/* Every function of libcups.so.2 the backend calls. */
#define CE__CUPS_FUNCTIONS(XX, t)                                              \
  XX(t, cupsServer)                                                            \
  XX(t, ippPort)                                                               \
  XX(t, cupsEncryption)                                                        \
  XX(t, cupsUser)                                                              \
  XX(t, cupsEnumDests)                                                         \
  XX(t, cupsGetOption)                                                         \
  XX(t, httpConnect2)                                                          \
  XX(t, httpClose)                                                             \
  XX(t, httpSetTimeout)                                                        \
  XX(t, httpClearFields)                                                       \
  XX(t, httpSetField)                                                          \
  XX(t, httpSetLength)                                                         \
  XX(t, httpPost)                                                              \
  XX(t, httpUpdate)                                                            \
  XX(t, httpRead2)                                                             \
  XX(t, httpError)                                                             \
  XX(t, httpStatus)                                                            \
  XX(t, ippNew)                                                                \
  XX(t, ippNewRequest)                                                         \
  XX(t, ippDelete)                                                             \
  XX(t, ippAddString)                                                          \
  XX(t, ippAddStrings)                                                         \
  XX(t, ippLength)                                                             \
  XX(t, ippWrite)                                                              \
  XX(t, ippReadIO)                                                             \
  XX(t, ippGetStatusCode)                                                      \
  XX(t, ippErrorString)                                                        \
  XX(t, ippFindAttribute)                                                      \
  XX(t, ippFirstAttribute)                                                     \
  XX(t, ippNextAttribute)                                                      \
  XX(t, ippGetName)                                                            \
  XX(t, ippGetGroupTag)                                                        \
  XX(t, ippGetValueTag)                                                        \
  XX(t, ippGetCount)                                                           \
  XX(t, ippGetString)                                                          \
  XX(t, ippGetInteger)                                                         \
  XX(t, ippGetBoolean)                                                         \
  XX(t, httpInitialize)                                                        \
  XX(t, ippWriteIO)                                                            \
  XX(t, httpGetField)

/* Valid once ce__cups_load() returned CE_OK. */
extern CE__LIBRARY_STRUCT(ce__cups, CE__CUPS_FUNCTIONS) ce__cups;

/* Loads libcups at first use; CE_OK, or CE_E_UNAVAILABLE with the detail. */
int ce__cups_load(void);

/*
 * The attributes CUPS-Get-Printers asks for: exactly those the records use,
 * listed once. XX(ID, "ipp-name") makes the enum ce__cups_attribute
 * (CE__CUPS_ATTR_ID), the request's name array and its count; the mapping
 * switches on the enum, so the compiler names an attribute it forgot.
 */
#define CE__CUPS_ATTRIBUTES(XX)                                                \
  XX(NAME, "printer-name")                                                     \
  XX(INFO, "printer-info")                                                     \
  XX(LOCATION, "printer-location")                                             \
  XX(MAKE_MODEL, "printer-make-and-model")                                     \
  XX(URI, "device-uri")                                                        \
  XX(STATE, "printer-state")                                                   \
  XX(STATE_MESSAGE, "printer-state-message")                                   \
  XX(STATE_REASONS, "printer-state-reasons")                                   \
  XX(ACCEPTING, "printer-is-accepting-jobs")                                   \
  XX(SHARED, "printer-is-shared")                                              \
  XX(TYPE, "printer-type")

#define CE__CUPS_ATTR_ENUM_(id, name) CE__CUPS_ATTR_##id,
typedef enum ce__cups_attribute {
  CE__CUPS_ATTRIBUTES(CE__CUPS_ATTR_ENUM_) CE__CUPS_ATTR_COUNT
} ce__cups_attribute;

/* The names of CE__CUPS_ATTRIBUTES, by their enum; CE__CUPS_ATTR_COUNT of
 * them. */
extern const char *const ce__cups_requested[CE__CUPS_ATTR_COUNT];

/*
 * Fills `printer` from one printer group of an IPP response: the attributes
 * from `*cursor` up to the next separator or group, read with
 * ippNextAttribute(response), so `*cursor` must be where the response's
 * own cursor is (as ippFirstAttribute/ippNextAttribute left it). On return
 * `*cursor` is the first attribute of the next printer group, or NULL at the
 * end. The strings are repaired and capped copies in `arena`; a missing or
 * mistyped attribute gives "" or false. `is_default` comes from the
 * CUPS_PRINTER_DEFAULT bit of printer-type. Returns CE_OK, CE__SKIP for a
 * group without a name (no queue anyone could print to), or CE_E_NOMEM with
 * its detail.
 */
int ce__cups_printer_from_ipp(ipp_t *response, ipp_attribute_t **cursor,
                              ce__arena *arena, ce_printer *printer);

/* Moves `*cursor` (the response's own cursor) to the first attribute of the
 * next printer group, or NULL when there is none. */
void ce__cups_next_printer_group(ipp_t *response, ipp_attribute_t **cursor);

/*
 * Fills `printer` from a destination found by network discovery (its name
 * and the options libcups made of its DNS-SD TXT record); `discovered` is
 * true and `is_default` false. Returns CE_OK, or CE_E_NOMEM with its
 * detail.
 */
int ce__cups_printer_from_dest(const cups_dest_t *dest, ce__arena *arena,
                               ce_printer *printer);

/* ------------------------------------------------ lpoptions (lpoptions.c) */

/* A destination's name split at its '/': CUPS limits each part to 127
 * bytes, so a longer one names no destination. */
typedef struct ce__cups_dest_name {
  char queue[256];
  char instance[256]; /* "" for the queue itself */
} ce__cups_dest_name;

/* What libcups' clients decide before they ask the server. */
typedef struct ce__cups_local {
  /*
   * Whether the environment or an lpoptions file chose the default
   * destination (else the server's holds): $LPDEST, set even to "", or
   * $PRINTER unless it is "lp"; else the last Default line of
   * ~/.cups/lpoptions, else that of $CUPS_SERVERROOT/lpoptions
   * (/etc/cups). Its queue is "" when the name fits no destination.
   */
  int has_default;
  ce__cups_dest_name default_dest;
  /* The instances the Dest and Default lines of those files define, each
   * once, sorted by queue and then by instance without regard to ASCII case
   * (the order of lpstat -e). */
  ce__cups_dest_name *instances;
  size_t instance_count, instance_capacity;
} ce__cups_local;

/* Fills `local`; CE_OK, or CE_E_NOMEM with its detail. */
int ce__cups_local_read(ce__cups_local *local);
void ce__cups_local_free(ce__cups_local *local);

/* The instances of `queue` (its name in any case): their count, the first
 * in `*first`. */
size_t ce__cups_instances_of(const ce__cups_local *local, const char *queue,
                             const ce__cups_dest_name **first);

/*
 * Whether `queue`, or its `instance` when that is not "", is the default
 * that `local` chose (call only when local->has_default). A default that
 * names an instance no file defines is the queue itself: lp prints to the
 * queue with no options of its own then.
 */
int ce__cups_is_default(const ce__cups_local *local, const char *queue,
                        const char *instance);

/* ------------------------------------------------ the exchange (http.c) -- */

/* Values of one attribute kept from an answer; the rest are dropped before
 * libcups parses it (a printer's state reasons are a few in practice). */
#define CE__CUPS_MAX_VALUES 64

/*
 * Sends CUPS-Get-Printers to the server libcups would use and reads the
 * whole answer within the deadline and the cancel flag, in bounded memory.
 * CE_OK with the response in *out (NULL when the server has no queues), or
 * the failure with its detail: CE_E_UNAVAILABLE when the server cannot be
 * reached or went away mid-answer, CE_E_BACKEND for an HTTP or IPP error or
 * an answer too large or malformed, CE_E_TIMEOUT, CE_E_CANCELLED.
 */
int ce__cups_get_printers(const ce__deadline *deadline, ipp_t **out);

/* Sends `request` (still the caller's) to the server and reads the whole
 * answer the same bounded way (http.c): CE_OK with *out, whatever its IPP
 * status, for the caller to check and ippDelete; or a failure. The watch
 * (watch.c) sends its subscription requests so. */
int ce__cups_ipp(const ce__deadline *deadline, ipp_t *request, ipp_t **out);

/*
 * Parses a whole IPP answer held in `data` (`len` bytes), which it may
 * rewrite: values beyond CE__CUPS_MAX_VALUES are dropped first, and a
 * message that would build more than the memory cap is refused.
 * `to_close` says the body ended with the connection, so that a message
 * cut short is a server gone away rather than a malformed one. `server`
 * names it in the detail. CE_OK with *out, or a failure.
 */
int ce__cups_parse_answer(unsigned char *data, size_t len, int to_close,
                          const char *server, ipp_t **out);

#endif /* CE_CUPS_H */
