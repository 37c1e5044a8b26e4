/* SPDX-License-Identifier: MIT */
/*
 * What the CUPS watch (watch.c) uses of the enumeration's connection code
 * (printers.c). For the lead: these belong in ce_cups.h once merged.
 */
#ifndef CE_CUPS_WATCH_H
#define CE_CUPS_WATCH_H

#include "ce_cups.h"

/* A connection to the server libcups would use (*server names it), whose
 * reads and writes give up at the deadline or when its cancel flag is set;
 * the deadline must outlive the connection's use. CE_OK, or a failure. */
int ce__cups_connect(const ce__deadline *deadline, http_t **out,
                     const char **server);

/* Sends `request` on `http` and reads the answer within the deadline, with
 * SIGPIPE held; *response (to ippDelete) whatever its IPP status. */
int ce__cups_call(http_t *http, ipp_t *request, const ce__deadline *deadline,
                  const char *server, ipp_t **response);

#endif /* CE_CUPS_WATCH_H */
