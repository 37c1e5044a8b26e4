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

/* The attributes CUPS-Get-Printers asks for: exactly those the records use.
 * NULL-terminated. */
extern const char *const ce__cups_requested[];
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
int ce__cups_printer_from_ipp(ipp_t *response, ipp_attribute_t **cursor,
                              ce__arena *arena, ce_printer *printer);

/* Moves `*cursor` (the response's own cursor) to the first attribute of the
 * next printer group, or NULL when there is none. */
void ce__cups_next_printer_group(ipp_t *response, ipp_attribute_t **cursor);

/*
 * Fills `printer` from a destination found by network discovery (its name
 * and the options libcups made of its DNS-SD TXT record); `discovered` is
 * true and `is_default` false. Returns CE_OK, or CE_E_NOMEM.
 */
int ce__cups_printer_from_dest(const cups_dest_t *dest, ce__arena *arena,
                               ce_printer *printer);

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

/*
 * SIGPIPE held blocked on this thread while libcups writes to a server (it
 * sets no MSG_NOSIGNAL on Linux), and one raised meanwhile consumed before
 * it is let go, so a closed connection never reaches the program's handler.
 * The thread's mask is restored exactly.
 */
typedef struct ce__cups_sigpipe {
  sigset_t old_mask;
  int was_pending;
  int active;
} ce__cups_sigpipe;

void ce__cups_sigpipe_hold(ce__cups_sigpipe *guard);
void ce__cups_sigpipe_release(ce__cups_sigpipe *guard);

#endif /* CE_CUPS_H */
